"""The tool speaks French and English: catalogs complete and compiled, diagnostics in every format, formats.

The catalog test extracts the messages from the code with Babel, as a translator would, so that a
message added without its translation fails here rather than reaching a French reader in English.
"""

from __future__ import annotations

import functools
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import check
from pptoolkit.cli import cli
from pptoolkit.i18n import LANGUAGES, LOCALES, SOURCE_LANGUAGE, _, current_language, use_language
from pptoolkit.i18n import formats as fmt
from pptoolkit.i18n.vocabulary import level_word, status_word

NBSP = "\u00a0"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


@functools.cache
def extracted() -> Catalog:
    """Every message of the package (and each rule's documentation), extracted with the project's babel.cfg.

    Extracted once for the session's three tests that read it (the code does not change while they run)."""
    catalog = Catalog()
    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    for _file, line, message, comments, context in extract_from_dir(REPO_ROOT, method_map, options_map):
        catalog.add(message, None, [(_file, line)], auto_comments=comments, context=context)
    return catalog


def catalog_of(language: str) -> Catalog:
    path = LOCALES / language / "LC_MESSAGES" / "pptoolkit.po"
    with path.open("rb") as handle:
        return read_po(handle)


def forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_no_message_hides_inside_an_f_string_where_babel_cannot_extract_it() -> None:
    import ast

    hidden = []
    for path in sorted((REPO_ROOT / "pptoolkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [
                    f"{path.relative_to(REPO_ROOT)}:{call.lineno}: {ast.unparse(call)}"
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in ("_", "gettext", "ngettext", "pgettext", "N_")
                    and any(isinstance(argument, ast.Constant) for argument in call.args)
                ]
    assert hidden == []


def test_the_rules_documentation_is_in_the_catalog_and_speaks_french() -> None:
    from pptoolkit.checking.rules import ALL, find

    documented = {forms(m.id)[0] for m in extracted() if m.id}
    assert [rule.code for rule in ALL if rule.doc not in documented] == []
    rule = find("PP401")
    assert rule is not None
    english = rule.summary
    with use_language("fr"):
        assert rule.summary.startswith("Aucun document en vigueur ne met en œuvre la pratique")
        assert rule.documentation.split("\n\n")[1].startswith(f"Pourquoi{NBSP}:")
    assert english.startswith("No current artifact implements the practice")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_code_is_translated(language: str) -> None:
    translations = catalog_of(language)
    messages = [m for m in extracted() if m.id]
    assert len(messages) > 300, "the extraction found too few messages: is the Babel config right?"
    problems = []
    for message in messages:
        found = translations.get(message.id, message.context)
        name = f"{message.context + ': ' if message.context else ''}{forms(message.id)[0]!r}"
        if found is None:
            problems.append(f"not in the catalog: {name}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {name}")
        elif not all(forms(found.string)):
            problems.append(f"not translated: {name}")
        else:
            wanted = set(PLACEHOLDER.findall(forms(message.id)[0]))
            for form in forms(found.string):
                if set(PLACEHOLDER.findall(form)) != wanted:
                    problems.append(f"placeholders differ: {name} → {form!r}")
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_holds_no_message_the_code_no_longer_has(language: str) -> None:
    wanted = {(m.context, forms(m.id)[0]) for m in extracted() if m.id}
    stale = [m.id for m in catalog_of(language) if m.id and (m.context, forms(m.id)[0]) not in wanted]
    assert stale == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_po_compiled(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog_of(language))
    shipped = (LOCALES / language / "LC_MESSAGES" / "pptoolkit.mo").read_bytes()
    assert shipped == compiled.getvalue(), "run: pybabel compile -d pptoolkit/i18n/locales -D pptoolkit"


ORDINARY_SPACE_IN_FRENCH_PUNCTUATION = re.compile(r"(?<=\S) [:;!?]|« | »")
"""An ordinary space before ``: ; ! ?`` or inside « »: a line may break there, leaving the sign alone at its start."""


def test_french_messages_never_put_an_ordinary_space_before_a_colon_or_inside_guillemets() -> None:
    """Quebec typography: a non-breaking space before ``:`` and inside « », none before ``; ! ?`` (as the catalog)."""
    found = [
        f"{forms(message.id)[0]!r} → {form!r}"
        for message in catalog_of("fr")
        if message.id
        for form in forms(message.string)
        if ORDINARY_SPACE_IN_FRENCH_PUNCTUATION.search(form)
    ]
    assert found == []
    with use_language("fr"):  # as a reader sees one
        assert _("Source file: {path}") == f"Fichier source{NBSP}: {{path}}"


def test_the_language_is_english_unless_chosen_and_comes_back_after_a_block() -> None:
    assert current_language() == "en"
    assert _("No problems found.") == "No problems found."
    with use_language("fr"):
        assert _("No problems found.") == "Aucun problème trouvé."
        with use_language(None):
            assert current_language() == "fr"
        with use_language("en"):
            assert _("No problems found.") == "No problems found."
    assert current_language() == "en"


def test_a_language_without_a_catalog_speaks_english() -> None:
    with use_language("iu"):
        assert _("No problems found.") == "No problems found."
        assert fmt.number(1234.5) == "1,234.5"


def test_levels_and_statuses_read_as_words_in_each_language() -> None:
    assert [level_word(level) for level in ("top", "mid", "front")] == ["top", "mid", "front"]
    assert status_word("no-owner") == "no-owner"
    with use_language("fr"):
        assert level_word("top") == "haute direction"
        assert status_word("no-owner") == "sans responsable"
        assert status_word("stale") == "à réviser"


# Localized formats


def test_french_numbers_money_percentages_and_dates() -> None:
    with use_language("fr"):
        assert fmt.money(62000, "CAD") == f"62{NBSP}000{NBSP}$"
        assert fmt.money(25.5, "CAD") == f"25,50{NBSP}$"
        assert fmt.percent(45) == f"45{NBSP}%"
        assert fmt.number(1234.5) == f"1{NBSP}234,5"
        assert fmt.long_date(date(2025, 6, 18)) == "18 juin 2025"


def test_english_numbers_money_percentages_and_dates() -> None:
    assert fmt.money(62000, "CAD") == "$62,000"
    assert fmt.percent(45) == "45%"
    assert fmt.long_date(date(2025, 6, 18)) == "June 18, 2025"


# Diagnostics in both languages, in every format


@pytest.fixture
def faulty(playbook: PlaybookBuilder) -> PlaybookBuilder:
    """A playbook whose artifact names an unknown practice and an unknown owner."""
    playbook.artifact(
        "vision.md",
        artifact_text("vision", implements="[D1, D9]", owner="chief-nurse"),
    )
    return playbook


ENGLISH = ("'D9' is not a practice of the matrix", "the owner 'chief-nurse' is not a role of", "practice D2")
FRENCH = (
    f"«{NBSP}D9{NBSP}» n'est pas une pratique de la matrice",
    f"le responsable «{NBSP}chief-nurse{NBSP}» n'est pas un rôle de",
    "la pratique D2",
)


def report(root: Path, output_format: str, *options: str) -> str:
    result = CliRunner().invoke(
        cli, ["check", str(root), "--format", output_format, "--today", TODAY.isoformat(), "--no-cache", *options]
    )
    assert result.exit_code == 1, result.output
    return result.output


def messages_of(output_format: str, output: str) -> str:
    """The people-facing text of a report, whatever its format, as one string."""
    if output_format == "json":
        return "\n".join(d["message"] for d in json.loads(output)["diagnostics"])
    if output_format == "sarif":
        return "\n".join(r["message"]["text"] for r in json.loads(output)["runs"][0]["results"])
    if output_format == "gitlab":
        return "\n".join(issue["description"] for issue in json.loads(output))
    if output_format == "junit":
        root = ET.fromstring(output)
        return "\n".join(
            " ".join(filter(None, [element.get("message"), element.text])) for element in root.iter() if element.tag
        )
    return output


@pytest.mark.parametrize("output_format", ["text", "github", "json", "sarif", "junit", "gitlab"])
def test_diagnostics_follow_lang_in_every_format(faulty: PlaybookBuilder, output_format: str) -> None:
    english = messages_of(output_format, report(faulty.root, output_format, "--lang", "en"))
    french = messages_of(output_format, report(faulty.root, output_format, "--lang", "fr"))
    for sentence in ENGLISH:
        assert sentence in english
        assert sentence not in french
    for sentence in FRENCH:
        assert sentence in french
        assert sentence not in english


def test_the_text_summary_speaks_french(faulty: PlaybookBuilder) -> None:
    faulty.artifact("ethics.md", artifact_text("ethics-clause", review_by="2026-01-01"))
    output = report(faulty.root, "text", "--lang", "fr")
    assert f" PP307 avertissement{NBSP}: «{NBSP}Test ethics clause{NBSP}» devait être révisé" in output
    assert f"Couverture{NBSP}: " in output
    assert "sans preuve" in output
    assert re.search(r"^\d+ erreurs et \d+ avertissements?\.$", output, re.MULTILINE)
    assert "Coverage:" not in output and "Found " not in output
    assert f" PP301 avertissement{NBSP}: " not in output and " PP301 «" in output


def test_a_french_playbook_is_checked_in_french_unless_asked_otherwise(faulty: PlaybookBuilder) -> None:
    faulty.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    assert FRENCH[0] in report(faulty.root, "text")
    assert ENGLISH[0] in report(faulty.root, "text", "--lang", "en")


def test_a_cached_answer_never_comes_back_in_the_other_language(faulty: PlaybookBuilder, tmp_path: Path) -> None:
    faulty.artifact("broken.md", "---\ntitle: a: b\n---\n")
    env = {"PPTOOLKIT_CACHE_DIR": str(tmp_path / "cache")}
    args = ["check", str(faulty.root), "--today", TODAY.isoformat()]
    first = CliRunner().invoke(cli, [*args, "--lang", "fr"], env=env).output
    second = CliRunner().invoke(cli, [*args, "--lang", "en"], env=env).output
    third = CliRunner().invoke(cli, [*args, "--lang", "fr"], env=env).output
    assert "mettez toute la valeur entre guillemets" in first
    assert "put the whole value in quotes" in second and "guillemets" not in second
    assert third == first


def test_check_from_python_follows_the_language_in_use(faulty: PlaybookBuilder) -> None:
    with use_language("fr"):
        french = check(faulty.root, TODAY)
    english = check(faulty.root, TODAY)
    assert any("n'est pas une pratique" in d.message for d in french.diagnostics)
    assert not any("n'est pas une pratique" in d.message for d in english.diagnostics)
    assert [d.code for d in french.diagnostics] == [d.code for d in english.diagnostics]


def test_the_matrix_command_speaks_french(faulty: PlaybookBuilder) -> None:
    args = ["matrix", str(faulty.root), "--today", TODAY.isoformat(), "--no-cache", "--lang", "fr"]
    output = CliRunner().invoke(cli, args).output
    assert "Concevoir le partenariat" in output and "  Haute direction" in output
    assert "Designing the PP" not in output and "Top-level managers" not in output


# The generated pages in French: no English label


def labels(markdown: str) -> list[str]:
    """The labels of a generated page: its title, headings, table headers, bold labels, first cells and badges."""
    found: list[str] = []
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("title: "):
            found.append(line.removeprefix("title: ").strip('"'))
        elif line.startswith("#"):
            found.append(re.sub(r"\s*\{[^}]*\}\s*$", "", line.lstrip("#").strip()))
        elif line.startswith("|") and index + 1 < len(lines) and lines[index + 1].startswith("|---"):
            found += [cell.strip() for cell in line.strip("|").split("|")]
        elif line.startswith("| ") and not line.startswith("|---"):
            found.append(line.strip("|").split("|")[0].strip())
        found += re.findall(r"\*\*([^*]+)\*\*", line)
        found += re.findall(r'<span class="pp-badge[^"]*">([^<]+)</span>', line)
        found += re.findall(r'<span class="pp-chip-status">([^<]+)</span>', line)  # the home page's entries
        found += re.findall(r'<p class="pp-legend-title">([^<]+)</p>', line)
        found += [item.strip() for item in re.findall(r'aria-hidden="true"></span>([^<:]+):', line)]  # legend
        found += re.findall(r'!!! \w+ "([^"]+)"', line)
    return [label for label in found if label]


def generated_part(path: str, content: str) -> str:
    """The page without the artifact's own body (written by the organization, in its language)."""
    if path.startswith("artifacts/") and path != "artifacts/index.md":
        return content[: content.rindex("</div>\n") + len("</div>\n")]
    return content


def english_labels() -> set[str]:
    """Every message of the French catalog that French writes otherwise: an English label to look for."""
    return {
        forms(m.id)[0]
        for m in catalog_of("fr")
        if m.id and not PLACEHOLDER.search(forms(m.id)[0]) and forms(m.string)[0] != forms(m.id)[0]
    }


@pytest.fixture(scope="module")
def french_pages() -> dict[str, str]:
    """Every generated page of the sample playbook, made in French."""
    from pptoolkit.publishing.pages import site_pages

    result = check(REPO_ROOT, TODAY)
    with use_language("fr"):
        return {page.path: page.content for page in site_pages(result)}


def test_no_english_label_appears_on_a_french_page(french_pages: dict[str, str]) -> None:
    english = english_labels()
    assert {"Owners", "Evidence", "No owner", "Practice matrix", "Field"} <= english
    found = {
        f"{path}: {label!r}"
        for path, content in french_pages.items()
        for label in labels(generated_part(path, content))
        if label in english or re.sub(r"\s*\(\d+\)$", "", label) in english
    }
    assert sorted(found) == []


def test_the_label_finder_sees_the_labels_of_an_english_page() -> None:
    from pptoolkit.publishing.pages import site_pages

    pages = {page.path: page.content for page in site_pages(check(REPO_ROOT, TODAY))}
    seen = set(labels(pages["gaps.md"])) | set(labels(pages["index.md"])) | set(labels(pages["artifacts/index.md"]))
    expected = {"Gaps and reviews", "Waivers", "Total", "Type of practice", "Review by", "No owner", "Legend"}
    assert expected <= seen


def test_french_labels_never_call_partnership_pp(french_pages: dict[str, str]) -> None:
    found = {
        f"{path}: {label!r}"
        for path, content in french_pages.items()
        for label in labels(generated_part(path, content))
        if re.search(r"\bPP\b", label) and not re.match(r"[A-Z]\d+\s*:", label)  # a practice's title is the study's
    }
    assert sorted(found) == []


def test_the_glossary_explains_the_abbreviations_in_each_language(french_pages: dict[str, str]) -> None:
    from pptoolkit.publishing.pages import glossary_page

    english = glossary_page(check(REPO_ROOT, TODAY)).content
    french = french_pages["glossary.md"]
    assert "# Glossary" in english and "**PA, patient advisor**" in english and "**QI**" in english
    assert "# Glossaire" in french
    for term in ("Partenariat patient", "Patient partenaire, usager partenaire", "Amélioration continue de la qualité"):
        assert f"**{term}**" in french
    assert "**Établissement**" in french
    assert "Concevoir le partenariat" in french and "Designing the PP" not in french


def test_a_french_page_shows_money_and_dates_as_a_french_reader_expects(french_pages: dict[str, str]) -> None:
    compensation = next(c for p, c in french_pages.items() if p.startswith("artifacts/") and "Taux" in c)
    assert re.search(rf"\d{NBSP}000{NBSP}\$", compensation), "an amount such as 62 000 $"
    assert re.search(r"au \d{1,2} novembre 2026", french_pages["index.md"])
    assert re.search(r"Au \d{1,2} novembre 2026\.", french_pages["gaps.md"])


ISO_DATE_CELL = re.compile(r"\|\s*\d{4}-\d{2}-\d{2}\s*\|")


def test_the_tables_of_the_pages_give_dates_as_a_reader_of_the_language_writes_them(
    french_pages: dict[str, str],
) -> None:
    """Metadata panels, evidence, reviews and the artifact lists: ``18 juin 2025``, ``June 18, 2025``; never ISO."""
    from pptoolkit.publishing.languages import in_language
    from pptoolkit.publishing.pages import site_pages

    with use_language("en"):
        english_pages = {page.path: page.content for page in site_pages(in_language(check(REPO_ROOT, TODAY), "en"))}
    for pages in (french_pages, english_pages):
        assert [path for path, content in pages.items() if ISO_DATE_CELL.search(generated_part(path, content))] == []
    vision = "artifacts/vision-patient-partnership.md"
    assert "| Approuvé le | 18 juin 2025 |" in french_pages[vision]
    assert "| Approved on | June 18, 2025 |" in english_pages[vision]
    assert re.search(r"^\| 18 juin 2025 \| \[", french_pages[vision], flags=re.MULTILINE)  # its evidence
    reviews = french_pages["practices/D1.md"].split("{ #reviews }")[1].split("\n## ")[0]
    assert "| 18 juin 2025 |" in reviews and "| 30 juin 2028 |" in reviews


# Scaffolds in French


def test_new_lang_fr_writes_a_french_template_under_the_french_file_name(playbook: PlaybookBuilder) -> None:
    args = ["new", "compensation-policy", str(playbook.root), "--owner", "pp-coordinator", "--lang", "fr"]
    result = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    path = playbook.root / "policies" / "compensation-policy" / "compensation-policy.fr.md"
    written = "policies/compensation-policy/compensation-policy.fr.md"
    assert result.output.startswith(f"Écrit {written} (une ébauche){NBSP}:")
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: Politique de rémunération\n" in text and "\nlang: fr\n" in text
    assert "# Les champs de ce document (politique de rémunération)" in text
    for heading in ("## Objet", "## Dépenses", "## Droit de refus"):
        assert f"\n{heading}\n\nTODO{NBSP}: " in text
    assert f"TODO{NBSP}: La rémunération des patients partenaires" in text
    assert "## Purpose" not in text and "Why the organization" not in text
    checked = check(playbook.root, TODAY)
    assert [d for d in checked.diagnostics if d.path.endswith(".fr.md") and d.is_error] == []


def test_new_writes_the_default_language_under_the_plain_file_name(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    args = ["new", "vision", str(playbook.root), "--owner", "director-general", "--today", TODAY.isoformat()]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert "\nlang: fr\n" in (playbook.root / "policies" / "vision" / "vision.md").read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, [*args, "--lang", "en", "--id", "our-vision"]).exit_code == 0
    english = (playbook.root / "policies" / "vision" / "our-vision.en.md").read_text(encoding="utf-8")
    assert "\nlang: en\n" in english and "TODO: The organization's vision" in english


def test_the_template_says_what_each_kind_is_as_its_docstring_does() -> None:
    from pptoolkit.authoring.new import PURPOSES
    from pptoolkit.model.artifacts import KINDS

    assert {kind: (model.__doc__ or "").strip().splitlines()[0] for kind, model in KINDS.items()} == PURPOSES


def test_init_lang_fr_starts_a_french_playbook(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "guide"), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Écrit mkdocs.yml" in result.output and "Ensuite" in result.output
    settings = (tmp_path / "guide" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: fr\n" in settings and "      languages: [fr]\n" in settings
    assert "  - Matrice des pratiques: matrix.md\n" in settings
    assert (tmp_path / "guide" / "content" / "about.md").read_text(encoding="utf-8").startswith("# À propos")
    readme = (tmp_path / "guide" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Notre guide du partenariat") and "@@" not in readme
    checked = CliRunner().invoke(cli, ["check", str(tmp_path / "guide"), "--today", TODAY.isoformat(), "--no-cache"])
    assert f"Couverture{NBSP}: 0 sur 25 pratiques couvertes" in checked.output


def test_the_calendar_speaks_french(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text("vision"))
    args = ["calendar", str(playbook.root), "--today", TODAY.isoformat()]
    french = CliRunner().invoke(cli, [*args, "--lang", "fr"]).output
    english = CliRunner().invoke(cli, args).output
    assert f"SUMMARY:Révision{NBSP}: Test vision" in french and "CATEGORIES:Révision" in french
    assert "SUMMARY:Review: Test vision" in english and "Révision" not in english


def test_the_paper_edition_speaks_the_language_in_use() -> None:
    from pptoolkit.publishing.paper import paper_html

    result = check(REPO_ROOT, TODAY)
    with use_language("fr"):
        french = paper_html(result)
    english = paper_html(result)
    assert '<html lang="fr">' in french and "Table des matières" in french and "Index des preuves" in french
    assert "Contents" not in french and "Coverage summary" not in french
    assert '<html lang="en">' in english and "Table des matières" not in english


def test_a_configuration_error_speaks_the_chosen_language(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, fr]\n")
    args = ["check", str(playbook.root), "--no-cache"]
    french = CliRunner().invoke(cli, [*args, "--lang", "fr"])
    english = CliRunner().invoke(cli, args)
    assert french.exit_code == english.exit_code == 2
    assert "'fr' figure deux fois" in french.output and "'fr' is listed twice" in english.output


def test_every_field_of_every_kind_has_a_label_for_its_page() -> None:
    import typing

    from pydantic import BaseModel

    from pptoolkit.model.artifacts import KINDS, Artifact
    from pptoolkit.publishing.pages import FIELD_LABELS

    names: set[str] = set()

    def fields_of(model: type[BaseModel], own: bool) -> None:
        for name, info in model.model_fields.items():
            if own and name in Artifact.model_fields:
                continue  # the contract's fields have the metadata panel's labels
            names.add(name)
            for outer in (info.annotation, *typing.get_args(info.annotation)):
                for inner in (outer, *typing.get_args(outer)):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        fields_of(inner, False)

    for model in KINDS.values():
        fields_of(model, True)
    assert sorted(names - set(FIELD_LABELS)) == []


# The matrix in two languages


def test_every_practice_of_the_study_has_a_french_title_that_never_says_pp() -> None:
    from pptoolkit.loading.playbook import load_matrix
    from pptoolkit.model.settings import load_settings

    matrix, diagnostics = load_matrix(REPO_ROOT, load_settings(REPO_ROOT))
    assert diagnostics == []
    assert len(matrix.practices) == 25
    for practice in matrix.practices:
        french = practice.title_in("fr")
        assert french != practice.title, practice.id
        assert not re.search(r"\bPP\b|\bPA\b|\bQI\b", french), (practice.id, french)
    d1 = matrix.get("D1")
    assert d1 is not None and d1.title_in("en") == d1.title
    assert (REPO_ROOT / "checks" / "matrix.yml").read_text(encoding="utf-8") == (
        REPO_ROOT / "pptoolkit" / "data" / "matrix.yml"
    ).read_text(encoding="utf-8")


def test_a_french_page_gives_the_translated_title_and_the_study_wording_in_english(
    french_pages: dict[str, str],
) -> None:
    d1 = french_pages["practices/D1.md"]
    assert "# D1: Adopter et maintenir une vision organisationnelle du partenariat patient" in d1
    assert "Titre traduit par le projet pptoolkit" in d1
    assert '<span lang="en">Adopt and maintain an organizational vision of the PP</span>' in d1
    assert "traduction du projet pptoolkit" in french_pages["matrix.md"]
    assert "Adopter et maintenir une vision organisationnelle" in french_pages["matrix.md"]


def test_an_english_page_shows_the_study_wording_without_a_translation_note() -> None:
    from pptoolkit.publishing.pages import matrix_page, practice_page

    result = check(REPO_ROOT, TODAY)
    d1 = result.coverage_of("D1")
    assert d1 is not None
    page = practice_page(result, d1).content
    assert "# D1: Adopt and maintain an organizational vision of the PP" in page and "lang=" not in page
    assert "translation" not in matrix_page(result).content
