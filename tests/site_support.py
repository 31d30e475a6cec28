"""Helpers of the site tests (tests/site/): playbooks copied to a temporary folder, builds, HTML parsing.

Plain functions, no fixtures (the fixtures are in ``tests/site/conftest.py``):

- ``SMALL_PLAYBOOK`` (``tests/site/playbook``: 3 practices, 2 roles, 2 artifacts,
  1 evidence file) and ``copy_small``/``copy_sample`` (the repository's own sample
  playbook) to get a playbook one may change;
- ``set_today`` pins the plugin's ``today`` option so that a build does not depend
  on the real date; ``add_artifacts`` makes a playbook as large as a test needs;
- ``build_cli`` runs ``python -m pptoolkit build`` in a subprocess;
- ``parse_html`` reads a built page once: its links (``href``, ``src``...), the
  links of the primary navigation, its scripts, its text, section by section;
- ``snapshot`` records a folder's files byte for byte;
- ``non_generated_files`` lists what a built site holds besides generated pages and theme files;
- ``served`` serves a built site on 127.0.0.1 while a block runs;
- ``unavailable`` skips a browser test locally, and fails it in CI, when Chromium is missing.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pptoolkit.checking.checker import Result, check
from pptoolkit.model.matrix import LEVELS
from pptoolkit.publishing import build, languages, pages
from pptoolkit.publishing.build import BuildOptions, build_site

REPO_ROOT = Path(__file__).resolve().parents[1]
SITE_TESTS = Path(__file__).resolve().parent / "site"
SMALL_PLAYBOOK = SITE_TESTS / "playbook"
GOLDEN = SITE_TESTS / "golden"
SAMPLE_PARTS = ("mkdocs.yml", "content", "policies", "checks", "evidence")
"""What a copy of the repository's sample playbook holds."""

TODAY = date(2026, 11, 26)
"""The date the site tests check and build as of (the same as ``tests/conftest.py``'s)."""

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Launch arguments of Debian's Chromium: headless, and no background connections on a closed network."""


def unavailable(message: str) -> None:
    """Fail in CI (the browser tests must run there), skip elsewhere: ``message`` says what to install."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: the browser tests may not be skipped)", pytrace=False)
    pytest.skip(message)


URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background"})
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


# Playbooks ---------------------------------------------------------------------------------------


def copy_small(dest: Path) -> Path:
    """Copy the small playbook of the site tests to ``dest`` (which must not exist); return ``dest``."""
    shutil.copytree(SMALL_PLAYBOOK, dest, ignore=shutil.ignore_patterns("site", ".site-*"))
    return dest


def copy_sample(dest: Path) -> Path:
    """Copy the repository's sample playbook (mkdocs.yml, content, policies, checks, evidence) to ``dest``."""
    dest.mkdir(parents=True)
    for part in SAMPLE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:
            shutil.copy2(source, dest / part)
    return dest


def set_today(root: Path, today: date = TODAY) -> None:
    """Pin ``plugins.pptoolkit.today`` in ``root/mkdocs.yml`` (for builds through the plugin only).

    ``pptoolkit check`` and ``pptoolkit build`` read the same entry and do not
    know this option: use it with ``build_site``, not with the command line.
    """
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)- pptoolkit:?\s*$", line)
        if match:
            indent = match.group(1)
            lines[index : index + 1] = [f"{indent}- pptoolkit:", f'{indent}    today: "{today.isoformat()}"']
            break
    else:
        raise AssertionError(f"no `- pptoolkit` plugin entry in {config}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


SCRIPT_TITLE = "<script>alert(1)</script>"
LINK_TITLE = "[x](javascript:alert(1))"


def write_hostile_playbook(root: Path) -> Path:
    """A copy of the small playbook whose vision is titled ``SCRIPT_TITLE`` and whose director's title is
    ``LINK_TITLE`` (a Markdown link with a ``javascript:`` URL)."""
    copy_small(root)
    vision = root / "policies" / "vision.md"
    text = vision.read_text(encoding="utf-8")
    assert "title: Our vision of partnership\n" in text
    vision.write_text(
        text.replace("title: Our vision of partnership\n", f'title: "{SCRIPT_TITLE}"\n'), encoding="utf-8"
    )
    roles = root / "checks" / "roles.yml"
    text = roles.read_text(encoding="utf-8")
    assert "title: Director General\n" in text
    roles.write_text(text.replace("title: Director General\n", f'title: "{LINK_TITLE}"\n'), encoding="utf-8")
    return root


BODY_PARAGRAPH = (
    "Each quality improvement team invites patient advisors from the start of a project, prepares them, "
    "and tells them what changed because of their contribution. "
)


def add_artifacts(root: Path, count: int, paragraphs: int = 2) -> list[str]:
    """Write ``count`` extra valid artifacts (visions of D1 owned by ``director-general``); return their ids.

    Fits the small playbook (its roles and its ``evidence/minutes.md``).
    """
    ids = []
    for number in range(count):
        artifact_id = f"extra-{number:04d}"
        body = "\n\n".join(f"## Part {n}\n\n{BODY_PARAGRAPH * 4}" for n in range(paragraphs))
        text = f"""\
---
id: {artifact_id}
kind: vision
title: Extra vision {number}
owner: director-general
status: approved
approved_on: 2026-01-15
review_by: 2028-06-30
implements: [D1]
statement: Patients and families are partners.
evidence:
  - title: Board minutes
    date: 2026-01-15
    link: ../../evidence/minutes.md
---

# Extra vision {number}

{body}
"""
        file = root / "policies" / "extra" / f"{artifact_id}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        ids.append(artifact_id)
    return ids


# Builds ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    """A playbook copied to a temporary folder, its checker result as of ``TODAY``, and its built site."""

    root: Path
    site: Path
    result: Result
    strict: bool


def build_copy(root: Path, strict: bool | None = None) -> BuiltSite:
    """Check the playbook at ``root`` as of ``TODAY``, pin ``today`` and build it with ``build_site``.

    ``strict=None``: strict unless the checker finds errors (the sample's content is
    still being completed; the browser tests need a site anyway).
    """
    result = check(root, TODAY)  # before set_today: `pptoolkit check` does not read the `today` option
    if strict is None:
        strict = result.errors == 0
    set_today(root)
    site = build_site(BuildOptions(root=root, site_dir=root / "site", strict=strict))
    return BuiltSite(root, site, result, strict)


def cli_command(root: Path, *args: str) -> list[str]:
    """The command line of ``pptoolkit build ROOT ARGS``."""
    return [sys.executable, "-m", "pptoolkit", "build", str(root), *args]


def cli_env() -> dict[str, str]:
    """The environment of a ``pptoolkit`` subprocess."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore::DeprecationWarning"}


def build_cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pptoolkit build ROOT ARGS``; return the finished process (output as text)."""
    return subprocess.run(
        cli_command(root, *args), capture_output=True, text=True, env=cli_env(), timeout=timeout, check=False
    )


def page_sources(built: BuiltSite) -> list[str]:
    """The source path of every page the issue lists, for this playbook (plus the tags page)."""
    result = built.result
    return [
        "index.md",
        "matrix.md",
        "practices/index.md",
        *(pages.practice_path(c.practice.id) for c in result.coverage),
        "levels/index.md",
        *(pages.level_path(level) for level in LEVELS),
        "artifacts/index.md",
        *(pages.artifact_path(a.model.id) for a in result.playbook.artifacts),
        "owners.md",
        "gaps.md",
        "tags.md",
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path → bytes)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(site.rglob("*.html"))


def built_page(site: Path, source: str) -> Path:
    """The built file of a generated page's source path (``practices/D1.md`` → ``practices/D1.html``)."""
    return site / (source.removesuffix(".md") + ".html" if source.endswith(".md") else source)


def built_name(site_path: str) -> str:
    """The file MkDocs writes for any source path: a Markdown page becomes HTML (use_directory_urls is off)."""
    stem, suffix = posixpath.splitext(site_path)
    return stem + ".html" if suffix.lower() in (".md", ".markdown", ".mdown", ".mkdn", ".mkd") else site_path


def non_generated_files(root: Path, site: Path, result: Result) -> set[str]:
    """The files of a built site that are not generated pages, nor the theme's, the plugins' or the search index's,
    in the tree of each of the playbook's languages (``en/`` ...).

    What ``result``'s publication lists (see :func:`published_names`), and nothing else, should be left.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(root / "mkdocs.yml"))
    theme = Files([])
    theme.add_files_from_theme(config.theme.get_env(), config)
    settings = result.playbook.settings
    expected: set[str] = {
        build.MARKER
    }  # written by `pptoolkit build` so that the folder is known as this playbook's site
    for language in settings.languages:
        tree = languages.tree(language, settings)
        expected |= {tree + file.src_uri for file in theme}
        expected |= {tree + built_name(page.path) for page in pages.site_pages(languages.in_language(result, language))}
        expected |= {tree + name for name in ("404.html", "sitemap.xml", "sitemap.xml.gz", "reviews.ics", "tags.json")}
    found = {file.relative_to(site).as_posix() for file in site.rglob("*") if file.is_file()}
    plugin_files = tuple(
        languages.tree(lang, settings) + folder
        for lang in settings.languages
        for folder in ("assets/pptoolkit/", "search/")
    )
    return {path for path in found - expected if not path.startswith(plugin_files)}


def published_names(result: Result) -> set[str]:
    """The files of the built site that the publication lists, in each language's tree."""
    settings = result.playbook.settings
    files = result.playbook.publication.files
    return {
        languages.tree(language, settings) + built_name(path)
        for language in settings.languages
        for path, _, _ in languages.files_in_language(files, language, settings)
    }


# Serving a built site ----------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 (a random free port) while the block runs: its URL, ending in ``/``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# URLs --------------------------------------------------------------------------------------------


def is_external(url: str) -> bool:
    """True when ``url`` names a scheme or a host: anything but a path relative to the site or a fragment."""
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc or url.strip().startswith("//"))


def resolve(site: Path, page: Path, href: str) -> Path | None:
    """The file a relative ``href`` of ``page`` points to inside ``site`` (None for a fragment or outside)."""
    path = unquote(urlsplit(href).path)
    if not path:
        return None
    base = "" if path.startswith("/") else posixpath.dirname(page.relative_to(site).as_posix())
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined.startswith("../") or joined == "..":
        return None
    target = site / joined
    return target / "index.html" if target.is_dir() else target


# HTML --------------------------------------------------------------------------------------------


@dataclass
class Link:
    """A URL in a page: the element, the attribute, the value, and where it is."""

    tag: str
    attribute: str
    url: str
    section: str
    """The id of the article's ``h2`` the link comes under ("" before any, and outside the article)."""
    in_primary_nav: bool
    classes: tuple[str, ...]
    text: str = ""


@dataclass
class ParsedPage:
    """What the tests read from a built page."""

    links: list[Link] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    """Each ``<script>``: its attributes and its inline text."""
    text: str = ""
    """The text of the page's article (``.md-content``), whitespace collapsed."""
    all_text: str = ""
    """Every text of the page (title and header included), whitespace collapsed."""
    sections: dict[str, str] = field(default_factory=dict)
    """The article's text by ``h2`` id ("" for what comes before the first ``h2``)."""

    def nav_links(self) -> list[str]:
        """The page links of the primary navigation (the table of contents' ``#`` anchors left out)."""
        return [
            link.url
            for link in self.links
            if link.in_primary_nav
            and link.tag == "a"
            and "md-nav__link" in link.classes
            and not link.url.startswith("#")
        ]

    def anchors(self, section: str | None = None) -> list[Link]:
        """The page's ``<a href>`` links, optionally only those under one ``h2`` of the article."""
        return [
            link
            for link in self.links
            if link.tag == "a" and link.attribute == "href" and (section is None or link.section == section)
        ]


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, opens primary nav, opens article
        self.nav_depth = 0
        self.article_depth = 0
        self.section = ""
        self.script: tuple[dict[str, str], list[str]] | None = None
        self.anchor: Link | None = None
        self.text: list[str] = []
        self.all_text: list[str] = []
        self.sections: dict[str, list[str]] = {"": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = tuple(attributes.get("class", "").split())
        opens_nav = tag == "nav" and "md-nav--primary" in classes
        opens_article = tag == "div" and "md-content" in classes
        self.nav_depth += opens_nav
        self.article_depth += opens_article
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and value:
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    section = self.section if self.article_depth else ""
                    link = Link(tag, name, url, section, self.nav_depth > 0, classes)
                    self.page.links.append(link)
                    if tag == "a" and name == "href":
                        self.anchor = link
            if name == "style":
                for url in CSS_URL.findall(value):
                    self.page.links.append(Link(tag, "style", url, self.section, self.nav_depth > 0, classes))
        if tag == "script":
            self.script = (attributes, [])
        if tag == "h2" and self.article_depth:
            self.section = attributes.get("id", "")
            self.sections.setdefault(self.section, [])
        if tag not in VOID:
            self.stack.append((tag, opens_nav, opens_article))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        if tag == "a":
            self.anchor = None
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, opened_nav, opened_article = self.stack.pop()
            self.nav_depth -= opened_nav
            self.article_depth -= opened_article
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script[1].append(data)
            return
        self.all_text.append(data)
        if self.anchor is not None:
            self.anchor.text += data
        if self.article_depth:
            self.text.append(data)
            self.sections[self.section].append(data)

    def result(self) -> ParsedPage:
        self.page.text = _collapse(self.text)
        self.page.all_text = _collapse(self.all_text)
        self.page.sections = {name: _collapse(parts) for name, parts in self.sections.items()}
        for link in self.page.links:
            link.text = " ".join(link.text.split())
        return self.page


def _collapse(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def parse_html(text: str) -> ParsedPage:
    """Parse a built page."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.result()


def parse_page(path: Path) -> ParsedPage:
    """Parse a built page file."""
    return parse_html(path.read_text(encoding="utf-8"))
