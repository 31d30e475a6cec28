"""A broken roles registry is reported once, at its cause, not at every artifact and practice it leaves unowned."""

from __future__ import annotations

from playbook_support import ROLES_YML, PlaybookBuilder, artifact_text, located

ROLES = "checks/roles.yml"
INDEPENDENT = {"PP401", "PP405"}
"""Errors a broken registry does not cause: practices no artifact implements, and the packaged matrix's
practices that require patient partners (these playbooks name none)."""


def owned_playbook(playbook: PlaybookBuilder) -> PlaybookBuilder:
    """Three artifacts, one per role of ``ROLES_YML``: every practice they implement is covered."""
    playbook.artifact("vision.md")
    playbook.artifact("logic-model.md", kind="logic-model")
    playbook.artifact("evaluation.md", kind="evaluation")
    return playbook


def errors(playbook: PlaybookBuilder) -> list[tuple[str, str, int, int]]:
    result = playbook.check()
    return [(d.path, d.code, d.line, d.column) for d in result.diagnostics if d.is_error and d.code not in INDEPENDENT]


def test_a_tab_in_the_registry_is_one_error_at_the_tab(playbook: PlaybookBuilder) -> None:
    owned_playbook(playbook).roles(ROLES_YML.replace("    level: front", "\tlevel: front"))
    assert errors(playbook) == [(ROLES, "PP104", 11, 1)]


def test_a_registry_that_is_not_utf8_is_one_error(playbook: PlaybookBuilder) -> None:
    owned_playbook(playbook).write_bytes(ROLES, ROLES_YML.replace("Head Nurse", "Infirmi\xe8re").encode("cp1252"))
    assert [code for _, code, _, _ in errors(playbook)] == ["PP101"]


def test_an_invalid_level_is_one_error_with_the_level_meant(playbook: PlaybookBuilder) -> None:
    owned_playbook(playbook).roles(ROLES_YML.replace("level: mid", "level: middle"))
    result = playbook.check()
    assert [d for d in result.diagnostics if d.is_error and d.code not in INDEPENDENT] == [
        d for d in result.diagnostics if d.path == ROLES
    ]
    assert located(result, ROLES) == [("PP601", "error", 7, 5)]
    [diagnostic] = [d for d in result.diagnostics if d.path == ROLES]
    assert diagnostic.message == "'level' must be one of 'top', 'mid' or 'front', not 'middle'; did you mean 'mid'?"


def test_an_unknown_owner_with_a_readable_registry_is_still_reported(playbook: PlaybookBuilder) -> None:
    owned_playbook(playbook).artifact("vision.md", artifact_text("vision", owner="director-generl"))
    assert [code for path, code, _, _ in errors(playbook)] == ["PP402", "PP302"]


def test_a_level_that_is_nothing_like_a_choice_gets_no_guess(playbook: PlaybookBuilder) -> None:
    playbook.roles(ROLES_YML.replace("level: mid", "level: board"))
    [diagnostic] = [d for d in playbook.check().diagnostics if d.path == ROLES]
    assert diagnostic.message == "'level' must be one of 'top', 'mid' or 'front', not 'board'"


def test_children_that_are_not_indented_are_explained_as_indentation(playbook: PlaybookBuilder) -> None:
    playbook.artifact("compensation.md", artifact_text("compensation-policy", budget="\namount: 20000"))
    messages = [d.message for d in playbook.check().diagnostics if d.path == "policies/compensation.md"]
    assert "'amount' is not a field here but one of 'budget': indent it under 'budget:' by two spaces" in messages
