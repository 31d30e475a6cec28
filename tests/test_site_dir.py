"""``--site-dir``: a build replaces the whole folder, so it only ever replaces a site of the same playbook.

Never the playbook, a folder holding it, a source folder (or a folder in one, or holding one),
a dot-folder, or a folder with other files; two builds into one folder take turns; the site
gets the permissions MkDocs gives its folders and files.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_support import add_visions, small_playbook_copy, tree_state

from pptoolkit.cli import cli
from pptoolkit.publishing.build import MARKER, BuildOptions, UnsafeSiteDir, build_site

SOURCES = ("policies", "content", "checks", "evidence", "mkdocs.yml")


def playbook(tmp_path: Path) -> Path:
    return small_playbook_copy(tmp_path / "playbook")


def build(root: Path, *args: str) -> tuple[int, str]:
    """``pptoolkit build ROOT ARGS`` in-process: its exit code and standard error."""
    ran = CliRunner().invoke(cli, ["build", str(root), *args])
    return ran.exit_code, ran.stderr


def everything(folder: Path) -> dict[str, tuple[str, int | None]]:
    return tree_state(folder)


@pytest.mark.parametrize(
    ("site_dir", "reason"),
    [
        (".", "the playbook's own folder"),
        ("..", "a folder that holds the playbook"),
        ("policies", "is the playbook's source folder (policies_dir 'policies')"),
        ("policies/site", "is inside the playbook's source folder (policies_dir 'policies')"),
        ("content", "is the playbook's source folder (docs_dir 'content')"),
        ("evidence", "source folder (evidence 'evidence')"),
        ("evidence/files", "is inside the playbook's source folder (evidence 'evidence')"),
        ("checks", "source folder (checks 'checks')"),
        (".git/site", "dot-folder of the playbook"),
        (".cache", "dot-folder of the playbook"),
    ],
)
def test_a_site_dir_that_would_replace_sources_is_refused(tmp_path: Path, site_dir: str, reason: str) -> None:
    root = playbook(tmp_path)
    (root / ".git").mkdir()
    before = everything(tmp_path)
    code, stderr = build(root, "--site-dir", str(root / site_dir))
    assert code == 2
    assert stderr.startswith("pptoolkit: error: '") and "cannot receive the site" in stderr
    assert reason in stderr, stderr
    assert everything(tmp_path) == before, "nothing was written, moved or removed"
    with pytest.raises(UnsafeSiteDir):
        build_site(BuildOptions(root=root, site_dir=root / site_dir))
    assert everything(tmp_path) == before


def test_a_folder_holding_a_source_folder_is_refused(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    root = small_playbook_copy(outer / "playbook")
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: ../pages"),
        encoding="utf-8",
    )
    (root / "content").rename(outer / "pages")
    code, stderr = build(root, "--site-dir", str(outer))
    assert code == 2 and "holds the playbook" in stderr


def test_a_folder_with_other_files_is_refused_and_kept(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    public = tmp_path / "public"
    public.mkdir()
    (public / "notes.txt").write_text("not a site\n", encoding="utf-8")
    code, stderr = build(root, "--site-dir", str(public))
    assert code == 2
    assert "is not empty and is not a site built by pptoolkit from this playbook" in stderr
    assert "delete it if it is an old site, or choose another folder" in stderr
    assert sorted(p.name for p in public.iterdir()) == ["notes.txt"]


@pytest.mark.slow  # builds sites
def test_a_new_or_empty_folder_or_an_earlier_site_of_this_playbook_is_accepted(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    (tmp_path / "empty").mkdir()
    for site_dir in (tmp_path / "new" / "site", tmp_path / "empty", tmp_path / "empty"):
        code, stderr = build(root, "--site-dir", str(site_dir))
        assert code == 0, stderr
        assert (site_dir / "index.html").is_file()
        assert (site_dir / MARKER).is_file()
    code, stderr = build(root)  # the default, ROOT/site, twice
    assert code == 0, stderr
    assert build(root)[0] == 0


@pytest.mark.slow  # builds a site
@pytest.mark.parametrize("marker", ["a folder", "a link to the marker of a site", "a FIFO"])
def test_a_marker_that_is_not_a_regular_file_is_not_a_marker(tmp_path: Path, marker: str) -> None:
    root = playbook(tmp_path)
    assert build(root)[0] == 0
    public = tmp_path / "public"
    public.mkdir()
    if marker == "a folder":
        (public / MARKER).mkdir()
    elif marker == "a FIFO":
        os.mkfifo(public / MARKER)
    else:
        (public / MARKER).symlink_to(root / "site" / MARKER)
    code, stderr = build(root, "--site-dir", str(public))
    assert code == 2 and "is not a site built by pptoolkit from this playbook" in stderr


@pytest.mark.slow  # builds a site
def test_the_site_of_another_playbook_is_refused(tmp_path: Path) -> None:
    first, second = playbook(tmp_path), small_playbook_copy(tmp_path / "other")
    public = tmp_path / "public"
    assert build(first, "--site-dir", str(public))[0] == 0
    code, stderr = build(second, "--site-dir", str(public))
    assert code == 2 and "not a site built by pptoolkit from this playbook" in stderr


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.slow  # builds a site
@pytest.mark.parametrize(("mask", "folders", "files"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_site_gets_the_permissions_mkdocs_gives(tmp_path: Path, mask: int, folders: int, files: int) -> None:
    root = playbook(tmp_path)
    with umask(mask):
        site = build_site(BuildOptions(root=root))
    assert site.stat().st_mode & 0o777 == folders
    modes = {path.relative_to(site).as_posix(): path.stat().st_mode & 0o777 for path in site.rglob("*")}
    assert {m for p, m in modes.items() if (site / p).is_dir()} == {folders}
    assert {m for p, m in modes.items() if (site / p).is_file()} == {files}


def pptoolkit_build(root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    command = [sys.executable, "-m", "pptoolkit", "build", str(root)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))


@pytest.mark.slow  # builds sites
def test_two_builds_at_once_leave_one_complete_site(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    add_visions(root, 300)  # a build long enough for the second to start while the first writes
    reference = build_site(BuildOptions(root=root, site_dir=tmp_path / "reference"))
    expected = site_files(reference)
    first = pptoolkit_build(root)
    deadline = time.monotonic() + 120
    while not list(root.glob(".site-site-new-*/assets")) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    second = pptoolkit_build(root)  # once the first has started writing its site
    first_errors = first.communicate(timeout=300)[1]
    published_by_first = site_files(root / "site")
    second_errors = second.communicate(timeout=300)[1]
    assert [first.returncode, second.returncode] == [0, 0], [first_errors, second_errors]
    assert published_by_first == expected, "the first build published a complete site"
    assert site_files(root / "site") == expected
    assert not list(root.glob(".site-*"))


@pytest.mark.slow  # builds sites
def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    holder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)  # what a build holds while it writes ROOT/site
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        waiting = pptoolkit_build(root)
        assert waiting.stderr is not None
        for line in waiting.stderr:
            if "waiting for it to finish" in line:
                break
        else:
            pytest.fail(f"the second build did not wait: {waiting.communicate()}")
        assert "Another build is writing a site in" in line
        assert waiting.poll() is None and not (root / "site").exists() and not list(root.glob(".site-*"))
    finally:
        os.close(holder)
    waiting.communicate(timeout=300)
    assert waiting.returncode == 0
    assert (root / "site" / "index.html").is_file()
