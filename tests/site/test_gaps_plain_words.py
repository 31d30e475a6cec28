"""The managers' columns of the gaps page say each problem in plain words: what kind of personal information was
found and in which document, never the value; no file path, front matter key or value of the checker's sentence,
which goes under "For editors" (plain functions over the sample and a small playbook, no site built)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playbook_support import EVIDENCE_FILE, TODAY, PlaybookBuilder, artifact_text
from site_support import copy_sample

from pptoolkit.checking.checker import check
from pptoolkit.checking.rules import ALL
from pptoolkit.i18n import use_language
from pptoolkit.publishing.languages import in_language
from pptoolkit.publishing.pages import gaps_page
from pptoolkit.publishing.pages.gaps import plain_problem

PERSONAL = "Contact marie.tremblay@gmail.com, 514-555-0199, NAM TREM12345678\n"
EXCERPTS = ("mar…", "514…", "TRE…", "marie", "555-0199", "12345678")


def rows(page: str) -> list[list[str]]:
    """The cells of each row of the page's error and warning tables."""
    cells = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in page.splitlines()]
    return [row for row in cells if row and row[-1].startswith('<details class="pp-editors">')]


def rows_of(page: str, code: str) -> list[list[str]]:
    return [row for row in rows(page) if f"<code>{code}</code>" in row[-1]]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_personal_information_is_named_by_its_kind_never_quoted(small_playbook: PlaybookBuilder, language: str) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision"))
    minutes = small_playbook.root / EVIDENCE_FILE
    minutes.write_text(minutes.read_text(encoding="utf-8") + PERSONAL, encoding="utf-8")
    result = small_playbook.check()
    with use_language(language):
        page = gaps_page(result).content
    kinds = {
        "en": ["an e-mail address", "a phone number", "a health insurance number"],
        "fr": ["une adresse courriel", "un numéro de téléphone", "un numéro d'assurance maladie"],
    }[language]
    for code, kind in zip(("PP702", "PP703", "PP704"), kinds, strict=True):
        [row] = rows_of(page, code)
        assert kind in row[0]
        assert "minutes.md" in row[3]  # where: the file that holds it
    found = [excerpt for excerpt in EXCERPTS if excerpt in page]
    assert found == [], f"the gaps page quotes personal information: {found}"


def test_the_managers_columns_hold_no_path_key_or_value_and_the_editors_get_the_checkers_sentence(
    tmp_path: Path,
) -> None:
    root = copy_sample(tmp_path / "playbook")
    vision = root / "policies" / "designing" / "vision.md"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(re.sub(r"(?m)^owner: .*$", 'owner: "<b>x</b>"', text, count=1), encoding="utf-8")
    result = check(root, TODAY)
    assert {"PP203", "PP905"} <= {d.code for d in result.diagnostics}
    for language in result.playbook.settings.languages:
        with use_language(language):
            page = gaps_page(in_language(result, language)).content
        for code in ("PP203", "PP905"):
            [row] = rows_of(page, code)
            managers = " ".join(re.sub(r"\]\([^)]*\)", "]", cell) for cell in row[:-1])
            assert not re.search(r"[\w.-]+/[\w.-]|'owner'|«|<b>|&lt;b&gt;", managers), managers
            assert not re.search(r"\.(?:md|ya?ml)\b", row[0]), row[0]  # where to fix it names the file, not the gap
            [diagnostic] = [d for d in result.diagnostics if d.code == code]
            assert diagnostic.message.split(" ")[0] in row[-1]  # the checker's sentence, folded for editors


def test_every_rule_has_plain_words() -> None:
    generic = plain_problem("PP000")
    assert [rule.code for rule in ALL if plain_problem(rule.code) == generic] == []


def test_a_published_evidence_file_to_fix_is_linked_to_its_page(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision"))
    minutes = small_playbook.root / EVIDENCE_FILE
    minutes.write_text(minutes.read_text(encoding="utf-8") + '\n<span onclick="go()">Read</span>\n', encoding="utf-8")
    result = small_playbook.check()
    [published] = [f.site_path for f in result.playbook.publication.files if f.source == EVIDENCE_FILE]
    [row] = rows_of(gaps_page(result).content, "PP701")
    name = EVIDENCE_FILE.rsplit("/", 1)[-1]
    assert row[3] == f"[{name}]({published})"  # the page the site publishes, never "(not published)"
