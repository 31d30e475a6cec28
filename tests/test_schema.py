"""``pptoolkit schema``: the exported JSON Schema accepts every sample artifact and rejects broken ones,
checked with an independent validator (``jsonschema``)."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from editor_support import front_matter, invoke
from jsonschema import Draft202012Validator
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder

from pptoolkit.authoring.new import NewArtifact, new_artifact
from pptoolkit.authoring.schema import front_matter_schema, schema_json
from pptoolkit.model.artifacts import KINDS

SAMPLES = sorted(path for path in (REPO_ROOT / "policies").rglob("*.md") if not path.name.endswith(".en.md"))
"""The sample's artifacts: the French originals (their English translations hold only their own fields)."""


@functools.cache
def validator(kind: str | None = None) -> Draft202012Validator:
    """A validator of the schema ``pptoolkit schema [KIND]`` prints, itself checked as a schema.

    Made once per kind for the session: the command's output depends on the code alone, and making it again for
    each artifact validated took more time than all the validations."""
    schema = json.loads(invoke("schema", *([kind] if kind else [])).stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(kind: str | None, data: Any) -> list[str]:
    return sorted(error.message for error in validator(kind).iter_errors(data))


@pytest.fixture(scope="module")
def combined() -> Draft202012Validator:
    return validator()


def test_there_are_samples_of_many_kinds() -> None:
    assert len(SAMPLES) >= 16
    assert len({front_matter(p)["kind"] for p in SAMPLES}) >= 12


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_sample_artifact_is_valid(combined: Draft202012Validator, path: Path) -> None:
    data = front_matter(path)
    assert [e.message for e in combined.iter_errors(data)] == []
    assert errors(data["kind"], data) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_draft_of_each_kind_is_valid(playbook: PlaybookBuilder, kind: str) -> None:
    path = new_artifact(playbook.root, NewArtifact(kind, owner="pp-coordinator"), TODAY)
    assert errors(kind, front_matter(path)) == []


@pytest.fixture
def sample() -> dict[str, Any]:
    data: dict[str, Any] = front_matter(REPO_ROOT / "policies" / "structuring" / "compensation-policy.md")
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("owner"), "'owner' is a required property"),
        (lambda d: d.update(ownr="x"), "Additional properties are not allowed ('ownr' was unexpected)"),
        (lambda d: d.update(status="final"), "'final' is not one of ['draft', 'approved', 'retired']"),
        (lambda d: d.update(review_by="31/12/2027"), "'31/12/2027' does not match '^\\\\d{4}-\\\\d{2}-\\\\d{2}$'"),
        (lambda d: d.update(owner="Jane Doe"), "'Jane Doe' does not match '^[a-z0-9][a-z0-9-]*$'"),
        (lambda d: d.update(title="   "), "'   ' does not match '\\\\S'"),
        (lambda d: d.pop("approved_on"), "'approved_on' is a required property"),
        (lambda d: d.update(rates=[]), "[] should be non-empty"),
        (lambda d: d["rates"][0].update(unit="week"), "'week' is not one of ['hour', 'half-day', 'day', 'meeting', "),
        (lambda d: d["evidence"][0].pop("link"), "'link' is a required property"),
    ],
)
def test_a_broken_artifact_is_rejected(sample: dict[str, Any], change: Any, message: str) -> None:
    broken = copy.deepcopy(sample)
    change(broken)
    found = errors("compensation-policy", broken)
    assert any(m.startswith(message) for m in found), found
    assert list(validator().iter_errors(broken)), "the combined schema accepts it"


def test_the_combined_schema_chooses_the_kind(sample: dict[str, Any]) -> None:
    assert errors(None, {**sample, "kind": "vision"})  # a compensation policy's fields are not a vision's
    assert errors(None, {**sample, "kind": "memo"})
    assert "'kind' is a required property" in errors(None, {"title": "no kind"})


def test_a_draft_needs_no_approval_date(sample: dict[str, Any]) -> None:
    draft = {key: value for key, value in sample.items() if key != "approved_on"} | {"status": "draft"}
    assert errors("compensation-policy", draft) == []


def test_each_kind_schema_is_self_contained_and_names_its_kind() -> None:
    for kind, model in KINDS.items():
        schema = front_matter_schema(kind)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["title"] == model.kind_title
        assert schema["properties"]["kind"]["const"] == kind
        Draft202012Validator.check_schema(schema)
        references = {part.split('"')[0] for part in json.dumps(schema).split('"#/$defs/')[1:]}
        assert references <= set(schema.get("$defs", {})), kind


def test_the_combined_schema_lists_every_kind() -> None:
    schema = front_matter_schema()
    assert schema["properties"]["kind"]["enum"] == list(KINDS)
    assert len(schema["oneOf"]) == len(KINDS)


def test_output_file_and_refusals(tmp_path: Path) -> None:
    output = tmp_path / "vision.schema.json"
    result = invoke("schema", "vision", "--output", str(output))
    assert result.exit_code == 0
    assert output.read_text(encoding="utf-8") == schema_json("vision")
    again = invoke("schema", "vision", "--output", str(output))
    assert again.exit_code == 1
    assert "exists; use --force to replace it" in again.stderr
    assert invoke("schema", "charter", "--output", str(output), "--force").exit_code == 0
    assert json.loads(output.read_text(encoding="utf-8"))["title"] == "Charter"
    unknown = invoke("schema", "memo")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("pptoolkit: error: unknown kind 'memo'; use one of: vision, ethics-clause,")
