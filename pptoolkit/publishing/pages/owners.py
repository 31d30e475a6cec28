"""The owners page: each role of the registry and the practices it owns."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _
from pptoolkit.model.matrix import LEVELS
from pptoolkit.publishing.pages.artifacts import artifact_table
from pptoolkit.publishing.pages.common import (
    ROLE_TYPE_TITLES,
    Page,
    esc,
    front_matter,
    level_title,
    link,
    practice_path,
    role_anchor,
    role_link,
    table,
)


def owners_page(result: Result) -> Page:
    """Every role: its level, deputy, and the practices and artifacts it owns."""
    page = "owners.md"
    title = _("Owners")
    parts = [front_matter(title), f"# {title}\n", _("Roles, not people: the registry names positions only.") + "\n"]
    for loaded in sorted(
        result.playbook.roles.values(),
        key=lambda r: (LEVELS.index(r.model.level) if r.model.level else len(LEVELS), r.model.type, r.model.title),
    ):
        role = loaded.model
        owned = [a for a in result.playbook.artifacts if a.model.owner == role.id]
        practices = sorted({p for a in owned if a.model.status != "retired" for p in a.model.implements})
        parts.append(f"## {esc(role.title)} {{ #{role_anchor(role.id)} }}\n")
        deputy = role_link(result, page, role.deputy) if role.deputy else "—"
        parts.append(
            table(
                [_("Level"), _("Deputy"), _("Practices")],
                [
                    [
                        level_title(role.level) if role.level else _(ROLE_TYPE_TITLES[role.type]),
                        deputy,
                        ", ".join(link(page, practice_path(p), p) for p in practices if result.coverage_of(p)) or "—",
                    ]
                ],
            )
        )
        parts.append(artifact_table(result, page, owned))
    return Page(page, "\n".join(parts))
