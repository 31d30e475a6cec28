"""Atomic writes: a new file appears whole or not at all, an existing one is never replaced without ``overwrite``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pptoolkit import writing
from pptoolkit.writing import write_atomically


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "reviews.ics"
    assert write_atomically(target, "BEGIN:VCALENDAR\r\nÉ\r\n") == target
    assert target.read_bytes() == "BEGIN:VCALENDAR\r\nÉ\r\n".encode()
    assert os.listdir(target.parent) == ["reviews.ics"]


def test_the_mode_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "f", b"x")
    finally:
        os.umask(previous)
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("existing", ["file", "dangling link"])
def test_an_existing_name_is_refused(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "policy.md"
    if existing == "file":
        target.write_text("mine\n", encoding="utf-8")
    else:
        target.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        write_atomically(target, "new\n")
    assert sorted(os.listdir(tmp_path)) == ["policy.md"]
    if existing == "file":
        assert target.read_text(encoding="utf-8") == "mine\n"


def test_overwrite_replaces(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("old\n", encoding="utf-8")
    write_atomically(target, "new\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert os.listdir(tmp_path) == ["schema.json"]


def test_a_name_taken_meanwhile_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "policy.md"
    real_temporary = writing._temporary

    def race(folder: Path, name: str) -> tuple[Path, int]:
        made = real_temporary(folder, name)
        target.write_text("written by someone else\n", encoding="utf-8")
        return made

    monkeypatch.setattr(writing, "_temporary", race)
    with pytest.raises(FileExistsError):
        write_atomically(target, "mine\n")
    assert target.read_text(encoding="utf-8") == "written by someone else\n"
    assert os.listdir(tmp_path) == ["policy.md"]


def test_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, destination: object) -> None:
        raise PermissionError("hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "policy.md"
    write_atomically(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(FileExistsError):
        write_atomically(target, "second\n")
    assert os.listdir(tmp_path) == ["policy.md"]
