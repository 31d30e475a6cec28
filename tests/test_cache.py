"""The check's cache: answers reused while a file's content is the same, never a stale one, never a foreign one.

A check that uses the cache must report exactly what a check without it reports,
whatever changed since the last check: a file's content, a file added or removed,
the settings, or the cache file itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playbook_support import TODAY, PlaybookBuilder, artifact_text

from pptoolkit.cache import FILE, Cache, cache_folder, open_cache
from pptoolkit.checker import Result, check
from pptoolkit.settings import load_settings


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


def test_a_cache_file_signed_by_someone_else_is_never_unpickled(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    file = cache_folder(valid.root) / FILE
    data = bytearray(file.read_bytes())
    data[40] ^= 0xFF  # a changed payload no longer matches its signature
    file.write_bytes(bytes(data))
    assert open_cache(valid.root, load_settings(valid.root)).saved == {}
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_a_garbled_cache_file_is_ignored(valid: PlaybookBuilder) -> None:
    file = cache_folder(valid.root) / FILE
    file.parent.mkdir(parents=True)
    file.write_bytes(os.urandom(100))
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_the_cache_keeps_only_what_the_last_check_used(valid: PlaybookBuilder) -> None:
    check(valid.root, TODAY, use_cache=True)
    before = len(open_cache(valid.root, load_settings(valid.root)).saved)
    for version in range(3):
        valid.write("policies/vision.md", artifact_text(title=f"Vision {version}"))
        check(valid.root, TODAY, use_cache=True)
    assert len(open_cache(valid.root, load_settings(valid.root)).saved) == before


def test_by_default_the_cache_lives_in_the_playbook_and_is_ignored_by_git(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PPTOOLKIT_CACHE_DIR")
    check(valid.root, TODAY, use_cache=True)
    assert (valid.root / ".cache/pptoolkit" / FILE).is_file()
    assert (valid.root / ".cache/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


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


def _key_file() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "pptoolkit" / "cache-key"


@pytest.mark.parametrize("broken", ["empty", "short", "readable by others"])
def test_a_signing_key_that_is_not_private_and_whole_is_never_used(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, broken: str
) -> None:
    """An empty key (a write cut short) would let anyone sign a cache: such a key is refused."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    key = _key_file()
    key.parent.mkdir(parents=True)
    key.write_bytes({"empty": b"", "short": b"0123", "readable by others": os.urandom(32)}[broken])
    key.chmod(0o644 if broken == "readable by others" else 0o600)
    check(valid.root, TODAY, use_cache=True)
    assert not (cache_folder(valid.root) / FILE).exists(), "nothing signed with an untrusted key"  # type: ignore[operator]
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))


def test_the_signing_key_is_made_whole_and_private(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    check(valid.root, TODAY, use_cache=True)
    key = _key_file()
    assert len(key.read_bytes()) == 32
    assert key.stat().st_mode & 0o777 == 0o600


def test_a_relative_xdg_cache_home_is_ignored(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A relative XDG_CACHE_HOME could point into a playbook, where a key could be committed."""
    monkeypatch.chdir(valid.root)
    monkeypatch.setenv("XDG_CACHE_HOME", "keys")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    check(valid.root, TODAY, use_cache=True)
    assert not (valid.root / "keys").exists()
    assert (tmp_path / "home/.cache/pptoolkit/cache-key").is_file()


def test_a_symbolic_link_at_cache_is_never_followed(
    valid: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PPTOOLKIT_CACHE_DIR")
    outside = tmp_path / "outside"
    outside.mkdir()
    (valid.root / ".cache").symlink_to(outside)
    assert report(check(valid.root, TODAY, use_cache=True)) == report(check(valid.root, TODAY))
    assert list(outside.iterdir()) == []
