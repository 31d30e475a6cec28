"""No traceback: every input that once crashed a command gets a clear, located message and its exit code.

Each case is run as users run it, ``python -m pptoolkit ...`` in a subprocess, so that
what Python itself prints when a command fails (and when it flushes standard output on
the way out) is seen too. Configuration problems exit 2; a check that finds errors
exits 1. Cases that need a file nobody may read run without the superuser's right to
read everything when the tests run as root (``setpriv`` drops it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hardening_support import LOGIC_MODEL, VISION, set_options, small_playbook_copy, write

pytestmark = pytest.mark.slow  # runs every case as a subprocess

AS_OF = ["--today", "2026-11-26"]
NOT_UTF8_NAME = os.fsdecode(b"policies/caf\xe9.md")
NOT_UTF8_SHOWN = "policies/caf\\xe9.md"


def without_reading_rights() -> list[str]:
    """The prefix that runs a command unable to read files it has no permission for, even as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root reads every file whatever its mode")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def pptoolkit(
    *args: str | Path, prefix: list[str] | None = None, **options: object
) -> subprocess.CompletedProcess[str]:
    """``python -m pptoolkit ARGS``, its output as text; fails the test on output that is not UTF-8."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "pptoolkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=300,
        check=False,
        **options,  # type: ignore[call-overload]
    )


def set_review_by(root: Path, value: str) -> None:
    file = root / VISION
    file.write_text(file.read_text(encoding="utf-8").replace("review_by: 2028-06-30", f"review_by: {value}"), "utf-8")


def set_plugin_line(root: Path, line: str) -> None:
    """Put ``line`` (raw YAML) in the pptoolkit entry of ``mkdocs.yml``, in place of its ``today``."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("today: '2026-11-26'", line), encoding="utf-8")


def add_not_utf8_artifact(root: Path) -> None:
    """A copy of the vision, with another id, in a file whose name holds the byte 0xe9 (Latin-1 é)."""
    text = (root / VISION).read_text(encoding="utf-8").replace("id: vision", "id: cafe")
    write(root, NOT_UTF8_NAME, text)


def an_id_of(length: int) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        file = root / LOGIC_MODEL
        file.write_text(file.read_text(encoding="utf-8").replace("id: logic-model", f"id: {'l' * length}"), "utf-8")

    return setup


@dataclass(frozen=True)
class Case:
    """A playbook made broken by ``setup``, a command, its exit code, and what its output must say."""

    setup: Callable[[Path], None]
    args: tuple[str, ...]
    exit_code: int
    says: str = ""


CASES = {
    "review_by 9999-12-31, calendar": Case(
        lambda root: set_review_by(root, "9999-12-31"), ("calendar", *AS_OF), 0, "DURATION:P1D"
    ),
    "review_by 9999-12-31, build": Case(lambda root: set_review_by(root, "9999-12-31"), ("build",), 0, "Site built"),
    "review_by 0001-01-01, calendar": Case(
        lambda root: set_review_by(root, "0001-01-01"), ("calendar", *AS_OF), 0, "DTSTART;VALUE=DATE:00010101"
    ),
    "today: 9999-12-31, build": Case(
        lambda root: set_options(root, {"today": "9999-12-31"}), ("build",), 0, "PP404 warning: practice D1"
    ),
    "--today 9999-12-31, check": Case(lambda root: None, ("check", "--today", "9999-12-31"), 0, "warning"),
    "new --today 9999-12-31": Case(
        lambda root: None,
        ("new", "vision", "--id", "far", "--owner", "director-general", "--today", "9999-12-31"),
        0,
        "Wrote policies/vision/far.md",
    ),
    "today: 2025-02-30, check": Case(
        lambda root: set_plugin_line(root, "today: 2025-02-30"),
        ("check", *AS_OF),
        2,
        "pptoolkit: error: 'mkdocs.yml':55:12: cannot be read: '2025-02-30' is not a valid value",
    ),
    "today: 2025-02-30, build": Case(
        lambda root: set_plugin_line(root, "today: 2025-02-30"), ("build",), 2, "'2025-02-30' is not a valid value"
    ),
    "today: !!float abc, build": Case(
        lambda root: set_plugin_line(root, "today: !!float abc"),
        ("build",),
        2,
        "pptoolkit: error: 'mkdocs.yml':55:12: cannot be read: 'abc' is not a valid value",
    ),
    "today with a time, build": Case(
        lambda root: set_plugin_line(root, "today: 2026-01-01 10:00:00"),
        ("build",),
        2,
        "plugins.pptoolkit.today: expected a date without a time",
    ),
    "absolute policies_dir": Case(
        lambda root: set_options(root, {"policies_dir": str(root / "policies")}),
        ("check", *AS_OF),
        2,
        "plugins.pptoolkit.policies_dir: '",
    ),
    "policies_dir through '..'": Case(
        lambda root: set_options(root, {"policies_dir": "../policies"}),
        ("check", *AS_OF),
        2,
        "plugins.pptoolkit.policies_dir: '../policies' leaves the playbook through '..'",
    ),
    "matrix through '..', build": Case(
        lambda root: set_options(root, {"matrix": "checks/../../matrix.yml"}),
        ("build",),
        2,
        "plugins.pptoolkit.matrix: 'checks/../../matrix.yml' leaves the playbook",
    ),
    "an id of 300 characters, check": Case(an_id_of(300), ("check", *AS_OF), 1, "policies/logic-model.md:2:1: PP203"),
    "an id of 300 characters, build": Case(an_id_of(300), ("build", "--no-strict"), 0, "Site built"),
    "content/etc -> /etc, build": Case(
        lambda root: (root / "content" / "etc").symlink_to("/etc"), ("build", "--no-strict"), -1
    ),
}
for output_format in ("text", "json", "junit", "sarif", "gitlab", "github"):
    CASES[f"a file name that is not UTF-8, {output_format}"] = Case(
        add_not_utf8_artifact,
        ("check", "--format", output_format, *AS_OF),
        1,
        {"json": "policies/caf\\\\xe9.md", "gitlab": "policies/caf\\\\xe9.md", "sarif": "policies/caf%5Cxe9.md"}.get(
            output_format, NOT_UTF8_SHOWN
        ),
    )
CASES["a file name that is not UTF-8, calendar"] = Case(add_not_utf8_artifact, ("calendar", *AS_OF), 0, "END:VCALENDAR")
CASES["a file name that is not UTF-8, build"] = Case(
    add_not_utf8_artifact,
    ("build",),
    1,
    f"{NOT_UTF8_SHOWN}:1:1: PP101 the file name is not UTF-8",
)
CASES["a content page whose name is not UTF-8, build"] = Case(
    lambda root: write(root, os.fsdecode(b"content/caf\xe9.md"), "# Caf\n"),
    ("build", "--no-strict"),
    0,
    "content/caf\\xe9.md:1:1: PP310 'content/caf\\xe9.md': the name is not UTF-8 text; rename it to publish it",
)


@pytest.mark.parametrize("name", CASES)
def test_a_clear_message_and_no_traceback(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    root = small_playbook_copy(tmp_path / "playbook")
    case.setup(root)
    done = pptoolkit(*case.args, cwd=root)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    if case.exit_code >= 0:
        assert done.returncode == case.exit_code, output
    else:
        assert done.returncode in (0, 1), output
    assert case.says in output
    if done.returncode == 2:
        assert done.stderr.startswith("pptoolkit: error: ") and done.stderr.count("\n") == 1, done.stderr


def test_an_unreadable_mkdocs_yml_is_a_configuration_error(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    (root / "mkdocs.yml").chmod(0)
    for command in ("check", "build", "calendar", "matrix"):
        done = pptoolkit(command, root, prefix=without_reading_rights())
        assert (done.returncode, done.stderr) == (
            2,
            "pptoolkit: error: 'mkdocs.yml': cannot be read: Permission denied\n",
        )


def test_an_unreadable_folder_or_file_of_policies_is_reported(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    write(root, "policies/locked/vision-2.md", "---\nid: v\n---\n").parent.chmod(0)
    (root / LOGIC_MODEL).chmod(0)
    done = pptoolkit("check", root, "--no-cache", *AS_OF, prefix=without_reading_rights())
    (root / "policies" / "locked").chmod(0o755)
    assert done.returncode == 1
    assert done.stdout.startswith("checks/matrix.yml:7:5: PP401 no current artifact implements practice S5"), (
        done.stdout
    )
    lines = done.stdout.splitlines()
    assert f"{LOGIC_MODEL}:1:1: PP109 cannot be read: Permission denied [unreadable]" in lines
    assert (
        "policies/locked:1:1: PP109 this folder cannot be read (Permission denied): "
        "the artifacts in it are not checked [unreadable]"
    ) in lines


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command", [("check", "--format", "json", *AS_OF), ("calendar", *AS_OF), ("schema",), ("rules",)]
)
def test_an_output_that_cannot_be_written_is_one_line_on_stderr(tmp_path: Path, command: tuple[str, ...]) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "pptoolkit", *command],
            cwd=root,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == "pptoolkit: error: cannot write the output: No space left on device\n"


def test_a_reader_that_goes_away_stops_the_command_quietly(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    with subprocess.Popen(
        [sys.executable, "-m", "pptoolkit", "check", "--format", "sarif", *AS_OF],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `| head` does once it has its lines
        errors = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=120) != 0
    assert errors == ""


def test_what_the_walk_of_policies_leaves_out_is_said_where_it_is(tmp_path: Path) -> None:
    """A symbolic link to a folder is not followed, and a '.md' name that is no file cannot be read: each is PP109,
    never a silence that hides artifacts; the cache and its memo follow each of them as it changes."""
    root = small_playbook_copy(tmp_path / "playbook")
    vision = (root / VISION).read_text(encoding="utf-8")
    write(root, "drafts/vision-draft.md", vision.replace("id: vision", "id: vision-draft"))
    policies = root / "policies"
    os.symlink("../drafts", policies / "drafts")
    os.symlink("../drafts", policies / "folder.md")
    os.symlink("missing.md", policies / "gone.md")
    os.symlink("loop-b.md", policies / "loop-a.md")
    os.symlink("loop-a.md", policies / "loop-b.md")
    os.mkfifo(policies / "pipe.md")
    uncached = pptoolkit("check", root, "--no-cache", *AS_OF)
    assert uncached.returncode == 1, uncached.stderr
    said = "it is not checked nor published [unreadable]"
    for line in (
        "policies/drafts:1:1: PP109 this is a symbolic link to a folder, which the checker does not follow: "
        "the artifacts in it are not checked nor published; move them here, or link each file [unreadable]",
        f"policies/folder.md:1:1: PP109 this Markdown name is no file to read (a folder): {said}",
        f"policies/gone.md:1:1: PP109 this Markdown name is no file to read (a symbolic link to nothing): {said}",
        f"policies/loop-a.md:1:1: PP109 this Markdown name is no file to read (a loop of symbolic links): {said}",
        f"policies/loop-b.md:1:1: PP109 this Markdown name is no file to read (a loop of symbolic links): {said}",
        "policies/pipe.md:1:1: PP109 this Markdown name is no file to read "
        f"(not a regular file: a FIFO, a socket or a device): {said}",
    ):
        assert line in uncached.stdout.splitlines(), uncached.stdout
    for _ in range(2):  # the cold check with the cache, then its memo
        cached = pptoolkit("check", root, *AS_OF)
        assert (cached.returncode, cached.stdout) == (uncached.returncode, uncached.stdout)
    # The link to nothing now leads to an artifact, and the link to a folder leads to a file: said as it is now.
    write(root, "policies/missing.md", vision.replace("id: vision", "id: vision-found"))
    (policies / "drafts").unlink()
    os.symlink("../drafts/vision-draft.md", policies / "drafts")
    cached = pptoolkit("check", root, *AS_OF)
    uncached = pptoolkit("check", root, "--no-cache", *AS_OF)
    assert (cached.returncode, cached.stdout) == (uncached.returncode, uncached.stdout)
    assert "policies/gone.md:1:1: PP109" not in cached.stdout
    assert "policies/drafts:1:1: PP109" not in cached.stdout
