"""PP306 and PP307, dates: evidence dated after today, reviews overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
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

RULES = (
    FUTURE_EVIDENCE,
    REVIEW_OVERDUE,
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
                        title=item.title, date=item.date.isoformat(), today=today.isoformat()
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
                _("'{title}' was due for review on {date}").format(title=model.title, date=model.review_by.isoformat()),
            )


CHECKS = (future_evidence, reviews)
