"""The pre-commit hook (``.pre-commit-hooks.yaml``), run for real with ``pre-commit try-repo``.

``try-repo`` installs the hook's repository into its own virtual environment
(``pip install`` of this package and its dependencies, from the configured
package index) and runs it in a playbook's git repository. The hook's
repository is a committed copy of this checkout's package files, so that the
test sees the working tree whether or not it is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from editor_support import commit_all, covered_playbook, git_env, invoke, new_repository
from playbook_support import REPO_ROOT

pytest.importorskip("pre_commit")
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git"),
    pytest.mark.slow,  # runs git and pre-commit's hook in new repositories
]

HOOK_REPOSITORY_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "pptoolkit")


def test_the_hook_definition() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"], h["files"]) for h in hooks] == [
        ("pptoolkit-check", "pptoolkit check", "python", False, "^(policies|checks|evidence)/")
    ]


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = new_repository(tmp_path_factory.mktemp("hook") / "pptoolkit")
    for name in HOOK_REPOSITORY_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    commit_all(repo, "pptoolkit")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module: the hook's environment is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(playbook: Path, hook_repository: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = git_env() | {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repository), "pptoolkit-check", "--all-files"],
        cwd=playbook,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_hook_fails_on_a_fresh_playbook(tmp_path: Path, hook_repository: Path, pre_commit_home: Path) -> None:
    playbook = tmp_path / "playbook"
    assert invoke("init", str(playbook)).exit_code == 0
    new_repository(playbook)
    commit_all(playbook, "A new playbook")
    run = try_repo(playbook, hook_repository, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "pptoolkit check (patient partnership playbook)" in run.stdout
    assert "Failed" in run.stdout
    assert run.stdout.count("PP401") == 25
    assert "Coverage: 0 of 25 practices covered" in run.stdout


def test_the_hook_passes_on_a_covered_playbook(tmp_path: Path, hook_repository: Path, pre_commit_home: Path) -> None:
    playbook = covered_playbook(new_repository(tmp_path / "playbook"))
    commit_all(playbook, "A covered playbook")
    run = try_repo(playbook, hook_repository, pre_commit_home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


def run_starter_hook(playbook: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` of the playbook's own configuration: the local hook over the installed pptoolkit."""
    env = git_env() | {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=playbook,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_starter_hook_runs_the_installed_pptoolkit_and_lets_a_baselined_playbook_commit(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    playbook = tmp_path / "playbook"
    assert invoke("init", str(playbook)).exit_code == 0
    new_repository(playbook)
    commit_all(playbook, "A new playbook")
    refused = run_starter_hook(playbook, pre_commit_home)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Coverage: 0 of 25 practices covered" in refused.stdout
    assert invoke("baseline", str(playbook)).exit_code == 0
    commit_all(playbook, "Accept today's gaps")
    accepted = run_starter_hook(playbook, pre_commit_home)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "pptoolkit check (patient partnership playbook)" in accepted.stdout
    assert "Passed" in accepted.stdout
