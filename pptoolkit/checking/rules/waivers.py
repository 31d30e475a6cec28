"""PP5xx, waivers and applicability: entries of `checks/waivers.yml` and `checks/applicability.yml`.

PP503 and PP505 are emitted by the loader (``loading/``), PP506 by its check below, the others
by ``pptoolkit.checking.coverage``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.diagnostics import Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

WAIVER_EXPIRED = Rule(
    "PP501",
    "waiver-expired",
    E,
    """
A waiver in `checks/waivers.yml` has expired; it no longer counts.

Why: a waiver is a dated promise to close a gap, not a permanent exemption.
""",
)
WAIVER_EXPIRING = Rule(
    "PP502",
    "waiver-expiring",
    W,
    """
A waiver expires within 30 days.

Why: the owner has a month to cover the practice or renew the waiver.
""",
)
INVALID_WAIVER = Rule(
    "PP503",
    "invalid-waiver",
    E,
    """
A waiver entry is malformed: a missing field, an unknown practice, an approver that is not a role, a bad date.

Why: a waiver nobody can trace is not a decision.
""",
)
WAIVER_UNNEEDED = Rule(
    "PP504",
    "waiver-unneeded",
    W,
    """
A waiver names a practice that is covered without it.

Why: remove the waiver so it does not hide a future gap.
""",
)

INVALID_APPLICABILITY = Rule(
    "PP505",
    "invalid-applicability",
    E,
    """
An entry of `checks/applicability.yml` is malformed: a missing field, an unknown practice, an approver that is not a role, a bad date.

Why: saying a practice does not apply is a decision; it needs a reason, an approver and a review date.
""",
)
APPLICABILITY_REVIEW_OVERDUE = Rule(
    "PP506",
    "applicability-review-overdue",
    W,
    """
A practice is declared not applicable, but the entry is past its `review_by` date.

Why: circumstances change (a merger makes O8 apply); the decision must be reviewed.
""",
)

RULES = (
    WAIVER_EXPIRED,
    WAIVER_EXPIRING,
    INVALID_WAIVER,
    WAIVER_UNNEEDED,
    INVALID_APPLICABILITY,
    APPLICABILITY_REVIEW_OVERDUE,
)


@check(APPLICABILITY_REVIEW_OVERDUE)
def applicability_reviews(playbook: Playbook, today: date) -> Iterator[Found]:
    """An entry of the applicability file past its `review_by` date, at that date."""
    for entry in playbook.not_applicable:
        model = entry.model
        if today > model.review_by:
            yield Found(
                entry.at("review_by"),
                _(
                    "practice {practice} was declared not applicable until a review on {date}; "
                    "review the decision and set a new date"
                ).format(practice=model.practice, date=fmt.long_date(model.review_by)),
                practice=model.practice,
            )


CHECKS = (applicability_reviews,)
