"""Nothing lost: a failed or interrupted build keeps the published site, the checker never writes to sources,
and the commands that write never overwrite an existing file.

``pptoolkit`` runs as a subprocess (``python -m pptoolkit``), as an editor or CI runs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_support import (
    MINUTES,
    ROLES,
    TODAY,
    VISION,
    add_visions,
    small_playbook_copy,
    tree_digest,
    tree_state,
    write,
)

from pptoolkit.cli import cli
from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site

pytestmark = pytest.mark.slow  # builds sites, and kills and interrupts builds

SOURCES = ("policies", "content", "checks", "evidence", "mkdocs.yml")


def pptoolkit(*args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pptoolkit", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
        check=False,
    )


def playbook(tmp_path: Path) -> Path:
    return small_playbook_copy(tmp_path / "playbook")


def sources(root: Path) -> dict[str, object]:
    """Content and mtime of every file of the playbook's sources."""
    return {part: tree_state(root / part) if (root / part).is_dir() else tree_state(root)[part] for part in SOURCES}


def leftovers(root: Path) -> list[str]:
    """The temporary folders of builds of ``root/site``."""
    return sorted(p.name for p in root.glob(".site-site-*"))


def built(root: Path) -> str:
    result = pptoolkit("build", str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
    assert leftovers(root) == []
    return tree_digest(root / "site")


# --- A failed build ---------------------------------------------------------------------------------------------


def break_owner(root: Path) -> None:
    text = (root / VISION).read_text(encoding="utf-8")
    write(root, VISION, text.replace("owner: director-general", "owner: nobody"))


def break_privacy(root: Path) -> None:
    write(root, MINUTES, (root / MINUTES).read_text(encoding="utf-8") + "\nCall Jeanne at 514-555-0199.\n")


def break_theme(root: Path) -> None:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    write(root, "mkdocs.yml", text.replace("name: material", "name: no-such-theme"))


def break_yaml(root: Path) -> None:
    write(root, "mkdocs.yml", "site_name: [unclosed\n")


def break_roles(root: Path) -> None:
    write(root, ROLES, "roles: [\n")


@pytest.mark.parametrize(
    ("breakage", "exit_code"),
    [(break_owner, 1), (break_privacy, 1), (break_roles, 1), (break_theme, 1), (break_yaml, 2)],
    ids=["checker-error", "personal-data", "broken-roles", "mkdocs-error", "unreadable-config"],
)
def test_a_failed_build_leaves_the_published_site_byte_identical(
    tmp_path: Path, breakage: Callable[[Path], None], exit_code: int
) -> None:
    root = playbook(tmp_path)
    before = built(root)
    mtimes = tree_state(root / "site")
    breakage(root)
    result = pptoolkit("build", str(root))
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr
    if exit_code == 1:
        assert "the published site is unchanged" in result.stderr
    assert tree_digest(root / "site") == before
    assert tree_state(root / "site") == mtimes, "not even rewritten with the same bytes"
    assert leftovers(root) == []


def test_a_failed_first_build_publishes_nothing(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    break_owner(root)
    assert pptoolkit("build", str(root)).returncode == 1
    assert not (root / "site").exists()
    assert leftovers(root) == []


def test_a_successful_build_replaces_the_site(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    before = built(root)
    add_visions(root, 2)
    after = built(root)
    assert after != before
    assert (root / "site" / "artifacts" / "vision-0001.html").is_file()


# --- An interrupted build -----------------------------------------------------------------------------------------


def start_build(root: Path) -> subprocess.Popen[bytes]:
    def default_sigint() -> None:  # a background shell may start us with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return subprocess.Popen(
        [sys.executable, "-m", "pptoolkit", "build", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        preexec_fn=default_sigint,
    )


def wait_for_staging(root: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> Path:
    """Wait until the build writes pages into its temporary folder; return that folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it could be interrupted"
        for staging in root.glob(".site-site-new-*"):
            if any(staging.rglob("*.html")):
                return staging
        time.sleep(0.01)
    process.kill()
    raise AssertionError("no temporary site folder appeared")


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, str]:
    """A playbook whose site is published, then given 300 more artifacts (a build of several seconds)."""
    root = playbook(tmp_path)
    digest = built(root)
    add_visions(root, 300)
    return root, digest


def test_a_killed_build_leaves_the_published_site_unchanged(published: tuple[Path, str]) -> None:
    root, before = published
    process = start_build(root)
    staging = wait_for_staging(root, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert staging.is_dir(), "the build was killed midway: its temporary folder is still there"
    assert tree_digest(root / "site") == before
    # The next build removes the leftover and publishes the new site.
    after = built(root)
    assert after != before
    assert not staging.exists()
    assert (root / "site" / "artifacts" / "vision-0299.html").is_file()


def test_an_interrupted_build_cleans_up_and_keeps_the_site(published: tuple[Path, str]) -> None:
    root, before = published
    process = start_build(root)
    wait_for_staging(root, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert tree_digest(root / "site") == before
    assert leftovers(root) == [], stderr.decode()


def test_a_build_stopped_between_its_two_renames_does_not_lose_the_site(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    before = built(root)
    # What a kill between "move the old site aside" and "move the new one in" leaves behind:
    os.replace(root / "site", root / ".site-site-old-abc123")
    (root / ".site-site-new-def456").mkdir()
    (root / ".site-site-new-def456" / "index.html").write_text("half a site", encoding="utf-8")
    break_owner(root)
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, strict=True))
    assert tree_digest(root / "site") == before
    assert leftovers(root) == []


def test_the_next_build_removes_leftover_temporary_folders(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    built(root)
    for name in (".site-site-new-aaa", ".site-site-old-bbb"):
        (root / name / "assets").mkdir(parents=True)
        (root / name / "assets" / "x.js").write_text("leftover", encoding="utf-8")
    (root / ".site-notes").mkdir()
    built(root)
    assert leftovers(root) == []
    assert (root / ".site-notes").is_dir(), "only the build's own temporary folders are removed"


# --- The checker and the site never modify the sources --------------------------------------------------------------


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_check_matrix_and_build_never_modify_the_sources(tmp_path: Path, broken: bool) -> None:
    root = playbook(tmp_path)
    if broken:
        break_owner(root)
        break_privacy(root)
    # Old mtimes: a rewrite with the same bytes would still show.
    for file in root.rglob("*"):
        os.utime(file, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000), follow_symlinks=False)
    before = sources(root)
    entries = sorted(p.name for p in root.iterdir())
    commands = [
        ("check", str(root), "--today", TODAY.isoformat()),
        ("check", str(root), "--format", "json"),
        ("check", str(root), "--format", "github"),
        ("matrix", str(root)),
        ("matrix", str(root), "--format", "json"),
        ("build", str(root)),
        ("build", str(root), "--no-strict"),
    ]
    for command in commands:
        result = pptoolkit(*command, cwd=root)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert sources(root) == before, command
    assert sorted(p.name for p in root.iterdir()) == sorted({*entries, "site"})


def test_the_sample_playbook_sources_are_not_modified_by_a_build(tmp_path: Path) -> None:
    repository = Path(__file__).resolve().parents[1]
    root = tmp_path / "sample"
    root.mkdir()
    for part in SOURCES:
        source = repository / part
        if source.is_dir():
            shutil.copytree(source, root / part, symlinks=True)
        else:
            shutil.copy2(source, root / part)
    before = sources(root)
    result = pptoolkit("build", str(root), "--no-strict")
    assert result.returncode == 0, result.stderr
    assert sources(root) == before


# --- Commands that write never overwrite -----------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_new_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    target = write(root, "policies/vision/our-vision.md", "An editor's unsaved work, not even an artifact.\n")
    before = sources(root)
    code, output = invoke(
        "new", "vision", str(root), "--id", "our-vision", "--owner", "director-general", "--implements", "D1"
    )
    assert code == 1, output
    assert "already exists" in output
    assert target.read_text(encoding="utf-8") == "An editor's unsaved work, not even an artifact.\n"
    assert sources(root) == before


def test_new_never_reuses_an_existing_id(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    before = sources(root)
    code, output = invoke("new", "vision", str(root), "--id", "vision", "--owner", "director-general")
    assert code == 1, output
    assert sources(root) == before


def test_new_never_writes_through_a_symlink(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("outside\n", encoding="utf-8")
    (root / "policies" / "vision").mkdir()
    os.symlink(outside, root / "policies" / "vision" / "linked.md")
    code, output = invoke("new", "vision", str(root), "--id", "linked", "--owner", "director-general")
    assert code == 1, output
    assert outside.read_text(encoding="utf-8") == "outside\n"
    assert (root / "policies" / "vision" / "linked.md").is_symlink()


def test_new_writes_a_new_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    code, output = invoke("new", "vision", str(root), "--id", "fresh", "--owner", "director-general")
    assert code == 0, output
    assert sorted(p.name for p in (root / "policies" / "vision").iterdir()) == ["fresh.md"]


def test_init_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    before = tree_state(root)
    code, output = invoke("init", str(root))
    assert code == 1, output
    assert tree_state(root) == before
    code, output = invoke("init", str(root), "--force")
    assert code == 0, output
    after = tree_state(root)
    assert {path: state for path, state in after.items() if path in before} == before
    assert "Kept mkdocs.yml (it exists)" in output
    assert "Kept checks/roles.yml (it exists)" in output


def test_calendar_never_overwrites_an_existing_file_without_force(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    output_file = tmp_path / "reviews.ics"
    output_file.write_text("my own calendar\n", encoding="utf-8")
    code, output = invoke("calendar", str(root), "--output", str(output_file), "--today", TODAY.isoformat())
    assert code != 0, output
    assert output_file.read_text(encoding="utf-8") == "my own calendar\n"
    code, output = invoke("calendar", str(root), "--output", str(output_file), "--today", TODAY.isoformat(), "--force")
    assert code == 0, output
    assert output_file.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["playbook", "reviews.ics"]


def test_calendar_never_writes_through_a_symlink_without_force(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    target = tmp_path / "target.txt"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "reviews.ics"
    os.symlink(target, link)
    code, _ = invoke("calendar", str(root), "--output", str(link), "--today", TODAY.isoformat())
    assert code != 0
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert link.is_symlink()
