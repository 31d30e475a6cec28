"""PP304, PP305, PP308 to PP311 and PP313, links: evidence and body links, and the files the site publishes.

PP305 is also emitted where a file or folder of the playbook is itself a symbolic link that leaves
it (``loading.py``, ``publication.py``, ``diff.py``); PP310 by the publication (``publication.py``).
The check ``dropped_targets`` reports the links and images the site drops: a disallowed scheme as
PP309, an image loaded from another host as PP701 (of the ``html`` family, whose allow-list drops it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules import html as html_rules
from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
from pptoolkit.model.diagnostics import Location, Rule
from pptoolkit.reading import links

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

BROKEN_LINK = Rule(
    "PP304",
    "broken-evidence-link",
    E,
    """
An evidence `link` points to a file that does not exist, or is not a relative path or a well-formed https URL.

Why: evidence that cannot be opened proves nothing.
""",
)
BROKEN_BODY_LINK = Rule(
    "PP313",
    "broken-link",
    E,
    """
A link in an artifact's text (not its evidence) points to a file of the playbook that does not exist, or is not a relative path or a well-formed https URL.

Why: a reader who follows it finds nothing; the site would publish a dead link.
""",
)
LINK_OUTSIDE = Rule(
    "PP305",
    "link-outside-playbook",
    E,
    """
An evidence link leaves the playbook (through `..`, an absolute path, or a symbolic link pointing outside), or a file or folder of the playbook is itself a symbolic link that leaves it (an artifact, the content folder or a file in it, a file of a revision read by `pptoolkit diff`).

Why: the site publishes only the playbook; a link outside it is broken at best and leaks files at worst.
""",
)
INSECURE_LINK = Rule(
    "PP308",
    "insecure-link",
    W,
    """
An evidence link uses `http://`.

Why: plain http can be altered in transit; prefer https.
""",
)
FORBIDDEN_SCHEME = Rule(
    "PP309",
    "forbidden-link-scheme",
    E,
    """
An evidence link uses a scheme other than https or http (`javascript:`, `file:`, `data:`, `mailto:` ...).

Why: such links run code, read local files or expose contacts when clicked on the site.
""",
)
UNPUBLISHABLE_FILE = Rule(
    "PP310",
    "unpublishable-file",
    E,
    """
A file linked from an artifact, or found in the content folder, cannot be published: its type is not on the list of published types, it is hidden (a dot-file or under a dot-folder such as `.git`), it would replace one of the theme's own files or a page the playbook generates (`content/gaps.mkd`, `content/README.md` → `index.html`), its content is not what its suffix says, it is a symbolic link to a file that breaks one of these rules or of another type, it is a hard link (a file with several names), or it is a PDF that carries an embedded file.

Why: the site publishes only what the checker can read and judge: text, Markdown, sanitized HTML and SVG, PDF, images and office documents. Any other type (`.shtml`, `.xht`, `.xml`, `.js` ...) can run script in a reader's browser, a hidden file holds secrets (`.git/config`), a file over the theme's JavaScript runs on every page, and a page over a generated one (the gaps, the matrix) would tell readers what the checker did not find. Convert the file to a published type, or link to where it is kept.
""",
)
PAGE_TEMPLATE = Rule(
    "PP311",
    "page-template",
    E,
    """
The front matter of a content page or a Markdown evidence file chooses its template (`template:`).

Why: every page of the site carries the Content Security Policy through the theme's `main.html`; a page that names another template (`base.html`) would have none. The site ignores the key: remove it (a playbook that needs another layout overrides the theme with `theme.custom_dir` in `mkdocs.yml`).
""",
)

RULES = (
    BROKEN_LINK,
    BROKEN_BODY_LINK,
    LINK_OUTSIDE,
    INSECURE_LINK,
    FORBIDDEN_SCHEME,
    UNPUBLISHABLE_FILE,
    PAGE_TEMPLATE,
)


@check(BROKEN_LINK, BROKEN_BODY_LINK, LINK_OUTSIDE, FORBIDDEN_SCHEME, INSECURE_LINK)
def link_targets(playbook: Playbook, today: date) -> Iterator[Found]:
    """Evidence links and links in artifact bodies that do not resolve, leave the playbook or use another scheme."""
    limit = playbook.settings.limits.max_evidence_items
    for artifact in playbook.artifacts:
        items = artifact.model.evidence
        for index, item in enumerate(items if len(items) <= limit else ()):
            problem = _link_problem(playbook, artifact.path, item.link, item.title)
            if problem is not None:
                rule, message = problem
                yield Found(artifact.at("evidence", index, "link"), message, rule=rule)
        for link in artifact.document.links:
            if link.target.startswith("#"):
                continue
            problem = _link_problem(playbook, artifact.path, link.target)
            if problem is not None:
                rule, message = problem
                yield Found(Location(artifact.path, link.line, link.column), message, rule=rule)


def _link_problem(playbook: Playbook, path: str, raw: str, evidence: str | None = None) -> tuple[Rule, str] | None:
    """What is wrong with the link ``raw`` written in ``path`` (of the evidence item titled ``evidence``, or in the
    body): the rule and the message, or None.

    The caller locates the problem only when there is one: positions are found on demand.
    """
    link = playbook.links.classify(raw, path)
    kind = links.LinkKind
    if link.kind is kind.OUTSIDE:
        return LINK_OUTSIDE, link.reason
    if link.kind is kind.FORBIDDEN:
        return FORBIDDEN_SCHEME, link.reason
    if link.kind in (kind.MISSING, kind.MALFORMED):
        if evidence is not None:
            return BROKEN_LINK, _("evidence '{title}': {reason}").format(title=evidence, reason=link.reason)
        return BROKEN_BODY_LINK, _("the link in the text: {reason}").format(reason=link.reason)  # names the link once
    if link.kind is kind.HTTP:
        subject = (
            _("evidence '{title}'").format(title=evidence)
            if evidence is not None
            else _("the link '{link}'").format(link=raw)
        )
        return INSECURE_LINK, _("{what} uses http://; prefer https://").format(what=subject)
    return None


# A top-level `template:` key of a front matter, its name quoted or not.
_TEMPLATE_KEY = re.compile(r"""(["']?)template\1[ \t]*:""")


@check(PAGE_TEMPLATE)
def page_templates(playbook: Playbook, today: date) -> Iterator[Found]:
    """A content page or a Markdown evidence file whose front matter chooses its template: it would lose the CSP."""
    from pptoolkit.loading.publication import Kind  # it imports its rules from this package

    for published, text in playbook.publication.scanned():
        if published.kind is not Kind.MARKDOWN or not text.startswith("---"):
            continue
        for number, line in enumerate(text.splitlines()[1:], start=2):
            if line.rstrip() in ("---", "..."):
                break
            if _TEMPLATE_KEY.match(line):
                yield Found(
                    Location(published.source, number, 1),
                    _(
                        "a page may not choose its template: every page is written by the theme's main.html, which "
                        "gives it the site's Content Security Policy; the site ignores this key: remove it"
                    ),
                )


@check(html_rules.UNSAFE_HTML, FORBIDDEN_SCHEME)
def dropped_targets(playbook: Playbook, today: date) -> Iterator[Found]:
    """Links and images that the site drops, as markdown-it reads them: references resolved, autolinks too.

    In artifact bodies, inline links are judged by ``link_targets`` already; their images loaded
    from another host, and links and images by reference or autolink, are judged here. In published
    Markdown pages (content pages, Markdown evidence), every link and image is judged here.
    """
    from pptoolkit.checking.html_safety import markdown_target_problem
    from pptoolkit.loading.publication import Kind
    from pptoolkit.reading.documents import markdown_targets  # they import their rules from this package

    sources: list[tuple[str, str, int, tuple[str, ...]]] = []
    for artifact in playbook.artifacts:
        body = artifact.document.body
        if "![" in body or "]:" in body or "<" in body:  # images, reference definitions, autolinks
            # The inline links that link_targets reports: as read, cut at the first ')' or space.
            inline = tuple(
                html.unescape(link.target).strip()
                for link in artifact.document.links
                if playbook.links.classify(link.target, artifact.path).kind is links.LinkKind.FORBIDDEN
            )
            sources.append((artifact.path, body, artifact.document.body_line, inline))
    for published, text in playbook.publication.scanned():
        if published.kind is Kind.MARKDOWN and ("[" in text or "<" in text):
            sources.append((published.source, text, 1, ()))
    for path, text, first_line, judged in sources:
        for found in markdown_targets(text, first_line):
            problem = markdown_target_problem(found.target, found.image)
            where = Location(path, found.line, found.column)
            if problem is None:
                continue
            if problem[0] == "remote":
                yield Found(
                    where,
                    _(
                        "an image loaded from another host is not allowed in the playbook; the site removes it: "
                        "put the image in the playbook and link to it"
                    ),
                    rule=html_rules.UNSAFE_HTML,
                )
            elif not found.target.strip().startswith(judged) or not judged:
                yield Found(
                    where,
                    _("links with '{scheme}:' are not allowed (the site removes them); use https:// or a file").format(
                        scheme=problem[1]
                    ),
                    rule=FORBIDDEN_SCHEME,
                )


CHECKS = (link_targets, page_templates, dropped_targets)
