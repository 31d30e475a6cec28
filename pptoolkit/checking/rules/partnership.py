"""PP8xx, partnership: the roles artifacts name besides their owner, approval, engagement and tokenism."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
from pptoolkit.model.diagnostics import Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

UNKNOWN_ROLE_REFERENCE = Rule(
    "PP801",
    "unknown-role-reference",
    E,
    """
A `co_constructed_with`, `approved_by` or evidence `signed_by` entry names no role of the roles registry.

Why: patient partners, committees and approvers are named by role, never by person, and must be found.
""",
)
SELF_APPROVAL = Rule(
    "PP802",
    "self-approval",
    W,
    """
An approved artifact of a kind that the plugin entry's `independent_approval` lists is approved by its own owner, or names no `approved_by`.

Why: a document its owner approves alone has had no second look; the organization chose which kinds need one.
""",
)
TOKENISTIC_INVOLVEMENT = Rule(
    "PP803",
    "tokenistic-involvement",
    W,
    """
An approved QI project's patient advisors joined it only at approval (`advisors_joined: approval`).

Why: advisors asked to approve what others designed are involved in name only (the study's "tokenistic involvement").
""",
)
UNKNOWN_ENGAGEMENT_LEVEL = Rule(
    "PP804",
    "unknown-engagement-level",
    E,
    """
An `engagement:` target or achieved level of an artifact that is not a draft is not a level of the playbook's engagement scale (`engagement_scale` in the plugin entry).

Why: levels are compared and counted; a level off the scale cannot be.
""",
)

RULES = (
    UNKNOWN_ROLE_REFERENCE,
    SELF_APPROVAL,
    TOKENISTIC_INVOLVEMENT,
    UNKNOWN_ENGAGEMENT_LEVEL,
)


@check(UNKNOWN_ROLE_REFERENCE)
def role_references(playbook: Playbook, today: date) -> Iterator[Found]:
    """A role id named by `co_constructed_with`, `approved_by` or `signed_by` that the registry does not have."""
    roles = playbook.roles
    where = playbook.roles_path
    for artifact in playbook.artifacts:
        model = artifact.model
        for index, role in enumerate(model.co_constructed_with):
            if role not in roles:
                yield Found(
                    artifact.at("co_constructed_with", index),
                    _("'{role}' is not a role of {path}").format(role=role, path=where),
                )
        if model.approved_by is not None and model.approved_by not in roles:
            yield Found(
                artifact.at("approved_by"),
                _("'approved_by: {role}' is not a role of {path}").format(role=model.approved_by, path=where),
            )
        for item_index, item in enumerate(model.evidence[: playbook.settings.limits.max_evidence_items]):
            for index, role in enumerate(item.signed_by):
                if role not in roles:
                    yield Found(
                        artifact.at("evidence", item_index, "signed_by", index),
                        _("evidence '{title}' is signed by '{role}', not a role of {path}").format(
                            title=item.title, role=role, path=where
                        ),
                    )


@check(SELF_APPROVAL)
def approvals(playbook: Playbook, today: date) -> Iterator[Found]:
    """An approved artifact of a kind needing independent approval, approved by its owner or by nobody named."""
    kinds = set(playbook.settings.independent_approval)
    for artifact in playbook.artifacts:
        model = artifact.model
        if model.kind not in kinds or model.status != "approved":
            continue
        if model.approved_by is None:
            yield Found(
                artifact.at("status"),
                _("a {kind} must be approved by a role other than its owner: name it in 'approved_by'").format(
                    kind=model.kind
                ),
            )
        elif model.approved_by == model.owner:
            yield Found(
                artifact.at("approved_by"),
                _("'{title}' is approved by its own owner '{owner}'; a {kind} must be approved by another role").format(
                    title=model.title, owner=model.owner, kind=model.kind
                ),
            )


@check(TOKENISTIC_INVOLVEMENT)
def involvement(playbook: Playbook, today: date) -> Iterator[Found]:
    """An approved QI project whose advisors joined only at approval (a draft may still change)."""
    for artifact in playbook.artifacts:
        model = artifact.model
        if model.kind != "qi-project" or model.status != "approved":
            continue
        if getattr(model, "advisors_joined", None) == "approval":
            yield Found(
                artifact.at("advisors_joined"),
                _(
                    "the advisors of '{title}' joined only at approval: involve them from problem framing "
                    "or design, or the involvement is tokenistic"
                ).format(title=model.title),
            )


@check(UNKNOWN_ENGAGEMENT_LEVEL)
def engagement_levels(playbook: Playbook, today: date) -> Iterator[Found]:
    """An engagement target or achieved level that is not on the playbook's scale (a draft's may still be a TODO)."""
    scale = playbook.settings.engagement_scale
    for artifact in playbook.artifacts:
        engagement = artifact.model.engagement
        if engagement is None or artifact.model.status == "draft":
            continue
        for key in ("target", "achieved"):
            level = getattr(engagement, key)
            if level not in scale:
                yield Found(
                    artifact.at("engagement", key),
                    _("engagement {key} '{level}' is not a level of the scale; use one of: {levels}").format(
                        key=key, level=level, levels=", ".join(scale)
                    ),
                )


CHECKS = (role_references, approvals, involvement, engagement_levels)
