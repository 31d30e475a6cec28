"""The editors' forms: the configuration of Decap CMS, generated from the models the checker uses.

Nothing here is written by hand: one collection per kind (and per folder where the playbook keeps
that kind), each field of the kind's pydantic model with the widget its type calls for (dates as
dates, choices as selects, lists of items as lists), the roles of the registry as the choices of
every field that holds a role id, the matrix's practices as the choices of ``implements``, evidence
as a list whose link is a file picked in ``evidence/``, the engagement scale's levels as the choices of
``engagement``, and the kind's required sections as the starting body. An optional object's fields are
optional in the form (Decap would otherwise ask for them even when the object is left out). A field
added to a model appears in the form without code of its own.

The forms speak the playbook's default language (labels, hints, kind names, practice and role
titles come from the tool's gettext catalog and the playbook's own titles; Decap's own words from its
locale). In a playbook of several languages, each form shows the original beside its translations
(Decap's ``i18n: multiple_files``): the fields a translation writes itself (title, summary, the kind's
text fields, the body) are translated, every other one is the original's alone and never written into
a translation. Decap names every language's file ``NAME.LANG.md``; the admin page's
``translations.js`` maps the original's name to the playbook's ``NAME.md``.

Every text that comes from the playbook (role titles, practice titles) ends up in the configuration
as data: the file is written by a YAML emitter (quoted as needed), and each text is made plain
(no line breaks, no control characters; in the hints, which the editor renders as Markdown, HTML and
Markdown markup escaped). The editor can write only inside the policies folder and ``evidence/``.
"""

from __future__ import annotations

import html
import posixpath
import re
import types
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from pptoolkit.i18n import LANGUAGES, N_, _, use_language
from pptoolkit.i18n.vocabulary import FIELD_LABELS, artifact_status_word
from pptoolkit.loading.playbook import Playbook
from pptoolkit.loading.translations import is_multilingual, split_language, translated_fields
from pptoolkit.model.artifacts import KINDS, SLUG, Artifact, Engagement, Evidence
from pptoolkit.model.artifacts import STATUSES as ARTIFACT_STATUSES
from pptoolkit.model.matrix import TYPE_TITLES
from pptoolkit.model.settings import Editor

ADMIN_DIR = "admin"
"""Where the editor lives in the site: ``admin/index.html``, its script and ``config.yml``."""
EVIDENCE_DIR = "evidence"
"""The one folder the editor uploads files to, at the playbook's root."""
ROLE_FIELDS = frozenset({"owner", "approved_by", "managed_by"})
"""Fields that hold a role id; any other field whose description says "role id" is one too."""
PRACTICE_FIELDS = frozenset({"implements"})
"""Fields that hold practice ids of the matrix."""
LANGUAGE_FIELD = "lang"
"""The field that says an artifact's language: the playbook's default language unless the editor says otherwise."""
DATE_FORMAT = "YYYY-MM-DD"
PATTERN_HINTS = {SLUG: N_("lowercase letters, digits and hyphens, such as vision-2026")}
"""What the form says when a text does not match its pattern."""
CONTRACT_LABELS: dict[str, str] = {
    "id": N_("Id"),
    "kind": N_("Kind"),
    "title": N_("Title"),
    "owner": N_("Owner"),
    "status": N_("Status"),
    "approved_on": N_("Approved on"),
    "review_by": N_("Review by"),
    "implements": N_("Practices"),
    "evidence": N_("Evidence"),
    "lang": N_("Language"),
    "approved_by": N_("Approved by"),
    "co_constructed_with": N_("Made with"),
    "engagement": N_("Engagement"),
    "link": N_("Link"),
    "signed_by": N_("Signed by"),
    "target": N_("Target"),
    "achieved": N_("Achieved"),
}
"""The labels of the front matter contract's fields and of evidence and engagement (the kinds' own fields have
the labels of their pages)."""
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~#])")


@dataclass(frozen=True)
class Choices:
    """The choices a form offers: roles and practices, each as (value, label), and the engagement scale's levels."""

    roles: tuple[tuple[str, str], ...]
    practices: tuple[tuple[str, str], ...]
    levels: tuple[str, ...] = ()


def plain(text: str) -> str:
    """``text`` on one line, without control characters: a label that cannot break the form or the file."""
    kept = (" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(text))
    return " ".join("".join(c for c in kept if unicodedata.category(c) != "Cf").split())


def hint_text(text: str) -> str:
    """A plain text for a hint, which the editor renders as Markdown: no markup, no HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(plain(text), quote=False))


def label_of(name: str) -> str:
    """A field's label in the language in use: its page's label, or the contract's, else its name in words."""
    label = CONTRACT_LABELS.get(name) or FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ").capitalize()


def status_word(status: str) -> str:
    """An artifact's status as its choice reads, in the language in use (the value written stays English)."""
    return artifact_status_word(status)


def choices_of(playbook: Playbook) -> Choices:
    """The roles and practices, each with its title in the playbook's default language, and the engagement levels.

    A role's ``title`` is in the default language (``titles`` holds the others); a practice's title is
    the study's wording unless the matrix translates it into that language.
    """
    language = playbook.settings.default_language
    roles = tuple((role_id, plain(f"{role.model.title} ({role_id})")) for role_id, role in playbook.roles.items())
    practices = tuple((p.id, plain(f"{p.id} — {p.title_in(language)}")) for p in playbook.matrix.practices)
    return Choices(roles, practices, tuple(plain(level) for level in playbook.settings.engagement_scale))


def _options(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in pairs]


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """The type inside ``annotation``, the metadata of its ``Annotated`` layers, and whether None is allowed."""
    metadata: list[Any] = []
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata += extra
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(members) < len(get_args(annotation))
            if len(members) != 1:
                return str, metadata, optional
            annotation = members[0]
        else:
            return annotation, metadata, optional


def _limits(metadata: list[Any]) -> dict[str, Any]:
    """Decap's ``min``/``max`` (numbers) and ``pattern`` (texts) from pydantic's constraints."""
    found: dict[str, Any] = {}
    for item in metadata:
        for bound, names in (("min", ("ge", "gt")), ("max", ("le", "lt"))):
            for name in names:
                if getattr(item, name, None) is not None:
                    found[bound] = getattr(item, name)
        pattern = getattr(item, "pattern", None)
        if pattern:
            hint = _(PATTERN_HINTS[pattern]) if pattern in PATTERN_HINTS else _("must match {pattern}")
            found["pattern"] = [pattern, hint.format(pattern=pattern)]
    return found


def _is_role(name: str, info: FieldInfo | None) -> bool:
    description = (info.description or "").lower() if info else ""
    return name in ROLE_FIELDS or "role id" in description or "id of a role" in description


class FormBuilder:
    """Turns a model's fields into Decap fields, with the playbook's roles and practices as choices."""

    def __init__(self, choices: Choices, evidence_public: str, language: str) -> None:
        self.choices = choices
        self.evidence_public = evidence_public
        self.language = language

    def fields(self, model: type[BaseModel]) -> list[dict[str, Any]]:
        """One Decap field per field of ``model``, in the model's order."""
        return [self.field(name, info.annotation, info) for name, info in model.model_fields.items()]

    def field(self, name: str, annotation: Any, info: FieldInfo | None) -> dict[str, Any]:
        """The Decap field for ``name``: its label, hint, whether it is required, and its widget."""
        inner, metadata, optional = _unwrap(annotation)
        if info is not None:
            metadata += list(info.metadata)
        spec: dict[str, Any] = {"name": name, "label": label_of(name)}
        if info is not None and info.description:
            spec["hint"] = hint_text(_(info.description))
        spec.update(self._widget(name, inner, metadata, info))
        required = info.is_required() if info is not None else not optional
        if not required:
            spec["required"] = False
            if spec["widget"] == "object":
                # Decap checks an object's required fields even when the object itself is optional and
                # left empty, which would block every save: left empty, it is not written at all.
                spec["fields"] = [field | {"required": False} for field in spec["fields"]]
        if name == LANGUAGE_FIELD and self.language in spec.get("options", ()):
            spec["default"] = self.language
        return spec

    def _widget(self, name: str, inner: Any, metadata: list[Any], info: FieldInfo | None) -> dict[str, Any]:
        origin = get_origin(inner)
        if origin is list or origin is tuple:
            (item,) = get_args(inner)[:1]
            return self._list(name, item, info)
        if _is_role(name, info):
            return {"widget": "select", "options": _options(self.choices.roles)}
        if name in PRACTICE_FIELDS:
            return {"widget": "select", "multiple": True, "options": _options(self.choices.practices)}
        if name == "status" and origin is Literal:
            return {"widget": "select", "options": _options((v, status_word(v)) for v in get_args(inner))}
        if origin is Literal:
            return {"widget": "select", "options": [str(v) for v in get_args(inner)], **self._default(info)}
        if inner is date:
            return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
        if inner is bool:
            return {"widget": "boolean", **self._default(info)}
        if inner is int or inner is float:
            return {"widget": "number", "value_type": "int" if inner is int else "float", **_limits(metadata)}
        if inner is Engagement and self.choices.levels:
            levels = list(self.choices.levels)
            fields = [field | {"widget": "select", "options": levels} for field in self.fields(inner)]
            return {"widget": "object", "fields": fields}
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return {"widget": "object", "fields": self.fields(inner)}
        return {"widget": "string", **_limits(metadata)}

    def _list(self, name: str, item: Any, info: FieldInfo | None) -> dict[str, Any]:
        inner = _unwrap(item)[0]
        if _is_role(name, info):
            return {"widget": "select", "multiple": True, "options": _options(self.choices.roles)}
        if name in PRACTICE_FIELDS:
            return {"widget": "select", "multiple": True, "options": _options(self.choices.practices)}
        if get_origin(inner) is Literal:
            return {"widget": "select", "multiple": True, "options": [str(v) for v in get_args(inner)]}
        if inner is Evidence:
            fields = self.fields(Evidence)
            for field in fields:
                if field["name"] == "link":
                    field.update(
                        widget="file",
                        media_folder=f"/{EVIDENCE_DIR}",
                        public_folder=self.evidence_public,
                        hint=_("A file of the evidence folder (upload it here), or an https:// address."),
                    )
            return {"widget": "list", "fields": fields, "summary": "{{fields.date}} — {{fields.title}}"}
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return {"widget": "list", "fields": self.fields(inner)}
        return {"widget": "list", "field": self.field(name, inner, None) | {"label": _("Item")}}

    @staticmethod
    def _default(info: FieldInfo | None) -> dict[str, Any]:
        if info is None or info.is_required() or info.default is None:
            return {}
        return {"default": info.default}


def starting_body(model: type[Artifact], language: str) -> str:
    """The body a new artifact starts with: the kind's required sections in ``language``, each with its hint."""
    return "".join(
        f"## {section.fr if language == 'fr' else section.en}\n\n{_(section.hint)}\n\n" for section in model.sections
    )


def translated(field: dict[str, Any]) -> dict[str, Any]:
    """``field`` (and every field inside it) marked as written in each language: a translation's own."""
    marked = field | {"i18n": True}
    if "fields" in marked:
        marked["fields"] = [translated(inner) for inner in marked["fields"]]
    if "field" in marked:
        marked["field"] = translated(marked["field"])
    return marked


def with_translations(model: type[Artifact], fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form's fields with those a translation writes itself marked ``i18n``; the others are the original's.

    ``lang`` is left to the file's name (the checker reads a translation's language from it).
    """
    own = set(translated_fields(model)) - {LANGUAGE_FIELD}
    return [translated(field) if field["name"] in own else field for field in fields]


def kind_folders(playbook: Playbook) -> dict[str, list[str]]:
    """The folders (playbook-relative) that hold each kind's artifacts, most used first.

    A kind the playbook does not use yet gets the folder ``pptoolkit new`` would file it in.
    """
    policies = playbook.settings.policies_dir.strip("/")
    used: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for artifact in playbook.artifacts:
        if artifact.model.kind in used:
            used[artifact.model.kind][posixpath.dirname(artifact.path)] += 1
    return {
        kind: [folder for folder, _count in counts.most_common()] or [posixpath.join(policies, kind)]
        for kind, counts in used.items()
    }


def collection_name(kind: str, folder: str, folders: list[str]) -> str:
    """The collection of ``kind`` in ``folder``: the kind's name, with the folder's when the kind has several."""
    if len(folders) == 1:
        return kind
    return f"{kind}--{posixpath.basename(folder)}"


def collections(playbook: Playbook, choices: Choices) -> list[dict[str, Any]]:
    """One collection per kind and folder: its fields from the kind's model, its body from its sections.

    Labels are in the language in use; with several languages, each entry holds the original and its translations.
    """
    language = playbook.settings.default_language
    multilingual = is_multilingual(playbook.settings)
    found = []
    for kind, folders in kind_folders(playbook).items():
        model = KINDS[kind]
        for folder in folders:
            builder = FormBuilder(choices, posixpath.relpath(EVIDENCE_DIR, folder), language)
            fields = builder.fields(model)
            for field in fields:
                if field["name"] == "kind":
                    field.update(widget="hidden", default=kind)
                    field.pop("hint", None)
            body: dict[str, Any] = {
                "name": "body",
                "label": _("Text"),
                "widget": "markdown",
                "modes": ["raw", "rich_text"],
            }
            if model.sections:
                body["default"] = starting_body(model, language)
            if multilingual:
                fields, body = with_translations(model, fields), body | {"i18n": True}
            kind_title = _(model.kind_title)
            label = kind_title if len(folders) == 1 else f"{kind_title} ({folder_label(folder)})"
            collection: dict[str, Any] = {
                "name": collection_name(kind, folder, folders),
                "label": plain(label),
                "label_singular": plain(kind_title),
                "description": plain(_((model.__doc__ or "").strip().splitlines()[0])),
                "folder": folder,
                "extension": "md",
                "format": "yaml-frontmatter",
                "filter": {"field": "kind", "value": kind},
                "create": True,
                "delete": False,
                "slug": "{{id}}",
                "identifier_field": "title",
                # Decap shows a summary's values as the file holds them (`approved`): the statuses are its filters,
                # in the language of the forms, instead.
                "summary": "{{title}}",
                "view_filters": status_filters(),
                "fields": [*fields, body],
            }
            if multilingual:
                collection["i18n"] = True
            found.append(collection)
    return found


def folder_label(folder: str) -> str:
    """What tells two folders of one kind apart in the language in use: a type of practice's title, else the name."""
    name = posixpath.basename(folder)
    return _(TYPE_TITLES[name]) if name in TYPE_TITLES else name


def status_filters() -> list[dict[str, str]]:
    """The entry list's filters, one per artifact status, each named in the language in use (``Approuvé``)."""
    return [
        {"label": plain(status_word(status).capitalize()), "field": "status", "pattern": f"^{status}$"}
        for status in ARTIFACT_STATUSES
    ]


def backend(editor: Editor) -> dict[str, Any]:
    """Decap's ``backend``: the Git host, the repository and the branch that pull requests go to."""
    spec: dict[str, Any] = {"name": editor.backend, "repo": editor.repo, "branch": editor.branch}
    if editor.backend == "gitlab":
        spec["auth_type"] = "pkce"
        if editor.app_id:
            spec["app_id"] = editor.app_id
        if editor.host != "https://gitlab.com":
            spec["api_root"] = f"{editor.host}/api/v4"
            spec["base_url"] = editor.host
    else:
        if editor.auth_url:
            spec["base_url"] = editor.auth_url
        if editor.host != "https://github.com":
            spec["api_root"] = f"{editor.host}/api/v3"
    spec["commit_messages"] = {
        "create": "Create {{collection}} '{{slug}}' (through the editor)",
        "update": "Update {{collection}} '{{slug}}' (through the editor)",
        "uploadMedia": "Add evidence '{{path}}' (through the editor)",
    }
    return spec


def cms_config(playbook: Playbook, editor: Editor) -> dict[str, Any]:
    """The whole configuration of the editor for this playbook, as data, in the playbook's default language.

    Decap's own words (buttons, messages) are in that language too when Decap ships it (``locale``);
    with several languages, ``i18n`` gives the languages, the default (the originals') first.
    """
    settings = playbook.settings
    language = settings.default_language
    with use_language(language):
        choices = choices_of(playbook)
        config: dict[str, Any] = {
            "backend": backend(editor),
            "local_backend": {"url": f"http://127.0.0.1:{editor.local_port}/api/v1"},
            "publish_mode": "editorial_workflow",
            "media_folder": EVIDENCE_DIR,
            "public_folder": f"/{EVIDENCE_DIR}",
            "show_preview_links": False,
            "editor": {"preview": False},
        }
        if language in LANGUAGES:
            config["locale"] = language
        if is_multilingual(settings):
            config["i18n"] = {
                "structure": "multiple_files",
                "locales": list(settings.languages),
                "default_locale": language,
            }
        config["collections"] = collections(playbook, choices)
    return config


def cms_config_yaml(playbook: Playbook, editor: Editor) -> str:
    """``config.yml`` of the editor: the configuration written by a YAML emitter, every text quoted as needed."""
    header = "# Generated by pptoolkit from the playbook's models, roles and matrix: do not edit.\n"
    return header + yaml.safe_dump(cms_config(playbook, editor), sort_keys=False, allow_unicode=True, width=1_000_000)


_last_folders: list[tuple[Playbook, dict[str, list[str]]]] = []
"""The folders of the last playbook asked about: a site asks once per artifact page, for the same playbook."""


def _folders_of(playbook: Playbook) -> dict[str, list[str]]:
    if not _last_folders or _last_folders[0][0] is not playbook:
        _last_folders[:] = [(playbook, kind_folders(playbook))]
    return _last_folders[0][1]


def entry_url(playbook: Playbook, artifact_path: str) -> str | None:
    """The editor's address for the artifact at ``artifact_path``, relative to the admin page (``#/...``).

    An entry holds an original and its translations, named by the original's name without a language:
    ``vision.md``, ``vision.fr.md`` (as Decap names the French original) and ``vision.en.md`` are all ``vision``.
    """
    artifact = playbook.artifact_at(artifact_path)
    if artifact is None or artifact.model.kind not in KINDS:
        return None
    folders = _folders_of(playbook)[artifact.model.kind]
    folder = posixpath.dirname(artifact_path)
    if folder not in folders:
        return None
    name = collection_name(artifact.model.kind, folder, folders)
    return f"#/collections/{name}/entries/{posixpath.basename(split_language(artifact_path, playbook.settings)[0])}"


def host_edit_url(editor: Editor, artifact_path: str) -> str:
    """The Git host's own editor for the file (GitHub's or GitLab's web editor), a second way to change it."""
    if editor.backend == "gitlab":
        return f"{editor.host}/{editor.repo}/-/edit/{editor.branch}/{artifact_path}"
    return f"{editor.host}/{editor.repo}/edit/{editor.branch}/{artifact_path}"
