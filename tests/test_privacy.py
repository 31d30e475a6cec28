"""Privacy of patient advisors: personal data planted anywhere the site publishes is flagged and never published.

Each test copies the small valid playbook (``hardening_support.small_playbook_copy``),
plants one piece of (fictitious) personal data in one place, and checks the
code, the line and the column of the diagnostic; the build tests check that a
strict build refuses to publish it and leaves no site behind.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hardening_support import (
    LOGIC_MODEL,
    MATRIX,
    MINUTES,
    ROLES,
    TODAY,
    VISION,
    WAIVERS,
    codes,
    line_of,
    of,
    set_options,
    small_playbook_copy,
    where,
    write,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from playbook_support import REPO_ROOT, artifact_text

from pptoolkit.checking.checker import check
from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site

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


def in_digits(zero: int, number: str) -> str:
    """``number`` written with the digits of the script whose zero is ``zero`` (its other characters kept)."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in number)


# The review's forms: Arabic-Indic ten digits, Devanagari pairs, Arabic-Indic and Persian +33, Arabic-Indic 0033.
ARABIC_INDIC_PHONE = in_digits(0x660, "5145550199")
DEVANAGARI_FRENCH_PHONE = in_digits(0x966, "01 23 45 67 89")
ARABIC_INDIC_PLUS_33 = in_digits(0x660, "+33 1 23 45 67 89")
ARABIC_INDIC_0033 = in_digits(0x660, "0033 1 23 45 67 89")
PERSIAN_PLUS_33 = in_digits(0x6F0, "+33 1 23 45 67 89")
OSMANYA_PHONE = in_digits(0x104A0, "5145550199")  # beyond the Basic Multilingual Plane

# The same kinds written so that a plain pattern misses them: character references, fullwidth forms,
# other dashes and spaces, digits in a row, international formats, lower case. Every value is invented.
NEW_FORMS = [
    ("e-mail-numeric-reference", "PP702", "Écrire à jean&#64;exemple.qc.ca demain.", "jean&#64;exemple.qc.ca"),
    ("e-mail-hex-reference", "PP702", "Écrire à jean&#x40;exemple.qc.ca demain.", "jean&#x40;exemple.qc.ca"),
    ("e-mail-named-reference", "PP702", "Write to jean&commat;exemple.qc.ca soon.", "jean&commat;exemple.qc.ca"),
    ("e-mail-fullwidth-at", "PP702", "Write to jean\uff20exemple.qc.ca soon.", "jean\uff20exemple.qc.ca"),
    (
        "e-mail-bracketed-at",
        "PP702",
        "Write to jean [at] exemple [dot] qc [dot] ca.",
        "jean [at] exemple [dot] qc [dot] ca",
    ),
    ("e-mail-markdown-escape", "PP702", "Write to jean\\@exemple.qc.ca soon.", "jean\\@exemple.qc.ca"),
    ("phone-markdown-escapes", "PP703", "Call 514\\-555\\-0199 after five.", "514\\-555\\-0199"),
    ("e-mail-zero-width-space", "PP702", "Write to jean\u200b@exemple.qc.ca soon.", "jean\u200b@exemple.qc.ca"),
    ("phone-ten-digits", "PP703", "Call her at 5145550199 after five.", "5145550199"),
    ("phone-eleven-digits", "PP703", "Call her at 15145550199 after five.", "15145550199"),
    ("phone-international", "PP703", "In Lyon: +33 1 23 45 67 89 until May.", "+33 1 23 45 67 89"),
    ("phone-international-trunk", "PP703", "In London: +44 (0)20 7946 0958 only.", "+44 (0)20 7946 0958"),
    ("phone-international-compact", "PP703", "In Lyon: +33123456789 until May.", "+33123456789"),
    ("phone-non-breaking-hyphen", "PP703", "Call (514) 555\u20110199 after five.", "(514) 555\u20110199"),
    ("phone-en-dashes", "PP703", "Call 514\u2013555\u20130199 after five.", "514\u2013555\u20130199"),
    ("phone-minus-signs", "PP703", "Call 514\u2212555\u22120199 after five.", "514\u2212555\u22120199"),
    ("phone-no-break-spaces", "PP703", "Call 514\u00a0555\u00a00199 after five.", "514\u00a0555\u00a00199"),
    ("phone-thin-spaces", "PP703", "Call 514\u2009555\u202f0199 after five.", "514\u2009555\u202f0199"),
    ("phone-fullwidth-digits", "PP703", "Call \uff15\uff11\uff14-555-0199 after five.", "\uff15\uff11\uff14-555-0199"),
    ("phone-references", "PP703", "Call 514&#8209;555&nbsp;0199 after five.", "514&#8209;555&nbsp;0199"),
    ("phone-spaced-dashes", "PP703", "Call 514 - 555 - 0199 after five.", "514 - 555 - 0199"),
    ("phone-slash", "PP703", "Call 514/555-0199 after five.", "514/555-0199"),
    ("phone-dots-in-pairs", "PP703", "Call 514.555.01.99 after five.", "514.555.01.99"),
    ("phone-spaces-in-pairs", "PP703", "Call 514 555-01 99 after five.", "514 555-01 99"),
    ("phone-middle-dots", "PP703", "Call 514\u00b7555\u00b70199 after five.", "514\u00b7555\u00b70199"),
    ("phone-asterisks", "PP703", "Call 514*555*0199 after five.", "514*555*0199"),
    ("phone-seven-together", "PP703", "Call 514-5550199 after five.", "514-5550199"),
    ("phone-seven-together-spaced", "PP703", "Call 514 5550199 after five.", "514 5550199"),
    ("phone-international-00", "PP703", "In Lyon: 0033 1 23 45 67 89 until May.", "0033 1 23 45 67 89"),
    ("phone-international-00-dashes", "PP703", "In Lyon, call 0033-1-23-45-67-89.", "0033-1-23-45-67-89"),
    ("phone-area-code-in-brackets-together", "PP703", "Call her at (514)5550199.", "(514)5550199"),
    ("phone-area-code-in-brackets-spaced-dash", "PP703", "Call her at (514)555- 0199.", "(514)555- 0199"),
    ("phone-dot-and-space", "PP703", "Call her at 514. 5550199.", "514. 5550199"),
    ("phone-french", "PP703", "In Lyon: 01 23 45 67 89 until May.", "01 23 45 67 89"),
    ("phone-french-dots", "PP703", "In Lyon: 01.23.45.67.89 until May.", "01.23.45.67.89"),
    ("phone-area-code-in-brackets-dash", "PP703", "Call her at (514)-555-0199.", "(514)-555-0199"),
    ("phone-commas", "PP703", "Call her at 514,555,0199 after five.", "514,555,0199"),
    # Digits of other scripts, which NFKC leaves as they are: Arabic-Indic, Devanagari, extended Arabic-Indic
    # (Persian), and Osmanya, beyond the Basic Multilingual Plane; the patterns' [0-9] and [1-9] read them too.
    ("phone-arabic-indic-ten-digits", "PP703", f"Call her at {ARABIC_INDIC_PHONE}.", ARABIC_INDIC_PHONE),
    ("phone-french-devanagari", "PP703", f"In Lyon: {DEVANAGARI_FRENCH_PHONE}.", DEVANAGARI_FRENCH_PHONE),
    ("phone-international-arabic-indic", "PP703", f"In Lyon: {ARABIC_INDIC_PLUS_33} until May.", ARABIC_INDIC_PLUS_33),
    ("phone-international-00-arabic-indic", "PP703", f"In Lyon: {ARABIC_INDIC_0033} until May.", ARABIC_INDIC_0033),
    ("phone-international-persian", "PP703", f"In Lyon: {PERSIAN_PLUS_33} until May.", PERSIAN_PLUS_33),
    ("phone-osmanya-ten-digits", "PP703", f"Call her at {OSMANYA_PHONE}.", OSMANYA_PHONE),
    ("postal-code-two-spaces", "PP705", "The postal code is H2X  1Y4 for that home.", "H2X  1Y4"),
    ("e-mail-spaced-at", "PP702", "Write to jean.tremblay @ gmail.com soon.", "jean.tremblay @ gmail.com"),
    ("e-mail-spelled-out", "PP702", "Write to jean at exemple dot ca soon.", "jean at exemple dot ca"),
    ("e-mail-spelled-out-capitals", "PP702", "Mail JEAN AT EXEMPLE DOT QC DOT CA.", "JEAN AT EXEMPLE DOT QC DOT CA"),
    ("e-mail-arobase-point", "PP702", "Écrire à jean arobase exemple point ca.", "jean arobase exemple point ca"),
    ("e-mail-arobase-dot", "PP702", "Écrire à jean.t arobase exemple.qc.ca demain.", "jean.t arobase exemple.qc.ca"),
    ("postal-code-lower-case", "PP705", "The postal code is h2x 1y4 for that home.", "h2x 1y4"),
    ("postal-code-no-break-space", "PP705", "The postal code is H2X\u00a01Y4 for that home.", "H2X\u00a01Y4"),
    ("ramq-lower-case", "PP704", "Her card trem 5801 1512 was checked.", "trem 5801 1512"),
    (
        "ramq-non-breaking-hyphens",
        "PP704",
        "Her card TREM\u20111234\u20115678 was checked.",
        "TREM\u20111234\u20115678",
    ),
]
NEW_FORM_IDS = [name for name, *_ in NEW_FORMS]
FUZZ_EXAMPLES = 1000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 200
# Characters that make or break the patterns, and the forms that read as them once normalized.
TRICKY = "0123456789 ,.-/*\u00b7()[]@+ABJNTEXabrueht\u00a0\u2009\u2011\u2013\u2212\u200b\uff20\uff15&#;\u0301"
TRICKY += "\u0663\u06f5\U000104a1do"  # digits of other scripts, within the plane and beyond; "at … dot"
# Earlier on the line: a reference (7 characters read as 1), a decomposed accent (2 as 1), a fullwidth
# digit and a ligature (1 as 1 and 1 as 2), so that a column counted in the normalized text is wrong.
BEFORE = "Note d&rsquo;e\u0301quipe \uff13, \ufb01n : "


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


def _applicability_file(root: Path, reason: str) -> tuple[str, int]:
    text = (
        f"not_applicable:\n  - practice: E1\n    reason: {reason}\n"
        "    approved_by: director-general\n    review_by: 2027-01-01\n"
    )
    write(root, "checks/applicability.yml", text)
    return text, 3


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("PP706", "Marie Tremblay decided it after the merger was cancelled"),
        ("PP706", "Mme Gagnon says no merger is planned"),
        ("PP703", "Ask 514-555-0199 when a merger is announced"),
        ("PP702", "Ask jeanne.tremblay@example.org when a merger is announced"),
    ],
)
def test_personal_data_in_a_not_applicable_reason_is_flagged_at_its_line(
    tmp_path: Path, code: str, reason: str
) -> None:
    """Reasons in checks/applicability.yml are published (practice page, gaps page, reviews.ics, search)."""
    root = playbook(tmp_path)
    _, line = _applicability_file(root, reason)
    result = check(root, TODAY)
    assert [(d.path, d.line) for d in of(result, code)] == [("checks/applicability.yml", line)], where(
        result.diagnostics
    )
    assert "E1" in of(result, code)[0].message
    assert result.exit_code == 1


def test_a_plain_not_applicable_reason_is_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _applicability_file(root, "No merger of services is under way or planned in the establishment.")
    assert [d for d in check(root, TODAY).diagnostics if d.code in PRIVACY_CODES] == []


def test_a_strict_build_refuses_personal_data_in_a_not_applicable_reason(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _applicability_file(root, "Marie Tremblay decided it")
    assert "PP706" in codes(check(root, TODAY), "checks/applicability.yml")
    assert_build_refused(root)


def _qi_project(root: Path, team: str, advisors: str = "2") -> str:
    text = artifact_text("qi-project", implements="[E1]", team=team, advisors=advisors)
    write(root, "policies/qi-project.md", text)
    return text


@pytest.mark.parametrize(
    "position",
    ["Marie-Claude Gagnon, patient partner", "Mme Gagnon", "patient partner (Jean Roy)"],
)
def test_a_name_in_a_qi_project_team_is_flagged_at_its_entry(tmp_path: Path, position: str) -> None:
    """A team lists positions, as role titles do: a person's name there is PP706, at its list item."""
    root = playbook(tmp_path)
    text = _qi_project(root, f"\n  - programme manager\n  - {position}")
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP706")
    assert (diagnostic.path, diagnostic.line) == ("policies/qi-project.md", line_of(text, position)[0])
    assert "team" in diagnostic.message
    assert result.exit_code == 1


def test_positions_in_a_qi_project_team_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _qi_project(root, "[programme manager, psychiatrist, patient advisor, Patient Partner, QI advisor]")
    assert [d for d in check(root, TODAY).diagnostics if d.code in PRIVACY_CODES] == []


@pytest.mark.parametrize(("advisors", "shown"), [("2", "&lt; 5"), ("4", "&lt; 5"), ("5", "5"), ("12", "12")])
def test_a_small_count_of_qi_project_advisors_is_published_as_less_than_the_threshold(
    tmp_path: Path, advisors: str, shown: str
) -> None:
    """The fields of an artifact (site page and PDF alike) show a QI team's advisors below 5 as '< 5'."""
    from pptoolkit.publishing.pages import details

    root = playbook(tmp_path)
    _qi_project(root, "[programme manager, patient advisor]", advisors)
    result = check(root, TODAY)
    [project] = [a for a in result.playbook.artifacts if a.model.kind == "qi-project"]
    fields = details(project, result.playbook.settings.privacy.small_cell_threshold)
    assert f"**Patient advisors**: {shown}\n" in fields
    assert "PP707" not in codes(result)  # suppressed without a warning: a QI team is small by nature


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


@pytest.mark.slow  # builds a site
def test_allowed_contacts_build_without_errors(tmp_path: Path) -> None:
    root = playbook(tmp_path, ORGANIZATION)
    append(root, VISION, "Write to partenariat@cisss-vde.example.")
    site = build_site(BuildOptions(root=root, strict=True))
    page = (site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert "partenariat@cisss-vde.example" in page


# --- Personal data written so that a plain pattern misses it ----------------------------------------
# Text is read as a reader sees it (references decoded, NFKC, any dash '-', any space ' ', invisible
# characters dropped) and each finding is located in the original text, after whatever came before it.


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), NEW_FORMS, ids=NEW_FORM_IDS)
def test_personal_data_in_another_form_is_flagged_where_it_is_written(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    append(root, VISION, BEFORE + sentence)
    assert_flagged_at(root, VISION, code, needle)


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), NEW_FORMS, ids=NEW_FORM_IDS)
def test_personal_data_in_another_form_is_flagged_in_a_content_page_and_an_evidence_file(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    write(root, "content/about.md", f"# About\n\n{BEFORE}{sentence}\n")
    append(root, MINUTES, sentence)
    assert_flagged_at(root, "content/about.md", code, needle)
    assert_flagged_at(root, MINUTES, code, needle)


@pytest.mark.parametrize(("name", "code", "sentence", "needle"), NEW_FORMS, ids=NEW_FORM_IDS)
def test_personal_data_in_another_form_is_flagged_in_a_role_title_and_a_waiver_reason(
    tmp_path: Path, name: str, code: str, sentence: str, needle: str
) -> None:
    root = playbook(tmp_path)
    _, title_line = _role_file(root, f"Director General, {needle}")
    _, reason_line = _waiver_file(root, f"Her replacement, {needle}, starts in January")
    result = check(root, TODAY)
    assert [(d.path, d.line) for d in of(result, code)] == [(ROLES, title_line), (WAIVERS, reason_line)], where(
        result.diagnostics
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("content/minutes-jean.tremblay@gmail.com.md", "PP702"),
        ("content/minutes-514-555-0199.txt", "PP703"),
        ("content/minutes_514_555_0199.txt", "PP703"),
        ("content/h2x-1y4/notes.md", "PP705"),
        ("evidence/advisor-jean.tremblay@gmail.com.txt", "PP702"),
        ("evidence/call-514-555-0199.pdf", "PP703"),
        ("content/jean-at-exemple-dot-ca.md", "PP702"),
        ("content/appel-\u0665\u0661\u0664-\u0665\u0665\u0665-\u0660\u0661\u0669\u0669.md", "PP703"),
    ],
)
def test_personal_data_in_a_published_file_name_is_flagged(tmp_path: Path, name: str, code: str) -> None:
    root = playbook(tmp_path)
    write(root, name, "%PDF-1.4\n%%EOF\n" if name.endswith(".pdf") else "# Notes\n\nNothing personal.\n")
    if name.startswith("evidence/"):
        append(root, VISION, f"The [notes](../{name}).")
    result = check(root, TODAY)
    [diagnostic] = of(result, code, name)
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert "file's name" in diagnostic.message and "rename the file" in diagnostic.message
    assert "0199" not in diagnostic.message and "gmail" not in diagnostic.message
    assert_build_refused(root)


def test_personal_data_in_an_artifact_id_is_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/minutes.md", artifact_text("vision", id="vision-514-555-0199"))
    result = check(root, TODAY)
    [diagnostic] = [d for d in of(result, "PP703", "policies/minutes.md") if "the id" in d.message]
    assert diagnostic.line == 2  # the line "id: ..."
    assert "0199" not in diagnostic.message


def test_dates_in_file_names_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    for name in ("content/minutes-2026-01-28.md", "content/report_2025-2026_v1.2.3.md", "content/2026/01/28.md"):
        write(root, name, "# Notes\n\nNothing personal.\n")
    result = check(root, TODAY)
    assert result.diagnostics == (), where(result.diagnostics)


def test_a_strict_build_refuses_personal_data_in_another_form(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append(root, VISION, "Write to jean&#64;exemple.qc.ca or call +33 1 23 45 67 89.")
    assert {"PP702", "PP703"} <= set(codes(check(root, TODAY), VISION))
    assert_build_refused(root)


@pytest.mark.slow  # builds a site
def test_a_small_count_of_qi_project_advisors_is_published_nowhere_as_is(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _qi_project(root, "[programme manager, patient advisor]", "3")
    site = build_site(BuildOptions(root=root, strict=False))
    page = html.unescape((site / "artifacts" / "qi-project.html").read_text(encoding="utf-8"))
    assert re.search(r"Patient advisors</strong>: < 5\b", page), page
    assert not re.search(r"(?i)advisors</strong>: 3\b", page)
    index = html.unescape((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not re.search(r"(?i)advisors(</strong>)?: 3\b", index)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_finding_after_characters_that_read_differently_is_at_its_original_column(newline: str) -> None:
    from pptoolkit.checking.privacy import scan_text

    lines = [
        "R&eacute;union&nbsp;: &#x1F600;",
        "Tel.&nbsp;: &#40;514&#41; 555&#8209;0199",
        "\uff21\ufb01 jean\uff20ex.org",
    ]
    found = [(f.rule.code, f.line, f.column) for f in scan_text(newline.join(lines), (), first_line=3)]
    assert found == [("PP703", 4, 13), ("PP702", 5, 4)]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.text(alphabet=TRICKY + "\t\n\r\u00e9\ufb01\u00bd\u2028amplt", max_size=40))
@example("&eacutex &amp;#64; \u00bd e\u0301\u200b\u0301 &#0; &#99999999999; &#xFFFFFF;")
def test_every_character_read_maps_back_to_where_it_was_written(text: str) -> None:
    """Offsets back into the original never decrease; line breaks stay; plain ASCII maps to itself."""
    from pptoolkit.checking.privacy import normalize

    read = normalize(text)
    offsets = [read.offset(position) for position in range(len(read.text))]
    assert offsets == sorted(offsets)
    assert all(0 <= offset < len(text) for offset in offsets)
    assert [c for c in read.text if c in "\r\n"] == [c for c in text if c in "\r\n"]
    for position, offset in enumerate(offsets):
        written, after = text[offset], text[offset + 1 : offset + 2]
        composed = after and unicodedata.combining(after)  # e and U+0301 read as one letter
        if written in "\r\n" or (written.isascii() and written.isprintable() and written != "&" and not composed):
            assert read.text[position] == written, (position, offset)


def test_text_with_nothing_to_read_differently_is_not_copied() -> None:
    from pptoolkit.checking.privacy import normalize

    plains = ["Plain ASCII, 20 000 $\n", "Réunion du comité, 2026-01-28 (fiscal 2025-2026)\n"]
    # Looked at in full, for a character beyond the plane or of a script with other digits; not copied either.
    plains += ["L\u2019équipe du comité, 2026-01-28 \U0001f600\n", "\u0627\u0644\u0644\u062c\u0646\u0629 2026\n"]
    for plain in plains:
        assert normalize(plain).text is plain
    dashes = "Réunion du comité, 2026\u201101\u201128 \u2014 fiscal 2025\u20132026\n"
    assert normalize(dashes).text == "Réunion du comité, 2026-01-28 - fiscal 2025-2026\n"


# What a text of Latin-1 holds that reads differently (NFKC changes a no-break space, 'ª', '²', '¼', '¨', the acute
# accent, the cedilla, 'µ'; the translation a soft hyphen, a next line, a tab), with references, escapes, Latin-1.
LATIN_1_TRICKY = "\u00a0\u00aa\u00b2\u00bc\u00a8\u00b4\u00b8\u00b5\u00ad\u0085\t\x1c\u00e9\u00c9&#;x4\\-@ 05aA\r\n"


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.text(alphabet=LATIN_1_TRICKY, max_size=30) | st.text(alphabet=LATIN_1_TRICKY + TRICKY, max_size=30))
@example("\u00bc \u0665\u0661\u0664 &#1637; \U000104a5")
def test_each_quick_reading_reads_as_the_full_reading(text: str) -> None:
    """A text told to be of Latin-1, or of the plane and in NFKC, is read as the fullest look at it reads it.

    The quick ways skip the text's NFKC form (Latin-1) or the whole text (nothing found by the first look);
    the fullest one, taken for a text that may hold a character beyond the plane, skips nothing.
    """
    from unittest import mock

    from pptoolkit.checking import privacy

    def reading(normalized: privacy.NormalizedText) -> tuple[str, list[int]]:
        return normalized.text, [normalized.offset(position) for position in range(len(normalized.text))]

    quick = reading(privacy.normalize(text))
    with mock.patch.object(privacy, "_bytes_a_character", lambda text: 4):
        assert quick == reading(privacy.normalize(text))


def test_every_character_of_latin_1_is_read_in_a_text_of_latin_1_as_the_full_reading_reads_it() -> None:
    """The quick tell of a text of Latin-1 with nothing to read differently (one deletion in C) misses no character.

    Each of the 256, alone, after an accented letter, before a digit and between two spaces, in a text told
    to be of Latin-1 and in the same text read the fullest way.
    """
    from unittest import mock

    from pptoolkit.checking import privacy

    def reading(normalized: privacy.NormalizedText) -> tuple[str, list[int]]:
        return normalized.text, [normalized.offset(position) for position in range(len(normalized.text))]

    for code in range(256):
        for text in (f"\u00e9{chr(code)}", f"\u00e9{chr(code)}5", f"\u00e9 {chr(code)} "):
            assert privacy._bytes_a_character(text) == 1
            quick = reading(privacy.normalize(text))
            with mock.patch.object(privacy, "_bytes_a_character", lambda text: 4):
                assert quick == reading(privacy.normalize(text)), hex(code)


@pytest.mark.parametrize("before", ["", "Réunion ¼ h, n°² : ", "d&rsquo;équipe\u00a0; ª\t¨ ", "\\- ½\u00ad"])
def test_a_finding_in_a_text_of_latin_1_is_at_its_original_column(before: str) -> None:
    """A text of Latin-1 only is read without its NFKC form: what NFKC changes in it is still read, and mapped back.

    '¼' reads as three characters, '²' as one, a no-break space as a space, a soft hyphen as nothing.
    """
    from pptoolkit.checking.privacy import _bytes_a_character, scan_text

    text = f"{before}appeler le 514\u00a0555\u00a00199 ou jean&#64;exemple.ca"
    assert _bytes_a_character(text + "é") == 1
    found = sorted((f.column, f.rule.code) for f in scan_text(text + "é", ()))
    assert found == [(text.index("514") + 1, "PP703"), (text.index("jean") + 1, "PP702")]


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="C code caches a string's UTF-8 form in CPython")
def test_a_text_is_read_in_full_whatever_c_code_cached_beside_it() -> None:
    """A text's width (Latin-1, the plane, beyond it) is told by its size, which grows when its UTF-8 form is cached.

    So a text that C code has asked for as UTF-8 (as many functions of the standard library do) may be
    taken for a wider one, never for a narrower one: its number, written with a no-break space, other
    scripts' digits, or digits beyond the Basic Multilingual Plane, is still found.
    """
    import ctypes

    from pptoolkit.checking.privacy import _bytes_a_character, scan_text

    as_utf8 = ctypes.pythonapi.PyUnicode_AsUTF8
    as_utf8.argtypes, as_utf8.restype = [ctypes.py_object], ctypes.c_char_p
    texts = {  # each number at column 21, after 20 characters of its width
        1: "".join(["Réunion du comité : ", "514\u00a0555\u00a00199", " é" * 200]),
        2: "".join(["Appeler l\u2019équipe au ", DEVANAGARI_FRENCH_PHONE, " \u2019" * 200]),
        4: "".join(["Appeler l\u2019équipe au ", OSMANYA_PHONE, " \U0001f600" * 200]),
    }
    for width, text in texts.items():
        assert _bytes_a_character(text) == width
        size = sys.getsizeof(text)
        as_utf8(text)
        assert sys.getsizeof(text) > size  # the cache is there, and counted
        assert _bytes_a_character(text) >= width
        assert [(f.rule.code, f.column) for f in scan_text(text, ())] == [("PP703", 21)], width


@pytest.mark.parametrize(
    "shape",
    [
        "Aa ",
        "Aa Aa, ",
        "Mme Aa ",
        "1 rue A",
        "a@",
        "a.",
        "%",
        "+1 ",
        "1 ",
        "&#",
        "&a",
        "e\u0301",
        "\ufb01",
        "\u200b",
        "\\-1",
        "5145550199 ",
        "+33123456789 ",
        "jean@exemple.qc.ca ",
        "a at a dot ",
        "a arobase a point ",
        "\u0665\u0661 ",
        "\U000104a5,",
        "(514)-",
    ],
)
@pytest.mark.slow  # times the scan on long adversarial texts
def test_scanning_adversarial_text_takes_linear_time(shape: str) -> None:
    """100,000 characters of one repeated shape are scanned within a generous budget (quadratic: minutes)."""
    from pptoolkit.checking.privacy import scan_label, scan_text

    text = shape * (100_000 // len(shape))
    for scan in (lambda: list(scan_text(text, ())), lambda: list(scan_text(text, (), names=True))):
        started = time.perf_counter()
        scan()
        assert time.perf_counter() - started < 5
    started = time.perf_counter()
    list(scan_label(text[:20_000], ()))
    assert time.perf_counter() - started < 5


@pytest.mark.slow  # times the scan on long adversarial texts
def test_every_pattern_takes_linear_time_on_adversarial_text() -> None:
    from pptoolkit.checking.privacy import PATTERNS

    shapes = [
        "a",
        "1",
        "a@",
        "@a",
        "%",
        "a.",
        "a@b.",
        "1 ",
        "+1 ",
        "1-",
        "A1B ",
        "Aa ",
        "&#1",
        "&a",
        "(at)",
        " [dot] a",
        "a at a dot ",
        " dot a",
        "a arobase a.",
        "1,",
        "(1)-",
    ]
    for pattern in PATTERNS:
        for shape in shapes:
            text = shape * (100_000 // len(shape)) + "!"
            started = time.perf_counter()
            list(pattern.finditer(text))
            assert time.perf_counter() - started < 2, (pattern.pattern, shape)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="0123456789 .-+()[]{}@aAtTrobse\u00b7/x", max_size=40))
@example("jean(AT)example.org")
@example("0033 1 23 45 67 89")
@example("01 23 45 67 89")
@example("1234-567-890")
@example("5145550199")
def test_no_text_where_a_pattern_matches_is_skipped_by_its_first_look(text: str) -> None:
    from pptoolkit.checking.privacy import CONTACTS

    for look in CONTACTS:
        if look.needs is not None and look.pattern.search(text):
            assert look.needs.search(text), (look.what, look.pattern.pattern, text)


# --- Names of people in role titles, waiver reasons and practice titles ----------------------------

NAMED_ROLE_TITLES = [
    ("Coordinator: Marie Tremblay", "Marie Tremblay"),
    ("Patient advisor Jean Dupuis", "Jean Dupuis"),
    ("Marc-André Côté, Director of Quality", "Marc-André Côté"),
    ("Conseillère (Nathalie D'Amours)", "Nathalie D'Amours"),
    ("Chef de service: Gilles LeBlanc", "Gilles LeBlanc"),
    ("Madame Tremblay, coordonnatrice", "Madame Tremblay"),
]


@pytest.mark.parametrize(("title", "name"), NAMED_ROLE_TITLES, ids=[n for _, n in NAMED_ROLE_TITLES])
def test_a_name_in_a_role_title_is_flagged_with_or_without_honorific(tmp_path: Path, title: str, name: str) -> None:
    root = playbook(tmp_path)
    _, title_line = _role_file(root, json.dumps(title))
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP706", ROLES)
    assert diagnostic.line == title_line
    assert "director-general" in diagnostic.message
    assert name not in diagnostic.message


@pytest.mark.parametrize(
    ("reason", "name"),
    [
        ("Marie Tremblay is on leave until March", "Marie Tremblay"),
        ("Awaiting the return of Jean-François Côté from leave", "Jean-François Côté"),
        ("Le comité attend l'avis de Sophie Gagnon", "Sophie Gagnon"),
    ],
)
def test_a_name_without_honorific_in_a_waiver_reason_is_flagged(tmp_path: Path, reason: str, name: str) -> None:
    root = playbook(tmp_path)
    _, reason_line = _waiver_file(root, reason)
    [diagnostic] = of(check(root, TODAY), "PP706", WAIVERS)
    assert diagnostic.line == reason_line
    assert "E1" in diagnostic.message
    assert name not in diagnostic.message


@pytest.mark.parametrize(
    "text",
    [
        "Director General",
        "President and Director General (PDG)",
        "Patient Partnership Coordinator, Bureau du partenariat",
        "Quality Improvement Team Lead (advisor, QI Service)",
        "Head Nurse, Outpatient Mental Health Clinic",
        "Directrice adjointe, Qualité, Évaluation, Performance et Éthique",
        "Comité des usagers, CIUSSS de l'Estrie",
        "Partenaire patient, Direction des soins infirmiers",
        "Awaiting Accreditation Canada's visit in March",
        "Santé Québec merges the CISSS in April; the Board adopts the vision in June",
        "The survey starts in January; the committee agreed, after a vote",
    ],
)
def test_role_and_organization_words_are_not_names(text: str) -> None:
    from pptoolkit.checking.privacy import scan_label

    assert list(scan_label(text, ())) == []


def test_the_sample_role_titles_waiver_reasons_and_practice_titles_hold_no_names() -> None:
    """Every title and reason of the sample, the starter (its commented examples too) and the study's matrix."""
    from pptoolkit.checking.privacy import scan_label
    from pptoolkit.model.matrix import study_matrix_text

    texts = [study_matrix_text()] + [
        (REPO_ROOT / relative).read_text(encoding="utf-8")
        for relative in (
            "checks/matrix.yml",
            "checks/roles.yml",
            "checks/waivers.yml",
            "pptoolkit/data/starter/roles.yml",
            "pptoolkit/data/starter/waivers.yml",
        )
    ]
    values = [
        value.strip("\"'") for text in texts for value in re.findall(r"(?:title|reason): +(.+?) *(?:#.*)?$", text, re.M)
    ]
    assert len(values) > 60
    assert {value: list(scan_label(value, ())) for value in values if list(scan_label(value, ()))} == {}


def test_a_phrase_taken_for_a_name_can_be_allowed(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    _, title_line = _role_file(root, "Head of the Maison Laurier")
    assert [d.line for d in of(check(root, TODAY), "PP706", ROLES)] == [title_line]
    set_options(root, {"privacy": {"allowed_contacts": ["Maison Laurier"]}})
    assert codes(check(root, TODAY)) == []


def test_personal_data_in_a_waiver_practice_is_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    text = _waiver_file(root, "Team being formed")[0].replace("practice: E1", "practice: E1 (call 514-555-0199)")
    write(root, WAIVERS, text)
    [diagnostic] = of(check(root, TODAY), "PP703", WAIVERS)
    assert diagnostic.line == line_of(text, "practice:")[0]
    assert "514-555-0199" not in diagnostic.message


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Adopt a vision of the PP (questions: jean&#64;exemple.qc.ca)", "PP702"),
        ("Adopt a vision of the PP with Marie Tremblay", "PP706"),
        ("Adopt a vision of the PP, call 5145550199", "PP703"),
    ],
)
def test_personal_data_in_a_practice_title_is_flagged(tmp_path: Path, title: str, code: str) -> None:
    root = playbook(tmp_path)
    text = (root / MATRIX).read_text(encoding="utf-8")
    write(root, MATRIX, text.replace("Adopt and maintain an organizational vision of the PP", json.dumps(title)))
    result = check(root, TODAY)
    [diagnostic] = of(result, code)
    assert (diagnostic.path, diagnostic.line) == (MATRIX, line_of(text, "- id: D1")[0])
    assert "practice D1" in diagnostic.message
    assert diagnostic.practice == "D1"
    assert_build_refused(root)


# --- No false positives -----------------------------------------------------------------------------

ORDINARY_TEXT = """\
Adopted on 2026-03-14 and reviewed 2026-06-01; next review by 2027-06-30.

The plan covers 2025-04-01 to 2028-03-31, fiscal year 2026-2027 (and 2025-2026, 2027-28).

Budget: 20 000 $ for 2026-2027; 1 234 567,89 $ over three years; $12,500.00; 50 $ per meeting of 3 h.

Twelve teams of 4 to 6 members; 87 % of 120 QI projects; 3 of 25 practices; 14:30-16:00.

Report no. 2026-0314-0001, version 1.2.3, section 4.2.1, page 12 of 120, Bill 3 (2023, c. 5).

Room 2-134, ext. 22; the Bureau du partenariat at the CISSS de la Vallée-des-Érables.

DOI 10.1186/s12913-019-4618-8; https://example.org/reports/2026-01-28/minutes.pdf; ISBN 978-2-7605-4321-9.

Written with other dashes and spaces: 2026\u201101\u201128, 2025\u20132026, 14 h 30 \u2013 16 h, 62\u00a0000\u00a0$,
62\u202f000\u202f$, 62&nbsp;000&nbsp;$, 1\u2009234\u2009567,89\u00a0$, +12 500 000 $ and +12 500 000; 62000.

Invoice 1000234567, order 0123456789, INV-5145550199, run 2026012814, 5145550199.50 $; v2.10.3, commit a1b2c3d,
colour #a1b2c3; rules PP702 and PP705; practices S5, E1 and O4; from 2025 2026 to 2027 2028; the 2e and 1er rangs.

R&amp;D, AT&amp;T, &laquo;&nbsp;Patients partenaires&nbsp;&raquo;, \uff31uality in fullwidth, 3h, 2nd floor, 10am.

Near misses of phone forms: 1 234 567 890 $, 1 000 000 000 $, 12 34 56 78 90 and 01 02 03 04 05 06 in a list,
dated 2026/01/28 and 28.01.2026 at 14.30, page 01 23, release 10.20.30.40.50 and 2.0.1.3.5, ISBN 978 2 7605 4321 9,
ISBN 0-19-852663-6, ratio 1/2/3, 0,01 23 45, 12.34.56.78.90 and 100 / 200 items; "@ the desk", 7 @ 5.50 $.

Near misses of the other forms: $1,234,567,890, 1,234,567 and 12,345,678 items, (514) units; at that point we
met at cisss.gouv.qc.ca, at the CLSC; au point de service, un point à l'ordre du jour; a dot plot of 12 points;
in other digits: \u0662\u0660\u0662\u0666-\u0660\u0661-\u0662\u0668,
\u0968\u0966\u0968\u096b-\u0968\u0966\u0968\u096c, 1\u0662 %.
"""


def test_dates_fiscal_years_and_amounts_are_not_flagged(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append(root, VISION, ORDINARY_TEXT)
    append(root, MINUTES, ORDINARY_TEXT)
    write(root, "content/about.md", "# About\n\n" + ORDINARY_TEXT)
    result = check(root, TODAY)
    assert result.diagnostics == (), where(result.diagnostics)


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Call 4185550199 after five.", True),
        ("Invoice 4185550199 is paid.", True),  # could be her number: write INV-4185550199 or 418 555 0199 ...
        ("Invoice INV-4185550199 is paid.", False),  # ... part of a longer reference, it is not a phone number
        ("Invoice 1000234567 is paid.", False),  # no North American number starts with 0 or 1
        ("Order 0123456789 shipped.", False),
        ("Invoice 4180550199 is paid.", False),  # nor has an exchange starting with 0 or 1
        ("Run 2026012814 finished.", False),  # a compact date and hour
        ("Credit 4185550199.50 $ to the account.", False),  # a decimal
        ("See https://example.org/archive/4185550199/ for it.", False),  # a path
    ],
)
def test_ten_digits_in_a_row_are_a_phone_number_only_when_they_can_be_one(sentence: str, flagged: bool) -> None:
    from pptoolkit.checking.privacy import scan_text

    assert [f.rule.code for f in scan_text(sentence, ())] == (["PP703"] if flagged else [])


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
    for table in re.findall(r"<table[^>]*>.*?</table>", page, flags=re.S):
        if "Definition" in table:
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
            return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
    raise AssertionError("no indicators table in the page")


@pytest.mark.slow  # builds a site
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


@pytest.mark.slow  # builds a site
def test_a_small_cell_is_published_nowhere_else_in_the_site(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/indicators.md", indicators("3"))
    site = build_site(BuildOptions(root=root, strict=True))
    gaps = (site / "gaps.html").read_text(encoding="utf-8")
    [row] = [row for row in re.findall(r"<tr[^>]*>(.*?)</tr>", gaps, flags=re.S) if "PP707" in row]
    assert "Teams with PA" in re.sub(r"</?abbr[^>]*>", "", row)  # PA is explained: tests/site/test_abbreviations.py
    assert not re.search(r"\b3\b", html.unescape(re.sub(r"<[^>]+>", " ", row))), row
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Teams with PA' is 3" not in index and "value: 3" not in index


@pytest.mark.slow  # builds a site
def test_a_count_above_the_threshold_is_published_as_is(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, "policies/indicators.md", indicators("12"))
    site = build_site(BuildOptions(root=root, strict=True))
    header, row = _indicator_cells((site / "artifacts" / "indicators.html").read_text(encoding="utf-8"))
    assert row[header.index("Value")].strip() == "12"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_personal_data_is_found_on_its_own_line_whatever_the_line_breaks(newline: str) -> None:
    """Only lines with a digit or an '@' are looked at closely; they are numbered as editors number them."""
    from pptoolkit.checking.privacy import scan_text

    text = newline.join(["Minutes", "", "Write to 45 RUE DES ÉRABLES", "no digit here", "  or jo@example.org", ""])
    found = [(f.rule.code, f.line, f.column) for f in scan_text(text, (), first_line=10)]
    assert found == [("PP705", 12, 10), ("PP702", 14, 6)]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=30) | st.sampled_from([p[2] for p in PLANTS + NEW_FORMS]))
def test_every_line_with_personal_data_is_worth_a_look(line: str) -> None:
    """The quick search for lines worth a look never skips a line that a pattern matches, once read."""
    from pptoolkit.checking.privacy import CONTACTS, normalize

    read = normalize(line).text
    matched = any(look.pattern.search(read) for look in CONTACTS)
    assert not matched or worth_a_look(line)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.lists(st.text(alphabet=TRICKY + "\n", max_size=25), max_size=6).map("\n".join))
@example("Call 514\n555-0199 now\n+33 1 23\n45 67 89")
def test_the_quick_search_never_changes_what_is_found(text: str) -> None:
    """Scanning the lines worth a look finds what scanning every line finds (names looked for on every line)."""
    from pptoolkit.checking.privacy import scan_text

    quick = list(scan_text(text, ()))
    every_line = [f for f in scan_text(text, (), names=True) if f.rule.code != "PP706"]
    assert quick == every_line


def worth_a_look(line: str) -> bool:
    """Whether the scan's first look takes ``line`` (read as the scan reads it): its quick search or its words."""
    from pptoolkit.checking.privacy import _lines_to_scan, normalize

    return bool(list(_lines_to_scan(normalize(line).text, 1, every_line=False)))


_APART_FORMS = st.sampled_from([" ", "-", ".", "/", "\u00b7", "*", " - ", "- ", " -", " / ", ". ", ","])


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A North American or 00-international number in any of the forms the phone patterns accept."""
    digits = st.text(alphabet="0123456789", min_size=1, max_size=1)

    def run(count: int) -> str:
        return "".join(draw(digits) for _ in range(count))

    if draw(st.booleans()):
        groups = "".join(
            draw(st.sampled_from([" ", ".", "-"]))
            + draw(st.sampled_from(["", "(0)", "(0) "]))
            + run(draw(st.integers(1, 5)))
            for _ in range(draw(st.integers(1, 6)))
        )
        return "00" + draw(st.sampled_from("123456789")) + run(draw(st.integers(0, 2))) + groups
    prefix = draw(st.sampled_from(["", "", "1", "+1", "1 ", "1-", "+1 ", "1."]))
    area = draw(st.sampled_from([f"({run(3)})", f"({run(3)}) ", f"({run(3)})" + draw(_APART_FORMS)]))
    area = draw(st.sampled_from([area, run(3) + draw(_APART_FORMS)]))
    if draw(st.booleans()):
        line = run(7)
    else:
        line = run(3) + draw(_APART_FORMS) + draw(st.sampled_from([run(4), f"{run(2)} {run(2)}", f"{run(2)}.{run(2)}"]))
    return prefix + area + line + draw(st.sampled_from(["", " x12", " poste 22", "ext.5"]))


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(phone_numbers(), st.sampled_from(["Call {}.", "{}", "Appeler le {}, merci", "({})"]))
@example("(514)5550199", "Call {}.")
@example("0033-1-23-45-67-89", "Call {}.")
@example("000. 0000000", "Call {}.")
@example("514. 555. 0199", "Call {}.")
@example("(514)-555-0199", "Call {}.")
@example("514,555,0199", "Call {}.")
def test_every_form_of_phone_number_is_worth_a_look(number: str, sentence: str) -> None:
    """A line where a phone pattern matches is worth a look, whatever the form of the number (none is missed)."""
    from pptoolkit.checking.privacy import _WORTH_A_LOOK, CONTACTS

    line = sentence.format(number)
    if any(look.pattern.search(line) for look in CONTACTS):
        assert _WORTH_A_LOOK.search(line), line


@pytest.mark.parametrize("name, code, sentence, needle", PLANTS + NEW_FORMS, ids=PLANT_IDS + NEW_FORM_IDS)
def test_each_kind_of_personal_data_is_worth_a_look(name: str, code: str, sentence: str, needle: str) -> None:
    assert worth_a_look(sentence.replace(" ", "\u00a0"))
    assert not worth_a_look("approved_on: 2026-01-28")


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.lists(st.text(alphabet=TRICKY + "\t\x00'MsMme", max_size=25), max_size=6))
@example(["Call 514", "555-0199 now"])  # a phone number split over two lines is no phone number
def test_searching_lines_together_finds_what_searching_each_line_finds(lines: list[str]) -> None:
    """The lines worth a look are searched as one text; each line's matches are those it has alone."""
    from pptoolkit.checking.privacy import CONTACTS, NAMES, _matches

    looks = (*CONTACTS, NAMES)
    together = _matches(lines, looks)
    alone = {
        index: found
        for index, line in enumerate(lines)
        if (
            found := [
                (which, m.start(), m.end(), m.group(0))
                for which, look in enumerate(looks)
                for m in look.pattern.finditer(line)
            ]
        )
    }
    assert together == alone


# --- Every form each pattern accepts is worth a look, and a look at every line finds no more ----------

# A digit as `\d` reads it: mostly ASCII, sometimes another script's (Arabic-Indic, Devanagari, segmented).
_DIGIT = st.sampled_from("0123456789") | st.sampled_from("\u0663\u096a\U0001fbf5")
_STREET_WORDS = ["rue", "avenue", "av.", "boulevard", "boul.", "chemin", "ch.", "rang", "route", "montée", "côte"]
_STREET_WORDS += ["street", "st.", "road", "rd.", "drive", "dr.", "lane", "place"]
_STREET_TYPES = ["street", "avenue", "road", "drive", "lane", "boulevard", "crescent", "court"]
_STREET_TYPES += ["st.", "ave.", "rd.", "dr.", "blvd."]
_SENTENCES = st.sampled_from(["Call {}.", "{}", "Appeler le {}, merci", "({})", "Adresse : {}; fin"])


def _digits(draw: st.DrawFn, count: int) -> str:
    return "".join(draw(_DIGIT) for _ in range(count))


def _any_case(draw: st.DrawFn, word: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in word)


@st.composite
def street_addresses(draw: st.DrawFn) -> str:
    """A street address in any form STREET (French or English word first) or STREET_EN (type last) accepts."""
    number = _digits(draw, draw(st.integers(1, 5)))
    if draw(st.booleans()):
        number += "-" + _digits(draw, draw(st.integers(1, 5)))
    number += draw(st.sampled_from(["", ","])) + " " * draw(st.integers(1, 3))
    if draw(st.booleans()):
        first = draw(st.sampled_from("AZÀÝÉ09" + "azàýé"))
        return number + _any_case(draw, draw(st.sampled_from(_STREET_WORDS))) + " " * draw(st.integers(1, 2)) + first
    words = "".join(
        draw(st.sampled_from("AMZÀÉÝ09"))
        + draw(st.text(alphabet="aé'\u2019.-Z_1", max_size=6))
        + " " * draw(st.integers(1, 2))
        for _ in range(draw(st.integers(1, 3)))
    )
    return number + words + _any_case(draw, draw(st.sampled_from(_STREET_TYPES)))


@st.composite
def health_numbers(draw: st.DrawFn) -> str:
    """A RAMQ number (capitals, or any case with a birth date) or another province's card, apart or not."""
    apart = st.sampled_from(["", " ", "-"])
    kind = draw(st.sampled_from(["ramq", "birth-date", "ohip"]))
    if kind == "ramq":
        letters = "".join(draw(st.sampled_from("ABTRZ")) for _ in range(4))
        return letters + draw(apart) + _digits(draw, 4) + draw(apart) + _digits(draw, 4)
    if kind == "birth-date":
        letters = _any_case(draw, "".join(draw(st.sampled_from("abtrz")) for _ in range(4)))
        month = draw(st.sampled_from([f"{m:02}" for m in (*range(1, 13), *range(51, 63))]))
        day = draw(st.sampled_from([f"{d:02}" for d in range(1, 32)]))
        return letters + draw(apart) + _digits(draw, 2) + month + draw(apart) + day + _digits(draw, 2)
    apart = st.sampled_from(" -")
    card = _digits(draw, 4) + draw(apart) + _digits(draw, 3) + draw(apart) + _digits(draw, 3)
    return card + draw(st.sampled_from(["", "AB", " XY", "-ZZ"]))


@st.composite
def postal_codes(draw: st.DrawFn) -> str:
    """A Canadian postal code in any case, its halves apart by up to three spaces, a dash or nothing."""
    first, other = "ABCEGHJKLMNPRSTVXY", "ABCEGHJKLMNPRSTVWXYZ"
    letters = [_any_case(draw, draw(st.sampled_from(alphabet))) for alphabet in (first, other, other)]
    apart = draw(st.sampled_from(["", " ", "  ", "   ", "-"]))
    return letters[0] + draw(_DIGIT) + letters[1] + apart + draw(_DIGIT) + letters[2] + draw(_DIGIT)


@st.composite
def ten_digits(draw: st.DrawFn) -> str:
    """Ten digits in a row that can be a North American number (not a compact timestamp), 1 before or not."""
    area = draw(st.sampled_from("3456789")) + draw(st.sampled_from("012345678")) + draw(_DIGIT)
    return draw(st.sampled_from(["", "1"])) + area + draw(st.sampled_from("23456789")) + _digits(draw, 6)


@st.composite
def french_numbers(draw: st.DrawFn) -> str:
    """Ten digits in pairs, the first 01 to 09, apart by spaces or by dots."""
    apart = draw(st.sampled_from(" ."))
    return "0" + draw(st.sampled_from("123456789")) + "".join(apart + _digits(draw, 2) for _ in range(4))


@st.composite
def plus_numbers(draw: st.DrawFn) -> str:
    """A number after '+' and a country code, its groups apart (with a trunk '(0)' or not) or together."""
    if draw(st.booleans()):
        return "+" + draw(st.sampled_from("123456789")) + _digits(draw, draw(st.integers(7, 14)))
    groups = "".join(
        draw(st.sampled_from(" .-"))
        + draw(st.sampled_from(["", "(0)", "(0) "]))
        + _digits(draw, draw(st.integers(1, 5)))
        for _ in range(draw(st.integers(1, 6)))
    )
    return "+" + draw(st.sampled_from("123456789")) + _digits(draw, draw(st.integers(0, 2))) + groups


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """An e-mail address with its '@' written or bracketed, and its dots written or bracketed."""
    at = draw(st.sampled_from(["@", " @ ", "@ ", "[at]", " (AT) ", "{arobase}", "(@)"]))
    dot = draw(st.sampled_from([".", " [dot] ", "(point)", "{.}"]))
    return "jean.t" + at + "exemple" + dot + draw(st.sampled_from(["qc", "gouv"])) + dot + "ca"


@st.composite
def spelled_email_addresses(draw: st.DrawFn) -> str:
    """An e-mail address spelled out: "at" with "dot", or "arobase" with "point", "dot" or a written dot."""
    capitals = draw(st.booleans())
    at, dots = draw(st.sampled_from([("at", ["dot"]), ("arobase", ["point", "dot", "."])]))
    words = [f" {word} " if word != "." else word for word in dots]
    host = "".join(draw(st.sampled_from(words)) + label for label in draw(st.lists(st.sampled_from(["qc", "gouv"]))))
    address = f"jean.t {at} exemple{host}{draw(st.sampled_from(words))}ca"
    return address.upper() if capitals else address


# The forms each pattern accepts (phone_numbers above: PHONE's and INTERNATIONAL_PHONE_00's).
PATTERN_FORMS = {
    "STREET or STREET_EN": street_addresses(),
    "RAMQ or OHIP": health_numbers(),
    "POSTAL_CODE": postal_codes(),
    "TEN_DIGITS": ten_digits(),
    "FRENCH_PHONE": french_numbers(),
    "INTERNATIONAL_PHONE": plus_numbers(),
    "EMAIL": email_addresses(),
    "SPELLED_EMAIL": spelled_email_addresses(),
}


@pytest.mark.parametrize("names", list(PATTERN_FORMS))
@settings(max_examples=FUZZ_EXAMPLES * 2, deadline=None)
@given(data=st.data(), sentence=_SENTENCES)
def test_every_form_of_each_kind_of_personal_data_is_found_and_worth_a_look(
    names: str, data: st.DataObject, sentence: str
) -> None:
    """Each generated form is one its pattern accepts, and the line that holds it is worth a look."""
    from pptoolkit.checking import privacy

    line = sentence.format(data.draw(PATTERN_FORMS[names]))
    patterns = [getattr(privacy, name) for name in names.split(" or ")]
    assert any(pattern.search(line) for pattern in patterns), line
    assert any(pattern.search(privacy.normalize(line).text) for pattern in patterns), line  # once read too
    assert worth_a_look(line), line


def test_a_phone_number_in_the_digits_of_any_script_is_worth_a_look() -> None:
    """Every character that a pattern reads as a digit is read as its ASCII digit: a number in it is found.

    Within the Basic Multilingual Plane and beyond it, in a text of one, two or four bytes a character
    (an 'é', a right single quote or an emoji elsewhere on the line), and in French pairs, which the
    pattern writes [1-9].
    """
    from pptoolkit.checking.privacy import PHONE, normalize, scan_text

    every_character = "".join(map(chr, range(0x110000)))
    digits = re.findall(r"\d", every_character)
    assert len(digits) > 600
    for digit in digits:
        value = str(unicodedata.decimal(digit))
        line = f"Call {digit * 3}-{digit * 3}-{digit * 4} now"
        assert PHONE.search(line) and worth_a_look(line), hex(ord(digit))
        assert normalize(line).text == f"Call {value * 3}-{value * 3}-{value * 4} now", hex(ord(digit))
        for other in ("", "\u00e9", "\u2019", "\U0001f600"):
            french = f"Appeler {other}le 0{digit} {digit}{digit} {digit}{digit} {digit}{digit} {digit}{digit}"
            expected = [] if value == "0" else [("PP703", 12 + len(other))]
            assert [(f.rule.code, f.column) for f in scan_text(french, ())] == expected, hex(ord(digit))


# Near misses: a form with a character dropped, doubled, replaced by a tricky one, or its case changed;
# and forms written otherwise (a reference, an escape, a fullwidth or invisible character, a '\r').
_WRITTEN_OTHERWISE = {
    "@": ["\uff20", "&#64;", "&commat;", "\\@"],
    "-": ["\u2011", "\u2013", "&#8209;", "\\-"],
    " ": ["\u00a0", "\u2009", "&nbsp;", " \u200b"],
    "5": ["\uff15", "&#53;"],
    ".": ["&period;", "\\."],
}
_FORM = st.one_of(*PATTERN_FORMS.values(), phone_numbers())
_PROSE = st.sampled_from(["", "Team 212 record 3201", "du 1er avril 2025 au 31 mars 2026", "exercice 2025-2026"])


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    form = draw(_FORM)
    if form and draw(st.booleans()):
        at = draw(st.integers(0, len(form) - 1))
        change = draw(st.sampled_from(["drop", "double", "replace", "case", "otherwise", "carriage return"]))
        if change == "otherwise":
            written = draw(st.sampled_from(sorted(_WRITTEN_OTHERWISE)))
            form = form.replace(written, draw(st.sampled_from(_WRITTEN_OTHERWISE[written])))
        elif change == "carriage return":
            form = form[:at] + "\r" + form[at:]
        elif change == "drop":
            form = form[:at] + form[at + 1 :]
        elif change == "double":
            form = form[:at] + form[at] + form[at:]
        elif change == "replace":
            form = form[:at] + draw(st.sampled_from(TRICKY + "\n\r")) + form[at + 1 :]
        else:
            form = form.swapcase()
    return draw(_PROSE) + draw(st.sampled_from(["", " ", ", ", "-", "/", "(", "\n", "0", "A"])) + form


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.lists(near_misses(), min_size=1, max_size=5).map("\n".join), st.sampled_from(["", "-", "/"]))
@example("Team 212, record 3201\n514-555-0199", "")
@example("TREM 1234 5678\n\u0663\u0663\u0663-555-0199\n12 rue Principale", "")
@example("jean\uff20exemple.qc.ca", "")  # names read differently: not ASCII,
@example("Call 514&#8209;555&#8209;0199", "-")  # a reference
def test_the_first_look_finds_what_a_look_at_every_line_finds(text: str, name_separator: str) -> None:
    """Scanning only the lines worth a look finds what scanning every line finds, in texts and in names.

    The reference is the same scan whose first look takes every line: nothing a pattern matches is skipped,
    in a text full of personal data and of near misses, nor in a name made of its words.
    """
    from unittest import mock

    from pptoolkit.checking import privacy

    name = text.replace("\n", "/").replace(" ", name_separator)

    def findings() -> tuple[list[privacy.Finding], ...]:
        return (
            list(privacy.scan_text(text, ())),
            list(privacy.scan_text(text, (), names=True)),
            list(privacy.scan_label(text, ())),
            privacy.name_findings(name, ()),
        )

    quick = findings()
    with mock.patch.object(privacy, "_WORTH_A_LOOK", re.compile(r"(?m)^")):
        every_line = findings()
    assert quick == every_line


# Pieces of text where the first look's looks start, end or almost match, to be put together at random.
_PIECES = ["0", "1", "5", "9", "00", "05", "12", "514", "2026", "5550199", "1234"]
_PIECES += [" ", ",", ".", "-", "/", "\u00b7", "*", "@", "+", "(", ")", "[", "]", "{", "}", "\n", "_", "'"]
_PIECES += ["a", "T", "TREM", "trem", "H", "h", "z", "Y", "rue", "Rue", "RUE", "montée", "MONTÉE", "\u00e9"]
_PIECES += ["Principale", "Main", "street", "St.", "ave.", "at", "AT", "arobase"]


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join) | near_misses())
@example("TREM 1234 5678 trem 5503-1512 5145550199 514 555 0199 12 rue Principale H2X 1Y4 0033 1 23 01 23 45")
@example("2026-01-28, 2025-2026)\n(514)555 [AT] +1 jean@ 5 Main St. 2 Côte A")
@example("h2z 1y4 A1Z-2B3 514*555*0199 514\u00b7555\u00b70199 514/555/0199")
def test_the_first_look_finds_what_the_union_of_its_looks_finds(text: str) -> None:
    """`_WORTH_A_LOOK`, whose looks are ordered to fail soon, takes a text at each place where their plain union does.

    The union is written as it reads: after the last digit of a run, any of the looks that follow digits; else
    an at sign, '+' and a digit, or a bracket and what may follow it.
    """
    from pptoolkit.checking import privacy

    after_digits = "|".join(
        [
            f"(?i:{privacy._STREET_AFTER_NUMBER})",
            privacy._STREET_EN_AFTER_NUMBER,
            f"(?i:{privacy._POSTAL_AFTER_DIGIT})",
            rf"(?<=\d{{3}}){privacy._APART}\d{{3}}(?:{privacy._APART}\d|\d{{4}})",
            *(
                rf"(?<=[A-Z]{{4}}{first}\d{{4}}{second}\d{{4}})"
                rf"|(?<=[A-Za-z]{{4}}{first}\d\d{privacy._MONTH}{second}{privacy._DAY}\d\d)"
                for first in ("", "[ -]")
                for second in ("", "[ -]")
            ),
            r"(?<=\d{10})",
            r"(?<=0[1-9])(?<![\w.,/+-]0[1-9])[ .]\d\d",
            *(rf"(?<=00[1-9]\d{{{more}}})(?<![\w.,/+-]00[1-9]\d{{{more}}})[ .-]" for more in range(3)),
        ]
    )
    union = re.compile(
        rf"[0-9](?!\d)(?:{after_digits})|@|\+\d|[\[({{](?i:at|arobase)[\])}}]|\(\d{{3}}\){privacy._APART}?\d{{3}}"
    )
    for read in (text, privacy.normalize(text).text):
        first_look = [bool(privacy._WORTH_A_LOOK.match(read, at)) for at in range(len(read))]
        assert first_look == [bool(union.match(read, at)) for at in range(len(read))], read


_HONORIFIC_PIECES = ["Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Dre", "Mme", "Mmes", "Mlle", "M", "Madame", "Monsieur"]
_HONORIFIC_PIECES += ["D", "Mrss", "Mada", " ", "  ", ".", "-", "'", "a", "é", "_", "0", "\n"]
_HONORIFIC_PIECES += ["Tremblay", "Côté", "LeBlanc"]


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.lists(st.sampled_from(_HONORIFIC_PIECES), max_size=10).map("".join))
@example("Mrs Tremblay, M. Côté, éMme Roy, Dre  LeBlanc Roy, _Dr Roy, Madame Tremblay-Roy")
def test_an_honorific_and_a_name_are_found_where_the_plain_alternation_finds_them(text: str) -> None:
    """HONORIFIC_NAME, written from its first letter, matches what the honorifics tried in turn after \\b match."""
    from pptoolkit.checking.privacy import HONORIFIC_NAME

    plain = re.compile(
        r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Dre|Mme|Mmes|Mlle|M|Madame|Monsieur)\.? +[A-ZÀ-Ý][a-zà-ÿ'-]+"
        r"(?: +[A-ZÀ-Ý][a-zà-ÿ'-]+)?"
    )
    assert [m.span() for m in HONORIFIC_NAME.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.text(alphabet="a \n\r\u2028\x0c", max_size=30), st.integers(1, 20))
def test_every_line_is_numbered_and_placed_as_the_editor_counts_it(text: str, first_line: int) -> None:
    """A look at every line (a registry's, a label's) takes each line as `split_lines` does, at its own offset."""
    from pptoolkit.checking.privacy import _lines_to_scan
    from pptoolkit.reading.documents import split_lines

    numbered = list(_lines_to_scan(text, first_line, every_line=True))
    assert [line for _, _, line in numbered] == split_lines(text)
    assert [number for number, _, _ in numbered] == list(range(first_line, first_line + len(numbered)))
    for _, offset, line in numbered:
        assert text[offset : offset + len(line)] == line
        assert offset == 0 or text[offset - 1] in "\r\n"


def test_a_phone_number_written_with_any_dash_space_or_invisible_character_is_found() -> None:
    """Every character that reads as a dash or a space, or as nothing, is read so (within or beyond the BMP)."""
    from pptoolkit.checking.privacy import DASHES, INVISIBLE, SPACES, scan_text

    written = [f"Call 514{c}555{c}0199 now" for c in DASHES + SPACES] + [f"Call 514-5{c}55-0199 now" for c in INVISIBLE]
    assert any(ord(c) > 0xFFFF for c in DASHES)
    for text in written:
        assert [(f.rule.code, f.column) for f in scan_text(text, ())] == [("PP703", 6)], ascii(text)
