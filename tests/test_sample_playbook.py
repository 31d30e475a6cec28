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


def test_the_json_reports_give_each_practice_its_short_title_beside_its_title() -> None:
    """``check --format json`` and ``matrix --format json`` name each practice by the study's title and by the few
    words the matrix gives it for where space is short (the home page's)."""
    for command in ("check", "matrix"):
        completed = subprocess.run(
            [sys.executable, "-m", "pptoolkit", command, str(REPO_ROOT), "--format", "json", "--no-cache"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        practices = {p["id"]: p for p in json.loads(completed.stdout)["practices"]}
        assert (practices["D1"]["title"], practices["D1"]["short_title"]) == (
            "Adopt and maintain an organizational vision of the PP",
            "Organizational vision",
        )
        assert all(0 < len(p["short_title"]) <= 60 for p in practices.values()), command
        assert list(practices["D1"])[list(practices["D1"]).index("title") + 1] == "short_title"
