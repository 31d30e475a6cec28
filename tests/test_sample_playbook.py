"""The repository root is itself a complete sample playbook: checked as of the real date, it passes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_sample_playbook_covers_all_25_practices_without_errors() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pptoolkit", "check", str(REPO_ROOT), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    assert report["today"] == date.today().isoformat()
    problems = [f"{d['path']}:{d['line']}:{d['column']}: {d['code']} {d['message']}" for d in report["diagnostics"]]
    not_covered = {p["id"]: p["status"] for p in report["practices"] if p["status"] != "covered"}
    assert not_covered == {}, problems
    assert report["summary"]["practices"] == 25
    assert report["summary"]["covered"] == 25
    assert report["summary"]["errors"] == 0, problems
    assert completed.returncode == 0, completed.stderr
