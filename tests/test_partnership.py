"""Patient partners in the model (issue 14): role types, practices that require patient partners, the owner's
level, evidence age, approval by another role, engagement levels, QI projects and not-applicable practices.

On the small matrix D1 (top), S5 (mid), E1 (front) and X1 (mid), with a registry that adds a patient-partner
role, a committee and a professional to the three managers of ``playbook_support``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playbook_support import ROLES_YML, SMALL_MATRIX_YML, PlaybookBuilder, artifact_text, located, make_playbook

from pptoolkit.checking.checker import Result
from pptoolkit.reporting.calendar import review_events
from pptoolkit.reporting.reporters import junit, matrix_json, practice_json

PARTNER_ROLES = (
    ROLES_YML
    + """\
  - id: patient-partner-qi
    title: Patient partner, mental-health QI team
    type: patient-partner
  - id: users-committee
    title: Users' committee
    type: committee
  - id: qi-advisor
    title: QI advisor
    type: professional
"""
)
REQUIRING_MATRIX = SMALL_MATRIX_YML.replace(
    "    title: Ensure feedback from PA and QI teams regarding their partnership experience\n",
    "    title: Ensure feedback from PA and QI teams regarding their partnership experience\n"
    "    requires: [patient-partner]\n"
    "    evidence_max_age_days: 365\n",
)
APPLICABILITY = """\
not_applicable:
  - practice: X1
    reason: The annual report of the establishment already covers partnership
    approved_by: director-general
    review_by: {review_by}
"""
SIGNED = """
  - title: Feedback summary
    date: 2026-06-01
    link: ../evidence/minutes.md
    signed_by: [{signer}]"""


@pytest.fixture
def partners(tmp_path: Path) -> PlaybookBuilder:
    playbook = make_playbook(tmp_path, REQUIRING_MATRIX)
    playbook.roles(PARTNER_ROLES)
    return playbook


def status(result: Result, practice: str) -> str:
    found = result.coverage_of(practice)
    assert found is not None
    return found.status


def messages(result: Result, code: str) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == code]


# Roles


def test_a_role_has_a_type_and_only_managers_need_a_level(partners: PlaybookBuilder) -> None:
    result = partners.check()
    assert located(result, "checks/roles.yml") == []
    roles = result.playbook.roles
    assert [(r, roles[r].model.type, roles[r].model.level) for r in ("head-nurse", "patient-partner-qi")] == [
        ("head-nurse", "manager", "front"),
        ("patient-partner-qi", "patient-partner", None),
    ]


def test_a_manager_without_level_and_a_patient_partner_with_one_are_located_errors(partners: PlaybookBuilder) -> None:
    partners.roles(
        "roles:\n"
        "  - id: chief\n    title: Chief\n"
        "  - id: patient-partner-qi\n    title: Patient partner\n    type: patient-partner\n    level: front\n"
    )
    result = partners.check()
    assert [(code, line) for code, _, line, _ in located(result, "checks/roles.yml")] == [("PP601", 2), ("PP601", 4)]
    assert messages(result, "PP601") == [
        "a manager role needs a `level` (top, mid or front)",
        "a patient-partner role has no management `level`: remove it",
    ]


def test_unknown_roles_in_co_constructed_with_approved_by_and_signed_by_are_located(partners: PlaybookBuilder) -> None:
    partners.artifact(
        "vision.md",
        artifact_text(
            co_constructed_with="[patient-partner-qi, jane-doe]",
            approved_by="the-board",
            evidence=SIGNED.format(signer="someone"),
        ),
    )
    result = partners.check()
    assert [(code, line) for code, _, line, _ in located(result, "policies/vision.md")] == [
        ("PP801", 14),
        ("PP801", 16),
        ("PP801", 17),
    ]
    assert messages(result, "PP801") == [
        "evidence 'Feedback summary' is signed by 'someone', not a role of checks/roles.yml",
        "'jane-doe' is not a role of checks/roles.yml",
        "'approved_by: the-board' is not a role of checks/roles.yml",
    ]


# Practices that require patient partners


def test_a_practice_requiring_patient_partners_fails_without_them(partners: PlaybookBuilder) -> None:
    partners.artifact("evaluation.md", kind="evaluation")
    result = partners.check()
    assert status(result, "E1") == "no-patient-partner"
    [diagnostic] = [d for d in result.diagnostics if d.code == "PP405"]
    assert (diagnostic.path, diagnostic.line, diagnostic.severity.value) == ("checks/matrix.yml", 12, "error")
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"co_constructed_with": "[patient-partner-qi]"},
        {"evidence": SIGNED.format(signer="patient-partner-qi")},
    ],
    ids=["co-constructed", "signed"],
)
def test_co_construction_or_a_signature_by_a_patient_partner_covers_it(
    partners: PlaybookBuilder, fields: dict[str, str]
) -> None:
    partners.artifact("evaluation.md", artifact_text("evaluation", **fields))
    result = partners.check()
    assert status(result, "E1") == "covered"
    coverage = result.coverage_of("E1")
    assert coverage is not None and coverage.partners == ("patient-partner-qi",)


def test_a_committee_or_a_draft_does_not_stand_for_a_patient_partner(partners: PlaybookBuilder) -> None:
    partners.artifact("evaluation.md", artifact_text("evaluation", co_constructed_with="[users-committee]"))
    partners.artifact(
        "draft.md", artifact_text("evaluation", id="draft", status="draft", co_constructed_with="[patient-partner-qi]")
    )
    assert status(partners.check(), "E1") == "no-patient-partner"


# The owner's level


def test_a_practice_owned_only_at_the_wrong_level_has_no_owner_and_says_so(partners: PlaybookBuilder) -> None:
    partners.artifact("vision.md", artifact_text(owner="pp-coordinator"))
    result = partners.check()
    assert status(result, "D1") == "no-owner"
    assert messages(result, "PP402") == [
        "practice D1 is done by top-level managers, but its artifacts are owned at the wrong level: "
        "'pp-coordinator' (mid-level manager); give one an owner at the practice's level"
    ]


def test_a_patient_partner_cannot_own_a_practice_alone(partners: PlaybookBuilder) -> None:
    partners.artifact("vision.md", artifact_text(owner="patient-partner-qi"))
    result = partners.check()
    assert status(result, "D1") == "no-owner"
    assert "'patient-partner-qi' (patient-partner)" in messages(result, "PP402")[0]


def test_one_artifact_at_the_right_level_is_enough(partners: PlaybookBuilder) -> None:
    partners.artifact("vision.md", artifact_text(owner="pp-coordinator"))
    partners.artifact("vision-2.md", artifact_text(id="vision-2"))
    assert status(partners.check(), "D1") == "covered"


# Dates and evidence age


def test_an_approval_dated_after_today_is_an_error_at_its_line(partners: PlaybookBuilder) -> None:
    partners.artifact("vision.md", artifact_text(approved_on="2031-01-01"))
    result = partners.check()
    assert located(result, "policies/vision.md") == [("PP312", "error", 7, 1)]
    assert messages(result, "PP312") == [
        "'Test vision' is approved on January 1, 2031, after today (November 26, 2026)"
    ]


def test_evidence_older_than_the_practice_allows_makes_it_stale(partners: PlaybookBuilder) -> None:
    old = SIGNED.format(signer="patient-partner-qi").replace("2026-06-01", "2025-10-01")
    partners.artifact("evaluation.md", artifact_text("evaluation", evidence=old))
    result = partners.check()
    assert status(result, "E1") == "stale"
    assert messages(result, "PP404") == [
        "practice E1 is covered, but its newest evidence is dated October 1, 2025, 421 days ago: the practice recurs "
        "and needs evidence at most 365 days old"
    ]
    assert [d.severity.value for d in result.diagnostics if d.code == "PP404"] == ["warning"]  # stale is covered

    recent = old.replace("2025-10-01", "2025-11-26")  # exactly 365 days old
    partners.artifact("evaluation.md", artifact_text("evaluation", evidence=recent))
    assert status(partners.check(), "E1") == "covered"


# Approval by another role


def test_a_kind_that_needs_independent_approval_warns_on_self_approval(partners: PlaybookBuilder) -> None:
    partners.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      independent_approval: [vision]\n")
    partners.artifact("vision.md", artifact_text(approved_by="director-general"))
    partners.artifact("logic-model.md", artifact_text("logic-model", approved_by="pp-coordinator"))
    result = partners.check()
    assert located(result, "policies/vision.md") == [("PP802", "warning", 15, 1)]
    assert located(result, "policies/logic-model.md") == []  # the logic model's kind is not listed

    partners.artifact("vision.md", artifact_text(approved_by=None))
    assert messages(partners.check(), "PP802") == [
        "a vision must be approved by a role other than its owner: name it in 'approved_by'"
    ]
    partners.artifact("vision.md", artifact_text(approved_by="users-committee"))
    assert messages(partners.check(), "PP802") == []


def test_independent_approval_must_be_a_list(partners: PlaybookBuilder) -> None:
    from pptoolkit.model.settings import ConfigError, load_settings

    partners.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      independent_approval: vision\n")
    with pytest.raises(ConfigError, match="independent_approval: expected a list"):
        load_settings(partners.root)
    partners.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      independent_approval: [vison]\n")
    with pytest.raises(ConfigError, match=r"^'mkdocs.yml':4:29: .*'vison' is not a kind of artifact"):
        load_settings(partners.root)


# Engagement and QI projects


def test_engagement_levels_are_on_the_playbook_scale(partners: PlaybookBuilder) -> None:
    partners.artifact("vision.md", artifact_text(engagement="{target: partnership, achieved: involve}"))
    result = partners.check()
    assert located(result, "policies/vision.md") == [("PP804", "error", 15, 35)]
    partners.write(
        "mkdocs.yml",
        "site_name: Test\nplugins:\n  - pptoolkit:\n      engagement_scale: [inform, consult, involve, collaborate]\n",
    )
    result = partners.check()
    assert messages(result, "PP804") == [
        "engagement target 'partnership' is not a level of the scale; use one of: inform, consult, involve, collaborate"
    ]


def test_a_qi_project_whose_advisors_joined_at_approval_is_tokenistic(partners: PlaybookBuilder) -> None:
    project = {"implements": "[X1]", "owner": "pp-coordinator"}
    partners.artifact("project.md", artifact_text("qi-project", advisors_joined="approval", **project))
    result = partners.check()
    assert located(result, "policies/project.md") == [("PP803", "warning", 16, 1)]
    assert status(result, "X1") == "covered"  # a warning: the project still shows the practice is done
    partners.artifact("project.md", artifact_text("qi-project", advisors_joined="design", **project))
    assert located(partners.check(), "policies/project.md") == []


# Not applicable


def test_a_not_applicable_practice_is_neither_covered_nor_failing(partners: PlaybookBuilder) -> None:
    partners.write("checks/applicability.yml", APPLICABILITY.format(review_by="2027-03-31"))
    result = partners.check()
    assert status(result, "X1") == "not-applicable"
    assert [d for d in result.diagnostics if d.practice == "X1"] == []
    report = practice_json(next(c for c in result.coverage if c.practice.id == "X1"))
    assert report["not_applicable"] == {
        "reason": "The annual report of the establishment already covers partnership",
        "approved_by": "director-general",
        "review_by": "2027-03-31",
    }
    assert json.loads(matrix_json(result))["practices"][3]["status"] == "not-applicable"
    assert '<skipped message="not applicable (review by 2027-03-31)' in junit(result)
    from pptoolkit.publishing.pages import gaps_page

    assert (
        "| [X1](practices/X1.md) | The annual report of the establishment already covers partnership "
        "| Director General | March 31, 2027 |"
    ) in gaps_page(result).content
    [event] = [e for e in review_events(result) if e.categories == "Applicability"]
    assert (event.day.isoformat(), event.summary) == ("2027-03-31", "Review not applicable: X1")


def test_a_not_applicable_entry_past_review_warns_in_its_file(partners: PlaybookBuilder) -> None:
    partners.write("checks/applicability.yml", APPLICABILITY.format(review_by="2026-01-31"))
    result = partners.check()
    assert status(result, "X1") == "not-applicable"
    assert located(result, "checks/applicability.yml") == [("PP506", "warning", 5, 5)]


def test_bad_applicability_entries_are_located_errors(partners: PlaybookBuilder) -> None:
    partners.write(
        "checks/applicability.yml",
        "not_applicable:\n"
        "  - practice: Z9\n    reason: Not here\n    approved_by: director-general\n    review_by: 2027-01-01\n"
        "  - practice: X1\n    reason: Not here\n    approved_by: nobody\n    review_by: 2027-01-01\n"
        "  - practice: S5\n    reason: Not here\n    approved_by: director-general\n",
    )
    result = partners.check()
    assert [(code, line) for code, _, line, _ in located(result, "checks/applicability.yml")] == [
        ("PP505", 2),  # not a practice of the matrix
        ("PP505", 8),  # not a role
        ("PP505", 10),  # no review date
    ]
    assert status(result, "X1") == "missing"


# The site's pages


def test_the_practice_page_shows_the_study_the_requirements_and_not_applicable(partners: PlaybookBuilder) -> None:
    from pptoolkit.publishing.pages import practice_page

    partners.write("checks/applicability.yml", APPLICABILITY.format(review_by="2027-03-31"))
    partners.artifact("evaluation.md", artifact_text("evaluation", co_constructed_with="[patient-partner-qi]"))
    result = partners.check()
    coverages = {c.practice.id: c for c in result.coverage}
    e1 = practice_page(result, coverages["E1"]).content
    assert "**Observed in case 2:** Urban acute breast-cancer services" in e1
    assert "**Evaluating PA integration in QI teams.** Learn from the advisors'" in e1
    required = "**Patient partners required.** Co-constructed with or signed by: Patient partner, mental-health QI team"
    assert required in e1
    assert "Evidence at most 365 days old; newest: January 15, 2026." in e1
    x1 = practice_page(result, coverages["X1"]).content
    assert '!!! info "Not applicable (review by March 31, 2027)"' in x1
    assert "The annual report of the establishment already covers partnership Decided by Director General." in x1


def test_the_practice_page_shows_clauses_and_note_escaped(partners: PlaybookBuilder) -> None:
    from pptoolkit.publishing.pages import practice_page

    partners.matrix(
        REQUIRING_MATRIX.replace(
            "    title: Adopt and maintain an organizational vision of the PP\n",
            "    title: Adopt and maintain an organizational vision of the PP\n"
            "    note: Listed <b>twice</b> in the table\n"
            "    clauses:\n      - {text: Adopt a vision, cases: [1]}\n      - {text: maintain it, cases: [1, 2]}\n",
        )
    )
    result = partners.check()
    d1 = practice_page(result, result.coverage[0]).content
    assert "- Adopt a vision (case 1)\n- maintain it (case 1, case 2)" in d1
    assert "Listed &lt;b&gt;twice&lt;/b&gt; in the table" in d1 and "<b>" not in d1


def test_the_home_page_shows_engagement_and_what_changed(partners: PlaybookBuilder) -> None:
    from pptoolkit.publishing.pages import artifact_page, home_page

    partners.artifact(
        "project.md",
        artifact_text(
            "qi-project", implements="[X1]", owner="pp-coordinator", changes="[Reminders by <i>text</i> message]"
        ),
    )
    partners.artifact("vision.md", artifact_text(engagement="{target: partnership, achieved: partnership}"))
    result = partners.check()
    home = home_page(result).content
    assert "| collaboration | 1 | 0 |\n| partnership | 1 | 1 |" in home
    assert "- Reminders by &lt;i&gt;text&lt;/i&gt; message ([Test qi project](artifacts/qi-project.md))" in home
    project = artifact_page(result, result.playbook.artifacts[0]).content
    assert "| Engagement | collaboration achieved (target: partnership) |" in project
