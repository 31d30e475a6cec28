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
from pptoolkit.i18n import N_, _, current_language, use_language
from pptoolkit.i18n.vocabulary import FIELD_LABELS
from pptoolkit.loading.playbook import Playbook, load_playbook
from pptoolkit.model.artifacts import KINDS, MAX_ID, SLUG
from pptoolkit.reporting.printable import one_line
from pptoolkit.writing import write_atomically

MAX_SLUG = 60
NOT_IN_A_SLUG = re.compile(r"[^a-z0-9]+")
CONTRACT = ("id", "kind", "title", "owner", "status", "review_by", "implements", "evidence", "lang")
"""The shared fields, in the order the template writes them (before the kind's own)."""
PURPOSES = {
    "vision": N_("The organization's vision of patient partnership (practice D1)."),
    "ethics-clause": N_("A clause of the code of ethics that integrates patient partnership (D2, D4)."),
    "reference-framework": N_("The reference framework of the PP model: principles and values (D3)."),
    "strategic-goal": N_("Patient partnership in the organization's strategic goals (S1)."),
    "mandate": N_("A department or manager given charge of patient partnership (S2)."),
    "compensation-policy": N_("How patient advisors are compensated, and the funds for it (S3)."),
    "logic-model": N_("The logic model of PP: goals, targets and strategies, reviewed over time (S5)."),
    "procedure": N_("A procedure, such as the PA integration process (S6, O4)."),
    "registry": N_("Where the list of potential PAs is held and who manages it; never the people themselves (S7)."),
    "training": N_("Training and explanatory documents on PP methods (O5)."),
    "charter": N_("A charter of good PP practices (O6)."),
    "participation-rules": N_("Rules that facilitate PA participation and integration in QI teams (O7)."),
    "terms-of-reference": N_("Terms of reference of a committee or community of practice (O6, O8)."),
    "evaluation": N_("An evaluation of PA integration or of the partnership experience (E1, E2)."),
    "indicators": N_("Structural indicators on PP activities, published in aggregate only (E3)."),
    "communication-plan": N_("How PP is promoted among patients, providers and managers (D5, D6, D7)."),
    "qi-project": N_(
        "A quality improvement project: its team, when its patient advisors joined, and what changed thanks to them."
    ),
}
"""The first line of each kind's docstring, for the catalog: a template says what the kind is in its language."""


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
    language: str | None = None
    """The language of the template (default: the playbook's default language)."""


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
    if current_language() != "en":  # the schema's descriptions are English: the field's label in the language
        return _("TODO: {what}").format(what=_(FIELD_LABELS.get(name, name)).lower())
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
    contract += f"implements: [{', '.join(request.implements)}]\nevidence: []\nlang: {current_language()}\n"
    properties = schema["properties"]
    own = {
        name: placeholder(name, properties[name], definitions, owner, today)
        for name in schema["required"]
        if name not in CONTRACT
    }
    if own:
        contract += (
            "# "
            + _("The fields of a {kind}: replace each TODO, check each number and choice.").format(
                kind=_(model.kind_title).lower()
            )
            + "\n"
        )
        contract += _dump(own)
    purpose = _(PURPOSES[request.kind]) if request.kind in PURPOSES else model.kind_title
    body = [f"# {title}", "", _("TODO: {what}").format(what=purpose), ""]
    for section in model.sections:
        heading = section.fr if current_language() == "fr" else section.en
        body += [f"## {heading}", "", _("TODO: {what}").format(what=_(section.hint)), ""]
    return f"---\n{contract}---\n\n" + "\n".join(body)


def _dump(values: dict[str, Any]) -> str:
    return yaml.safe_dump(values, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)


def _listing(values: list[str]) -> str:
    return ", ".join(values) if values else _("(none)")


def _validate(request: NewArtifact, playbook: Playbook) -> tuple[str, str]:
    """Refuse an unknown kind, role or practice, or a bad id; return the id and the owner."""
    if request.kind not in KINDS:
        raise ScaffoldError(
            _("unknown kind '{kind}'; use one of: {kinds}").format(kind=request.kind, kinds=", ".join(KINDS))
        )
    roles = sorted(playbook.roles)
    if not roles:
        raise ScaffoldError(
            _("the roles registry ({path}) has no role yet; add the owner's role there first").format(
                path=playbook.settings.roles
            )
        )
    if request.owner is None:
        raise ScaffoldError(
            _("choose the artifact's owner with --owner; one of: {roles}").format(roles=_listing(roles))
        )
    if request.owner not in playbook.roles:
        raise ScaffoldError(
            _("unknown role '{role}'; use one of: {roles}").format(role=request.owner, roles=_listing(roles))
        )
    practices = [p.id for p in playbook.matrix.practices]
    for practice in request.implements:
        if playbook.matrix.get(practice) is None:
            near = nearest_practice(practice, practices)
            hint = _("did you mean {practice}? ").format(practice=near) if near else ""
            raise ScaffoldError(
                _("unknown practice '{practice}'; {hint}use one of: {practices}").format(
                    practice=practice, hint=hint, practices=_listing(practices)
                )
            )
    if request.title is not None and one_line(request.title) != request.title:
        raise ScaffoldError(
            _("the title '{title}' must be one line of text, without control characters").format(
                title=one_line(request.title)
            )
        )
    artifact_id = request.artifact_id or slugify(request.title or "") or request.kind
    if not re.fullmatch(SLUG, artifact_id) or len(artifact_id) > MAX_ID:
        raise ScaffoldError(
            _(
                "the id '{id}' must be a slug of lowercase letters, digits and hyphens, at most {count} characters"
            ).format(id=one_line(artifact_id), count=MAX_ID)
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
    language = request.language or playbook.settings.default_language
    with use_language(language):
        artifact_id, owner = _validate(request, playbook)
        existing = playbook.artifact(artifact_id)
        if existing is not None:
            raise FileExistsError(
                _("'{path}' already has the id '{id}'; choose another with --id").format(
                    path=existing.path, id=artifact_id
                )
            )
        title = request.title or _(KINDS[request.kind].kind_title)
        name = f"{artifact_id}.md" if language == playbook.settings.default_language else f"{artifact_id}.{language}.md"
        path = playbook.root / playbook.settings.policies_dir / request.kind / name
        text = artifact_text(request, artifact_id, title, owner, today)
    try:
        return write_atomically(path, text)
    except FileExistsError:
        raise FileExistsError(
            _("'{path}' already exists").format(path=path.relative_to(playbook.root).as_posix())
        ) from None
