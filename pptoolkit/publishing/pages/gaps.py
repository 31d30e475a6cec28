"""The gaps page: what keeps practices from being covered, and the waivers."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.publishing.pages.common import (
    Page,
    artifact_path,
    esc,
    front_matter,
    link,
    practice_path,
    role_label,
    table,
)
from pptoolkit.publishing.pages.levels import due_for_review
from pptoolkit.reporting.calendar import CALENDAR_FILE


def _diagnostic_row(page: str, diagnostic: Diagnostic) -> list[str]:
    where = f"`{esc(diagnostic.path)}:{diagnostic.line}`"
    practice = link(page, practice_path(diagnostic.practice), diagnostic.practice) if diagnostic.practice else "—"
    return [esc(diagnostic.code), esc(diagnostic.message), where, practice]


def gaps_page(result: Result) -> Page:
    """Every error and warning in plain language, waivers, and the reviews due in the next 90 days."""
    page = "gaps.md"
    errors = [d for d in result.diagnostics if d.is_error]
    warnings = [d for d in result.diagnostics if not d.is_error]
    title = _("Gaps and reviews")
    parts = [
        front_matter(title),
        f"# {title}\n",
        _("As of {date}.").format(date=fmt.long_date(result.today)) + "\n",
    ]
    parts.append("## " + _("Errors ({count})").format(count=len(errors)) + "\n")
    header = [_("Rule"), _("Problem"), _("Where"), _("Practice")]
    parts.append(table(header, [_diagnostic_row(page, d) for d in errors]) if errors else _("No errors.") + "\n")
    parts.append("## " + _("Warnings ({count})").format(count=len(warnings)) + "\n")
    parts.append(table(header, [_diagnostic_row(page, d) for d in warnings]) if warnings else _("No warnings.") + "\n")
    parts.append("## " + _("Waivers") + " { #waivers }\n")
    waivers = result.playbook.waivers
    parts.append(
        table(
            [_("Practice"), _("Reason"), _("Approved by"), _("Expires")],
            [
                [
                    link(page, practice_path(w.model.practice), w.model.practice)
                    if result.coverage_of(w.model.practice)
                    else esc(w.model.practice),
                    esc(w.model.reason),
                    esc(role_label(result, w.model.approved_by)),
                    w.model.expires.isoformat(),
                ]
                for w in waivers
            ],
        )
        if waivers
        else _("No waivers.") + "\n"
    )
    not_applicable = result.playbook.not_applicable
    if not_applicable:
        parts.append("## " + _("Practices that do not apply") + "\n")
        parts.append(
            table(
                [_("Practice"), _("Reason"), _("Decided by"), _("Review by")],
                [
                    [
                        link(page, practice_path(n.model.practice), n.model.practice)
                        if result.coverage_of(n.model.practice)
                        else esc(n.model.practice),
                        esc(n.model.reason),
                        esc(role_label(result, n.model.approved_by)),
                        n.model.review_by.isoformat() + (_(" (overdue)") if n.model.review_by < result.today else ""),
                    ]
                    for n in not_applicable
                ],
            )
        )
    parts.append("## " + _("Reviews due in the next 90 days") + " { #reviews-due-in-the-next-90-days }\n")
    parts.append(
        _(
            "Every review date and waiver expiry, for Outlook, Google Calendar or Thunderbird: {link} (iCalendar)."
        ).format(link=f"[{CALENDAR_FILE}]({CALENDAR_FILE})")
        + "\n"
    )
    due = due_for_review(result)
    parts.append(
        table(
            [_("Review by"), _("Artifact"), _("Owner")],
            [
                [
                    a.model.review_by.isoformat() + (_(" (overdue)") if a.model.review_by < result.today else ""),
                    link(page, artifact_path(a.model.id), a.model.title),
                    esc(role_label(result, a.model.owner)),
                ]
                for a in due
            ],
        )
        if due
        else _("No review is due.") + "\n"
    )
    return Page(page, "\n".join(parts))
