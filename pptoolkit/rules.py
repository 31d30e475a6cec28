"""The checks over a loaded playbook: ids, owners, practices, evidence, sections and raw HTML.

Each check is a small function that yields diagnostics; ``CHECKS`` lists them
in the order they run. Coverage (one status per practice) lives in
``coverage.py``, privacy in ``privacy.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from pptoolkit import catalog
from pptoolkit.diagnostics import Diagnostic, Location
from pptoolkit.links import LinkKind, classify
from pptoolkit.loading import LoadedArtifact, Playbook

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
                f"the owner '{owner}' is not a role of {playbook.roles_path}; "
                f"use one of: {', '.join(sorted(playbook.roles)) or '(the registry is empty)'}",
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


def practices(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """An `implements:` entry that names no practice of the matrix, at its own line."""
    known = playbook.matrix.ids
    for artifact in playbook.artifacts:
        for index, practice_id in enumerate(artifact.model.implements):
            if practice_id not in known:
                yield catalog.UNKNOWN_PRACTICE.at(
                    artifact.at("implements", index),
                    f"'{practice_id}' is not a practice of the matrix ({playbook.matrix.path})",
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
            link = classify(item.link, artifact.path, playbook.root)
            where = artifact.at("evidence", index, "link")
            if link.kind is LinkKind.OUTSIDE:
                yield catalog.LINK_OUTSIDE.at(where, link.reason)
            elif link.kind is LinkKind.FORBIDDEN:
                yield catalog.FORBIDDEN_SCHEME.at(where, link.reason)
            elif link.kind in (LinkKind.MISSING, LinkKind.MALFORMED):
                yield catalog.BROKEN_LINK.at(where, f"evidence '{item.title}': {link.reason}")
            elif link.kind is LinkKind.HTTP:
                yield catalog.INSECURE_LINK.at(where, f"evidence '{item.title}' uses http://; prefer https://")
            if item.date > today:
                yield catalog.FUTURE_EVIDENCE.at(
                    artifact.at("evidence", index, "date"),
                    f"evidence '{item.title}' is dated {item.date.isoformat()}, after today ({today.isoformat()})",
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


UNSAFE_TAG = re.compile(r"<\s*/?\s*(script|iframe|object|embed|frame|frameset|base|meta|form)\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data):""", re.IGNORECASE)


def raw_html(playbook: Playbook, today: date) -> Iterator[Diagnostic]:
    """`<script>`, `<iframe>` and their kin, event handlers and script URLs in raw HTML of a body."""
    for artifact in playbook.artifacts:
        for fragment in artifact.document.html:
            for offset, line in enumerate(fragment.content.splitlines() or [""]):
                found = UNSAFE_TAG.search(line) or EVENT_HANDLER.search(line) or SCRIPT_URL.search(line)
                if found:
                    yield catalog.UNSAFE_HTML.at(
                        Location(
                            artifact.path,
                            fragment.line + offset,
                            found.start() + (fragment.column if offset == 0 else 1),
                        ),
                        f"raw HTML '{found.group(0).strip()}' is not allowed in an artifact; "
                        "the site never runs what is pasted into a policy",
                    )


CHECKS: tuple[Check, ...] = (duplicate_ids, owners, practices, evidence, reviews, sections, raw_html)


def run_checks(playbook: Playbook, today: date) -> list[Diagnostic]:
    """Run every check over the playbook and return what they found."""
    return [diagnostic for check in CHECKS for diagnostic in check(playbook, today)]
