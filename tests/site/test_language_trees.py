"""Where each page and file goes in a site of several languages, and how a page names itself in the others."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from editor_support import invoke
from playbook_support import artifact_text, make_playbook

from pptoolkit.i18n import use_language
from pptoolkit.loading.publication import Kind, PublishedFile
from pptoolkit.model.settings import ConfigError, Settings, load_settings
from pptoolkit.publishing.languages import alternates, files_in_language, in_language, tag_label
from pptoolkit.publishing.pages import allowed_tags

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


BILINGUAL_ENTRY = "site_name: Carnet\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n"


def test_the_site_has_a_name_in_each_language(tmp_path: Path) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL_ENTRY + "      site_names: {en: Playbook}\n")
    settings = load_settings(builder.root)
    assert (settings.site_name_in("fr"), settings.site_name_in("en")) == ("Carnet", "Playbook")
    builder.artifact("vision.md", artifact_text("vision"))
    result = builder.check()
    assert in_language(result, "en").playbook.settings.site_name == "Playbook"  # the home page's title, the calendar's
    assert result.playbook.settings.site_name == "Carnet"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("{de: Spielbuch}", "plugins.pptoolkit.site_names.de: 'de' is not a language of the playbook other than"),
        ("{fr: Carnet}", "the default language's name is mkdocs.yml's site_name"),
        ("{en: ''}", "plugins.pptoolkit.site_names.en: expected the site's name, one line of text, got ''"),
        ("{English: Playbook}", "'English' is not a language code"),
        ("[en, Playbook]", "plugins.pptoolkit.site_names: expected 'name: value' settings"),
    ],
)
def test_a_site_name_for_a_language_the_playbook_does_not_have_is_a_located_error(
    tmp_path: Path, names: str, message: str
) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL_ENTRY + f"      site_names: {names}\n")
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings(builder.root)
    if names.startswith("{"):  # located at the language or the name, on the line of site_names
        assert str(raised.value).startswith("'mkdocs.yml':5:"), raised.value


def test_the_site_has_a_description_in_each_language(tmp_path: Path) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL_ENTRY + "      site_descriptions: {en: The partnership playbook}\n")
    settings = load_settings(builder.root)
    assert (settings.site_description_in("en"), settings.site_description_in("fr")) == (
        "The partnership playbook",
        None,
    )


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ("{de: Spiel}", "plugins.pptoolkit.site_descriptions.de: 'de' is not a language of the playbook other than"),
        ("{fr: Carnet}", "the default language's description is mkdocs.yml's site_description"),
        (
            "{en: ''}",
            "plugins.pptoolkit.site_descriptions.en: expected the site's description, one line of text, got ''",
        ),
        ("{English: Playbook}", "'English' is not a language code"),
        ("[en, Playbook]", "plugins.pptoolkit.site_descriptions: expected 'name: value' settings"),
    ],
)
def test_a_site_description_for_a_language_the_playbook_does_not_have_is_a_located_error(
    tmp_path: Path, texts: str, message: str
) -> None:
    builder = make_playbook(tmp_path)
    builder.write("mkdocs.yml", BILINGUAL_ENTRY + f"      site_descriptions: {texts}\n")
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings(builder.root)
    assert str(raised.value).startswith("'mkdocs.yml':5:"), raised.value  # at the language or the text, or the option
    checked = invoke("check", str(builder.root), "--lang", "en")
    assert checked.exit_code == 2
    assert checked.stderr.startswith("pptoolkit: error: 'mkdocs.yml':"), checked.stderr  # the file, with the line
    assert message in checked.stderr and "Traceback" not in checked.stderr


def test_every_tag_of_the_generated_pages_has_distinct_words_in_each_language() -> None:
    for language, designing, top in (
        ("en", "Designing the PP", "Top-level"),
        ("fr", "Concevoir le partenariat", "Haute direction"),
    ):
        with use_language(language):
            labels = [tag_label(tag) for tag in allowed_tags()]
            assert (tag_label("designing"), tag_label("top-level")) == (designing, top)
            assert tag_label("our-own-tag") == "our-own-tag"  # a tag of the playbook's own, as written
        assert len(set(labels)) == len(labels), language  # two values never merge into one tag
        assert all(label[:1].isupper() for label in labels), labels
