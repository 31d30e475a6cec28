"""Privacy of patient advisors: personal data planted anywhere the site publishes is flagged and never published.

Each test copies the small valid playbook (``hardening_support.small_playbook_copy``),
plants one piece of (fictitious) personal data in one place, and checks the
code, the line and the column of the diagnostic; the build tests check that a
strict build refuses to publish it and leaves no site behind.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from hardening_support import (
    LOGIC_MODEL,
    MINUTES,
    ROLES,
    TODAY,
    VISION,
    WAIVERS,
    codes,
    line_of,
    of,
    small_playbook_copy,
    where,
    write,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from playbook_support import REPO_ROOT, artifact_text

from pptoolkit.checker import check
from pptoolkit.publish import BuildFailed, BuildOptions, build_site

PRIVACY_CODES = ("PP702", "PP703", "PP704", "PP705", "PP706")

# (name, code, a sentence, the personal data in it): every value is invented.
PLANTS = [
    ("e-mail", "PP702", "Write to jeanne.tremblay@example.org for the minutes.", "jeanne.tremblay@example.org"),
    ("phone", "PP703", "Call her at 514-555-0199 after five.", "514-555-0199"),
    ("phone-with-extension", "PP703", "Call (418) 555-0123 poste 22 on Mondays.", "(418) 555-0123 poste 22"),
    ("ramq-number", "PP704", "Her health card is TREM 1234 5678 until May.", "TREM 1234 5678"),
    ("ramq-number-compact", "PP704", "Card TREM12345678 was checked.", "TREM12345678"),
    ("other-health-card", "PP704", "His Ontario card 1234-567-890-AB was shown.", "1234-567-890-AB"),
    ("street-address", "PP705", "He lives at 123 rue Principale, Sherbrooke.", "123 rue Principale"),
    ("street-address-en", "PP705", "Mail goes to 42 Maple Street in Granby.", "42 Maple Street"),
    ("postal-code", "PP705", "The postal code is J1H 5N4 for that home.", "J1H 5N4"),
]
PLANT_IDS = [name for name, *_ in PLANTS]
EMAIL = PLANTS[0]


def playbook(tmp_path: Path, options: dict | None = None) -> Path:
    return small_playbook_copy(tmp_path / "playbook", options)


def append(root: Path, relative: str, text: str) -> tuple[str, Path]:
    """Append ``text`` as a paragraph to a file; return the new file text and the file."""
    file = root / relative
    content = file.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n"
    write(root, relative, content)
    return content, file


def assert_flagged_at(root: Path, relative: str, code: str, needle: str) -> None:
    """The checker flags ``needle`` in ``relative`` with ``code``, at the needle's own line and column."""
    result = check(root, TODAY)
    text = (root / relative).read_text(encoding="utf-8")
    expected = line_of(text, needle)
    found = [(d.line, d.column) for d in of(result, code, relative)]
    assert found == [expected], f"{code} expected at {expected} in {relative}, got {where(result.diagnostics)}"
    diagnostic = of(result, code, relative)[0]
    assert diagnostic.severity.value == "error"
    assert "must not be published" in diagnostic.message
    assert needle not in diagnostic.message, "the message must not republish the personal data"
    assert result.exit_code == 1


def assert_build_refused(root: Path) -> None:
    """A strict build fails with BuildFailed and leaves neither a site nor a temporary folder."""
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, strict=True))
    assert not (root / "site").exists()
    assert not list(root.glob(".site-*"))


def test_the_small_playbook_is_clean(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    result = check(root, TODAY)
    assert result.diagnostics == ()
    assert [c.status for c in result.coverage] == ["covered"] * 3


# --- Each kind of personal data, in an artifact body -------------------------------------------


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_personal_data_in_an_artifact_body_is_flagged(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    append(root, VISION, sentence)
    assert_flagged_at(root, VISION, code, needle)


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_a_strict_build_refuses_each_kind_of_personal_data(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    append(root, VISION, sentence)
    assert code in codes(check(root, TODAY), VISION)
    assert_build_refused(root)


# --- The same data in every other place the site publishes ---------------------------------------


def test_personal_data_in_front_matter_is_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    file = root / VISION
    text = file.read_text(encoding="utf-8").replace(
        "summary: The board's vision of patients as partners.",
        'summary: "Questions: jeanne.tremblay@example.org or 514-555-0199"',
    )
    write(root, VISION, text)
    assert_flagged_at(root, VISION, "PP702", "jeanne.tremblay@example.org")
    assert_flagged_at(root, VISION, "PP703", "514-555-0199")
    assert_build_refused(root)


def test_personal_data_in_an_evidence_list_title_is_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    file = root / LOGIC_MODEL
    write(
        root,
        LOGIC_MODEL,
        file.read_text(encoding="utf-8").replace("title: Board minutes", "title: Minutes, TREM 1234 5678"),
    )
    assert_flagged_at(root, LOGIC_MODEL, "PP704", "TREM 1234 5678")


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_personal_data_in_a_published_evidence_file_is_flagged(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    append(root, MINUTES, sentence)
    assert_flagged_at(root, MINUTES, code, needle)


def test_a_strict_build_refuses_personal_data_in_an_evidence_file(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append(root, MINUTES, EMAIL[2])
    assert_build_refused(root)


def test_an_evidence_file_that_no_artifact_links_is_not_published_nor_scanned(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "evidence/private-notes.md", "Jeanne: 514-555-0199\n")
    result = check(root, TODAY)
    assert codes(result) == []


def test_personal_data_in_a_file_linked_from_a_body_is_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "evidence/contacts.md", "# Contacts\n\nJeanne: 514-555-0199\n")
    append(root, VISION, "See [the contacts](../evidence/contacts.md).")
    assert_flagged_at(root, "evidence/contacts.md", "PP703", "514-555-0199")


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_personal_data_in_a_content_page_is_flagged(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    write(root, "content/about.md", f"# About this playbook\n\nA fictitious sample.\n\n{sentence}\n")
    assert_flagged_at(root, "content/about.md", code, needle)


def test_a_strict_build_refuses_personal_data_in_a_content_page(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "content/about.md", f"# About\n\n{EMAIL[2]}\n")
    assert_build_refused(root)


def _role_file(root: Path, title: str) -> tuple[str, int]:
    text = (root / ROLES).read_text(encoding="utf-8").replace("title: Director General", f"title: {title}")
    write(root, ROLES, text)
    return text, line_of(text, "title: ")[0]


def _waiver_file(root: Path, reason: str) -> tuple[str, int]:
    text = (
        f"waivers:\n  - practice: E1\n    reason: {reason}\n"
        "    approved_by: director-general\n    expires: 2027-01-01\n"
    )
    write(root, WAIVERS, text)
    return text, 3


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_personal_data_in_a_role_title_is_flagged(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    _role_file(root, f"Director General, {needle}")
    result = check(root, TODAY)
    assert [d.path for d in of(result, code)] == [ROLES], where(result.diagnostics)
    assert "director-general" in of(result, code)[0].message


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), PLANTS, ids=PLANT_IDS)
def test_personal_data_in_a_waiver_reason_is_flagged(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    _waiver_file(root, f"Her replacement, {needle}, starts in January")
    result = check(root, TODAY)
    assert [d.path for d in of(result, code)] == [WAIVERS], where(result.diagnostics)
    assert "E1" in of(result, code)[0].message


def test_personal_data_in_a_role_title_or_waiver_reason_points_at_that_key(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _, title_line = _role_file(root, "Director General, 514-555-0199")
    _, reason_line = _waiver_file(root, "Call 514-555-0199")
    result = check(root, TODAY)
    assert [d.line for d in of(result, "PP703", ROLES)] == [title_line]
    assert [d.line for d in of(result, "PP703", WAIVERS)] == [reason_line]


def test_a_strict_build_refuses_personal_data_in_a_role_title(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _role_file(root, "Director General, 514-555-0199")
    assert_build_refused(root)


def test_a_strict_build_refuses_personal_data_in_a_waiver_reason(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _waiver_file(root, "Mme Tremblay is away")
    assert "PP706" in codes(check(root, TODAY), WAIVERS)
    assert_build_refused(root)


# --- Names of people in a registry ---------------------------------------------------------------


def registry(body: str, **fields: str) -> str:
    return artifact_text("registry", body=body, implements="[S5]", **fields)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("- Jeanne Tremblay", "Jeanne Tremblay"),
        ("* Marc-André Côté (QI team, 2026)", "Marc-André Côté"),
        ("1. Lucie Gagnon: joined in March", "Lucie Gagnon"),
        ("| Paul Roy | emergency |", "Paul Roy"),
        ("We thank Mme Bouchard for her help.", "Mme Bouchard"),
        ("Contact Dr. Lavoie about the list.", "Dr. Lavoie"),
    ],
)
def test_person_names_in_a_registry_are_flagged(tmp_path: Path, line: str, needle: str) -> None:
    root = playbook(tmp_path)
    text = registry(f"# Registry\n\nThe list is held in the Bureau's database.\n\n{line}\n")
    write(root, "policies/registry.md", text)
    assert_flagged_at(root, "policies/registry.md", "PP706", needle)


def test_person_names_in_registry_front_matter_are_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/registry.md", registry("# Registry\n\nSee the database.\n", access='"Mme Tremblay only"'))
    assert_flagged_at(root, "policies/registry.md", "PP706", "Mme Tremblay")


def test_a_strict_build_refuses_person_names_in_a_registry(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/registry.md", registry("# Registry\n\n- Jeanne Tremblay\n- Paul Roy\n"))
    assert_build_refused(root)


def test_a_registry_that_says_where_the_list_is_held_is_clean(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    body = (
        "# Registry of potential patient advisors\n\n"
        "- Held in: the Bureau's secured database\n"
        "- Managed by: the Patient Partnership Coordinator\n"
        "- Quality Improvement teams ask the Bureau for advisors.\n"
    )
    write(root, "policies/registry.md", registry(body))
    result = check(root, TODAY)
    assert codes(result, "policies/registry.md") == [], where(result.diagnostics)


def test_list_items_that_look_like_names_outside_a_registry_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append(root, VISION, "- Mutual Respect\n- Shared Decisions")
    assert codes(check(root, TODAY)) == []


# --- Allowed organizational contacts ---------------------------------------------------------------

ORGANIZATION = {
    "privacy": {
        "allowed_contacts": [
            "partenariat@cisss-vde.example",
            "819-555-0100",
            "1200 rue King Ouest",
            "J1H 1R7",
        ]
    }
}


def test_allowed_organizational_contacts_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path, ORGANIZATION)
    append(
        root,
        VISION,
        "Write to partenariat@cisss-vde.example or call 819-555-0100 (or (819) 555-0100).\n\n"
        "Bureau du partenariat, 1200 rue King Ouest, Sherbrooke J1H 1R7.",
    )
    append(root, MINUTES, "Questions: partenariat@cisss-vde.example, 819-555-0100.")
    write(root, "content/about.md", "# About\n\nContact: partenariat@cisss-vde.example\n")
    result = check(root, TODAY)
    assert result.diagnostics == (), where(result.diagnostics)


def test_other_contacts_are_still_flagged_beside_allowed_ones(tmp_path: Path) -> None:
    root = playbook(tmp_path, ORGANIZATION)
    append(root, VISION, "Write to partenariat@cisss-vde.example, not to jeanne.tremblay@example.org.")
    assert_flagged_at(root, VISION, "PP702", "jeanne.tremblay@example.org")


def test_an_allowed_contact_does_not_allow_a_longer_address(tmp_path: Path) -> None:
    root = playbook(tmp_path, ORGANIZATION)
    append(root, VISION, "Write to jeanne.partenariat@cisss-vde.example.")
    assert_flagged_at(root, VISION, "PP702", "jeanne.partenariat@cisss-vde.example")


def test_allowed_contacts_build_without_errors(tmp_path: Path) -> None:
    root = playbook(tmp_path, ORGANIZATION)
    append(root, VISION, "Write to partenariat@cisss-vde.example.")
    site = build_site(BuildOptions(root=root, strict=True))
    page = (site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert "partenariat@cisss-vde.example" in page


# --- No false positives -----------------------------------------------------------------------------

ORDINARY_TEXT = """\
Adopted on 2026-03-14 and reviewed 2026-06-01; next review by 2027-06-30.

The plan covers 2025-04-01 to 2028-03-31, fiscal year 2026-2027 (and 2025-2026, 2027-28).

Budget: 20 000 $ for 2026-2027; 1 234 567,89 $ over three years; $12,500.00; 50 $ per meeting of 3 h.

Twelve teams of 4 to 6 members; 87 % of 120 QI projects; 3 of 25 practices; 14:30-16:00.

Report no. 2026-0314-0001, version 1.2.3, section 4.2.1, page 12 of 120, Bill 3 (2023, c. 5).

Room 2-134, ext. 22; the Bureau du partenariat at the CISSS de la Vallée-des-Érables.
"""


def test_dates_fiscal_years_and_amounts_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append(root, VISION, ORDINARY_TEXT)
    append(root, MINUTES, ORDINARY_TEXT)
    write(root, "content/about.md", "# About\n\n" + ORDINARY_TEXT)
    result = check(root, TODAY)
    assert result.diagnostics == (), where(result.diagnostics)


def test_the_sample_playbook_has_no_personal_data() -> None:
    result = check(REPO_ROOT, TODAY)
    assert [d for d in result.diagnostics if d.code in (*PRIVACY_CODES, "PP707")] == []


# --- Small cells ---------------------------------------------------------------------------------------


def indicators(value: str, unit: str = "teams") -> str:
    return artifact_text(
        "indicators",
        implements="[E1]",
        indicators=f"[{{id: teams-with-pa, name: Teams with PA, definition: QI teams with an advisor, "
        f"unit: '{unit}', period: fiscal 2026, value: {value}}}]",
    )


def test_a_small_cell_is_a_warning_at_its_value(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    text = indicators("3")
    write(root, "policies/indicators.md", text)
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP707")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (
        "policies/indicators.md",
        *line_of(text, "value: 3"),
    )
    assert diagnostic.severity.value == "warning"
    assert "< 5" in diagnostic.message
    assert result.exit_code == 0


@pytest.mark.parametrize(("value", "unit"), [("5", "teams"), ("0", "teams"), ("12", "teams"), ("3", "%")])
def test_counts_at_the_threshold_zero_and_percentages_are_not_small_cells(
    tmp_path: Path, value: str, unit: str
) -> None:
    root = playbook(tmp_path)
    write(root, "policies/indicators.md", indicators(value, unit))
    assert codes(check(root, TODAY)) == []


def test_the_small_cell_threshold_is_configurable(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"privacy": {"small_cell_threshold": 10}})
    write(root, "policies/indicators.md", indicators("7"))
    [diagnostic] = of(check(root, TODAY), "PP707")
    assert "< 10" in diagnostic.message


def _indicator_cells(page: str) -> list[list[str]]:
    """The cells of each row of the indicators table (the one whose header has 'Definition')."""
    for table in re.findall(r"<table>.*?</table>", page, flags=re.S):
        if "Definition" in table:
            rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
            return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
    raise AssertionError("no indicators table in the page")


@pytest.mark.parametrize(("threshold", "value"), [(5, "3"), (10, "7")])
def test_a_small_cell_is_published_as_less_than_the_threshold(tmp_path: Path, threshold: int, value: str) -> None:
    root = playbook(tmp_path, {"privacy": {"small_cell_threshold": threshold}})
    write(root, "policies/indicators.md", indicators(value))
    site = build_site(BuildOptions(root=root, strict=True))
    page = (site / "artifacts" / "indicators.html").read_text(encoding="utf-8")
    header, row = _indicator_cells(page)
    cell = row[header.index("Value")].strip()
    assert html.unescape(cell) == f"< {threshold}"
    assert value not in cell
    assert f"&lt; {threshold}" in page


def test_a_small_cell_is_published_nowhere_else_in_the_site(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/indicators.md", indicators("3"))
    site = build_site(BuildOptions(root=root, strict=True))
    gaps = (site / "gaps.html").read_text(encoding="utf-8")
    [row] = [row for row in re.findall(r"<tr>(.*?)</tr>", gaps, flags=re.S) if "PP707" in row]
    assert "Teams with PA" in row
    assert not re.search(r"\b3\b", html.unescape(re.sub(r"<[^>]+>", " ", row))), row
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Teams with PA' is 3" not in index and "value: 3" not in index


def test_a_count_above_the_threshold_is_published_as_is(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/indicators.md", indicators("12"))
    site = build_site(BuildOptions(root=root, strict=True))
    header, row = _indicator_cells((site / "artifacts" / "indicators.html").read_text(encoding="utf-8"))
    assert row[header.index("Value")].strip() == "12"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_personal_data_is_found_on_its_own_line_whatever_the_line_breaks(newline: str) -> None:
    """Only lines with a digit or an '@' are looked at closely; they are numbered as editors number them."""
    from pptoolkit.privacy import scan_text

    text = newline.join(["Minutes", "", "Write to 45 RUE DES ÉRABLES", "no digit here", "  or jo@example.org", ""])
    found = [(f.rule.code, f.line, f.column) for f in scan_text(text, (), first_line=10)]
    assert found == [("PP705", 12, 10), ("PP702", 14, 6)]


@settings(max_examples=1000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 200, deadline=None)
@given(st.text(alphabet="0123456789 \u00a0,.-()@ABJNTEabrue", max_size=30))
def test_every_line_with_personal_data_is_worth_a_look(line: str) -> None:
    """The quick search for lines worth a look never skips a line that a pattern matches."""
    from pptoolkit.privacy import _WORTH_A_LOOK, EMAIL, OHIP, PHONE, POSTAL_CODE, RAMQ, STREET, STREET_EN

    matched = any(p.search(line) for p in (EMAIL, PHONE, RAMQ, OHIP, POSTAL_CODE, STREET, STREET_EN))
    assert not matched or _WORTH_A_LOOK.search(line)


@pytest.mark.parametrize("name, code, sentence, needle", PLANTS, ids=PLANT_IDS)
def test_each_kind_of_personal_data_is_worth_a_look(name: str, code: str, sentence: str, needle: str) -> None:
    from pptoolkit.privacy import _WORTH_A_LOOK

    assert _WORTH_A_LOOK.search(sentence.replace(" ", "\u00a0"))
    assert not _WORTH_A_LOOK.search("approved_on: 2026-01-28")


@settings(max_examples=1000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789 \u00a0\t,.-()@ABJNTEXabrueMs'\x00", max_size=25), max_size=6))
@example(["Call 514", "555-0199 now"])  # a phone number split over two lines is no phone number
def test_searching_lines_together_finds_what_searching_each_line_finds(lines: list[str]) -> None:
    """The lines worth a look are searched as one text; each line's matches are those it has alone."""
    from pptoolkit.privacy import CONTACTS, NAMES, _matches

    patterns = (*CONTACTS, NAMES)
    together = _matches(lines, patterns)
    alone = {
        index: found
        for index, line in enumerate(lines)
        if (
            found := [
                (which, m.start(), m.end(), m.group(0))
                for which, (_, pattern, _) in enumerate(patterns)
                for m in pattern.finditer(line)
            ]
        )
    }
    assert together == alone
