"""Helpers of the editor and CI tests (new, init, schema, diff, calendar, SARIF, JUnit, pre-commit).

Plain functions, no fixtures:

- ``invoke(*args)`` runs the ``pptoolkit`` command line in-process and returns
  click's result (exit code, standard output and error kept apart);
- ``git(repo, *args)`` runs git in ``repo`` isolated from the user's and the
  system's configuration and from a surrounding hook's ``GIT_*`` variables;
  ``new_repository`` and ``commit_all`` make a repository with commits;
- ``front_matter(path)`` reads an artifact's front matter as JSON-like data
  (dates as ISO strings), the way a JSON Schema tool sees it;
- ``covered_playbook(root)`` writes a small playbook (one practice, one role)
  that passes the check.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from playbook_support import ONE_PRACTICE_MATRIX, TODAY

from pptoolkit.cli import cli

DATA = Path(__file__).resolve().parent / "data"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
"""A copy of the OASIS SARIF 2.1.0 JSON schema (kept in ``tests/data/``; see its README)."""
AS_OF = ["--today", TODAY.isoformat()]

ONE_ROLE = """\
roles:
  - id: director-general
    title: Director General
    level: top
"""
COVERED_VISION = """\
---
id: vision
kind: vision
title: Our vision of partnership
owner: director-general
status: approved
approved_on: 2026-01-15
review_by: 2027-06-30
implements: [D1]
evidence:
  - title: Board minutes
    date: 2026-01-15
    link: ../evidence/minutes.md
statement: Patients and families are partners in improving our care.
---

# Our vision of partnership
"""


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``pptoolkit ARGS`` in-process; the result keeps standard output and error apart."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def git_env() -> dict[str, str]:
    """The environment for git: no user or system configuration, no ``GIT_*`` of a surrounding hook."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    return env


def git(repo: Path, *args: str) -> str:
    """Run ``git ARGS`` in ``repo`` (isolated configuration) and return its standard output."""
    completed = subprocess.run(["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"git {' '.join(args)} failed: {completed.stderr}"
    return completed.stdout.strip()


def new_repository(repo: Path) -> Path:
    """An empty git repository at ``repo`` whose branch is ``main``."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit_all(repo: Path, message: str) -> str:
    """Commit every file of ``repo`` and return the commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def front_matter(path: Path) -> Any:
    """The front matter of an artifact, loaded safely, with dates as ISO strings."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    block = text[4:].split("\n---\n", 1)[0]
    return _iso(yaml.safe_load(block))


def covered_playbook(root: Path) -> Path:
    """A playbook at ``root`` whose only practice (D1) is covered: the check passes."""
    files = {
        "mkdocs.yml": "site_name: Test\n",
        "checks/matrix.yml": ONE_PRACTICE_MATRIX,
        "checks/roles.yml": ONE_ROLE,
        "evidence/minutes.md": "# Minutes of the board, 2026-01-15 (fictitious)\n",
        "policies/vision.md": COVERED_VISION,
    }
    for relative, text in files.items():
        file = root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return root
