"""Nothing pasted into a playbook runs or loads in a browser, and the site works under its Content Security Policy.

A copy of the sample playbook gets every case of ``tests/unsafe_html_support.py`` in an
artifact body, a content page, a Markdown evidence file and an HTML evidence file, and a
palette toggle; it is built non-strict (so that it is published) and opened in Debian's
Chromium with a trap: ``alert``, ``confirm``, ``prompt`` and ``print`` record their calls,
dialogs are recorded, so are console errors, requests that leave 127.0.0.1 or ``file:``, and
the policy's violations (``securitypolicyviolation`` events). Skipped locally without
Chromium, failed in CI (see ``test_browser.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from site_support import BuiltSite, build_copy, copy_sample, served
from test_browser import TIMEOUT_MS, run_search
from unsafe_html_support import ATTRIBUTE_LISTS, INJECTIONS

from pptoolkit.publishing import pages

pytestmark = pytest.mark.browser

ARTIFACT = "policies/designing/vision.md"
CONTENT_PAGE = "content/about.md"
MARKDOWN_EVIDENCE = "evidence/board-minutes-2025-06-18-vision.md"
HTML_EVIDENCE = "evidence/hostile-report.html"
# <plaintext> turns the rest of a page into text: it comes last, so that the other cases are read.
CASES = sorted(INJECTIONS, key=lambda case: case.name == "plaintext")
TRAP = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__fired.push(`${name}(${args.join(",")})`); };
}
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
FRONT_MATTER = """---
title: '<img src=x onerror=alert(24)>Planted'
description: '"><img src=x onerror=alert(25)>'
---

"""
PALETTE = """  palette:
    - scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
"""


def _markdown_cases() -> str:
    return "\n\n".join([*(case.html for case in ATTRIBUTE_LISTS), *(case.html for case in CASES)]) + "\n"


def plant(root: Path) -> Path:
    """Every case in an artifact body, a content page, a Markdown evidence file and an HTML evidence file."""
    for relative in (ARTIFACT, CONTENT_PAGE, MARKDOWN_EVIDENCE):
        file = root / relative
        text = file.read_text(encoding="utf-8") + "\n\n" + _markdown_cases()
        if relative != ARTIFACT:  # the theme prints a page's title and description outside its content
            text = FRONT_MATTER + text
        file.write_text(text, encoding="utf-8")
    body = "\n".join(case.html for case in CASES)
    (root / HTML_EVIDENCE).write_text(
        f"<!DOCTYPE html>\n<html><head><title>Report</title></head><body>\n<h1>Report</h1>\n{body}\n</body></html>\n",
        encoding="utf-8",
    )
    artifact = root / ARTIFACT
    text = artifact.read_text(encoding="utf-8")
    item = "  - title: Hostile report\n    date: 2025-06-18\n    link: ../../evidence/hostile-report.html\n"
    assert "\nevidence:\n" in text
    artifact.write_text(text.replace("\nevidence:\n", "\nevidence:\n" + item, 1), encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    palette = re.search(r"  palette:\n(    .*\n)+", text)
    assert palette is not None
    config.write_text(text.replace(palette.group(0), PALETTE), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample playbook with every case planted, built non-strict: what a reader would get."""
    built = build_copy(plant(copy_sample(tmp_path_factory.mktemp("hostile") / "playbook")), strict=False)
    assert built.result.errors > 0  # the checker saw the cases; the site was published anyway
    return built


@pytest.fixture(scope="module")
def hostile_url(hostile_site: BuiltSite) -> Iterator[str]:
    """The hostile site served over HTTP on 127.0.0.1, ending with ``/``."""
    with served(hostile_site.site) as url:
        yield url


@dataclass
class Trap:
    """A page with everything that would show script running or a load from another host recorded."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        # A broken image (the cases keep <img src=x> without its handler) is not a problem; anything else is.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console.append(message.text)

    def on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def sprung(self) -> dict[str, list[str]]:
        """What went off since the page loaded: calls, dialogs, violations, console errors, requests out."""
        outside = [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"file", "data", "blob", "about"}
            and not (urlsplit(url).scheme == "http" and urlsplit(url).hostname == "127.0.0.1")
        ]
        found = {
            "calls": self.page.evaluate("window.__fired"),
            "violations": self.page.evaluate("window.__violations"),
            "dialogs": self.dialogs,
            "console": self.console,
            "requests": outside,
        }
        return {key: value for key, value in found.items() if value}


@pytest.fixture
def trap(browser: Any) -> Iterator[Trap]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(TRAP)
    page = context.new_page()
    recorded = Trap(page)
    context.on("request", lambda request: recorded.requests.append(request.url))
    page.on("console", recorded.on_console)
    page.on("dialog", recorded.on_dialog)
    page.on("pageerror", lambda error: recorded.console.append(f"uncaught: {error}"))
    yield recorded
    context.close()


def visit(trap: Trap, url: str) -> None:
    """Open ``url`` and give handlers (an image that fails to load ...) the time to fire."""
    trap.page.goto(url, wait_until="load")
    trap.page.mouse.move(300, 300)
    trap.page.mouse.move(600, 500)
    trap.page.wait_for_timeout(300)


def planted_pages(site: BuiltSite) -> list[str]:
    """The site paths of the pages that hold the planted cases."""
    artifact = next(a for a in site.result.playbook.artifacts if a.path == ARTIFACT)
    return [
        pages.artifact_path(artifact.model.id).removesuffix(".md") + ".html",
        "about.html",
        pages.file_path(MARKDOWN_EVIDENCE).removesuffix(".md") + ".html",
        pages.file_path(HTML_EVIDENCE),
    ]


def test_nothing_planted_runs_or_loads_from_another_host(
    trap: Trap, hostile_site: BuiltSite, hostile_url: str, playwright_api: Any
) -> None:
    for path in planted_pages(hostile_site):
        assert (hostile_site.site / path).is_file(), path
        visit(trap, hostile_url + path)
        assert "Report" in trap.page.content() or trap.page.locator("article").count() == 1, path
        assert trap.sprung() == {}, path
    visit(trap, hostile_url + "index.html")
    assert run_search(trap.page, playwright_api.expect, "onerror")  # the planted text, shown as text
    trap.page.wait_for_timeout(300)
    assert trap.sprung() == {}


def test_nothing_planted_runs_from_a_file_url(trap: Trap, hostile_site: BuiltSite) -> None:
    for path in planted_pages(hostile_site):
        visit(trap, (hostile_site.site / path).as_uri())
        assert trap.sprung() == {}, path


def test_the_policy_stops_script_that_would_reach_a_page(trap: Trap, hostile_url: str) -> None:
    """The second wall on its own: markup with a handler and an inline script, added after the sanitizer."""
    visit(trap, hostile_url + "index.html")
    trap.page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<img src="x" onerror="alert(21)">');
            const script = document.createElement("script");
            script.textContent = "alert(22)";
            document.body.append(script);
        }"""
    )
    trap.page.wait_for_timeout(300)
    sprung = trap.sprung()
    assert "calls" not in sprung and "dialogs" not in sprung
    assert len(sprung["violations"]) == 2, sprung
    trap.page.evaluate("alert(23)")  # the trap itself works: a call that the policy does not see is recorded
    assert trap.sprung()["calls"] == ["alert(23)"]


def _pages_to_try(site: BuiltSite) -> list[str]:
    result = site.result
    return [
        "index.html",
        "matrix.html",
        pages.practice_path(result.coverage[0].practice.id).removesuffix(".md") + ".html",
        pages.artifact_path(result.playbook.artifacts[0].model.id).removesuffix(".md") + ".html",
        "tags.html",
    ]


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_the_site_works_under_its_policy(
    trap: Trap,
    hostile_site: BuiltSite,
    hostile_url: str,
    playwright_api: Any,
    scheme: str,
) -> None:
    def url(path: str) -> str:
        return hostile_url + path if scheme == "http" else (hostile_site.site / path).as_uri()

    for path in _pages_to_try(hostile_site):
        visit(trap, url(path))
        playwright_api.expect(trap.page.locator("article h1").first).to_be_visible()
        assert trap.sprung() == {}, path
    visit(trap, url("index.html"))
    scheme_before = trap.page.evaluate("document.body.dataset.mdColorScheme")
    trap.page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    playwright_api.expect(trap.page.locator("body")).not_to_have_attribute("data-md-color-scheme", scheme_before)
    links = run_search(trap.page, playwright_api.expect, "vision")
    assert links, "search found nothing under the policy"
    assert trap.sprung() == {}


# Review F1: MkDocs takes a page's title from its first heading, with a code span's or an entity's `<`
# kept; the theme printed it through `striptags` into <title>, where it ended the title, closed the head
# before the policy's <meta> and ran.
TITLE_HEADINGS = {
    "title-code-span": "# Minutes `</title><script>alert(201)</script>`",
    "title-entity": "# &lt;/title&gt;&lt;script&gt;alert(101)&lt;/script&gt;",
    "title-base": '# Notes `</title><base href="http://localhost:18777/">`',
    "title-refresh": '# Notes `</title><meta http-equiv="refresh" content="0;url=http://localhost:18777/">`',
    "title-stylesheet": '# Notes `</title><link rel="stylesheet" href="https://example.org/x.css">`',
}
TITLE_EVIDENCE = MARKDOWN_EVIDENCE


def plant_titles(root: Path) -> Path:
    """Each hostile heading as the first heading of a content page, and one as a Markdown evidence file's."""
    for name, heading in TITLE_HEADINGS.items():
        (root / "content" / f"{name}.md").write_text(f"{heading}\n\nMinutes.\n", encoding="utf-8")
    evidence = root / TITLE_EVIDENCE  # its first line: MkDocs takes the title from a heading that comes first
    evidence.write_text(
        TITLE_HEADINGS["title-code-span"] + "\n\n" + evidence.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def title_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample with hostile first headings: a strict build refuses it (PP701), a non-strict one publishes it."""
    from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site

    root = plant_titles(copy_sample(tmp_path_factory.mktemp("titles") / "playbook"))
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, site_dir=root / "strict-site", strict=True))
    built = build_copy(root, strict=False)
    located = {(d.path, d.line) for d in built.result.diagnostics if d.code == "PP701"}
    for name in TITLE_HEADINGS:
        assert (f"content/{name}.md", 1) in located, name
    assert (TITLE_EVIDENCE, 1) in located
    return built


def _title_pages(site: BuiltSite) -> list[str]:
    return [f"{name}.html" for name in TITLE_HEADINGS] + [pages.file_path(TITLE_EVIDENCE).removesuffix(".md") + ".html"]


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_heading_never_makes_markup_of_the_page_title(trap: Trap, title_site: BuiltSite, scheme: str) -> None:
    with served(title_site.site) as base:
        for path in _title_pages(title_site):
            url = f"{base}{path}" if scheme == "http" else None
            visit(trap, url or (title_site.site / path).as_uri())
            assert trap.sprung() == {}, path
            facts = trap.page.evaluate(
                """() => ({
                    policy: !!document.head.querySelector('meta[http-equiv="Content-Security-Policy"]'),
                    bodyPolicy: !!document.body.querySelector('meta[http-equiv="Content-Security-Policy"]'),
                    base: document.querySelectorAll('base').length,
                    refresh: document.querySelectorAll('meta[http-equiv="refresh"]').length,
                    links: [...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href),
                    scripts: [...document.scripts].filter(s => s.textContent.includes('alert')).length,
                    title: document.title,
                })"""
            )
            assert facts["policy"] and not facts["bodyPolicy"], (path, facts)
            assert (facts["base"], facts["refresh"], facts["scripts"]) == (0, 0, 0), (path, facts)
            assert not [link for link in facts["links"] if "example.org" in link], (path, facts)
            assert "/title>" in facts["title"].replace("\u2060", ""), (path, facts)  # shown as text
