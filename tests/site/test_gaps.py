"""The gaps page as a manager reads it: each gap in plain words, who must act, what to do and where, with the
rule, the file and the line folded away for editors (plain functions over a small playbook, no site built)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playbook_support import ROLES_YML, TODAY, PlaybookBuilder, artifact_text
from site_support import copy_sample

from pptoolkit.checking.checker import check
from pptoolkit.checking.rules import ALL
from pptoolkit.i18n import use_language
from pptoolkit.publishing.languages import in_language
from pptoolkit.publishing.pages import gaps_page
from pptoolkit.publishing.pages.gaps import what_to_do

HEADER = "| Gap | Who must act | What to do | Where to fix it | For editors |"
ROLE_IDS = re.findall(r"id: (\S+)", ROLES_YML)


def rows(page: str) -> list[list[str]]:
    """The cells of each row of the page's error and warning tables."""
    cells = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in page.splitlines()]
    return [row for row in cells if row and row[-1].startswith('<details class="pp-editors">')]


def row_of(page: str, code: str, practice: str = "") -> list[str]:
    """The one row of rule ``code`` (of ``practice``, when given)."""
    found = [row for row in rows(page) if f"<code>{code}</code>" in row[-1]]
    if practice:
        found = [row for row in found if f"[{practice} " in row[0]]
    [row] = found
    return row


@pytest.fixture
def gappy(small_playbook: PlaybookBuilder) -> str:
    """D1 covered; S5's logic model owned by a role that is not in the registry; E1 and X1 without a document."""
    small_playbook.artifact("vision.md", artifact_text("vision"))
    small_playbook.artifact("logic-model.md", artifact_text("logic-model", owner="chief-of-everything"))
    return gaps_page(small_playbook.check()).content


def test_a_missing_practice_says_who_must_act_what_to_do_and_links_the_practice(gappy: str) -> None:
    gap, who, what, where, editors = row_of(gappy, "PP401", "E1")
    assert gap.startswith("No current document implements [E1 \\(Ensure feedback from PA and QI teams")
    assert "](practices/E1.md)" in gap
    assert who == "[Front-line managers](levels/front.md)"  # no owner yet: the practice's level
    assert what == "Write a document that implements the practice and have it approved, or record a waiver."
    assert where == "No document yet"
    assert "checks/<wbr>matrix.yml</span>, line 12" in editors


def test_an_unknown_owner_links_the_owners_page_and_lists_no_role_id(gappy: str) -> None:
    row = row_of(gappy, "PP302")
    gap, who, _, where, editors = row
    assert gap == (
        "The owner named in [Test logic model](artifacts/logic-model.md) is not in the [roles registry](owners.md)."
    )
    assert who == "[Mid-level managers](levels/mid.md)"
    assert where == "[Test logic model](artifacts/logic-model.md)"
    assert "policies/<wbr>logic-model.md</span>, line 5" in editors
    listed = [role for role in ROLE_IDS if role in " ".join(row)]
    assert listed == [], f"the row lists role ids: {listed}"


def test_an_owner_who_must_act_is_linked_to_the_owners_page(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", evidence="[]"))
    _, who, what, where, _ = row_of(gaps_page(small_playbook.check()).content, "PP403")
    assert who == "[Director General](owners.md#role-director-general)"
    assert what == "Add evidence \\(minutes, a report, a budget line\\) to an approved document."
    assert where == "[Test vision](artifacts/vision.md)"


def test_rule_codes_and_file_positions_are_folded_in_the_last_column(gappy: str) -> None:
    assert HEADER in gappy
    found = rows(gappy)
    assert len(found) >= 4
    for row in found:
        *for_managers, editors = row
        assert not re.search(
            r"PP\d{3}|\.yml|\.md:|line \d", " ".join(re.sub(r"\]\([^)]*\)", "]", c) for c in for_managers)
        )
        assert re.fullmatch(
            r'<details class="pp-editors"><summary>.+</summary><code>PP\d{3}</code> .+</details>', editors
        )


def test_a_path_breaks_after_a_slash_never_inside_a_name(gappy: str) -> None:
    paths = re.findall(r'<span class="pp-file">(.*?)</span>', gappy)
    assert "policies/<wbr>logic-model.md" in paths
    assert all(part and "/" not in part for path in paths for part in path.split("/<wbr>")[:-1])


def test_a_file_without_a_page_is_named_in_words(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write("policies/broken.md", "---\nid: broken\nkind: policy\n---\n")
    gap, who, _, where, editors = row_of(gaps_page(small_playbook.check()).content, "PP201")
    assert gap == 'The document <span class="pp-file">broken.md</span> is of a kind the playbook does not know.'
    assert who == "The playbook's editors"
    assert where == 'the file <span class="pp-file">broken.md</span> (not published)'
    assert "vision" not in editors  # the checker's message lists every kind by its id: not here


def test_every_rule_says_what_to_do() -> None:
    generic = what_to_do("PP000")
    assert [rule.code for rule in ALL if what_to_do(rule.code) == generic] == []


def test_the_gaps_page_is_in_french_for_french_readers(small_playbook: PlaybookBuilder) -> None:
    result = small_playbook.check()
    with use_language("fr"):
        page = gaps_page(result).content
    assert "| Écart | Qui doit agir | Quoi faire | Où corriger | Pour les rédacteurs |" in page
    gap, who, what, _, editors = row_of(page, "PP401", "D1")
    assert gap.startswith("Aucun document en vigueur ne met en œuvre [D1 \\(")
    assert who == "[Haute direction](levels/top.md)"
    assert what.startswith("Rédiger un document")
    assert "<summary>Règle, fichier et ligne</summary>" in editors


def test_the_checkers_sentence_is_shown_once(small_playbook: PlaybookBuilder) -> None:
    """A problem without words of its own on the gaps page is the checker's sentence, not repeated for editors."""
    small_playbook.artifact("vision.md", artifact_text("vision").replace("date: 2026-01-15", "date: 2027-01-15"))
    gap, who, what, where, editors = row_of(gaps_page(small_playbook.check()).content, "PP306")
    assert gap == "Evidence 'Board minutes' is dated 2027-01-15, after today \\(2026-11-26\\)"
    assert (who, what) == ("[Director General](owners.md#role-director-general)", "Correct the date of the evidence.")
    assert where == "[Test vision](artifacts/vision.md)"
    assert "Board minutes" not in editors
    practice_gap = row_of(gaps_page(small_playbook.check()).content, "PP403")[-1]
    assert "practice D1 has no approved artifact with evidence" in practice_gap  # said otherwise above: kept here


def test_in_another_languages_tree_a_gap_links_the_translation_shown_there(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "playbook")
    vision = next((root / "policies").rglob("vision.md"))
    vision.write_text(re.sub(r"(?m)^owner: .*$", "owner: nobody", vision.read_text(encoding="utf-8"), count=1))
    result = check(root, TODAY)
    with use_language("en"):
        page = gaps_page(in_language(result, "en")).content
    gap, _, _, where, _ = row_of(page, "PP302")
    english_title = "[Our vision of patient partnership](artifacts/vision-patient-partnership.md)"
    assert gap == f"The owner named in {english_title} is not in the [roles registry](owners.md)."
    assert where == english_title
