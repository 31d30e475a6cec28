"""The sample playbook on a phone (390 px wide, Chromium): no page meant for managers hides a status,
an owner or a practice id outside the screen, and wide tables become cards whose every value says
which column it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from site_support import BuiltSite, build_copy, copy_sample, served

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MANAGER_PAGES = [
    "index.html",
    "matrix.html",
    "levels/top.html",
    "levels/mid.html",
    "levels/front.html",
    "owners.html",
]

# What a manager looks for on those pages: statuses in words, owners (links to the owners page)
# and practices (links to their pages).
KEY_ELEMENTS = ", ".join(
    f".md-content {selector}"
    for selector in (".pp-badge", ".pp-chip", "a[href*='owners.html#']", "a[href*='practices/']")
)

OUTSIDE = """
(selector) => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (a collapsed menu)
    if (element.closest('.md-sidebar, .md-header, .md-footer, nav')) continue;
    if (box.left < -1 || box.right > width + 1) {
      outside.push(`${element.textContent.trim()} @${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return outside;
}
"""


@contextmanager
def on_a_phone(browser: Any, site: BuiltSite) -> Iterator[tuple[Any, str]]:
    with served(site.site) as url:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        yield context.new_page(), url
        context.close()


@pytest.fixture(scope="module")
def phone(browser: Any, sample_site: BuiltSite) -> Iterator[tuple[Any, str]]:
    with on_a_phone(browser, sample_site) as opened:
        yield opened


@pytest.fixture(scope="module")
def phone_with_gaps(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """The sample without two of its policies: practices missing, gaps to show."""
    root = copy_sample(tmp_path_factory.mktemp("gaps") / "playbook")
    removed = sorted((root / "policies").rglob("*.md"))[:2]
    for path in removed:
        path.unlink()
    site = build_copy(root, strict=False)
    assert site.result.errors > 0
    with on_a_phone(browser, site) as opened:
        yield opened


def assert_inside(page: Any, path: str) -> None:
    found = page.locator(KEY_ELEMENTS).count()
    assert found > 0, f"{path}: none of the elements this test looks for"
    outside = page.evaluate(OUTSIDE, KEY_ELEMENTS)
    assert outside == [], f"{path}: outside the screen at 390 px: {outside[:10]}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"), (
        f"{path}: the page scrolls sideways"
    )


@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_statuses_owners_and_practices_lie_inside_a_phone_screen(phone: tuple[Any, str], path: str) -> None:
    page, url = phone
    page.goto(url + path)
    assert_inside(page, path)


@pytest.mark.parametrize("path", ["gaps.html", "index.html", "matrix.html"])
def test_gaps_lie_inside_a_phone_screen(phone_with_gaps: tuple[Any, str], path: str) -> None:
    page, url = phone_with_gaps
    page.goto(url + path)
    assert_inside(page, path)


def test_each_value_of_a_card_says_which_column_it_is(phone: tuple[Any, str]) -> None:
    page, url = phone
    page.goto(url + "matrix.html")
    cell = page.locator(".md-content table td:has(.pp-badge)").first
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Statut"', label  # the sample is French first
