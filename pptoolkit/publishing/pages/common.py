"""What every generated page shares: the page type, escaping, links, labels and paths, tables."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage
from pptoolkit.i18n import N_, _, current_language, pgettext

# FIELD_LABELS, LEVEL_TAGS, the paths and allowed_tags are declared below publishing, for the stages that need them
# before any page exists; the pages take them from here.
from pptoolkit.i18n.vocabulary import FIELD_LABELS as FIELD_LABELS
from pptoolkit.i18n.vocabulary import artifact_status_word
from pptoolkit.loading.publication import linked_site_path
from pptoolkit.model.matrix import LEVEL_TITLES, TYPE_TITLES, Practice
from pptoolkit.model.site import LEVEL_TAGS as LEVEL_TAGS
from pptoolkit.model.site import artifact_path as artifact_path
from pptoolkit.model.site import level_path as level_path
from pptoolkit.model.site import practice_path as practice_path
from pptoolkit.reporting.tags import allowed_tags as allowed_tags

REVIEW_WINDOW = timedelta(days=90)
STATUS_LABELS: dict[str, str] = {
    "covered": N_("Covered"),
    "stale": N_("Review overdue"),
    "waived": N_("Waived"),
    "not-applicable": N_("Not applicable"),
    "missing": N_("Missing"),
    "no-owner": N_("No owner"),
    "no-evidence": N_("No evidence"),
    "no-patient-partner": N_("No patient partner"),
}
PRACTICE_BOOST = 4
"""A practice's page comes first in search for its own words, before the artifacts that quote them."""
LEVEL_MANAGERS: dict[str, str] = {
    "top": N_("Top-level managers"),
    "mid": N_("Mid-level managers"),
    "front": N_("Front-line managers"),
}
WHAT_THEY_DO: dict[str, str] = {
    "top": N_("What top-level managers do here"),
    "mid": N_("What mid-level managers do here"),
    "front": N_("What front-line managers do here"),
}

ROLE_TYPE_TITLES: dict[str, str] = {
    "manager": N_("Manager"),
    "patient-partner": N_("Patient partner"),
    "committee": N_("Committee"),
    "professional": N_("Professional"),
}


@dataclass(frozen=True)
class Page:
    """A generated page: its path in the site's sources and its Markdown."""

    path: str
    content: str


_ESCAPES = {ord(c): f"\\{c}" for c in "\\`*_{}[]()!|~"} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("\n"): " ",
}
"""What esc writes for each character it changes: no replacement holds a character that another replaces."""
_ESCAPED = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")  # what esc changes


def esc(value: object) -> str:
    """Escape a value for Markdown text: shown as written, never interpreted as HTML or Markdown."""
    text = str(value)
    if not _ESCAPED.search(text):
        return text  # ids, dates and most titles: nothing to escape
    return text.translate(_ESCAPES)  # html.escape's, then Markdown's, in one pass (a site escapes 200,000 values)


def relative_url(from_page: str, to_page: str) -> str:
    """The URL of ``to_page`` from ``from_page``, both site paths such as ``practices/D1.md``.

    ``posixpath.relpath`` would give the same answer, but it asks the operating system for the
    current folder on every call, and a site of 5,000 artifacts has a hundred thousand links.
    """
    folder = from_page.split("/")[:-1]
    target = to_page.split("/")
    common = 0
    while common < len(folder) and common < len(target) - 1 and folder[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(folder) - common) + target[common:])


def link(from_page: str, to_page: str, text: str) -> str:
    """A Markdown link between two generated pages (``text`` is escaped here)."""
    return f"[{esc(text)}]({relative_url(from_page, to_page)})"


def status_label(status: str) -> str:
    """A coverage status as a page shows it, in the language in use."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def practice_title(practice: Practice) -> str:
    """A practice's title in the language in use: the project's translation when the matrix has one."""
    return practice.title_in(current_language())


def translation_note(practice: Practice) -> str:
    """Under a translated title, the study's own wording, marked as English (WCAG 3.1.2)."""
    if practice_title(practice) == practice.title:
        return ""
    original = f'<span lang="en">{esc(practice.title)}</span>'
    return "*" + _("Title translated by the pptoolkit project; the study's wording:") + f"* {original}\n"


def level_title(level: str) -> str:
    """A management level's short title (``Top-level``), in the language in use."""
    return _(LEVEL_TITLES[level])


def managers_title(level: str) -> str:
    """The managers of a level (``Top-level managers``), in the language in use."""
    return _(LEVEL_MANAGERS[level])


def type_title(practice_type: str) -> str:
    """A type of practice's title (``Designing the PP``), in the language in use."""
    return _(TYPE_TITLES[practice_type]) if practice_type in TYPE_TITLES else practice_type


def artifact_status(status: str) -> str:
    """An artifact's status (draft, approved, retired) as a page shows it, in the language in use."""
    return artifact_status_word(status)


def rate_unit(unit: str) -> str:
    """What a compensation rate is paid for (hour, meeting ...), in the language in use."""
    words = {
        "hour": pgettext("rate unit", "hour"),
        "half-day": pgettext("rate unit", "half-day"),
        "day": pgettext("rate unit", "day"),
        "meeting": pgettext("rate unit", "meeting"),
        "activity": pgettext("rate unit", "activity"),
    }
    return words.get(unit, esc(unit))


def badge(status: str) -> str:
    """A status badge readable without colour: the status in words, styled by class."""
    label = status_label(status)
    return f'<span class="pp-badge pp-{html.escape(status)}">{html.escape(label)}</span>'


def file_path(target: str) -> str:
    """Where a playbook file linked as evidence is published."""
    return linked_site_path(target)


def front_matter(title: str, tags: Iterable[str] = (), search_boost: float | None = None) -> str:
    # MkDocs themes print a front matter title as HTML (no autoescaping): escape it here.
    lines = ["---", f"title: {_yaml_string(html.escape(title, quote=False))}"]
    if search_boost is not None:  # Material's search ranks the page higher for the same words
        lines += ["search:", f"  boost: {search_boost:g}"]
    tag_list = list(dict.fromkeys(tags))
    if tag_list:
        lines.append("tags:")
        lines += [f"  - {tag}" for tag in tag_list]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def without_table_of_contents(header: str) -> str:
    """A :func:`front_matter` with Material's ``hide: [toc]``: a wide table takes the width the contents had."""
    return header.replace("\n---\n", "\nhide: [toc]\n---\n", 1)


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def role_label(result: Result, role_id: str) -> str:
    role = result.playbook.roles.get(role_id)
    return role.model.title if role else _("{role} (not in the registry)").format(role=role_id)


def owner_links(result: Result, page: str, coverage: PracticeCoverage) -> str:
    roles = dict.fromkeys(o.role for o in coverage.owners)
    if not roles:
        return "—"
    return ", ".join(role_link(result, page, role) for role in roles)


def role_link(result: Result, page: str, role_id: str) -> str:
    """A link to the role on the owners page; plain text for a role that is not in the registry (no anchor)."""
    if role_id not in result.playbook.roles:
        return esc(role_label(result, role_id))
    return link(page, f"owners.md#{role_anchor(role_id)}", role_label(result, role_id))


def role_anchor(role_id: str) -> str:
    return f"role-{role_id}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
