"""Where each page and file goes in a site of several languages, and how a page names itself in the others."""

from __future__ import annotations

from pathlib import Path

from playbook_support import artifact_text, make_playbook

from pptoolkit.loading.publication import Kind, PublishedFile
from pptoolkit.model.settings import Settings
from pptoolkit.publishing.languages import alternates, files_in_language, in_language

BILINGUAL = Settings(languages=("fr", "en"))


def content(site_path: str) -> PublishedFile:
    return PublishedFile(site_path, site_path, Kind.MARKDOWN, "# x\n", site_path, content_page=True)


def test_a_page_names_itself_in_each_tree_relative_to_where_it_is() -> None:
    assert alternates("matrix.html", "fr", BILINGUAL) == [("fr", "matrix.html"), ("en", "en/matrix.html")]
    assert alternates("practices/D1.html", "fr", BILINGUAL)[1] == ("en", "../en/practices/D1.html")
    assert alternates("practices/D1.html", "en", BILINGUAL) == [
        ("fr", "../../practices/D1.html"),
        ("en", "../../en/practices/D1.html"),
    ]


def test_each_tree_takes_its_language_s_content_page_or_the_default_one() -> None:
    files = (content("about.md"), content("about.en.md"), content("tags.md"), content("v1.2.md"))
    french = {path: (published.source, shown) for path, published, shown in files_in_language(files, "fr", BILINGUAL)}
    english = {path: (published.source, shown) for path, published, shown in files_in_language(files, "en", BILINGUAL)}
    assert french == {"about.md": ("about.md", False), "tags.md": ("tags.md", False), "v1.2.md": ("v1.2.md", False)}
    assert english == {"about.md": ("about.en.md", False), "tags.md": ("tags.md", True), "v1.2.md": ("v1.2.md", True)}


def test_readers_of_a_language_see_the_translation_and_the_shared_coverage(tmp_path: Path) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", "site_name: T\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    builder.artifact("vision.md", artifact_text("vision", title="Notre vision"))
    builder.artifact("vision.en.md", "---\ntitle: Our vision\n---\n\n# Our vision\n")
    builder.roles(
        "roles:\n  - id: director-general\n    title: Directrice générale\n    titles: {en: Director General}\n"
        "    level: top\n"
    )
    result = builder.check()
    english = in_language(result, "en")
    assert [a.model.title for a in english.playbook.artifacts] == ["Our vision"]
    assert english.playbook.roles["director-general"].model.title == "Director General"
    assert [a.model.title for a in english.coverage_of("D1").artifacts] == ["Our vision"]  # type: ignore[union-attr]
    assert [c.status for c in english.coverage] == [c.status for c in result.coverage]
    assert english.diagnostics == result.diagnostics
    assert in_language(result, "fr") is result
    assert [a.model.title for a in result.playbook.artifacts] == ["Notre vision"]  # the check itself is unchanged
