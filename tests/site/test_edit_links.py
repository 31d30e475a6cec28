"""An artifact's "Edit this page" links, in the page's language (plain functions over a small playbook)."""

from __future__ import annotations

from playbook_support import PlaybookBuilder, artifact_text

from pptoolkit.i18n import use_language
from pptoolkit.publishing.pages import artifact_page

EDITOR = "site_name: Test\nplugins:\n  - pptoolkit:\n      editor: {backend: github, repo: example-org/playbook}\n"


def test_the_edit_links_speak_the_pages_language(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write("mkdocs.yml", EDITOR)
    small_playbook.artifact("vision.md", artifact_text("vision"))
    result = small_playbook.check()
    [vision] = result.playbook.artifacts
    english = artifact_page(result, vision).content
    with use_language("fr"):
        french = artifact_page(result, vision).content
    assert '<p class="pp-edit" markdown>**Edit this page:** <a href="../admin/index.html#/collections/' in english
    assert ">in the editor</a> · [on GitHub](<https://github.com/example-org/playbook/edit/" in english
    assert "**Modifier cette page\u00a0:** <a href=" in french
    assert ">dans l&#x27;éditeur</a> · [sur GitHub](<https://github.com/" in french
