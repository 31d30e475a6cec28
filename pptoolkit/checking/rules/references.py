"""PP301 to PP303, references: the practices an artifact implements and the roles that own it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from difflib import get_close_matches
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
from pptoolkit.i18n.vocabulary import level_word
from pptoolkit.model.artifacts import Registry
from pptoolkit.model.diagnostics import Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook
    from pptoolkit.model.matrix import Practice

UNKNOWN_PRACTICE = Rule(
    "PP301",
    "unknown-practice",
    E,
    """
An `implements:` entry names a practice id that is not in the matrix.

Why: a typo such as `D9` would leave the intended practice uncovered.
""",
)
UNKNOWN_OWNER = Rule(
    "PP302",
    "unknown-owner",
    E,
    """
The `owner:` of an artifact is not a role of the roles registry.

Why: an owner nobody can find is no owner; use a role id, never a person's name.
""",
)
OWNER_LEVEL_MISMATCH = Rule(
    "PP303",
    "owner-level-mismatch",
    W,
    """
An artifact's owner is at a management level that is not among the levels of a practice it implements.

Why: the study found each practice at given levels (a top-level practice owned by a front-line role is suspect).
""",
)

RULES = (
    UNKNOWN_PRACTICE,
    UNKNOWN_OWNER,
    OWNER_LEVEL_MISMATCH,
)


@check(UNKNOWN_PRACTICE)
def practices(playbook: Playbook, today: date) -> Iterator[Found]:
    """An `implements:` entry that names no practice of the matrix, at its own line."""
    known = playbook.matrix.ids
    for artifact in playbook.artifacts:
        for index, practice_id in enumerate(artifact.model.implements):
            if practice_id not in known:
                hint = nearest_practice(practice_id, known)
                yield Found(
                    artifact.at("implements", index),
                    _("'{practice}' is not a practice of the matrix ({path})").format(
                        practice=practice_id, path=playbook.matrix.path
                    )
                    + (_("; did you mean {practice}?").format(practice=hint) if hint else ""),
                )


def nearest_practice(written: str, known: Iterable[str]) -> str | None:
    """The practice id an editor most likely meant (``s3``, ``S33`` or ``S 3`` for ``S3``), or None."""
    ids = {practice.casefold(): practice for practice in known}
    typed = "".join(written.split()).casefold()
    if typed in ids:
        return ids[typed]
    near = get_close_matches(typed, ids, n=1, cutoff=0.6)
    return ids[near[0]] if near else None


@check(UNKNOWN_OWNER)
def owners(playbook: Playbook, today: date) -> Iterator[Found]:
    """An owner (or the `managed_by` of a current artifact) that is not a role of the registry."""
    unresolved = unresolved_owners(playbook)
    for artifact in playbook.artifacts:
        owner = artifact.model.owner
        if owner in unresolved:
            continue  # reported once, in the registry
        if owner not in playbook.roles:
            yield Found(
                artifact.at("owner"),
                _("the owner '{owner}' is not a role of {path}; {hint}").format(
                    owner=owner, path=playbook.roles_path, hint=_role_hint(owner, playbook)
                ),
            )
            continue
        # Only a registry has a manager (getattr on a model without the field raised and caught an AttributeError).
        manager = artifact.model.managed_by if isinstance(artifact.model, Registry) else None
        if artifact.model.status != "retired" and manager is not None and manager not in playbook.roles:
            yield Found(
                artifact.at("managed_by"),
                _("'managed_by: {role}' is not a role of {path}").format(role=manager, path=playbook.roles_path),
            )


@check(OWNER_LEVEL_MISMATCH)
def owner_levels(playbook: Playbook, today: date) -> Iterator[Found]:
    """A current artifact whose owner is at a level that a practice it implements does not have."""
    practices: dict[str, Practice] = {}  # by id, the first of each as Matrix.get finds it
    for each in playbook.matrix.practices:
        practices.setdefault(each.id, each)
    for artifact in playbook.artifacts:
        owner = artifact.model.owner
        role = playbook.roles.get(owner)
        if role is None or artifact.model.status == "retired":
            continue
        level = role.model.level
        for practice_id in artifact.model.implements:
            practice = practices.get(practice_id)
            if practice is not None and level not in practice.levels:
                yield Found(
                    artifact.at("owner"),
                    _(
                        "practice {practice} is done by {levels}-level managers, but the owner '{owner}' is at the {level} level"
                    ).format(
                        practice=practice_id,
                        levels=_(" and ").join(level_word(each) for each in practice.levels),
                        owner=owner,
                        level=level_word(str(level)),
                    ),
                    practice=practice_id,
                )


def registry_unusable(playbook: Playbook) -> bool:
    """True when the roles registry holds no role because it cannot be read (an error at the file itself)."""
    return not playbook.roles and any(d.is_error and d.path == playbook.roles_path for d in playbook.diagnostics)


def unresolved_owners(playbook: Playbook) -> frozenset[str]:
    """The owners that are unknown because of a problem already reported in the registry, at its cause."""
    if registry_unusable(playbook):
        return frozenset(artifact.model.owner for artifact in playbook.artifacts)
    return playbook.rejected_roles


ROLES_LISTED = 12  # a registry up to this size is listed whole in a message; a larger one, by the nearest ids


def _role_hint(owner: str, playbook: Playbook) -> str:
    """Which roles to use instead of an unknown owner: all of a small registry, the nearest ids of a large one."""
    roles = sorted(playbook.roles)
    if not roles:
        return _("use one of: (the registry is empty)")
    if len(roles) <= ROLES_LISTED:
        return _("use one of: {roles}").format(roles=", ".join(roles))
    nearest = get_close_matches(owner, roles, n=3, cutoff=0.5)
    also = _("did you mean {roles}? ").format(roles=_(" or ").join(nearest)) if nearest else ""
    return also + _("{path} lists {count} roles").format(path=playbook.roles_path, count=len(roles))


CHECKS = (practices, owners, owner_levels)
