"""From files to typed models: the matrix, the roles registry, the waivers and the artifacts.

Every problem met on the way becomes a located diagnostic and the file (or
entry) is left out; nothing here stops the run except a playbook whose root or
matrix cannot be used at all (``ConfigError``, exit code 2).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from pptoolkit.checking.per_file import artifact_answers
from pptoolkit.checking.rules.files import NOT_A_MAPPING, NOT_UTF8, UNREADABLE
from pptoolkit.checking.rules.front_matter import INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, UNKNOWN_KIND
from pptoolkit.checking.rules.links import LINK_OUTSIDE
from pptoolkit.checking.rules.registry import (
    DUPLICATE_PRACTICE,
    DUPLICATE_ROLE,
    INVALID_PRACTICE,
    INVALID_ROLE,
    UNKNOWN_DEPUTY,
)
from pptoolkit.checking.rules.waivers import INVALID_WAIVER
from pptoolkit.i18n import N_, _
from pptoolkit.loading.cache import NoCache
from pptoolkit.loading.publication import Publication, publication_of
from pptoolkit.model.artifacts import KINDS, Artifact, NotApplicable, Role, Waiver
from pptoolkit.model.diagnostics import Diagnostic, Location
from pptoolkit.model.matrix import Matrix, Practice
from pptoolkit.model.settings import ConfigError, Limits, Settings, load_settings
from pptoolkit.reading.documents import (
    FileProblem,
    FileText,
    MarkdownDocument,
    load_yaml_file,
    parse_markdown,
    read_text,
    text_of,
)
from pptoolkit.reading.links import Links
from pptoolkit.reading.trace import NOT_TRACED, NotTraced
from pptoolkit.reading.yamlsource import KeyPath, YamlDocument, forget_known_lines
from pptoolkit.reporting.printable import is_utf8, utf8_safe

if TYPE_CHECKING:
    from pptoolkit.loading.applicability import LoadedNotApplicable
    from pptoolkit.loading.translations import Translation

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class LoadedArtifact:
    """A valid artifact: its model, its parsed file, and the positions of its keys."""

    model: Artifact
    document: MarkdownDocument

    @property
    def path(self) -> str:
        """The file's path relative to the playbook root, with `/`."""
        return self.document.path

    def at(self, *key: str | int) -> Location:
        """Where the front matter key (or list item) ``key`` is in the file."""
        source = self.document.source
        if not isinstance(source, str):
            source.consulted()  # the positions, found when the file was read or read again now, are in no answer
        mark = self.document.front_matter.mark(tuple(key))
        return Location(self.path, mark.line, mark.column)


@dataclass(frozen=True)
class LoadedRole:
    """A role of the registry, where it is defined, and where each of its keys is."""

    model: Role
    where: Location
    keys: dict[str, Location] = field(default_factory=dict)

    def at(self, key: str) -> Location:
        """Where ``key`` of this role is written (the entry when it is absent)."""
        return self.keys.get(key, self.where)


@dataclass(frozen=True)
class LoadedWaiver:
    """A waiver, where it is defined, and where each of its keys is."""

    model: Waiver
    where: Location
    keys: dict[str, Location] = field(default_factory=dict)

    def at(self, key: str) -> Location:
        """Where ``key`` of this waiver is written (the entry when it is absent)."""
        return self.keys.get(key, self.where)


@dataclass
class Playbook:
    """Everything the checker knows about a playbook, loaded once; downstream never re-reads files.

    ``publication`` is every file the site publishes besides its generated pages, with the text checked.
    ``artifacts`` are the originals; ``translations`` their files in the playbook's other languages.
    """

    root: Path
    settings: Settings
    matrix: Matrix
    roles: dict[str, LoadedRole] = field(default_factory=dict)
    artifacts: list[LoadedArtifact] = field(default_factory=list)
    waivers: list[LoadedWaiver] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    translations: list[Translation] = field(default_factory=list)
    publication: Publication = field(default_factory=Publication)
    invalid_claims: dict[str, list[str]] = field(default_factory=dict)
    rejected_roles: frozenset[str] = frozenset()
    """The ids of the registry's entries that are not valid roles: reported once, at the entry, not at each use."""
    roles_path: str = ""
    waivers_path: str = ""
    not_applicable: list[LoadedNotApplicable] = field(default_factory=list)
    _by_path: dict[str, LoadedArtifact] = field(default_factory=dict, repr=False)
    links: Links = field(init=False, repr=False)
    cache: NoCache = field(default_factory=NoCache, repr=False)
    answers: dict[str, Any] = field(default_factory=dict, repr=False)
    """What the rules that read an artifact's text found in it, by path, once per check (``checking/per_file.py``)."""
    published_answers: dict[str, Any] = field(default_factory=dict, repr=False)
    """What the rules that read a published text found in it, by site path, once per check."""

    def __post_init__(self) -> None:
        self.links = Links(self.root, self.cache.trace)

    def artifact(self, artifact_id: str) -> LoadedArtifact | None:
        """Return the artifact with this id, or None."""
        return next((a for a in self.artifacts if a.model.id == artifact_id), None)

    def artifact_at(self, path: str) -> LoadedArtifact | None:
        """Return the artifact whose file is ``path`` (playbook-relative, a translation's too), or None."""
        if len(self._by_path) != len(self.artifacts) + len(self.translations):
            self._by_path = {a.path: a for a in self.artifacts}
            self._by_path.update((t.path, t.artifact) for t in self.translations)
        return self._by_path.get(path)

    def artifact_files(self) -> list[LoadedArtifact]:
        """Every valid artifact file: the originals, then the translations."""
        return [*self.artifacts, *(t.artifact for t in self.translations)]

    def read_texts(self) -> None:
        """Read every text that the check took from the cache unread, before it is published.

        Raises TextChanged (an OSError) when a file is no longer the text that was checked: the site
        and the paper edition publish only what was checked.
        """
        for artifact in self.artifact_files():
            text_of(artifact.document.source)
        for published in self.publication.files:
            if published.content is not None:
                text_of(published.content)


def _relative(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def _where(loc: tuple[Any, ...]) -> str:
    """A place in plain words: ``owner`` is "'owner'", ``evidence.0.date`` "evidence item 1, 'date'"."""
    parts: list[str] = []
    index = 0
    while index < len(loc):
        part, following = loc[index], loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(part, int):
            parts.append(_("item {number}").format(number=part + 1))
        elif isinstance(following, int):
            parts.append(_("{field} item {number}").format(field=part, number=following + 1))
            index += 1
        elif index == len(loc) - 1:
            parts.append(f"'{part}'")
        else:
            parts.append(str(part))
        index += 1
    return ", ".join(parts)


def _fields_at(title: str, path: tuple[Any, ...]) -> tuple[str, ...]:
    """The field names of the model at ``path`` inside the model named ``title`` (none when it is not known)."""

    def model_in(annotation: Any) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        return next((found for arg in get_args(annotation) if (found := model_in(arg))), None)

    known: tuple[type[BaseModel], ...] = (*KINDS.values(), Role, Waiver, Practice, NotApplicable)
    models: dict[str, Any] = {model.__name__: model for model in known}
    annotation = models.get(title)
    for part in path:
        if isinstance(part, int):
            continue  # an item of a list: its model is found in the list's annotation
        model = model_in(annotation)
        if model is None or part not in model.model_fields:
            return ()
        annotation = model.model_fields[part].annotation
    model = model_in(annotation)
    return tuple(model.model_fields) if model is not None else ()


_LIST_EXAMPLES = {
    ("implements",): N_(", e.g. [D1, S5]"),
    ("evidence",): N_(": each proof starts with '- title: ...' on a new line, followed by 'date:' and 'link:' lines"),
}


def describe_error(
    error: dict[str, Any], fields: tuple[str, ...] = (), nested: dict[str, tuple[str, ...]] | None = None
) -> str:
    """Turn one pydantic error into a sentence an editor understands.

    ``fields`` are the field names expected where the error is: those next to an unknown key, to suggest
    the intended one, or those of a group of keys given as something else. ``nested`` gives, for an
    unknown key, the fields of each group of keys beside it: a key of one of them was not indented.
    """
    from difflib import get_close_matches

    loc = tuple(error["loc"])
    where = _where(loc)
    name, parent = (str(loc[-1]), _where(loc[:-1])) if loc else ("", "")
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        if parent:
            return _("the field '{name}' is required in {parent}").format(name=name, parent=parent)
        return _("the field '{name}' is required").format(name=name)
    if kind == "extra_forbidden":
        here = _("of {parent}").format(parent=parent) if parent else _("here")
        owner = next((group for group, keys in (nested or {}).items() if name in keys), None)
        if owner is not None:
            return _(
                "'{name}' is not a field {here} but one of '{owner}': indent it under '{owner}:' by two spaces"
            ).format(name=name, here=here, owner=owner)
        others = {field.lower(): field for field in fields if field != name}
        close = _closest(name.lower().replace("-", "_"), others)
        if close:
            return _("'{name}' is not a field {here}; did you mean {fields}?").format(
                name=name, here=here, fields=_either(close)
            )
        if 0 < len(fields) <= 6:
            return _("'{name}' is not a field {here}; use {fields}").format(
                name=name, here=here, fields=_either(fields)
            )
        return _("'{name}' is not a field {here} (a typo?)").format(name=name, here=here)
    if kind == "invalid_key":  # a number, date or true/false written as a key
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return _("'{key}' is not a field here (a key must be a name such as 'owner')").format(key=key)
    if kind in ("list_type", "tuple_type"):
        return _("{where} must be a list").format(where=where) + _(
            _LIST_EXAMPLES.get(loc, N_(" (one '- item' per line)"))
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if value is None and fields:
            return _(
                "{where} is empty: write its keys ({fields}) on the lines below it, indented by two spaces"
            ).format(where=where, fields=", ".join(fields))
        return _("{where} must be a group of 'key: value' lines").format(where=where) + (
            f": {', '.join(fields)}" if fields else ""
        )
    if kind == "string_type":
        if value is None:
            return _("{where} must not be empty").format(where=where)
        if isinstance(value, list):
            return _("{where} must be text, not a list").format(where=where)
        if isinstance(value, dict):
            return _("{where} must be text, not a group of keys").format(where=where)
        return _("{where} must be text: put the value in quotes").format(where=where)
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        if kind.startswith("int"):
            return _("{where} must be a whole number, not {value}").format(where=where, value=repr(value))
        return _("{where} must be a number, not {value}").format(where=where, value=repr(value))
    if kind in ("bool_type", "bool_parsing"):
        return _("{where} must be true or false, not {value}").format(where=where, value=repr(value))
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        near = get_close_matches(str(value).strip().lower(), choices, n=1, cutoff=0.6)
        near = near or [c for c in choices if str(value).strip().lower().startswith(c) and c]
        return _("{where} must be one of {expected}, not {value}").format(
            where=where, expected=expected, value=repr(value)
        ) + (_("; did you mean '{value}'?").format(value=near[0]) if near else "")
    if kind == "string_pattern_mismatch":
        return _("{where} must be a slug of lowercase letters, digits and hyphens, not {value}").format(
            where=where, value=repr(value)
        )
    if kind in ("too_short", "string_too_short"):
        return _("{where} must not be empty").format(where=where)
    if kind == "iso_date" and where and "value" in error.get("ctx", {}):
        return _("{where}: expected a date such as 2026-03-14, got {value}").format(
            where=where, value=error["ctx"]["value"]
        )
    message = str(error["msg"])
    prefix = "Value error, "
    message = _(message.removeprefix(prefix))  # a message of our own validators is in the catalog
    return f"{where}: {message[0].lower() + message[1:]}" if where else message


def _closest(name: str, others: dict[str, str]) -> list[str]:
    """The fields nearest to a misspelt ``name``: the one it spells with `-` for `_`, else the nearest few.

    Only those as near as the nearest (within a few hundredths) are kept: 'aproved_on' suggests
    'approved_on', not also 'approved_by'.
    """
    from difflib import SequenceMatcher, get_close_matches

    if name in others:
        return [others[name]]
    matches = get_close_matches(name, others, n=3)
    if not matches:
        return []
    best = SequenceMatcher(None, name, matches[0]).ratio()
    return [others[m] for m in matches if SequenceMatcher(None, name, m).ratio() >= best - 0.05]


def _either(names: tuple[str, ...] | list[str]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``."""
    quoted = [f"'{name}'" for name in names]
    return (
        quoted[0] if len(quoted) == 1 else _("{names} or {last}").format(names=", ".join(quoted[:-1]), last=quoted[-1])
    )


def validation_diagnostics(
    error: ValidationError, document: YamlDocument, relative: str, base: KeyPath = ()
) -> Iterator[Diagnostic]:
    """Map each pydantic error to a diagnostic at the key or item it concerns."""
    for item in error.errors():
        loc: KeyPath = (*base, *item["loc"])
        kind = item["type"]
        if kind == "missing":
            rule = MISSING_FIELD
            mark = document.mark(loc[:-1])
        elif kind == "approved_without_date":
            rule = MISSING_FIELD
            mark = document.mark((*base, "status"))
        elif kind == "extra_forbidden":
            rule = UNKNOWN_FIELD
            mark = document.mark(loc)
        else:
            rule = INVALID_VALUE
            mark = document.mark(loc)
        fields = _fields_at(error.title, item["loc"][:-1] if kind == "extra_forbidden" else item["loc"])
        nested = (
            _empty_groups(error.title, document.value, base, item["loc"][:-1]) if kind == "extra_forbidden" else None
        )
        message = describe_error({**item, "loc": item["loc"]}, fields, nested)
        if kind == "approved_without_date":
            message = _("the artifact is approved but has no 'approved_on' date")
        yield rule.at(Location(relative, mark.line, mark.column), message)


def _empty_groups(title: str, data: Any, base: KeyPath, loc: tuple[Any, ...]) -> dict[str, tuple[str, ...]]:
    """The fields of each group of keys left empty beside an unknown key (``budget:`` with its keys not indented)."""
    parent = data
    for part in (*base, *loc):
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return {}
    if not isinstance(parent, dict):
        return {}
    groups = {key: _fields_at(title, (*loc, key)) for key, value in parent.items() if value is None}
    return {key: keys for key, keys in groups.items() if keys}


def _entries(document: YamlDocument, key: str, relative: str, diagnostics: list[Diagnostic]) -> list[tuple[int, Any]]:
    """The items of the top-level list ``key`` of a data file, or none with a diagnostic."""
    value = document.value
    if value is None:
        return []
    if not isinstance(value, dict) or not isinstance(value.get(key, []), list):
        diagnostics.append(
            NOT_A_MAPPING.at(
                Location(relative, document.start.line, document.start.column),
                _("expected '{key}:' followed by a list").format(key=key),
            )
        )
        return []
    for extra in value:
        if extra != key:
            mark = document.mark((extra,))
            diagnostics.append(
                UNKNOWN_FIELD.at(
                    Location(relative, mark.line, mark.column),
                    _("'{key}' is not a key of this file").format(key=extra),
                )
            )
    return list(enumerate(value.get(key) or []))


def _validate_entries(
    model: type[Model],
    document: YamlDocument,
    key: str,
    relative: str,
    rule: Any,
    diagnostics: list[Diagnostic],
) -> Iterator[tuple[int, Model]]:
    for index, entry in _entries(document, key, relative, diagnostics):
        try:
            yield index, model.model_validate(entry)
        except ValidationError as error:
            for diagnostic in validation_diagnostics(error, document, relative, (key, index)):
                diagnostics.append(rule.at(Location(relative, diagnostic.line, diagnostic.column), diagnostic.message))


def load_matrix(root: Path, settings: Settings) -> tuple[Matrix, list[Diagnostic]]:
    """Load the matrix; a missing or unreadable file is a ConfigError, a bad entry a diagnostic."""
    relative = settings.matrix
    file = root / relative
    if not file.is_file():
        if not (root / "mkdocs.yml").is_file():
            raise ConfigError(
                _(
                    "'{root}' is not a playbook: it has no mkdocs.yml and no {path} "
                    "(start one with 'pptoolkit init DIR')"
                ).format(root=root, path=relative)
            )
        raise ConfigError(
            _("'{path}': no matrix file (start a playbook with 'pptoolkit init' to get the study's matrix)").format(
                path=relative
            )
        )
    diagnostics: list[Diagnostic] = []
    try:
        document = load_yaml_file(read_text(file, relative, settings.limits), relative, settings.limits)
    except FileProblem as problem:
        d = problem.diagnostic
        raise ConfigError(
            f"'{relative}':{d.line}:{d.column}: " + _("the matrix cannot be read: {reason}").format(reason=d.message)
        ) from None
    if not isinstance(document.value, dict) or not isinstance(document.value.get("practices"), list):
        raise ConfigError(f"'{relative}': " + _("the matrix must be 'practices:' followed by a list"))
    practices: list[Practice] = []
    positions: dict[str, tuple[int, int]] = {}
    for index, practice in _validate_entries(Practice, document, "practices", relative, INVALID_PRACTICE, diagnostics):
        mark = document.mark(("practices", index))
        if practice.id in positions:
            diagnostics.append(
                DUPLICATE_PRACTICE.at(
                    Location(relative, mark.line, mark.column),
                    _("practice {practice} is already defined on line {line}").format(
                        practice=practice.id, line=positions[practice.id][0]
                    ),
                    practice=practice.id,
                )
            )
            continue
        practices.append(practice)
        positions[practice.id] = (mark.line, mark.column)
    if not practices:
        raise ConfigError(f"'{relative}': " + _("the matrix has no valid practice"))
    return Matrix(tuple(practices), relative, positions), diagnostics


def load_roles(root: Path, settings: Settings) -> tuple[dict[str, LoadedRole], list[Diagnostic], frozenset[str]]:
    """Load the roles registry; every malformed entry is a located diagnostic, and its id is among the rejected."""
    relative = settings.roles
    diagnostics: list[Diagnostic] = []
    file = root / relative
    if not file.is_file():
        missing = INVALID_ROLE.at(Location(relative), _("the roles registry is missing: no owner can be resolved"))
        return {}, [missing], frozenset()
    try:
        document = load_yaml_file(read_text(file, relative, settings.limits), relative, settings.limits)
    except FileProblem as problem:
        return {}, [problem.diagnostic], frozenset()
    roles: dict[str, LoadedRole] = {}
    keys = _key_locations(document, relative)
    for index, role in _validate_entries(Role, document, "roles", relative, INVALID_ROLE, diagnostics):
        mark = document.mark(("roles", index))
        where = Location(relative, mark.line, mark.column)
        if role.id in roles:
            diagnostics.append(
                DUPLICATE_ROLE.at(
                    where,
                    _("role '{role}' is already defined on line {line}").format(
                        role=role.id, line=roles[role.id].where.line
                    ),
                )
            )
            continue
        roles[role.id] = LoadedRole(role, where, keys.get(("roles", index), {}))
    rejected = rejected_roles(document, roles)
    for loaded in roles.values():
        deputy = loaded.model.deputy
        if deputy is not None and deputy not in roles and deputy not in rejected:
            diagnostics.append(
                UNKNOWN_DEPUTY.at(
                    loaded.at("deputy"),
                    _("the deputy '{deputy}' of role '{role}' is not a role of the registry").format(
                        deputy=deputy, role=loaded.model.id
                    ),
                )
            )
    return roles, diagnostics, rejected


def rejected_roles(document: YamlDocument, roles: dict[str, LoadedRole]) -> frozenset[str]:
    """The ids written in the registry's entries that did not load as roles (an invalid level, a missing title)."""
    entries = document.value.get("roles") if isinstance(document.value, dict) else None
    written = {entry.get("id") for entry in entries if isinstance(entry, dict)} if isinstance(entries, list) else set()
    return frozenset(role_id for role_id in written if isinstance(role_id, str) and role_id not in roles)


def _key_locations(document: YamlDocument, relative: str) -> dict[KeyPath, dict[str, Location]]:
    """Where each key of each entry of a data file is written, by the entry's path (one pass over the positions)."""
    locations: dict[KeyPath, dict[str, Location]] = {}
    for path, mark in document.positions.items():
        if path and isinstance(path[-1], str):
            locations.setdefault(path[:-1], {})[path[-1]] = Location(relative, mark.line, mark.column)
    return locations


def load_entries(
    root: Path, relative: str, settings: Settings, model: type[Model], key: str, rule: Any
) -> tuple[list[tuple[Model, Location, dict[str, Location]]], list[Diagnostic]]:
    """The valid entries under ``key`` of an optional data file, each with where it and its keys are written.

    A file that is absent has no entries; one that cannot be read is one located diagnostic; each
    malformed entry is a located diagnostic of ``rule``.
    """
    file = root / relative
    if not file.is_file():
        return [], []
    diagnostics: list[Diagnostic] = []
    try:
        document = load_yaml_file(read_text(file, relative, settings.limits), relative, settings.limits)
    except FileProblem as problem:
        return [], [problem.diagnostic]
    entries = []
    keys = _key_locations(document, relative)
    for index, entry in _validate_entries(model, document, key, relative, rule, diagnostics):
        mark = document.mark((key, index))
        where = Location(relative, mark.line, mark.column)
        entries.append((entry, where, keys.get((key, index), {})))
    return entries, diagnostics


def load_waivers(root: Path, settings: Settings) -> tuple[list[LoadedWaiver], list[Diagnostic]]:
    """Load the waivers file (optional); every malformed entry is a located diagnostic."""
    entries, diagnostics = load_entries(root, settings.waivers, settings, Waiver, "waivers", INVALID_WAIVER)
    return [LoadedWaiver(*entry) for entry in entries], diagnostics


def load_artifact(document: MarkdownDocument) -> tuple[LoadedArtifact | None, Sequence[Diagnostic]]:
    """Validate an artifact's front matter with the model of its kind."""
    data = document.front_matter.value
    relative = document.path
    kind = data.get("kind")
    if kind is None:
        mark = document.front_matter.start
        return None, [
            MISSING_FIELD.at(
                Location(relative, mark.line, mark.column), _("the field '{name}' is required").format(name="kind")
            )
        ]
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        mark = document.front_matter.mark(("kind",))
        return None, [
            UNKNOWN_KIND.at(
                Location(relative, mark.line, mark.column),
                _("unknown kind {kind}; use one of: {kinds}").format(kind=repr(kind), kinds=", ".join(KINDS)),
            )
        ]
    try:
        artifact = model.model_validate(data)
    except ValidationError as error:
        return None, list(validation_diagnostics(error, document.front_matter, relative))
    # The model holds the values now; the YAML values would only double the memory of a check.
    return LoadedArtifact(share_fields_sets(artifact), document.without_front_matter_values()), ()


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def share_fields_sets(model: Model) -> Model:
    """``model``, whose frozen models and sub-models share one set of field names per distinct set.

    pydantic gives every model instance its own set of the fields it was given (``model_fields_set``):
    at 5,000 artifacts, 25,000 sets and 9 MB, a third of the models' memory, holding a few dozen
    distinct values. A frozen model never adds to its set (assignment is refused before), and pydantic
    copies the set when it copies a model, so sharing it changes no answer.
    """
    frozen, fields = _sharing_plan(type(model))
    if frozen:
        own = model.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(own), own)
        if shared is not own:
            object.__setattr__(model, "__pydantic_fields_set__", shared)
    values = model.__dict__
    for name in fields:
        value = values.get(name)
        if isinstance(value, BaseModel):
            share_fields_sets(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, BaseModel):
                    share_fields_sets(item)
    return model


_SHARING_PLANS: dict[type[BaseModel], tuple[bool, tuple[str, ...]]] = {}


def _sharing_plan(model: type[BaseModel]) -> tuple[bool, tuple[str, ...]]:
    """Whether ``model`` is frozen, and its fields that can hold models: asked of 25,000 models in a check."""
    plan = _SHARING_PLANS.get(model)
    if plan is None:
        plan = _SHARING_PLANS[model] = (bool(model.model_config.get("frozen")), _fields_with_models(model))
    return plan


@functools.cache
def _fields_with_models(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose values can hold models (themselves, or in a list or tuple)."""

    def holds_a_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_a_model(argument) for argument in get_args(annotation))

    return tuple(name for name, field in model.model_fields.items() if holds_a_model(field.annotation))


def _claimed_practices(document: MarkdownDocument) -> list[str]:
    """The practice ids an artifact that failed validation says it implements (to explain a gap)."""
    claimed = document.front_matter.value.get("implements")
    if isinstance(claimed, str):
        claimed = [claimed]
    return [str(p) for p in claimed if isinstance(p, (str, int))] if isinstance(claimed, list) else []


def artifact_files(root: Path, settings: Settings, skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """Every Markdown file under the policies folder, in a stable order (that of their paths' parts).

    As ``Path.rglob("*.md")`` finds them, symbolic links to folders not followed, but with one
    ``scandir`` per folder: a playbook of a health network has thousands of artifacts. What the walk
    leaves out is added to ``skipped``, with a sentence saying why (``_markdown_files``).
    """
    return [Path(path) for path in _artifact_paths(root, settings, [] if skipped is None else skipped)]


def _artifact_paths(
    root: Path,
    settings: Settings,
    skipped: list[tuple[str, str]],
    linked: set[str] | None = None,
    trace: NotTraced = NOT_TRACED,
) -> list[str]:
    """``artifact_files`` as strings: a check makes no ``Path`` of each of thousands of files.

    The files that are symbolic links (or may be) are added to ``linked``: the others need no ``lstat`` of their own.
    """
    policies = root / settings.policies_dir
    trace.status(policies)
    if not policies.is_dir():
        return []
    return sorted(_markdown_files(str(policies), skipped, linked, trace), key=lambda path: path.split(os.sep))


def _markdown_files(
    folder: str, skipped: list[tuple[str, str]], linked: set[str] | None, trace: NotTraced = NOT_TRACED
) -> Iterator[str]:
    """The Markdown files under ``folder``; what would hide an artifact without a word is added to ``skipped``.

    That is a folder that cannot be read, a symbolic link to a folder (not followed: the walk stays in the
    playbook's own tree), and a name ending in ``.md`` that is no file to read (a symbolic link to nothing,
    a loop of them, a folder behind a link, a FIFO): each is said, never passed over.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError as error:
        trace.listed(folder, error)
        skipped.append(
            (
                folder,
                _("this folder cannot be read ({reason}): the artifacts in it are not checked").format(
                    reason=error.strerror or error
                ),
            )
        )
        return
    trace.listed(folder, entries)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _markdown_files(entry.path, skipped, linked, trace)
        elif entry.name.endswith(".md"):
            if _is_file(entry, trace):
                if linked is not None and _is_link(entry):
                    linked.add(entry.path)
                yield entry.path
            else:
                skipped.append((entry.path, _not_a_file(entry.path)))
        elif _is_link(entry) and _leads_to_folder(entry.path, trace):
            skipped.append(
                (
                    entry.path,
                    _(
                        "this is a symbolic link to a folder, which the checker does not follow: the artifacts "
                        "in it are not checked nor published; move them here, or link each file"
                    ),
                )
            )


def _is_file(entry: os.DirEntry[str], trace: NotTraced = NOT_TRACED) -> bool:
    if trace.active and _is_link(entry):
        trace.status(entry.path)  # a symbolic link: whether it leads to a file is its target's status
    try:
        return entry.is_file()
    except OSError:  # a loop of symbolic links, and the like: not a file, as for Path.is_file
        return False


def _leads_to_folder(path: str, trace: NotTraced) -> bool:
    """Whether the symbolic link at ``path`` leads to a folder (its target's status, recorded)."""
    trace.status(path)
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _not_a_file(path: str) -> str:
    """Why a name ending in ``.md`` that the walk found is no file it can read, in a sentence."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            what = _("a loop of symbolic links")
        elif error.errno == errno.ENOENT:
            what = _("a symbolic link to nothing")
        else:
            what = _("it cannot be read ({reason})").format(reason=error.strerror or error)
    except ValueError:
        what = _("it cannot be read")
    else:
        what = _("a folder") if stat.S_ISDIR(mode) else _("not a regular file: a FIFO, a socket or a device")
    return _("this Markdown name is no file to read ({what}): it is not checked nor published").format(what=what)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()  # known from the folder's listing on most systems: no lstat
    except OSError:  # cannot tell: the loading asks the file system itself
        return True


def load_artifact_text(
    text: str | FileText, relative: str, limits: Limits
) -> tuple[LoadedArtifact | None, Sequence[Diagnostic], Sequence[str]]:
    """One artifact file's text: the artifact (or None), its diagnostics, and the practices an invalid one claims.

    A function of the text, the path and the limits alone, so that a check can remember its answer; the
    artifact keeps ``text`` as given (a file's text known by its digest can be let go of: ``FileText``).
    """
    try:
        document = parse_markdown(text, relative, limits)
    except FileProblem as problem:
        return None, (problem.diagnostic,), ()
    artifact, problems = load_artifact(document)
    return artifact, problems, () if artifact is not None else _claimed_practices(document)


def load_playbook(root: Path, settings: Settings | None = None, cache: NoCache | None = None) -> Playbook:
    """Load the playbook at ``root``: settings, matrix, roles, waivers and every artifact.

    ``cache`` remembers each artifact file's outcome by its content (see ``cache.py``).
    """
    root = root.resolve()
    settings = settings or load_settings(root)
    cache = cache or NoCache()
    for data_file in (settings.matrix, "mkdocs.yml", settings.roles, settings.waivers, settings.applicability):
        cache.trace.status(root / data_file)  # read or tested below, and what is in them is the check's
    matrix, diagnostics = load_matrix(root, settings)
    roles, role_diagnostics, rejected = load_roles(root, settings)
    waivers, waiver_diagnostics = load_waivers(root, settings)
    from pptoolkit.loading.applicability import load_applicability  # it reads its entries with this module

    not_applicable, applicability_diagnostics = load_applicability(root, settings)
    playbook = Playbook(
        root=root,
        settings=settings,
        matrix=matrix,
        roles=roles,
        rejected_roles=rejected,
        waivers=waivers,
        diagnostics=[*diagnostics, *role_diagnostics, *waiver_diagnostics, *applicability_diagnostics],
        not_applicable=not_applicable,
        roles_path=settings.roles,
        waivers_path=settings.waivers,
        cache=cache,
    )
    from pptoolkit.loading import translations  # it reads translations with this module's models

    skipped: list[tuple[str, str]] = []  # what the walk of the policies folder left out, and why
    deferred: list[tuple[str, str]] = []  # the translations, read once their originals are loaded
    # The files are found under the resolved root (below its policies folder): their names start with it.
    under_root = len(os.path.join(str(root), ""))
    linked: set[str] = set()
    files = _artifact_paths(root, settings, skipped, linked, cache.trace)
    translated = _translated_stems(files, under_root, settings)
    for file in files:
        relative = file[under_root:].replace(os.sep, "/")
        if not is_utf8(relative):
            playbook.diagnostics.append(
                NOT_UTF8.at(
                    Location(utf8_safe(relative)),
                    _(
                        "the file name is not UTF-8 (each byte that is not is shown as \\xNN): rename the file;"
                        " it is not checked until then"
                    ),
                )
            )
            continue
        if not playbook.links.within(relative, linked=file in linked):
            playbook.diagnostics.append(
                LINK_OUTSIDE.at(
                    Location(relative),
                    _("this file is a symbolic link to a file outside the playbook"),
                )
            )
            continue
        unknown = translations.unknown_language(relative, settings)
        if unknown is not None:
            playbook.diagnostics.append(unknown)
            continue
        if translations.is_translation(relative, settings):
            cache.trace.status(file)  # read as it is (not through the cache): known by its status
            try:
                deferred.append((relative, read_text(file, relative, settings.limits)))
            except FileProblem as problem:
                playbook.diagnostics.append(problem.diagnostic)
            continue
        try:
            # Not read when the cache knows it unchanged; its status, if ``within`` had to take it, is not taken again.
            text = cache.text(file, relative, settings.limits, playbook.links.taken_status(relative))
        except FileProblem as problem:
            playbook.diagnostics.append(problem.diagnostic)
            continue
        artifact, problems, claims = cache.remember(load_artifact_text, text, relative, settings.limits)
        playbook.diagnostics.extend(problems)
        if artifact is not None:
            playbook.artifacts.append(artifact)
            artifact_answers(playbook, artifact)  # every rule that reads its text, while it is in memory
        for practice_id in claims:
            playbook.invalid_claims.setdefault(practice_id, []).append(relative)
        if not translated or translations.split_language(relative, settings)[0] not in translated:
            _let_go(text)  # an original's is kept: whether its translations are up to date is judged on it
    translations.attach_translations(playbook, deferred)
    forget_known_lines()  # every front matter is read
    for path, why in skipped:
        playbook.diagnostics.append(UNREADABLE.at(Location(utf8_safe(_relative(root, Path(path)))), why))
    playbook.publication, problems = publication_of(playbook)
    playbook.diagnostics.extend(problems)
    return playbook


def _translated_stems(files: list[str], under_root: int, settings: Settings) -> set[str]:
    """The stems (``policies/vision``) of the artifact files that have a translation among ``files``.

    Their originals keep their texts through the check: PP903 compares a translation's stamp with
    its original's text once every file is loaded, and that must be the text checked, not one saved since.
    """
    from pptoolkit.loading import translations

    found = set()
    for file in files:
        relative = file[under_root:].replace(os.sep, "/")
        if translations.is_translation(relative, settings):
            found.add(translations.split_language(relative, settings)[0])
    return found


def _let_go(text: str | FileText) -> None:
    """Forget an artifact's text once every rule that reads it has its answers (``checking/per_file.py``).

    A check held the texts of thousands of artifacts otherwise (17 MB at 5,000); the site and the paper
    edition read a text again when they publish it, and refuse it if it is not the text checked. (The
    published files keep theirs, a few hundred kilobytes: a page changed after the check is published
    as it was checked, ``test_markdown_pages_are_published_from_the_checked_text``.)
    """
    if isinstance(text, FileText):
        text.let_go()
