"""Golden files are updated deliberately: a run that rewrites one never passes the test that compares with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook_support import assert_matches_golden


def test_a_golden_update_fails_the_run_that_writes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = tmp_path / "report.txt"
    golden.write_text("old report\n", encoding="utf-8")
    monkeypatch.setenv("PPTOOLKIT_UPDATE_GOLDEN", "1")
    with pytest.raises(pytest.fail.Exception, match=r"golden file updated .*; review the diff and run again"):
        assert_matches_golden("new report\n", golden)
    assert golden.read_text(encoding="utf-8") == "new report\n"
    monkeypatch.delenv("PPTOOLKIT_UPDATE_GOLDEN")
    assert_matches_golden("new report\n", golden)
    with pytest.raises(AssertionError):
        assert_matches_golden("old report\n", golden)
