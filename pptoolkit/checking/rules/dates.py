"""PP306, PP307 and PP312, dates: evidence or approval dated after today, reviews overdue."""

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

FUTURE_EVIDENCE = Rule(
    "PP306",
    "future-evidence",
    E,
    """
An evidence item is dated after today.

Why: proof of something that has not happened yet is not proof.
""",
)
REVIEW_OVERDUE = Rule(
    "PP307",
    "review-overdue",
    W,
    """
An artifact that is not retired is past its `review_by` date.

Why: the study insists on reviewing PP arrangements over time.
""",
)

FUTURE_APPROVAL = Rule(
    "PP312",
    "future-approval",
    E,
    """
An artifact's `approved_on` is after today.

Why: a document is not approved before the body approves it; a future date is a typo or a wish.
""",
)

RULES = (
    FUTURE_EVIDENCE,
    REVIEW_OVERDUE,
    FUTURE_APPROVAL,
)


@check(FUTURE_EVIDENCE)
def future_evidence(playbook: Playbook, today: date) -> Iterator[Found]:
    """An evidence item dated after today (of an artifact within the limit of evidence items)."""
    limit = playbook.settings.limits.max_evidence_items
    for artifact in playbook.artifacts:
        items = artifact.model.evidence
        for index, item in enumerate(items if len(items) <= limit else ()):
            if item.date > today:
                yield Found(
                    artifact.at("evidence", index, "date"),
                    _("evidence '{title}' is dated {date}, after today ({today})").format(
                        title=item.title, date=fmt.long_date(item.date), today=fmt.long_date(today)
                    ),
                )


@check(REVIEW_OVERDUE)
def reviews(playbook: Playbook, today: date) -> Iterator[Found]:
    """A current artifact past its `review_by` date."""
    for artifact in playbook.artifacts:
        model = artifact.model
        if model.status != "retired" and today > model.review_by:
            yield Found(
                artifact.at("review_by"),
                _("'{title}' was due for review on {date}").format(
                    title=model.title, date=fmt.long_date(model.review_by)
                ),
            )


@check(FUTURE_APPROVAL)
def future_approvals(playbook: Playbook, today: date) -> Iterator[Found]:
    """An `approved_on` after today, at its line."""
    for artifact in playbook.artifacts:
        approved_on = artifact.model.approved_on
        if approved_on is not None and approved_on > today:
            yield Found(
                artifact.at("approved_on"),
                _("'{title}' is approved on {date}, after today ({today})").format(
                    title=artifact.model.title, date=fmt.long_date(approved_on), today=fmt.long_date(today)
                ),
            )


CHECKS = (future_evidence, reviews, future_approvals)
