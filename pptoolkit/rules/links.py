"""PP304, PP305 and PP308 to PP310, links: evidence and body links, and the files the site publishes.

PP305 is also emitted where a file or folder of the playbook is itself a symbolic link that leaves
it (``loading.py``, ``publication.py``, ``diff.py``); PP310 by the publication (``publication.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit import links
from pptoolkit.diagnostics import Location, Rule
from pptoolkit.rules.base import E, Found, W, check

if TYPE_CHECKING:
    from pptoolkit.loading import Playbook

BROKEN_LINK = Rule(
    "PP304",
    "broken-evidence-link",
    E,
    """
An evidence `link` points to a file that does not exist, or is not a relative path or a well-formed https URL.

Why: evidence that cannot be opened proves nothing.
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
A file linked from an artifact, or found in the content folder, cannot be published: its type is not on the list of published types, it is hidden (a dot-file or under a dot-folder such as `.git`), it would replace one of the theme's own files, or its content is not what its suffix says.

Why: the site publishes only what the checker can read and judge: text, Markdown, sanitized HTML and SVG, PDF, images and office documents. Any other type (`.shtml`, `.xht`, `.xml`, `.js` ...) can run script in a reader's browser, a hidden file holds secrets (`.git/config`), and a file over the theme's JavaScript runs on every page. Convert the file to a published type, or link to where it is kept.
""",
)

RULES = (
    BROKEN_LINK,
    LINK_OUTSIDE,
    INSECURE_LINK,
    FORBIDDEN_SCHEME,
    UNPUBLISHABLE_FILE,
)


@check(BROKEN_LINK, LINK_OUTSIDE, FORBIDDEN_SCHEME, INSECURE_LINK)
def link_targets(playbook: Playbook, today: date) -> Iterator[Found]:
    """Evidence links and links in artifact bodies that do not resolve, leave the playbook or use another scheme."""
    limit = playbook.settings.limits.max_evidence_items
    for artifact in playbook.artifacts:
        items = artifact.model.evidence
        for index, item in enumerate(items if len(items) <= limit else ()):
            problem = _link_problem(playbook, artifact.path, item.link, f"evidence '{item.title}'")
            if problem is not None:
                rule, message = problem
                yield Found(artifact.at("evidence", index, "link"), message, rule=rule)
        for link in artifact.document.links:
            if link.target.startswith("#"):
                continue
            problem = _link_problem(playbook, artifact.path, link.target, f"the link '{link.target}'")
            if problem is not None:
                rule, message = problem
                yield Found(Location(artifact.path, link.line, link.column), message, rule=rule)


def _link_problem(playbook: Playbook, path: str, raw: str, what: str) -> tuple[Rule, str] | None:
    """What is wrong with the link ``raw`` written in ``path``: the rule and the message, or None.

    The caller locates the problem only when there is one: positions are found on demand.
    """
    link = playbook.links.classify(raw, path)
    kind = links.LinkKind
    if link.kind is kind.OUTSIDE:
        return LINK_OUTSIDE, link.reason
    if link.kind is kind.FORBIDDEN:
        return FORBIDDEN_SCHEME, link.reason
    if link.kind in (kind.MISSING, kind.MALFORMED):
        return BROKEN_LINK, f"{what}: {link.reason}"
    if link.kind is kind.HTTP:
        return INSECURE_LINK, f"{what} uses http://; prefer https://"
    return None


CHECKS = (link_targets,)
