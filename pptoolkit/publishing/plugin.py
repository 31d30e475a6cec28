"""The MkDocs plugin: a thin adapter that checks the playbook and adds the generated pages.

The pages come from :mod:`pptoolkit.publishing.pages` (plain functions); the check from
:func:`pptoolkit.checking.checker.check`, the same code path as ``pptoolkit check``.
Checker errors are logged as warnings, so ``mkdocs build --strict`` fails and
names them; checker warnings, and the coverage errors that the playbook's baseline accepts
(``checks/baseline.yml``), are logged as information and never fail a build.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from material.plugins.tags.structure.tag import Tag
from mkdocs.commands.build import build as build_tree
from mkdocs.config import base
from mkdocs.config.base import BaseConfigOption, ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from pptoolkit.checking.checker import Result, check
from pptoolkit.checking.html_safety import (
    escape_values,
    neutralize,
    plain_title,
    sanitize_html,
    sanitize_html_file,
    sanitize_svg,
)
from pptoolkit.i18n import ngettext, pgettext, use_language
from pptoolkit.loading.publication import PublicationChanged, PublishedFile, published_content
from pptoolkit.model.settings import (
    LANGUAGE_CODE,
    PLUGIN_OPTIONS,
    ConfigError,
    Settings,
    build_date,
    load_settings,
    settings_from_options,
    validate_entry,
)
from pptoolkit.publishing.abbreviations import glossary, unnested
from pptoolkit.publishing.cards import label_cells
from pptoolkit.publishing.csp import POLICY_PARTIAL, THEME_DIR, SitePolicy
from pptoolkit.publishing.editor import EditorUnavailable, admin_files
from pptoolkit.publishing.languages import (
    LANGUAGE_NAMES,
    alternates,
    files_in_language,
    in_language,
    tag_label,
    tree,
)
from pptoolkit.publishing.pages import INDEX_PAGES, EvidenceBacklinks, site_pages
from pptoolkit.publishing.pages.tags import tags_index_page, tags_marker
from pptoolkit.reading.documents import TextChanged, first_title
from pptoolkit.reporting.calendar import CALENDAR_FILE, review_calendar
from pptoolkit.reporting.printable import is_utf8, one_line
from pptoolkit.reporting.reporters import diagnostic_line

log = get_plugin_logger(__name__)

ASSETS = "assets/pptoolkit"
SHIM = f"{ASSETS}/iframe-worker-shim.js"
STYLESHEET = f"{ASSETS}/pptoolkit.css"
EXTENSIONS = ("attr_list", "md_in_html", "tables", "admonition", "toc", "abbr")
STRICT_ERRORS_SHOWN = 50
SEARCH_WORKER = re.compile(r"assets/javascripts/workers/search\.\w+\.min\.js")
"""Material's search worker, whose name holds a hash of its content."""


NOT_GIVEN = object()
"""The value of an option the plugin entry does not set (``None`` may be written, and is then refused)."""


class EntryOption(BaseConfigOption[Any]):
    """One option of the plugin entry, kept as written: the entry is validated whole, by ``validate_entry``."""

    def __init__(self, doc: str) -> None:
        super().__init__()
        self.default = NOT_GIVEN
        self.doc = doc


class PlaybookConfig(base.Config):
    """Options of the `pptoolkit` plugin entry in `mkdocs.yml`: those of ``settings.PLUGIN_OPTIONS``.

    Validated by the command line's own ``validate_entry``, so that MkDocs and ``pptoolkit check``
    accept the same entries and refuse the others with the same message.
    """

    def entry(self) -> dict[str, Any]:
        """The options the plugin entry sets, as written."""
        return {key: value for key, value in self.items() if value is not NOT_GIVEN}

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """Refuse what ``pptoolkit check`` refuses, under the option's name, with its message."""
        config_file = Path(self.config_file_path) if self.config_file_path else None
        try:
            validate_entry(self.entry(), config_file)
        except ConfigError as error:
            return [(error.keys[0] if error.keys else "", ValidationError(str(error)))], []
        return super().validate()


PlaybookConfig._schema = tuple((name, EntryOption(doc)) for name, doc in PLUGIN_OPTIONS.items())


def _asset(name: str) -> bytes:
    return resources.files("pptoolkit").joinpath(f"data/assets/{name}").read_bytes()


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Checks the playbook and publishes it as pages."""

    def __init__(self) -> None:
        self.result: Result | None = None
        self.checked: Result | None = None  # given by `pptoolkit build`, which has just checked the playbook
        self.root = Path(".")
        self.pages: set[str] = set()
        self.languages: tuple[str, ...] = Settings.languages
        self.language = Settings().default_language
        """The language of the tree being built: the default's (the site's root), then each other's (``<lang>/``)."""
        self.shown_in_default: set[str] = set()  # the pages of this tree shown in the default language
        self.backlinks: EvidenceBacklinks | None = None  # the evidence pages' last section, in this tree's language
        self._search_defaults: dict[str, Any] | None = None
        self._tags_allowed: set[Tag] | None = None  # the tags plugin's `tags_allowed`, as mkdocs.yml gives it
        self._site_name: str | None = None  # mkdocs.yml's `site_name`: the default language's
        self._site_description: str | None = None  # mkdocs.yml's `site_description`: the default language's
        self._own_abbreviations: dict[str, str] | None = None  # those of mkdocs.yml, kept across the trees
        self._translating = False  # building a tree in another language than the default, under the default's

    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Before the offline plugin's (priority 0), so that its search shim is served from the site itself.

        Before the search plugin's too (0), which takes its language from the theme's: each language's
        tree is built with the theme, and search, in that language.
        """
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self._configure_language(config)
        self._allow_tag_labels(config)
        polyfills = config.extra.get("polyfills") or []
        if not any("iframe-worker" in str(url) for url in polyfills):
            config.extra["polyfills"] = [*polyfills, SHIM]
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        for extension in EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self._explain_abbreviations(config)
        self._add_content_security_policy(config)
        if not config.site_url:
            log.info(
                "site_url is not set: 404.html links from the server's root (/); if the site is published "
                "under a sub-path, set site_url to its address (every other page links relatively)"
            )
        return config

    def _explain_abbreviations(self, config: MkDocsConfig) -> None:
        """PP, PA, QI ... explained on every page in the tree's language (``<abbr title>``); the abbreviations
        that ``mkdocs.yml`` gives the ``abbr`` extension itself come first."""
        options = config.mdx_configs.setdefault("abbr", {})
        if self._own_abbreviations is None:
            self._own_abbreviations = dict(options.get("glossary") or {})
        options["glossary"] = {**glossary(self.language), **self._own_abbreviations}
        if "content.tooltips" not in config.theme.get("features", []) and config.theme.name == "material":
            config.theme["features"] = [*config.theme.get("features", []), "content.tooltips"]

    def _configure_language(self, config: MkDocsConfig) -> None:
        """The theme and the search in the language of the tree being built, when the playbook has several."""
        try:
            settings = settings_from_options(self.config.entry(), self._site_name or config.site_name)
        except ConfigError:
            return  # the check says why, naming the option
        self.languages = settings.languages
        if not self._translating:
            self.language = self.languages[0]
            self._site_name = config.site_name
            self._site_description = config.site_description
        if len(self.languages) < 2:
            return
        config.theme["language"] = self.language
        config.site_name = settings.site_name_in(self.language)
        config.site_description = settings.site_description_in(self.language) or self._site_description
        config.extra["alternate"] = True  # the header shows the switcher, whose links each page gives
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:  # it keeps the language it found first: let it find this tree's
            wanted = ("lang", "separator", "pipeline")
            if self._search_defaults is None:
                self._search_defaults = {key: search.config.get(key) for key in wanted}
            for key, value in self._search_defaults.items():
                search.config[key] = value

    def _allow_tag_labels(self, config: MkDocsConfig) -> None:
        """The tags plugin's ``tags_allowed`` also allows what readers of this tree see of each tag it lists.

        The pages carry the tags' values (``designing``); ``on_page_markdown`` shows their words.
        """
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        if tags is None:
            return
        if self._tags_allowed is None:
            self._tags_allowed = set(tags.config.tags_allowed)
        with use_language(self.language):
            labels = {Tag(tag_label(tag.name)) for tag in self._tags_allowed}
        tags.config.tags_allowed = self._tags_allowed | labels if self._tags_allowed else set()

    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """After the default language's tree (and after every other plugin), build each other language's under it.

        Each tree is a whole MkDocs build of its own into ``<site_dir>/<lang>/``: its pages, navigation,
        theme words, search index and offline search in its language, from the same check.
        """
        if len(self.languages) < 2 or self._translating:
            return
        site_dir, nav, checked = config.site_dir, config.nav, self.checked
        self._translating = True
        self.checked = self.result  # every tree is built from the same check
        try:
            for language in self.languages[1:]:
                self.language = language
                config.site_dir = os.path.join(site_dir, language)
                with use_language(language):
                    config.nav = _untitled(nav, home=pgettext("navigation", "Home"))
                build_tree(config)
        finally:
            self._translating, self.checked = False, checked
            self.language = self.languages[0]
            config.site_dir, config.nav = site_dir, nav
            config.theme["language"] = self.language
            config.site_name = self._site_name or config.site_name
            config.site_description = self._site_description

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Every page links to itself in the other languages (the switcher, and `hreflang` alternates).

        In a translated tree, each section of the navigation takes the title of its index page, now read.
        """
        if self._translating:
            _retitle_sections(nav.items)
        if len(self.languages) > 1:
            settings = Settings(languages=self.languages)
            context["pptoolkit_alternates"] = [  # type: ignore[typeddict-unknown-key]
                {"lang": language, "name": LANGUAGE_NAMES.get(language, language), "href": href}
                for language, href in alternates(page.url, self.language, settings)
                if language != self.language
            ]
        return context

    @staticmethod
    def _add_content_security_policy(config: MkDocsConfig) -> None:
        """Every page carries the site's Content Security Policy, through the theme override's ``main.html``.

        The override comes after a playbook's own ``custom_dir``, which keeps the last word; a
        ``main.html`` of its own must include the policy's template, or the build says so.
        """
        theme = config.theme
        if THEME_DIR not in theme.dirs:
            theme.dirs.insert(1 if theme.custom_dir else 0, THEME_DIR)
        own_main = Path(theme.custom_dir or "") / "main.html"
        if theme.custom_dir and own_main.is_file() and POLICY_PARTIAL not in own_main.read_text(encoding="utf-8"):
            log.warning(
                f"'{own_main}' replaces the theme override that gives every page its Content Security "
                f'Policy: add {{% include "{POLICY_PARTIAL}" %}} to its extrahead block'
            )
        context = {"config": config, "features": theme.get("features") or [], "page": None}
        config.extra["pptoolkit_csp"] = SitePolicy(
            theme.get_env(), context, _asset("iframe-worker-shim.js").decode(), theme.dirs
        )

    def _check(self, config: MkDocsConfig) -> Result:
        try:
            docs_dir = Path(config.docs_dir).resolve()
            relative_docs = docs_dir.relative_to(self.root).as_posix() if docs_dir.is_relative_to(self.root) else None
            entry = self.config.entry()
            config_file = Path(config.config_file_path) if config.config_file_path else None
            site_name = self._site_name or config.site_name  # the default language's, in every tree
            settings = settings_from_options(entry, site_name, relative_docs, config_file)
            today = build_date(entry.get("today")) or date.today()
            checked = self.checked
            if checked and (checked.playbook.root, checked.playbook.settings, checked.today) == (
                self.root,
                settings,
                today,
            ):
                result = checked  # the same playbook, settings and date: checking again would give the same result
            else:
                result = check(self.root, today, settings, use_cache=True)
            result.playbook.read_texts()  # the texts the cache knew unchanged: published only if still those checked
            return result
        except ConfigError as error:
            raise PluginError(f"pptoolkit: '{self.root / 'mkdocs.yml'}': {error}") from None
        except TextChanged as error:
            raise PluginError(f"pptoolkit: '{error.filename}': {error.strerror}") from None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """In strict mode, stop before MkDocs cleans or writes the site when the checker finds errors.

        MkDocs counts warnings for strict mode only at the log level it shows (``mkdocs build
        --strict -q`` counts none), so the plugin fails a strict build itself, whatever the level.
        The check is kept for ``on_files``, which then need not check again.
        """
        if not config.strict:
            return
        result = self._check(config)
        self.checked = result
        errors = [diagnostic_line(d) for d in result.diagnostics if d.is_error and d not in result.baselined]
        if errors:
            shown = "\n".join(errors[:STRICT_ERRORS_SHOWN])
            more = f"\n... and {len(errors) - STRICT_ERRORS_SHOWN} more" if len(errors) > STRICT_ERRORS_SHOWN else ""
            with use_language(result.playbook.settings.default_language):
                found = ngettext(
                    "strict mode: the checker found {count} error; the site is not built:",
                    "strict mode: the checker found {count} errors; the site is not built:",
                    len(errors),
                ).format(count=len(errors))
            raise PluginError(f"pptoolkit: {found}\n{shown}{more}")

    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Check the playbook, then publish its pages, styles and the files of its publication, and nothing else.

        Before other plugins see the files: every file MkDocs found in docs_dir is replaced by the
        publication's (content pages from the text that was checked), and a file the publication
        does not list never reaches the site.
        """
        result = self._check(config)
        self.result = result
        for unnamed in [file for file in files if not is_utf8(file.src_uri)]:
            files.remove(unnamed)  # MkDocs cannot make an address of a name that is not UTF-8; the checker says so
        for diagnostic in result.diagnostics:
            if diagnostic.is_error and diagnostic not in result.baselined:  # accepted gaps do not fail a strict build
                log.warning(diagnostic_line(diagnostic))
            else:
                log.info(diagnostic_line(diagnostic))
        publication = result.playbook.publication
        settings = result.playbook.settings
        found = self._remove_unpublished(files, config)
        view = in_language(result, self.language)
        self.backlinks = EvidenceBacklinks(view)
        with use_language(self.language):
            pages = site_pages(view, self.language)
        self.pages = {page.path for page in pages}
        for page in pages:
            self._add(
                files, File.generated(config, page.path, content=page.content, inclusion=self._inclusion(page.path))
            )
        self.shown_in_default = set()
        for site_path, published, in_default in files_in_language(publication.files, self.language, settings):
            if in_default and self._tags_index_in_language(files, config, published, site_path, found):
                continue
            if in_default:
                self.shown_in_default.add(site_path)
            published = replace(published, site_path=site_path)
            inclusion = found.get(published.site_path, InclusionLevel.UNDEFINED)
            if not published.content_page:
                inclusion = InclusionLevel.NOT_IN_NAV
            elif inclusion.is_excluded():
                continue  # `exclude_docs` in mkdocs.yml leaves it out of the site
            if published.site_path in self.pages:
                raise PluginError(
                    f"pptoolkit: '{published.source}': the playbook generates this page; remove or rename the file"
                )
            if self._theme_file(files, published.site_path, config):
                log.warning(
                    f"pptoolkit: '{published.source}': the theme has its own file at '{published.site_path}', "
                    "which content never replaces (to change the theme, use theme.custom_dir); it is not published"
                )
                continue
            try:
                svg = published.source.lower().endswith(".svg")
                content = published_content(self.root, published, sanitize_svg if svg else sanitize_html_file)
            except PublicationChanged as error:
                raise PluginError(f"pptoolkit: {error}") from None
            generated = File.generated(config, published.site_path, content=content, inclusion=inclusion)
            # Published from `content`; the source path is there for other plugins' messages (tags, dates ...).
            generated.abs_src_path = str(self.root / published.source)
            self._add(files, generated)
        for name, site_path in (("iframe-worker-shim.js", SHIM), ("pptoolkit.css", STYLESHEET)):
            self._add(files, File.generated(config, site_path, content=_asset(name)))
        self._stem_search(files, config)
        self._add(files, File.generated(config, CALENDAR_FILE, content=self._calendar(result, config)))
        self._add_editor(files, config, result)
        return files

    def _tags_index_in_language(
        self, files: Files, config: MkDocsConfig, published: PublishedFile, path: str, found: dict[str, InclusionLevel]
    ) -> bool:
        """A tags page not translated into this tree's language is made in it (True), with the same index.

        Every other untranslated page is shown in the default language, marked so (WCAG 3.1.2).
        """
        inclusion = found.get(path, InclusionLevel.UNDEFINED)
        if not published.content_page or inclusion.is_excluded():
            return False
        try:
            text = published_content(self.root, published, sanitize_html_file)
        except PublicationChanged as error:
            raise PluginError(f"pptoolkit: {error}") from None
        marker = tags_marker(text) if isinstance(text, str) else None
        if marker is None:
            return False
        with use_language(self.language):
            page = tags_index_page(path, marker)
        self.pages.add(path)  # made by pptoolkit: left alone by on_page_markdown, like the other generated pages
        self._add(files, File.generated(config, path, content=page.content, inclusion=inclusion))
        return True

    @staticmethod
    def _stem_search(files: Files, config: MkDocsConfig) -> None:
        """Material's search worker, with the tree's language stemming both the pages and the queries.

        The worker keeps its name (the page configuration and the Content Security Policy name it):
        ``search-stemming.js`` is added to its end, and runs before any search (see that file).
        """
        stemming = _asset("search-stemming.js")
        for worker in [file for file in files if file.generated_by is None and SEARCH_WORKER.fullmatch(file.src_uri)]:
            code = worker.content_bytes
            head, map_comment, tail = code.rpartition(b"\n//# sourceMappingURL=")  # the comment stays last
            content = head + b"\n" + stemming + map_comment + tail if map_comment else code + b"\n" + stemming
            files.remove(worker)
            files.append(File.generated(config, worker.src_uri, content=content))

    def _calendar(self, result: Result, config: MkDocsConfig) -> str:
        """The review calendar of this tree: in its language (the translations' titles, role titles, the site's
        name), each event linking to its page in this tree when ``site_url`` is set."""
        settings = result.playbook.settings
        site_url = f"{config.site_url.rstrip('/')}/{tree(self.language, settings)}" if config.site_url else None
        with use_language(self.language):
            return review_calendar(result, site_url)

    def _add_editor(self, files: Files, config: MkDocsConfig, result: Result) -> None:
        """The editors' forms under ``admin/``, made by the tool (never from the content folder), when configured."""
        editor = result.playbook.settings.editor
        if editor is None:
            return
        try:
            made = admin_files(result.playbook, editor, config.site_name)
        except EditorUnavailable as error:
            raise PluginError(f"pptoolkit: '{self.root / 'mkdocs.yml'}': {error}") from None
        for site_path, content in made:
            self._add(files, File.generated(config, site_path, content=content))

    @staticmethod
    def _remove_unpublished(files: Files, config: MkDocsConfig) -> dict[str, InclusionLevel]:
        """Remove every file MkDocs found in docs_dir (the publication adds back those it lists, from the
        checked text), and give the theme back any file of its own that one of them hid.

        Returns the inclusion MkDocs gave each removed file (`not_in_nav`, `exclude_docs` ...), by path.
        """
        found: dict[str, InclusionLevel] = {}
        for file in list(files):
            if file.generated_by is None and file.src_dir == config.docs_dir:
                found[file.src_uri] = file.inclusion
                files.remove(file)
        files.add_files_from_theme(config.theme.get_env(), config)
        return found

    @staticmethod
    def _theme_file(files: Files, path: str, config: MkDocsConfig) -> bool:
        existing = files.get_file_from_path(path)
        return existing is not None and existing.generated_by is None and existing.src_dir in config.theme.dirs

    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Whatever Python-Markdown made of a page, nothing in its HTML runs or loads from another host.

        Last of the plugins (-100), so that what another plugin adds to a page's content is judged too.
        MkDocs has just taken the page's title from its first heading: it becomes plain, escaped
        text, which the theme prints in the head, the header, the navigation and the search index.
        """
        if page.title:
            page.title = plain_title(page.title)
        written_in = self._language_of(page)
        content = unnested(sanitize_html(html))  # an author's own <abbr> is left alone
        if written_in is not None and written_in != config.theme["language"]:  # it says its language (WCAG 3.1.2)
            return f'<div lang="{written_in}">{content}</div>'
        return content

    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """The tables of the page's content made ready to be cards on a phone (``cards.label_cells``).

        Here, on the written page, rather than in ``on_page_content``: the search index reads the content
        and keeps no attribute, and parsing the labels of every cell cost it 0.9 s at 5,000 artifacts.
        First of the plugins (100), so that the content is still in the page as the theme printed it.
        """
        content = page.content or ""
        if "<table>" not in content:
            return output
        start = output.find(content)
        if start == -1:  # not printed as it is: every table of the page is labelled
            return label_cells(output)
        return output[:start] + label_cells(content) + output[start + len(content) :]

    def _language_of(self, page: Page) -> str | None:
        """The language a published page says it is written in, when the tree's may not be: a ``lang`` of its
        front matter (an evidence file in English in a French site), or the default language for a page
        not yet translated; None for the others, in the tree's language (the generated pages, too).
        """
        declared = page.meta.get("lang") if page.file.src_uri not in self.pages else None
        if isinstance(declared, str) and LANGUAGE_CODE.match(declared):
            return declared
        return self.languages[0] if page.file.src_uri in self.shown_in_default else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Show unsafe raw HTML of content pages and evidence files as text, never run it.

        Their front matter is escaped too: the theme prints values such as ``title`` and
        ``description`` into the page as they are, outside the content that the sanitizer sees.
        A ``template`` key is dropped (the checker says PP311): every page is written by the
        theme's ``main.html``, which carries the Content Security Policy.
        The generated pages are left alone: their values are escaped, and an artifact's body was
        neutralized when its page was made (and every page is sanitized after rendering).
        """
        if page.file.src_uri in self.pages:
            self._label_tags(page)
            return markdown
        meta = {key: value for key, value in page.meta.items() if key != "template"}
        if "title" not in meta and (title := first_title(markdown)) is not None:
            meta["title"] = title  # its first heading, even after a line such as "Fictitious sample data"
        page.meta = escape_values(meta)
        self._label_tags(page)
        with use_language(self.language):
            proves = self.backlinks(page.file.src_uri) if self.backlinks else ""
        return neutralize(markdown) + proves

    def _label_tags(self, page: Page) -> None:
        """A page's tags in the words of its tree's language, before the tags plugin (-50) reads them.

        The labels are the tool's own words (``tag_label``), shown as text; another tag stays as written.
        """
        tags = page.meta.get("tags")
        if isinstance(tags, list):
            with use_language(self.language):
                page.meta["tags"] = [tag_label(tag) if isinstance(tag, str) else tag for tag in tags]

    @staticmethod
    def _inclusion(path: str) -> InclusionLevel:
        return (
            InclusionLevel.UNDEFINED if path in INDEX_PAGES or path.startswith("levels/") else InclusionLevel.NOT_IN_NAV
        )

    @staticmethod
    def _add(files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None and existing.generated_by != file.generated_by:
            raise PluginError(
                f"pptoolkit: '{existing.src_uri}': the playbook generates this page; remove or rename the file"
            )
        if existing is not None:
            files.remove(existing)
        files.append(file)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild the preview when a policy, the matrix, the roles, the waivers or evidence change."""
        policies = self.result.playbook.settings.policies_dir if self.result else Settings.policies_dir
        for path in (policies, "checks", "evidence"):
            folder = self.root / path
            if folder.exists():
                server.watch(str(folder))
        server.builder = self._rebuilder(server.builder)
        return server

    def _rebuilder(self, rebuild: Callable[[], None]) -> Callable[[], None]:
        """The preview's rebuild, saying in one line why a broken `mkdocs.yml` or plugin option stops it.

        MkDocs would print a traceback and "the server will appear stuck"; instead the message is the
        one `pptoolkit check` gives, the preview keeps the last good site, and the next save rebuilds it.
        """

        def rebuild_or_say_why() -> None:
            try:
                load_settings(self.root)  # the messages of `pptoolkit check`, located in mkdocs.yml
                rebuild()
            except (ConfigError, MkDocsException) as error:
                log.error(f"the preview was not rebuilt: {one_line(str(error))}; fix it and save to rebuild")

        return rebuild_or_say_why


def _untitled(nav: Any, home: str) -> Any:
    """The navigation of `mkdocs.yml` without the titles of its pages, which are in the default language.

    A translated tree's pages then take their own titles (their front matter's or first heading's),
    but for the home page, whose title is the site's name: a titled entry for it reads ``home``
    (in the tree's language); a section keeps its title until ``on_nav`` gives it its index page's.
    """
    if isinstance(nav, list):
        return [_untitled(item, home) for item in nav]
    if isinstance(nav, dict) and len(nav) == 1:
        ((title, value),) = nav.items()
        if value == "index.md":
            return {home: value}
        if isinstance(value, str) and "://" not in value:
            return value
        return {title: _untitled(value, home)}
    return nav


def _retitle_sections(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, Section):
            first = item.children[0] if item.children else None
            if isinstance(first, Page) and first.is_index and first.title:
                item.title = first.title
            _retitle_sections(item.children)
