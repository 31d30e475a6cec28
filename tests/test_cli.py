"""The command line, as editors and CI run it: exit codes, the three report formats, and no traceback ever.

The example playbooks under ``tests/example-playbooks/`` are kept as files:
``good`` passes; ``broken`` has one file per kind of problem (its Latin-1 file
is added to a copy at run time, see ``copy_broken_example``), and its expected
``text`` report is the golden file ``broken/expected.txt`` (regenerate it with
``PPTOOLKIT_UPDATE_GOLDEN=1`` and review the diff).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from playbook_support import (
    EXAMPLES,
    ONE_PRACTICE_MATRIX,
    TODAY,
    PlaybookBuilder,
    artifact_text,
    assert_matches_golden,
    copy_broken_example,
    make_playbook,
)

from pptoolkit.cli import cli

GOOD = EXAMPLES / "good"
GOLDEN = EXAMPLES / "broken" / "expected.txt"
AS_OF = ["--today", TODAY.isoformat()]


def run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m pptoolkit ARGS`` in a subprocess (never writing to a real GitHub step summary)."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pptoolkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the broken example playbook, complete with its file that is not UTF-8."""
    return copy_broken_example(tmp_path / "broken")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return CliRunner()


# The example playbooks


def test_good_playbook_passes_with_every_practice_covered() -> None:
    completed = run("check", GOOD, *AS_OF)
    assert completed.returncode == 0
    assert completed.stdout == (
        "Coverage: 4 of 4 practices covered (0 waived, 0 missing, 0 no-owner, 0 no-evidence)\nNo problems found.\n"
    )
    assert completed.stderr == ""


def test_good_playbook_json_lists_every_practice_covered() -> None:
    completed = run("check", GOOD, "--format", "json", *AS_OF)
    report = json.loads(completed.stdout)
    assert [(p["id"], p["status"]) for p in report["practices"]] == [
        ("D1", "covered"),
        ("S5", "covered"),
        ("E1", "covered"),
        ("X1", "covered"),
    ]
    assert report["diagnostics"] == []


def test_broken_playbook_report_matches_the_golden_file(broken: Path) -> None:
    completed = run("check", broken, *AS_OF)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert_matches_golden(completed.stdout, GOLDEN)


def test_broken_playbook_reports_every_broken_file_once_each_problem(broken: Path) -> None:
    completed = run("check", broken, "--format", "json", *AS_OF)
    report = json.loads(completed.stdout)
    by_file = {d["path"]: d["code"] for d in report["diagnostics"] if d["path"].startswith("policies/")}
    assert by_file == {
        "policies/alias-bomb.md": "PP106",
        "policies/duplicate-id-a.md": "PP205",
        "policies/duplicate-id-b.md": "PP205",
        "policies/empty.md": "PP102",
        "policies/future-evidence.md": "PP306",
        "policies/invalid-yaml.md": "PP104",
        "policies/link-outside.md": "PP305",
        "policies/no-front-matter.md": "PP103",
        "policies/not-utf8.md": "PP101",
        "policies/unknown-kind.md": "PP201",
        "policies/unknown-owner.md": "PP302",
        "policies/unknown-practice.md": "PP301",
    }
    # The valid part of a broken playbook is still checked: D1 is covered by unknown-practice.md.
    assert (report["practices"][0]["id"], report["practices"][0]["status"]) == ("D1", "covered")


def test_broken_example_file_is_really_not_utf8(broken: Path) -> None:
    data = (broken / "policies" / "not-utf8.md").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert (broken / "policies" / "empty.md").read_bytes() == b""


# Exit codes


def test_warnings_alone_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    playbook.artifact("vision.md", artifact_text(review_by="2026-11-01"))
    result = runner.invoke(cli, ["check", str(tmp_path), *AS_OF])
    assert result.exit_code == 0
    assert result.stdout == (
        "checks/matrix.yml:2:5: PP404 warning: practice D1 is covered, but every artifact proving it is past its "
        "review date [practice-stale]\n"
        "policies/vision.md:8:1: PP307 warning: 'Test vision' was due for review on November 1, 2026 [review-overdue]\n"
        "\n"
        "Coverage: 1 of 1 practices covered, of which 1 overdue for review "
        "(0 waived, 0 missing, 0 no-owner, 0 no-evidence)\n"
        "Found 0 errors and 2 warnings.\n"
    )


def test_text_report_of_a_tiny_playbook_is_linter_style(runner: CliRunner, tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    playbook.artifact("vision.md", artifact_text(owner="jean-tremblay"))
    result = runner.invoke(cli, ["check", str(tmp_path), *AS_OF])
    assert result.exit_code == 1
    assert result.stdout == (
        "checks/matrix.yml:2:5: PP402 practice D1 has no owner that is a role of the registry [practice-no-owner]\n"
        "policies/vision.md:5:1: PP302 the owner 'jean-tremblay' is not a role of checks/roles.yml; "
        "use one of: director-general, head-nurse, pp-coordinator [unknown-owner]\n"
        "\n"
        "Coverage: 0 of 1 practices covered (0 waived, 0 missing, 1 no-owner, 0 no-evidence)\n"
        "Found 2 errors and 0 warnings.\n"
    )


def test_errors_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    result = runner.invoke(cli, ["check", str(tmp_path), *AS_OF])
    assert result.exit_code == 1
    assert "PP401" in result.stdout
    assert "Found 1 error and 0 warnings." in result.stdout


def test_no_such_root_exits_2(tmp_path: Path) -> None:
    completed = run("check", tmp_path / "nowhere", *AS_OF)
    assert completed.returncode == 2
    assert "no such playbook directory" in completed.stderr
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr


def test_root_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    completed = run("check", tmp_path / "mkdocs.yml", *AS_OF)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    "matrix",
    [
        None,
        "practices: [D1\n",
        "practices:\n  - id: D1\n",
        "- id: D1\n",
        "practices: &a [*a]\n",
    ],
    ids=["missing", "invalid-yaml", "no-valid-practice", "not-a-mapping", "recursive-alias"],
)
def test_unreadable_matrix_exits_2(tmp_path: Path, matrix: str | None) -> None:
    playbook = make_playbook(tmp_path)
    if matrix is None:
        (tmp_path / "checks" / "matrix.yml").unlink()
    else:
        playbook.matrix(matrix)
    completed = run("check", tmp_path, *AS_OF)
    assert completed.returncode == 2
    assert completed.stderr.startswith("pptoolkit: error: 'checks/matrix.yml'")
    assert "Traceback" not in completed.stderr


def test_matrix_not_utf8_exits_2(tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path)
    playbook.write_bytes("checks/matrix.yml", ONE_PRACTICE_MATRIX.replace("vision", "visión").encode("latin-1"))
    completed = run("check", tmp_path, *AS_OF)
    assert completed.returncode == 2
    assert "not UTF-8" in completed.stderr


@pytest.mark.parametrize("today", ["2026-13-01", "26/11/2026", "tomorrow"])
def test_bad_today_exits_2(runner: CliRunner, today: str) -> None:
    result = runner.invoke(cli, ["check", str(GOOD), "--today", today])
    assert result.exit_code == 2
    assert "--today" in result.stderr


def test_unknown_format_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(GOOD), "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_bad_plugin_option_in_mkdocs_yml_exits_2(tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path)
    playbook.write("mkdocs.yml", "site_name: T\nplugins:\n  - pptoolkit:\n      polices_dir: docs\n")
    completed = run("check", tmp_path, *AS_OF)
    assert completed.returncode == 2
    assert "unknown option 'polices_dir'" in completed.stderr


def test_root_defaults_to_the_current_directory() -> None:
    completed = run("check", *AS_OF, cwd=GOOD)
    assert completed.returncode == 0
    assert "4 of 4 practices covered" in completed.stdout


def test_installed_command_and_module_agree(broken: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(broken), *AS_OF])
    assert result.exit_code == 1
    assert result.stdout == run("check", broken, *AS_OF).stdout


# JSON


def test_json_report_has_summary_practices_and_diagnostics(runner: CliRunner, tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    playbook.artifact("designing/vision.md", artifact_text(owner="head-nurse").replace("../evidence", "../../evidence"))
    playbook.artifact(
        "designing/draft.md", artifact_text(id="draft", owner="nobody", status="draft", implements="[]", evidence="[]")
    )
    result = runner.invoke(cli, ["check", str(tmp_path), "--format", "json", *AS_OF])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {
        "practices": 1,
        "covered": 0,
        "stale": 0,
        "waived": 0,
        "not-applicable": 0,
        "missing": 0,
        "no-owner": 1,
        "no-evidence": 0,
        "no-patient-partner": 0,
        "artifacts": 2,
        "errors": 2,
        "warnings": 1,
    }
    [practice] = report["practices"]
    assert practice["id"] == "D1"
    assert practice["status"] == "no-owner"  # the owner is at the wrong level
    assert practice["owners"] == [
        {
            "role": "head-nurse",
            "title": "Head Nurse, Outpatient Clinic",
            "level": "front",
            "type": "manager",
            "artifact": "vision",
        }
    ]
    assert practice["artifacts"] == [
        {
            "id": "vision",
            "path": "policies/designing/vision.md",
            "title": "Test vision",
            "kind": "vision",
            "status": "approved",
            "approved_by": None,
            "co_constructed_with": [],
            "engagement": None,
        }
    ]
    assert practice["evidence"] == [
        {
            "title": "Board minutes",
            "date": "2026-01-15",
            "link": "../../evidence/minutes.md",
            "artifact": "vision",
            "valid": True,
            "signed_by": [],
        }
    ]
    assert (practice["partners"], practice["newest_evidence"], practice["not_applicable"]) == ([], None, None)
    assert report["diagnostics"] == [
        {
            "code": "PP402",
            "name": "practice-no-owner",
            "severity": "error",
            "message": "practice D1 is done by top-level managers, but its artifacts are owned at the wrong level: "
            "'head-nurse' (front-line manager); give one an owner at the practice's level",
            "path": "checks/matrix.yml",
            "line": 2,
            "column": 5,
            "practice": "D1",
        },
        {
            "code": "PP302",
            "name": "unknown-owner",
            "severity": "error",
            "message": "the owner 'nobody' is not a role of checks/roles.yml; "
            "use one of: director-general, head-nurse, pp-coordinator",
            "path": "policies/designing/draft.md",
            "line": 5,
            "column": 1,
            "practice": None,
        },
        {
            "code": "PP303",
            "name": "owner-level-mismatch",
            "severity": "warning",
            "message": "practice D1 is done by top-level managers, but the owner 'head-nurse' is at the front level",
            "path": "policies/designing/vision.md",
            "line": 5,
            "column": 1,
            "practice": "D1",
        },
    ]


def test_json_practice_level_diagnostic_names_the_practice(runner: CliRunner, tmp_path: Path) -> None:
    make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    result = runner.invoke(cli, ["check", str(tmp_path), "--format", "json", *AS_OF])
    [diagnostic] = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["practice"] == "D1"
    assert (diagnostic["path"], diagnostic["line"], diagnostic["column"]) == ("checks/matrix.yml", 2, 5)


# GitHub


def test_github_format_prints_workflow_annotations(broken: Path) -> None:
    completed = run("check", broken, "--format", "github", *AS_OF)
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    assert (
        "::error file=policies/unknown-owner.md,line=5,col=1,title=PP302 unknown-owner::"
        "the owner 'chief-nurse' is not a role of checks/roles.yml; use one of: director-general, head-nurse, "
        "pp-coordinator"
    ) in lines
    assert (
        "::error file=policies/invalid-yaml.md,line=4,col=14,title=PP104 yaml-syntax::"
        "a ':' inside a value: put the whole value in quotes, e.g. title: \"Vision: 2030\""
        " (YAML: mapping values are not allowed in this context)"
    ) in lines
    assert lines[-1] == (
        "::notice title=pptoolkit coverage::"
        "Coverage: 1 of 4 practices covered (0 waived, 0 missing, 1 no-owner, 2 no-evidence)"
    )
    assert all(line.startswith(("::error file=", "::notice ")) for line in lines)
    assert len(lines) == 16


def test_github_format_prints_warnings_as_warnings(runner: CliRunner, tmp_path: Path) -> None:
    playbook = make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    playbook.artifact("vision.md", artifact_text(owner="head-nurse"))
    playbook.artifact("vision-2.md", artifact_text(id="vision-2"))  # D1 stays covered: only the warning remains
    result = runner.invoke(cli, ["check", str(tmp_path), "--format", "github", *AS_OF])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "::warning file=policies/vision.md,line=5,col=1,title=PP303 owner-level-mismatch::"
        "practice D1 is done by top-level managers, but the owner 'head-nurse' is at the front level"
    )


def test_github_format_writes_the_step_summary_when_set(broken: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    completed = run("check", broken, "--format", "github", *AS_OF, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert completed.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## Patient partnership coverage\n")
    assert "| S5 | no-owner |" in text
    assert "| `policies/unknown-owner.md:5:1` | PP302 unknown-owner |" in text


def test_step_summary_is_not_written_by_other_formats(broken: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run("check", broken, *AS_OF, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


# matrix


def test_matrix_json_lists_every_practice_with_its_status(broken: Path) -> None:
    completed = run("matrix", broken, "--format", "json", *AS_OF)
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert list(report) == ["practices"]
    assert report["practices"][0] == {
        "id": "D1",
        "type": "designing",
        "levels": ["top"],
        "cases": [1],
        "title": "Adopt and maintain an organizational vision of the PP",
        "short_title": "Adopt and maintain an organizational vision of the PP",  # the matrix gives none: the title
        "clauses": [],
        "note": None,
        "requires": [],
        "evidence_max_age_days": None,
        "status": "covered",
        "not_applicable": None,
    }
    assert [(p["id"], p["status"]) for p in report["practices"]] == [
        ("D1", "covered"),
        ("S5", "no-owner"),
        ("E1", "no-evidence"),
        ("X1", "no-evidence"),
    ]
    keys = {"id", "type", "levels", "cases", "title", "short_title", "clauses", "note", "requires"}
    keys.add("evidence_max_age_days")
    assert all(set(p) == {*keys, "status", "not_applicable"} for p in report["practices"])


def test_matrix_text_groups_practices_by_type_and_level() -> None:
    completed = run("matrix", GOOD, *AS_OF)
    assert completed.returncode == 0
    lines = completed.stdout.splitlines()
    assert lines[0] == "Designing the PP"
    assert lines[1] == "  Top-level managers"
    assert lines[2].split()[:3] == ["D1", "covered", "top"]
    assert "Evaluating PA integration in QI teams" in lines
    assert lines[-1].startswith("Coverage: 4 of 4 practices covered")


def test_matrix_exit_codes_are_those_of_check(tmp_path: Path) -> None:
    assert run("matrix", GOOD, *AS_OF).returncode == 0
    assert run("matrix", tmp_path / "nowhere", *AS_OF).returncode == 2


# mkdocs.yml and broken input


def test_mkdocs_yml_tags_are_read_without_executing(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    playbook = make_playbook(tmp_path, ONE_PRACTICE_MATRIX)
    playbook.write(
        "mkdocs.yml",
        f"""\
        site_name: Test
        site_url: !ENV [SITE_URL, "https://example.org/"]
        theme:
          name: material
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
              emoji_generator: !!python/name:material.extensions.emoji.to_svg
          - attr_list
        extra:
          trap: !!python/object/apply:os.system ["touch {marker}"]
        plugins:
          - search
          - pptoolkit:
              limits:
                max_evidence_items: 1
        """,
    )
    playbook.artifact(
        "vision.md", artifact_text(evidence="[{title: a, date: 2026-01-01, link: ../evidence/minutes.md}]")
    )
    completed = run("check", tmp_path, *AS_OF)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stderr == ""
    assert not marker.exists()

    # The plugin entry is honoured: two evidence items are over the limit of one.
    two = "\n  - {title: a, date: 2026-01-01, link: ../evidence/minutes.md}" * 2
    playbook.artifact("vision.md", artifact_text(evidence=two))
    completed = run("check", tmp_path, *AS_OF)
    assert completed.returncode == 1
    assert "PP207" in completed.stdout


BROKEN_INPUTS = {
    "mkdocs-deeply-nested": ("mkdocs.yml", "site_name: x\nextra: " + "[" * 100_000 + "\n"),
    "mkdocs-invalid-yaml": ("mkdocs.yml", "site_name: [x\n"),
    "mkdocs-list": ("mkdocs.yml", "- a\n"),
    "mkdocs-not-utf8": ("mkdocs.yml", b"site_name: caf\xe9\n"),
    "mkdocs-limits-not-a-number": (
        "mkdocs.yml",
        "plugins:\n  - pptoolkit:\n      limits:\n        max_file_bytes: big\n",
    ),
    "roles-not-utf8": ("checks/roles.yml", b"roles:\n  - id: r\n    title: caf\xe9\n    level: top\n"),
    "roles-deeply-nested": ("checks/roles.yml", "roles: " + "[" * 100_000),
    "waivers-alias-bomb": ("checks/waivers.yml", "waivers: &a [" + "x, " * 100 + "]\nmore: [" + "*a, " * 300 + "]\n"),
    "waivers-scalar": ("checks/waivers.yml", "just text\n"),
    "artifact-binary": ("policies/image.md", bytes(range(256)) * 4),
    "artifact-nul-in-link": (
        "policies/vision.md",
        artifact_text(evidence='[{title: a, date: 2026-01-01, link: "x\\0y"}]'),
    ),
    "artifact-deeply-nested": ("policies/vision.md", "---\nid: " + "{a: " * 50_000 + "\n---\n"),
    "artifact-only-dashes": ("policies/vision.md", "---\n"),
    "artifact-crlf": ("policies/vision.md", artifact_text().replace("\n", "\r\n")),
    "artifact-front-matter-only-null": ("policies/vision.md", "---\n~\n---\n"),
}


@pytest.mark.slow  # a subprocess for each broken input
@pytest.mark.parametrize("name", sorted(BROKEN_INPUTS))
def test_no_traceback_on_broken_input(playbook: PlaybookBuilder, name: str) -> None:
    relative, content = BROKEN_INPUTS[name]
    if isinstance(content, bytes):
        playbook.write_bytes(relative, content)
    else:
        target = playbook.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="")
    for output_format in ("text", "json", "github"):
        completed = run("check", playbook.root, "--format", output_format, *AS_OF)
        assert "Traceback" not in completed.stderr, completed.stderr
        assert completed.returncode in (1, 2), completed.stdout
        if completed.returncode == 2:
            assert completed.stderr.startswith("pptoolkit: error: ")
            break


def test_an_option_the_plugin_does_not_know_is_refused_by_the_checker_too(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(Path(__file__).parent / "example-playbooks" / "good", root)
    (root / "mkdocs.yml").write_text(
        "site_name: Example\nplugins:\n  - pptoolkit:\n      docs_dir: elsewhere\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pptoolkit", "check", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "unknown option 'docs_dir'" in done.stderr
