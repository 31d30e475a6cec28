"""A playbook in French first and English: one site, French at the root, English under ``en/``.

The small playbook of the site tests, made bilingual: its vision written in French with an English
translation (stamped fresh), its logic model in French only, the tags page in French only. Built
once; its pages are read as files, then opened in Debian's Chromium over HTTP and from ``file://``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from site_support import AXE, BuiltSite, build_copy, copy_small, served, unavailable

from pptoolkit.authoring.translate import stamp_translation
from pptoolkit.publishing import pages

pytestmark = pytest.mark.slow

TIMEOUT_MS = 15_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

FRENCH_VISION = """\
---
id: vision
kind: vision
title: Notre vision du partenariat
owner: director-general
status: approved
approved_on: 2026-01-15
review_by: 2028-06-30
implements: [D1]
statement: Les usagers et leurs proches sont partenaires de chaque amélioration.
summary: La vision du partenariat adoptée par la direction.
evidence:
  - title: Procès-verbal du conseil
    date: 2026-01-15
    link: ../evidence/minutes.md
lang: fr
---

# Notre vision du partenariat

Les usagers partenaires apportent leur savoir expérientiel aux équipes d'amélioration continue.
Cette vision fait l'objet d'une évaluation tous les deux ans.
"""

ENGLISH_VISION = """\
---
title: Our vision of partnership
statement: Patients and families are partners in every improvement.
summary: The vision of partnership adopted by senior management.
---

# Our vision of partnership

Patient partners bring their experiential knowledge to continuous improvement teams.
A newsletter reports on it every two years.
"""


def make_bilingual(root: Path) -> Path:
    """The small playbook in French first and English (see the module's docstring)."""
    copy_small(root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  language: en\n", "  language: fr\n")
    text = text.replace("site_name: Small test playbook\n", "site_name: Petit carnet d'essai\n")
    entry = "  - pptoolkit:\n      languages: [fr, en]\n      site_names: {en: Small test playbook}\n"
    config.write_text(text.replace("  - pptoolkit\n", entry), encoding="utf-8")
    (root / "policies/vision.md").write_text(FRENCH_VISION, encoding="utf-8")
    (root / "policies/vision.en.md").write_text(ENGLISH_VISION, encoding="utf-8")
    stamp_translation(root, root / "policies/vision.en.md")
    (root / "content/tags.md").write_text("# Étiquettes\n\n<!-- material/tags -->\n", encoding="utf-8")  # no tags.en.md
    minutes = root / "evidence/minutes.md"  # evidence in English only, and saying so
    minutes.write_text("---\nlang: en\n---\n\n" + minutes.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "content/about.md").write_text("# À propos\n\nUn carnet fictif, en français seulement.\n", encoding="utf-8")
    roles = root / "checks/roles.yml"
    text = roles.read_text(encoding="utf-8")
    assert "title: Director General\n" in text
    french = "title: Directrice générale ou directeur général\n    titles: {en: Director General}\n"
    roles.write_text(text.replace("title: Director General\n", french), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bilingual playbook, built strictly (a missing English logic model is only a warning)."""
    return build_copy(make_bilingual(tmp_path_factory.mktemp("bilingual") / "playbook"), strict=True)


def html_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, relative to it, but the 404 page."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def html_lang(page: Path) -> str:
    found = re.search(r'<html lang="([^"]+)"', page.read_text(encoding="utf-8"))
    assert found, page
    return found.group(1)


def alternates(page: Path) -> dict[str, str]:
    text = page.read_text(encoding="utf-8")
    return dict(re.findall(r'<link rel="alternate ?" hreflang="([a-z]+)" href="([^"]+)">', text))


# The built site ----------------------------------------------------------------------------------


def test_french_is_at_the_root_and_english_under_en(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    french = [p for p in html_pages(site) if not p.startswith("en/")]
    english = [p.removeprefix("en/") for p in html_pages(site) if p.startswith("en/")]
    assert "matrix.html" in french and "artifacts/vision.html" in french and "tags.html" in french
    assert sorted(english) == sorted(french)  # the same pages in each tree
    assert {html_lang(site / p) for p in french} == {"fr"}
    assert {html_lang(site / "en" / p) for p in english} == {"en"}


def test_every_page_names_the_same_page_in_the_other_language(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    for relative in html_pages(site):
        page = site / relative
        found = alternates(page)
        other = "fr" if relative.startswith("en/") else "en"
        assert list(found) == [other], relative
        target = (page.parent / found[other]).resolve()
        expected = site / (relative.removeprefix("en/") if other == "fr" else f"en/{relative}")
        assert target == expected.resolve(), relative


def test_each_language_shows_its_own_text_and_marks_text_in_another(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    french = (site / "artifacts/vision.html").read_text(encoding="utf-8")
    english = (site / "en/artifacts/vision.html").read_text(encoding="utf-8")
    assert "Notre vision du partenariat" in french and "Our vision of partnership" not in french
    assert "Our vision of partnership" in english and "savoir expérientiel" not in english
    assert "Étiquettes" in (site / "tags.html").read_text(encoding="utf-8")
    assert "Étiquettes" not in (site / "en/tags.html").read_text(encoding="utf-8")
    # A role's title is in the language of the page.
    assert "Directrice générale ou directeur général" in french and "Director General" not in french
    assert "Director General" in english and "Directrice" not in english
    # A content page with no English version: the English tree shows the French one, and says so.
    about = (site / "en/about.html").read_text(encoding="utf-8")
    assert re.search(r'<div lang="fr">\s*<h1 id="a-propos">', about), about
    assert '<div lang="fr">' not in (site / "about.html").read_text(encoding="utf-8")
    # An evidence file in English says so on the French site (its front matter's `lang`), not on the English one.
    assert re.search(r'<div lang="en">\s*<h1', (site / "files/evidence/minutes.html").read_text(encoding="utf-8"))
    assert '<div lang="en">' not in (site / "en/files/evidence/minutes.html").read_text(encoding="utf-8")
    # The logic model has no English translation: the English page shows the French text, and says so.
    untranslated = (site / "en/artifacts/logic-model.html").read_text(encoding="utf-8")
    assert re.search(r'<div lang="fr">\s*<p>Each quality improvement team', untranslated)


def test_each_language_has_its_own_search_index_in_its_language(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    french = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    english = json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert french["config"]["lang"] == ["fr"] and english["config"]["lang"] == ["en"]
    assert any("expérientiel" in doc["text"] for doc in french["docs"])
    assert not any("expérientiel" in doc["text"] for doc in english["docs"])
    assert (site / "en/search/search_index.js").is_file()  # offline search of the English tree


def test_the_english_navigation_is_in_english(bilingual_site: BuiltSite) -> None:
    english = (bilingual_site.site / "en/artifacts/vision.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="en"', english)
    assert 'placeholder="Search"' in english
    french = (bilingual_site.site / "artifacts/vision.html").read_text(encoding="utf-8")
    assert 'placeholder="Rechercher"' in french


def tags_shown(page: Path) -> set[str]:
    """The tags a page shows (above its text, and as the headings of the tags index)."""
    return set(re.findall(r'class="md-tag[^"]*">\s*([^<]*?)\s*</', page.read_text(encoding="utf-8")))


def test_tags_read_in_the_language_of_the_page(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    assert tags_shown(site / "practices/D1.html") == {"Concevoir le partenariat", "Haute direction", "Couverte"}
    assert tags_shown(site / "en/practices/D1.html") == {"Designing the PP", "Top-level", "Covered"}
    assert tags_shown(site / "artifacts/vision.html") == {"Vision", "Approuvé", "Haute direction"}
    assert tags_shown(site / "en/artifacts/vision.html") == {"Vision", "Approved", "Top-level"}
    french_index, english_index = tags_shown(site / "tags.html"), tags_shown(site / "en/tags.html")
    assert {"Concevoir le partenariat", "Modèle logique", "Premier niveau"} <= french_index
    assert {"Designing the PP", "Logic model", "Front-line"} <= english_index
    assert not french_index & {"Designing the PP", "Logic model", "Front-line", "Approved", "Covered"}
    slugs = set(pages.allowed_tags())  # the values in the files: never what a manager reads
    for relative in html_pages(site):
        assert not tags_shown(site / relative) & slugs, relative


def test_a_tags_page_in_french_only_is_an_english_page_in_the_english_tree(bilingual_site: BuiltSite) -> None:
    """Without ``tags.en.md``, the English tree's tags page is in English (``lang="en"``), never the French one."""
    assert not (bilingual_site.root / "content/tags.en.md").exists()
    page = bilingual_site.site / "en/tags.html"
    english = page.read_text(encoding="utf-8")
    assert html_lang(page) == "en" and '<div lang="fr">' not in english
    assert re.search(
        r'<h1 id="tags">Tags</h1>\s*<p>Pages by type of practice, management level, status and kind', english
    )
    assert "<title>Tags - Small test playbook</title>" in english and "Étiquettes" not in english
    assert {"Designing the PP", "Logic model", "Front-line"} <= tags_shown(page)  # the index, as the French page's
    french = (bilingual_site.site / "tags.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 id="etiquettes">Étiquettes</h1>', french) and "Pages by type" not in french


def header_and_title(page: Path) -> tuple[str, str]:
    """The site's name in the header, and the page's ``<title>``."""
    text = page.read_text(encoding="utf-8")
    header = re.search(r'class="md-header__topic">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', text)
    title = re.search(r"<title>([^<]*)</title>", text)
    assert header and title, page
    return html.unescape(header.group(1)), html.unescape(title.group(1))


def nav_entries(page: Path) -> list[str]:
    """The titles of the main navigation's entries, in order."""
    text = page.read_text(encoding="utf-8")
    nav = text[text.index("md-nav--primary") :]
    nav = nav[: nav.index("</nav>")]
    found = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.DOTALL)
    return [html.unescape(re.sub(r"\s+", " ", entry)) for entry in found]


def test_each_tree_has_the_site_name_of_its_language(bilingual_site: BuiltSite) -> None:
    site = bilingual_site.site
    assert header_and_title(site / "index.html") == ("Petit carnet d'essai", "Petit carnet d'essai")
    assert header_and_title(site / "en/index.html") == ("Small test playbook", "Small test playbook")
    assert header_and_title(site / "en/matrix.html") == ("Small test playbook", "Practice matrix - Small test playbook")
    assert re.search(r'<h1 id="small-test-playbook">Small test playbook</h1>', (site / "en/index.html").read_text())
    assert nav_entries(site / "en/matrix.html")[0] == "Small test playbook"  # the home page, by its title
    for relative in html_pages(site):
        text = (site / relative).read_text(encoding="utf-8")
        assert ("Small test playbook" in text) == relative.startswith("en/"), relative
        assert ("Petit carnet d&#39;essai" in text or "Petit carnet d'essai" in text) != relative.startswith("en/")


def test_the_english_tree_of_the_sample_names_the_site_and_its_home_in_english(sample_site: BuiltSite) -> None:
    site = sample_site.site
    french, english = nav_entries(site / "matrix.html"), nav_entries(site / "en/matrix.html")
    assert french[0] == "Accueil" and english[0] == "Home"  # mkdocs.yml titles it in French: `Accueil: index.md`
    assert (
        header_and_title(site / "en/index.html")[0]
        == "Patient partnership · CISSS de la Vallée-des-Érables (fictitious)"
    )
    assert header_and_title(site / "index.html")[0].startswith("Partenariat avec les usagers")
    english_description = (
        "Sample playbook of patient partnership; every establishment, role and figure in it is fictitious."
    )
    french_description = "Carnet d'exemple du partenariat avec les usagers; tout établissement"
    for page in ("index.html", "matrix.html", "gaps.html"):
        assert f'<meta name="description" content="{english_description}">' in (site / "en" / page).read_text()
        french = (site / page).read_text()
        assert f'<meta name="description" content="{french_description}' in french and english_description not in french


def calendar_of(site: Path) -> tuple[str, dict[str, tuple[str, str]]]:
    """A tree's review calendar: its name, and each event's (summary, description) by UID."""
    calendar = icalendar.Calendar.from_ical((site / "reviews.ics").read_bytes())
    events = {str(e["UID"]): (str(e["SUMMARY"]), str(e["DESCRIPTION"])) for e in calendar.walk("VEVENT")}
    return str(calendar["X-WR-CALNAME"]), events


def test_each_tree_publishes_the_review_calendar_in_its_language(bilingual_site: BuiltSite) -> None:
    french_name, french = calendar_of(bilingual_site.site)
    english_name, english = calendar_of(bilingual_site.site / "en")
    assert french_name == "Révisions · Petit carnet d'essai" and english_name == "Reviews · Small test playbook"
    assert set(french) == {"vision-review@pptoolkit", "logic-model-review@pptoolkit"}
    assert set(english) == {"vision-review-en@pptoolkit", "logic-model-review-en@pptoolkit"}  # one event per language
    summary, description = french["vision-review@pptoolkit"]
    assert summary == "Révision\u00a0: Notre vision du partenariat"
    assert description.startswith("Responsable\u00a0: Directrice générale ou directeur général (director-general,")
    assert "Statut\u00a0: approuvé\n" in description and "approved" not in description
    assert english["vision-review-en@pptoolkit"] == (
        "Review: Our vision of partnership",
        "Owner: Director General (director-general, top-level manager)\n"
        "Status: approved\n"
        "Practices: D1\n"
        "Page: artifacts/vision.html\n"  # beside the calendar, in the English tree
        "File: policies/vision.en.md",
    )


def test_with_a_site_url_each_calendar_links_the_pages_of_its_own_tree(tmp_path: Path) -> None:
    root = make_bilingual(tmp_path / "playbook")
    config = root / "mkdocs.yml"
    config.write_text(
        "site_url: https://playbook.example.org/pp/\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    site = build_copy(root, strict=True).site
    for tree, uid in (("", "vision-review@pptoolkit"), ("en/", "vision-review-en@pptoolkit")):
        calendar = icalendar.Calendar.from_ical((site / tree / "reviews.ics").read_bytes())
        urls = {str(e["UID"]): str(e["URL"]) for e in calendar.walk("VEVENT")}
        assert urls[uid] == f"https://playbook.example.org/pp/{tree}artifacts/vision.html"


# In a browser ------------------------------------------------------------------------------------


@dataclass
class Record:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def left(self, schemes: set[str], host: str | None) -> list[str]:
        """The requests that left the machine: another scheme than ``schemes``, or another host than ``host``."""
        found = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if parts.scheme not in schemes or (host is not None and parts.hostname != host):
                found.append(url)
        return found


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, Record]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    record = Record()
    context.on("request", lambda request: record.requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda m: record.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    yield page, record
    context.close()


@pytest.fixture(scope="module")
def base_url(bilingual_site: BuiltSite) -> Iterator[str]:
    with served(bilingual_site.site) as url:
        yield url


def search(page: Any, expect: Any, word: str) -> list[str]:
    """Type ``word`` in the search box, key by key; the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing|Initialisation"))
    box.press_sequentially(word, delay=20)
    expect(page.locator("a.md-search-result__link").first).to_be_attached()
    links: list[str] = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    return links


@pytest.mark.browser
def test_pages_of_both_languages_load_with_nothing_from_another_host(
    tab: tuple[Any, Record], base_url: str, bilingual_site: BuiltSite
) -> None:
    page, record = tab
    for relative in html_pages(bilingual_site.site):
        response = page.goto(base_url + relative, wait_until="load")
        assert response is not None and response.status == 200, relative
        assert page.locator("html").get_attribute("lang") == ("en" if relative.startswith("en/") else "fr")
    page.goto(base_url + "en/index.html", wait_until="networkidle")
    assert record.errors == []
    assert record.left({"http"}, "127.0.0.1") == []
    assert base_url + "en/search/search_index.json" in record.requests


@pytest.mark.browser
def test_the_switcher_goes_to_the_same_page_in_the_other_language(
    tab: tuple[Any, Record], base_url: str, playwright_api: Any
) -> None:
    page, record = tab
    expect = playwright_api.expect
    page.goto(base_url + "practices/D1.html")
    page.locator(".md-header .md-select button").hover()
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url(base_url + "en/practices/D1.html")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".md-header .md-select button").hover()
    page.get_by_role("link", name="Français", exact=True).click()
    page.wait_for_url(base_url + "practices/D1.html")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert record.errors == []


@pytest.mark.browser
def test_search_finds_a_french_word_in_the_french_site_only(
    tab: tuple[Any, Record], base_url: str, playwright_api: Any
) -> None:
    page, record = tab
    page.goto(base_url)
    links = search(page, playwright_api.expect, "expérientiel")  # lunr's French word characters keep the accents
    paths = {urlsplit(link).path for link in links}
    assert "/artifacts/vision.html" in paths, links
    assert not any(path.startswith("/en/") for path in paths), links
    page.goto(base_url + "en/index.html")
    english = search(page, playwright_api.expect, "experiential")
    assert "/en/artifacts/vision.html" in {urlsplit(link).path for link in english}, english
    assert record.errors == []
    assert record.left({"http"}, "127.0.0.1") == []


def indexed_words(site: Path, tree: str, page: str) -> set[str]:
    """The words of a page as the search index of its tree (``""`` or ``"en"``) holds them."""
    index = json.loads((site / tree / "search/search_index.json").read_text(encoding="utf-8"))
    words: set[str] = set()
    for doc in index["docs"]:
        if doc["location"].split("#")[0] == page:
            words |= set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]).lower()))
    return words


def result_terms_missing(page: Any) -> list[str]:
    """What Material's results say was not found in them ("Missing: ...")."""
    found: list[str] = page.eval_on_selector_all(".md-search-result__terms", "els => els.map(e => e.innerText)")
    return [text for text in found if text.strip()]


@pytest.mark.browser
def test_search_stems_each_language_and_still_finds_words_and_prefixes(
    tab: tuple[Any, Record], base_url: str, bilingual_site: BuiltSite, playwright_api: Any
) -> None:
    page, record = tab
    site = bilingual_site.site
    # The vision says "évaluation" and "newsletter", never the forms searched: only stemming finds it.
    french = indexed_words(site, "", "artifacts/vision.html")
    english = indexed_words(site, "en", "artifacts/vision.html")
    assert "évaluation" in french and not any(w.startswith(("évaluations", "évaluées")) for w in french)
    assert "newsletter" in english and not any(w.startswith("newsletters") for w in english)
    for start, query, target in [
        ("index.html", "évaluations", "/artifacts/vision.html"),  # a plural finds its singular
        ("index.html", "évaluées", "/artifacts/vision.html"),  # French stemming: English's leaves "évalué"
        ("index.html", "expérientiel", "/artifacts/vision.html"),  # a whole word, as written
        ("index.html", "expérien", "/artifacts/vision.html"),  # the beginning of a word
        ("en/index.html", "newsletters", "/en/artifacts/vision.html"),
        ("en/index.html", "experiential", "/en/artifacts/vision.html"),
        ("en/index.html", "experien", "/en/artifacts/vision.html"),
    ]:
        page.goto(base_url + start)
        paths = {urlsplit(link).path for link in search(page, playwright_api.expect, query)}
        assert target in paths, (query, paths)
        assert all(path.startswith("/en/") == start.startswith("en/") for path in paths), (query, paths)
        assert result_terms_missing(page) == [], query  # found by its stem, the word is not "missing"
    assert record.errors == []
    assert record.left({"http"}, "127.0.0.1") == []


@pytest.mark.browser
def test_both_languages_work_from_a_file_url(
    tab: tuple[Any, Record], bilingual_site: BuiltSite, playwright_api: Any
) -> None:
    page, record = tab
    english_home = (bilingual_site.site / "en/index.html").as_uri()
    page.goto(english_home, wait_until="load")
    links = search(page, playwright_api.expect, "experiential")
    target = (bilingual_site.site / "en/artifacts/vision.html").as_uri()
    assert any(link.startswith(target) for link in links), links
    page.goto(english_home, wait_until="load")  # stemming too, in the frame that runs search from file://
    links = search(page, playwright_api.expect, "newsletters")
    assert any(link.startswith(target) for link in links), links
    page.goto((bilingual_site.site / "en/practices/D1.html").as_uri(), wait_until="load")
    page.locator(".md-header .md-select button").hover()
    page.get_by_role("link", name="Français", exact=True).click()
    page.wait_for_url((bilingual_site.site / "practices/D1.html").as_uri())
    assert record.errors == []
    assert record.left({"file"}, None) == []


@pytest.mark.browser
@pytest.mark.parametrize(
    "relative",
    [
        "index.html",
        "artifacts/vision.html",
        "en/index.html",
        "en/artifacts/vision.html",
        "en/artifacts/logic-model.html",
    ],
)
def test_no_wcag_violations_in_either_language(tab: tuple[Any, Record], base_url: str, relative: str) -> None:
    if not AXE.is_file():
        unavailable(f"{AXE} is missing: run `npm ci` at the repository's root")
    page, _ = tab
    page.add_init_script(path=str(AXE))
    page.goto(base_url + relative, wait_until="networkidle")
    violations = page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))""",
        WCAG_TAGS,
    )
    assert violations == [], relative
