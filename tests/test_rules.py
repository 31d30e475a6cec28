"""Every rule the checker emits today: a passing and a failing case, with the exact code, severity and place.

Artifacts come from ``artifact_text`` (see its docstring for the fixed line
layout: ``owner`` on line 5, ``review_by`` on 8, ``implements`` on 9, the first
evidence item's ``date`` on 12 and ``link`` on 13). In the study's matrix, D1's
entry (``- id: D1``) is line 11, column 5. The privacy rules PP702-PP707 are
not implemented yet and have no tests here.
"""

from __future__ import annotations

import builtins
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playbook_support import (
    EVIDENCE_FILE,
    KIND_FIELDS,
    ROLES_YML,
    SMALL_MATRIX_YML,
    TODAY,
    PlaybookBuilder,
    artifact_text,
    located,
    only,
)

from pptoolkit.checking import rules as catalog
from pptoolkit.model.artifacts import KINDS

VISION = "policies/vision.md"
D1_IN_STUDY_MATRIX = (11, 5)


def evidence(link: str = "../evidence/minutes.md", when: str = "2026-01-15", title: str = "Proof") -> str:
    """One evidence item (lines 11-13 of an artifact) as raw YAML for ``artifact_text(evidence=...)``."""
    return f"\n  - title: {title}\n    date: {when}\n    link: {link}"


def settings(**limits: int) -> str:
    """A ``mkdocs.yml`` whose ``pptoolkit`` plugin entry sets ``limits``."""
    lines = "".join(f"        {key}: {value}\n" for key, value in limits.items())
    return f"site_name: Test\nplugins:\n  - pptoolkit:\n      limits:\n{lines}"


def test_every_rule_has_a_unique_code_and_kebab_case_name() -> None:
    codes = [rule.code for rule in catalog.ALL]
    assert len(codes) == len(set(codes))
    for rule in catalog.ALL:
        assert rule.name == rule.name.lower()
        assert " " not in rule.name
        assert rule.summary


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_valid_artifact_of_every_kind_gives_no_diagnostic(playbook: PlaybookBuilder, kind: str) -> None:
    playbook.artifact(f"{kind}.md", kind=kind)
    assert located(playbook.check(), f"policies/{kind}.md") == []


def test_every_kind_has_a_test_artifact() -> None:
    assert set(KIND_FIELDS) == set(KINDS)


# PP1xx: files and YAML


def test_pp101_file_in_latin1_is_reported_at_the_first_bad_byte(playbook: PlaybookBuilder) -> None:
    text = artifact_text(body="# Vision\n\nLe café du comité.\n")
    playbook.write_bytes("policies/vision.md", text.encode("latin-1"))
    result = playbook.check()
    assert located(result, VISION) == [("PP101", "error", 19, 7)]
    assert "not UTF-8" in only(result, "PP101").message


def test_pp101_utf8_with_accents_and_byte_order_mark_is_accepted(playbook: PlaybookBuilder) -> None:
    text = artifact_text(body="# Vision\n\nLe café du comité.\n")
    playbook.write_bytes("policies/vision.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert located(playbook.check(), VISION) == []


def test_pp109_file_that_cannot_be_read_is_an_error_not_a_crash(
    playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    playbook.artifact("vision.md")
    real_open = builtins.open

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("vision.md"):  # tests run as root, who may read any file: deny it here
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    result = playbook.check()
    assert located(result, VISION) == [("PP109", "error", 1, 1)]
    assert only(result, "PP109").message == "cannot be read: Permission denied"


@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_pp102_empty_artifact_is_an_error(playbook: PlaybookBuilder, text: str) -> None:
    playbook.artifact("vision.md", text)
    assert located(playbook.check(), VISION) == [("PP102", "error", 1, 1)]


def test_pp103_artifact_starting_with_a_heading_has_no_front_matter(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", "# Vision\n\nid: vision\n")
    result = playbook.check()
    assert located(result, VISION) == [("PP103", "error", 1, 1)]


def test_pp103_unclosed_front_matter_is_an_error(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", "---\nid: vision\nkind: vision\n")
    result = playbook.check()
    assert located(result, VISION) == [("PP103", "error", 1, 1)]
    assert "not closed" in only(result, "PP103").message


def test_pp104_yaml_syntax_error_is_reported_where_the_parser_stops(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(implements="[D1, S1"))
    # The flow list opened on line 9 is still open when the parser meets the `:` of `evidence:` on line 10.
    assert located(playbook.check(), VISION) == [("PP104", "error", 10, 9)]


def test_pp104_duplicate_key_is_reported_at_the_second_key(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text().replace("status: approved\n", "status: approved\nowner: x\n"))
    result = playbook.check()
    assert located(result, VISION) == [("PP104", "error", 7, 1)]
    assert only(result, "PP104").message == "duplicate key 'owner'"


def test_pp104_python_tag_is_refused_not_executed(playbook: PlaybookBuilder, tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    tagged = f"!!python/object/apply:os.system ['touch {marker}']"
    playbook.artifact("vision.md", artifact_text(title=tagged))
    result = playbook.check()
    assert located(result, VISION) == [("PP104", "error", 4, 8)]
    assert not marker.exists()


def test_pp104_yaml_error_in_roles_registry_is_located_in_that_file(playbook: PlaybookBuilder) -> None:
    playbook.roles("roles:\n  - id: director-general\n    title: [Director\n")
    result = playbook.check()
    assert located(result, "checks/roles.yml") == [("PP104", "error", 4, 1)]


def test_pp105_file_over_the_size_limit_is_refused(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", settings(max_file_bytes=12000))  # the study's matrix: 11,300 bytes; this body: 12,000
    playbook.artifact("vision.md", artifact_text(body="# Vision\n\n" + "Text. " * 2000 + "\n"))
    result = playbook.check()
    assert located(result, VISION) == [("PP105", "error", 1, 1)]
    assert "the limit is 12,000 bytes" in only(result, "PP105").message


def test_pp105_file_under_the_size_limit_is_read(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", settings(max_file_bytes=12000))
    playbook.artifact("vision.md")
    assert located(playbook.check(), VISION) == []


def test_pp106_alias_bomb_in_front_matter_is_refused(playbook: PlaybookBuilder) -> None:
    bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    playbook.artifact("vision.md", "---\n" + "\n".join(bomb) + "\n---\n")
    result = playbook.check()
    # a0 is on line 2; the second alias of a4 (line 6) takes the count past 20,000 values.
    assert located(result, VISION) == [("PP106", "error", 6, 15)]


def test_pp106_deep_nesting_is_refused(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(title="[" * 100 + "]" * 100))
    result = playbook.check()
    # `title:` is on line 4 and its first `[` in column 8; the front matter mapping is the first of the 32
    # levels allowed, so the 32nd `[` (column 8 + 31) is one level too deep.
    assert located(result, VISION) == [("PP106", "error", 4, 8 + 31)]


def test_pp106_yaml_nested_to_the_limit_is_accepted(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(title="[" * 31 + "]" * 31))
    # Accepted by the YAML loader (the title is then not text: an invalid value, not too complex).
    assert [code for code, *_ in located(playbook.check(), VISION)] == ["PP203"]


def test_pp107_front_matter_that_is_a_list_is_an_error(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", "---\n- id: vision\n- kind: vision\n---\n")
    assert located(playbook.check(), VISION) == [("PP107", "error", 2, 1)]


def test_pp107_roles_registry_that_is_not_a_mapping_is_an_error(playbook: PlaybookBuilder) -> None:
    playbook.roles("- id: director-general\n")
    assert located(playbook.check(), "checks/roles.yml") == [("PP107", "error", 1, 1)]


def test_pp108_overlong_line_is_reported_at_the_first_character_past_the_limit(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(body="# Vision\n\n" + "y" * 10_001 + "\n"))
    result = playbook.check()
    assert located(result, VISION) == [("PP108", "error", 19, 10_001)]


def test_pp108_line_at_the_limit_is_accepted(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(body="# Vision\n\n" + "y" * 10_000 + "\n"))
    assert located(playbook.check(), VISION) == []


# PP2xx: artifact fields and structure


def test_pp201_unknown_kind_points_at_the_kind_line(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text().replace("kind: vision", "kind: visoin"))
    result = playbook.check()
    assert located(result, VISION) == [("PP201", "error", 3, 1)]
    assert "unknown kind 'visoin'" in only(result, "PP201").message


def test_pp202_missing_owner_is_an_error(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner=None))
    result = playbook.check()
    assert located(result, VISION) == [("PP202", "error", 2, 1)]
    assert only(result, "PP202").message == "the field 'owner' is required"


def test_pp202_each_missing_field_is_its_own_diagnostic(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner=None, review_by=None))
    messages = [d.message for d in playbook.check().diagnostics if d.path == VISION]
    assert messages == ["the field 'owner' is required", "the field 'review_by' is required"]


def test_pp202_missing_kind_is_an_error(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text().replace("kind: vision\n", ""))
    assert located(playbook.check(), VISION) == [("PP202", "error", 2, 1)]


def test_pp202_approved_without_approval_date_points_at_status(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(approved_on=None))
    result = playbook.check()
    assert located(result, VISION) == [("PP202", "error", 6, 1)]
    assert "approved_on" in only(result, "PP202").message


def test_pp202_draft_needs_no_approval_date(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(status="draft", approved_on=None))
    assert [code for code, *_ in located(playbook.check(), VISION)] == []


def test_pp202_evidence_item_without_link_points_at_the_item(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(evidence="\n  - title: Minutes\n    date: 2026-01-15"))
    assert located(playbook.check(), VISION) == [("PP202", "error", 11, 5)]


@pytest.mark.parametrize(
    ("field", "value", "line", "column"),
    [
        ("review_by", "next year", 8, 1),
        ("review_by", "2026-03-14 10:00:00", 8, 1),
        ("review_by", "14/03/2026", 8, 1),
        ("status", "published", 6, 1),
        ("implements", "D1", 9, 1),
        ("id", "Vision 2026", 2, 1),
        ("evidence", evidence(when="yesterday"), 12, 5),
    ],
)
def test_pp203_wrong_value_points_at_its_key(
    playbook: PlaybookBuilder, field: str, value: str, line: int, column: int
) -> None:
    playbook.artifact("vision.md", artifact_text(**{field: value}))
    assert located(playbook.check(), VISION) == [("PP203", "error", line, column)]


def test_pp203_quoted_iso_dates_are_accepted(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(approved_on="'2026-01-15'", review_by='"2027-06-30"'))
    assert located(playbook.check(), VISION) == []


def test_pp204_misspelt_key_is_an_unknown_field(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(ownr="director-general"))
    result = playbook.check()
    # The vision's own field `statement` is line 14; the extra key follows it.
    assert located(result, VISION) == [("PP204", "error", 15, 1)]
    assert "'ownr' is not a field here" in only(result, "PP204").message


def test_pp204_field_of_another_kind_is_unknown(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(steps="[One]"))
    assert located(playbook.check(), VISION) == [("PP204", "error", 15, 1)]


def test_pp205_duplicate_ids_name_both_files(playbook: PlaybookBuilder) -> None:
    playbook.artifact("designing/vision.md", artifact_text().replace("../evidence", "../../evidence"))
    playbook.artifact("vision-copy.md", artifact_text())
    result = playbook.check()
    assert located(result, "policies/designing/vision.md") == [("PP205", "error", 2, 1)]
    assert located(result, "policies/vision-copy.md") == [("PP205", "error", 2, 1)]
    messages = {d.path: d.message for d in result.diagnostics if d.code == "PP205"}
    assert messages["policies/designing/vision.md"] == "the id 'vision' is also used by policies/vision-copy.md"
    assert messages["policies/vision-copy.md"] == "the id 'vision' is also used by policies/designing/vision.md"


def test_pp205_distinct_ids_are_fine(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text())
    playbook.artifact("vision-2.md", artifact_text(id="vision-2"))
    assert not [d for d in playbook.check().diagnostics if d.code == "PP205"]


def test_pp206_missing_required_section_is_reported_where_it_belongs(playbook: PlaybookBuilder) -> None:
    playbook.artifact("procedure.md", artifact_text("procedure", body="# Procedure\n\n## Who\n\nThe nurse.\n"))
    result = playbook.check()
    # Front matter closes on line 15; the body starts on line 16; its last line, 21, is where the section goes.
    assert located(result, "policies/procedure.md") == [("PP206", "error", 21, 1)]
    assert only(result, "PP206").message == (
        "a procedure needs a section '## Steps' (or '## Étapes'), at the end of the text; "
        f"the template's hint for it: {KINDS['procedure'].sections[0].hint}"
    )


def test_pp206_missing_first_section_is_reported_at_the_next_one(playbook: PlaybookBuilder) -> None:
    text = artifact_text("terms-of-reference", body="# T\n\n## Membership\n\n## Meetings\n")
    playbook.artifact("terms.md", text)
    result = playbook.check()
    assert located(result, "policies/terms.md") == [("PP206", "error", text.splitlines().index("## Membership") + 1, 1)]
    assert "'## Mandate' (or '## Mandat'), before '## Membership';" in only(result, "PP206").message


def test_pp206_french_heading_satisfies_the_section(playbook: PlaybookBuilder) -> None:
    playbook.artifact("procedure.md", artifact_text("procedure", body="# Procédure\n\n## Étapes\n\nUn, deux.\n"))
    assert located(playbook.check(), "policies/procedure.md") == []


def test_pp206_section_must_be_a_level_two_heading(playbook: PlaybookBuilder) -> None:
    playbook.artifact("procedure.md", artifact_text("procedure", body="# Procedure\n\n### Steps\n"))
    assert located(playbook.check(), "policies/procedure.md") == [("PP206", "error", 19, 1)]  # its last line


def test_pp207_too_many_evidence_items_points_at_evidence(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", settings(max_evidence_items=2))
    playbook.artifact("vision.md", artifact_text(evidence=evidence() * 3))
    result = playbook.check()
    assert located(result, VISION) == [("PP207", "error", 10, 1)]
    assert only(result, "PP207").message == "3 evidence items; the limit is 2"


def test_pp207_evidence_items_up_to_the_limit_are_fine(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", settings(max_evidence_items=2))
    playbook.artifact("vision.md", artifact_text(evidence=evidence() * 2))
    assert located(playbook.check(), VISION) == []


# PP3xx: owners, practices and evidence


def test_pp301_unknown_practice_points_at_its_own_line_in_implements(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(implements="\n  - D1\n  - D9"))
    result = playbook.check()
    # implements: line 9, D1 line 10, D9 line 11; the evidence block follows.
    assert located(result, VISION) == [("PP301", "error", 11, 5)]
    assert only(result, "PP301").message == "'D9' is not a practice of the matrix (checks/matrix.yml)"


@pytest.mark.parametrize(("written", "meant"), [("S33", "S3"), ("s3", "S3"), ("S 3", "S3"), ("D01", "D1")])
def test_pp301_a_near_miss_practice_id_gets_the_one_meant(playbook: PlaybookBuilder, written: str, meant: str) -> None:
    playbook.artifact("vision.md", artifact_text(implements=f"[D1, '{written}']"))
    assert only(playbook.check(), "PP301").message == (
        f"'{written}' is not a practice of the matrix (checks/matrix.yml); did you mean {meant}?"
    )


def test_pp301_unknown_practice_in_a_flow_list_points_at_its_column(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(implements="[D1, d1]"))
    assert located(playbook.check(), VISION) == [("PP301", "error", 9, 18)]


def test_pp301_empty_implements_is_allowed_for_a_supporting_document(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(implements="[]"))
    assert located(playbook.check(), VISION) == []


def test_pp302_owner_not_in_registry_points_at_the_owner_line(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="jean-tremblay"))
    result = playbook.check()
    assert located(result, VISION) == [("PP302", "error", 5, 1)]
    assert "'jean-tremblay' is not a role of checks/roles.yml" in only(result, "PP302").message


def test_pp302_in_a_large_registry_suggests_the_nearest_roles_instead_of_listing_them_all(
    playbook: PlaybookBuilder,
) -> None:
    teams = "".join(f"  - id: team-lead-{n}\n    title: Team lead {n}\n    level: front\n" for n in range(40))
    playbook.roles("roles:\n  - id: director-general\n    title: Director General\n    level: top\n" + teams)
    playbook.artifact("vision.md", artifact_text(owner="director-generl"))
    message = only(playbook.check(), "PP302").message
    assert "did you mean director-general?" in message
    assert "checks/roles.yml lists 41 roles" in message
    assert "team-lead-39" not in message


def test_pp302_unknown_owner_of_a_retired_artifact_is_still_reported(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="former-director", status="retired"))
    assert located(playbook.check(), VISION) == [("PP302", "error", 5, 1)]


def test_pp303_front_line_owner_of_a_top_level_practice_is_a_warning(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="head-nurse"))
    result = playbook.check()
    assert located(result, VISION) == [("PP303", "warning", 5, 1)]
    diagnostic = only(result, "PP303")
    assert diagnostic.practice == "D1"
    assert diagnostic.message == (
        "practice D1 is done by top-level managers, but the owner 'head-nurse' is at the front level"
    )


def test_pp303_one_warning_per_mismatched_practice(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="head-nurse", implements="[D1, S1]"))
    result = playbook.check()
    assert located(result, VISION) == [("PP303", "warning", 5, 1), ("PP303", "warning", 5, 1)]
    assert {d.practice for d in result.diagnostics if d.code == "PP303"} == {"D1", "S1"}


def test_pp303_owner_at_either_level_of_a_two_level_practice_is_fine(playbook: PlaybookBuilder) -> None:
    playbook.artifact("framework.md", artifact_text("reference-framework", owner="pp-coordinator"))
    assert located(playbook.check(), "policies/framework.md") == []


def test_pp304_evidence_file_that_does_not_exist_points_at_the_link(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence("../evidence/minutes-2026.md")))
    result = playbook.check()
    assert located(result, VISION) == [("PP304", "error", 13, 5)]
    assert "looked for 'evidence/minutes-2026.md'" in only(result, "PP304").message


def test_pp312_a_broken_link_in_the_text_has_its_own_rule_and_names_the_path_once(playbook: PlaybookBuilder) -> None:
    body = "# Vision\n\nSee [the minutes](../evidence/minutes-2026.md).\n"
    playbook.artifact("vision.md", artifact_text(body=body))
    result = playbook.check()
    [broken] = [d for d in result.diagnostics if d.path == VISION]
    assert (broken.code, broken.name, broken.line, broken.column) == ("PP313", "broken-link", 19, 5)
    assert broken.message == (
        "the link in the text: '../evidence/minutes-2026.md' does not exist (looked for 'evidence/minutes-2026.md')"
    )


@pytest.mark.parametrize("link", ["https://", "https://exa mple.org/x", "https://localhost/x", "../evidence"])
def test_pp304_malformed_url_or_folder_is_a_broken_link(playbook: PlaybookBuilder, link: str) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(f"'{link}'")))
    assert located(playbook.check(), VISION) == [("PP304", "error", 13, 5)]


@pytest.mark.parametrize(
    "link", ["../evidence/minutes.md", "../evidence/minutes.md#decision-3", "https://www.example.org/report.pdf"]
)
def test_pp304_existing_file_or_wellformed_https_url_is_fine(playbook: PlaybookBuilder, link: str) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(link)))
    assert located(playbook.check(), VISION) == []


@pytest.mark.parametrize("link", ["../../etc/passwd", "/etc/passwd", "../evidence/../../x.md", "C:/Windows/x.md"])
def test_pp305_link_leaving_the_playbook_is_an_error(playbook: PlaybookBuilder, link: str) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(link)))
    assert located(playbook.check(), VISION) == [("PP305", "error", 13, 5)]


def test_pp305_symbolic_link_to_a_file_outside_is_an_error(
    playbook: PlaybookBuilder, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("secret\n", encoding="utf-8")
    os.symlink(outside, playbook.root / "evidence" / "secret.md")
    playbook.artifact("vision.md", artifact_text(evidence=evidence("../evidence/secret.md")))
    result = playbook.check()
    assert located(result, VISION) == [("PP305", "error", 13, 5)]
    assert "symbolic link" in only(result, "PP305").message


def test_pp305_artifact_that_is_a_symbolic_link_outside_is_not_read(
    playbook: PlaybookBuilder, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "vision.md"
    outside.write_text(artifact_text(), encoding="utf-8")
    (playbook.root / "policies").mkdir()
    os.symlink(outside, playbook.root / VISION)
    result = playbook.check()
    assert located(result, VISION) == [("PP305", "error", 1, 1)]
    assert result.playbook.artifacts == []


def test_pp306_evidence_dated_after_today_points_at_its_date(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(when="2026-11-27", title="Next board")))
    result = playbook.check()
    assert located(result, VISION) == [("PP306", "error", 12, 5)]
    assert (
        only(result, "PP306").message
        == "evidence 'Next board' is dated November 27, 2026, after today (November 26, 2026)"
    )


def test_pp306_evidence_dated_today_is_fine(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(when=TODAY.isoformat())))
    assert located(playbook.check(), VISION) == []


def test_pp307_review_date_passed_is_a_warning_at_review_by(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(review_by="2026-11-25"))
    result = playbook.check()
    assert located(result, VISION) == [("PP307", "warning", 8, 1)]
    assert only(result, "PP307").message == "'Test vision' was due for review on November 25, 2026"


def test_pp307_review_due_today_is_not_yet_overdue(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(review_by=TODAY.isoformat()))
    assert located(playbook.check(), VISION) == []


def test_pp307_retired_artifact_is_never_overdue(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(status="retired", review_by="2020-01-01"))
    assert located(playbook.check(), VISION) == []


def test_pp308_http_link_is_a_warning(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence("http://www.example.org/report")))
    result = playbook.check()
    assert located(result, VISION) == [("PP308", "warning", 13, 5)]


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://example.org/x"],
)
def test_pp309_dangerous_link_scheme_is_an_error(playbook: PlaybookBuilder, link: str) -> None:
    playbook.artifact("vision.md", artifact_text(evidence=evidence(f"'{link}'")))
    assert located(playbook.check(), VISION) == [("PP309", "error", 13, 5)]


# PP4xx: coverage (statuses in detail: test_coverage.py)


def test_pp401_practice_without_artifact_points_at_its_matrix_entry(playbook: PlaybookBuilder) -> None:
    result = playbook.check()
    diagnostic = next(d for d in result.diagnostics if d.practice == "D1")
    assert (diagnostic.code, diagnostic.severity.value, diagnostic.path) == ("PP401", "error", "checks/matrix.yml")
    assert (diagnostic.line, diagnostic.column) == D1_IN_STUDY_MATRIX
    assert diagnostic.message == (
        "no current artifact implements practice D1 (Adopt and maintain an organizational vision of the PP)"
    )
    assert sum(d.code == "PP401" for d in result.diagnostics) == 25


def test_pp401_not_reported_for_an_implemented_practice(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md")
    result = playbook.check()
    assert not [d for d in result.diagnostics if d.practice == "D1"]
    assert sum(d.code == "PP401" for d in result.diagnostics) == 24


def practice_diagnostics(playbook: PlaybookBuilder, practice: str) -> list[tuple[str, str, str, int, int]]:
    return [
        (d.code, d.severity.value, d.path, d.line, d.column)
        for d in playbook.check().diagnostics
        if d.practice == practice and d.path == "checks/matrix.yml"
    ]


def test_pp402_practice_whose_owners_are_not_roles(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="nobody"))
    assert practice_diagnostics(playbook, "D1") == [("PP402", "error", "checks/matrix.yml", *D1_IN_STUDY_MATRIX)]


def test_pp403_practice_with_only_a_draft_has_no_evidence(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(status="draft", approved_on=None))
    assert practice_diagnostics(playbook, "D1") == [("PP403", "error", "checks/matrix.yml", *D1_IN_STUDY_MATRIX)]


def test_pp404_practice_whose_proof_is_past_review_is_stale(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(review_by="2026-06-30"))
    assert practice_diagnostics(playbook, "D1") == [("PP404", "warning", "checks/matrix.yml", *D1_IN_STUDY_MATRIX)]


def test_pp40x_covered_practice_has_no_practice_diagnostic(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md")
    assert practice_diagnostics(playbook, "D1") == []


# PP5xx: waivers. Each waiver below takes four lines: practice, reason, approved_by, expires.


def waiver(practice: str = "D1", expires: str = "2027-03-31", approved_by: str = "director-general") -> str:
    return (
        f"  - practice: {practice}\n"
        "    reason: The board adopts the vision in March\n"
        f"    approved_by: {approved_by}\n"
        f"    expires: {expires}\n"
    )


WAIVERS = "checks/waivers.yml"


def test_pp501_expired_waiver_is_an_error_at_its_expires_line(playbook: PlaybookBuilder) -> None:
    playbook.waivers("waivers:\n" + waiver(expires="2026-11-25"))
    result = playbook.check()
    assert located(result, WAIVERS) == [("PP501", "error", 5, 5)]
    assert only(result, "PP501").practice == "D1"
    assert result.coverage_of("D1").status == "missing"  # type: ignore[union-attr]


def test_pp501_waiver_expiring_today_still_counts(playbook: PlaybookBuilder) -> None:
    playbook.waivers("waivers:\n" + waiver(expires=TODAY.isoformat()))
    result = playbook.check()
    assert [code for code, *_ in located(result, WAIVERS)] == ["PP502"]
    assert result.coverage_of("D1").status == "waived"  # type: ignore[union-attr]


@pytest.mark.parametrize(("expires", "warned"), [("2026-12-26", True), ("2026-12-27", False)])
def test_pp502_waiver_expiring_within_30_days_is_a_warning(
    playbook: PlaybookBuilder, expires: str, warned: bool
) -> None:
    playbook.waivers("waivers:\n" + waiver(expires=expires))
    expected = [("PP502", "warning", 5, 5)] if warned else []
    assert located(playbook.check(), WAIVERS) == expected


@pytest.mark.parametrize(
    ("entry", "line", "column", "message"),
    [
        (waiver(practice="D9"), 2, 5, "the waiver names 'D9', not a practice of the matrix"),
        (waiver(approved_by="someone"), 4, 5, "the waiver for D1 is approved by 'someone', not a role"),
        (waiver(expires="soon"), 5, 5, "'expires': expected a date such as 2026-03-14, got 'soon'"),
        (waiver().replace("    reason: The board adopts the vision in March\n", ""), 2, 5, None),
    ],
)
def test_pp503_malformed_waiver_is_an_error(
    playbook: PlaybookBuilder, entry: str, line: int, column: int, message: str | None
) -> None:
    playbook.waivers("waivers:\n" + entry)
    result = playbook.check()
    assert located(result, WAIVERS) == [("PP503", "error", line, column)]
    assert only(result, "PP503").message == (message or "the field 'reason' is required")
    assert result.coverage_of("D1").status == "missing"  # type: ignore[union-attr]


def test_pp503_valid_waiver_is_not_reported(playbook: PlaybookBuilder) -> None:
    playbook.waivers("waivers:\n" + waiver())
    assert located(playbook.check(), WAIVERS) == []


def test_pp504_waiver_for_a_covered_practice_is_unneeded(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md")
    playbook.waivers("waivers:\n" + waiver())
    result = playbook.check()
    assert located(result, WAIVERS) == [("PP504", "warning", 2, 5)]
    assert only(result, "PP504").message == "practice D1 is covered without this waiver; remove it"


def test_pp504_waiver_for_an_uncovered_practice_is_needed(playbook: PlaybookBuilder) -> None:
    playbook.waivers("waivers:\n" + waiver())
    assert not [d for d in playbook.check().diagnostics if d.code == "PP504"]


def test_waivers_file_with_an_unknown_top_level_key(playbook: PlaybookBuilder) -> None:
    playbook.waivers("waivers:\n" + waiver() + "exemptions: []\n")
    assert located(playbook.check(), WAIVERS) == [("PP204", "error", 6, 1)]


# PP6xx: roles registry and matrix. ROLES_YML: director-general line 2, pp-coordinator 5, head-nurse 9.

ROLES = "checks/roles.yml"


def test_roles_registry_of_the_fixture_is_valid(playbook: PlaybookBuilder) -> None:
    assert located(playbook.check(), ROLES) == []


def test_pp601_role_with_an_unknown_level_points_at_level(playbook: PlaybookBuilder) -> None:
    playbook.roles(ROLES_YML.replace("level: front", "level: frontline"))
    result = playbook.check()
    assert located(result, ROLES) == [("PP601", "error", 11, 5)]
    assert only(result, "PP601").message == (
        "'level' must be one of 'top', 'mid' or 'front', not 'frontline'; did you mean 'front'?"
    )


def test_pp601_role_without_a_title_points_at_the_role(playbook: PlaybookBuilder) -> None:
    playbook.roles(ROLES_YML.replace("    title: Head Nurse, Outpatient Clinic\n", ""))
    assert located(playbook.check(), ROLES) == [("PP601", "error", 9, 5)]


def test_pp601_missing_roles_registry_is_an_error(playbook: PlaybookBuilder) -> None:
    (playbook.root / ROLES).unlink()
    result = playbook.check()
    assert located(result, ROLES) == [("PP601", "error", 1, 1)]


def test_pp602_duplicate_role_points_at_the_second_definition(playbook: PlaybookBuilder) -> None:
    playbook.roles(ROLES_YML + "  - id: pp-coordinator\n    title: Another coordinator\n    level: mid\n")
    result = playbook.check()
    assert located(result, ROLES) == [("PP602", "error", 12, 5)]
    assert only(result, "PP602").message == "role 'pp-coordinator' is already defined on line 5"


def test_pp603_deputy_that_is_not_a_role_points_at_its_deputy_key(playbook: PlaybookBuilder) -> None:
    playbook.roles(ROLES_YML.replace("deputy: director-general", "deputy: assistant-director"))
    result = playbook.check()
    assert located(result, ROLES) == [("PP603", "error", 8, 5)]
    assert "'assistant-director'" in only(result, "PP603").message


# SMALL_MATRIX_YML: D1 at line 2, S5 at 7, E1 at 12, X1 at 17 (column 5); each entry's keys follow in order.

MATRIX = "checks/matrix.yml"


def test_small_matrix_is_valid(small_playbook: PlaybookBuilder) -> None:
    assert located(small_playbook.check(), MATRIX) == [("PP401", "error", line, 5) for line in (2, 7, 12, 17)]


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("levels: [top]", "levels: [top, top]", 4, 5),
        ("levels: [top]", "levels: [board]", 4, 14),
        ("levels: [top]", "levels: []", 4, 5),
        ("type: designing", "type: design", 3, 5),
        ("cases: [1]\n    title: Adopt", "cases: [one]\n    title: Adopt", 5, 13),
        ("id: D1", "id: d-1", 2, 5),
    ],
)
def test_pp604_malformed_practice_points_at_the_key(
    small_playbook: PlaybookBuilder, old: str, new: str, line: int, column: int
) -> None:
    small_playbook.matrix(SMALL_MATRIX_YML.replace(old, new, 1))
    result = small_playbook.check()
    assert ("PP604", "error", line, column) in located(result, MATRIX)
    assert result.playbook.matrix.get("D1") is None
    assert [c.practice.id for c in result.coverage] == ["S5", "E1", "X1"]


def test_pp605_duplicate_practice_points_at_the_second_entry(small_playbook: PlaybookBuilder) -> None:
    small_playbook.matrix(SMALL_MATRIX_YML + "  - id: S5\n    type: structuring\n    levels: [mid]\n    title: Again\n")
    result = small_playbook.check()
    assert ("PP605", "error", 22, 5) in located(result, MATRIX)
    assert only(result, "PP605").message == "practice S5 is already defined on line 7"
    assert len(result.coverage) == 4


# PP7xx: safety of the published playbook (privacy rules PP702-PP707 are not implemented yet)


@pytest.mark.parametrize(
    ("body_line", "column"),
    [
        ("<script>alert('hi')</script>", 1),
        ("Read this <iframe src='https://example.org'></iframe>.", 11),
        ('<div onclick="steal()">Click</div>', 1),
        ('See <a href="javascript:alert(1)">this</a>.', 8),
        ("  <object data='x.swf'></object>", 3),
    ],
)
def test_pp701_unsafe_html_is_reported_at_its_line_and_column(
    playbook: PlaybookBuilder, body_line: str, column: int
) -> None:
    # Body: line 16 blank, 17 "# Vision", 18 blank, 19 "Our vision.", 20 the HTML.
    playbook.artifact("vision.md", artifact_text(body="# Vision\n\nOur vision.\n" + body_line + "\n"))
    result = playbook.check()
    assert located(result, VISION)[0] == ("PP701", "error", 20, column)


def test_pp701_html_block_further_down_is_reported_on_its_own_line(playbook: PlaybookBuilder) -> None:
    body = "# Vision\n\n<div>\n  <p>Fine</p>\n  <script>x()</script>\n</div>\n"
    playbook.artifact("vision.md", artifact_text(body=body))
    assert located(playbook.check(), VISION) == [("PP701", "error", 21, 3)]


def test_pp701_harmless_html_and_code_samples_are_fine(playbook: PlaybookBuilder) -> None:
    body = "# Vision\n\nA <b>bold</b> line<br>\n\n    <script>in an indented code block</script>\n\n`<script>`\n"
    playbook.artifact("vision.md", artifact_text(body=body))
    assert located(playbook.check(), VISION) == []


def test_bad_file_does_not_stop_the_other_files_from_being_checked(playbook: PlaybookBuilder) -> None:
    playbook.artifact("a-broken.md", "---\nid: [\n---\n")
    playbook.artifact("b-vision.md", artifact_text(owner="nobody"))
    result = playbook.check()
    assert [code for code, *_ in located(result, "policies/a-broken.md")] == ["PP104"]
    assert located(result, "policies/b-vision.md") == [("PP302", "error", 5, 1)]


def test_evidence_link_is_relative_to_the_artifact_file(playbook: PlaybookBuilder) -> None:
    playbook.artifact("designing/vision.md", artifact_text(evidence=evidence("../../" + EVIDENCE_FILE)))
    playbook.artifact("vision-2.md", artifact_text(id="vision-2", evidence=evidence("../../" + EVIDENCE_FILE)))
    result = playbook.check()
    assert located(result, "policies/designing/vision.md") == []
    assert located(result, "policies/vision-2.md") == [("PP305", "error", 13, 5)]


def test_check_uses_the_given_date(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(review_by="2026-12-31"))
    assert located(playbook.check(today=date(2027, 1, 1)), VISION) == [("PP307", "warning", 8, 1)]
    assert located(playbook.check(today=date(2026, 12, 31)), VISION) == []
