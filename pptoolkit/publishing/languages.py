"""One site, one tree per language: the default language at the root, each other under ``<lang>/``.

Plain functions over a checked playbook, used by the MkDocs adapter: the playbook as the readers of a
language see it (each artifact in its translation, when there is one; role titles in that language),
where each published file goes in a language's tree, the address of a page in the other trees, and
the words readers see for the tags of the generated pages.
"""

from __future__ import annotations

import re

from pptoolkit.i18n import _
from pptoolkit.loading.publication import PublishedFile
from pptoolkit.model.artifacts import KINDS
from pptoolkit.model.artifacts import STATUSES as ARTIFACT_STATUSES
from pptoolkit.model.matrix import TYPE_TITLES
from pptoolkit.model.settings import Settings
from pptoolkit.publishing.pages.common import (
    LEVEL_TAGS,
    STATUS_LABELS,
    artifact_status,
    level_title,
    status_label,
    type_title,
)
from pptoolkit.reporting.language_view import in_language as in_language

LANGUAGE_NAMES: dict[str, str] = {"fr": "Français", "en": "English", "es": "Español", "iu": "ᐃᓄᒃᑎᑐᑦ"}
"""Each language in its own words, for the switcher; a language not listed is shown by its code."""
_SUFFIXED = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3})(?P<ext>\.[^./]+)$")


def tree(language: str, settings: Settings) -> str:
    """The folder of a language's tree in the site: ``""`` for the default language, else ``"en/"``."""
    return "" if language == settings.default_language else f"{language}/"


def content_language(published: PublishedFile, settings: Settings) -> tuple[str, str | None]:
    """A content page's site path without its language suffix, and that language (None without one).

    ``about.en.md`` → (``about.md``, ``en``); only declared languages count: ``v1.2.md`` is itself.
    """
    match = _SUFFIXED.match(published.site_path)
    if not published.content_page or match is None or match["lang"] not in settings.languages:
        return published.site_path, None
    return f"{match['stem']}{match['ext']}", match["lang"]


def files_in_language(
    files: tuple[PublishedFile, ...], language: str, settings: Settings
) -> list[tuple[str, PublishedFile, bool]]:
    """The published files of ``language``'s tree: (site path in the tree, file, shown from the default language).

    A content page in the language (``about.en.md``) takes its plain name; without one, the default
    language's page is shown (and says its language); every other file is in every tree.
    """
    chosen: dict[str, tuple[PublishedFile, str | None]] = {}
    for published in files:
        path, its_language = content_language(published, settings)
        if its_language is not None and its_language not in (language, settings.default_language):
            continue
        held = chosen.get(path)
        if held is None or (its_language == language and held[1] != language):
            chosen[path] = (published, its_language)
    default = settings.default_language
    return [
        (path, published, published.content_page and language != default and its_language != language)
        for path, (published, its_language) in chosen.items()
    ]


def page_url(site_path: str) -> str:
    """The address of a Markdown page of the site's sources, as MkDocs writes it without directory URLs."""
    if site_path.endswith(".md"):
        return site_path[: -len(".md")] + ".html"
    return site_path


def alternates(url: str, language: str, settings: Settings) -> list[tuple[str, str]]:
    """(language, relative address) of the page at ``url`` (in ``language``'s tree, without its folder) in each tree.

    From ``en/matrix.html``, French is ``../matrix.html``; from ``matrix.html``, English is ``en/matrix.html``.
    """
    depth = url.count("/") + (0 if language == settings.default_language else 1)
    up = "../" * depth
    return [(other, f"{up}{tree(other, settings)}{url}") for other in settings.languages]


def tag_label(tag: str) -> str:
    """What a reader sees of a tag the generated pages carry, in the language in use; another tag as written.

    ``designing`` → "Designing the PP" ("Concevoir le partenariat"), ``top-level`` → "Top-level"
    ("Haute direction"), ``no-owner`` → "No owner", ``draft`` → "Draft", ``vision`` → "Vision": the
    words of the pages, never the value the files hold.
    """
    levels = {name: level for level, name in LEVEL_TAGS.items()}
    if tag in levels:
        label = level_title(levels[tag])
    elif tag in TYPE_TITLES:
        label = type_title(tag)
    elif tag in STATUS_LABELS:
        label = status_label(tag)
    elif tag in ARTIFACT_STATUSES:
        label = artifact_status(tag)
    elif tag in KINDS:
        label = _(KINDS[tag].kind_title)
    else:
        return tag
    return label[:1].upper() + label[1:]
