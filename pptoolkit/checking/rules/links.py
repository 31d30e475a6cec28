"""PP304, PP305, PP308 to PP311 and PP313, links: evidence and body links, and the files the site publishes.

PP305 is also emitted where a file or folder of the playbook is itself a symbolic link that leaves
it (``loading.py``, ``publication.py``, ``diff.py``); PP310 by the publication (``publication.py``).
The check ``dropped_targets`` reports the links and images the site drops: a disallowed scheme as
PP309, an image loaded from another host as PP701 (of the ``html`` family, whose allow-list drops it).
"""

from __future__ import annotations

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
    classify = playbook.links.classify
    for artifact in playbook.artifacts:
        path, items = artifact.path, artifact.model.evidence
        for index, item in enumerate(items if len(items) <= limit else ()):
            if classify(item.link, path).kind in _FINE:  # most links: nothing to say
                continue
            problem = _link_problem(playbook, path, item.link, item.title)
            if problem is not None:
                rule, message = problem
                yield Found(artifact.at("evidence", index, "link"), message, rule=rule)
        for link in artifact.document.links:
            if link.target.startswith("#") or classify(link.target, path).kind in _FINE:
                continue
            problem = _link_problem(playbook, path, link.target)
            if problem is not None:
                rule, message = problem
                yield Found(Location(path, link.line, link.column), message, rule=rule)


_FINE = frozenset((links.LinkKind.FILE, links.LinkKind.HTTPS))
"""The kinds of link that ``_link_problem`` finds nothing wrong with."""


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
    from pptoolkit.checking.per_file import published_answers  # it imports this module

    for published, text in playbook.publication.sources():
        for line, column, message in published_answers(playbook, published, text).get("templates", ()):
            yield Found(Location(published.source, line, column), message)


def template_rows(text: str) -> list[tuple[int, int, str]]:
    """Where a Markdown text's front matter chooses its template (the cache keeps the answer per text)."""
    if not text.startswith("---"):
        return []
    rows = []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if _TEMPLATE_KEY.match(line):
            rows.append(
                (
                    number,
                    1,
                    _(
                        "a page may not choose its template: every page is written by the theme's main.html, which "
                        "gives it the site's Content Security Policy; the site ignores this key: remove it"
                    ),
                )
            )
    return rows


@check(html_rules.UNSAFE_HTML, FORBIDDEN_SCHEME)
def dropped_targets(playbook: Playbook, today: date) -> Iterator[Found]:
    """Links and images that the site drops, as markdown-it reads them: references resolved, autolinks too.

    In artifact bodies, inline links are judged by ``link_targets`` already; their images loaded
    from another host, and links and images by reference or autolink, are judged here. In published
    Markdown pages (content pages, Markdown evidence), every link and image is judged here. What a
    text holds is found from the text (``dropped_rows``), an answer the cache keeps.
    """
    from pptoolkit.checking.per_file import artifact_answers, published_answers  # it imports this module

    rules = {rule.code: rule for rule in (html_rules.UNSAFE_HTML, FORBIDDEN_SCHEME)}
    for artifact in playbook.artifacts:
        for line, column, code, message in artifact_answers(playbook, artifact).get("dropped", ()):
            yield Found(Location(artifact.path, line, column), message, rule=rules[code])
    for published, text in playbook.publication.sources():
        for line, column, code, message in published_answers(playbook, published, text).get("dropped", ()):
            yield Found(Location(published.source, line, column), message, rule=rules[code])


def dropped_rows(text: str, first_line: int, judged: tuple[str, ...], page: bool) -> list[tuple[int, int, str, str]]:
    """The links and images of a Markdown text that the site drops, as (line, column, rule code, message).

    ``text`` is a whole ``page``, or an artifact's body, which starts on line ``first_line`` of the artifact;
    links written as one of ``judged`` are reported by ``link_targets`` already.
    """
    if "[" not in text:  # no link, image or definition
        from pptoolkit.checking.html_safety import comment_lines

        if "<" not in text or comment_lines(text) is not None:  # no autolink either: each '<' starts an HTML block
            return []
    elif (
        not page
        and "![" not in text  # no image, definition or autolink
        and "]:" not in text
        and "<" not in text
        # and inline links only that `link_targets` judges (`link_spans`, one "](" each): all of markdown-it's
        and text.count("](") == sum(1 for _ in links.link_spans(text))
    ):
        return []
    from pptoolkit.checking.html_safety import markdown_target_problem
    from pptoolkit.reading.documents import markdown_targets  # it imports its rules from this package

    rows = []
    for found in markdown_targets(text, first_line):
        problem = markdown_target_problem(found.target, found.image)
        if problem is None:
            continue
        if problem[0] == "remote":
            rows.append(
                (
                    found.line,
                    found.column,
                    html_rules.UNSAFE_HTML.code,
                    _(
                        "an image loaded from another host is not allowed in the playbook; the site removes it: "
                        "put the image in the playbook and link to it"
                    ),
                )
            )
        elif not found.target.strip().startswith(judged) or not judged:
            rows.append(
                (
                    found.line,
                    found.column,
                    FORBIDDEN_SCHEME.code,
                    _("links with '{scheme}:' are not allowed (the site removes them); use https:// or a file").format(
                        scheme=problem[1]
                    ),
                )
            )
    return rows


CHECKS = (link_targets, page_templates, dropped_targets)
