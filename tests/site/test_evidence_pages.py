"""Titles and evidence pages of the sample's site: evidence titled from its own heading and never a dead end;
the home page titled with the site's name once."""

from __future__ import annotations

import re

import pytest
from site_support import BuiltSite, resolve

pytestmark = pytest.mark.slow  # the sample's site is built once per session

EVIDENCE = "files/evidence/compensation-paid-2026-h1.html"


def test_an_evidence_page_is_titled_from_its_heading_not_its_file_name(sample_site: BuiltSite) -> None:
    page = (sample_site.site / EVIDENCE).read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title is not None
    assert title.group(1).startswith("Compensation paid to patient advisors, 2026-04-01 to 2026-09-30 (aggregate) - ")
    assert "Compensation paid 2026 h1" not in page


def test_an_evidence_page_links_back_to_the_artifacts_and_practices_it_proves(sample_site: BuiltSite) -> None:
    path = sample_site.site / EVIDENCE
    page = path.read_text(encoding="utf-8")
    section = page[page.index('id="what-this-document-proves"') :]
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"#]+)">([^<]+)</a>', section[:2000]))
    assert "Rémunération et frais des usagers partenaires" in links  # the sample is French first
    assert [text for text in links if text.startswith("S3 (")] == [
        "S3 (Prévoir des fonds suffisants pour rémunérer les patients partenaires engagés dans les activités "
        "d'amélioration continue)"
    ]  # the practice's French title (the project's translation) in the French tree
    for href in links.values():
        target = resolve(sample_site.site, path, href)
        assert target is not None and target.is_file(), href
    english = (sample_site.site / "en" / EVIDENCE).read_text(encoding="utf-8")  # its English twin names the translation
    english = re.sub(r"</?abbr[^>]*>", "", english)  # PA, QI ... are explained: tests/site/test_abbreviations.py
    assert ">Compensation and expenses of patient advisors</a>" in english
    assert ">S3 (Provide sufficient funds to compensate PA involved in QI activities)</a>" in english


def test_every_cited_evidence_page_of_the_sample_links_back(sample_site: BuiltSite) -> None:
    evidence_pages = sorted((sample_site.site / "files" / "evidence").glob("*.html"))
    assert len(evidence_pages) > 10
    dead_ends = [p.name for p in evidence_pages if 'id="what-this-document-proves"' not in p.read_text("utf-8")]
    assert dead_ends == []


def test_the_home_pages_title_is_the_site_name_once(sample_site: BuiltSite) -> None:
    page = (sample_site.site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title is not None
    assert title.group(1) == "Partenariat avec les usagers · CISSS de la Vallée-des-Érables (fictif)"
