"""``pptoolkit new``: a new artifact written from its kind's template, valid from the first save.

The template has every field the kind requires, with placeholders that pass
validation (texts start with "TODO:"), the kind's required `##` sections with a
one-line hint each, `status: draft` and a review date one year ahead. A draft
proves nothing: the practices it implements stay uncovered until it is approved
with evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pptoolkit.authoring.schema import front_matter_schema
from pptoolkit.checking.rules.references import nearest_practice
from pptoolkit.loading.playbook import Playbook, load_playbook
from pptoolkit.model.artifacts import KINDS, MAX_ID, SLUG
from pptoolkit.reporting.printable import one_line
from pptoolkit.writing import write_atomically

MAX_SLUG = 60
NOT_IN_A_SLUG = re.compile(r"[^a-z0-9]+")
CONTRACT = ("id", "kind", "title", "owner", "status", "review_by", "implements", "evidence", "lang")
"""The shared fields, in the order the template writes them (before the kind's own)."""


class ScaffoldError(ValueError):
    """A request ``pptoolkit new`` refuses (exit code 2): an unknown kind, role or practice, a bad id."""


@dataclass(frozen=True)
class NewArtifact:
    """What the editor asked for; everything but the kind is optional."""

    kind: str
    title: str | None = None
    owner: str | None = None
    implements: tuple[str, ...] = ()
    artifact_id: str | None = None


def one_year_after(day: date) -> date:
    """The same day next year (28 February for 29 February); the last day there is in the year 9999."""
    if day.year >= date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def slugify(text: str) -> str:
    """A slug of lowercase ASCII letters, digits and hyphens ("Cadre de référence" → "cadre-de-reference")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = NOT_IN_A_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def _hint(name: str, node: dict[str, Any]) -> str:
    description = str(node.get("description") or name.replace("_", " ")).rstrip(".")
    return f"TODO: {description[0].lower()}{description[1:]}"


def placeholder(name: str, node: dict[str, Any], definitions: dict[str, Any], owner: str, today: date) -> Any:
    """A value that the schema node ``node`` accepts and that tells the editor what to write."""
    if "$ref" in node:
        return placeholder(name, definitions[node["$ref"].rsplit("/", 1)[-1]], definitions, owner, today)
    if "anyOf" in node:
        return placeholder(name, node["anyOf"][0], definitions, owner, today)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        return {
            key: placeholder(key, properties[key], definitions, owner, today)
            for key in properties
            if key in node.get("required", [])
        }
    if kind == "array":
        return [placeholder(name, node["items"], definitions, owner, today)] if node.get("minItems") else []
    if kind in ("number", "integer"):
        if "exclusiveMinimum" in node:
            return node["exclusiveMinimum"] + 1
        return node.get("minimum", 0)
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return today
    if node.get("pattern") == SLUG:
        return owner if name.endswith("_by") else "todo"
    return _hint(name, node)


def artifact_text(request: NewArtifact, artifact_id: str, title: str, owner: str, today: date) -> str:
    """The new artifact's Markdown: front matter from the kind's schema, then its title and sections."""
    model = KINDS[request.kind]
    schema = front_matter_schema(request.kind)
    definitions = schema.get("$defs", {})
    contract = _dump({"id": artifact_id, "kind": request.kind, "title": title, "owner": owner, "status": "draft"})
    contract += _dump({"review_by": one_year_after(today)})
    contract += f"implements: [{', '.join(request.implements)}]\nevidence: []\nlang: en\n"
    properties = schema["properties"]
    own = {
        name: placeholder(name, properties[name], definitions, owner, today)
        for name in schema["required"]
        if name not in CONTRACT
    }
    if own:
        contract += f"# The fields of a {model.kind_title.lower()}: replace each TODO, check each number and choice.\n"
        contract += _dump(own)
    purpose = (model.__doc__ or model.kind_title).strip().splitlines()[0]
    body = [f"# {title}", "", f"TODO: {purpose}", ""]
    for section in model.sections:
        body += [f"## {section.en}", "", f"TODO: {section.hint}", ""]
    return f"---\n{contract}---\n\n" + "\n".join(body)


def _dump(values: dict[str, Any]) -> str:
    return yaml.safe_dump(values, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)


def _listing(values: list[str]) -> str:
    return ", ".join(values) if values else "(none)"


def _validate(request: NewArtifact, playbook: Playbook) -> tuple[str, str]:
    """Refuse an unknown kind, role or practice, or a bad id; return the id and the owner."""
    if request.kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{request.kind}'; use one of: {', '.join(KINDS)}")
    roles = sorted(playbook.roles)
    if not roles:
        raise ScaffoldError(
            f"the roles registry ({playbook.settings.roles}) has no role yet; add the owner's role there first"
        )
    if request.owner is None:
        raise ScaffoldError(f"choose the artifact's owner with --owner; one of: {_listing(roles)}")
    if request.owner not in playbook.roles:
        raise ScaffoldError(f"unknown role '{request.owner}'; use one of: {_listing(roles)}")
    practices = [p.id for p in playbook.matrix.practices]
    for practice in request.implements:
        if playbook.matrix.get(practice) is None:
            near = nearest_practice(practice, practices)
            hint = f"did you mean {near}? " if near else ""
            raise ScaffoldError(f"unknown practice '{practice}'; {hint}use one of: {_listing(practices)}")
    if request.title is not None and one_line(request.title) != request.title:
        raise ScaffoldError(
            f"the title '{one_line(request.title)}' must be one line of text, without control characters"
        )
    artifact_id = request.artifact_id or slugify(request.title or "") or request.kind
    if not re.fullmatch(SLUG, artifact_id) or len(artifact_id) > MAX_ID:
        raise ScaffoldError(
            f"the id '{one_line(artifact_id)}' must be a slug of lowercase letters, digits and hyphens,"
            f" at most {MAX_ID} characters"
        )
    return artifact_id, request.owner


def new_artifact(root: Path, request: NewArtifact, today: date | None = None) -> Path:
    """Write the new artifact to ``policies/<kind>/<id>.md`` in the playbook at ``root``; return its path.

    Raises ``ScaffoldError`` for a request to refuse, ``FileExistsError`` when the
    file or the id already exists (nothing is overwritten), ``ConfigError`` when
    the playbook cannot be loaded.
    """
    today = today or date.today()
    playbook = load_playbook(root)
    artifact_id, owner = _validate(request, playbook)
    existing = playbook.artifact(artifact_id)
    if existing is not None:
        raise FileExistsError(f"'{existing.path}' already has the id '{artifact_id}'; choose another with --id")
    title = request.title or KINDS[request.kind].kind_title
    path = playbook.root / playbook.settings.policies_dir / request.kind / f"{artifact_id}.md"
    try:
        return write_atomically(path, artifact_text(request, artifact_id, title, owner, today))
    except FileExistsError:
        raise FileExistsError(f"'{path.relative_to(playbook.root).as_posix()}' already exists") from None
