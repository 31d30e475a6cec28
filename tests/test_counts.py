"""One definition of each count, everywhere: on a playbook with problems, the home page's headline, its bar,
the bar's legend, the entries of the heat map, the tables by type and by level, the level pages, the matrix
page, ``pptoolkit check``'s summary line and the paper edition's summary give the same numbers.

The playbook (the small matrix: D1 top, S5 mid, E1 front, X1 mid): D1's only artifact is past its review
(stale: covered, overdue for review), S5 is owned at the wrong level (no owner), E1 is covered, X1 has no
artifact (missing); 2 errors and 3 warnings (D1 stale, its artifact overdue, S5's owner at the wrong level).
So: 2 of 4 covered, of which 1 overdue for review; 1 missing, 1 no owner.
"""

from __future__ import annotations

import re

import pytest
from playbook_support import PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import coverage_counts
from pptoolkit.i18n import use_language
from pptoolkit.publishing.pages import site_pages
from pptoolkit.reporting.reporters import text

NBSP = "\u00a0"


@pytest.fixture
def troubled(small_playbook: PlaybookBuilder) -> Result:
    small_playbook.artifact("vision.md", artifact_text(review_by="2026-11-01"))
    small_playbook.artifact("logic-model.md", artifact_text("logic-model", owner="head-nurse"))
    small_playbook.artifact("evaluation.md", kind="evaluation")
    result = small_playbook.check()
    assert [c.status for c in result.coverage] == ["stale", "no-owner", "covered", "missing"]
    assert (result.errors, result.warnings) == (2, 3)
    return result


def pages_of(result: Result) -> dict[str, str]:
    return {page.path: page.content for page in site_pages(result)}


def table_after(markdown: str, heading: str) -> list[dict[str, str]]:
    """The rows of the first table after ``heading``, each as {column: cell}."""
    lines = markdown[markdown.index(heading) :].split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    rows = lines[start:end]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in row.strip("|").split("|")), strict=True)) for row in rows[2:]]


def column_sum(rows: list[dict[str, str]], column: str) -> int:
    return sum(int(row[column]) for row in rows)


def test_a_practice_overdue_for_review_is_covered_and_counted_again_as_overdue(troubled: Result) -> None:
    counts = coverage_counts(troubled.coverage)
    assert (counts.total, counts.covered, counts.overdue, counts.gaps) == (4, 2, 1, 2)
    assert counts.covered + counts.by_status["waived"] + counts.by_status["not-applicable"] + counts.gaps == 4
    assert troubled.covered == troubled.coverage_counts().covered == 2


def test_the_check_summary_line_gives_the_same_numbers(troubled: Result) -> None:
    report = text(troubled)
    assert (
        "Coverage: 2 of 4 practices covered, of which 1 overdue for review "
        "(0 waived, 1 missing, 1 no-owner, 0 no-evidence)\n"
    ) in report
    assert "Found 2 errors and 3 warnings.\n" in report


def test_the_home_page_gives_the_same_numbers_everywhere(troubled: Result) -> None:
    home = pages_of(troubled)["index.md"]
    assert (
        "**2 of 4** managerial practices for patient partnership are covered as of November 26, 2026, "
        "of which 1 overdue for review. 2 errors and 3 warnings to look at: see [gaps and reviews](gaps.md)."
    ) in home
    label = "2 of 4 practices covered, of which 1 overdue for review; 1 missing, 1 no owner"
    assert f'role="img" aria-label="{label}"><title>{label}</title>' in home
    legend = re.findall(
        r'<li class="pp-legend-[a-z-]+"><span class="pp-swatch[^"]*" aria-hidden="true"></span>([^<]+)', home
    )
    assert legend == ["Covered: 2", "of which overdue for review: 1", "Missing: 1", "No owner: 1"]
    entries = re.findall(r'<span class="pp-chip-status">([^<]+)</span>', home)
    assert sorted(entries) == ["Covered", "Missing", "No owner", "Review overdue"]
    for heading in ("## By type of practice", "## By management level"):
        rows = table_after(home, heading)
        assert column_sum(rows, "Covered") == 2, heading
        assert column_sum(rows, "Of which overdue for review") == 1, heading
        assert column_sum(rows, "Missing") == 1 and column_sum(rows, "No owner") == 1, heading
        assert column_sum(rows, "Total") == 4, heading
        for row in rows:  # each row adds up: covered (overdue included), waived, not applicable, the gaps
            others = ("Waived", "Not applicable", "Missing", "No owner", "No evidence", "No patient partner")
            assert int(row["Covered"]) + sum(int(row[c]) for c in others) == int(row["Total"]), row


def test_the_matrix_and_level_pages_give_the_same_numbers(troubled: Result) -> None:
    generated = pages_of(troubled)
    assert (
        "Coverage: 2 of 4 practices covered, of which 1 overdue for review; 1 missing, 1 no owner.\n"
        in (generated["matrix.md"])
    )
    assert "Coverage: 1 of 1 practices covered, of which 1 overdue for review.\n" in generated["levels/top.md"]
    assert "Coverage: 0 of 2 practices covered; 1 missing, 1 no owner.\n" in generated["levels/mid.md"]
    assert "Coverage: 1 of 1 practices covered.\n" in generated["levels/front.md"]
    index = table_after(generated["levels/index.md"], "# Management levels")
    assert [row["Coverage"] for row in index] == [
        "1 of 1 practices covered, of which 1 overdue for review",
        "0 of 2 practices covered; 1 missing, 1 no owner",
        "1 of 1 practices covered",
    ]


def test_the_numbers_agree_in_french_too(troubled: Result) -> None:
    with use_language("fr"):
        home = pages_of(troubled)["index.md"]
        report = text(troubled)
    assert "**2 sur 4**" in home and ", dont 1 en retard de révision. 2 erreurs et 3 avertissements" in home
    assert f"Couverture{NBSP}: 2 sur 4 pratiques couvertes, dont 1 en retard de révision (" in report
    assert "2 erreurs et 3 avertissements." in report


def test_the_paper_edition_gives_the_same_numbers(troubled: Result) -> None:
    from pptoolkit.publishing.paper import paper_html

    document = paper_html(troubled)
    assert (
        "2 of 4 practices are covered as of November 26, 2026, of which 1 overdue for review; "
        "the check found 2 errors and 3 warnings."
    ) in document
    assert "<tr><td>Covered</td><td>2</td></tr><tr><td>Of which overdue for review</td><td>1</td></tr>" in document
