"""A practice's prose in the reader's language: the matrix translates its title, its note and its clauses
(``translations: {fr: {title: ..., note: ..., clauses: [...]}}``), and a French practice page shows them."""

from __future__ import annotations

import pytest
from playbook_support import REPO_ROOT, SMALL_MATRIX_YML, TODAY, PlaybookBuilder

from pptoolkit.checking.checker import check
from pptoolkit.i18n import use_language
from pptoolkit.model.matrix import study_matrix_text
from pptoolkit.publishing.pages import practice_page

MATRIX = "checks/matrix.yml"
WITH_CLAUSES = SMALL_MATRIX_YML.replace(
    "    title: Adopt and maintain an organizational vision of the PP\n",
    "    title: Adopt and maintain an organizational vision of the PP\n"
    "    note: The table says it once.\n"
    "    clauses:\n"
    "      - {text: Adopt a vision, cases: [1]}\n"
    "      - {text: maintain it, cases: [1]}\n"
    "    translations:\n"
    "      fr:\n"
    "        note: Le tableau le dit une fois.\n"
    "        clauses: [Adopter une vision, la maintenir]\n",
    1,
)


@pytest.fixture(scope="module")
def french_pages() -> dict[str, str]:
    result = check(REPO_ROOT, TODAY)
    with use_language("fr"):
        return {c.practice.id: practice_page(result, c).content for c in result.coverage}


def test_the_samples_notes_are_french_on_french_practice_pages(french_pages: dict[str, str]) -> None:
    assert "Le tableau nomme deux fois le code d'éthique" in french_pages["D2"]
    assert "Se lit comme D2" in french_pages["D4"]
    assert "the matrix keeps both" not in french_pages["D2"] + french_pages["D4"]


def test_the_samples_clauses_are_french_on_french_practice_pages(french_pages: dict[str, str]) -> None:
    clause = "- Désigner une direction et des gestionnaires responsables du partenariat (cas 1, cas 2)"
    assert clause in french_pages["S2"]
    assert "- ensure continuity" not in french_pages["S2"]  # the study's title stays, marked English


def test_the_packaged_matrix_translates_its_notes_and_clauses_too() -> None:
    text = study_matrix_text()
    assert "Le tableau nomme deux fois le code d'éthique" in text
    assert "assurer la continuité entre les cadres intermédiaires qui en sont chargés" in text


def test_a_translated_note_and_clauses_are_shown_and_the_english_ones_elsewhere(
    small_playbook: PlaybookBuilder,
) -> None:
    small_playbook.matrix(WITH_CLAUSES)
    result = small_playbook.check()
    [d1] = [c for c in result.coverage if c.practice.id == "D1"]
    with use_language("fr"):
        french = practice_page(result, d1).content
    english = practice_page(result, d1).content
    assert "Le tableau le dit une fois." in french and "- Adopter une vision (cas 1)" in french
    assert "The table says it once." in english and "- Adopt a vision (case 1)" in english


def test_translated_clauses_must_match_the_practices_clauses(small_playbook: PlaybookBuilder) -> None:
    small_playbook.matrix(WITH_CLAUSES.replace("[Adopter une vision, la maintenir]", "[Adopter une vision]"))
    result = small_playbook.check()
    [problem] = [d for d in result.diagnostics if d.code == "PP604"]
    assert (problem.path, problem.line) == (MATRIX, 2)
    assert "gives 1 clauses; the practice has 2" in problem.message


def test_personal_information_in_a_translated_note_is_flagged(small_playbook: PlaybookBuilder) -> None:
    small_playbook.matrix(WITH_CLAUSES.replace("Le tableau le dit une fois.", "Écrire à jean.tremblay@gmail.com."))
    [found] = [d for d in small_playbook.check().diagnostics if d.code == "PP702"]
    assert found.path == MATRIX and "D1" in found.message
