"""Waivers as editors and managers see them: on the gaps and practice pages with reason, approver and expiry;
a warning within 30 days of expiry, an error once expired; and the review calendar offered on the site."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from playbook_support import TODAY, PlaybookBuilder

from pptoolkit.publishing import pages
from pptoolkit.publishing.build import BuildOptions, build_site


def waiver(expires: date, practice: str = "D1") -> str:
    return (
        "waivers:\n"
        f"  - practice: {practice}\n"
        "    reason: The board adopts the vision in March\n"
        "    approved_by: director-general\n"
        f"    expires: {expires.isoformat()}\n"
    )


def codes(playbook: PlaybookBuilder) -> list[tuple[str, str, int]]:
    return [(d.code, d.severity.value, d.line) for d in playbook.check().diagnostics if d.path == "checks/waivers.yml"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (31, []),
        (30, [("PP502", "warning", 5)]),
        (0, [("PP502", "warning", 5)]),
        (-1, [("PP501", "error", 5)]),
    ],
)
def test_expiry_warning_within_30_days_and_error_once_expired(
    small_playbook: PlaybookBuilder, days: int, expected: list[tuple[str, str, int]]
) -> None:
    small_playbook.waivers(waiver(TODAY + timedelta(days=days)))
    assert codes(small_playbook) == expected
    status = small_playbook.check().coverage_of("D1")
    assert status is not None
    assert status.status == ("missing" if days < 0 else "waived")


def test_the_gaps_page_lists_each_waiver_with_reason_approver_and_expiry(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver(date(2027, 3, 31)) + waiver(date(2026, 1, 31), "X1").removeprefix("waivers:\n"))
    gaps = pages.gaps_page(small_playbook.check()).content
    section = gaps.split("## Waivers { #waivers }\n", 1)[1].split("## Reviews", 1)[0]
    assert section == (
        "\n| Practice | Reason | Approved by | Expires |\n"
        "|---|---|---|---|\n"
        "| [D1](practices/D1.md) | The board adopts the vision in March | Director General | March 31, 2027 |\n"
        "| [X1](practices/X1.md) | The board adopts the vision in March | Director General | January 31, 2026 |\n\n"
    )
    assert "the waiver for X1 expired on January 31, 2026" in gaps


def test_the_practice_page_says_it_is_waived(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver(date(2027, 3, 31)))
    result = small_playbook.check()
    d1 = result.coverage_of("D1")
    assert d1 is not None
    page = pages.practice_page(result, d1).content
    assert (
        '!!! warning "Waived until March 31, 2027"\n\n'  # a date in prose is in words
        "    The board adopts the vision in March Approved by Director General.\n"
    ) in page


def test_the_gaps_page_links_the_review_calendar(small_playbook: PlaybookBuilder) -> None:
    gaps = pages.gaps_page(small_playbook.check()).content
    assert "[reviews.ics](reviews.ics) (iCalendar)" in gaps


@pytest.mark.slow  # builds a site
def test_the_site_offers_the_calendar_for_download(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.waivers(waiver(date(2027, 3, 31), "S5"))
    small_playbook.write("content/.gitkeep", "")
    small_playbook.write(
        "mkdocs.yml",
        "site_name: Test\nsite_url: https://playbook.example.org/\ndocs_dir: content\nuse_directory_urls: false\n"
        "plugins:\n  - pptoolkit:\n      today: '2026-11-26'\n",
    )
    site = build_site(BuildOptions(root=small_playbook.root, strict=False))
    calendar = icalendar.Calendar.from_ical((site / "reviews.ics").read_bytes())
    uids = sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))
    assert uids == ["S5-waiver@pptoolkit", "vision-review@pptoolkit"]
    vision = next(e for e in calendar.walk("VEVENT") if e["UID"] == "vision-review@pptoolkit")
    assert str(vision["URL"]) == "https://playbook.example.org/artifacts/vision.html"
    assert (site / "artifacts" / "vision.html").is_file()
    assert 'href="reviews.ics"' in (site / "gaps.html").read_text(encoding="utf-8")
