"""Strict means strict: plain ``mkdocs build --strict`` never publishes a playbook with checker errors.

MkDocs counts warnings for strict mode only at the level it logs them, so with ``-q``
it counted none and published a playbook with an uncovered practice. The plugin fails
a strict build itself, before MkDocs cleans or writes the site folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from site_support import cli_env, copy_sample, set_today, snapshot

pytestmark = pytest.mark.slow  # builds the sample with each engine

UNCOVERED = """  - id: X9
    type: designing
    levels: [top]
    cases: [1]
    title: A practice that no artifact covers
"""


def mkdocs_build(root: Path, *args: str, engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build ARGS`` (or ``properdocs build ARGS``) on the playbook at ``root``; return the process."""
    command = [sys.executable, "-m", engine, "build", "-f", str(root / "mkdocs.yml"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=cli_env(), timeout=300, check=False)


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_quiet_strict_mkdocs_build_refuses_an_uncovered_practice(tmp_path: Path, engine: str) -> None:
    root = copy_sample(tmp_path / "playbook")
    set_today(root)
    first = mkdocs_build(root, "--strict", "-q", engine=engine)
    assert first.returncode == 0, first.stderr
    published = snapshot(root / "site")
    assert "index.html" in published
    with (root / "checks" / "matrix.yml").open("a", encoding="utf-8") as matrix:
        matrix.write(UNCOVERED)

    refused = mkdocs_build(root, "--strict", "-q", engine=engine)

    assert refused.returncode != 0
    assert "X9" in refused.stderr and "mode strict" in refused.stderr, refused.stderr  # the sample speaks French
    assert snapshot(root / "site") == published, "the published site was neither cleaned nor rewritten"
    # Not strict: the same playbook is built, with the practice on the gaps page.
    assert mkdocs_build(root, "-q", engine=engine).returncode == 0
    assert "X9" in (root / "site" / "gaps.html").read_text(encoding="utf-8")


def test_a_quiet_strict_mkdocs_build_creates_no_site_for_a_playbook_with_errors(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "playbook")
    set_today(root)
    with (root / "checks" / "matrix.yml").open("a", encoding="utf-8") as matrix:
        matrix.write(UNCOVERED)
    refused = mkdocs_build(root, "--strict", "-q", "--site-dir", str(tmp_path / "public"))
    assert refused.returncode != 0
    assert not (tmp_path / "public").exists()
