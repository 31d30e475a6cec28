"""One page per management level: its practices, its artifacts and what is due for review."""

from __future__ import annotations

from datetime import date

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import coverage_counts
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact
from pptoolkit.model.matrix import LEVELS
from pptoolkit.publishing.pages.artifacts import artifact_table
from pptoolkit.publishing.pages.common import (
    LEVEL_TAGS,
    REVIEW_WINDOW,
    WHAT_THEY_DO,
    Page,
    artifact_path,
    badge,
    esc,
    front_matter,
    level_path,
    link,
    managers_title,
    owner_links,
    practice_path,
    practice_title,
    role_anchor,
    role_label,
    table,
)
from pptoolkit.publishing.pages.summary import counts_sentence


def due_for_review(result: Result) -> list[LoadedArtifact]:
    horizon = result.today + min(REVIEW_WINDOW, date.max - result.today)  # no later than the last date there is
    return sorted(
        (a for a in result.playbook.artifacts if a.model.status != "retired" and a.model.review_by <= horizon),
        key=lambda a: a.model.review_by,
    )


def level_page(result: Result, level: str) -> Page:
    """What managers at one level do here: their practices, the artifacts they own, what is due."""
    page = level_path(level)
    title = managers_title(level)
    roles = [r for r in result.playbook.roles.values() if r.model.level == level]
    role_ids = {r.model.id for r in roles}
    practices = [c for c in result.coverage if level in c.practice.levels]
    owned = [a for a in result.playbook.artifacts if a.model.owner in role_ids]
    parts = [
        front_matter(title, [LEVEL_TAGS[level]]),
        f"# {_(WHAT_THEY_DO[level])}\n",
        "## " + _("Their practices") + " { #their-practices }\n",
        *(
            [_("Coverage: {counts}.").format(counts=counts_sentence(coverage_counts(practices))) + "\n"]
            if practices
            else []
        ),
        table(
            [_("Id"), _("Practice"), _("Status"), _("Owners")],
            [
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(practice_title(c.practice)),
                    badge(c.status),
                    owner_links(result, page, c),
                ]
                for c in practices
            ],
        )
        if practices
        else _("No practice of the matrix is at this level.") + "\n",
        "## " + _("Roles at this level") + " { #roles-at-this-level }\n",
        "\n".join(f"- {link(page, 'owners.md#' + role_anchor(r.model.id), r.model.title)}" for r in roles) + "\n"
        if roles
        else _("No role at this level in the registry.") + "\n",
        "## " + _("Artifacts they own") + " { #artifacts-they-own }\n",
        artifact_table(result, page, owned),
        "## " + _("Due in the next 90 days") + " { #due-in-the-next-90-days }\n",
    ]
    due = [a for a in due_for_review(result) if a.model.owner in role_ids]
    parts.append(
        table(
            [_("Review by"), _("Artifact"), _("Owner")],
            [
                [
                    fmt.long_date(a.model.review_by),
                    link(page, artifact_path(a.model.id), a.model.title),
                    esc(role_label(result, a.model.owner)),
                ]
                for a in due
            ],
        )
        if due
        else _("Nothing is due.") + "\n"
    )
    return Page(page, "\n".join(parts))


def levels_index(result: Result) -> Page:
    """A listing of the three management levels."""
    page = "levels/index.md"
    rows = []
    for level in LEVELS:
        practices = [c for c in result.coverage if level in c.practice.levels]
        rows.append(
            [
                link(page, level_path(level), managers_title(level)),
                str(len(practices)),
                esc(counts_sentence(coverage_counts(practices))),
            ]
        )
    title = _("Management levels")
    return Page(page, front_matter(title) + f"# {title}\n\n" + table([_("Level"), _("Practices"), _("Coverage")], rows))
