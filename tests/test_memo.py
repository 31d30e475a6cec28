"""The memo of ``pptoolkit check``: the last output written again only while nothing the check read has changed.

A check with the cache keeps its output beside its trace (every status, real path and folder listing it took,
and the answers the cache remembered about each text); a re-check writes that output again when the trace
still holds, or when a changed file's answers are the same, and checks in full otherwise. The first test
holds the trace to what a check really reads: every file a check opens and every folder it lists, as
Python's audit hooks see them, must be in it, so that a rule that reads something new cannot escape it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder, artifact_text

import pptoolkit
from pptoolkit import cli as cli_module
from pptoolkit.checking.checker import check
from pptoolkit.checking.memo import OUTPUT_FILE, TRACE_FILE, CheckOptions, memo_for
from pptoolkit.cli import cli
from pptoolkit.i18n import use_language
from pptoolkit.loading import cache as cache_module
from pptoolkit.loading.cache import answer_key, cache_folder
from pptoolkit.model.settings import load_settings
from pptoolkit.reading.trace import ANSWERS, DIGEST, input_again

SETTLED_NS = 50_000_000
"""The cache's margin for files changed just before a check, shortened here so that tests need not wait 2 s."""

SAMPLE_PARTS = ("mkdocs.yml", "content", "policies", "checks", "evidence")


@pytest.fixture(autouse=True)
def _a_shorter_clock_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", SETTLED_NS)


def settle() -> None:
    """Wait until every file written so far is older than the cache's margin (see ``SETTLED_NS``)."""
    time.sleep(2 * SETTLED_NS / 1e9)


# What a check opens and lists, as Python's audit hooks report it -------------------------------------------------

_seen: list[tuple[str, str]] | None = None


def _audit(event: str, arguments: tuple[Any, ...]) -> None:
    if _seen is None or event not in ("open", "os.scandir", "os.listdir") or not arguments:
        return
    path = arguments[0]
    if isinstance(path, (str, bytes, os.PathLike)):
        _seen.append((event, os.path.abspath(os.fsdecode(path))))


sys.addaudithook(_audit)  # for the whole session (a hook cannot be removed): it records only inside ``seen``


@contextlib.contextmanager
def seen() -> Iterator[list[tuple[str, str]]]:
    """Every file opened and folder listed inside the block."""
    global _seen
    _seen = []
    try:
        yield _seen
    finally:
        _seen = None


def not_the_checkers_own(path: str, cache: Path) -> bool:
    """False for what the checker reads to run (Python, its libraries, its own code and catalogs) and its cache."""
    own = (sys.prefix, sys.base_prefix, str(Path(pptoolkit.__file__).parent), str(cache), "/dev/", "/proc/")
    return not path.startswith(own) and "__pycache__" not in path and not path.endswith((".pyc", ".py"))


def traced_paths(folder: Path) -> set[str]:
    """Every path the memo's trace holds: each operation's and each file whose text the cache knows."""
    paths = set()
    with (folder / TRACE_FILE).open("rb") as handle:
        handle.readline()
        for line in handle:
            for kind, name, _value in orjson.loads(line):
                paths.add(name[1:] if kind == "o" else name)
    return paths


def copy_sample(root: Path) -> None:
    root.mkdir()
    for part in SAMPLE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, symlinks=True)
        else:
            shutil.copy2(source, root / part)


def generate(root: Path, count: int) -> None:
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(root, count)


def traced_check(root: Path) -> list[tuple[str, str]]:
    """Check ``root`` as ``pptoolkit check`` does with its cache, keep its memo; what it opened and listed."""
    memo = memo_for(root, CheckOptions("json", TODAY, None))
    assert memo is not None
    with seen() as opened:
        result = check(root, TODAY, memo.settings, use_cache=True, trace=memo.trace)
    memo.output(b"{}")
    memo.keep(result.exit_code)
    return opened


@pytest.mark.parametrize("playbook", ["sample", "generated"])
def test_every_file_a_check_opens_and_every_folder_it_lists_is_in_its_trace(tmp_path: Path, playbook: str) -> None:
    root = tmp_path / "playbook"
    if playbook == "sample":
        copy_sample(root)
        (root / "policies/linked.md").symlink_to("designing/vision.md")  # an artifact reached through a link
        (root / "content/linked").symlink_to("../evidence", target_is_directory=True)
    else:
        generate(root, 40)
    root = root.resolve()
    folder = cache_folder(root)
    # Cold (every file read), then again (most answers from the cache, the publication's decisions recalled).
    for run in ("cold", "warm"):
        opened = traced_check(root)
        traced = traced_paths(folder)
        ours = [(event, path) for event, path in opened if not_the_checkers_own(path, folder)]
        assert any(path.startswith(str(root / "policies")) for _, path in ours), "the audit hook saw the check"
        missing = sorted({f"{event} {path}" for event, path in ours if path not in traced})
        assert not missing, f"the {run} check read what its trace does not hold: {missing[:10]}"


def test_the_cache_keys_the_trace_holds_are_the_caches_own(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    copy_sample(root)
    traced_check(root)
    settings = load_settings(root)
    with use_language(settings.default_language):  # the cache's fingerprint holds the language of its messages
        cache = cache_module.open_cache(root, settings)
    try:
        with (cache_folder(root) / TRACE_FILE).open("rb") as handle:
            handle.readline()
            texts = [value for line in handle for kind, _, value in orjson.loads(line) if kind == "t"]
        answers = [(text, answer) for text in texts for answer in zip(*[iter(text[ANSWERS])] * 4, strict=True)]
        assert len(answers) > 50
        for text, (_, name, inputs, key) in answers:
            arguments = tuple(input_again(value, settings.limits) for value in inputs)
            assert answer_key(name, arguments, bytes.fromhex(text[DIGEST])) == bytes.fromhex(key)
            assert bytes.fromhex(key) in cache.saved, "the trace names an answer the cache keeps"
    finally:
        cache.close()


# The command: its memo written again, or a full check -------------------------------------------------------------


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The playbooks checked in full by ``pptoolkit check`` with its cache (a memo written again checks nothing)."""
    checked: list[Path] = []

    def counted(root: Path, *arguments: Any, **options: Any) -> Any:
        if options.get("use_cache"):  # not the checks of --no-cache that the tests compare with
            checked.append(root)
        return check(root, *arguments, **options)

    monkeypatch.setattr(cli_module, "check", counted)
    yield checked


def pptoolkit_check(root: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["check", str(root), "--today", TODAY.isoformat(), *options])


def same_as_without_the_cache(root: Path, answer: Result, *options: str) -> None:
    fresh = pptoolkit_check(root, "--no-cache", *options)
    assert (answer.exit_code, answer.stdout_bytes) == (fresh.exit_code, fresh.stdout_bytes)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    copy_sample(root)
    settle()
    return root


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A generated playbook of 20 artifacts (no translations: an original's whole text is its translation's)."""
    root = tmp_path / "generated"
    generate(root, 20)
    settle()
    return root


def an_artifact(root: Path) -> Path:
    return sorted((root / "policies").rglob("*.md"))[7]


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_an_edit_that_changes_no_answer_writes_the_last_output_again_reading_only_the_edited_file(
    generated: Path, checks: list[Path]
) -> None:
    sample = generated
    first = pptoolkit_check(sample, "--format", "json")
    assert checks == [sample]
    settle()
    edited = an_artifact(sample)
    append(edited, "\nA paragraph added at the end, which no rule reports on.\n")  # the benchmark's edit
    with seen() as opened:
        again = pptoolkit_check(sample, "--format", "json")
    assert checks == [sample], "the memo's output was written again, without a check"
    assert (again.exit_code, again.stdout_bytes) == (first.exit_code, first.stdout_bytes)
    read = {path for event, path in opened if event == "open" and path.startswith(str(sample))}
    assert read == {str(edited), str(sample / "mkdocs.yml")}, "only the edited file is read again, and the settings"
    same_as_without_the_cache(sample, again, "--format", "json")
    settle()
    append(edited, "Another one.\n")  # the memo took the first edit in: known by its new status
    assert pptoolkit_check(sample, "--format", "json").stdout_bytes == first.stdout_bytes
    assert checks == [sample]


def test_an_edit_that_changes_what_a_rule_reports_runs_the_whole_check(generated: Path, checks: list[Path]) -> None:
    sample = generated
    pptoolkit_check(sample)
    settle()
    edited = an_artifact(sample)
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n## ", "\n\n\n## ", 1), encoding="utf-8")
    shifted = pptoolkit_check(sample)
    assert checks == [sample, sample], "a heading moved: its line is part of the answers"
    same_as_without_the_cache(sample, shifted)
    settle()
    append(edited, "\nJoindre au 514-555-0199 (fictif).\n")
    found = pptoolkit_check(sample)
    assert len(checks) == 3 and found.exit_code == 1 and edited.name in found.stdout
    same_as_without_the_cache(sample, found)


@pytest.mark.parametrize("reading", ["plain", "careful"])
def test_keys_moved_in_a_front_matter_whose_positions_a_finding_gave_run_the_whole_check(
    generated: Path, checks: list[Path], reading: str
) -> None:
    # An owner that is no role: PP302 is found by a rule that spans files, at the line of the key ``owner``. An alias
    # makes the front matter read the careful way, event by event, which finds the positions as the file is read
    # (within its answer, whose record keeps none of them); plain front matter has its positions found again from
    # the text when a finding asks for them.
    edited = an_artifact(generated)
    lines = edited.read_text(encoding="utf-8").split("\n")

    def line_of(key: str) -> int:
        return lines.index(next(line for line in lines if line.startswith(f"{key}: ")))

    lines[line_of("owner")] = unknown = "owner: nobody-here"
    if reading == "careful":  # the review is due the day of the approval: the same date, written once
        lines[line_of("approved_on")] = lines[line_of("approved_on")].replace(": ", ": &day ")
        lines[line_of("review_by")] = "review_by: *day"
    edited.write_text("\n".join(lines), encoding="utf-8")
    settle()
    first = pptoolkit_check(generated)
    assert f"{edited.name}:" in first.stdout and "PP302" in first.stdout
    settle()
    lines = edited.read_text(encoding="utf-8").split("\n")
    at = lines.index(unknown)
    lines[1], lines[at] = lines[at], lines[1]  # the owner moved up: the same model, the same body, other lines
    edited.write_text("\n".join(lines), encoding="utf-8")
    settle()
    moved = pptoolkit_check(generated)
    assert len(checks) == 2, "the positions the finding gave are no remembered answer: a full check"
    same_as_without_the_cache(generated, moved)
    assert moved.stdout != first.stdout


def settle_for_a_process() -> None:
    """Wait until every file written so far is older than the margin of a check in a process of its own (2 s)."""
    time.sleep(2.1)


def run_pptoolkit(root: Path, cache: Path, *options: str, encoding: str = "utf-8") -> tuple[int, bytes, bytes]:
    """``pptoolkit check`` in a process of its own, its standard output in ``encoding``: exit code, output, errors."""
    environment = {**os.environ, "PYTHONIOENCODING": encoding, "PPTOOLKIT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "pptoolkit", "check", str(root), "--today", TODAY.isoformat(), *options]
    done = subprocess.run(command, capture_output=True, env=environment, check=False, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("encoding", "output_format"),
    [("ascii", "text"), ("ascii:replace", "text"), ("utf-8-sig", "json"), ("utf-16", "text")],
)
def test_a_standard_output_that_does_not_write_utf8_keeps_no_memo_and_says_what_it_says_without(
    sample: Path, tmp_path: Path, encoding: str, output_format: str
) -> None:
    # Click writes the report's French as UTF-8 to an ASCII stream, whatever its error handler; UTF-8 with a byte
    # order mark and UTF-16 start with bytes of their own. A memo keeps none of these: the next check is a full one.
    cache = tmp_path / "cache"
    settle_for_a_process()
    fresh = run_pptoolkit(sample, cache, "--no-cache", "--format", output_format, encoding=encoding)
    assert fresh[0] in (0, 1) and fresh[1]
    for _ in range(2):
        assert run_pptoolkit(sample, cache, "--format", output_format, encoding=encoding) == fresh


def test_a_standard_output_without_bytes_beneath_keeps_no_memo(sample: Path) -> None:
    # A program that calls the command with its standard output in a StringIO (an IDE's console has none either).
    def check_into_a_string() -> str:
        written = io.StringIO()
        with contextlib.redirect_stdout(written), pytest.raises(SystemExit):
            cli.main(["check", str(sample), "--today", TODAY.isoformat()], prog_name="pptoolkit")
        return written.getvalue()

    first = check_into_a_string()
    settle()
    assert check_into_a_string() == first != ""


def test_a_new_file_a_setting_or_another_option_runs_the_whole_check(sample: Path, checks: list[Path]) -> None:
    pptoolkit_check(sample)
    settle()
    pptoolkit_check(sample)
    assert len(checks) == 1
    for options in (["--format", "json"], ["--lang", "en"], ["--today", "2027-06-01"]):
        answer = pptoolkit_check(sample, *options)
        same_as_without_the_cache(sample, answer, *options)
    assert len(checks) == 4
    (sample / "evidence/new.md").write_text("# A new evidence file\n", encoding="utf-8")
    same_as_without_the_cache(sample, pptoolkit_check(sample))
    assert len(checks) == 5, "a folder listed by the check has a new entry"
    config = sample / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    same_as_without_the_cache(sample, pptoolkit_check(sample))
    assert len(checks) == 6


def test_a_memo_that_is_garbled_or_does_not_match_its_output_is_a_full_check(sample: Path, checks: list[Path]) -> None:
    first = pptoolkit_check(sample)
    settle()
    folder = cache_folder(sample)
    trace = (folder / TRACE_FILE).read_bytes()
    (folder / OUTPUT_FILE).write_bytes(
        b"pptoolkit-memo-output 0123\nNo problems found, says a memo of another check.\n"
    )
    assert pptoolkit_check(sample).stdout_bytes == first.stdout_bytes
    assert len(checks) == 2
    for garbled in (trace[:-20], trace.replace(b'"o"', b'"x"', 1), b"pptoolkit-memo 1\n", trace + b"[1,2]\n"):
        (folder / TRACE_FILE).write_bytes(garbled)
        assert pptoolkit_check(sample).stdout_bytes == first.stdout_bytes
    assert len(checks) == 6


def test_github_annotations_with_a_step_summary_are_checked_every_time(
    sample: Path, checks: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pptoolkit_check(sample, "--format", "github")
    settle()
    pptoolkit_check(sample, "--format", "github")
    assert len(checks) == 2
    once = summary.read_text(encoding="utf-8")
    assert once and summary.read_text(encoding="utf-8") == once[: len(once) // 2] * 2


def test_a_check_that_tightens_the_baseline_keeps_no_memo(playbook: PlaybookBuilder, checks: list[Path]) -> None:
    playbook.write("policies/vision.md", artifact_text(implements=["D1"]))
    playbook.write("checks/baseline.yml", "practices:\n  D1: missing\n")
    pptoolkit_check(playbook.root)
    assert "D1" not in (playbook.root / "checks/baseline.yml").read_text(encoding="utf-8")
    assert not (cache_folder(playbook.root) / TRACE_FILE).exists()
    settle()
    pptoolkit_check(playbook.root)
    assert len(checks) == 2


def test_the_memo_is_the_playbooks_own(sample: Path, tmp_path: Path, checks: list[Path]) -> None:
    other = tmp_path / "other"
    copy_sample(other)
    (other / "policies/designing/vision.md").unlink()
    pptoolkit_check(sample)
    settle()
    same_as_without_the_cache(other, pptoolkit_check(other))
    assert checks == [sample, other]
    assert date.today()  # the real date is never the memo's: --today is given


def test_a_memo_in_a_cache_folder_copied_from_another_playbook_is_not_written_again(
    sample: Path, tmp_path: Path, checks: list[Path]
) -> None:
    other = tmp_path / "other"
    copy_sample(other)
    append(other / "policies/designing/vision.md", "\nJoindre au 514-555-0199 (fictif).\n")
    settle()
    pptoolkit_check(other)
    shutil.rmtree(cache_folder(sample.resolve()), ignore_errors=True)
    shutil.copytree(cache_folder(other.resolve()), cache_folder(sample.resolve()))
    same_as_without_the_cache(sample, pptoolkit_check(sample))
    assert checks == [other, sample]


@pytest.mark.slow
def test_a_trace_that_names_a_file_outside_the_playbook_is_never_read(sample: Path, tmp_path: Path) -> None:
    # A trace written by someone else: its first text is now a FIFO outside the playbook, its status unknown. A check
    # that opened it would wait for a writer forever; it must neither open it nor trust the memo.
    cache = tmp_path / "cache"
    settle_for_a_process()
    fresh = run_pptoolkit(sample, cache, "--no-cache")
    assert run_pptoolkit(sample, cache) == fresh
    assert run_pptoolkit(sample, cache) == fresh  # written again from the memo, whose trace holds
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    trace = next(cache.rglob(TRACE_FILE))
    header, *lines = trace.read_bytes().splitlines(keepends=True)
    rewritten, done = [], False
    for line in lines:
        entries = orjson.loads(line)
        for entry in entries:
            if entry[0] == "t" and not done:
                entry[1], entry[2][0], done = str(fifo), None, True
        rewritten.append(orjson.dumps(entries) + b"\n")
    assert done, "the trace names a text"
    trace.write_bytes(header + b"".join(rewritten))
    assert run_pptoolkit(sample, cache) == fresh
