"""The matrix page: every practice with its status, owners and the engagement of patient partners."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _
from pptoolkit.model.matrix import TYPE_PURPOSES, TYPE_TITLES
from pptoolkit.publishing.pages.common import (
    Page,
    artifact_path,
    badge,
    esc,
    front_matter,
    level_title,
    link,
    owner_links,
    practice_path,
    practice_title,
    table,
    type_title,
)
from pptoolkit.publishing.pages.practices import cases_section
from pptoolkit.publishing.pages.summary import counts_sentence


def engagement_section(result: Result, page: str) -> str:
    """Approved artifacts by achieved engagement level, and what changed thanks to patient advisors (QI projects)."""
    engaged = [a for a in result.playbook.artifacts if a.model.status == "approved" and a.model.engagement is not None]
    if not engaged:
        return ""
    scale = result.playbook.settings.engagement_scale
    rows = []
    for level in scale:
        achieved = [a for a in engaged if a.model.engagement is not None and a.model.engagement.achieved == level]
        reached_target = sum(
            1 for a in achieved if a.model.engagement is not None and a.model.engagement.target == level
        )
        rows.append([esc(level), str(len(achieved)), str(reached_target)])
    parts = [
        "## " + _("Patient partners' engagement") + "\n",
        _("Approved artifacts by the engagement level they achieved, on this playbook's scale (lowest first).") + "\n",
        table([_("Achieved level"), _("Artifacts"), _("Of which at their target")], rows),
    ]
    changes = [
        (a, change) for a in engaged if a.model.kind == "qi-project" for change in getattr(a.model, "changes", [])
    ]
    if changes:
        parts.append("### " + _("What changed thanks to patient advisors") + "\n")
        parts.append(
            "\n".join(
                f"- {esc(change)} ({link(page, artifact_path(a.model.id), a.model.title)})" for a, change in changes
            )
            + "\n"
        )
    return "\n".join(parts)


def matrix_page(result: Result) -> Page:
    """The study's table, type by level, each practice with its status, owner and links."""
    page = "matrix.md"
    parts = [front_matter(_("Practice matrix")), "# " + _("Practice matrix") + "\n"]
    parts.append(
        _(
            "The managerial practices that make patient partnership in quality improvement work "
            "(Clavel, Pomey and Ghadiri, *BMC Health Services Research*, 2019), with how this organization does each."
        )
        + "\n"
    )
    parts.append(_("Coverage: {counts}.").format(counts=counts_sentence(result.coverage_counts())) + "\n")
    if any(practice_title(c.practice) != c.practice.title for c in result.coverage):
        parts.append(
            _(
                "The practices' titles in this language are the pptoolkit project's translation of the study's "
                "English wording, which each practice's page gives."
            )
            + "\n"
        )
    groups = [(key, type_title(key)) for key in TYPE_TITLES]
    if any(c.practice.type not in TYPE_TITLES for c in result.coverage):
        groups.append(("other", _("Practices of this organization")))
    for practice_type, title in groups:
        parts.append(f"## {esc(title)} {{ #type-{practice_type} }}\n")
        if practice_type in TYPE_PURPOSES:
            parts.append(f"*{esc(_(TYPE_PURPOSES[practice_type]))}*\n")
        rows = []
        for c in result.coverage:
            in_group = c.practice.type == practice_type or (
                practice_type == "other" and c.practice.type not in TYPE_TITLES
            )
            if not in_group:
                continue
            levels = ", ".join(level_title(level) for level in c.practice.levels)
            rows.append(
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(practice_title(c.practice)),
                    levels,
                    badge(c.status),
                    owner_links(result, page, c),
                ]
            )
        parts.append(table([_("Id"), _("Practice"), _("Levels"), _("Status"), _("Owners")], rows))
    parts.append(cases_section())
    return Page(page, "\n".join(parts))
