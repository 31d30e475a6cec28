"""The home page: the headline, the coverage bar and the heat map of practices."""

from __future__ import annotations

import html

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import STATUSES, PracticeCoverage
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.matrix import LEVELS, TYPE_TITLES
from pptoolkit.publishing.pages.common import (
    Page,
    esc,
    front_matter,
    level_path,
    link,
    managers_title,
    practice_path,
    practice_title,
    relative_url,
    status_label,
    table,
    type_title,
)
from pptoolkit.publishing.pages.matrix import engagement_section


def _status_svg(counts: dict[str, int]) -> str:
    """A stacked bar of practices by status, with a text alternative for screen readers."""
    total = sum(counts.values()) or 1
    parts = [f"{counts[s]} {status_label(s).lower()}" for s in STATUSES if counts[s]]
    label = _("Practices by status: {counts}").format(counts=", ".join(parts) or _("none"))
    x = 0.0
    rects = []
    for status in STATUSES:
        if not counts[status]:
            continue
        width = 600 * counts[status] / total
        rects.append(
            f'<rect class="pp-fill-{status}" x="{x:.1f}" y="0" width="{width:.1f}" height="28">'
            f"<title>{counts[status]} {html.escape(status_label(status).lower())}</title></rect>"
        )
        x += width
    return (
        f'<svg class="pp-bar" viewBox="0 0 600 28" width="100%" role="img" aria-label="{html.escape(label)}">'
        f"<title>{html.escape(label)}</title>{''.join(rects)}</svg>\n"
    )


def _chip(page: str, coverage: PracticeCoverage) -> str:
    practice = coverage.practice
    target = relative_url(page, practice_path(practice.id))
    label = f"{practice.id} {status_label(coverage.status).lower()}"
    return f'[{esc(label)}]({target}){{ .pp-chip .pp-{coverage.status} title="{esc(practice_title(practice))}" }}'


def heat_map(result: Result, page: str) -> str:
    """The matrix as a type-by-level table; each cell lists its practices with their status in words."""
    header = [_("Type of practice"), *(managers_title(level) for level in LEVELS)]
    rows = []
    for practice_type in TYPE_TITLES:
        row = [f"**{esc(type_title(practice_type))}**"]
        for level in LEVELS:
            cell = [c for c in result.coverage if c.practice.type == practice_type and level in c.practice.levels]
            row.append(" ".join(_chip(page, c) for c in cell) or "—")
        rows.append(row)
    extra = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    if extra:
        row = ["**" + _("Practices of this organization") + "**"]
        for level in LEVELS:
            row.append(" ".join(_chip(page, c) for c in extra if level in c.practice.levels) or "—")
        rows.append(row)
    return '<div class="pp-heatmap" markdown>\n\n' + table(header, rows) + "\n</div>\n"


def _counts_table(result: Result, groups: list[tuple[str, list[PracticeCoverage]]], first: str) -> str:
    """Counts by status; each group's name (Markdown, a link) makes the table reachable by keyboard when it
    scrolls on a narrow screen (WCAG: a scrollable region needs focusable content)."""
    header = [first, *(status_label(s) for s in STATUSES), _("Total")]
    rows = []
    for name, items in groups:
        counts = [sum(1 for c in items if c.status == s) for s in STATUSES]
        rows.append([name, *(str(n) for n in counts), str(len(items))])
    return '<div class="pp-counts" markdown>\n\n' + table(header, rows) + "\n</div>\n"


def home_page(result: Result) -> Page:
    """The coverage at a glance: a bar, the heat-map of the matrix, and counts by type and level."""
    page = "index.md"
    counts = result.counts()
    covered = result.covered
    name = esc(result.playbook.settings.site_name)
    parts = [
        front_matter(result.playbook.settings.site_name),
        f"# {name}\n",
        _("**{covered} of {total}** managerial practices for patient partnership are covered as of {date}").format(
            covered=covered, total=len(result.coverage), date=fmt.long_date(result.today)
        )
        + (_(", with {count} problems to fix").format(count=result.errors) if result.errors else "")
        + ". "
        + _("See {link} for what needs attention.").format(link=link(page, "gaps.md", _("gaps and reviews")))
        + "\n",
        _status_svg(counts),
        "## " + _("The matrix at a glance") + "\n",
        _(
            "Each practice of the study's matrix, by type and by management level, with its status in words "
            "(colours only repeat them). Open the {link} for owners and evidence."
        ).format(link=link(page, "matrix.md", _("practice matrix")))
        + "\n",
        heat_map(result, page),
        "## " + _("By type of practice") + "\n",
        _counts_table(
            result,
            [
                (
                    link(page, f"matrix.md#type-{key}", type_title(key)),
                    [c for c in result.coverage if c.practice.type == key],
                )
                for key in TYPE_TITLES
            ],
            _("Type"),
        ),
        "## " + _("By management level") + "\n",
        _counts_table(
            result,
            [
                (
                    link(page, level_path(level), managers_title(level)),
                    [c for c in result.coverage if level in c.practice.levels],
                )
                for level in LEVELS
            ],
            _("Level"),
        ),
        *([engagement] if (engagement := engagement_section(result, page)) else []),
        "## " + _("Where to go next") + "\n",
        "\n".join(
            [
                "- " + _("{link}: what they do here").format(link=link(page, level_path(level), managers_title(level)))
                for level in LEVELS
            ]
            + [
                "- " + link(page, "artifacts/index.md", _("Policies and artifacts")),
                "- "
                + link(page, "glossary.md", _("Glossary"))
                + ": "
                + _("the words and abbreviations of this playbook"),
                "- " + _("{link}: every role and what it owns").format(link=link(page, "owners.md", _("Owners"))),
            ]
        )
        + "\n",
    ]
    return Page(page, "\n".join(parts))
