"""The check's cache: answers reused while a file's content is the same, never a stale one, never code.

A check that uses the cache must report exactly what a check without it reports,
whatever changed since the last check: a file's content, a file added or removed,
the settings, or the cache file itself; and a cache file, whatever it holds, is
read as data or ignored, quickly.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import Result, check
from pptoolkit.i18n import use_language
from pptoolkit.loading import cache as cache_module
from pptoolkit.loading.cache import FILE, SHORT_RECORD, Cache, _json, cache_folder, open_cache
from pptoolkit.model.settings import load_settings


def report(result: Result) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.code, d.message) for d in result.diagnostics]


def cached_and_fresh(root: Path) -> tuple[Result, Result]:
    return check(root, TODAY, use_cache=True), check(root, TODAY)


@pytest.fixture
def valid(small_playbook: PlaybookBuilder) -> PlaybookBuilder:
    small_playbook.write("policies/vision.md", artifact_text())
    small_playbook.write("policies/other.md", artifact_text(id="other", title="Other"))
    return small_playbook


def test_a_second_check_reuses_every_answer(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    cache = open_cache(valid.root, load_settings(valid.root))
    assert cache.saved, "the first check saved its answers"
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_a_changed_file_is_read_again(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    valid.write("policies/vision.md", artifact_text(owner="nobody-known"))
    cached, fresh = cached_and_fresh(valid.root)
    assert "PP302" in [d.code for d in cached.diagnostics]
    assert report(cached) == report(fresh)


def test_a_file_changed_back_and_forth_gives_the_answer_for_its_content(valid: PlaybookBuilder) -> None:
    original = (valid.root / "policies/vision.md").read_text(encoding="utf-8")
    check(valid.root, TODAY, use_cache=True)
    valid.write("policies/vision.md", original.replace("id: vision", "id: other"))
    assert "PP205" in [d.code for d in check(valid.root, TODAY, use_cache=True).diagnostics]
    valid.write("policies/vision.md", original)
    cached, fresh = cached_and_fresh(valid.root)
    assert "PP205" not in [d.code for d in cached.diagnostics]
    assert report(cached) == report(fresh)


def test_the_same_text_under_another_name_is_reported_under_that_name(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    (valid.root / "policies/vision.md").rename(valid.root / "policies/renamed.md")
    valid.write("policies/broken.md", "---\nid: [\n---\n")
    cached, fresh = cached_and_fresh(valid.root)
    assert {d.path for d in cached.diagnostics if d.path.startswith("policies/")} == {"policies/broken.md"}
    assert [a.path for a in cached.playbook.artifacts] == ["policies/other.md", "policies/renamed.md"]
    assert report(cached) == report(fresh)


def test_positions_of_a_cached_artifact_are_found_on_demand(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    valid.write("checks/roles.yml", "roles:\n  - id: someone-else\n    title: Someone\n    level: top\n")
    cached, fresh = cached_and_fresh(valid.root)
    assert [(d.line, d.column) for d in cached.diagnostics if d.code == "PP302"] == [(5, 1), (5, 1)]
    assert report(cached) == report(fresh)


def test_changed_settings_throw_the_cache_away(valid: PlaybookBuilder) -> None:
    valid.write("policies/vision.md", artifact_text(body="# Vision\n\nWrite to advisors@example.org.\n"))
    assert "PP702" in [d.code for d in check(valid.root, TODAY, use_cache=True).diagnostics]
    valid.write(
        "mkdocs.yml",
        "site_name: Test\nplugins:\n  - pptoolkit:\n      privacy:\n        allowed_contacts: [advisors@example.org]\n",
    )
    cached, fresh = cached_and_fresh(valid.root)
    assert "PP702" not in [d.code for d in cached.diagnostics]
    assert report(cached) == report(fresh)


def test_a_cache_file_of_another_checker_is_ignored(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    file = cache_folder(valid.root) / FILE
    data = bytearray(file.read_bytes())
    data[40] ^= 0x01  # another fingerprint: another checker, library or settings
    file.write_bytes(bytes(data))
    assert open_cache(valid.root, load_settings(valid.root)).saved == {}
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_a_garbled_cache_file_is_ignored(valid: PlaybookBuilder) -> None:
    file = cache_folder(valid.root) / FILE
    file.parent.mkdir(parents=True)
    file.write_bytes(os.urandom(100))
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_the_cache_keeps_only_what_the_last_check_used(valid: PlaybookBuilder) -> None:
    # Every file settled before each check, so that each check records every file's status: a file changed
    # just before a check is left out of it (see `aged`), which made the count depend on the machine's load.
    aged(valid.root)
    check(valid.root, TODAY, use_cache=True)
    before = len(open_cache(valid.root, load_settings(valid.root)).saved)
    for version in range(3):
        valid.write("policies/vision.md", artifact_text(title=f"Vision {version}"))
        aged(valid.root)
        check(valid.root, TODAY, use_cache=True)
    assert len(open_cache(valid.root, load_settings(valid.root)).saved) == before


def test_by_default_the_cache_lives_in_the_users_cache_folder_never_in_the_playbook(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A pull request can add any file to a playbook, but not to the cache folder of the user who checks it."""
    monkeypatch.delenv("PPTOOLKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    check(valid.root, TODAY, use_cache=True)
    playbook = hashlib.sha256(str(valid.root.resolve()).encode()).hexdigest()
    assert (tmp_path / "home" / "pptoolkit" / playbook / FILE).is_file()
    assert not (valid.root / ".cache").exists()


def test_a_playbook_that_cannot_be_written_to_is_still_checked(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PPTOOLKIT_CACHE_DIR", str(valid.root / "policies/vision.md/not-a-folder"))
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_an_answer_is_computed_once_per_distinct_input() -> None:
    calls: list[str] = []

    def upper(text: str, suffix: str) -> str:
        calls.append(text)
        return text.upper() + suffix

    cache = Cache()
    assert [cache.remember(upper, "a", "!"), cache.remember(upper, "a", "!"), cache.remember(upper, "a", "?")] == [
        "A!",
        "A!",
        "A?",
    ]
    assert calls == ["a", "a"]


def test_a_relative_xdg_cache_home_is_ignored(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A relative XDG_CACHE_HOME could point into a playbook, where a cache file could be committed."""
    monkeypatch.delenv("PPTOOLKIT_CACHE_DIR")
    monkeypatch.chdir(valid.root)
    monkeypatch.setenv("XDG_CACHE_HOME", "keys")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    check(valid.root, TODAY, use_cache=True)
    assert not (valid.root / "keys").exists()
    assert list((tmp_path / "home/.cache/pptoolkit").glob(f"*/{FILE}"))


def test_a_symbolic_link_at_cache_is_never_followed(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PPTOOLKIT_CACHE_DIR")
    outside = tmp_path / "outside"
    outside.mkdir()
    (valid.root / ".cache").symlink_to(outside)
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))
    assert list(outside.iterdir()) == []


class _Planted:
    """Unpickling this object runs code: it writes a file (what an attacker's pickle would do, and worse)."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.write_text, (self.sentinel, "code ran"))


def test_a_cache_file_never_runs_code(valid: PlaybookBuilder, tmp_path: Path) -> None:
    check(valid.root, TODAY, use_cache=True)
    file = cache_folder(valid.root) / FILE
    header, *records = file.read_bytes().split(b"\n")
    payload = pickle.dumps(_Planted(tmp_path / "sentinel"))
    planted = [line.split(b"\t", 1)[0] + b"\t" + payload.replace(b"\n", b" ") for line in records if line]
    file.write_bytes(b"\n".join([header, *planted, b""]))
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))
    assert not (tmp_path / "sentinel").exists()


def check_in_a_subprocess(root: Path) -> subprocess.CompletedProcess[str]:
    """``pptoolkit check ROOT`` with the cache, in a subprocess that must finish within a minute."""
    command = [sys.executable, "-m", "pptoolkit", "check", str(root), "--today", TODAY.isoformat()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_a_check_whose_output_is_cut_short_still_keeps_its_cache(valid: PlaybookBuilder) -> None:
    """``pptoolkit check | head`` (a reader that stops early, a pager quit): the next check still reuses the work."""
    command = [sys.executable, "-m", "pptoolkit", "check", str(valid.root), "--today", TODAY.isoformat()]
    with subprocess.Popen([*command, "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before the report is written
        assert process.wait(timeout=60) != 0  # the output is lost, and said so
    cache = open_cache(valid.root, load_settings(valid.root))
    assert any(isinstance(stored, tuple) for stored in cache.saved.values()), "the artifacts' models are kept"
    cache.close()
    assert not list(cache_folder(valid.root).glob(".*.tmp")), "no temporary file left behind"


@pytest.mark.parametrize("kind", ["a link to /dev/zero", "a FIFO", "a folder", "truncated", "too large"])
def test_a_cache_file_that_is_not_a_whole_regular_file_is_ignored_quickly(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Reading /dev/zero would exhaust memory, and a FIFO would wait forever for a writer."""
    fresh = check_in_a_subprocess(valid.root)
    file = cache_folder(valid.root) / FILE
    written = file.read_bytes()
    file.unlink()
    if kind == "a link to /dev/zero":
        file.symlink_to("/dev/zero")
    elif kind == "a FIFO":
        os.mkfifo(file)
    elif kind == "a folder":
        file.mkdir()
    elif kind == "truncated":
        file.write_bytes(written[: len(written) // 2])
    else:
        file.write_bytes(written)
        monkeypatch.setattr("pptoolkit.loading.cache.MAX_CACHE_BYTES", len(written) - 1)
        assert open_cache(valid.root, load_settings(valid.root)).saved == {}
    assert open_cache(valid.root, load_settings(valid.root)).saved == {}
    cached = check_in_a_subprocess(valid.root)
    assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout)


def test_a_cached_artifact_is_the_artifact_a_fresh_check_loads() -> None:
    """The sample's artifacts, read back from the cache: the same models, structure and key positions."""
    check(REPO_ROOT, TODAY, use_cache=True)
    settings = load_settings(REPO_ROOT)
    with use_language(settings.default_language):  # the check spoke the sample's language, French: its cache
        assert open_cache(REPO_ROOT, settings).saved
    cached, fresh = cached_and_fresh(REPO_ROOT)
    assert len(cached.playbook.artifacts) == len(fresh.playbook.artifacts) > 10
    for again, first in zip(cached.playbook.artifacts, fresh.playbook.artifacts, strict=True):
        assert again.model == first.model
        assert again.model.model_fields_set == first.model.model_fields_set  # what the file gave, not the defaults
        assert again.document.text == first.document.text
        assert (again.document.headings, again.document.html, again.document.links) == (
            first.document.headings,
            first.document.html,
            first.document.links,
        )
        assert again.document.front_matter.start == first.document.front_matter.start
        assert again.document.front_matter.positions == first.document.front_matter.positions
    assert report(cached) == report(fresh)


def test_a_cached_artifact_keeps_its_numbers_even_an_infinite_one(valid: PlaybookBuilder) -> None:
    """A number the file gives is the number restored: ``.inf`` too (a JSON writer's default writes it as null)."""
    values = [".inf", "1e300", "0.1", "27"]
    indicators = ", ".join(
        f"{{id: i{n}, name: N{n}, definition: D, unit: u, period: p, value: {value}}}" for n, value in enumerate(values)
    )
    valid.write("policies/indicators.md", artifact_text("indicators", indicators=f"[{indicators}]"))
    check(valid.root, TODAY, use_cache=True)
    cached, fresh = cached_and_fresh(valid.root)
    restored: Any = {loaded.model.id: loaded.model for loaded in cached.playbook.artifacts}["indicators"]
    assert [indicator.value for indicator in restored.indicators] == [float("inf"), 1e300, 0.1, 27]
    assert [loaded.model for loaded in cached.playbook.artifacts] == [one.model for one in fresh.playbook.artifacts]
    assert report(cached) == report(fresh)


def test_a_cache_file_changed_in_place_during_a_check_gives_no_stale_answer(valid: PlaybookBuilder) -> None:
    """Long records stay in the file until asked for: if the file is overwritten meanwhile, they are computed again."""
    from pptoolkit.checking.checker import check_playbook
    from pptoolkit.loading.playbook import load_playbook

    check(valid.root, TODAY, use_cache=True)
    cache = open_cache(valid.root, load_settings(valid.root))
    assert any(isinstance(stored, tuple) for stored in cache.saved.values()), "an artifact's record is left in the file"
    file = cache_folder(valid.root) / FILE
    with file.open("r+b") as handle:  # the same file, garbled where the records are
        handle.seek(len(file.read_bytes()) // 2)
        handle.write(b"\n" * 200)
    cached = check_playbook(load_playbook(valid.root, cache=cache), TODAY)
    assert cache.misses > 0
    assert report(cached) == report(check(valid.root, TODAY))
    cache.close()


def test_a_cache_file_changed_in_place_before_it_is_saved_again_is_copied_only_where_it_reads_whole(
    valid: PlaybookBuilder,
) -> None:
    """The long records a check kept are copied from the old file when the cache is saved, a run at a time: a run
    that no longer reads as indexed is copied record by record, and a record no longer whole is left out."""
    from pptoolkit.checking.checker import check_playbook, save_cache
    from pptoolkit.loading.playbook import load_playbook

    check(valid.root, TODAY, use_cache=True)
    valid.write("policies/vision.md", artifact_text(title="Vision, edited"))  # so that the cache is saved again
    cache = open_cache(valid.root, load_settings(valid.root))
    check_playbook(load_playbook(valid.root, cache=cache), TODAY)
    [(offset, length)] = [
        stored
        for stored in cache.saved.values()
        if isinstance(stored, tuple) and b'"id":"other"' in cache.record(stored)
    ]
    with (cache_folder(valid.root) / FILE).open("r+b") as handle:  # the same file, the other artifact's record garbled
        handle.seek(offset + length // 2)
        handle.write(b"\n" * 20)
    save_cache(valid.root, cache)
    saved = open_cache(valid.root, load_settings(valid.root))
    assert saved.saved, "the file written reads whole"
    assert not any(isinstance(stored, tuple) and b"\n" in saved.record(stored) for stored in saved.saved.values())
    saved.close()
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_long_records_read_ahead_are_the_records_indexed(small_playbook: PlaybookBuilder) -> None:
    """Long records asked for in the file's order are read ahead with the ones that follow; in any order, each is
    the record its key indexes, and one changed in place since is refused (computed again), never taken as it was."""
    for number in range(12):
        small_playbook.write(f"policies/p{number}.md", artifact_text(id=f"p{number}", title=f"Policy {number}"))
    check(small_playbook.root, TODAY, use_cache=True)
    data = (cache_folder(small_playbook.root) / FILE).read_bytes()
    cache = open_cache(small_playbook.root, load_settings(small_playbook.root))
    stored = sorted(entry for entry in cache.saved.values() if isinstance(entry, tuple))
    assert len(stored) >= 12
    for order in (stored, stored[::-1], stored[::2] + stored[1::2]):
        assert [cache.record(entry) for entry in order] == [data[o : o + n] for o, n in order]
    cache.close()
    cache = open_cache(small_playbook.root, load_settings(small_playbook.root))
    offset, length = stored[5]
    with (cache_folder(small_playbook.root) / FILE).open("r+b") as handle:  # changed after it was indexed
        handle.seek(offset + length // 2)
        handle.write(b"\n")
    assert [cache.record(entry) for entry in stored[3:5]] == [data[o : o + n] for o, n in stored[3:5]]
    with pytest.raises(OSError):  # read ahead with the record before it, from the file as it is now
        cache.record(stored[5])
    cache.close()


def test_the_cache_keeps_no_long_record_in_memory(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    cache = open_cache(valid.root, load_settings(valid.root))
    assert all(isinstance(stored, tuple) or len(stored) <= SHORT_RECORD for stored in cache.saved.values())
    cache.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd to count open files")
def test_a_check_with_the_cache_leaves_no_file_open(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    before = len(os.listdir("/proc/self/fd"))
    valid.write("policies/vision.md", artifact_text(title="Vision again"))
    check(valid.root, TODAY, use_cache=True)
    check(valid.root, TODAY, use_cache=True)  # nothing changed: nothing written, the file closed all the same
    assert len(os.listdir("/proc/self/fd")) == before


def test_models_that_share_their_set_of_given_fields_still_answer_each_for_itself() -> None:
    """Loaded models share one set of given field names per distinct set (memory); each still says its own."""
    cached, fresh = check(REPO_ROOT, TODAY, use_cache=True), check(REPO_ROOT, TODAY)
    models = [loaded.model for loaded in (*cached.playbook.artifacts, *fresh.playbook.artifacts)]
    for model in models:
        given = type(model).model_validate(model.model_dump(exclude_unset=True)).model_fields_set
        assert model.model_fields_set == given
    first, second, unset = next(
        (a, b, name)
        for a in models
        for b in models
        if a is not b and a.model_fields_set is b.model_fields_set
        for name in type(a).model_fields
        if name not in a.model_fields_set
    )
    before = set(second.model_fields_set)
    changed = first.model_copy(update={unset: getattr(first, unset)})
    assert unset in changed.model_fields_set
    assert second.model_fields_set == before


# A manifest of each file's status: an unchanged file costs a stat, never a stale answer -------------------------


SETTLED_NS = 100_000_000
"""The checks of these tests take a file changed this long before them as known (a check's own margin is 2 s).

A tenth of a second is still ten times the step of the coarse clock that stamps a file's times (a jiffy)."""


@pytest.fixture(autouse=True)
def _a_shorter_clock_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file is settled a tenth of a second after its last change here, so that :func:`aged` waits no longer."""
    monkeypatch.setattr(cache_module, "RACY_NS", SETTLED_NS)


def aged(root: Path, seconds: int = 60) -> None:
    """Date every file of the playbook ``seconds`` back, as files are that were not edited just before a check.

    The change time cannot be set back: the files are left until it, too, is older than a check's margin.
    """
    then = time.time_ns() - seconds * 1_000_000_000
    changed = 0
    for file in root.rglob("*"):
        if file.is_file():
            os.utime(file, ns=(then, then))
            changed = max(changed, file.stat().st_ctime_ns)
    while (wait := changed + SETTLED_NS + 20_000_000 - time.time_ns()) > 0:
        time.sleep(wait / 1e9)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file whose text the checker reads, as it opens it."""
    import pptoolkit.reading.documents as documents

    names: list[str] = []

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(os.fspath(file))
        return open(file, *args, **kwargs)

    monkeypatch.setattr(documents, "open", recording_open, raising=False)
    return names


@pytest.fixture
def published(valid: PlaybookBuilder) -> PlaybookBuilder:
    """``valid``, with a content page and dated a minute back."""
    valid.write("docs/about.md", "# About\n\nA page of the site (fictitious).\n")
    aged(valid.root)
    return valid


def texts_read(opened: list[str], root: Path) -> set[str]:
    resolved = str(root.resolve())
    return {Path(name).relative_to(resolved).as_posix() for name in opened if name.startswith(resolved)}


def test_an_unchanged_file_is_not_read_again_and_the_answer_is_the_same(
    published: PlaybookBuilder, opened: list[str]
) -> None:
    check(published.root, TODAY, use_cache=True)
    opened.clear()
    cached = check(published.root, TODAY, use_cache=True)
    assert not {"policies/vision.md", "policies/other.md", "evidence/minutes.md", "docs/about.md"} & texts_read(
        opened, published.root
    )
    assert report(cached) == report(check(published.root, TODAY))


def test_an_edit_of_the_same_size_with_the_same_modification_time_is_seen(
    published: PlaybookBuilder, opened: list[str]
) -> None:
    """A file edited in the same second, to the same size, and its modification time set back: its change time tells."""
    check(published.root, TODAY, use_cache=True)
    for relative, old, new in (
        ("policies/vision.md", "owner: director-general", "owner: director-generax"),
        ("docs/about.md", "A page of the site", "Call 514-555-0199 "),
    ):
        file = published.root / relative
        status = file.stat()
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns))
        assert (file.stat().st_size, file.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    cached, fresh = cached_and_fresh(published.root)
    assert {"PP302", "PP703"} <= {d.code for d in cached.diagnostics}
    assert report(cached) == report(fresh)


def test_an_edit_of_the_file_an_artifact_links_to_is_seen(published: PlaybookBuilder) -> None:
    """An artifact that is a symbolic link is known by its file's status, never the link's, which an edit of the file
    leaves as it was (the manifest takes a status from the loading loop's ``lstat`` only for a file that is no link)."""
    root = published.root
    published.write("drafts/vision.md", artifact_text(id="shared", title="Shared"))
    (root / "policies/shared.md").symlink_to("../drafts/vision.md")
    aged(root)
    first = report(check(root, TODAY, use_cache=True))
    published.write("drafts/vision.md", artifact_text(id="shared", title="Shared", owner="nobody"))
    aged(root)
    cached, fresh = cached_and_fresh(root)
    assert report(cached) == report(fresh) != first


def test_a_file_modified_just_before_a_check_is_read_again_by_the_next(
    published: PlaybookBuilder, opened: list[str]
) -> None:
    """Git's "racily clean" entries: a file dated within the clock step of a check could change unseen after it."""
    published.write("policies/vision.md", artifact_text(title="Vision, just edited"))
    check(published.root, TODAY, use_cache=True)
    opened.clear()
    check(published.root, TODAY, use_cache=True)
    assert texts_read(opened, published.root) & {"policies/vision.md", "policies/other.md"} == {"policies/vision.md"}


def test_a_file_edited_just_before_a_check_and_dated_back_is_read_again_by_the_next(
    published: PlaybookBuilder, opened: list[str]
) -> None:
    """``touch -d`` after an edit sets the modification time back, not the change time: that one is the edit's.

    A second edit of the same size, dated back the same way in the same clock tick, would leave the status
    that a check recorded unchanged: so neither the file's text nor the publication's decision is kept.
    """
    for relative in ("policies/vision.md", "evidence/minutes.md"):
        file = published.root / relative
        file.write_text(file.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        then = time.time_ns() - 60 * 1_000_000_000
        os.utime(file, ns=(then, then))
    check(published.root, TODAY, use_cache=True)
    opened.clear()
    check(published.root, TODAY, use_cache=True)
    read = texts_read(opened, published.root)
    assert read & {"policies/vision.md", "evidence/minutes.md", "policies/other.md"} == {
        "policies/vision.md",
        "evidence/minutes.md",
    }


def test_a_deleted_renamed_or_added_file_is_seen(published: PlaybookBuilder) -> None:
    check(published.root, TODAY, use_cache=True)
    (published.root / "evidence/minutes.md").unlink()  # the artifacts' evidence: now a broken link
    (published.root / "docs/about.md").rename(published.root / "docs/team.md")
    published.write("docs/new.md", "# New\n\nWrite to jane.doe@gmail.com (fictitious).\n")
    cached, fresh = cached_and_fresh(published.root)
    assert "PP304" in {d.code for d in cached.diagnostics}
    assert [d.code for d in cached.diagnostics if d.path == "docs/new.md"] == ["PP702"]
    assert {p.source for p in cached.playbook.publication.files} == {"docs/team.md", "docs/new.md"}
    assert report(cached) == report(fresh)


def test_a_language_a_setting_or_a_code_change_throws_the_cache_away(
    published: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    published.write("policies/vision.md", artifact_text(owner="nobody-known"))
    aged(published.root)
    check(published.root, TODAY, use_cache=True)
    with use_language("fr"):  # pptoolkit check --lang fr
        cached, fresh = cached_and_fresh(published.root)
    assert report(cached) == report(fresh) != report(check(published.root, TODAY))
    assert "n'est pas un rôle" in " ".join(d.message for d in cached.diagnostics)
    settings = load_settings(published.root)
    with use_language("fr"):  # the language of the last check with the cache
        saved = open_cache(published.root, settings)
        assert saved.saved
        saved.close()
        original = Path.read_bytes

        def edited(path: Path) -> bytes:
            data = original(path)
            return data + b"\n# edited" if path.name == "per_file.py" else data

        monkeypatch.setattr(Path, "read_bytes", edited)  # one module of the checker changed
        assert open_cache(published.root, settings).saved == {}


def test_a_text_taken_from_the_cache_is_published_only_if_it_is_still_the_text_checked(
    published: PlaybookBuilder,
) -> None:
    """The site and the paper edition read the texts a re-check did not: a file changed since is refused."""
    from pptoolkit.reading.documents import TextChanged

    check(published.root, TODAY, use_cache=True)
    result = check(published.root, TODAY, use_cache=True)
    published.write("docs/about.md", "# About\n\nCall 514-555-0199.\n")
    with pytest.raises(TextChanged, match="changed after it was checked"):
        result.playbook.read_texts()
    check(published.root, TODAY, use_cache=True).playbook.read_texts()  # checked again: published


def test_a_file_published_under_two_names_is_judged_under_each(small_playbook: PlaybookBuilder) -> None:
    """A content page that an artifact links to is published twice: each name gets its own privacy answer."""
    small_playbook.write("mkdocs.yml", "site_name: Test\ndocs_dir: pages-514-555-0199\n")
    small_playbook.write("pages-514-555-0199/about.md", "# About (fictitious)\n")
    body = "# Vision\n\nSee [about](../pages-514-555-0199/about.md).\n"
    small_playbook.write("policies/vision.md", artifact_text(body=body))
    cached, fresh = cached_and_fresh(small_playbook.root)
    sites = {p.site_path for p in cached.playbook.publication.files if p.source.endswith("about.md")}
    assert sites == {"about.md", "files/pages-514-555-0199/about.md"}
    assert [d.code for d in cached.diagnostics if d.path == "pages-514-555-0199/about.md"] == ["PP703"]
    assert report(cached) == report(fresh)


@pytest.mark.parametrize(
    "forged",
    [
        b'{"markup":[[1,2]]}',
        b'{"privacy":[["PP999",1,1,"x"]]}',
        b'{"dropped":[[1,1,"PP702","x"]]}',
        b'{"unknown":[]}',
        b'[[1,1,"a"],[2,2,"b"]]',
        b"[[3,4,5,6,7,8]]",
    ],
)
def test_answers_that_no_check_could_have_written_are_computed_again(published: PlaybookBuilder, forged: bytes) -> None:
    """Well-formed JSON of the wrong shape, in every record of the cache: each answer is computed again."""
    published.write("policies/vision.md", artifact_text(body="# Vision\n\nWrite to jane.doe@gmail.com.\n"))
    aged(published.root)
    check(published.root, TODAY, use_cache=True)
    file = cache_folder(published.root) / FILE
    header, *records = file.read_bytes().split(b"\n")
    file.write_bytes(b"\n".join([header, *(line.split(b"\t", 1)[0] + b"\t" + forged for line in records if line), b""]))
    cached, fresh = cached_and_fresh(published.root)
    assert "PP702" in {d.code for d in cached.diagnostics}
    assert report(cached) == report(fresh)


def forge_artifact_records(root: Path, forge: Callable[[bytes, bytes], tuple[bytes, bytes]]) -> None:
    """Check ``root``, then rewrite each artifact record of its cache (meta and model) as ``forge`` says."""
    aged(root)
    check(root, TODAY, use_cache=True)
    file = cache_folder(root) / FILE
    header, *records = file.read_bytes().split(b"\n")
    forged = []
    for line in records:
        key, _, record = line.partition(b"\t")
        meta, tab, model = record.partition(b"\t")
        if tab:
            meta, model = forge(meta, model)
        forged.append(key + b"\t" + meta + tab + model if line else line)
    assert forged != records
    file.write_bytes(b"\n".join([header, *forged]))


@pytest.mark.parametrize(
    "forge",
    [
        {"c": [{"a": 1}]},  # a claim that is not a practice id (it crashed the check: unhashable type)
        {"d": [["policies/x.md", "abc", 1, "PP999", "forged", "error", "forged", None, None, None]]},
        {"d": [["policies/x.md", 1, 1, "PP999", "forged", "fatal", "forged", None, None, None]]},
        {"d": [["policies/x.md", "1", 1, "PP999", "forged", "error", "forged", None, None, None]]},  # a line as text
        {"k": "no-such-kind"},
        {"s": ["a", 1]},
        {"h": [[1]]},
        {"l": [["x", "y", 1]]},
        {"b": None},
    ],
)
def test_an_artifact_record_that_no_check_could_have_written_is_computed_again(
    published: PlaybookBuilder, forge: dict[str, Any]
) -> None:
    """A hand-edited record of an artifact (its diagnostics, claims or structure): the artifact is loaded again."""

    def forged(meta: bytes, model: bytes) -> tuple[bytes, bytes]:
        return json.dumps(json.loads(meta) | forge).encode() if meta.startswith(b'{"d":') else meta, model

    forge_artifact_records(published.root, forged)
    cached, fresh = cached_and_fresh(published.root)
    assert report(cached) == report(fresh)
    assert "forged" not in {d.message for d in cached.diagnostics}


@pytest.mark.parametrize(
    "date",
    [
        "1999-12-31T00:00:00",  # pydantic's lax date reads these: restored, they would be dates the file never held
        "1999-12-31T00:00:00Z",
        946598400,
        "946598400",  # pydantic's strict date reads this one as 1999-12-31
        "0",
        " 1999-12-31",  # the model reads this one, but no check writes it
        "1999-12-31\n",
        "1999-02-30",
        "19991231",
    ],
)
def test_an_artifact_model_with_a_date_no_check_could_have_written_is_loaded_again(
    published: PlaybookBuilder, date: object
) -> None:
    """Dates are restored by pydantic's strict date (in C), not by the model's own validator: only as a check writes
    them; a record with a date in any other form, read as a date the file does not hold, is loaded again."""
    forge_artifact_records(
        published.root, lambda meta, model: (meta, json.dumps(json.loads(model) | {"review_by": date}).encode())
    )
    cached, fresh = cached_and_fresh(published.root)
    assert report(cached) == report(fresh)
    dates = [{a.model.review_by for a in result.playbook.artifacts} for result in (cached, fresh)]
    assert dates[0] == dates[1]


_RECORD_TEXT = st.text(st.characters(codec=None, exclude_categories=()) | st.sampled_from(["\udce9", "\x00", "\u2028"]))
_RECORD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(2**70), 2**70) | _RECORD_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_RECORD_TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_RECORD_VALUES)
def test_a_record_is_written_as_the_json_module_writes_it(value: Any) -> None:
    """A record's JSON (diagnostics, positions, a file's answers) is the json module's compact text, written by orjson
    or, for what orjson refuses (a file name that is not UTF-8, an integer beyond 64 bits), by the json module."""
    written = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    assert _json(value) == written


# The publication's decisions: a linked file unchanged, in unchanged folders, is not judged again ------------------


def publication_of(result: Result) -> list[tuple[str, str, str, str]]:
    return [(p.source, p.site_path, p.kind.value, p.real) for p in result.playbook.publication.files]


def test_an_unchanged_linked_file_is_not_judged_again_and_the_publication_is_the_same(
    published: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pptoolkit.loading import publication

    check(published.root, TODAY, use_cache=True)
    judged: list[str] = []
    decide = publication._Planner._decide_now

    def recording(planner: Any, target: str) -> Any:
        judged.append(target)
        return decide(planner, target)

    monkeypatch.setattr(publication._Planner, "_decide_now", recording)
    cached = check(published.root, TODAY, use_cache=True)
    assert judged == []
    fresh = check(published.root, TODAY)
    assert judged == ["evidence/minutes.md"]
    assert "files/evidence/minutes.md" in [site for _, site, _, _ in publication_of(cached)]
    assert publication_of(cached) == publication_of(fresh)
    assert report(cached) == report(fresh)


def _edited_to_the_same_size_and_time(root: Path, elsewhere: Path) -> None:
    file = root / "evidence/minutes.md"
    status = file.stat()
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("# Minutes of the board", "# Call 514-555-0199 ok"), encoding="utf-8")
    os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (file.stat().st_size, file.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)


def _replaced_by_a_folder(root: Path, elsewhere: Path) -> None:
    (root / "evidence/minutes.md").unlink()
    (root / "evidence/minutes.md").mkdir()


def _renamed(root: Path, elsewhere: Path) -> None:
    (root / "evidence/minutes.md").rename(root / "evidence/minutes-2026.md")


def _replaced_by_a_link_outside(root: Path, elsewhere: Path) -> None:
    file = root / "evidence/minutes.md"
    (elsewhere / "minutes.md").write_bytes(file.read_bytes())
    file.unlink()
    file.symlink_to(elsewhere / "minutes.md")


def _replaced_by_a_link_of_another_type(root: Path, elsewhere: Path) -> None:
    file = root / "evidence/minutes.md"
    (root / "evidence/minutes.bin").write_bytes(file.read_bytes())
    file.unlink()
    file.symlink_to("minutes.bin")


def _folder_moved_outside_behind_a_link(root: Path, elsewhere: Path) -> None:
    """The file keeps its inode, size and times: only the folder on the way tells."""
    (root / "evidence").rename(elsewhere / "evidence")
    (root / "evidence").symlink_to(elsewhere / "evidence")


def _folder_hidden_behind_a_link(root: Path, elsewhere: Path) -> None:
    """The file keeps its inode, size and times, and the link still leads into the playbook, to a hidden folder."""
    (root / "evidence").rename(root / ".archive")
    (root / "evidence").symlink_to(".archive")


def _given_a_second_name(root: Path, elsewhere: Path) -> None:
    os.link(root / "evidence/minutes.md", elsewhere / "second-name.md")


def _a_content_page_in_its_place(root: Path, elsewhere: Path) -> None:
    (root / "docs/files/evidence").mkdir(parents=True)
    (root / "docs/files/evidence/minutes.md").write_text("# Minutes (fictitious)\n", encoding="utf-8")


def _an_artifact_linked_to_it(root: Path, elsewhere: Path) -> None:
    (root / "evidence/minutes.md").write_text(artifact_text(id="minutes", title="Minutes"), encoding="utf-8")
    aged(root)
    check(root, TODAY, use_cache=True)  # the evidence file, now an artifact's text, is published as it is
    (root / "policies/minutes.md").symlink_to("../evidence/minutes.md")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_edited_to_the_same_size_and_time, "PP703"),
        (_replaced_by_a_folder, "PP304"),
        (_renamed, "PP304"),
        (_replaced_by_a_link_outside, "PP305"),
        (_replaced_by_a_link_of_another_type, "PP310"),
        (_folder_moved_outside_behind_a_link, "PP305"),
        (_folder_hidden_behind_a_link, "PP310"),
        (_given_a_second_name, "PP310"),
        (_a_content_page_in_its_place, "PP310"),
        (_an_artifact_linked_to_it, None),
    ],
)
def test_a_change_to_a_linked_file_or_its_folders_is_seen(
    published: PlaybookBuilder, tmp_path_factory: pytest.TempPathFactory, change: Any, expected: str | None
) -> None:
    """The publication's decision about a linked file depends on the file and every folder on the way to it."""
    check(published.root, TODAY, use_cache=True)
    change(published.root, tmp_path_factory.mktemp("elsewhere"))
    cached, fresh = cached_and_fresh(published.root)
    assert report(cached) == report(fresh)
    assert publication_of(cached) == publication_of(fresh)
    if expected is None:  # the link now leads to the artifact's page: nothing is published for it
        assert cached.playbook.publication.artifact_for("evidence/minutes.md") == "policies/minutes.md"
        assert "files/evidence/minutes.md" not in [site for _, site, _, _ in publication_of(cached)]
    else:
        assert expected in {
            d.code
            for d in cached.diagnostics
            if d.path in ("evidence/minutes.md", "policies/vision.md", "policies/other.md")
        }


@pytest.mark.parametrize("tail", [b'"not hexadecimal, nor forty of it"]', b'"' + b"ab" * 20 + b'"', b"null]", b""])
def test_a_decision_record_that_no_check_could_have_written_is_decided_again(
    published: PlaybookBuilder, tail: bytes
) -> None:
    """The status of the file and its folders as recorded, and anything but a text's digest after it."""
    published.write("evidence/minutes.md", "# Minutes (fictitious)\n\nCall 514-555-0199.\n")
    aged(published.root)
    check(published.root, TODAY, use_cache=True)
    key = hashlib.blake2b(b"published\0evidence/minutes.md", digest_size=20).hexdigest().encode()
    file = cache_folder(published.root) / FILE
    header, *records = file.read_bytes().split(b"\n")
    forged = [line.rsplit(b",", 1)[0] + b"," + tail if line.startswith(key + b"\t[") else line for line in records]
    assert forged != records
    file.write_bytes(b"\n".join([header, *forged]))
    cached, fresh = cached_and_fresh(published.root)
    assert "PP703" in {d.code for d in cached.diagnostics if d.path == "evidence/minutes.md"}
    assert publication_of(cached) == publication_of(fresh)
    assert report(cached) == report(fresh)
