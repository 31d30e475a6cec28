"""The checks over a loaded playbook: ids, owners, practices, evidence, sections and raw HTML.

Each check is a small function that yields diagnostics; ``CHECKS`` lists them
in the order they run. Coverage (one status per practice) lives in
``coverage.py``, privacy in ``privacy.py``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import date
from difflib import get_close_matches

from pptoolkit import catalog
from pptoolkit.diagnostics import Diagnostic, Location, Rule
from pptoolkit.documents import HtmlFragment, markdown_html, markdown_targets, split_lines, too_much_markup
from pptoolkit.html_safety import (
    locate,
    markdown_target_problem,
    markup_in_headings,
    unsafe_attribute_lists,
    unsafe_fragments,
)
from pptoolkit.links import LinkKind
from pptoolkit.loading import LoadedArtifact, Playbook
from pptoolkit.publication import Kind

Check = Callable[[Playbook, date], Iterator[Diagnostic]]


def duplicate_ids(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """Two artifacts with one id: each file is named at its `id:` line, with the others."""
    by_id: dict[str, list[LoadedArtifact]] = {}
    for artifact in playbook.artifacts:
        by_id.setdefault(artifact.model.id, []).append(artifact)
    for artifact_id, group in by_id.items():
        for artifact in group if len(group) > 1 else ():
            others = ", ".join(other.path for other in group if other is not artifact)
            yield catalog.DUPLICATE_ID.at(artifact.at("id"), f"the id '{artifact_id}' is also used by {others}")


def owners(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """An owner that is not a role, or a role at a level the practice does not have."""
    for artifact in playbook.artifacts:
        owner = artifact.model.owner
        role = playbook.roles.get(owner)
        if role is None:
            yield catalog.UNKNOWN_OWNER.at(
                artifact.at("owner"),
                f"the owner '{owner}' is not a role of {playbook.roles_path}; {_role_hint(owner, playbook)}",
            )
            continue
        if artifact.model.status == "retired":
            continue
        manager = getattr(artifact.model, "managed_by", None)
        if manager is not None and manager not in playbook.roles:
            yield catalog.UNKNOWN_OWNER.at(
                artifact.at("managed_by"), f"'managed_by: {manager}' is not a role of {playbook.roles_path}"
            )
        level = role.model.level
        for practice_id in artifact.model.implements:
            practice = playbook.matrix.get(practice_id)
            if practice is not None and level not in practice.levels:
                yield catalog.OWNER_LEVEL_MISMATCH.at(
                    artifact.at("owner"),
                    f"practice {practice_id} is done by {' and '.join(practice.levels)}-level managers, "
                    f"but the owner '{owner}' is at the {level} level",
                    practice=practice_id,
                )


ROLES_LISTED = 12  # a registry up to this size is listed whole in a message; a larger one, by the nearest ids


def _role_hint(owner: str, playbook: Playbook) -> str:
    """Which roles to use instead of an unknown owner: all of a small registry, the nearest ids of a large one."""
    roles = sorted(playbook.roles)
    if not roles:
        return "use one of: (the registry is empty)"
    if len(roles) <= ROLES_LISTED:
        return f"use one of: {', '.join(roles)}"
    nearest = get_close_matches(owner, roles, n=3, cutoff=0.5)
    also = f"did you mean {' or '.join(nearest)}? " if nearest else ""
    return f"{also}{playbook.roles_path} lists {len(roles)} roles"


def practices(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """An `implements:` entry that names no practice of the matrix, at its own line."""
    known = playbook.matrix.ids
    for artifact in playbook.artifacts:
        for index, practice_id in enumerate(artifact.model.implements):
            if practice_id not in known:
                hint = next((p for p in known if p.casefold() == practice_id.strip().casefold()), None)
                yield catalog.UNKNOWN_PRACTICE.at(
                    artifact.at("implements", index),
                    f"'{practice_id}' is not a practice of the matrix ({playbook.matrix.path})"
                    + (f"; did you mean {hint}?" if hint else ""),
                )


def evidence(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """Evidence links that do not resolve, leave the playbook or use a forbidden scheme; future dates."""
    limit = playbook.settings.limits.max_evidence_items
    for artifact in playbook.artifacts:
        items = artifact.model.evidence
        if len(items) > limit:
            yield catalog.TOO_MANY_EVIDENCE.at(
                artifact.at("evidence"), f"{len(items)} evidence items; the limit is {limit}"
            )
            continue
        for index, item in enumerate(items):
            problem = _link_problem(playbook, artifact.path, item.link, f"evidence '{item.title}'")
            if problem is not None:
                rule, message = problem
                yield rule.at(artifact.at("evidence", index, "link"), message)
            if item.date > today:
                yield catalog.FUTURE_EVIDENCE.at(
                    artifact.at("evidence", index, "date"),
                    f"evidence '{item.title}' is dated {item.date.isoformat()}, after today ({today.isoformat()})",
                )


def _link_problem(playbook: Playbook, path: str, raw: str, what: str) -> tuple[Rule, str] | None:
    """What is wrong with the link ``raw`` written in ``path``: the rule and the message, or None.

    The caller locates the problem only when there is one: positions are found on demand.
    """
    link = playbook.links.classify(raw, path)
    if link.kind is LinkKind.OUTSIDE:
        return catalog.LINK_OUTSIDE, link.reason
    if link.kind is LinkKind.FORBIDDEN:
        return catalog.FORBIDDEN_SCHEME, link.reason
    if link.kind in (LinkKind.MISSING, LinkKind.MALFORMED):
        return catalog.BROKEN_LINK, f"{what}: {link.reason}"
    if link.kind is LinkKind.HTTP:
        return catalog.INSECURE_LINK, f"{what} uses http://; prefer https://"
    return None


def body_link_problems(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """Links written in an artifact's body get the same scrutiny as evidence links."""
    for artifact in playbook.artifacts:
        document = artifact.document
        for link in document.links:
            if link.target.startswith("#"):
                continue
            problem = _link_problem(playbook, artifact.path, link.target, f"the link '{link.target}'")
            if problem is not None:
                rule, message = problem
                yield rule.at(Location(artifact.path, link.line, link.column), message)


PLACEHOLDER = re.compile(r"\bTODO\b")


def placeholders(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """An approved artifact that still holds a `TODO` placeholder (from `pptoolkit new`)."""
    for artifact in playbook.artifacts:
        if artifact.model.status != "approved" or "TODO" not in artifact.document.text:
            continue
        for number, line in enumerate(split_lines(artifact.document.text), start=1):
            found = PLACEHOLDER.search(line)
            if found:
                yield catalog.PLACEHOLDER_LEFT.at(
                    Location(artifact.path, number, found.start() + 1),
                    "the artifact is approved but still holds a TODO placeholder: replace it before approval",
                )


def reviews(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """A current artifact past its `review_by` date."""
    for artifact in playbook.artifacts:
        model = artifact.model
        if model.status != "retired" and today > model.review_by:
            yield catalog.REVIEW_OVERDUE.at(
                artifact.at("review_by"),
                f"'{model.title}' was due for review on {model.review_by.isoformat()}",
            )


def sections(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """A `##` section that the artifact's kind requires, missing from its body."""
    for artifact in playbook.artifacts:
        headings = [h.text for h in artifact.document.headings if h.level == 2]
        for section in type(artifact.model).sections:
            if not any(section.matches(heading) for heading in headings):
                yield catalog.MISSING_SECTION.at(
                    Location(artifact.path, artifact.document.body_line),
                    f"a {artifact.model.kind} needs a section '## {section.en}' (or '## {section.fr}'): {section.hint}",
                )


def raw_html(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """Raw HTML that could run or load from another host, in artifact bodies and published Markdown pages."""
    sources = [(a.path, list(a.document.html)) for a in playbook.artifacts]
    for published, text in playbook.publication.scanned():
        if published.kind is Kind.MARKDOWN:
            sources.append((published.source, markdown_html(text)))
        elif published.kind is Kind.HTML:
            sources.append((published.source, [HtmlFragment(text, 1)]))
    for path, fragments in sources:
        for fragment, found in unsafe_fragments(fragments):
            line, column = locate(fragment, found)
            yield catalog.UNSAFE_HTML.at(
                Location(path, line, column),
                f"raw HTML {found.what} is not allowed in the playbook; the site removes it, so that nothing "
                "pasted into a page runs or loads from another host",
            )
    markdown = [(a.path, a.document.body, a.document.body_line) for a in playbook.artifacts]
    markdown += [(p.source, text, 1) for p, text in playbook.publication.scanned() if p.kind is Kind.MARKDOWN]
    for path, text, first_line in markdown:
        for line, column, heading in markup_in_headings(text, first_line):
            shown = heading if len(heading) <= 80 else heading[:80] + "…"
            yield catalog.UNSAFE_HTML.at(
                Location(path, line, column),
                f"the heading '{shown}' holds markup ('<' before a name); a heading can be a page's title, "
                "which the browser's tab and the page's head print: write it in words",
            )
        for line, column, what in unsafe_attribute_lists(text, first_line):
            yield catalog.UNSAFE_HTML.at(
                Location(path, line, column),
                f"{what} is not allowed in the playbook; the site removes it, so that nothing runs or loads "
                "from another host",
            )


def markup_limits(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """An artifact's body over a markup limit: its page shows it as plain text (files are left out when read)."""
    limits = playbook.settings.limits
    for artifact in playbook.artifacts:
        found = too_much_markup(artifact.document.body, artifact.path, limits, artifact.document.body_line)
        if found is not None:
            yield found


# A top-level `template:` key of a front matter, its name quoted or not.
_TEMPLATE_KEY = re.compile(r"""(["']?)template\1[ \t]*:""")


def page_templates(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """A content page or a Markdown evidence file whose front matter chooses its template: it would lose the CSP."""
    for published, text in playbook.publication.scanned():
        if published.kind is not Kind.MARKDOWN or not text.startswith("---"):
            continue
        for number, line in enumerate(text.splitlines()[1:], start=2):
            if line.rstrip() in ("---", "..."):
                break
            if _TEMPLATE_KEY.match(line):
                yield catalog.PAGE_TEMPLATE.at(
                    Location(published.source, number, 1),
                    "a page may not choose its template: every page is written by the theme's main.html, which "
                    "gives it the site's Content Security Policy; the site ignores this key: remove it",
                )


def dropped_targets(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """Links and images that the site drops, as markdown-it reads them: references resolved, autolinks too.

    In artifact bodies, inline links are judged by ``body_link_problems`` already; their images loaded
    from another host, and links and images by reference or autolink, are judged here. In published
    Markdown pages (content pages, Markdown evidence), every link and image is judged here.
    """
    sources: list[tuple[str, str, int, tuple[str, ...]]] = []
    for artifact in playbook.artifacts:
        body = artifact.document.body
        if "![" in body or "]:" in body or "<" in body:  # images, reference definitions, autolinks
            # The inline links that body_link_problems reports: as read, cut at the first ')' or space.
            inline = tuple(
                html.unescape(link.target).strip()
                for link in artifact.document.links
                if playbook.links.classify(link.target, artifact.path).kind is LinkKind.FORBIDDEN
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
                yield catalog.UNSAFE_HTML.at(
                    where,
                    "an image loaded from another host is not allowed in the playbook; the site removes it: "
                    "put the image in the playbook and link to it",
                )
            elif not found.target.strip().startswith(judged) or not judged:
                yield catalog.FORBIDDEN_SCHEME.at(
                    where, f"links with '{problem[1]}:' are not allowed (the site removes them); use https:// or a file"
                )


CHECKS: tuple[Check, ...] = (
    duplicate_ids,
    owners,
    practices,
    evidence,
    body_link_problems,
    reviews,
    placeholders,
    sections,
    raw_html,
    page_templates,
    markup_limits,
    dropped_targets,
)


def run_checks(playbook: Playbook, today: date) -> list[Diagnostic]:
    """Run every check over the playbook and return what they found."""
    return [diagnostic for check in CHECKS for diagnostic in check(playbook, today)]
