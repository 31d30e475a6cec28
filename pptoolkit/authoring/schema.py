"""JSON Schema (draft 2020-12) of the artifacts' front matter, generated from the pydantic models.

Editors' tools (Front Matter CMS, remark-lint-frontmatter-schema, any JSON
Schema validator) use it to check and complete front matter while typing. The
models stay the only source of truth: the schema adds what pydantic does not
export (the kind's name as a constant, `approved_on` required when approved,
dates and non-blank texts written as patterns) and nothing else.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from pptoolkit.model.artifacts import ISO_DATE, KINDS, Artifact

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NOT_BLANK = r"\S"


class UnknownKind(ValueError):
    """A kind that is not one of ``pptoolkit.model.artifacts.KINDS``."""


def _tighten(node: Any) -> None:
    """Write as patterns what the models check in code: ISO dates, texts that are not only spaces."""
    if isinstance(node, dict):
        if node.get("format") == "date":
            node["pattern"] = ISO_DATE.pattern
        elif node.get("type") == "string" and node.get("minLength", 0) >= 1 and "pattern" not in node:
            node["pattern"] = NOT_BLANK
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)


def _kind_definition(kind: str, model: type[Artifact], schema: dict[str, Any]) -> dict[str, Any]:
    """A model's schema with its kind as a constant and the approval rule of :class:`Artifact`."""
    schema["title"] = model.kind_title
    schema["properties"]["kind"] = {"const": kind, "title": "Kind", "description": "The kind of artifact."}
    schema["if"] = {"properties": {"status": {"const": "approved"}}, "required": ["status"]}
    schema["then"] = {
        "required": ["approved_on"],
        "properties": {"approved_on": {"type": "string"}},
    }
    return schema


def _definitions() -> tuple[dict[str, str], dict[str, Any]]:
    """Every kind's definition and the structures they share: kind → definition name, and ``$defs``."""
    refs, top = models_json_schema([(model, "validation") for model in KINDS.values()])
    definitions: dict[str, Any] = top["$defs"]
    names: dict[str, str] = {}
    for (model, _mode), ref in refs.items():
        name = ref["$ref"].rsplit("/", 1)[-1]
        kind = next(k for k, m in KINDS.items() if m is model)
        names[kind] = name
        definitions[name] = _kind_definition(kind, KINDS[kind], definitions[name])
    _tighten(definitions)
    return names, definitions


def front_matter_schema(kind: str | None = None) -> dict[str, Any]:
    """The schema of one kind's front matter, or of any artifact's (one of the kinds, by `kind`) when None.

    Raises ``UnknownKind`` for a kind the models do not define.
    """
    if kind is not None and kind not in KINDS:
        raise UnknownKind(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
    names, definitions = _definitions()
    if kind is not None:
        own = definitions.pop(names[kind])
        used = _referenced(own, definitions)
        return {"$schema": DIALECT, **own, **({"$defs": used} if used else {})}
    return {
        "$schema": DIALECT,
        "title": "Front matter of a patient partnership artifact",
        "description": "One of the kinds of artifact, chosen by `kind`.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(KINDS)}},
        "oneOf": [{"$ref": f"#/$defs/{names[k]}"} for k in KINDS],
        "discriminator": {"propertyName": "kind", "mapping": {k: f"#/$defs/{names[k]}" for k in KINDS}},
        "$defs": definitions,
    }


def _referenced(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """The definitions that ``schema`` uses, directly or through each other."""
    used: dict[str, Any] = {}
    pending = [schema]
    while pending:
        text = json.dumps(pending.pop())
        for name, definition in definitions.items():
            if name not in used and f'"#/$defs/{name}"' in text:
                used[name] = definition
                pending.append(definition)
    return dict(sorted(used.items()))


def schema_json(kind: str | None = None) -> str:
    """The schema as indented JSON text, ending with a newline."""
    return json.dumps(front_matter_schema(kind), indent=2, ensure_ascii=False) + "\n"
