"""One status per practice, with the exact conditions of the issue (covered, stale, waived, missing, no-owner,
no-evidence), on the small matrix D1 (top), S5 (mid), E1 (front) and X1 (an organization's own practice, mid)."""

from __future__ import annotations

from datetime import date

import pytest
from playbook_support import TODAY, PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage


def evidence(link: str = "../evidence/minutes.md", when: str = "2026-01-15") -> str:
    return f"\n  - title: Proof\n    date: {when}\n    link: {link}"


def waiver(practice: str = "D1", expires: str = "2027-03-31") -> str:
    return (
        "waivers:\n"
        f"  - practice: {practice}\n"
        "    reason: The board adopts the vision in March\n"
        "    approved_by: director-general\n"
        f"    expires: {expires}\n"
    )


def coverage(result: Result, practice: str = "D1") -> PracticeCoverage:
    found = result.coverage_of(practice)
    assert found is not None
    return found


def practice_codes(result: Result, practice: str = "D1") -> list[str]:
    """Codes of the diagnostics located at the practice's matrix entry."""
    return [d.code for d in result.diagnostics if d.practice == practice and d.path == "checks/matrix.yml"]


def test_approved_artifact_with_owner_and_evidence_is_covered(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    result = small_playbook.check()
    d1 = coverage(result)
    assert d1.status == "covered"
    assert practice_codes(result) == []
    assert [(o.role, o.level, o.artifact) for o in d1.owners] == [("director-general", "top", "vision")]
    assert [(e.title, e.date, e.target, e.valid) for e in d1.evidence] == [
        ("Board minutes", date(2026, 1, 15), "evidence/minutes.md", True)
    ]
    assert [a.path for a in d1.artifacts] == ["policies/vision.md"]
    assert d1.review_by == date(2027, 6, 30)


def test_all_four_practices_covered_gives_no_problem(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", kind="vision")
    small_playbook.artifact("logic-model.md", kind="logic-model")
    small_playbook.artifact("evaluation.md", kind="evaluation")
    small_playbook.artifact("report.md", artifact_text("indicators", id="report", implements="[X1]"))
    result = small_playbook.check()
    assert result.diagnostics == ()
    assert result.counts() == {
        "covered": 4,
        "stale": 0,
        "waived": 0,
        "not-applicable": 0,
        "missing": 0,
        "no-owner": 0,
        "no-evidence": 0,
        "no-patient-partner": 0,
    }
    assert result.exit_code == 0


def test_practice_nobody_implements_is_missing(small_playbook: PlaybookBuilder) -> None:
    result = small_playbook.check()
    assert coverage(result).status == "missing"
    assert practice_codes(result) == ["PP401"]
    assert result.exit_code == 1


def test_retired_artifact_does_not_count(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(status="retired"))
    result = small_playbook.check()
    assert coverage(result).status == "missing"
    assert coverage(result).artifacts == ()


def test_retired_artifact_with_evidence_does_not_prove_a_current_draft(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision-2025.md", artifact_text(id="vision-2025", status="retired"))
    small_playbook.artifact("vision.md", artifact_text(status="draft", approved_on=None, evidence="[]"))
    assert coverage(small_playbook.check()).status == "no-evidence"


def test_practice_whose_only_owner_is_not_a_role_has_no_owner(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(owner="marie-gagnon"))
    result = small_playbook.check()
    d1 = coverage(result)
    assert d1.status == "no-owner"
    assert [(o.role, o.level) for o in d1.owners] == [("marie-gagnon", None)]
    assert practice_codes(result) == ["PP402"]


def test_one_artifact_with_a_real_owner_is_enough(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.artifact("vision-draft.md", artifact_text(id="vision-draft", owner="nobody", status="draft"))
    assert coverage(small_playbook.check()).status == "covered"


def test_no_owner_takes_precedence_over_no_evidence(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(owner="nobody", evidence="[]"))
    assert coverage(small_playbook.check()).status == "no-owner"


def test_draft_with_evidence_has_no_evidence(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(status="draft", approved_on=None))
    result = small_playbook.check()
    assert coverage(result).status == "no-evidence"
    assert practice_codes(result) == ["PP403"]


def test_approved_artifact_without_evidence_has_no_evidence(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence="[]"))
    assert coverage(small_playbook.check()).status == "no-evidence"


def test_evidence_that_does_not_resolve_does_not_count(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence("../evidence/lost.md")))
    result = small_playbook.check()
    assert coverage(result).status == "no-evidence"
    assert [e.valid for e in coverage(result).evidence] == [False]


def test_evidence_leaving_the_playbook_does_not_count(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence("../../etc/passwd")))
    assert coverage(small_playbook.check()).status == "no-evidence"


def test_evidence_dated_after_today_does_not_count(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence(when="2026-11-27")))
    result = small_playbook.check()
    assert coverage(result).status == "no-evidence"
    assert [d.code for d in result.diagnostics if d.path == "policies/vision.md"] == ["PP306"]


def test_evidence_dated_today_counts(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence(when=TODAY.isoformat())))
    assert coverage(small_playbook.check()).status == "covered"


def test_wellformed_https_url_is_evidence(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence("https://www.example.org/minutes.pdf")))
    assert coverage(small_playbook.check()).status == "covered"


def test_plain_http_url_is_not_evidence(small_playbook: PlaybookBuilder) -> None:
    # The issue: a link resolves when it is "an existing file inside the playbook, or a well-formed https URL".
    small_playbook.artifact("vision.md", artifact_text(evidence=evidence("http://www.example.org/minutes.pdf")))
    assert coverage(small_playbook.check()).status == "no-evidence"


def test_one_valid_evidence_item_among_broken_ones_is_enough(small_playbook: PlaybookBuilder) -> None:
    items = evidence("../evidence/lost.md") + evidence() + evidence(when="2027-01-01")
    small_playbook.artifact("vision.md", artifact_text(evidence=items))
    result = small_playbook.check()
    assert coverage(result).status == "covered"
    assert [e.valid for e in coverage(result).evidence] == [False, True, False]


def test_evidence_must_be_on_an_approved_artifact_that_implements_the_practice(
    small_playbook: PlaybookBuilder,
) -> None:
    small_playbook.artifact("vision.md", artifact_text(evidence="[]"))
    small_playbook.artifact("logic-model.md", kind="logic-model")  # S5 only, with evidence
    result = small_playbook.check()
    assert coverage(result, "D1").status == "no-evidence"
    assert coverage(result, "S5").status == "covered"


def test_covered_practice_past_review_is_stale(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(review_by="2026-11-25"))
    result = small_playbook.check()
    assert coverage(result).status == "stale"
    assert practice_codes(result) == ["PP404"]
    assert [d.severity.value for d in result.diagnostics if d.practice == "D1"] == ["warning"]


def test_review_due_today_is_not_stale(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(review_by=TODAY.isoformat()))
    assert coverage(small_playbook.check()).status == "covered"


def test_stale_only_when_every_evidencing_artifact_is_past_review(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(review_by="2026-01-31"))
    small_playbook.artifact("vision-2.md", artifact_text(id="vision-2"))
    assert coverage(small_playbook.check()).status == "covered"


def test_overdue_artifact_without_evidence_does_not_make_a_practice_stale(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.artifact("vision-old.md", artifact_text(id="vision-old", review_by="2026-01-31", evidence="[]"))
    assert coverage(small_playbook.check()).status == "covered"


def test_stale_practice_is_a_warning_only(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(review_by="2026-11-25"))
    small_playbook.artifact("logic-model.md", kind="logic-model")
    small_playbook.artifact("evaluation.md", kind="evaluation")
    small_playbook.artifact("report.md", artifact_text("indicators", id="report", implements="[X1]"))
    result = small_playbook.check()
    assert result.errors == 0
    assert result.exit_code == 0


def test_uncovered_practice_with_a_valid_waiver_is_waived(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver())
    result = small_playbook.check()
    d1 = coverage(result)
    assert d1.status == "waived"
    assert d1.waiver is not None
    assert d1.waiver.model.approved_by == "director-general"
    assert practice_codes(result) == []


@pytest.mark.parametrize(
    "artifact",
    [
        artifact_text(owner="nobody"),
        artifact_text(status="draft", approved_on=None),
    ],
    ids=["no-owner", "no-evidence"],
)
def test_waiver_covers_a_practice_with_no_owner_or_no_evidence(small_playbook: PlaybookBuilder, artifact: str) -> None:
    small_playbook.artifact("vision.md", artifact)
    small_playbook.waivers(waiver())
    result = small_playbook.check()
    assert coverage(result).status == "waived"
    assert practice_codes(result) == []


def test_waiver_does_not_hide_coverage(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.waivers(waiver())
    result = small_playbook.check()
    assert coverage(result).status == "covered"
    assert coverage(result).waiver is None
    assert [d.code for d in result.diagnostics if d.path == "checks/waivers.yml"] == ["PP504"]


def test_expired_waiver_does_not_count_and_is_an_error(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver(expires="2026-11-25"))
    result = small_playbook.check()
    assert coverage(result).status == "missing"
    assert [(d.code, d.path, d.line, d.column) for d in result.diagnostics if d.practice == "D1"] == [
        ("PP401", "checks/matrix.yml", 2, 5),
        ("PP501", "checks/waivers.yml", 5, 5),
    ]


def test_waiver_expiring_today_still_counts(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver(expires=TODAY.isoformat()))
    assert coverage(small_playbook.check()).status == "waived"


def test_waiver_approved_by_someone_who_is_not_a_role_does_not_count(small_playbook: PlaybookBuilder) -> None:
    small_playbook.waivers(waiver().replace("approved_by: director-general", "approved_by: the-board-chair"))
    assert coverage(small_playbook.check()).status == "missing"


def test_owner_at_the_wrong_level_leaves_the_practice_without_owner(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(owner="head-nurse"))
    result = small_playbook.check()
    assert coverage(result).status == "no-owner"
    assert [(d.code, d.severity.value) for d in result.diagnostics if d.path == "policies/vision.md"] == [
        ("PP303", "warning")
    ]
    [own] = [d for d in result.diagnostics if d.practice == "D1" and d.code == "PP402"]
    assert "wrong level" in own.message and "'head-nurse' (front-line manager)" in own.message
    assert "top-level managers" in own.message


def test_organization_practice_is_checked_like_the_studys(small_playbook: PlaybookBuilder) -> None:
    result = small_playbook.check()
    assert coverage(result, "X1").status == "missing"
    assert practice_codes(result, "X1") == ["PP401"]
    assert [(d.line, d.column) for d in result.diagnostics if d.practice == "X1"] == [(17, 5)]


def test_organization_practice_can_be_implemented_owned_and_waived(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("report.md", artifact_text("indicators", id="report", implements="[X1]"))
    result = small_playbook.check()
    assert coverage(result, "X1").status == "covered"
    assert [d for d in result.diagnostics if d.path == "policies/report.md"] == []

    small_playbook.artifact(
        "report.md", artifact_text("indicators", id="report", implements="[X1]", owner="head-nurse")
    )
    assert [d.code for d in small_playbook.check().diagnostics if d.path == "policies/report.md"] == ["PP303"]

    (small_playbook.root / "policies" / "report.md").unlink()
    small_playbook.waivers(waiver("X1"))
    assert coverage(small_playbook.check(), "X1").status == "waived"


def test_practice_of_the_study_matrix_unknown_to_a_custom_matrix_is_an_unknown_practice(
    small_playbook: PlaybookBuilder,
) -> None:
    small_playbook.artifact("charter.md", kind="charter")  # implements O6, not in the small matrix
    result = small_playbook.check()
    assert [d.code for d in result.diagnostics if d.path == "policies/charter.md"] == ["PP301"]
    assert [c.practice.id for c in result.coverage] == ["D1", "S5", "E1", "X1"]


def test_summary_counts_every_status(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text(review_by="2026-11-01"))  # D1 stale
    small_playbook.artifact("logic-model.md", artifact_text("logic-model", owner="nobody"))  # S5 no-owner
    small_playbook.waivers(waiver("E1"))  # E1 waived; X1 missing
    result = small_playbook.check()
    assert [c.status for c in result.coverage] == ["stale", "no-owner", "waived", "missing"]
    assert result.summary() == {
        "practices": 4,
        "covered": 0,
        "stale": 1,
        "waived": 1,
        "not-applicable": 0,
        "missing": 1,
        "no-owner": 1,
        "no-evidence": 0,
        "no-patient-partner": 0,
        "artifacts": 2,
        "errors": 3,  # PP302 unknown owner, PP401 X1, PP402 S5
        "warnings": 2,  # PP307 review overdue, PP404 D1 stale
    }
