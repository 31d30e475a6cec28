"""PP701, raw HTML, attribute lists and markup in headings that the site's allow-list removes.

An image loaded from another host, as markdown-it reads links and images, is PP701 too: the check
``dropped_targets`` of the ``links`` family reports it with the links whose scheme the site drops.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, check
from pptoolkit.i18n import _
from pptoolkit.model.diagnostics import Location, Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

UNSAFE_HTML = Rule(
    "PP701",
    "unsafe-html",
    E,
    """
Raw HTML or a `{: key=value }` attribute list in a published text holds something the site's allow-list removes (`<script>`, `<style>`, `<noscript>`, an event handler, a `style` attribute, a `javascript:` link, an image from another host).

Published texts are artifact bodies, content pages, and Markdown and HTML evidence files.

Why: the site must never run what an editor pasted, nor load anything from another host (a tracker learns who reads the page). The HTML is read as browsers read it, and the site publishes only what the allow-list keeps.

Example: `<img src="https://tracker.example/p.png">` is reported at its `src`; write `![chart](chart.png)` with the image kept in the playbook.
""",
)

RULES = (UNSAFE_HTML,)


@check(UNSAFE_HTML)
def raw_html(playbook: Playbook, today: date) -> Iterator[Found]:
    """Raw HTML that could run or load from another host, or markup in a heading, in artifact bodies and published Markdown pages.

    What a file holds is found from its text alone (``body_html_rows``, ``published_html_rows``), an answer
    the cache keeps (see ``per_file.py``): a re-check reads only the files that changed.
    """
    from pptoolkit.checking import html_safety
    from pptoolkit.checking.per_file import artifact_answers, published_answers  # it imports this module

    for artifact in playbook.artifacts:
        for fragment, found in html_safety.unsafe_fragments(list(artifact.document.html)):
            line, column = html_safety.locate(fragment, found)
            yield Found(Location(artifact.path, line, column), _fragment_message(found.what))
        for line, column, message in artifact_answers(playbook, artifact).get("html", ()):
            yield Found(Location(artifact.path, line, column), message)
    for published, text in playbook.publication.sources():
        for line, column, message in published_answers(playbook, published, text).get("html", ()):
            yield Found(Location(published.source, line, column), message)


def _fragment_message(what: str) -> str:
    return _(
        "raw HTML {what} is not allowed in the playbook; the site removes it, so that nothing "
        "pasted into a page runs or loads from another host"
    ).format(what=what)


def body_html_rows(body: str, body_line: int) -> list[tuple[int, int, str]]:
    """Markup in the headings and unsafe attribute lists of an artifact's ``body`` (its raw HTML is in its document).

    ``body_line`` is the line of the artifact's text where the body starts.
    """
    return list(_markdown_rows(body, body_line))


def published_html_rows(text: str, markdown: bool) -> list[tuple[int, int, str]]:
    """What PP701 finds in a published Markdown page, or HTML or SVG file: (line, column, message) each."""
    from pptoolkit.checking import html_safety
    from pptoolkit.reading import documents

    fragments = html_safety.page_html(text) if markdown else [documents.HtmlFragment(text, 1)]
    rows = []
    for fragment, found in html_safety.unsafe_fragments(fragments):
        line, column = html_safety.locate(fragment, found)
        rows.append((line, column, _fragment_message(found.what)))
    if markdown:
        rows.extend(_markdown_rows(text, 1))
    return rows


def _markdown_rows(text: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    from pptoolkit.checking import html_safety

    for line, column, heading in html_safety.markup_in_headings(text, first_line):
        shown = heading if len(heading) <= 80 else heading[:80] + "…"
        yield (
            line,
            column,
            _(
                "the heading '{heading}' holds markup ('<' before a name); a heading can be a page's title, "
                "which the browser's tab and the page's head print: write it in words"
            ).format(heading=shown),
        )
    for line, column, what in html_safety.unsafe_attribute_lists(text, first_line):
        yield (
            line,
            column,
            _(
                "{what} is not allowed in the playbook; the site removes it, so that nothing runs or loads "
                "from another host"
            ).format(what=what),
        )


CHECKS = (raw_html,)
