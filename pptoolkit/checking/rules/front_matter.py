"""PP2xx, artifact fields and structure: kinds, fields, values, ids, sections, evidence count, placeholders.

PP201 to PP204 are emitted by the loader while it validates the front matter (``loading.py``);
the others are checked here over the loaded artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, check
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.diagnostics import Location, Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import LoadedArtifact, Playbook

UNKNOWN_KIND = Rule(
    "PP201",
    "unknown-kind",
    E,
    """
The `kind:` of an artifact is not one of the documented kinds.

Why: the kind decides which fields and sections the artifact needs.
""",
)
MISSING_FIELD = Rule(
    "PP202",
    "missing-field",
    E,
    """
A required front matter field is absent (for example `owner`, or `approved_on` on an approved artifact).

Why: accountability needs an owner, a status and review dates.
""",
)
INVALID_VALUE = Rule(
    "PP203",
    "invalid-value",
    E,
    """
A front matter value has the wrong type or format (a date that is not ISO 8601, a status that does not exist, a list given as text).

Why: a value that does not mean what the field expects is silently wrong on the site.
""",
)
UNKNOWN_FIELD = Rule(
    "PP204",
    "unknown-field",
    E,
    """
A front matter key is not a field of the artifact's kind (often a typo such as `ownr`).

Why: a misspelt key is a value the checker would otherwise ignore.
""",
)
DUPLICATE_ID = Rule(
    "PP205",
    "duplicate-id",
    E,
    """
Two artifacts share the same `id`; both files are named.

Why: ids are used in links, waivers and pages; two artifacts cannot have one.
""",
)
MISSING_SECTION = Rule(
    "PP206",
    "missing-section",
    E,
    """
The body of an artifact lacks a section (a `##` heading) that its kind requires.

Why: readers expect, for instance, every compensation policy to say how expenses are reimbursed.
""",
)
TOO_MANY_EVIDENCE = Rule(
    "PP207",
    "too-many-evidence-items",
    E,
    """
An artifact lists more evidence items than `limits.max_evidence_items` (200 by default).

Why: evidence is a short list of proofs, not an archive.
""",
)
PLACEHOLDER_LEFT = Rule(
    "PP208",
    "placeholder-left",
    E,
    """
An approved artifact still holds a `TODO` placeholder, such as those `pptoolkit new` writes; comments (`# ...` in the front matter, `<!-- ... -->` in the body) are notes, not placeholders.

Why: a template that was approved unchanged would count as a practice done.
""",
)

RULES = (
    UNKNOWN_KIND,
    MISSING_FIELD,
    INVALID_VALUE,
    UNKNOWN_FIELD,
    DUPLICATE_ID,
    MISSING_SECTION,
    TOO_MANY_EVIDENCE,
    PLACEHOLDER_LEFT,
)


@check(DUPLICATE_ID)
def duplicate_ids(playbook: Playbook, today: date) -> Iterator[Found]:
    """Two artifacts with one id: each file is named at its `id:` line, with the others."""
    by_id: dict[str, list[LoadedArtifact]] = {}
    for artifact in playbook.artifacts:
        by_id.setdefault(artifact.model.id, []).append(artifact)
    for artifact_id, group in by_id.items():
        for artifact in group if len(group) > 1 else ():
            others = ", ".join(other.path for other in group if other is not artifact)
            yield Found(
                artifact.at("id"), _("the id '{id}' is also used by {others}").format(id=artifact_id, others=others)
            )


@check(MISSING_SECTION)
def sections(playbook: Playbook, today: date) -> Iterator[Found]:
    """A `##` section that the artifact's kind requires, missing from its body: located where it belongs."""
    from pptoolkit.reading.documents import split_lines  # it reads files, whose rules it imports from this package

    names: dict[int, tuple[object, set[str]]] = {}  # each required section's names as Section.matches compares them
    for artifact in playbook.artifacts:
        required = type(artifact.model).sections
        if not required:
            continue
        headings = [(h, h.text.strip().casefold()) for h in artifact.document.headings if h.level == 2]
        present = []
        for section in required:
            known = names.get(id(section))
            if known is None:
                known = names[id(section)] = (section, {section.en.casefold(), section.fr.casefold()})
            wanted = known[1]
            present.append(next((h for h, name in headings if name in wanted), None))
        for index, section in enumerate(required):
            if present[index] is not None:
                continue
            following = next((h for h in present[index + 1 :] if h is not None), None)
            if following is not None:
                where = Location(artifact.path, following.line)
                place = _("before '## {heading}'").format(heading=following.text)
            else:
                where = Location(artifact.path, max(len(split_lines(artifact.document.text)), 1))
                place = _("at the end of the text")
            yield Found(
                where,
                _(
                    "a {kind} needs a section '## {section}' (or '## {other}'), {place}; the template's hint for it: {hint}"
                ).format(
                    kind=artifact.model.kind, section=section.en, other=section.fr, place=place, hint=_(section.hint)
                ),
            )


@check(TOO_MANY_EVIDENCE)
def evidence_count(playbook: Playbook, today: date) -> Iterator[Found]:
    """More evidence items than the limit: the items are then not looked at one by one."""
    limit = playbook.settings.limits.max_evidence_items
    for artifact in playbook.artifacts:
        items = artifact.model.evidence
        if len(items) > limit:
            yield Found(
                artifact.at("evidence"),
                _("{count} evidence items; the limit is {limit}").format(
                    count=fmt.number(len(items)), limit=fmt.number(limit)
                ),
            )


PLACEHOLDER = re.compile(r"\bTODO\b")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _yaml_comment_start(line: str) -> int:
    """Where a YAML comment starts on a front matter line (its length when none): a ``#`` outside quotes,
    at the start or after a space."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return len(line)


def _without_comments(text: str, body_line: int) -> list[str]:
    """The lines of an artifact with its comments blanked out (YAML ``#`` comments in the front matter, HTML
    comments in the body), columns kept: a comment is a note to editors, never a placeholder."""
    from pptoolkit.reading.documents import split_lines  # it reads files, whose rules it imports from this package

    lines = split_lines(text)
    for number in range(min(body_line - 1, len(lines))):
        cut = _yaml_comment_start(lines[number])
        lines[number] = lines[number][:cut] + " " * (len(lines[number]) - cut)
    body = "\n".join(lines[body_line - 1 :])
    body = HTML_COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment.group()), body)
    return lines[: body_line - 1] + body.split("\n")


@check(PLACEHOLDER_LEFT)
def placeholders(playbook: Playbook, today: date) -> Iterator[Found]:
    """An approved artifact that still holds a `TODO` placeholder (from `pptoolkit new`); comments do not count."""
    from pptoolkit.checking.per_file import artifact_answers  # it imports this module

    for artifact in playbook.artifacts:
        if artifact.model.status == "approved":
            for line, column in artifact_answers(playbook, artifact).get("placeholders", ()):
                yield Found(
                    Location(artifact.path, line, column),
                    _("the artifact is approved but still holds a TODO placeholder: replace it before approval"),
                )


def placeholder_rows(text: str, body_line: int) -> list[tuple[int, int]]:
    """Where an artifact's text holds a `TODO` outside comments: (line, column) each (the cache keeps the answer)."""
    if "TODO" not in text:
        return []
    rows = []
    for number, line in enumerate(_without_comments(text, body_line), 1):
        found = PLACEHOLDER.search(line)
        if found:
            rows.append((number, found.start() + 1))
    return rows


CHECKS = (duplicate_ids, sections, evidence_count, placeholders)
