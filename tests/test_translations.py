"""Artifacts in several languages: pairs of files, what they share, their freshness, the commands that write them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playbook_support import PlaybookBuilder, artifact_text, located, make_playbook, only

from pptoolkit.cli import cli
from pptoolkit.i18n import use_language

BILINGUAL = "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n"

ENGLISH_VISION = """\
---
title: Our vision
statement: Patients are partners.
---

# Our vision

Text.
"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages in English (a French-first playbook is otherwise checked in French: see the last test)."""
    with use_language("en"):
        yield


@pytest.fixture
def bilingual(tmp_path: Path) -> PlaybookBuilder:
    """A playbook in French first and English, with a French vision (the original) and its English translation."""
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL)
    builder.artifact("vision.md", artifact_text("vision", title="Notre vision"))
    builder.artifact("vision.en.md", ENGLISH_VISION)
    return builder


def stamp(builder: PlaybookBuilder, file: str) -> None:
    result = CliRunner().invoke(cli, ["translate", "--stamp", "--root", str(builder.root), str(builder.root / file)])
    assert result.exit_code == 0, result.output


def test_a_pair_is_one_artifact_counted_once(bilingual: PlaybookBuilder) -> None:
    stamp(bilingual, "policies/vision.en.md")
    result = bilingual.check()
    assert [a.path for a in result.playbook.artifacts] == ["policies/vision.md"]
    assert result.summary()["artifacts"] == 1
    (translation,) = result.playbook.translations
    assert (translation.original, translation.language) == ("policies/vision.md", "en")
    # Shared fields come from the original; the title and the prose are the translation's own.
    assert translation.artifact.model.owner == "director-general"
    assert translation.artifact.model.implements == ["D1"]
    assert translation.artifact.model.title == "Our vision"
    assert translation.artifact.model.lang == "en"
    assert result.coverage_of("D1").status == "covered"  # type: ignore[union-attr]
    assert not [d for d in result.diagnostics if d.path.startswith("policies/")]


def test_a_playbook_that_declares_no_languages_reads_suffixed_files_as_artifacts(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text("vision"))
    playbook.artifact("charter.en.md", artifact_text("charter"))
    result = playbook.check()
    assert [a.path for a in result.playbook.artifacts] == ["policies/charter.en.md", "policies/vision.md"]
    assert result.playbook.translations == []


def test_a_shared_field_that_disagrees_names_the_key_and_both_files(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("vision.en.md", ENGLISH_VISION.replace("title:", "owner: head-nurse\ntitle:"))
    found = only(bilingual.check(), "PP902")
    assert (found.path, found.line, found.column, found.severity.value) == ("policies/vision.en.md", 2, 1, "error")
    assert "'owner'" in found.message and "'policies/vision.md'" in found.message


def test_a_shared_field_repeated_alike_is_fine(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact(
        "vision.en.md",
        ENGLISH_VISION.replace("title:", "owner: director-general\nreview_by: '2027-06-30'\nimplements: [D1]\ntitle:"),
    )
    assert not [d for d in bilingual.check().diagnostics if d.code == "PP902"]


def test_numbers_inside_a_translated_field_must_agree(tmp_path: Path) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL)
    builder.artifact("pay.md", artifact_text("compensation-policy"))
    worded = "rates: [{activity: Réunion, amount: 50, unit: meeting}]"
    changed = "rates: [{activity: Réunion, amount: 75, unit: meeting}]"
    builder.artifact(
        "pay.en.md", f"---\ntitle: Pay\n{worded}\n---\n\n# Pay\n\n## Purpose\n\n## Expenses\n\n## Right to decline\n"
    )
    assert not [d for d in builder.check().diagnostics if d.code == "PP902"]
    builder.artifact(
        "pay.en.md", f"---\ntitle: Pay\n{changed}\n---\n\n# Pay\n\n## Purpose\n\n## Expenses\n\n## Right to decline\n"
    )
    found = only(builder.check(), "PP902")
    assert (found.path, found.line) == ("policies/pay.en.md", 3)
    assert "'rates'" in found.message and "not text" in found.message


def test_an_unknown_language_suffix_is_located_and_the_file_left_out(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("charter.de.md", artifact_text("charter"))
    result = bilingual.check()
    found = only(result, "PP901")
    assert (found.path, found.line) == ("policies/charter.de.md", 1)
    assert "'de'" in found.message and "fr, en" in found.message
    assert result.playbook.artifact("charter") is None


def test_a_translation_without_its_original_is_an_orphan(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("ghost.en.md", ENGLISH_VISION)
    found = only(bilingual.check(), "PP905")
    assert found.path == "policies/ghost.en.md" and "'policies/ghost.md'" in found.message


def test_a_translation_needs_its_own_title(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("vision.en.md", ENGLISH_VISION.replace("title: Our vision\n", ""))
    assert ("PP202", "error", 2, 1) in located(bilingual.check(), "policies/vision.en.md")


def test_a_translation_is_stale_when_its_original_changes_and_fresh_once_stamped(bilingual: PlaybookBuilder) -> None:
    unstamped = only(bilingual.check(), "PP903")
    assert unstamped.path == "policies/vision.en.md" and "translate --stamp" in unstamped.message
    stamp(bilingual, "policies/vision.en.md")
    assert "translation_of: {hash: " in (bilingual.root / "policies/vision.en.md").read_text(encoding="utf-8")
    assert not [d for d in bilingual.check().diagnostics if d.code == "PP903"]
    # A new review date is not new text: the translation stays fresh.
    original = bilingual.root / "policies/vision.md"
    original.write_text(original.read_text(encoding="utf-8").replace("2027-06-30", "2027-09-30"), encoding="utf-8")
    assert not [d for d in bilingual.check().diagnostics if d.code == "PP903"]
    original.write_text(original.read_text(encoding="utf-8").replace("Some text.", "New text."), encoding="utf-8")
    stale = only(bilingual.check(), "PP903")
    assert stale.path == "policies/vision.en.md" and stale.line == 4  # the translation_of line
    assert "'policies/vision.en.md'" in stale.message and "'policies/vision.md'" in stale.message
    stamp(bilingual, "policies/vision.en.md")
    assert not [d for d in bilingual.check().diagnostics if d.code == "PP903"]


def test_a_missing_translation_warns_unless_its_language_is_optional(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("charter.md", artifact_text("charter"))
    missing = only(bilingual.check(), "PP904")
    assert (missing.path, missing.severity.value) == ("policies/charter.md", "warning")
    assert "'policies/charter.en.md'" in missing.message and "new --translate" in missing.message
    bilingual.write("mkdocs.yml", BILINGUAL + "      optional_translations: [en]\n")
    assert not [d for d in bilingual.check().diagnostics if d.code == "PP904"]
    bilingual.write("mkdocs.yml", BILINGUAL + "      rules: {translation-missing: error}\n")
    assert only(bilingual.check(), "PP904").severity.value == "error"


def test_optional_translations_must_be_languages_of_the_playbook(bilingual: PlaybookBuilder) -> None:
    bilingual.write("mkdocs.yml", BILINGUAL + "      optional_translations: [fr]\n")
    result = CliRunner().invoke(cli, ["check", str(bilingual.root), "--no-cache"])
    assert result.exit_code == 2
    assert "'mkdocs.yml':5:" in result.output and "optional_translations" in result.output


def test_what_a_translation_writes_itself_is_checked_and_located_there(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact(
        "vision.en.md", ENGLISH_VISION + "\nWrite to jean.tremblay@gmail.com or see [this](../evidence/none.md).\n"
    )
    found = located(bilingual.check(), "policies/vision.en.md")
    assert ("PP702", "error", 10, 10) in found  # an e-mail address, in the translation's own text
    assert ("PP313", "error", 10, 41) in found  # a broken link of its body


def test_a_file_a_translation_links_to_is_published(bilingual: PlaybookBuilder) -> None:
    bilingual.write("evidence/minutes.en.md", "# Minutes (fictitious)\n")
    bilingual.artifact("vision.en.md", ENGLISH_VISION + "\nSee [the minutes](../evidence/minutes.en.md).\n")
    publication = bilingual.check().playbook.publication
    assert publication.file_for("evidence/minutes.en.md") is not None


def test_new_translate_starts_a_translation_that_warns_until_stamped(tmp_path: Path) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL)
    builder.artifact(
        "vision.md", artifact_text("vision", title="Notre vision", statement="Les usagers sont partenaires.")
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["new", str(tmp_path), "--translate", str(tmp_path / "policies/vision.md"), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "policies/vision.en.md" in result.output
    text = (tmp_path / "policies/vision.en.md").read_text(encoding="utf-8")
    assert "title: Notre vision\n" in text and "statement: Les usagers sont partenaires.\n" in text
    assert "lang: en\n" in text and "owner:" not in text and "# Test vision" in text
    checked = builder.check()
    assert [t.path for t in checked.playbook.translations] == ["policies/vision.en.md"]
    assert [d.code for d in checked.diagnostics if d.path == "policies/vision.en.md"] == ["PP903"]
    again = runner.invoke(
        cli, ["new", str(tmp_path), "--translate", str(tmp_path / "policies/vision.md"), "--lang", "en"]
    )
    assert again.exit_code == 1 and "policies/vision.en.md" in again.output
    assert (tmp_path / "policies/vision.en.md").read_text(encoding="utf-8") == text
    other = runner.invoke(
        cli, ["new", str(tmp_path), "--translate", str(tmp_path / "policies/vision.md"), "--lang", "de"]
    )
    assert other.exit_code == 2 and "'de'" in other.output  # not a language of the playbook
    no_lang = runner.invoke(cli, ["new", str(tmp_path), "--translate", str(tmp_path / "policies/vision.md")])
    assert no_lang.exit_code == 2 and "--lang" in no_lang.output


def test_stamping_keeps_the_rest_of_the_file_byte_for_byte(bilingual: PlaybookBuilder) -> None:
    stamp(bilingual, "policies/vision.en.md")
    first = (bilingual.root / "policies/vision.en.md").read_text(encoding="utf-8")
    assert first == ENGLISH_VISION.replace("---\n\n", first.split("\n")[3] + "\n---\n\n", 1)
    stamp(bilingual, "policies/vision.en.md")
    assert (bilingual.root / "policies/vision.en.md").read_text(encoding="utf-8") == first


def test_stamping_a_file_that_is_not_a_translation_exits_2(bilingual: PlaybookBuilder) -> None:
    result = CliRunner().invoke(
        cli, ["translate", "--stamp", "--root", str(bilingual.root), str(bilingual.root / "policies/vision.md")]
    )
    assert result.exit_code == 2 and "policies/vision.md" in result.output


def test_translation_diagnostics_speak_french_for_a_french_first_playbook(bilingual: PlaybookBuilder) -> None:
    bilingual.artifact("charter.md", artifact_text("charter"))
    with use_language("fr"):
        result = bilingual.check()
    assert only(result, "PP904").message.startswith(
        "«\xa0policies/charter.md\xa0» n'a pas de traduction en «\xa0en\xa0»"
    )
    assert only(result, "PP903").message.startswith("«\xa0policies/vision.en.md\xa0» ne dit pas quelle version")
    english = bilingual.check()
    assert only(english, "PP904").message.startswith("'policies/charter.md' has no 'en' translation")
