"""The baseline of accepted gaps: a check fails only on what is new or worse, and the baseline only shrinks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from editor_support import AS_OF, invoke
from playbook_support import SMALL_MATRIX_YML, PlaybookBuilder, artifact_text

from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site

BASELINE = "checks/baseline.yml"


def gaps(root: Path) -> dict[str, str]:
    """The practices of the playbook's baseline file, with their accepted statuses."""
    data = yaml.safe_load((root / BASELINE).read_text(encoding="utf-8"))
    return dict(data["practices"] or {})


def test_the_baseline_command_accepts_todays_gaps_and_the_check_then_passes(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")  # D1 covered; S5, E1, X1 missing
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 1
    written = invoke("baseline", str(small_playbook.root), *AS_OF)
    assert written.exit_code == 0, written.stderr
    assert "Wrote checks/baseline.yml: 3 accepted gaps (S5, E1, X1)" in written.stderr
    assert gaps(small_playbook.root) == {"S5": "missing", "E1": "missing", "X1": "missing"}
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 0, result.stdout
    assert "Baseline (checks/baseline.yml): 3 accepted gaps (errors that fail nothing), 0 new." in result.stdout
    assert result.stdout.count("PP401") == 3  # every gap is still reported


def test_a_gap_that_is_not_in_the_baseline_fails(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.write(BASELINE, "practices:\n  S5: missing\n  E1: missing\n")
    result = invoke("check", str(small_playbook.root), "--format", "json", *AS_OF)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    states = {d["practice"]: d["baselined"] for d in report["diagnostics"] if d["code"] == "PP401"}
    assert states == {"S5": True, "E1": True, "X1": False}
    assert report["baseline"] == {"path": BASELINE, "accepted": 2, "new_errors": 1, "improved": []}
    assert report["summary"]["errors"] == 3  # the existing keys keep their meaning


def test_a_practice_that_gets_worse_fails(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", status="draft", approved_on=None, evidence="[]"))
    small_playbook.write(BASELINE, "practices:\n  D1: no-evidence\n  S5: missing\n  E1: missing\n  X1: missing\n")
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 0  # D1 is no-evidence, as accepted
    (small_playbook.root / "policies/vision.md").unlink()  # D1 is now missing: worse than accepted
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 1
    assert "1 new." in result.stdout


def test_other_errors_still_fail_with_a_baseline(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", owner="nobody"))
    assert invoke("baseline", str(small_playbook.root), *AS_OF).exit_code == 0
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 1
    assert "PP302" in result.stdout


def test_a_covered_practice_leaves_the_baseline_and_the_check_says_to_commit_it(
    small_playbook: PlaybookBuilder,
) -> None:
    assert invoke("baseline", str(small_playbook.root), *AS_OF).exit_code == 0
    assert gaps(small_playbook.root) == {"D1": "missing", "S5": "missing", "E1": "missing", "X1": "missing"}
    small_playbook.artifact("vision.md")
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 0
    assert "better than the baseline: D1 is now covered (accepted as missing)" in result.stderr
    assert "wrote the tightened checks/baseline.yml: commit it" in result.stderr
    assert gaps(small_playbook.root) == {"S5": "missing", "E1": "missing", "X1": "missing"}
    (small_playbook.root / "policies/vision.md").unlink()  # and it cannot come back unnoticed
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 1


def test_a_better_status_is_taken_into_the_baseline(small_playbook: PlaybookBuilder) -> None:
    assert invoke("baseline", str(small_playbook.root), *AS_OF).exit_code == 0
    small_playbook.artifact("vision.md", artifact_text("vision", status="draft", approved_on=None, evidence="[]"))
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 0
    assert gaps(small_playbook.root)["D1"] == "no-evidence"


def test_sarif_says_which_results_are_new(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write(BASELINE, "practices:\n  D1: missing\n")
    result = invoke("check", str(small_playbook.root), "--format", "sarif", *AS_OF)
    states = {
        r["properties"]["practice"]: r["baselineState"]
        for r in json.loads(result.stdout)["runs"][0]["results"]
        if r["ruleId"] == "PP401"
    }
    assert states == {"D1": "unchanged", "S5": "new", "E1": "new", "X1": "new"}


def test_github_annotations_of_accepted_gaps_are_notices(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write(BASELINE, "practices:\n  D1: missing\n")
    lines = invoke("check", str(small_playbook.root), "--format", "github", *AS_OF).stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines if "PP401" in line] == ["::notice", "::error", "::error", "::error"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("practices:\n  D1: covered\n", "'checks/baseline.yml': practice D1: 'covered' is not a status a gap can have"),
        ("- D1\n", "'checks/baseline.yml': expected 'practices:'"),
        ("practices: [D1]\n", "'checks/baseline.yml': expected 'practices:'"),
        ("practices:\n  D1: [missing\n", "'checks/baseline.yml':3:1: "),
    ],
)
def test_a_malformed_baseline_is_a_configuration_error(
    small_playbook: PlaybookBuilder, text: str, expected: str
) -> None:
    small_playbook.write(BASELINE, text)
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 2
    assert expected in result.stderr


def _requiring_patient_partners(small_playbook: PlaybookBuilder) -> None:
    """E1 requires patient partners; its evaluation has an owner and evidence, but no patient partner."""
    small_playbook.matrix(
        SMALL_MATRIX_YML.replace("    cases: [1, 2]\n", "    cases: [1, 2]\n    requires: [patient-partner]\n")
    )
    small_playbook.artifact("evaluation.md", kind="evaluation")


def test_a_practice_without_its_patient_partners_is_a_gap_the_baseline_writes_and_reads(
    small_playbook: PlaybookBuilder,
) -> None:
    _requiring_patient_partners(small_playbook)
    assert "no-patient-partner" in invoke("check", str(small_playbook.root), *AS_OF).stdout
    written = invoke("baseline", str(small_playbook.root), *AS_OF)
    assert written.exit_code == 0, written.stderr
    assert gaps(small_playbook.root) == {"D1": "missing", "S5": "missing", "E1": "no-patient-partner", "X1": "missing"}
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "4 accepted gaps (errors that fail nothing), 0 new." in result.stdout
    assert "PP405" in result.stdout  # still reported


@pytest.mark.parametrize(
    ("accepted", "tightened"),
    [("missing", "no-patient-partner"), ("no-evidence", "no-patient-partner"), ("no-patient-partner", None)],
)
def test_no_patient_partner_ranks_after_no_evidence_and_before_covered(
    small_playbook: PlaybookBuilder, accepted: str, tightened: str | None
) -> None:
    """It has an owner and evidence and lacks only its patient partners: better than every other gap."""
    _requiring_patient_partners(small_playbook)
    small_playbook.write(BASELINE, f"practices:\n  D1: missing\n  S5: missing\n  E1: {accepted}\n  X1: missing\n")
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 0, result.stdout
    assert gaps(small_playbook.root)["E1"] == (tightened or accepted)
    (small_playbook.root / "evidence/minutes.md").unlink()  # E1 falls back to no-evidence: worse, it fails
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 1


@pytest.mark.parametrize(
    "text", ["practices:\n  D1: covered\n", "- D1\n", "practices:\n  D1: [missing\n", "practices: {D1: lost}\n"]
)
def test_the_baseline_command_rewrites_a_baseline_that_cannot_be_read(
    small_playbook: PlaybookBuilder, text: str
) -> None:
    """Every other command stops on such a file (exit 2); 'pptoolkit baseline' is the way out."""
    small_playbook.write(BASELINE, text)
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 2
    written = invoke("baseline", str(small_playbook.root), *AS_OF)
    assert written.exit_code == 0, written.stderr
    assert gaps(small_playbook.root) == {"D1": "missing", "S5": "missing", "E1": "missing", "X1": "missing"}
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 0


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(f.relative_to(root)): (f.read_bytes(), f.stat().st_mtime_ns) for f in root.rglob("*") if f.is_file()}


def test_check_rewrites_the_baseline_it_tightens_and_nothing_else(small_playbook: PlaybookBuilder) -> None:
    """The one file a check writes in the sources (README, "Nothing lost"); matrix writes none."""
    small_playbook.artifact("vision.md")
    small_playbook.write(BASELINE, "practices:\n  D1: missing\n  S5: missing\n  E1: missing\n  X1: missing\n")
    for file in small_playbook.root.rglob("*"):
        os.utime(file, ns=(1_600_000_000_000_000_000,) * 2)
    before = _files(small_playbook.root)
    assert invoke("matrix", str(small_playbook.root), *AS_OF).exit_code == 0
    assert _files(small_playbook.root) == before
    assert invoke("check", str(small_playbook.root), *AS_OF).exit_code == 0
    after = _files(small_playbook.root)
    assert [name for name in before if after.get(name) != before[name]] == [BASELINE]
    assert set(after) == set(before)


def test_a_baseline_with_no_gap_left_accepts_nothing(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write(BASELINE, "practices:\n")
    result = invoke("check", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 1
    assert "0 accepted gaps (errors that fail nothing), 4 new." in result.stdout


def test_init_can_start_with_a_baseline(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    started = invoke("init", "--baseline", str(root))
    assert started.exit_code == 0, started.stderr
    assert "Wrote checks/baseline.yml" in started.stdout
    assert len(gaps(root)) == 25
    assert invoke("check", str(root), *AS_OF).exit_code == 0


@pytest.mark.slow  # builds a site
def test_a_strict_build_publishes_a_playbook_whose_only_errors_are_accepted_gaps(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    assert invoke("init", "--baseline", str(root)).exit_code == 0
    built = invoke("build", str(root))
    assert built.exit_code == 0, built.stderr
    gaps_page = (root / "site/gaps.html").read_text(encoding="utf-8")
    assert all(f"practice {p} (" in gaps_page for p in ("D1", "S5", "E3"))  # the site still shows every gap
    (root / "policies/vision.md").write_text(artifact_text("vision", owner="nobody"), encoding="utf-8")
    refused = invoke("build", str(root))
    assert refused.exit_code == 1
    assert "the checker found 2 new errors" in refused.stderr  # the unknown owner, the broken evidence link
    with pytest.raises(BuildFailed):  # the plugin itself, in a strict build that did not check first
        build_site(BuildOptions(root=root, strict=True))
