"""The editors' forms end to end, offline: Decap CMS in headless Chromium, saving through its local proxy.

The site is built with an ``editor:`` entry; ``decap-server`` (the CMS's local backend, from
``npm ci``) serves a copy of the playbook on 127.0.0.1, as an editor's own machine would with
``npx decap-server``. Every request the page makes is recorded: none leaves 127.0.0.1.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from site_support import REPO_ROOT, TODAY, BuiltSite, build_copy, cli_env, copy_small, served, unavailable

from pptoolkit.authoring.translate import stamp_translation
from pptoolkit.checking.checker import check

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PROXY = REPO_ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
EDITOR_ENTRY = "      editor: {{backend: github, repo: example-org/playbook, local_port: {port}}}\n"
HOSTILE_ROLE = "  - id: chair\n    title: \"Chair <img src=x onerror=alert(1)> & 'co'\"\n    level: top\n"
CANONICAL_VISION = """\
---
id: vision-as-saved
kind: vision
title: A vision saved by the editor before
owner: director-general
status: draft
review_by: 2028-06-30
implements:
  - D1
statement: Patients are partners.
---
# A vision saved by the editor before

Its body stays as it is.
"""


FRENCH_ORIGINAL = """\
---
id: vision-bilingue
kind: vision
title: Notre vision du partenariat
owner: director-general
status: draft
review_by: 2028-06-30
implements:
  - D1
lang: fr
statement: Les patients sont des partenaires.
---
# Notre vision du partenariat

Son texte reste tel quel.
"""
ENGLISH_TRANSLATION = """\
---
title: Our vision of partnership
statement: Patients are partners.
---
# Our vision of partnership

Its text stays as it is.
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def with_editor(root: Path, port: int) -> Path:
    """``root`` with an ``editor:`` entry, a role whose title is markup, and the CMS's script reachable."""
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - pptoolkit\n", "  - pptoolkit:\n" + EDITOR_ENTRY.format(port=port)
        ),
        encoding="utf-8",
    )
    roles = root / "checks" / "roles.yml"
    roles.write_text(roles.read_text(encoding="utf-8") + HOSTILE_ROLE, encoding="utf-8")
    (root / "policies" / "vision-as-saved.md").write_text(CANONICAL_VISION, encoding="utf-8")
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    return root


@dataclass
class EditorSite:
    built: BuiltSite
    port: int


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> EditorSite:
    if not (REPO_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file() or not PROXY.is_file():
        unavailable("Decap CMS is not installed: `npm ci`")
    port = free_port()
    root = with_editor(copy_small(tmp_path_factory.mktemp("editor") / "playbook"), port)
    return EditorSite(build_copy(root, strict=True), port)


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> EditorSite:
    """The small playbook in French first (``languages: [fr, en]``), with a French original and its translation."""
    if not (REPO_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file() or not PROXY.is_file():
        unavailable("Decap CMS is not installed: `npm ci`")
    port = free_port()
    root = with_editor(copy_small(tmp_path_factory.mktemp("bilingual") / "playbook"), port)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  language: en\n", "  language: fr\n")
    config.write_text(text.replace("      editor:", "      languages: [fr, en]\n      editor:"), encoding="utf-8")
    (root / "policies" / "vision-bilingue.md").write_text(FRENCH_ORIGINAL, encoding="utf-8")
    (root / "policies" / "vision-bilingue.en.md").write_text(ENGLISH_TRANSLATION, encoding="utf-8")
    stamp_translation(root, root / "policies" / "vision-bilingue.en.md")
    return EditorSite(build_copy(root, strict=True), port)


@dataclass
class Proxy:
    root: Path
    process: subprocess.Popen[bytes]


@pytest.fixture
def proxy(editor_site: EditorSite, tmp_path: Path) -> Iterator[Proxy]:
    """``decap-server`` on 127.0.0.1 over a fresh copy of the playbook's sources (the site stays as built)."""
    yield from local_proxy(editor_site, tmp_path)


@pytest.fixture
def bilingual_proxy(bilingual_site: EditorSite, tmp_path: Path) -> Iterator[Proxy]:
    yield from local_proxy(bilingual_site, tmp_path)


def local_proxy(editor_site: EditorSite, tmp_path: Path) -> Iterator[Proxy]:
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is missing: it runs the CMS's local proxy (`apt-get install nodejs`)")
    root = tmp_path / "repository"
    shutil.copytree(editor_site.built.root, root, ignore=shutil.ignore_patterns("site", "node_modules", ".site-*"))
    env = {
        **os.environ,
        "PORT": str(editor_site.port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(root),
        "LOG_LEVEL": "warn",
    }
    process = subprocess.Popen([node, str(PROXY)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_proxy(editor_site.port)
        yield Proxy(root, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_proxy(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1", data=b'{"action": "info"}', headers={"Content-Type": "application/json"}
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"the CMS's local proxy did not answer on 127.0.0.1:{port}")


class EditorPage:
    """The admin page in Chromium, with every request and dialog recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.base = base

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.get_by_role("button", name="Login").click()

    def field(self, name: str) -> Any:
        return self.page.locator(f'[id^="{name}-field-"]').first

    def choose(self, name: str, text: str) -> None:
        """Pick a choice of a select field by typing part of its label, as an editor would."""
        self.field(name).click()
        self.field(name).press_sequentially(text)
        self.page.keyboard.press("Enter")

    def publish(self) -> None:
        self.page.get_by_role("button", name="Publish").click()
        self.page.get_by_text("Publish now").click()

    def off_site(self) -> list[str]:
        """Every request to anything but 127.0.0.1 (``blob:`` URLs of the page's own origin included)."""
        return [url for url in self.requests if urlsplit(url.removeprefix("blob:")).hostname != "127.0.0.1"]

    def close(self) -> None:
        self.context.close()


def eventually(condition: Callable[[], bool], seconds: float = 60) -> bool:
    """True as soon as ``condition`` holds (the proxy writes after the page says it saved), False after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def written(path: Path, before: str | None = None, seconds: float = 60) -> str:
    """The text the proxy wrote to ``path``, once it is there, differs from ``before`` and has settled.

    The proxy writes a file in place (truncated, then written), so a read in between sees an empty or partial
    file: the text counts once two reads a moment apart agree.
    """
    last: str | None = None

    def settled() -> bool:
        nonlocal last
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        done = text is not None and text.strip() != "" and text != before and text == last
        last = text
        return done

    assert eventually(settled, seconds), f"{path.name} was not written"
    assert last is not None
    return last


def errors_for(root: Path, path: str) -> list[str]:
    return [f"{d.code} {d.message}" for d in check(root, TODAY).diagnostics if d.path == path and d.is_error]


def problems_for(root: Path, path: str) -> list[str]:
    """Errors and warnings of ``path``."""
    return [f"{d.code} {d.message}" for d in check(root, TODAY).diagnostics if d.path == path]


def front_matter(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return loaded


def test_an_editor_creates_an_artifact_through_the_form_and_the_checker_accepts_it(
    browser: Any, editor_site: EditorSite, proxy: Proxy
) -> None:
    with served(editor_site.built.site) as base:
        editor = EditorPage(browser, base)
        try:
            editor.open("admin/#/collections/vision/new")
            editor.field("id").fill("vision-through-the-form")
            editor.field("title").fill("A vision written through the form")
            editor.choose("owner", "Director General")
            editor.choose("status", "draft")
            editor.field("review_by").fill("2027-06-30")
            editor.choose("implements", "D1 ")
            editor.choose("implements", "E1 ")
            editor.field("statement").fill("Patients are partners in every improvement.")
            editor.page.locator('.cms-editor-visual [contenteditable="true"]').first.click()
            editor.page.keyboard.type("Written by an editor who never saw YAML.")
            editor.publish()
            created = proxy.root / "policies" / "vision-through-the-form.md"
            assert eventually(created.is_file), sorted(p.name for p in (proxy.root / "policies").iterdir())
            assert front_matter(written(created)) | {"review_by": "2027-06-30"} == {
                "id": "vision-through-the-form",
                "kind": "vision",
                "title": "A vision written through the form",
                "owner": "director-general",
                "status": "draft",
                "review_by": "2027-06-30",
                "implements": ["D1", "E1"],
                "lang": "en",
                "statement": "Patients are partners in every improvement.",
            }
            assert "Written by an editor who never saw YAML." in created.read_text(encoding="utf-8")
            assert errors_for(proxy.root, "policies/vision-through-the-form.md") == []
            assert editor.off_site() == []
            assert editor.dialogs == []  # the role whose title is markup ran nothing
        finally:
            editor.close()


def test_an_editor_changes_an_owner_and_the_diff_is_that_line(
    browser: Any, editor_site: EditorSite, proxy: Proxy
) -> None:
    source = proxy.root / "policies" / "vision-as-saved.md"
    before = source.read_text(encoding="utf-8")
    with served(editor_site.built.site) as base:
        editor = EditorPage(browser, base)
        try:
            # From the artifact's page, as an editor would: its "Edit this page" link opens the form.
            editor.page.goto(base + "artifacts/vision-as-saved.html")
            editor.page.get_by_role("link", name="in the editor").click()
            editor.page.get_by_role("button", name="Login").click()
            editor.field("owner").wait_for()
            editor.choose("owner", "Patient Partnership Coordinator")
            editor.publish()
            after = written(source, before)
            changed = [
                line
                for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
                if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
            ]
            assert changed == ["-owner: director-general", "+owner: pp-coordinator"]
            assert errors_for(proxy.root, "policies/vision-as-saved.md") == []
            assert editor.off_site() == []
        finally:
            editor.close()


def test_the_admin_page_is_published_but_neither_searched_nor_in_the_sitemap(editor_site: EditorSite) -> None:
    site = editor_site.built.site
    names = {p.name for p in (site / "admin").iterdir()}
    assert {"index.html", "config.yml", "decap-cms.js"} <= names
    assert not any(name.endswith(".map") for name in names)
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "admin/" not in index
    sitemap = site / "sitemap.xml"
    assert sitemap.is_file()
    assert "admin" not in sitemap.read_text(encoding="utf-8")
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "noindex" in page
    artifact = (site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert 'href="../admin/index.html#/collections/vision/entries/vision"' in artifact
    assert 'href="https://github.com/example-org/playbook/edit/main/policies/vision.md"' in artifact


def test_pptoolkit_serve_serves_the_editor_with_the_registry_as_it_is_now(tmp_path: Path) -> None:
    root = with_editor(copy_small(tmp_path / "playbook"), free_port())
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "pptoolkit", "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
        env=cli_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        config = f"http://127.0.0.1:{port}/admin/config.yml"
        assert wait_for_text(config, "Patient Partnership Coordinator (pp-coordinator)"), log_of(tmp_path)
        assert wait_for_text(f"http://127.0.0.1:{port}/admin/", "decap-cms.js"), log_of(tmp_path)
        roles = root / "checks" / "roles.yml"
        roles.write_text(
            roles.read_text(encoding="utf-8").replace(
                "title: Director General", "title: Director General of the CISSS", 1
            ),
            encoding="utf-8",
        )
        assert wait_for_text(config, "Director General of the CISSS (director-general)"), log_of(tmp_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def log_of(folder: Path) -> str:
    return (folder / "serve.log").read_text(encoding="utf-8")


def wait_for_text(url: str, needle: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_an_editor_translates_beside_the_french_original_and_the_checker_accepts_both_files(
    browser: Any, bilingual_site: EditorSite, bilingual_proxy: Proxy
) -> None:
    policies = bilingual_proxy.root / "policies"
    original, translation = policies / "vision-bilingue.md", policies / "vision-bilingue.en.md"
    original_before, translation_before = original.read_text(encoding="utf-8"), translation.read_text(encoding="utf-8")
    stamp = front_matter(translation_before)["translation_of"]
    with served(bilingual_site.built.site) as base:
        editor = EditorPage(browser, base)
        try:
            editor.page.goto(base + "admin/#/collections/vision/entries/vision-bilingue")
            editor.page.get_by_role("button", name="Se connecter").click()
            titles = editor.page.locator('[id^="title-field-"]')
            titles.nth(1).wait_for()
            # The French original on the left, its English translation on the right, in a French form.
            assert [titles.nth(0).input_value(), titles.nth(1).input_value()] == [
                "Notre vision du partenariat",
                "Our vision of partnership",
            ]
            assert editor.page.get_by_text("Énoncé", exact=True).count() == 2
            # Decap's own words that its French lacks come from the tool's catalog (start.js).
            assert editor.page.get_by_text("Remplir à partir d'une autre langue").count() >= 1
            assert editor.page.get_by_text("Fill in from another locale").count() == 0
            assert editor.page.locator('label[for^="owner-field-"]:visible').count() == 1  # shared: the original's
            statements = editor.page.locator('[id^="statement-field-"]')
            statements.nth(1).fill("Patients are partners in every decision.")
            editor.page.get_by_role("button", name="Publier").click()
            editor.page.get_by_text("Publier maintenant").click()
            saved = written(translation, translation_before)
            # The translation keeps its own fields and its stamp; no shared field is written into it.
            assert front_matter(saved) == {
                "title": "Our vision of partnership",
                "statement": "Patients are partners in every decision.",
                "translation_of": stamp,
            }
            assert "Its text stays as it is." in saved
            # The original keeps its name, NAME.md, and its content (Decap wrote no vision-bilingue.fr.md).
            assert sorted(p.name for p in policies.glob("vision-bilingue*")) == [
                "vision-bilingue.en.md",
                "vision-bilingue.md",
            ]
            assert front_matter(original.read_text(encoding="utf-8")) == front_matter(original_before)
            assert problems_for(bilingual_proxy.root, "policies/vision-bilingue.en.md") == []
            assert errors_for(bilingual_proxy.root, "policies/vision-bilingue.md") == []
            assert editor.off_site() == []
        finally:
            editor.close()


def test_the_entry_list_of_a_french_playbook_names_statuses_in_french(
    browser: Any, bilingual_site: EditorSite, bilingual_proxy: Proxy
) -> None:
    with served(bilingual_site.built.site) as base:
        editor = EditorPage(browser, base)
        try:
            editor.page.goto(base + "admin/#/collections/vision")
            editor.page.get_by_role("button", name="Se connecter").click()
            card = editor.page.get_by_text("Notre vision du partenariat", exact=True)
            card.wait_for()
            entries = editor.page.locator("main").inner_text()
            assert not {"draft", "approved", "retired"} & set(re.findall(r"[a-z]+", entries)), entries
            editor.page.get_by_text("Filtrer par").click()
            for status in ("Ébauche", "Approuvé", "Retiré"):
                assert editor.page.get_by_text(status, exact=True).count() == 1, status
            editor.page.get_by_text("Approuvé", exact=True).click()
            card.wait_for(state="detached")  # a draft: filtered out
            assert editor.off_site() == []
        finally:
            editor.close()


def test_a_new_artifact_of_a_french_playbook_is_name_md_and_an_untranslated_one_has_no_translation_file(
    browser: Any, bilingual_site: EditorSite, bilingual_proxy: Proxy
) -> None:
    policies = bilingual_proxy.root / "policies"
    with served(bilingual_site.built.site) as base:
        editor = EditorPage(browser, base)
        try:
            editor.page.goto(base + "admin/#/collections/vision/new")
            editor.page.get_by_role("button", name="Se connecter").click()
            editor.field("id").fill("vision-par-le-formulaire")
            editor.field("title").fill("Une vision écrite dans le formulaire")
            editor.choose("owner", "Director General")
            editor.choose("status", "ébauche")
            editor.field("review_by").fill("2027-06-30")
            editor.choose("implements", "D1 ")
            editor.field("statement").fill("Les patients sont partenaires de chaque amélioration.")
            editor.page.locator('.cms-editor-visual [contenteditable="true"]').first.click()
            editor.page.keyboard.type("Écrite par une éditrice qui n'a jamais vu de YAML.")
            editor.page.get_by_role("button", name="Publier").click()
            editor.page.get_by_text("Publier maintenant").click()
            created = policies / "vision-par-le-formulaire.md"
            assert eventually(created.is_file), sorted(p.name for p in policies.iterdir())
            assert front_matter(written(created))["lang"] == "fr"
            # The English side was left empty: no translation file, and no NAME.fr.md for the original.
            assert sorted(p.name for p in policies.glob("vision-par-le-formulaire*")) == ["vision-par-le-formulaire.md"]
            assert errors_for(bilingual_proxy.root, "policies/vision-par-le-formulaire.md") == []
            assert editor.off_site() == []
        finally:
            editor.close()


def test_the_pages_of_the_original_and_of_its_translation_open_the_same_entry(bilingual_site: EditorSite) -> None:
    site = bilingual_site.built.site
    entry = "admin/index.html#/collections/vision/entries/vision-bilingue"
    french = (site / "artifacts" / "vision-bilingue.html").read_text(encoding="utf-8")
    english = (site / "en" / "artifacts" / "vision-bilingue.html").read_text(encoding="utf-8")
    assert f'href="../{entry}"' in french
    assert f'href="../../{entry}"' in english
    assert 'href="https://github.com/example-org/playbook/edit/main/policies/vision-bilingue.en.md"' in english
