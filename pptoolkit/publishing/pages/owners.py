"""The owners page: a summary of role → practices → status at the top, then each role of the registry."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _, current_language
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact, LoadedRole
from pptoolkit.model.matrix import LEVELS
from pptoolkit.publishing.pages.common import (
    ROLE_TYPE_TITLES,
    Page,
    artifact_path,
    artifact_status,
    badge,
    esc,
    front_matter,
    level_title,
    link,
    practice_path,
    role_anchor,
    role_link,
    table,
    without_table_of_contents,
)


def owned_practices(result: Result) -> dict[str, list[str]]:
    """By role id, the practices of the matrix (in its order) that the role's current artifacts implement."""
    owned: dict[str, set[str]] = {}
    for artifact in result.playbook.artifacts:
        if artifact.model.status != "retired":
            owned.setdefault(artifact.model.owner, set()).update(artifact.model.implements)
    return {
        role: [c.practice.id for c in result.coverage if c.practice.id in practices]
        for role, practices in owned.items()
    }


def _practices_and_statuses(result: Result, page: str, practice_ids: list[str]) -> str:
    """``D1 · Organizational vision`` (a link) and its status in words, one practice per line."""
    if not practice_ids:
        return esc(_("owns no practice yet"))
    entries = []
    for practice_id in practice_ids:
        coverage = result.coverage_of(practice_id)
        assert coverage is not None
        name = f"{practice_id} · {coverage.practice.short_title_in(current_language())}"
        entries.append(
            f'<span class="pp-owned">{link(page, practice_path(practice_id), name)} {badge(coverage.status)}</span>'
        )
    return " ".join(entries)


def _artifact_list(page: str, artifacts: list[LoadedArtifact]) -> str:
    """One line per artifact the role owns: its title (a link), kind, status and review date."""
    lines = [
        "- "
        + _("{artifact}: {kind}, {status}, review by {date}").format(
            artifact=link(page, artifact_path(a.model.id), a.model.title),
            kind=esc(_(type(a.model).kind_title)),
            status=esc(artifact_status(a.model.status)),
            date=fmt.long_date(a.model.review_by),
        )
        for a in sorted(artifacts, key=lambda a: a.model.title.casefold())
    ]
    return "\n".join(lines) + "\n"


def _kind(role: LoadedRole) -> str:
    model = role.model
    return level_title(model.level) if model.level else _(ROLE_TYPE_TITLES[model.type])


def owners_page(result: Result) -> Page:
    """The summary of who owns which practice and its status, then every role: level, deputy, artifacts."""
    page = "owners.md"
    title = _("Owners")
    roles = sorted(
        result.playbook.roles.values(),
        key=lambda r: (LEVELS.index(r.model.level) if r.model.level else len(LEVELS), r.model.type, r.model.title),
    )
    practices = owned_practices(result)
    artifacts: dict[str, list[LoadedArtifact]] = {}
    for artifact in result.playbook.artifacts:
        artifacts.setdefault(artifact.model.owner, []).append(artifact)
    parts = [
        without_table_of_contents(front_matter(title)),  # the summary table lists and links every role
        f"# {title}\n",
        _("Roles, not people: the registry names positions only.") + "\n",
        "## " + _("Who owns what") + " { #who-owns-what }\n",
        table(
            [_("Role"), _("Level or type"), _("Practices and their status")],
            [
                [
                    role_link(result, page, loaded.model.id),
                    esc(_kind(loaded)),
                    _practices_and_statuses(result, page, practices.get(loaded.model.id, [])),
                ]
                for loaded in roles
            ],
        ),
    ]
    for loaded in roles:
        role = loaded.model
        owned = artifacts.get(role.id, [])
        parts.append(f"## {esc(role.title)} {{ #{role_anchor(role.id)} }}\n")
        if role.level:
            facts = [_("Level: {level}.").format(level=esc(level_title(role.level)))]
        else:
            facts = [_("Role type: {type}.").format(type=esc(_(ROLE_TYPE_TITLES[role.type])))]
        if role.deputy:
            facts.append(_("Deputy: {role}.").format(role=role_link(result, page, role.deputy)))
        facts.append(_("Artifacts it owns:") if owned else _("Owns no artifact yet."))
        parts.append(" ".join(facts) + "\n")
        if owned:
            parts.append(_artifact_list(page, owned))
    return Page(page, "\n".join(parts))
