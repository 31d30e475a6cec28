"""The editors' forms: Decap CMS's configuration is generated from the models, the registry and the matrix.

A kind, a field (at any depth) or a role missing from the configuration fails here, whatever kinds
and fields the models have: the tests walk the models, not a list of their own.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po
from playbook_support import REPO_ROOT, PlaybookBuilder, artifact_text
from pydantic import BaseModel

from pptoolkit.authoring.cms import cms_config, cms_config_yaml, entry_url, host_edit_url
from pptoolkit.loading.playbook import Playbook, load_playbook
from pptoolkit.loading.translations import translated_fields
from pptoolkit.model.artifacts import KINDS, Evidence
from pptoolkit.model.settings import ConfigError, Editor, load_settings
from pptoolkit.publishing.editor import MANUAL_INIT_SCRIPT, admin_page, admin_policy, editor_script, start_script

CATALOG = Path(__file__).resolve().parents[1] / "pptoolkit" / "i18n" / "locales" / "fr" / "LC_MESSAGES" / "pptoolkit.po"
GITHUB = Editor(backend="github", repo="example-org/playbook", host="https://github.com")
HOSTILE_TITLE = "Chair: \"Quality\" & <script>alert('x')</script> {{title}} #1 *alias &anchor !tag\n- injected: true"


def loaded(playbook: PlaybookBuilder) -> Playbook:
    return load_playbook(playbook.root, load_settings(playbook.root))


def config_of(playbook: PlaybookBuilder, editor: Editor = GITHUB) -> dict[str, Any]:
    """The configuration as the editor reads it: ``config.yml`` parsed back, safely, by libyaml (the quick loader)."""
    parsed: dict[str, Any] = yaml.load(cms_config_yaml(loaded(playbook), editor), Loader=yaml.CSafeLoader)
    return parsed


def collections_of(config: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in config["collections"] if c["filter"] == {"field": "kind", "value": kind}]


def field_named(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [f for f in fields if f["name"] == name]
    assert len(found) == 1, f"{name} is not a field of the form: {[f['name'] for f in fields]}"
    return found[0]


def missing_fields(model: type[BaseModel], fields: list[dict[str, Any]], where: str) -> list[str]:
    """Every field of ``model`` (and of the models inside it) that the form lacks, as a dotted path."""
    missing = []
    names = {f["name"]: f for f in fields}
    for name, info in model.model_fields.items():
        if name not in names:
            missing.append(f"{where}.{name}")
            continue
        nested = [a for a in _types(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        for inner in nested:
            spec = names[name]
            missing += missing_fields(inner, spec.get("fields", []), f"{where}.{name}")
    return missing


def _types(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", ())
    return [annotation, *(t for a in args for t in _types(a))]


def test_every_kind_has_a_collection_with_every_field_of_its_model(playbook: PlaybookBuilder) -> None:
    config = config_of(playbook)
    for kind, model in KINDS.items():
        found = collections_of(config, kind)
        assert found, f"kind {kind} has no collection"
        for collection in found:
            assert missing_fields(model, collection["fields"], kind) == []
            assert field_named(collection["fields"], "kind") == {
                "name": "kind",
                "label": "Kind",
                "widget": "hidden",
                "default": kind,
            }
            assert field_named(collection["fields"], "body")["widget"] == "markdown"


def test_a_missing_field_is_found_by_the_walk() -> None:
    every_field = [{"name": name} for name in Evidence.model_fields]
    evidence_without_date = [field for field in every_field if field["name"] != "date"]
    assert missing_fields(Evidence, every_field, "evidence") == []
    assert missing_fields(Evidence, evidence_without_date, "evidence") == ["evidence.date"]


def test_every_role_is_a_choice_of_every_field_that_holds_a_role_id(playbook: PlaybookBuilder) -> None:
    playbook.roles(
        "roles:\n"
        "  - {id: director-quality, title: Director of Quality, level: top}\n"
        "  - {id: pp-coordinator, title: Patient Partnership Coordinator, level: mid}\n"
        "  - {id: head-nurse, title: Head Nurse, level: front}\n"
    )
    expected = [
        {"label": "Director of Quality (director-quality)", "value": "director-quality"},
        {"label": "Patient Partnership Coordinator (pp-coordinator)", "value": "pp-coordinator"},
        {"label": "Head Nurse (head-nurse)", "value": "head-nurse"},
    ]
    config = config_of(playbook)
    role_fields = 0
    for collection in config["collections"]:
        model = KINDS[collection["filter"]["value"]]
        for name, info in model.model_fields.items():
            holds_role = name in ("owner", "approved_by", "managed_by") or "role id" in (info.description or "").lower()
            if holds_role:
                spec = field_named(collection["fields"], name)
                assert spec["widget"] == "select"
                assert spec["options"] == expected
                role_fields += 1
    assert role_fields >= len(KINDS) + 1  # every owner, and the registry's manager


def test_implements_is_a_multiple_choice_of_the_matrix_practices_with_their_titles(playbook: PlaybookBuilder) -> None:
    matrix = loaded(playbook).matrix
    vision = collections_of(config_of(playbook), "vision")[0]
    implements = field_named(vision["fields"], "implements")
    assert implements["widget"] == "select"
    assert implements["multiple"] is True
    assert implements["required"] is False
    assert implements["options"] == [{"label": f"{p.id} — {p.title}", "value": p.id} for p in matrix.practices]
    assert len(implements["options"]) == 25


def test_dates_are_dates_and_choices_are_selects(playbook: PlaybookBuilder) -> None:
    goal = collections_of(config_of(playbook), "strategic-goal")[0]["fields"]
    for name in ("review_by", "approved_on", "period_start", "period_end"):
        spec = field_named(goal, name)
        assert (spec["widget"], spec["format"], spec["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    assert field_named(goal, "approved_on")["required"] is False
    assert "required" not in field_named(goal, "review_by")
    assert field_named(goal, "status")["options"] == [
        {"label": s, "value": s} for s in ("draft", "approved", "retired")
    ]
    compensation = collections_of(config_of(playbook), "compensation-policy")[0]["fields"]
    assert field_named(compensation, "expenses_reimbursed")["widget"] == "boolean"
    rates = field_named(compensation, "rates")
    assert rates["widget"] == "list"
    amount = field_named(rates["fields"], "amount")
    assert (amount["widget"], amount["value_type"], amount["min"]) == ("number", "float", 0)
    assert field_named(rates["fields"], "unit")["options"] == ["hour", "half-day", "day", "meeting", "activity"]
    assert field_named(compensation, "budget")["widget"] == "object"
    mandate = collections_of(config_of(playbook), "mandate")[0]["fields"]
    responsibilities = field_named(mandate, "responsibilities")
    assert responsibilities["widget"] == "list"
    assert responsibilities["field"]["widget"] == "string"


def test_engagement_levels_are_choices_of_the_playbook_scale_and_left_out_when_optional(
    playbook: PlaybookBuilder,
) -> None:
    playbook.write(
        "mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      engagement_scale: [inform, consult, involve]\n"
    )
    config = config_of(playbook)
    vision = field_named(collections_of(config, "vision")[0]["fields"], "engagement")
    # An optional object whose fields Decap required would block saving any vision left without one.
    assert vision["required"] is False
    for name in ("target", "achieved"):
        level = field_named(vision["fields"], name)
        assert (level["widget"], level["options"], level["required"]) == (
            "select",
            ["inform", "consult", "involve"],
            False,
        )
    project = field_named(collections_of(config, "qi-project")[0]["fields"], "engagement")
    assert "required" not in project
    assert all("required" not in field for field in project["fields"])


def test_evidence_is_a_list_whose_link_is_a_file_picked_in_the_evidence_folder(playbook: PlaybookBuilder) -> None:
    playbook.artifact("designing/vision.md", artifact_text("vision").replace("../evidence", "../../evidence"))
    vision = collections_of(config_of(playbook), "vision")[0]
    assert vision["folder"] == "policies/designing"
    evidence = field_named(vision["fields"], "evidence")
    assert evidence["widget"] == "list"
    assert [f["name"] for f in evidence["fields"]] == list(Evidence.model_fields)
    link = field_named(evidence["fields"], "link")
    # The link is written relative to the artifact's file, as the checker resolves it.
    assert (link["widget"], link["media_folder"], link["public_folder"]) == ("file", "/evidence", "../../evidence")
    assert field_named(evidence["fields"], "date")["widget"] == "datetime"


def test_the_required_sections_are_the_starting_body(playbook: PlaybookBuilder) -> None:
    config = config_of(playbook)
    for kind, model in KINDS.items():
        body = field_named(collections_of(config, kind)[0]["fields"], "body")
        headings = re.findall(r"^## (.+)$", body.get("default", ""), flags=re.MULTILINE)
        assert headings == [section.en for section in model.sections], kind


def test_the_editor_writes_only_in_the_policies_folder_and_evidence(playbook: PlaybookBuilder) -> None:
    playbook.artifact("structuring/procedure-a.md", artifact_text("procedure"))
    playbook.artifact("operationalizing/procedure-b.md", artifact_text("procedure"))
    config = config_of(playbook)
    assert (config["media_folder"], config["publish_mode"]) == ("evidence", "editorial_workflow")
    for collection in config["collections"]:
        assert collection["folder"].startswith("policies/")
        assert ".." not in collection["folder"]
        assert collection["delete"] is False
    procedures = collections_of(config, "procedure")
    assert sorted(c["folder"] for c in procedures) == ["policies/operationalizing", "policies/structuring"]
    assert len({c["name"] for c in config["collections"]}) == len(config["collections"])
    # A kind with no artifact yet is filed where `pptoolkit new` files it.
    assert collections_of(config, "charter")[0]["folder"] == "policies/charter"


def test_every_title_is_escaped(playbook: PlaybookBuilder) -> None:
    playbook.roles(f"roles:\n  - id: chair\n    title: {yaml.safe_dump(HOSTILE_TITLE).strip()}\n    level: top\n")
    text = cms_config_yaml(loaded(playbook), GITHUB)
    config = yaml.safe_load(text)
    owner = field_named(collections_of(config, "vision")[0]["fields"], "owner")
    one_line = HOSTILE_TITLE.replace("\n", " ")
    assert owner["options"] == [{"label": f"{one_line} (chair)", "value": "chair"}]
    assert "injected" not in config
    assert not any(line.startswith("- injected") for line in text.splitlines())
    # Hints, which the editor renders as Markdown, show markup as text.
    vision = collections_of(config, "vision")[0]
    assert field_named(vision["fields"], "id")["hint"] == r"Unique slug of the artifact, e.g. \`vision-2026\`."


def test_in_several_languages_each_form_holds_the_original_and_its_translations(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    config = config_of(playbook)
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["fr", "en"], "default_locale": "fr"}
    for collection in config["collections"]:
        assert collection["i18n"] is True
        assert collection["slug"] == "{{id}}"
        assert field_named(collection["fields"], "lang")["default"] == "fr"
        model = KINDS[collection["filter"]["value"]]
        in_each_language = {f["name"] for f in collection["fields"] if f.get("i18n")}
        # What a translation writes itself is translated; every shared field is the original's alone (PP902).
        assert in_each_language == set(translated_fields(model)) - {"lang"} | {"body"}, model.kind
        assert {"title", "body"} <= in_each_language
        assert not in_each_language & {"id", "kind", "owner", "status", "review_by", "implements", "evidence"}
    rates = field_named(collections_of(config, "compensation-policy")[0]["fields"], "rates")
    assert all(inner["i18n"] is True for inner in rates["fields"])  # a translated list is translated as a whole


def test_the_admin_page_loads_the_script_that_keeps_the_original_named_name_md() -> None:
    page = admin_page(GITHUB, "Playbook", "fr")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    # Decap does not start by itself: start.js starts it once translations.js has wrapped its backend.
    assert scripts == ["manual-init.js", "decap-cms.js", "translations.js", "start.js"]
    assert '<html lang="fr">' in page


def test_the_entry_lists_name_statuses_and_folders_in_the_language_of_the_forms() -> None:
    """Decap shows a summary's values as the file holds them: no status there; the statuses are French filters."""
    config = cms_config(load_playbook(REPO_ROOT), GITHUB)  # the sample: French first, procedures in two folders
    for collection in config["collections"]:
        assert "status" not in collection["summary"], collection["name"]
        assert collection["view_filters"] == [
            {"label": "Ébauche", "field": "status", "pattern": "^draft$"},
            {"label": "Approuvé", "field": "status", "pattern": "^approved$"},
            {"label": "Retiré", "field": "status", "pattern": "^retired$"},
        ]
    procedures = sorted(c["label"] for c in collections_of(config, "procedure"))
    assert len(procedures) == 2 and all(label.startswith("Procédure (") for label in procedures)
    assert not any(folder in label for label in procedures for folder in ("operationalizing", "structuring"))
    assert "Procédure (Structurer le partenariat)" in procedures


PHRASES_HARNESS = r"""
const { readFileSync } = await import("node:fs");
const { runInThisContext } = await import("node:vm");
const [script, locales] = process.argv.slice(1);
const english = (await import(`${locales}/en/index.js`)).default;
const french = (await import(`${locales}/fr/index.js`)).default;
const registered = {};
const events = [];
globalThis.CMS = {
  getLocale: (name) => ({ fr: french, en: english })[name],
  registerLocale: (name, phrases) => { registered[name] = phrases; events.push(`registerLocale ${name}`); },
  init: () => events.push("init"),
};
globalThis.window = { CMS: globalThis.CMS };
runInThisContext(readFileSync(script, "utf8"));
const missing = [];
(function walk(from, into, path) {
  for (const key of Object.keys(from)) {
    if (typeof from[key] === "object") walk(from[key], (into || {})[key], `${path}${key}.`);
    else if (!into || into[key] === undefined) missing.push(`${path}${key}`);
  }
})(english, registered.fr || french, "");
const i18n = (registered.fr || french).editor.editorControlPane.i18n;
console.log(JSON.stringify({ registered: Object.keys(registered), missing, i18n, events }));
"""
UNUSED_BY_THE_FORMS = re.compile(
    r"editor\.editorNotesPane\.|ui\.toast\..*[Nn]ote|editor\.editorInterface\.toggleNotes|Forgejo"
)
"""Decap's phrases of features the forms leave off: notes on entries (``editor: {notes: true}``) and Forgejo."""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_decap_gets_in_french_every_phrase_its_french_lacks(tmp_path: Path, language: str) -> None:
    node, locales = shutil.which("node"), REPO_ROOT / "node_modules" / "decap-cms-locales" / "src"
    if node is None or not locales.is_dir():
        pytest.skip("Node.js and `npm ci` run Decap's locales here")
    script = tmp_path / "start.js"
    script.write_text(start_script(language), encoding="utf-8")
    done = subprocess.run(
        [node, "--input-type=module", "-e", PHRASES_HARNESS, str(script), locales.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    missing = [key for key in seen["missing"] if not UNUSED_BY_THE_FORMS.search(key)]
    if language == "en":  # the forms' language is English: Decap's French is left alone
        assert "fr" not in seen["registered"] and "editor.editorControlPane.i18n.copyFromLocale" in missing
        assert seen["events"][-1] == "init"
        return
    assert seen["registered"] == ["fr"] and missing == []
    assert seen["events"] == ["registerLocale fr", "init"]  # Decap starts with its phrases complete, and once
    assert b"\nwindow.CMS_MANUAL_INIT = true;\n" in editor_script(MANUAL_INIT_SCRIPT)  # loaded before Decap
    assert seen["i18n"] == {
        "writingInLocale": "Écrire en %{locale}",  # Decap's own, kept
        "copyFromLocale": "Remplir à partir d'une autre langue",
        "copyFromLocaleConfirm": "Voulez-vous remplir les champs à partir de la langue %{locale}?\n"
        "Tout le contenu actuel sera remplacé.",
    }


def test_in_one_language_the_language_is_preset_to_it(playbook: PlaybookBuilder) -> None:
    vision = collections_of(config_of(playbook), "vision")[0]
    assert field_named(vision["fields"], "lang")["default"] == "en"


def test_the_backend_names_the_git_host_repository_and_branch(playbook: PlaybookBuilder) -> None:
    github = cms_config(loaded(playbook), GITHUB)["backend"]
    assert (github["name"], github["repo"], github["branch"]) == ("github", "example-org/playbook", "main")
    gitlab = Editor(
        backend="gitlab", repo="quality/playbook", branch="trunk", host="https://git.cisss.example", app_id="abc123"
    )
    backend = cms_config(loaded(playbook), gitlab)["backend"]
    assert backend == backend | {
        "name": "gitlab",
        "repo": "quality/playbook",
        "branch": "trunk",
        "auth_type": "pkce",
        "app_id": "abc123",
        "api_root": "https://git.cisss.example/api/v4",
        "base_url": "https://git.cisss.example",
    }
    assert cms_config(loaded(playbook), gitlab)["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}


def test_an_artifact_has_an_entry_in_the_editor_and_on_the_git_host(playbook: PlaybookBuilder) -> None:
    playbook.artifact("designing/our-vision.md", artifact_text("vision").replace("../evidence", "../../evidence"))
    assert entry_url(loaded(playbook), "policies/designing/our-vision.md") == "#/collections/vision/entries/our-vision"
    assert entry_url(loaded(playbook), "policies/designing/none.md") is None
    # An original named NAME.<default>.md is the entry NAME, as Decap groups a file per language.
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    playbook.artifact("designing/charter.fr.md", artifact_text("charter").replace("../evidence", "../../evidence"))
    assert entry_url(loaded(playbook), "policies/designing/charter.fr.md") == "#/collections/charter/entries/charter"
    # A translation's page opens the same entry: the form shows the original beside it.
    playbook.artifact("designing/charter.en.md", "---\ntitle: Our charter\n---\n# Our charter\n\nText.\n")
    assert [t.path for t in loaded(playbook).translations] == ["policies/designing/charter.en.md"]
    assert entry_url(loaded(playbook), "policies/designing/charter.en.md") == "#/collections/charter/entries/charter"
    gitlab = Editor(backend="gitlab", repo="quality/playbook", host="https://gitlab.com")
    assert (
        host_edit_url(gitlab, "policies/designing/our-vision.md")
        == "https://gitlab.com/quality/playbook/-/edit/main/policies/designing/our-vision.md"
    )
    assert (
        host_edit_url(GITHUB, "policies/designing/our-vision.md")
        == "https://github.com/example-org/playbook/edit/main/policies/designing/our-vision.md"
    )


def test_the_admin_page_has_its_own_policy_and_is_not_indexed() -> None:
    page = admin_page(GITHUB, 'CISSS <"Vallée">')
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "<title>Editor · CISSS &lt;&quot;Vallée&quot;&gt;</title>" in page
    policy = admin_policy(GITHUB)
    assert "default-src 'none'" in policy
    assert "connect-src 'self' blob: https://api.github.com http://127.0.0.1:8081" in policy
    assert "'unsafe-inline'" not in policy.split("style-src")[0]  # never for script
    assert "form-action 'none'" in policy
    gitlab = admin_policy(Editor(backend="gitlab", repo="a/b", host="https://git.cisss.example", local_port=9000))
    assert "connect-src 'self' blob: https://git.cisss.example http://127.0.0.1:9000" in gitlab


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{backend: bitbucket, repo: a/b}", "editor.backend: expected one of github, gitlab, got 'bitbucket'"),
        ("{backend: github}", "'repo' is required"),
        ("{backend: [github], repo: a/b}", "editor.backend: expected one of github, gitlab, got ['github']"),
        ("{backend: github, repo: [a, b]}", "expected the repository as owner/name, got ['a', 'b']"),
        ("{backend: github, repo: just-a-name}", "expected the repository as owner/name"),
        ("{backend: github, repo: a/../b}", "expected the repository as owner/name"),
        ("{backend: gitlab, repo: a/b, host: 'http://git.example'}", "expected an https:// address"),
        ("{backend: gitlab, repo: a/b, host: 'https://git.example/path'}", "expected an https:// address"),
        ("{backend: github, repo: a/b, branch: '../main'}", "is not a branch name"),
        ("{backend: github, repo: a/b, local_port: 0}", "expected a positive whole number"),
        ("{backend: github, repo: a/b, token: x}", "unknown option 'token'"),
        ("github", "expected 'name: value' settings"),
    ],
)
def test_a_bad_editor_entry_is_a_configuration_error(playbook: PlaybookBuilder, entry: str, message: str) -> None:
    playbook.write("mkdocs.yml", f"site_name: Test\nplugins:\n  - pptoolkit:\n      editor: {entry}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(playbook.root)


def test_a_good_editor_entry_gets_the_hosts_address(playbook: PlaybookBuilder) -> None:
    playbook.write(
        "mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      editor: {backend: gitlab, repo: g/sub/p}\n"
    )
    assert load_settings(playbook.root).editor == Editor(
        backend="gitlab", repo="g/sub/p", branch="main", host="https://gitlab.com"
    )


def test_a_content_file_under_admin_is_an_error_and_not_published(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\n")
    playbook.artifact("vision.md")
    playbook.write("content/admin/config.yml", "backend: {name: github, repo: attacker/repo}\n")
    playbook.write("content/admin/notes.md", "# Notes\n")
    result = playbook.check()
    refused = sorted(d.path for d in result.diagnostics if d.code == "PP310")
    assert refused == ["content/admin/config.yml", "content/admin/notes.md"]
    assert not any(f.site_path.startswith("admin/") for f in result.playbook.publication.files)


def field_texts(fields: list[dict[str, Any]], where: str = "") -> dict[str, tuple[str, str | None]]:
    """Every field at any depth, by its dotted path: (label, hint)."""
    found: dict[str, tuple[str, str | None]] = {}
    for field in fields:
        path = f"{where}{field['name']}"
        found[path] = (field["label"], field.get("hint"))
        found |= field_texts(field.get("fields", []) + ([field["field"]] if "field" in field else []), f"{path}.")
    return found


def test_a_french_playbook_has_french_forms(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    config = config_of(playbook)
    assert config["locale"] == "fr"  # Decap's own buttons and messages
    vision = collections_of(config, "vision")[0]
    assert (vision["label"], vision["description"]) == (
        "Vision",
        "La vision du partenariat patient de l'organisation (pratique D1).",
    )
    assert collections_of(config, "compensation-policy")[0]["label_singular"] == "Politique de rémunération"
    owner = field_named(vision["fields"], "owner")
    assert (owner["label"], owner["hint"]) == (
        "Responsable",
        "Id d'un rôle du registre des rôles \\(jamais le nom d'une personne\\).",
    )
    assert field_named(vision["fields"], "review_by")["label"] == "À réviser au plus tard le"
    assert field_named(vision["fields"], "status")["options"][0] == {"label": "ébauche", "value": "draft"}
    practices = field_named(vision["fields"], "implements")
    assert practices["label"] == "Pratiques"
    matrix = loaded(playbook).matrix
    assert practices["options"][0] == {"label": f"D1 — {matrix.practices[0].title_in('fr')}", "value": "D1"}
    assert "Adopter et maintenir une vision" in practices["options"][0]["label"]
    framework = field_named(collections_of(config, "reference-framework")[0]["fields"], "body")["default"]
    headings = re.findall(r"^## (.+)$", framework, flags=re.MULTILINE)
    assert headings == [section.fr for section in KINDS["reference-framework"].sections]
    assert headings != [section.en for section in KINDS["reference-framework"].sections]
    charter = collections_of(config, "charter")[0]
    assert field_named(charter["fields"], "body")["label"] == "Texte"


def test_every_label_and_hint_of_the_forms_is_in_the_french_catalog(playbook: PlaybookBuilder) -> None:
    english_collections = config_of(playbook)["collections"]
    english = {c["name"]: field_texts(c["fields"]) for c in english_collections}
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    french_collections = config_of(playbook)["collections"]
    french = {c["name"]: field_texts(c["fields"]) for c in french_collections}
    with CATALOG.open("rb") as po:
        catalog = {m.id for m in read_po(po) if m.id and m.string}
    untranslated = [
        f"{theirs['name']}: description {theirs['description']!r}"
        for theirs, ours in zip(english_collections, french_collections, strict=True)
        if theirs["description"] == ours["description"] or theirs["label_singular"] not in catalog
    ]
    for name, fields in english.items():
        for path, (label, hint) in fields.items():
            if label not in catalog:
                untranslated.append(f"{name}.{path}: label {label!r}")
            if hint is not None and hint == french[name][path][1]:
                untranslated.append(f"{name}.{path}: hint {hint!r}")
    assert untranslated == []


def test_an_original_named_as_decap_names_it_is_the_original_of_its_translation(playbook: PlaybookBuilder) -> None:
    """``vision.fr.md`` (Decap's name for the French original, the issue's own example) pairs with ``vision.en.md``."""
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      languages: [fr, en]\n")
    playbook.artifact("vision.fr.md", artifact_text("vision", title="Notre vision"))
    playbook.artifact(
        "vision.en.md", "---\ntitle: Our vision\nstatement: Patients are partners.\n---\n# Our vision\n\nText.\n"
    )
    result = playbook.check()
    assert [a.path for a in result.playbook.artifacts] == ["policies/vision.fr.md"]
    assert [(t.path, t.original) for t in result.playbook.translations] == [
        ("policies/vision.en.md", "policies/vision.fr.md")
    ]
    problems = {(d.path, d.code) for d in result.diagnostics if d.path and d.path.startswith("policies/vision")}
    # The pair is one artifact: no unknown language, no orphan, no disagreement; only the missing stamp (PP903).
    assert problems == {("policies/vision.en.md", "PP903")}
