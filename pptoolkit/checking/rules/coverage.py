"""PP4xx, coverage: one diagnostic for each practice that is not covered, or covered by stale proof.

Emitted by ``pptoolkit.checking.coverage`` while it assesses each practice (one status per practice, which
a rule setting does not change).
"""

from __future__ import annotations

from pptoolkit.checking.rules.base import Check, E, W
from pptoolkit.model.diagnostics import Rule

PRACTICE_MISSING = Rule(
    "PP401",
    "practice-missing",
    E,
    """
No current artifact implements the practice and no valid waiver covers it.

Why: every practice of the matrix needs someone accountable and proof.
""",
)
PRACTICE_NO_OWNER = Rule(
    "PP402",
    "practice-no-owner",
    E,
    """
Artifacts implement the practice, but none has an owner that is a manager of the registry at one of the practice's levels.

Why: a practice without an accountable role is not managed.
""",
)
PRACTICE_NO_EVIDENCE = Rule(
    "PP403",
    "practice-no-evidence",
    E,
    """
The practice has an owner, but no approved artifact implementing it carries evidence that resolves and is not dated in the future.

Why: a policy on paper is not yet a practice; evidence shows it is done.
""",
)
PRACTICE_STALE = Rule(
    "PP404",
    "practice-stale",
    W,
    """
The practice is covered, but every artifact that proves it is past its `review_by` date, or its newest valid evidence is older than the practice's `evidence_max_age_days`.

Why: coverage that is not reviewed decays; a practice that recurs needs recent proof.
""",
)

PRACTICE_NO_PATIENT_PARTNER = Rule(
    "PP405",
    "practice-no-patient-partner",
    E,
    """
The practice requires patient partners (`requires: [patient-partner]` in the matrix), but none of its approved artifacts was co-constructed with a patient-partner role (`co_constructed_with`) and none of its valid evidence is signed by one (`signed_by`).

Why: a practice that puts patients in the act is not done without them; the matrix's `requires` is the organization's choice.
""",
)

RULES = (
    PRACTICE_MISSING,
    PRACTICE_NO_OWNER,
    PRACTICE_NO_EVIDENCE,
    PRACTICE_STALE,
    PRACTICE_NO_PATIENT_PARTNER,
)
CHECKS: tuple[Check, ...] = ()  # emitted while loading or assessing: see the docstring
