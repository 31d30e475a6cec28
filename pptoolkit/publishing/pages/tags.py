"""The tags index of a language's tree when the playbook has none in that language.

A playbook written in French has ``content/tags.md`` (*Étiquettes*), and often no ``tags.en.md``: the
English tree would show the French page. It gets this page instead, in its own language, with the
index the French page asks the tags plugin for (its ``<!-- material/tags ... -->`` marker, as written).
"""

from __future__ import annotations

import re

from pptoolkit.i18n import _
from pptoolkit.publishing.pages.common import Page, esc

TAGS_MARKER = re.compile(r"<!--\s*material/tags\b")
"""Where mkdocs-material's tags plugin writes its index: a page holding it is the site's tags page."""
END_OF_COMMENT = "-->"


def tags_marker(text: str) -> str | None:
    """The tags plugin's marker of a page that is a tags index, options included (None for any other page).

    Its end is found by ``str.find`` from its start: a lazy ``.*?-->`` would search again from every start.
    """
    found = TAGS_MARKER.search(text)
    end = text.find(END_OF_COMMENT, found.end()) if found else -1
    return text[found.start() : end + len(END_OF_COMMENT)] if found and end >= 0 else None


def tags_index_page(path: str, marker: str) -> Page:
    """The tags index at ``path`` in the language in use, around the default language's page's ``marker``."""
    title = esc(_("Tags"))
    intro = esc(_("Pages by type of practice, management level, status and kind of artifact."))
    return Page(path, f"# {title}\n\n{intro}\n\n{marker}\n")
