"""PP, PA, QI, HCO (the study's) and CISSS, CIUSSS (Quebec's) explained where they appear: ``<abbr title>`` on
every page, generated or written, in the reader's language, which a tap on a phone shows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from site_support import BuiltSite, served

from pptoolkit.publishing.abbreviations import ABBREVIATIONS, glossary

ABBR = re.compile(r'<abbr title="([^"]*)">(\w+)</abbr>')


def explained(html: str) -> dict[str, set[str]]:
    """Each abbreviation of a built page and the meanings its ``<abbr>`` give it."""
    found: dict[str, set[str]] = {}
    for meaning, abbreviation in ABBR.findall(html):
        found.setdefault(abbreviation, set()).add(meaning)
    return found


def test_every_abbreviation_is_explained_in_french_in_french() -> None:
    english, french = glossary("en"), glossary("fr")
    assert set(english) == set(french) == set(ABBREVIATIONS) >= {"PP", "PA", "QI", "HCO"}
    assert [a for a in ABBREVIATIONS if english[a] == french[a]] == []
    # In French, PP is the partnership only as the study's abbreviation: the meaning says "partenariat".
    assert french["PP"].startswith("partenariat patient")
    assert english["QI"] == "quality improvement"


@pytest.mark.slow  # reads the sample's built site
@pytest.mark.parametrize(
    ("path", "abbreviation", "meaning"),
    [
        ("practices/D5.html", "PP", "partenariat patient (patient partnership, abréviation de l'étude)"),
        ("practices/D5.html", "QI", "amélioration continue de la qualité (quality improvement)"),
        ("en/practices/D5.html", "PA", "patient advisor (the study's abbreviation)"),
        ("en/artifacts/training-qi-teams-partnership.html", "QI", "quality improvement"),  # an artifact's body
        ("about.html", "CISSS", "centre intégré de santé et de services sociaux"),  # a content page
        ("matrix.html", "CIUSSS", "centre intégré universitaire de santé et de services sociaux"),
    ],
)
def test_abbreviations_are_explained_on_generated_and_written_pages(
    sample_site: BuiltSite, path: str, abbreviation: str, meaning: str
) -> None:
    html = (sample_site.site / path).read_text(encoding="utf-8")
    assert explained(html).get(abbreviation) == {meaning}


@pytest.mark.browser
def test_a_tap_on_an_abbreviation_shows_its_meaning_on_a_phone(browser: Any, sample_site: BuiltSite) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    with served(sample_site.site) as url:
        page.goto(url + "en/practices/D5.html")
        page.locator(".md-content abbr", has_text="QI").first.tap()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.inner_text().strip() == "quality improvement"
        box = tooltip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391
    context.close()
