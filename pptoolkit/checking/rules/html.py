"""PP701, raw HTML, attribute lists and markup in headings that the site's allow-list removes.

An image loaded from another host, as markdown-it reads links and images, is PP701 too: the check
``dropped_targets`` of the ``links`` family reports it with the links whose scheme the site drops.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import chain
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
    """Raw HTML that could run or load from another host, or markup in a heading, in artifact bodies and published Markdown pages."""
    from pptoolkit.checking import html_safety
    from pptoolkit.loading import publication  # they import their rules from this package
    from pptoolkit.reading import documents

    kind = publication.Kind
    sources = [(a.path, list(a.document.html)) for a in playbook.artifacts]
    for published, text in playbook.publication.scanned():
        if published.kind is kind.MARKDOWN:
            sources.append((published.source, documents.markdown_html(text)))
        elif published.kind is kind.HTML:
            sources.append((published.source, [documents.HtmlFragment(text, 1)]))
    for path, fragments in sources:
        for fragment, found in html_safety.unsafe_fragments(fragments):
            line, column = html_safety.locate(fragment, found)
            yield Found(
                Location(path, line, column),
                _(
                    "raw HTML {what} is not allowed in the playbook; the site removes it, so that nothing "
                    "pasted into a page runs or loads from another host"
                ).format(what=found.what),
            )
    # One body at a time: the bodies of 5,000 artifacts, made all at once, were 15 MB more at a check's peak.
    markdown = chain(
        ((a.path, a.document.body, a.document.body_line) for a in playbook.artifacts),
        ((p.source, text, 1) for p, text in playbook.publication.scanned() if p.kind is kind.MARKDOWN),
    )
    for path, text, first_line in markdown:
        for line, column, heading in html_safety.markup_in_headings(text, first_line):
            shown = heading if len(heading) <= 80 else heading[:80] + "…"
            yield Found(
                Location(path, line, column),
                _(
                    "the heading '{heading}' holds markup ('<' before a name); a heading can be a page's title, "
                    "which the browser's tab and the page's head print: write it in words"
                ).format(heading=shown),
            )
        for line, column, what in html_safety.unsafe_attribute_lists(text, first_line):
            yield Found(
                Location(path, line, column),
                _(
                    "{what} is not allowed in the playbook; the site removes it, so that nothing runs or loads "
                    "from another host"
                ).format(what=what),
            )


CHECKS = (raw_html,)
