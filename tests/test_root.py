"""Every command finds the playbook from a folder inside it, as git finds its repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import AS_OF, invoke
from playbook_support import PlaybookBuilder

from pptoolkit.loading.root import find_root


def test_check_inside_policies_checks_the_playbook_above(
    small_playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_playbook.artifact("vision.md")
    (small_playbook.root / "policies" / "drafts").mkdir()
    monkeypatch.chdir(small_playbook.root / "policies" / "drafts")
    result = invoke("check", *AS_OF)
    assert "is not a playbook" not in result.stderr
    assert "Coverage: 1 of 4 practices covered" in result.stdout
    assert invoke("check", "..", *AS_OF).stdout == result.stdout  # a folder given as ROOT too
    assert invoke("matrix", *AS_OF).exit_code == result.exit_code == 1


def test_new_inside_a_subfolder_writes_under_the_playbooks_policies(
    small_playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    (small_playbook.root / "evidence").mkdir(exist_ok=True)
    monkeypatch.chdir(small_playbook.root / "evidence")
    result = invoke("new", "vision", "--owner", "director-general", "--implements", "D1", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (small_playbook.root / "policies/vision/vision.md").is_file()


def test_a_folder_outside_any_playbook_is_still_not_a_playbook(tmp_path: Path) -> None:
    lost = tmp_path / "a" / "b"
    lost.mkdir(parents=True)
    assert find_root(lost) == lost
    result = invoke("check", str(lost))
    assert result.exit_code == 2
    assert f"'{lost}' is not a playbook" in result.stderr


def test_the_nearest_playbook_wins(small_playbook: PlaybookBuilder) -> None:
    inner = small_playbook.root / "policies" / "nested"
    (inner / "checks").mkdir(parents=True)
    (inner / "checks" / "matrix.yml").write_text("practices: []\n", encoding="utf-8")
    assert find_root(inner / "checks") == inner
    assert find_root(small_playbook.root / "evidence") == small_playbook.root


def test_a_command_that_climbs_says_which_playbook_it_uses(
    small_playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One line on stderr names the folder used as the playbook; the report on stdout is unchanged."""
    (small_playbook.root / "evidence").mkdir(exist_ok=True)
    monkeypatch.chdir(small_playbook.root / "evidence")
    result = invoke("check", "--format", "json", *AS_OF)
    said = [line for line in result.stderr.splitlines() if "using the playbook" in line]
    assert said == [f"pptoolkit: using the playbook at '{small_playbook.root.resolve()}' ('.' is a folder inside it)"]
    assert result.stdout.startswith("{")
    monkeypatch.chdir(small_playbook.root)
    assert "using the playbook" not in invoke("check", *AS_OF).stderr  # at the root, nothing to say
