"""The wording of diagnostics: plain advice an editor who is not a programmer can act on, at the right place.

YAML syntax errors say what to change (the parser's own words stay at the end, in
parentheses, for power users); validation errors name places in plain words
("evidence item 1, 'date'") and suggest the intended key. Every case goes through
``pptoolkit.checking.checker.check`` on a playbook in a temporary directory. Artifacts
come from ``artifact_text`` (``title`` on line 4, ``owner`` on 5, ``review_by``
on 8, ``implements`` on 9, ``evidence`` on 10, the first evidence item's
``title`` on 11, ``date`` on 12 and ``link`` on 13).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook_support import PlaybookBuilder, artifact_text, make_playbook

from pptoolkit.checking.checker import Result
from pptoolkit.model.diagnostics import Diagnostic

VISION = "policies/vision.md"
LOGIC_MODEL = "policies/logic-model.md"


def checked(tmp_path: Path, text: str, name: str = "vision.md") -> Result:
    """Check a playbook whose only artifact is ``text``."""
    playbook = make_playbook(tmp_path)
    playbook.artifact(name, text)
    return playbook.check()


def the_diagnostic(result: Result, path: str = VISION) -> Diagnostic:
    """The one diagnostic of the file ``path``."""
    found = [d for d in result.diagnostics if d.path == path]
    assert len(found) == 1, [f"{d.line}:{d.column} {d.code} {d.message}" for d in found]
    return found[0]


def of(result: Result, path: str = VISION) -> list[tuple[str, int, int, str]]:
    """``(code, line, column, message)`` of every diagnostic of the file ``path``."""
    return [(d.code, d.line, d.column, d.message) for d in result.diagnostics if d.path == path]


# --- YAML syntax: plain advice, the parser's words in parentheses ----------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "line", "column", "parser"),
    [
        # A tab before a list item: libyaml cannot start a token with it.
        (
            "\n  - title: Board minutes",
            "\n\t- title: Board minutes",
            11,
            1,
            "found character that cannot start any token",
        ),
        # A tab before a key of a list item.
        ("\n    date: 2026-01-15", "\n\tdate: 2026-01-15", 12, 1, "found a tab character that violates indentation"),
    ],
    ids=["before-a-list-item", "before-a-key"],
)
def test_a_tab_used_for_indentation_says_to_indent_with_spaces(
    tmp_path: Path, before: str, after: str, line: int, column: int, parser: str
) -> None:
    text = artifact_text()
    assert before in text
    diagnostic = the_diagnostic(checked(tmp_path, text.replace(before, after, 1)))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", line, column)
    assert diagnostic.message == f"a tab character: indent with spaces, not tabs (YAML: {parser})"


def test_a_colon_inside_a_value_says_to_quote_the_value(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(title="Vision: 2030")))
    # At the second ':' of `title: Vision: 2030`.
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 4, 14)
    assert diagnostic.message == (
        "a ':' inside a value: put the whole value in quotes, e.g. title: \"Vision: 2030\""
        " (YAML: mapping values are not allowed in this context)"
    )


def test_a_key_indented_under_a_value_says_keys_must_line_up(tmp_path: Path) -> None:
    text = artifact_text(title="Our vision\n  summary: In short")
    diagnostic = the_diagnostic(checked(tmp_path, text))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 5, 10)
    assert diagnostic.message.startswith(
        "this key is indented more than the key above: keys of one mapping must line up"
    )
    assert "put the whole value in quotes" in diagnostic.message
    assert diagnostic.message.endswith("(YAML: mapping values are not allowed in this context)")


@pytest.mark.parametrize(
    ("before", "after", "line", "column"),
    [
        # libyaml stops at the start of line 6 (`status:`): the missing space is on line 5.
        ("owner: pp-coordinator\n", "owner:pp-coordinator\n", 5, 1),
        # Blank lines and comments between the faulty line and the next key.
        ("owner: pp-coordinator\n", "owner:pp-coordinator\n\n# approved by the board\n", 5, 1),
        # Inside an evidence item: libyaml stops at `link:` on line 13.
        ("    date: 2026-01-15\n", "    date:2026-01-15\n", 12, 5),
        # The last line of the front matter (after `reviews:` on line 15): libyaml stops at the end of the block.
        ("\n---\n\n", "\nstage:pilot\n---\n\n", 16, 1),
    ],
    ids=["owner", "owner-then-blank-lines", "evidence-date", "last-line"],
)
def test_a_key_without_a_space_after_its_colon_is_reported_on_its_own_line(
    tmp_path: Path, before: str, after: str, line: int, column: int
) -> None:
    text = artifact_text("logic-model")
    assert before in text
    diagnostic = the_diagnostic(checked(tmp_path, text.replace(before, after, 1), "logic-model.md"), LOGIC_MODEL)
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", line, column)
    assert diagnostic.message == (
        "this line has no ': ' after its key (write key: value, with a space after the colon)"
        " (YAML: could not find expected ':')"
    )


@pytest.mark.parametrize(
    ("before", "after", "line", "column", "parser"),
    [
        # `date:` one space short of `title:` above it.
        ("\n    date: 2026-01-15", "\n   date: 2026-01-15", 12, 4, "did not find expected '-' indicator"),
        # A second item one space to the left of the first.
        (
            "\n    link: ../evidence/minutes.md",
            "\n    link: ../evidence/minutes.md\n - title: Minutes\n   date: 2026-02-15\n   link: ../minutes.md",
            14,
            2,
            "did not find expected key",
        ),
    ],
    ids=["key-of-an-item", "second-item"],
)
def test_misaligned_keys_say_the_indentation_is_off(
    tmp_path: Path, before: str, after: str, line: int, column: int, parser: str
) -> None:
    text = artifact_text()
    assert before in text
    diagnostic = the_diagnostic(checked(tmp_path, text.replace(before, after, 1)))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", line, column)
    assert diagnostic.message == (f"the indentation is off: keys of one list or mapping must line up (YAML: {parser})")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_names_the_line_where_it_opens(tmp_path: Path, quote: str) -> None:
    text = artifact_text(title=f"{quote}Our vision")
    diagnostic = the_diagnostic(checked(tmp_path, text))
    assert diagnostic.code == "PP104"
    # The parser only notices at the end of the front matter: the end of line 14, the vision's statement.
    assert (diagnostic.line, diagnostic.column) == (14, len(text.splitlines()[13]) + 1)
    assert diagnostic.message == (
        f"the quote {quote} opened on line 4 is never closed: end the value with {quote}"
        " (YAML: found unexpected end of stream)"
    )


def test_an_unclosed_bracket_names_the_line_where_it_opens(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(implements="[D1, S1")))
    # Where the parser stops: the `:` of `evidence:` on line 10.
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 10, 9)
    assert diagnostic.message == (
        "the '[' opened on line 9 is never closed with ']' (or two of its items have no ',' between them)"
        " (YAML: did not find expected ',' or ']')"
    )


def test_text_after_a_closing_quote_explains_apostrophes(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(title="'It's ours'")))
    # At the `s` after the apostrophe that closed the value.
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 4, 12)
    assert diagnostic.message.startswith("the value goes on after its closing quote: put the whole value in quotes")
    assert "write an apostrophe as ''" in diagnostic.message
    assert diagnostic.message.endswith("(YAML: did not find expected key)")


@pytest.mark.parametrize(
    ("title", "column", "character"),
    [("@home care", 8, "@"), ("`Vision`", 8, "`"), ("*Our* vision", 12, "*"), ("& more", 9, "&")],
)
def test_a_value_starting_with_a_yaml_sign_says_to_quote_it(
    tmp_path: Path, title: str, column: int, character: str
) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(title=title)))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 4, column)
    assert diagnostic.message.startswith(f"a value cannot start with '{character}'")
    assert "put the whole value in quotes (YAML: " in diagnostic.message


def test_a_star_alias_that_names_nothing_says_to_quote_the_value(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(title="*draft")))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 4, 8)
    assert diagnostic.message == (
        "a value cannot start with '*' (YAML reads it as an alias): put the whole value in quotes"
        " (YAML: unknown alias '*draft')"
    )


def test_a_yaml_error_in_a_data_file_gets_the_same_advice(tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path)
    playbook.roles("roles:\n  - id: director-general\n    title: Director: General\n    level: top\n")
    diagnostic = the_diagnostic(playbook.check(), "checks/roles.yml")
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 3, 20)
    assert diagnostic.message.startswith("a ':' inside a value: put the whole value in quotes")


# --- Values YAML reads but cannot build: the invalid-value rule ----------------------------------------------


@pytest.mark.parametrize("field", ["review_by", "approved_on"])
def test_an_impossible_date_is_an_invalid_value_not_a_syntax_error(tmp_path: Path, field: str) -> None:
    line = {"approved_on": 7, "review_by": 8}[field]
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(**{field: "2028-13-40"})))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP203", line, len(field) + 3)
    assert diagnostic.message == "'2028-13-40' is not a real date (expected YYYY-MM-DD)"


def test_an_impossible_date_in_the_waivers_file_is_an_invalid_value(tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path)
    playbook.artifact("vision.md")
    playbook.waivers(
        "waivers:\n  - practice: E1\n    reason: Not yet\n    approved_by: director-general\n    expires: 2027-02-30\n"
    )
    diagnostic = the_diagnostic(playbook.check(), "checks/waivers.yml")
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP203", 5, 14)
    assert diagnostic.message == "'2027-02-30' is not a real date (expected YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("value", "message"),
    [("!!bool maybe", "'maybe' is not true or false"), ("!!int many", "'many' is not a whole number")],
)
def test_a_value_of_an_explicit_type_that_cannot_be_built_is_an_invalid_value(
    tmp_path: Path, value: str, message: str
) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(summary=value)))
    # `summary` is appended on line 15, after the vision's statement.
    assert (diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message) == ("PP203", 15, 10, message)


# --- Validation errors: places in plain words ---------------------------------------------------------------


def test_a_bad_date_of_an_evidence_item_names_the_item(tmp_path: Path) -> None:
    text = artifact_text().replace("    date: 2026-01-15", "    date: 15/01/2026")
    diagnostic = the_diagnostic(checked(tmp_path, text))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP203", 12, 5)
    assert diagnostic.message == "evidence item 1, 'date': expected a date such as 2026-03-14, got '15/01/2026'"


def test_a_missing_key_of_an_evidence_item_names_the_item(tmp_path: Path) -> None:
    text = artifact_text().replace("\n    link: ../evidence/minutes.md", "")
    diagnostic = the_diagnostic(checked(tmp_path, text))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP202", 11, 5)
    assert diagnostic.message == "the field 'link' is required in evidence item 1"


def test_a_list_item_of_the_wrong_type_is_counted_from_one(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(implements="[D1, S5, 7]")))
    # At the `7` of `implements: [D1, S5, 7]`.
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP203", 9, 22)
    assert diagnostic.message == "implements item 3 must be text: put the value in quotes"


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        ({"implements": "D1, S5"}, 9, "'implements' must be a list, e.g. [D1, S5]"),
        (
            {"evidence": "Board minutes, 2026-01-15"},
            10,
            "'evidence' must be a list: each proof starts with '- title: ...' on a new line,"
            " followed by 'date:' and 'link:' lines",
        ),
    ],
    ids=["implements", "evidence"],
)
def test_text_where_a_list_is_expected_shows_an_example(
    tmp_path: Path, fields: dict[str, str], line: int, message: str
) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(**fields)))
    assert (diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message) == ("PP203", line, 1, message)


def test_text_where_another_list_is_expected_says_one_item_per_line(tmp_path: Path) -> None:
    text = artifact_text("logic-model", goals="[{goal: Partnership in QI, targets: All teams, strategies: [Recruit]}]")
    diagnostic = the_diagnostic(checked(tmp_path, text, "logic-model.md"), LOGIC_MODEL)
    assert (diagnostic.code, diagnostic.line) == ("PP203", 14)
    assert diagnostic.message == "goals item 1, 'targets' must be a list (one '- item' per line)"


def test_text_where_an_evidence_item_is_expected_lists_its_keys(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(evidence="[Board minutes]")))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP203", 10, 12)
    assert diagnostic.message == "evidence item 1 must be a group of 'key: value' lines: title, date, link, signed_by"


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "'title' must not be empty"), ("2030", "'title' must be text: put the value in quotes")],
    ids=["empty", "a-number"],
)
def test_a_title_that_is_not_text(tmp_path: Path, title: str, message: str) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(title=title)))
    assert (diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message) == ("PP203", 4, 1, message)


def test_a_yes_or_no_field_says_true_or_false(tmp_path: Path) -> None:
    text = artifact_text("compensation-policy", expenses_reimbursed="sometimes")
    diagnostic = the_diagnostic(checked(tmp_path, text, "compensation-policy.md"), "policies/compensation-policy.md")
    assert diagnostic.code == "PP203"
    assert diagnostic.message == "'expenses_reimbursed' must be true or false, not 'sometimes'"


# --- Unknown keys: did you mean ...? ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "intended"),
    [("ownr", "owner"), ("Owner", "owner"), ("review-by", "review_by"), ("aproved_on", "approved_on")],
)
def test_a_misspelt_key_suggests_the_field(tmp_path: Path, typo: str, intended: str) -> None:
    text = artifact_text().replace(f"\n{intended}: ", f"\n{typo}: ", 1)
    result = checked(tmp_path, text)
    [unknown] = [d for d in result.diagnostics if d.path == VISION and d.code == "PP204"]
    line = {"owner": 5, "approved_on": 7, "review_by": 8}[intended]
    assert (unknown.line, unknown.column) == (line, 1)
    assert unknown.message == f"'{typo}' is not a field here; did you mean '{intended}'?"


def test_a_key_like_no_field_keeps_the_typo_hint(tmp_path: Path) -> None:
    diagnostic = the_diagnostic(checked(tmp_path, artifact_text(colour="blue")))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP204", 15, 1)
    assert diagnostic.message == "'colour' is not a field here (a typo?)"


def test_a_misspelt_key_of_an_evidence_item_suggests_its_field(tmp_path: Path) -> None:
    text = artifact_text().replace("  - title: Board minutes", "  - titel: Board minutes")
    found = of(checked(tmp_path, text))
    assert ("PP204", 11, 5, "'titel' is not a field of evidence item 1; did you mean 'title'?") in found
    assert ("PP202", 11, 5, "the field 'title' is required in evidence item 1") in found


def test_an_unknown_key_of_an_evidence_item_lists_its_fields(tmp_path: Path) -> None:
    text = artifact_text().replace("    link: ../evidence/minutes.md", "    link: ../evidence/minutes.md\n    pages: 3")
    diagnostic = the_diagnostic(checked(tmp_path, text))
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP204", 14, 5)
    assert diagnostic.message == "'pages' is not a field of evidence item 1; use 'title', 'date', 'link' or 'signed_by'"


def test_a_misspelt_key_in_the_roles_registry_suggests_the_field(tmp_path: Path) -> None:
    playbook: PlaybookBuilder = make_playbook(tmp_path)
    playbook.roles(
        "roles:\n  - id: director-general\n    title: Director General\n    levle: top\n"
        "  - id: pp-coordinator\n    title: Coordinator\n    level: mid\n"
        "  - id: head-nurse\n    title: Head Nurse\n    level: front\n"
    )
    found = of(playbook.check(), "checks/roles.yml")
    assert ("PP601", 4, 5, "'levle' is not a field here; did you mean 'level'?") in found


def test_a_number_or_yes_no_as_a_key_is_not_counted_as_a_list_item(tmp_path: Path) -> None:
    text = artifact_text().replace("status: approved\n", "status: approved\n2026: plan\ntrue: yes\n")
    found = of(checked(tmp_path, text))
    assert found == [
        ("PP203", 7, 1, "'2026' is not a field here (a key must be a name such as 'owner')"),
        ("PP203", 8, 1, "'true' is not a field here (a key must be a name such as 'owner')"),
    ]
