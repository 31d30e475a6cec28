"""The CI formats of ``pptoolkit check``: SARIF 2.1.0 (validated against the OASIS schema), JUnit XML (read back
with junitparser), GitLab code quality, and the GitHub step summary; exact output on a small playbook."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from editor_support import AS_OF, SARIF_SCHEMA, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for
from junitparser import Failure, JUnitXml, Skipped
from playbook_support import EXAMPLES, SMALL_MATRIX_YML, PlaybookBuilder, artifact_text, copy_broken_example

from pptoolkit.checking import rules as catalog
from pptoolkit.checking.checker import Result
from pptoolkit.reporting.printable import one_line, utf8_safe
from pptoolkit.reporting.reporters import (
    _safe_json,
    _utf8_tree,
    as_json,
    coverage_line,
    diagnostic_json,
    diagnostic_line,
    gitlab,
    indented_json,
    json_chunks,
    junit,
    practice_json,
    sarif,
    step_summary,
)

WAIVER = """\
waivers:
  - practice: E1
    reason: The survey starts in January
    approved_by: director-general
    expires: 2026-12-15
"""


@pytest.fixture
def mixed(small_playbook: PlaybookBuilder) -> PlaybookBuilder:
    """D1 covered, S5 no-owner (its artifact's owner is unknown), E1 waived (expiring soon), X1 missing."""
    small_playbook.artifact("vision.md")
    small_playbook.artifact("logic-model.md", artifact_text("logic-model", owner="nobody"))
    small_playbook.waivers(WAIVER)
    return small_playbook


def sarif_of(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sarif(result))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(document)] == []
    return document


# SARIF -------------------------------------------------------------------------------------------


def test_sarif_is_valid_and_describes_every_rule(mixed: PlaybookBuilder) -> None:
    run = sarif_of(mixed.check())["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "pptoolkit"
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in catalog.ALL]
    owner = driver["rules"][[r.code for r in catalog.ALL].index("PP302")]
    assert owner["name"] == "unknown-owner"
    assert owner["shortDescription"]["text"] == catalog.references.UNKNOWN_OWNER.summary
    assert owner["help"]["text"].startswith(catalog.references.UNKNOWN_OWNER.summary)
    assert owner["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][[r.code for r in catalog.ALL].index("PP404")]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_results_are_located_and_indexed(mixed: PlaybookBuilder) -> None:
    run = sarif_of(mixed.check())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    located = []
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        located.append(
            (
                result["ruleId"],
                result["level"],
                location["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                result.get("properties", {}).get("practice"),
            )
        )
    assert located == [
        ("PP402", "error", "checks/matrix.yml", 7, 5, "S5"),
        ("PP401", "error", "checks/matrix.yml", 17, 5, "X1"),
        ("PP502", "warning", "checks/waivers.yml", 5, 5, "E1"),
        ("PP302", "error", "policies/logic-model.md", 5, 1, None),
    ]
    assert run["results"][3]["message"]["text"].startswith("the owner 'nobody' is not a role of checks/roles.yml")
    assert run["properties"]["coverage"]["covered"] == 1


def fingerprints(result: Result) -> dict[tuple[str, str], str]:
    run = sarif_of(result)["runs"][0]
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r["partialFingerprints"][
            "pptoolkit/v1"
        ]
        for r in run["results"]
    }


def test_fingerprints_survive_line_shifts_and_tell_problems_apart(mixed: PlaybookBuilder) -> None:
    before = fingerprints(mixed.check())
    assert len(set(before.values())) == len(before)
    mixed.write("checks/matrix.yml", "# A comment that moves every practice down two lines\n\n" + SMALL_MATRIX_YML)
    mixed.artifact("logic-model.md", artifact_text("logic-model", owner="nobody").replace("---\n", "---\n\n\n", 1))
    shifted = mixed.check()
    assert [(d.code, d.line) for d in shifted.diagnostics if d.code in ("PP402", "PP302")] == [
        ("PP402", 9),
        ("PP302", 7),
    ]
    assert fingerprints(shifted) == before
    mixed.artifact("logic-model.md", artifact_text("logic-model", owner="someone-else"))
    assert (
        fingerprints(mixed.check())[("PP302", "policies/logic-model.md")]
        != before[("PP302", "policies/logic-model.md")]
    )


def test_repeated_problems_get_distinct_fingerprints(small_playbook: PlaybookBuilder) -> None:
    evidence = "\n  - title: Gone\n    date: 2026-01-15\n    link: ../evidence/gone.md" * 2
    small_playbook.artifact("vision.md", artifact_text("vision", evidence=evidence))
    run = sarif_of(small_playbook.check())["runs"][0]
    broken = [r["partialFingerprints"]["pptoolkit/v1"] for r in run["results"] if r["ruleId"] == "PP304"]
    assert len(broken) == 2
    assert len(set(broken)) == 2


def test_sarif_uris_are_percent_encoded(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("our vision.md", artifact_text("vision", owner="nobody"))
    run = sarif_of(small_playbook.check())["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "policies/our%20vision.md" in uris


def test_sarif_of_the_broken_example_is_valid(tmp_path: Path) -> None:
    root = copy_broken_example(tmp_path / "broken")
    result = invoke("check", str(root), "--format", "sarif", *AS_OF)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert [e.message for e in validator_for(schema)(schema).iter_errors(document)] == []
    assert len({r["ruleId"] for r in document["runs"][0]["results"]}) >= 8


def test_sarif_of_a_good_playbook_has_no_results(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "good", tmp_path / "good")
    result = invoke("check", str(tmp_path / "good"), "--format", "sarif", *AS_OF)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


# JUnit -------------------------------------------------------------------------------------------

EXPECTED_JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pptoolkit" tests="7" failures="3" errors="0" skipped="1">
  <testsuite name="pptoolkit coverage" tests="4" failures="2" errors="0" skipped="1">
    <testcase classname="designing" name="D1: Adopt and maintain an organizational vision of the PP" />
    <testcase classname="structuring" name="S5: Develop a logical model of PP (goals, targets and strategies to deploy PP) and review it over time">
      <failure type="no-owner" message="practice S5 has no owner that is a role of the registry">checks/matrix.yml:7:5: PP402 practice S5 has no owner that is a role of the registry [practice-no-owner]</failure>
    </testcase>
    <testcase classname="evaluating" name="E1: Ensure feedback from PA and QI teams regarding their partnership experience">
      <skipped message="waived until 2026-12-15: The survey starts in January" />
      <system-out>checks/waivers.yml:5:5: PP502 warning: the waiver for E1 expires on December 15, 2026, within 30 days [waiver-expiring]</system-out>
    </testcase>
    <testcase classname="evaluating" name="X1: Publish an annual partnership report (an organization's own practice)">
      <failure type="missing" message="no current artifact implements practice X1 (Publish an annual partnership report (an organization's own practice))">checks/matrix.yml:17:5: PP401 no current artifact implements practice X1 (Publish an annual partnership report (an organization's own practice)) [practice-missing]</failure>
    </testcase>
  </testsuite>
  <testsuite name="pptoolkit files" tests="3" failures="1" errors="0" skipped="0">
    <testcase classname="checks" name="checks/waivers.yml">
      <system-out>checks/waivers.yml:5:5: PP502 warning: the waiver for E1 expires on December 15, 2026, within 30 days [waiver-expiring]</system-out>
    </testcase>
    <testcase classname="policies" name="policies/logic-model.md">
      <failure type="PP302" message="1 error: the owner 'nobody' is not a role of checks/roles.yml; use one of: director-general, head-nurse, pp-coordinator">policies/logic-model.md:5:1: PP302 the owner 'nobody' is not a role of checks/roles.yml; use one of: director-general, head-nurse, pp-coordinator [unknown-owner]</failure>
    </testcase>
    <testcase classname="policies" name="policies/vision.md" />
  </testsuite>
</testsuites>
"""  # noqa: E501


def test_junit_exact_output(mixed: PlaybookBuilder) -> None:
    assert junit(mixed.check()) == EXPECTED_JUNIT


def test_junit_reads_back_with_a_junit_parser(mixed: PlaybookBuilder) -> None:
    result = invoke("check", str(mixed.root), "--format", "junit", *AS_OF)
    assert result.exit_code == 1
    xml = JUnitXml.fromstring(result.stdout)
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["pptoolkit coverage", "pptoolkit files"]
    coverage = suites["pptoolkit coverage"]
    assert (coverage.tests, coverage.failures, coverage.skipped) == (4, 2, 1)
    outcome = {}
    for case in coverage:
        kinds = [type(r).__name__ for r in case.result]
        outcome[case.name] = (case.classname, kinds)
    assert outcome == {
        "D1: Adopt and maintain an organizational vision of the PP": ("designing", []),
        "S5: Develop a logical model of PP (goals, targets and strategies to deploy PP) and review it over time": (
            "structuring",
            ["Failure"],
        ),
        "E1: Ensure feedback from PA and QI teams regarding their partnership experience": ("evaluating", ["Skipped"]),
        "X1: Publish an annual partnership report (an organization's own practice)": ("evaluating", ["Failure"]),
    }
    s5 = next(case for case in coverage if case.name.startswith("S5"))
    failure = s5.result[0]
    assert isinstance(failure, Failure)
    assert failure.type == "no-owner"
    assert "PP402" in (failure.text or "")
    e1 = next(case for case in coverage if case.name.startswith("E1"))
    assert isinstance(e1.result[0], Skipped)
    files = {case.name: [type(r).__name__ for r in case.result] for case in suites["pptoolkit files"]}
    assert files == {"checks/waivers.yml": [], "policies/logic-model.md": ["Failure"], "policies/vision.md": []}


def test_junit_of_a_fresh_playbook_fails_every_practice(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "new")).exit_code == 0
    result = invoke("check", str(tmp_path / "new"), "--format", "junit", *AS_OF)
    xml = JUnitXml.fromstring(result.stdout)
    coverage = next(iter(xml))
    assert (coverage.tests, coverage.failures) == (25, 25)
    assert {case.classname for case in coverage} == {"designing", "structuring", "operationalizing", "evaluating"}


def test_junit_text_is_well_formed_whatever_the_input(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", title='"<Vision> & \\u0001 control"', owner="x"))
    xml = JUnitXml.fromstring(junit(small_playbook.check()))
    assert sum(suite.tests for suite in xml) == 5


# GitLab code quality -----------------------------------------------------------------------------


def test_gitlab_exact_output(mixed: PlaybookBuilder) -> None:
    issues = json.loads(gitlab(mixed.check()))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("PP402 practice-no-owner", "major", {"path": "checks/matrix.yml", "lines": {"begin": 7}}),
        ("PP401 practice-missing", "major", {"path": "checks/matrix.yml", "lines": {"begin": 17}}),
        ("PP502 waiver-expiring", "minor", {"path": "checks/waivers.yml", "lines": {"begin": 5}}),
        ("PP302 unknown-owner", "major", {"path": "policies/logic-model.md", "lines": {"begin": 5}}),
    ]
    assert issues[2] == {
        "description": "PP502 the waiver for E1 expires on December 15, 2026, within 30 days",
        "check_name": "PP502 waiver-expiring",
        "fingerprint": issues[2]["fingerprint"],
        "severity": "minor",
        "location": {"path": "checks/waivers.yml", "lines": {"begin": 5}},
    }
    sarif_prints = [r["partialFingerprints"]["pptoolkit/v1"] for r in sarif_of(mixed.check())["runs"][0]["results"]]
    assert [i["fingerprint"] for i in issues] == sarif_prints


def test_gitlab_of_a_good_playbook_is_an_empty_list(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "good", tmp_path / "good")
    result = invoke("check", str(tmp_path / "good"), "--format", "gitlab", *AS_OF)
    assert (result.exit_code, result.stdout) == (0, "[]\n")


# GitHub ------------------------------------------------------------------------------------------


def test_github_writes_a_step_summary(mixed: PlaybookBuilder, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step\n", encoding="utf-8")
    result = invoke("check", str(mixed.root), "--format", "github", *AS_OF, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=checks/matrix.yml,line=7,col=5,title=PP402 practice-no-owner::")
    written = summary.read_text(encoding="utf-8")
    assert written == "Earlier step\n" + step_summary(mixed.check())
    assert "| S5 | no-owner |" in written
    assert "| X1 | missing |" in written


def test_other_formats_leave_the_step_summary_alone(mixed: PlaybookBuilder, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    for output_format in ("text", "json", "sarif", "junit", "gitlab"):
        invoke("check", str(mixed.root), "--format", output_format, *AS_OF, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


# Every format escapes what it prints -------------------------------------------------------------

FORGED_WAIVER = """\
waivers:
  - practice: "E1\\n::error file=forged.md,line=1::forged\\u2028\\u202eevil | <img src=https://tracker.example/x.png> ![x](https://tracker.example/y.png)"
    reason: Forged
    approved_by: director-general
    expires: 2027-03-31
"""
"""A waiver whose practice (quoted in a message) holds a line break, a line separator, a bidi override and markup."""
FORGED_FILE = "policies/new\n::error file=evil.md::forged.md"
NOT_UTF8_FILE = os.fsdecode(b"policies/caf\xe9.md")
NOT_UTF8_SHOWN = "policies/caf\\xe9.md"


@pytest.fixture
def forged(small_playbook: PlaybookBuilder) -> PlaybookBuilder:
    """A playbook with a forged waiver, a file whose name holds a line break, and one whose name is not UTF-8."""
    small_playbook.artifact("vision.md")
    small_playbook.waivers(FORGED_WAIVER)
    small_playbook.write(FORGED_FILE, artifact_text("vision", id="forged", owner='"nobody\\r::error x"'))
    small_playbook.write(NOT_UTF8_FILE, artifact_text("vision", id="cafe"))
    return small_playbook


def check_output(root: Path, output_format: str, env: dict[str, str] | None = None) -> bytes:
    """``python -m pptoolkit check ROOT --format FORMAT``'s standard output, as bytes; no traceback on stderr."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"} | (env or {})
    done = subprocess.run(
        [sys.executable, "-m", "pptoolkit", "check", str(root), "--format", output_format, *AS_OF],
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    return done.stdout


def test_a_forged_value_never_starts_a_line_of_the_text_report(forged: PlaybookBuilder) -> None:
    lines = check_output(forged.root, "text").decode("utf-8").split("\n")
    result = forged.check()
    assert lines[: len(result.diagnostics)] == [diagnostic_line(d) for d in result.diagnostics]
    assert lines[len(result.diagnostics) :] == ["", coverage_line(result), lines[-2], ""]
    assert all(line.startswith(("checks/", "policies/")) for line in lines[: len(result.diagnostics)])
    waiver = next(line for line in lines if "PP503" in line)
    assert "'E1\\n::error file=forged.md,line=1::forged\\u2028\\u202eevil | <img" in waiver
    assert any(line.startswith("policies/new\\n::error file=evil.md::forged.md:") for line in lines)
    assert any(line.startswith(f"{NOT_UTF8_SHOWN}:1:1: PP101 the file name is not UTF-8") for line in lines)


def test_a_forged_value_never_makes_a_workflow_command(forged: PlaybookBuilder) -> None:
    lines = check_output(forged.root, "github").decode("utf-8").splitlines()
    assert len(lines) == len(forged.check().diagnostics) + 1
    assert all(line.startswith(("::error file=checks/", "::error file=policies/", "::notice ")) for line in lines)
    assert "::error file=policies/new\\n%3A%3Aerror file=evil.md%3A%3Aforged.md,line=" in "\n".join(lines)
    assert any(line.startswith(f"::error file={NOT_UTF8_SHOWN},line=1,col=1,title=PP101 not-utf8::") for line in lines)


def test_the_step_summary_keeps_forged_values_in_their_cell(forged: PlaybookBuilder) -> None:
    result = forged.check()
    summary = step_summary(result)
    rows = [line for line in summary.splitlines() if line.startswith("|")]
    assert all(line.endswith("|") and line.count("|") - line.count("\\|") == 4 for line in rows), rows
    failing = [c for c in result.coverage if c.status != "covered"]
    assert len(rows) == 2 + len(failing) + 2 + len(result.diagnostics)  # each table: its header, then a row each
    assert "<img" not in summary and "](" not in summary.replace("\\](", "")
    assert "evil \\| &lt;img src=https://tracker.example/x.png&gt; !\\[x\\](https://tracker.example/y.png)" in summary
    assert f"| `{NOT_UTF8_SHOWN}:1:1` | PP101 not-utf8 |" in summary


@pytest.mark.parametrize("output_format", ["json", "sarif", "gitlab", "junit"])
def test_every_format_is_utf8_whatever_the_file_names(forged: PlaybookBuilder, output_format: str) -> None:
    text = check_output(forged.root, output_format).decode("utf-8")  # strict: a lone surrogate would fail here
    if output_format == "junit":
        suites = {suite.name: suite for suite in JUnitXml.fromstring(text)}
        assert NOT_UTF8_SHOWN in [case.name for case in suites["pptoolkit files"]]
        return
    document = json.loads(text)
    if output_format == "sarif":
        sarif_of(forged.check())
        uris = [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]
        ]
        assert "policies/caf%5Cxe9.md" in uris
    elif output_format == "gitlab":
        assert NOT_UTF8_SHOWN in [issue["location"]["path"] for issue in document]
    else:
        (shown,) = [d for d in document["diagnostics"] if d["code"] == "PP101"]
        assert shown["path"] == NOT_UTF8_SHOWN
        assert shown["message"].startswith("the file name is not UTF-8")


def test_values_are_printed_on_one_line_and_in_utf8() -> None:
    assert one_line("a\nb\r\tc\x00d\x85e\u2028f\u202eg\udcffh") == "a\\nb\\r\\tc\\u0000d\\u0085e\\u2028f\\u202eg\\xffh"
    assert one_line("Réseau\u00a0: « Partenariat »") == "Réseau\u00a0: « Partenariat »"
    assert utf8_safe("caf\udce9 \ud800") == "caf\\xe9 \\ud800"


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_KEYS = st.text() | st.integers() | st.booleans() | st.none()
_JSON = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=30,
)
_RECORD = st.dictionaries(st.text(alphabet='ab}{,\n :"', max_size=6), _SCALARS | st.just("},\n    {"), max_size=3)


@settings(max_examples=300, deadline=None)
@given(_JSON | st.lists(_RECORD, max_size=5) | st.dictionaries(st.text(), st.lists(_RECORD, max_size=4), max_size=3))
def test_the_json_reports_are_indented_exactly_as_the_json_module_indents(document: Any) -> None:
    """The quick indentation (the C encoder for each container of plain values) is the json module's, to the byte."""
    assert indented_json(document) == json.dumps(document, indent=2, ensure_ascii=False)


_REPORT_TEXT = st.text(
    st.characters(codec=None, exclude_categories=())  # surrogates too: a file name that is not UTF-8
    | st.sampled_from(["\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", '"', "\\", "/", "\n", "\udce9"]),
    max_size=8,
)
_REPORT_SCALARS = st.none() | st.booleans() | st.integers() | st.integers(-(2**70), 2**70) | _REPORT_TEXT
_REPORT_JSON = st.recursive(
    _REPORT_SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(_REPORT_TEXT, children, max_size=4)
        | st.dictionaries(st.integers() | st.booleans() | st.none(), children, max_size=2)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_REPORT_JSON, st.integers(0, 3))
def test_every_json_report_is_written_as_the_json_module_writes_it(document: Any, depth: int) -> None:
    """What a report holds (text of any code point, integers of any size, empty containers, keys that are not text)
    is written by orjson, or by our own writer where orjson refuses it, to the byte as the json module writes it,
    each text made UTF-8 safe, and indented ``depth`` deep."""
    expected = json.dumps(_utf8_tree(document), indent=2, ensure_ascii=False)
    assert _safe_json(document, depth) == expected.replace("\n", "\n" + "  " * depth)


def test_the_json_report_written_in_pieces_is_the_whole_document(forged: PlaybookBuilder) -> None:
    """``check --format json`` writes a practice or a thousand diagnostics at a time: the same bytes as one document."""
    result = forged.check()
    many = dataclasses.replace(result, diagnostics=result.diagnostics * (2500 // len(result.diagnostics) + 1))
    for checked in (result, many, dataclasses.replace(result, coverage=(), diagnostics=())):
        document = {
            "today": checked.today.isoformat(),
            "summary": checked.summary(),
            "practices": [practice_json(c) for c in checked.coverage],
            "diagnostics": [diagnostic_json(d) for d in checked.diagnostics],
        }
        whole = json.dumps(_utf8_tree(document), indent=2, ensure_ascii=False) + "\n"
        assert b"".join(json_chunks(checked)).decode("utf-8") == as_json(checked) == whole
    pieces = -(-len(many.diagnostics) // 1000)
    assert pieces >= 3
    assert len(list(json_chunks(many))) == 5 + len(many.coverage) + pieces  # a head, separators, and closings
    assert check_output(forged.root, "json").decode("utf-8") == as_json(result)
