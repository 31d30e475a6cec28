"""``pptoolkit new``: a draft of every kind that passes the check, and every refusal with the valid choices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from editor_support import AS_OF, front_matter, invoke
from playbook_support import TODAY, PlaybookBuilder, artifact_text

from pptoolkit.authoring.new import NewArtifact, ScaffoldError, new_artifact, one_year_after, slugify
from pptoolkit.model.artifacts import KINDS

COVERAGE_CODES = {"PP401", "PP402", "PP403", "PP404"}


def diagnostics_about(playbook: PlaybookBuilder, path: str) -> list[str]:
    return [f"{d.code} {d.message}" for d in playbook.check().diagnostics if d.path == path]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_gives_a_draft_that_passes_the_check(playbook: PlaybookBuilder, kind: str) -> None:
    result = invoke("new", kind, str(playbook.root), "--owner", "pp-coordinator", *AS_OF)
    assert result.exit_code == 0, result.stderr
    path = f"policies/{kind}/{kind}.md"  # no title: the id is the kind
    assert result.stdout == f"Wrote {path} (a draft): replace each TODO, then run 'pptoolkit check'.\n"
    assert diagnostics_about(playbook, path) == []
    loaded = playbook.check().playbook.artifacts
    assert [(a.path, a.model.title, a.model.status, a.model.review_by, a.model.lang) for a in loaded] == [
        (path, KINDS[kind].kind_title, "draft", date(2027, 11, 26), "en")
    ]


@pytest.mark.parametrize("kind", [k for k, model in KINDS.items() if model.sections])
def test_the_body_has_each_required_section_with_its_hint(playbook: PlaybookBuilder, kind: str) -> None:
    path = new_artifact(playbook.root, NewArtifact(kind, owner="pp-coordinator", artifact_id="x"), TODAY)
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for section in KINDS[kind].sections:
        assert f"\n## {section.en}\n\nTODO: {section.hint}\n" in body


def test_the_vision_template_exactly(playbook: PlaybookBuilder) -> None:
    request = NewArtifact("vision", title="Our vision: partners", owner="director-general", implements=("D1", "D3"))
    path = new_artifact(playbook.root, request, TODAY)
    assert path == playbook.root / "policies" / "vision" / "our-vision-partners.md"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "id: our-vision-partners\n"
        "kind: vision\n"
        "title: 'Our vision: partners'\n"
        "owner: director-general\n"
        "status: draft\n"
        "review_by: 2027-11-26\n"
        "implements: [D1, D3]\n"
        "evidence: []\n"
        "lang: en\n"
        "# The fields of a vision: replace each TODO, check each number and choice.\n"
        "statement: 'TODO: the vision in one or two sentences'\n"
        "---\n"
        "\n"
        "# Our vision: partners\n"
        "\n"
        "TODO: The organization's vision of patient partnership (practice D1).\n"
    )


def test_nested_required_structures_get_placeholders(playbook: PlaybookBuilder) -> None:
    request = NewArtifact("compensation-policy", owner="pp-coordinator", implements=("S3",))
    data = front_matter(new_artifact(playbook.root, request, TODAY))
    assert data["rates"] == [{"activity": "TODO: what the rate pays for", "amount": 0, "unit": "hour"}]
    assert data["budget"] == {"amount": 0, "fiscal_year": "TODO: fiscal year"}
    assert data["expenses_reimbursed"] is False
    registry = front_matter(new_artifact(playbook.root, NewArtifact("registry", owner="pp-coordinator"), TODAY))
    assert registry["managed_by"] == "pp-coordinator"


def test_a_draft_implementing_practices_leaves_them_uncovered(playbook: PlaybookBuilder) -> None:
    result = invoke("new", "vision", str(playbook.root), "--owner", "director-general", "--implements", "D1", *AS_OF)
    assert result.exit_code == 0
    checked = playbook.check()
    assert [d.code for d in checked.diagnostics if d.practice == "D1"] == ["PP403"]
    assert {d.code for d in checked.diagnostics} <= COVERAGE_CODES
    assert checked.coverage_of("D1").status == "no-evidence"  # type: ignore[union-attr]


def test_an_existing_file_is_never_overwritten(playbook: PlaybookBuilder) -> None:
    existing = playbook.write("policies/vision/vision.md", "my own text\n")
    result = invoke("new", "vision", str(playbook.root), "--owner", "director-general")
    assert result.exit_code == 1
    assert result.stderr == "pptoolkit: error: 'policies/vision/vision.md' already exists; nothing was written\n"
    assert existing.read_text(encoding="utf-8") == "my own text\n"
    assert sorted(p.name for p in existing.parent.iterdir()) == ["vision.md"]  # no temporary file left


def test_an_id_used_by_another_artifact_is_refused(playbook: PlaybookBuilder) -> None:
    playbook.artifact("designing/vision.md")
    result = invoke("new", "vision", str(playbook.root), "--owner", "director-general")
    assert result.exit_code == 1
    assert "'policies/designing/vision.md' already has the id 'vision'; choose another with --id" in result.stderr
    assert not (playbook.root / "policies" / "vision").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["visio", "--owner", "pp-coordinator"], "unknown kind 'visio'; use one of: vision, ethics-clause, "),
        (["vision", "--owner", "ceo"], "unknown role 'ceo'; use one of: director-general, head-nurse, pp-coordinator"),
        (["vision"], "choose the artifact's owner with --owner; one of: director-general, head-nurse, pp-coordinator"),
        (
            ["vision", "--owner", "pp-coordinator", "--implements", "D1,Z9"],
            "unknown practice 'Z9'; use one of: D1, D2,",
        ),
        (
            ["vision", "--owner", "pp-coordinator", "--implements", "S33"],
            "unknown practice 'S33'; did you mean S3? use one of: D1, D2,",
        ),
        (["vision", "--owner", "pp-coordinator", "--id", "Not A Slug"], "the id 'Not A Slug' must be a slug"),
        (["vision", "--owner", "pp-coordinator", "--id", "x\n"], "the id 'x\\n' must be a slug"),
        (["vision", "--owner", "pp-coordinator", "--id", "a" * 101], f"the id '{'a' * 101}' must be a slug"),
        (
            ["vision", "--owner", "pp-coordinator", "--title", "Vision\n::error file=x::forged"],
            "the title 'Vision\\n::error file=x::forged' must be one line of text",
        ),
    ],
)
def test_refusals_name_the_valid_choices(playbook: PlaybookBuilder, args: list[str], message: str) -> None:
    result = invoke("new", args[0], str(playbook.root), *args[1:])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pptoolkit: error: {message}")
    assert "Traceback" not in result.output
    assert not (playbook.root / "policies").exists()


def test_an_empty_registry_asks_for_a_role_first(playbook: PlaybookBuilder) -> None:
    playbook.roles("roles: []\n")
    with pytest.raises(ScaffoldError, match=r"the roles registry \(checks/roles.yml\) has no role yet"):
        new_artifact(playbook.root, NewArtifact("vision", owner="director-general"), TODAY)


def test_a_folder_that_is_not_a_playbook_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("new", "vision", str(tmp_path), "--owner", "x")
    assert result.exit_code == 2
    assert "is not a playbook" in result.stderr


def test_slugs_and_dates() -> None:
    assert slugify("Cadre de référence : partenariat") == "cadre-de-reference-partenariat"
    assert slugify("???") == ""
    assert len(slugify("word " * 40)) <= 60
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert one_year_after(date(9999, 3, 1)) == date(9999, 12, 31)  # the last date there is


def test_a_draft_written_as_of_the_last_year_there_is(playbook: PlaybookBuilder) -> None:
    result = invoke("new", "vision", str(playbook.root), "--owner", "pp-coordinator", "--today", "9999-12-31")
    assert result.exit_code == 0, result.stderr
    assert front_matter(playbook.root / "policies" / "vision" / "vision.md")["review_by"] == "9999-12-31"


def test_an_id_of_a_hundred_characters_is_the_longest(playbook: PlaybookBuilder) -> None:
    longest = invoke("new", "vision", str(playbook.root), "--owner", "pp-coordinator", "--id", "a" * 100)
    assert longest.exit_code == 0, longest.stderr
    playbook.artifact("long.md", artifact_text("vision", id="b" * 300))
    assert diagnostics_about(playbook, "policies/long.md") == ["PP203 'id': string should have at most 100 characters"]


def test_a_filled_in_approved_draft_passes_although_the_scaffold_comment_says_todo(playbook: PlaybookBuilder) -> None:
    assert invoke("new", "compensation-policy", str(playbook.root), "--owner", "pp-coordinator", *AS_OF).exit_code == 0
    path = playbook.root / "policies/compensation-policy/compensation-policy.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("#") and "TODO" in line for line in lines[:20])  # the scaffold's own comment
    filled = [line if line.startswith("# ") else line.replace("TODO: ", "Done: ") for line in lines]
    text = "\n".join(filled) + "\n<!-- TODO next year: compare with the other centres -->\n"
    text = text.replace("status: draft\n", "status: approved\napproved_on: 2026-01-15\n")
    text = text.replace(
        "evidence: []\n",
        "evidence:\n  - title: Board minutes\n    date: 2026-01-15\n    link: ../../evidence/minutes.md\n",
    )
    path.write_text(text, encoding="utf-8")
    assert diagnostics_about(playbook, "policies/compensation-policy/compensation-policy.md") == []


def test_a_placeholder_left_in_an_approved_artifact_is_reported_where_it_is(playbook: PlaybookBuilder) -> None:
    body = "# V\n\n<!-- TODO: a picture,\nTODO: a table -->\n\nIt says TODO here.\n"
    playbook.artifact("vision.md", artifact_text("vision", statement="'Our vision #TODO'  # TODO: shorten", body=body))
    found = [(d.code, d.line, d.column) for d in playbook.check().diagnostics if d.code == "PP208"]
    assert found == [("PP208", 14, 25), ("PP208", 22, 9)]  # in the quoted value and in the text; not in comments
