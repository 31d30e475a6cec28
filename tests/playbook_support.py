"""Helpers of the checker tests: small playbooks built in a temporary directory, valid artifacts, golden files.

Plain functions, no fixtures (the fixtures ``playbook`` and ``small_playbook``
are in ``tests/conftest.py``):

- ``make_playbook(root, matrix=None)`` gives a :class:`PlaybookBuilder` over
  ``root`` that already holds ``mkdocs.yml``, the study's matrix (a copy of the
  package's ``pptoolkit/data/matrix.yml``) or ``matrix``, a roles registry with
  one role per level (``ROLES_YML``) and ``evidence/minutes.md``, but no artifact;
- ``artifact_text(kind, **fields)`` returns a complete, valid artifact of a kind
  with a fixed line layout; tests write it, or a copy with one field changed;
- ``located(result, path)`` lists the diagnostics of one file as
  ``(code, severity, line, column)``; ``only(result, code)`` the one diagnostic of a rule;
- ``assert_matches_golden(actual, file)`` compares with a golden file
  (``PPTOOLKIT_UPDATE_GOLDEN=1`` rewrites it, and the test fails: ``updating_golden``
  and ``golden_updated`` do the same for tests that write several files);
- ``copy_broken_example(dest)`` copies ``tests/example-playbooks/broken`` and adds
  its file that is not UTF-8.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

import pytest

from pptoolkit.checking.checker import Result, check
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.matrix import study_matrix_text

TODAY = date(2026, 11, 26)
"""The date every test checks as of (``--today 2026-11-26``)."""

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).resolve().parent / "example-playbooks"

MKDOCS_YML = "site_name: Test\n"

ROLES_YML = """\
roles:
  - id: director-general
    title: Director General
    level: top
  - id: pp-coordinator
    title: Patient Partnership Coordinator
    level: mid
    deputy: director-general
  - id: head-nurse
    title: Head Nurse, Outpatient Clinic
    level: front
"""
"""Roles at each level: ``director-general`` (top), ``pp-coordinator`` (mid), ``head-nurse`` (front)."""

SMALL_MATRIX_YML = """\
practices:
  - id: D1
    type: designing
    levels: [top]
    cases: [1]
    title: Adopt and maintain an organizational vision of the PP
  - id: S5
    type: structuring
    levels: [mid]
    cases: [1]
    title: Develop a logical model of PP (goals, targets and strategies to deploy PP) and review it over time
  - id: E1
    type: evaluating
    levels: [front]
    cases: [1, 2]
    title: Ensure feedback from PA and QI teams regarding their partnership experience
  - id: X1
    type: evaluating
    levels: [mid]
    cases: []
    title: Publish an annual partnership report (an organization's own practice)
"""
"""A matrix of four practices: D1 (top, line 2), S5 (mid, line 7), E1 (front, line 12), X1 (mid, line 17)."""

EVIDENCE_FILE = "evidence/minutes.md"

# The practice each kind implements by default, and an owner at that practice's level.
OWNER_BY_LEVEL = {"top": "director-general", "mid": "pp-coordinator", "front": "head-nurse"}
DEFAULT_PRACTICE = {
    "vision": ("D1", "top"),
    "ethics-clause": ("D2", "top"),
    "reference-framework": ("D3", "top"),
    "communication-plan": ("D5", "top"),
    "strategic-goal": ("S1", "top"),
    "mandate": ("S2", "top"),
    "compensation-policy": ("S3", "mid"),
    "logic-model": ("S5", "mid"),
    "procedure": ("S6", "mid"),
    "registry": ("S7", "mid"),
    "training": ("O5", "mid"),
    "charter": ("O6", "mid"),
    "participation-rules": ("O7", "mid"),
    "terms-of-reference": ("O8", "mid"),
    "evaluation": ("E1", "front"),
    "indicators": ("E3", "mid"),
    "qi-project": ("O3", "front"),
}

# The fields of each kind beyond the common contract, one YAML line each.
KIND_FIELDS = {
    "vision": {"statement": "Patients and families are partners in improving our care."},
    "ethics-clause": {"code_section": '"Section 3: our commitments"', "clause": "We involve patient advisors."},
    "reference-framework": {
        "principles": "[{name: Reciprocity, description: Advisors and staff learn from each other.}]",
        "values": "[Respect, Trust]",
    },
    "communication-plan": {"audiences": "[patients, providers]", "channels": "[intranet]", "messages": "[PP works]"},
    "strategic-goal": {
        "goal": "Every QI team includes patient advisors.",
        "period_start": "2025-04-01",
        "period_end": "2028-03-31",
    },
    "mandate": {
        "department": "Bureau du partenariat",
        "responsibilities": "[Recruit advisors]",
        "continuity": "The deputy takes over when the coordinator is away.",
    },
    "compensation-policy": {
        "rates": "[{activity: QI meeting, amount: 50, unit: meeting}]",
        "budget": "{amount: 20000, fiscal_year: 2026-2027}",
        "expenses_reimbursed": "true",
    },
    "logic-model": {
        "goals": "[{goal: Partnership in QI, targets: [All teams], strategies: [Recruit]}]",
        "reviews": "[{date: 2026-06-01, summary: First review}]",
    },
    "procedure": {"steps": "[Identify the need, Recruit an advisor]"},
    "registry": {
        "held_in": "The Bureau's secured database",
        "managed_by": "pp-coordinator",
        "access": "Bureau staff only",
        "retention": "Two years after the last activity",
    },
    "training": {"audience": "[managers]", "format": "Workshop", "duration_hours": "3"},
    "charter": {"principles": "[{name: Respect, description: Every voice counts.}]"},
    "participation-rules": {"rules": "[Advisors receive documents a week ahead]"},
    "terms-of-reference": {
        "committee": "Users' committee",
        "reports_to": "Board",
        "membership": "[{role: patient advisor, count: 2}]",
        "meeting_frequency": "Monthly",
        "quorum": "Half",
    },
    "evaluation": {
        "method": "Survey",
        "instruments": "[Questionnaire]",
        "frequency": "Yearly",
        "respondents": "[patient advisors]",
    },
    "indicators": {
        "indicators": "[{id: teams-with-pa, name: Teams with PA, definition: QI teams with an advisor, "
        "unit: teams, period: fiscal 2026, value: 12}]"
    },
    "qi-project": {
        "team": "[programme manager, psychiatrist, patient advisor]",
        "advisors": "2",
        "advisors_joined": "problem-framing",
        "engagement": "{target: partnership, achieved: collaboration}",
        "changes": "[Appointment reminders by text message]",
    },
}

# The `##` sections each kind's body needs.
KIND_SECTIONS = {
    "reference-framework": ["Scope"],
    "compensation-policy": ["Purpose", "Expenses", "Right to decline"],
    "procedure": ["Steps"],
    "terms-of-reference": ["Mandate", "Membership", "Meetings"],
    "evaluation": ["Method", "Findings"],
}

DEFAULT_EVIDENCE = """
  - title: Board minutes
    date: 2026-01-15
    link: ../evidence/minutes.md"""


def artifact_text(kind: str = "vision", body: str | None = None, **fields: str | None) -> str:
    """A complete, valid artifact of ``kind``, implementing the kind's default practice.

    Each keyword replaces a front matter field with raw YAML (``owner="nobody"``),
    removes it (``owner=None``) or, for a new key, appends it before the closing
    ``---``. The layout is fixed, so tests can name exact lines::

        1  ---
        2  id: <kind>
        3  kind: <kind>
        4  title: ...
        5  owner: ...
        6  status: approved
        7  approved_on: 2026-01-15
        8  review_by: 2027-06-30
        9  implements: [<practice>]
        10 evidence:
        11   - title: Board minutes
        12     date: 2026-01-15
        13     link: ../evidence/minutes.md
        14 ... the kind's own fields, then any new keys, then ---
    """
    practice, level = DEFAULT_PRACTICE[kind]
    values: dict[str, str | None] = {
        "id": kind,
        "kind": kind,
        "title": f"Test {kind.replace('-', ' ')}",
        "owner": OWNER_BY_LEVEL[level],
        "status": "approved",
        "approved_on": "2026-01-15",
        "review_by": "2027-06-30",
        "implements": f"[{practice}]",
        "evidence": DEFAULT_EVIDENCE,
        **KIND_FIELDS[kind],
    }
    values.update(fields)
    lines = ["---", *(f"{key}: {value}" for key, value in values.items() if value is not None), "---", "", ""]
    if body is None:
        body = f"# Test {kind}\n\nSome text.\n" + "".join(f"\n## {s}\n\nText.\n" for s in KIND_SECTIONS.get(kind, []))
    return "\n".join(lines) + body


@dataclass
class PlaybookBuilder:
    """A playbook under construction in a temporary directory."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        """Write ``text`` (dedented) to ``relative``, creating folders; return the file."""
        file = self.root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text), encoding="utf-8")
        return file

    def write_bytes(self, relative: str, data: bytes) -> Path:
        """Write raw bytes (for files that are not UTF-8)."""
        file = self.root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        return file

    def artifact(self, name: str, text: str | None = None, kind: str = "vision") -> Path:
        """Write ``policies/<name>``: ``text`` (dedented), or a valid artifact of ``kind``."""
        return self.write(f"policies/{name}", artifact_text(kind) if text is None else text)

    def matrix(self, text: str) -> Path:
        """Replace the matrix (``checks/matrix.yml``)."""
        return self.write("checks/matrix.yml", text)

    def roles(self, text: str) -> Path:
        """Replace the roles registry (``checks/roles.yml``)."""
        return self.write("checks/roles.yml", text)

    def waivers(self, text: str) -> Path:
        """Write the waivers file (``checks/waivers.yml``)."""
        return self.write("checks/waivers.yml", text)

    def check(self, today: date = TODAY) -> Result:
        """Check the playbook as of ``today``."""
        return check(self.root, today=today)


def make_playbook(root: Path, matrix: str | None = None) -> PlaybookBuilder:
    """A playbook at ``root`` with settings, a matrix (the study's by default), roles and one evidence file."""
    builder = PlaybookBuilder(root)
    builder.write("mkdocs.yml", MKDOCS_YML)
    builder.matrix(study_matrix_text() if matrix is None else matrix)
    builder.roles(ROLES_YML)
    builder.write(EVIDENCE_FILE, "# Minutes of the board, 2026-01-15 (fictitious)\n")
    return builder


def located(result: Result, path: str) -> list[tuple[str, str, int, int]]:
    """``(code, severity, line, column)`` of every diagnostic in the file ``path``, in report order."""
    return [(d.code, d.severity.value, d.line, d.column) for d in result.diagnostics if d.path == path]


def only(result: Result, code: str) -> Diagnostic:
    """The one diagnostic of rule ``code`` (fails if there are none or several)."""
    matches = [d for d in result.diagnostics if d.code == code]
    assert len(matches) == 1, f"expected one {code}, got {matches}"
    return matches[0]


def updating_golden() -> bool:
    """True when the run regenerates golden files (``PPTOOLKIT_UPDATE_GOLDEN=1``) instead of comparing with them."""
    return os.environ.get("PPTOOLKIT_UPDATE_GOLDEN") == "1"


def golden_updated(*written: Path) -> NoReturn:
    """Fail the test that has just rewritten its golden files: an update never passes in the run that made it."""
    names = ", ".join(str(path) for path in written)
    pytest.fail(f"golden file updated ({names}); review the diff and run again", pytrace=False)


def assert_matches_golden(actual: str, golden: Path) -> None:
    """Compare ``actual`` with the golden file; with ``PPTOOLKIT_UPDATE_GOLDEN=1``, rewrite the file and fail.

    Regenerate deliberately, then review the file's diff and run the tests again before committing it.
    """
    if updating_golden():
        golden.write_text(actual, encoding="utf-8")
        golden_updated(golden)
    assert golden.is_file(), f"{golden} is missing: run the tests with PPTOOLKIT_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


NOT_UTF8_ARTIFACT = """\
---
id: not-utf8
kind: vision
title: Vision du partenariat
owner: director-general
status: draft
review_by: 2027-06-30
statement: Les usagers sont des partenaires.
---

# Vision

Enregistré en Latin-1 : é est un seul octet.
""".encode("latin-1")
"""An artifact saved in Latin-1: line 13, column 10 holds the byte 0xe9 (é)."""


def copy_broken_example(dest: Path) -> Path:
    """Copy the broken example playbook to ``dest`` and add ``policies/not-utf8.md`` (Latin-1).

    That file is written here rather than kept in the repository, where tools that
    read every Markdown file (formatters, editors, hooks) would choke on it or fix it.
    """
    shutil.copytree(EXAMPLES / "broken", dest)
    (dest / "policies" / "not-utf8.md").write_bytes(NOT_UTF8_ARTIFACT)
    return dest


ONE_PRACTICE_MATRIX = """\
practices:
  - id: D1
    type: designing
    levels: [top]
    cases: [1]
    title: Adopt and maintain an organizational vision of the PP
"""
"""A matrix of one practice, D1 (top level), for tests that need the smallest playbook."""
