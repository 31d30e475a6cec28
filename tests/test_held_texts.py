"""A check holds no artifact's text once the rules that read it have their answers; publishing reads it again.

At 5,000 artifacts the texts are 17 MB of a check's memory. Each artifact's per-file answers
(``checking/per_file.py``) are computed as it is loaded, and its text is let go of; the site and
the paper edition read it again when they publish it, and refuse a text that is not the one checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from playbook_support import TODAY, PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import check
from pptoolkit.reading.documents import TextChanged

PAGE = "# About\n\nA page of the site (fictitious).\n"


@pytest.fixture
def with_a_page(small_playbook: PlaybookBuilder) -> PlaybookBuilder:
    small_playbook.write("policies/vision.md", artifact_text(body="# Vision\n\nSee [about](../docs/about.md).\n"))
    small_playbook.write("docs/about.md", PAGE)
    return small_playbook


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cold-cache"])
def test_an_artifact_changed_after_a_first_check_is_never_published(
    with_a_page: PlaybookBuilder, use_cache: bool
) -> None:
    """Even the first check (nothing cached) keeps no artifact's text: one edited after it is refused, not published."""
    result = check(with_a_page.root, TODAY, use_cache=use_cache)
    with_a_page.write("policies/vision.md", artifact_text(body="# Vision\n\nCall 514-555-0199.\n"))
    with pytest.raises(TextChanged, match="changed after it was checked"):
        result.playbook.read_texts()


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cold-cache"])
def test_a_page_changed_after_a_first_check_is_published_as_it_was_checked(
    with_a_page: PlaybookBuilder, use_cache: bool
) -> None:
    """A published file keeps its text (a few hundred kilobytes in all): the site publishes the text checked."""
    result = check(with_a_page.root, TODAY, use_cache=use_cache)
    with_a_page.write("docs/about.md", "# About\n\nCall 514-555-0199.\n")
    result.playbook.read_texts()
    assert {p.text for p in result.playbook.publication.files if p.source.endswith("about.md")} == {PAGE}


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cold-cache"])
def test_the_texts_let_go_of_are_published_as_they_were_checked(with_a_page: PlaybookBuilder, use_cache: bool) -> None:
    """An unchanged file is read again when published: the artifact's body and the page are the texts checked."""
    result = check(with_a_page.root, TODAY, use_cache=use_cache)
    result.playbook.read_texts()
    (artifact,) = result.playbook.artifacts
    assert artifact.document.text == (with_a_page.root / "policies/vision.md").read_text(encoding="utf-8")
    assert artifact.document.body.strip() == "# Vision\n\nSee [about](../docs/about.md)."
    pages = {p.site_path: p.text for p in result.playbook.publication.files if p.source.endswith("about.md")}
    assert pages == {"about.md": PAGE, "files/docs/about.md": PAGE}


def test_positions_found_after_the_text_was_let_go_of_are_those_of_the_file(small_playbook: PlaybookBuilder) -> None:
    """A rule that reports a key after loading (an unknown owner) finds its line by reading the file again."""
    small_playbook.write("policies/vision.md", artifact_text(owner="nobody-here"))
    for use_cache in (False, True):
        found = [(d.code, d.line, d.column) for d in check(small_playbook.root, TODAY, use_cache=use_cache).diagnostics]
        assert ("PP302", 5, 1) in found, found


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cold-cache"])
def test_an_original_edited_while_its_translation_is_checked_is_judged_as_it_was_read(
    small_playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    """Whether a translation is up to date (PP903) is judged on the original's text that was checked.

    That rule runs once every file is loaded: an original saved in the meantime stopped the check with
    "the file changed after it was checked" when its text had been let go of and was read again.
    """
    from click.testing import CliRunner

    from pptoolkit.cli import cli
    from pptoolkit.loading import translations

    small_playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    small_playbook.write("policies/vision.md", artifact_text(body="# Notre vision\n\nTexte.\n"))
    small_playbook.write("policies/vision.en.md", "---\ntitle: Our vision\n---\n\n# Our vision\n\nText.\n")
    root = small_playbook.root
    command = ["translate", "--stamp", "--root", str(root), str(root / "policies/vision.en.md")]
    stamped = CliRunner().invoke(cli, command)
    assert stamped.exit_code == 0, stamped.output
    attach = translations.attach_translations

    def saved_meanwhile(*args: object) -> None:
        small_playbook.write("policies/vision.md", artifact_text(body="# Notre vision\n\nUn autre texte.\n"))
        attach(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(translations, "attach_translations", saved_meanwhile)
    result = check(small_playbook.root, TODAY, use_cache=use_cache)
    assert [t.path for t in result.playbook.translations] == ["policies/vision.en.md"]
    assert "PP903" not in {d.code for d in result.diagnostics}


@pytest.mark.parametrize("use_cache", [False, True], ids=["no-cache", "cold-cache"])
def test_an_artifact_saved_while_it_is_checked_is_checked_again_as_saved(
    small_playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    """A rule that reports a key once every file is loaded (an unknown owner) reads the file again for its line.

    Saved in the meantime, the file is no longer the text checked: the check starts over and reports the
    file as saved (the owner now on line 6), where it stopped with "the file changed after it was checked".
    """
    import pptoolkit.loading.playbook as loading

    small_playbook.write("policies/vision.md", artifact_text(owner="nobody-here"))
    plan = loading.publication_of
    saves = []

    def saved_meanwhile(playbook: Any) -> Any:
        if not saves:
            saved = artifact_text(owner="nobody-here").replace("owner:", "summary: Saved meanwhile.\nowner:")
            saves.append(small_playbook.write("policies/vision.md", saved))
        return plan(playbook)

    monkeypatch.setattr(loading, "publication_of", saved_meanwhile)
    found = [(d.code, d.line) for d in check(small_playbook.root, TODAY, use_cache=use_cache).diagnostics]
    assert ("PP302", 6) in found, found
