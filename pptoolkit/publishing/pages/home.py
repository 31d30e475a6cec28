"""The home page: the headline, the coverage bar and its legend, and the heat map of practices."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage, coverage_counts
from pptoolkit.i18n import _, current_language
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.matrix import LEVELS, TYPE_TITLES
from pptoolkit.publishing.pages.common import (
    Page,
    esc,
    front_matter,
    level_path,
    link,
    managers_title,
    owner_links,
    practice_path,
    relative_url,
    status_label,
    table,
    type_title,
    without_table_of_contents,
)
from pptoolkit.publishing.pages.matrix import engagement_section
from pptoolkit.publishing.pages.summary import counts_table, overdue_words, problems_words, status_bar


def _entry(result: Result, page: str, coverage: PracticeCoverage) -> str:
    """``D1 · short title · status · owner``, all in words: the practice and the owner are links, nothing hides
    in a tooltip (a touch screen has none)."""
    practice = coverage.practice
    target = relative_url(page, practice_path(practice.id))
    name = f"[{esc(practice.id)} · {esc(practice.short_title_in(current_language()))}]({target})"
    if coverage.owners:
        owners = owner_links(result, page, coverage)
    else:
        owners = esc(_("no owner needed") if coverage.status == "not-applicable" else _("no owner yet"))
    return (
        f'<span class="pp-chip pp-{coverage.status}">{name} · '
        f'<span class="pp-chip-status">{esc(status_label(coverage.status))}</span> · {owners}</span>'
    )


def heat_map(result: Result, page: str) -> str:
    """The matrix as a type-by-level table; each cell lists its practices: id, short title, status and owner."""
    header = [_("Type of practice"), *(managers_title(level) for level in LEVELS)]
    rows = []
    for practice_type in TYPE_TITLES:
        row = [f"**{esc(type_title(practice_type))}**"]
        for level in LEVELS:
            cell = [c for c in result.coverage if c.practice.type == practice_type and level in c.practice.levels]
            row.append(" ".join(_entry(result, page, c) for c in cell) or "—")
        rows.append(row)
    extra = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    if extra:
        row = ["**" + _("Practices of this organization") + "**"]
        for level in LEVELS:
            row.append(" ".join(_entry(result, page, c) for c in extra if level in c.practice.levels) or "—")
        rows.append(row)
    return '<div class="pp-heatmap" markdown>\n\n' + table(header, rows) + "\n</div>\n"


def headline(result: Result, page: str) -> str:
    """``20 of 25 ... are covered as of ..., of which 1 overdue for review. 3 errors and 2 warnings ...``."""
    counts = result.coverage_counts()
    sentence = _(
        "**{covered} of {total}** managerial practices for patient partnership are covered as of {date}"
    ).format(covered=counts.covered, total=counts.total, date=fmt.long_date(result.today)) + overdue_words(counts)
    gaps = link(page, "gaps.md", _("gaps and reviews"))
    if result.errors or result.warnings:
        problems = _("{problems} to look at: see {link}.").format(
            problems=problems_words(result.errors, result.warnings), link=gaps
        )
    else:
        problems = _("No problems found. See {link} for the reviews to come.").format(link=gaps)
    return sentence + ". " + problems + "\n"


def home_page(result: Result) -> Page:
    """The coverage at a glance: the headline, a bar with its legend, the heat-map of the matrix, and counts by
    type and level (every number from one :func:`~pptoolkit.checking.coverage.coverage_counts`)."""
    page = "index.md"
    name = esc(result.playbook.settings.site_name)
    parts = [
        without_table_of_contents(front_matter(result.playbook.settings.site_name)),  # the heat map's width
        f"# {name}\n",
        headline(result, page),
        status_bar(result.coverage_counts()),
        "## " + _("The matrix at a glance") + "\n",
        _(
            "Each practice of the study's matrix, by type and by management level: its id, its short title, its "
            "status in words and its owner (colours only repeat the status). Open the {link} for the full titles "
            "and evidence."
        ).format(link=link(page, "matrix.md", _("practice matrix")))
        + "\n",
        heat_map(result, page),
        "## " + _("By type of practice") + "\n",
        counts_table(
            [
                (
                    link(page, f"matrix.md#type-{key}", type_title(key)),
                    coverage_counts(c for c in result.coverage if c.practice.type == key),
                )
                for key in TYPE_TITLES
            ],
            _("Type"),
        ),
        "## " + _("By management level") + "\n",
        counts_table(
            [
                (
                    link(page, level_path(level), managers_title(level)),
                    coverage_counts(c for c in result.coverage if level in c.practice.levels),
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
