"""Reporters format a checked playbook; they compute nothing of their own.

``REPORTERS`` maps each ``--format`` name to a function from a result to text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pptoolkit.checker import Result
from pptoolkit.coverage import PracticeCoverage
from pptoolkit.diagnostics import Diagnostic


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def coverage_line(result: Result) -> str:
    """One sentence on coverage, e.g. 'Coverage: 24 of 25 practices covered (1 stale, ...)'."""
    counts = result.counts()
    covered = counts["covered"] + counts["stale"]
    details = ", ".join(f"{counts[s]} {s}" for s in ("stale", "waived", "missing", "no-owner", "no-evidence"))
    return f"Coverage: {covered} of {len(result.coverage)} practices covered ({details})"


def diagnostic_line(diagnostic: Diagnostic) -> str:
    """``path:line:col: CODE message [name]``, with ``warning:`` before the message of a warning."""
    severity = "" if diagnostic.is_error else "warning: "
    return (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} "
        f"{severity}{diagnostic.message} [{diagnostic.name}]"
    )


def text(result: Result) -> str:
    """Linter-style lines, then the coverage summary."""
    lines = [diagnostic_line(d) for d in result.diagnostics]
    if lines:
        lines.append("")
    lines.append(coverage_line(result))
    if result.diagnostics:
        lines.append(f"Found {_plural(result.errors, 'error')} and {_plural(result.warnings, 'warning')}.")
    else:
        lines.append("No problems found.")
    return "\n".join(lines) + "\n"


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic as a JSON object (``practice`` is null when none applies)."""
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "practice": diagnostic.practice,
    }


def practice_json(coverage: PracticeCoverage) -> dict[str, Any]:
    """A practice, its status, and the owners, artifacts and evidence behind it."""
    practice = coverage.practice
    waiver = coverage.waiver
    return {
        "id": practice.id,
        "type": practice.type,
        "levels": list(practice.levels),
        "cases": list(practice.cases),
        "title": practice.title,
        "status": coverage.status,
        "owners": [
            {"role": o.role, "title": o.title, "level": o.level, "artifact": o.artifact} for o in coverage.owners
        ],
        "artifacts": [
            {"id": a.model.id, "path": a.path, "title": a.model.title, "kind": a.model.kind, "status": a.model.status}
            for a in coverage.artifacts
        ],
        "evidence": [
            {
                "title": e.title,
                "date": e.date.isoformat(),
                "link": e.link,
                "artifact": e.artifact,
                "valid": e.valid,
            }
            for e in coverage.evidence
        ],
        "review_by": coverage.review_by.isoformat() if coverage.review_by else None,
        "waiver": None
        if waiver is None
        else {
            "reason": waiver.model.reason,
            "approved_by": waiver.model.approved_by,
            "expires": waiver.model.expires.isoformat(),
        },
    }


def as_json(result: Result) -> str:
    """One JSON object: ``summary``, ``practices`` and ``diagnostics``."""
    document = {
        "today": result.today.isoformat(),
        "summary": result.summary(),
        "practices": [practice_json(c) for c in result.coverage],
        "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: Result) -> str:
    """GitHub workflow commands (``::error file=...``), then the coverage summary as a notice."""
    lines = []
    for d in result.diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", d.path),
                ("line", d.line),
                ("col", d.column),
                ("title", f"{d.code} {d.name}"),
            )
        )
        lines.append(f"::{d.severity.value} {properties}::{_escape_data(d.message)}")
    lines.append(f"::notice title=pptoolkit coverage::{_escape_data(coverage_line(result))}")
    return "\n".join(lines) + "\n"


def step_summary(result: Result) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only ten annotations of each kind."""
    lines = ["## Patient partnership coverage", "", coverage_line(result), ""]
    failing = [c for c in result.coverage if c.status != "covered"]
    if failing:
        lines += ["| Practice | Status | Title |", "|---|---|---|"]
        lines += [f"| {c.practice.id} | {c.status} | {c.practice.title} |" for c in failing]
        lines.append("")
    if result.diagnostics:
        lines += [f"### {_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}", ""]
        lines += ["| Where | Rule | Problem |", "|---|---|---|"]
        for d in result.diagnostics:
            message = d.message.replace("|", "\\|")
            lines.append(f"| `{d.path}:{d.line}:{d.column}` | {d.code} {d.name} | {message} |")
    return "\n".join(lines) + "\n"


Reporter = Callable[[Result], str]

REPORTERS: dict[str, Reporter] = {
    "text": text,
    "json": as_json,
    "github": github,
}


def matrix_text(result: Result) -> str:
    """The matrix by type, then by level, each practice with its status."""
    from pptoolkit.matrix import LEVEL_TITLES, TYPE_TITLES

    lines: list[str] = []
    for practice_type, type_title in TYPE_TITLES.items():
        rows = [c for c in result.coverage if c.practice.type == practice_type]
        if not rows:
            continue
        lines.append(type_title)
        for level, level_title in LEVEL_TITLES.items():
            at_level = [c for c in rows if c.practice.levels[0] == level]
            if not at_level:
                continue
            lines.append(f"  {level_title} managers")
            for c in at_level:
                levels = "+".join(c.practice.levels)
                lines.append(f"    {c.practice.id:<4} {c.status:<12} {levels:<10} {c.practice.title}")
        lines.append("")
    others = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    lines += [f"    {c.practice.id:<4} {c.status:<12} {c.practice.title}" for c in others]
    lines.append(coverage_line(result))
    return "\n".join(lines) + "\n"


def matrix_json(result: Result) -> str:
    """``{"practices": [...]}`` with every practice's id, type, levels, cases, title and status."""
    practices = [
        {
            "id": c.practice.id,
            "type": c.practice.type,
            "levels": list(c.practice.levels),
            "cases": list(c.practice.cases),
            "title": c.practice.title,
            "status": c.status,
        }
        for c in result.coverage
    ]
    return json.dumps({"practices": practices}, indent=2, ensure_ascii=False) + "\n"


MATRIX_REPORTERS: dict[str, Reporter] = {"text": matrix_text, "json": matrix_json}
