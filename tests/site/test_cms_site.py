"""The editors' forms in a build, without a browser: the script comes from `npm ci` or the build says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_support import REPO_ROOT, build_cli, copy_small, snapshot, unavailable

pytestmark = pytest.mark.slow  # builds sites

EDITOR = "  - pptoolkit:\n      editor: {backend: gitlab, repo: quality/playbook, app_id: abc123}\n"


def with_editor(root: Path) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - pptoolkit\n", EDITOR), encoding="utf-8")
    return root


def test_without_the_cms_installed_the_build_says_to_run_npm_ci_and_keeps_the_site(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    assert build_cli(root).returncode == 0
    before = snapshot(root / "site")
    with_editor(root)
    done = build_cli(root)
    assert done.returncode == 1
    assert "needs Decap CMS's script" in done.stderr
    assert "run `npm ci`" in done.stderr
    assert snapshot(root / "site") == before


def test_the_cms_is_found_in_a_folder_above_the_playbook(tmp_path: Path) -> None:
    if not (REPO_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        unavailable("Decap CMS is not installed: `npm ci`")
    (tmp_path / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    root = with_editor(copy_small(tmp_path / "playbooks" / "quality"))
    done = build_cli(root)
    assert done.returncode == 0, done.stderr
    admin = root / "site" / "admin"
    script = (REPO_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").read_bytes()
    assert (admin / "decap-cms.js").read_bytes() == script
    assert "name: gitlab" in (admin / "config.yml").read_text(encoding="utf-8")
    page = (root / "site" / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert 'href="https://gitlab.com/quality/playbook/-/edit/main/policies/vision.md"' in page
