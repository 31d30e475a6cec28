"""Coverage counts in words, as a bar with its legend and as tables: what the home, level and matrix pages print.

Every number comes from :func:`~pptoolkit.checking.coverage.coverage_counts`, the one definition
that ``pptoolkit check``'s summary line prints too: a practice overdue for review is covered, and
counted again, as a part of the covered ones, "of which overdue for review".
"""

from __future__ import annotations

import html

from pptoolkit.checking.coverage import FAILING, STATUSES, CoverageCounts
from pptoolkit.i18n import _, ngettext
from pptoolkit.publishing.pages.common import status_label, table

BAR_WIDTH = 600
NOT_COVERED = ("waived", "not-applicable", *(s for s in STATUSES if s in FAILING))
"""The statuses counted apart from the covered practices, in the order pages name them."""


def overdue_words(counts: CoverageCounts) -> str:
    """``, of which 1 overdue for review`` after a number of covered practices; empty when none is overdue."""
    if not counts.overdue:
        return ""
    return ngettext(
        ", of which {count} overdue for review", ", of which {count} overdue for review", counts.overdue
    ).format(count=counts.overdue)


def problems_words(errors: int, warnings: int) -> str:
    """``3 errors and 2 warnings``: problems are counted as errors and warnings both."""
    return _("{errors} and {warnings}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
    )


def counts_sentence(counts: CoverageCounts) -> str:
    """``20 of 25 practices covered, of which 1 overdue for review; 2 missing, 1 no owner``: plain text, no markup."""
    sentence = _("{covered} of {total} practices covered").format(covered=counts.covered, total=counts.total)
    sentence += overdue_words(counts)
    others = [
        _("{count} {status}").format(count=counts.by_status[s], status=status_label(s).lower())
        for s in NOT_COVERED
        if counts.by_status[s]
    ]
    return sentence + ("; " + ", ".join(others) if others else "")


def _swatch(status: str) -> str:
    return f'<span class="pp-swatch pp-swatch-{status}" aria-hidden="true"></span>'


def legend(counts: CoverageCounts) -> str:
    """Each status the bar and the entries show: its colour, its name and its count (the covered ones first,
    those overdue for review as a part of them)."""
    items = []
    if counts.covered:
        words = html.escape(_("Covered: {count}").format(count=counts.covered))
        items.append(f'<li class="pp-legend-covered">{_swatch("covered")}{words}</li>')
    if counts.overdue:
        words = html.escape(_("of which overdue for review: {count}").format(count=counts.overdue))
        items.append(f'<li class="pp-legend-stale">{_swatch("stale")}{words}</li>')
    for status in NOT_COVERED:
        if counts.by_status[status]:
            words = _("{status}: {count}").format(status=status_label(status), count=counts.by_status[status])
            items.append(f'<li class="pp-legend-{status}">{_swatch(status)}{html.escape(words)}</li>')
    title = html.escape(_("Legend"))
    return (
        f'<div class="pp-legend" role="group" aria-label="{title}"><p class="pp-legend-title">{title}</p>'
        f"<ul>{''.join(items)}</ul></div>\n"
    )


def status_bar(counts: CoverageCounts) -> str:
    """A stacked bar of practices by status, labelled with :func:`counts_sentence`, then its legend."""
    label = html.escape(counts_sentence(counts))
    x = 0.0
    rects = []
    for status in ("covered", "stale", *NOT_COVERED):
        if not counts.by_status[status]:
            continue
        width = BAR_WIDTH * counts.by_status[status] / (counts.total or 1)
        rects.append(f'<rect class="pp-fill-{status}" x="{x:.1f}" y="0" width="{width:.1f}" height="28"></rect>')
        x += width
    return (
        f'<svg class="pp-bar" viewBox="0 0 {BAR_WIDTH} 28" width="100%" role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(rects)}</svg>\n\n" + legend(counts)
    )


def counts_table(groups: list[tuple[str, CoverageCounts]], first: str) -> str:
    """Counts by group: covered (overdue ones included), of which overdue, then each other status, and the total.

    Each group's name (Markdown, a link) makes the table reachable by keyboard when it scrolls on a
    narrow screen (WCAG: a scrollable region needs focusable content).
    """
    header = [first, _("Covered"), _("Of which overdue for review"), *(status_label(s) for s in NOT_COVERED)]
    rows = [
        [
            name,
            str(counts.covered),
            str(counts.overdue),
            *(str(counts.by_status[s]) for s in NOT_COVERED),
            str(counts.total),
        ]
        for name, counts in groups
    ]
    return '<div class="pp-counts" markdown>\n\n' + table([*header, _("Total")], rows) + "\n</div>\n"
