"""The sample playbook's site in a real browser: Debian's Chromium driven by Playwright (sync API).

The site is built once per session (``sample_site``), served on 127.0.0.1 by a
thread, and also opened from ``file://``. Without ``/usr/bin/chromium``, Playwright
or axe-core these tests fail when ``CI`` is set and are skipped otherwise, with
what to install.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from site_support import AXE, BuiltSite, built_page, page_sources, served, unavailable

from pptoolkit.i18n import use_language
from pptoolkit.publishing import pages

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000


# Fixtures (the browser itself: ``tests/site/conftest.py``) ---------------------------------------------


@pytest.fixture(scope="session")
def base_url(sample_site: BuiltSite) -> Iterator[str]:
    """The sample site served over HTTP on 127.0.0.1 (a random free port), ending with ``/``."""
    with served(sample_site.site) as url:
        yield url


@dataclass
class Recorder:
    """Every request a browser context made, and every console error and uncaught exception of its pages."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def external(self, allowed_schemes: set[str], allowed_host: str | None) -> list[str]:
        """The requests that left the site: another scheme, or another host."""
        found = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if parts.scheme not in allowed_schemes or (allowed_host is not None and parts.hostname != allowed_host):
                found.append(url)
        return found


@dataclass
class Tab:
    """A page in a fresh browser context, with its recorder."""

    page: Any
    record: Recorder


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A fresh context and page (desktop width), recording requests and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    record = Recorder()
    context.on("request", lambda request: record.requests.append(request.url))
    page = context.new_page()
    page.on("console", record.on_console)
    page.on("pageerror", lambda error: record.errors.append(f"uncaught: {error}"))
    yield Tab(page, record)
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry (``node_modules``), or a skip (a failure in CI) saying how to get it."""
    if not AXE.is_file():
        unavailable(f"{AXE} is missing: run `npm ci` at the repository's root")
    return AXE


def url_of(base: str, source: str) -> str:
    """The URL of a generated page's source path."""
    return base + (source.removesuffix(".md") + ".html")


def search_word(sample_site: BuiltSite) -> tuple[str, str]:
    """A word of an artifact's body that no other page of the site contains, and that artifact's page.

    Read from the built search index, so that the choice follows the sample's content as it changes.
    """
    import json

    index = json.loads((sample_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text_by_page: dict[str, str] = {}
    for doc in index["docs"]:
        location = doc["location"].split("#")[0]
        text_by_page[location] = text_by_page.get(location, "") + " " + doc["title"] + " " + doc["text"]
    text_by_page = {page: text.casefold() for page, text in text_by_page.items()}
    for artifact in sorted(sample_site.result.playbook.artifacts, key=lambda a: a.model.id):
        location = pages.artifact_path(artifact.model.id).removesuffix(".md") + ".html"
        title = artifact.model.title.casefold()
        for word in re.findall(r"\b[a-z]{8,}\b", artifact.document.body):
            stem = word[:6]
            others = [page for page, text in text_by_page.items() if page != location and stem in text]
            if not others and word not in title and word in text_by_page.get(location, ""):
                return word, location
    raise AssertionError("no word of an artifact's body is unique to its page")


def run_search(page: Any, expect: Any, word: str) -> list[str]:
    """Type ``word`` in Material's search box (key by key: it listens to key events); return result links."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile("Initializing search"), timeout=TIMEOUT_MS)
    box.press_sequentially(word, delay=20)
    expect(page.locator("a.md-search-result__link").first).to_be_attached(timeout=TIMEOUT_MS)
    links: list[str] = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    return links


# Tests ------------------------------------------------------------------------------------------


def test_every_page_loads_without_errors_or_external_requests(tab: Tab, base_url: str, sample_site: BuiltSite) -> None:
    for source in page_sources(sample_site):
        response = tab.page.goto(url_of(base_url, source), wait_until="load")
        assert response is not None and response.status == 200, source
        assert tab.page.locator("article h1").count() == 1, source
    tab.page.goto(base_url, wait_until="networkidle")  # the home page, until the search index is loaded
    assert tab.record.errors == []
    assert tab.record.external({"http"}, "127.0.0.1") == []
    assert any("/search/search_index." in url for url in tab.record.requests)


def test_search_finds_an_artifact_by_a_word_of_its_body(
    tab: Tab, base_url: str, sample_site: BuiltSite, playwright_api: Any
) -> None:
    word, location = search_word(sample_site)
    tab.page.goto(base_url)
    links = run_search(tab.page, playwright_api.expect, word)
    paths = {urlsplit(link).path for link in links}
    assert f"/{location}" in paths, f"searching {word!r}: {links}"
    tab.page.locator(f"a.md-search-result__link[href^='{base_url + location}']").first.click()
    tab.page.wait_for_url(re.compile(re.escape(base_url + location)))
    assert tab.record.errors == []
    assert tab.record.external({"http"}, "127.0.0.1") == []


def test_the_matrix_shows_every_practice_with_its_status(tab: Tab, base_url: str, sample_site: BuiltSite) -> None:
    tab.page.goto(url_of(base_url, "matrix.md"))
    rows = tab.page.eval_on_selector_all(
        "article table tr",
        """rows => rows
            .filter(row => row.querySelector("td:first-child a[href^='practices/']"))
            .map(row => [
                row.querySelector("td:first-child a").textContent.trim(),
                row.querySelector(".pp-badge") ? row.querySelector(".pp-badge").textContent.trim() : null,
                row.querySelector(".pp-badge") ? row.querySelector(".pp-badge").checkVisibility() : false,
            ])""",
    )
    with use_language("fr"):  # the sample is French first: its root speaks French
        expected = [(c.practice.id, pages.status_label(c.status), True) for c in sample_site.result.coverage]
    assert len(expected) == 25
    assert sorted(tuple(row) for row in rows) == sorted(expected)


def test_navigation_by_level_reaches_a_practice_and_back(tab: Tab, base_url: str, playwright_api: Any) -> None:
    expect = playwright_api.expect
    page = tab.page
    page.goto(base_url)
    nav = page.locator("nav.md-nav--primary")
    nav.get_by_role("link", name="Haute direction", exact=True).click()  # the sample's navigation is French
    page.wait_for_url(base_url + "levels/top.html")
    expect(page.locator("article h1")).to_have_text(re.compile("Ce que fait ici la haute direction"))
    practice = page.locator("article table a[href^='../practices/']").first
    practice_id = practice.inner_text().strip()
    practice.click()
    page.wait_for_url(f"{base_url}practices/{practice_id}.html")
    expect(page.locator("article h1")).to_have_text(re.compile(f"^{re.escape(practice_id)}: "))
    expect(page.locator("article")).to_contain_text("Haute direction")
    page.go_back()
    page.wait_for_url(base_url + "levels/top.html")
    expect(page.locator("article h1")).to_have_text(re.compile("Ce que fait ici la haute direction"))
    page.go_back()
    page.wait_for_url(base_url)
    assert tab.record.errors == []


def test_the_site_works_from_a_file_url(tab: Tab, sample_site: BuiltSite, playwright_api: Any) -> None:
    home = (sample_site.site / "index.html").as_uri()
    tab.page.goto(home, wait_until="load")
    playwright_api.expect(tab.page.locator("article h1")).to_be_visible()
    tab.page.goto((sample_site.site / "matrix.html").as_uri(), wait_until="load")
    tab.page.goto(home, wait_until="load")
    word, location = search_word(sample_site)
    links = run_search(tab.page, playwright_api.expect, word)
    target = built_page(sample_site.site, location.removesuffix(".html") + ".md").as_uri()
    assert any(link.startswith(target) for link in links), f"searching {word!r} from file://: {links}"
    assert tab.record.errors == []
    assert tab.record.external({"file"}, None) == []
    shim = sample_site.site / "assets" / "pptoolkit" / "iframe-worker-shim.js"
    assert shim.as_uri() in tab.record.requests  # the search worker shim comes from the site itself


AXE_PAGES = ["index.md", "matrix.md", "practice", "levels/top.md", "artifact", "owners.md", "gaps.md"]


@pytest.mark.parametrize("which", AXE_PAGES)
def test_no_wcag_violations(tab: Tab, base_url: str, sample_site: BuiltSite, axe_script: Path, which: str) -> None:
    result = sample_site.result
    source = {
        "practice": pages.practice_path(result.coverage[0].practice.id),
        "artifact": pages.artifact_path(result.playbook.artifacts[0].model.id),
    }.get(which, which)
    tab.page.add_init_script(path=str(axe_script))  # an inline <script> tag would be refused by the site's policy
    tab.page.goto(url_of(base_url, source), wait_until="networkidle")
    violations = tab.page.evaluate(
        """async tags => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
            }));
        }""",
        WCAG_TAGS,
    )
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {node}" for node in v["nodes"])
        for v in violations
    )
    assert violations == [], f"{source}:\n{report}"


def settled_search(page: Any, expect: Any, query: str) -> list[str]:
    """The result pages (paths, in order) for ``query`` once the results are those of the whole query."""
    run_search(page, expect, query)
    expect(page.locator(f"a.md-search-result__link[href*='h={query}']").first).to_be_attached(timeout=TIMEOUT_MS)
    links = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    return list(dict.fromkeys(urlsplit(link).path for link in links))


def test_search_ranks_a_practice_first_for_its_own_words_and_snippets_start_with_text(
    tab: Tab, base_url: str, playwright_api: Any
) -> None:
    english = base_url + "en/"  # the study's words are English: searched in the English tree, with its pipeline
    tab.page.goto(english)
    found = settled_search(tab.page, playwright_api.expect, "compensate")  # S3: "... funds to compensate PA ..."
    assert found[0] == "/en/practices/S3.html", found[:5]
    tab.page.goto(english)
    found = settled_search(tab.page, playwright_api.expect, "compensation")  # S3 came ninth
    assert "/en/practices/S3.html" in found[:5], found
    snippets = tab.page.eval_on_selector_all(
        "a.md-search-result__link article", "items => items.map(item => item.textContent.trim())"
    )
    assert snippets and not [s for s in snippets if "Field Value" in s or s.startswith("Field")], snippets[:5]
