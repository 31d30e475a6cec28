"""Diagnostic identities without positions: what SARIF, GitLab and ``pptoolkit diff`` match problems by."""

from __future__ import annotations

from pptoolkit.checking.rules import coverage, links
from pptoolkit.model.diagnostics import Location
from pptoolkit.reporting.fingerprints import diagnostic_key, fingerprints, stable_message


def test_line_numbers_quoted_in_messages_are_left_out() -> None:
    assert stable_message("practice D1 is already defined on line 12") == "practice D1 is already defined on line N"
    assert stable_message("line 3 has 12,000 characters") == "line N has 12,000 characters"
    assert stable_message("expires on 2026-12-15, within 30 days") == "expires on 2026-12-15, within 30 days"


def test_a_practice_problem_is_identified_by_its_practice() -> None:
    one = coverage.PRACTICE_MISSING.at(Location("checks/matrix.yml", 2, 5), "no artifact for D1 (old title)", "D1")
    moved = coverage.PRACTICE_MISSING.at(Location("checks/matrix.yml", 9, 5), "no artifact for D1 (new title)", "D1")
    assert diagnostic_key(one) == diagnostic_key(moved) == ("PP401", "checks/matrix.yml", "D1")


def test_positions_do_not_count_but_repeats_do() -> None:
    at = links.BROKEN_LINK.at
    first = [at(Location("policies/a.md", 3, 1), "evidence 'x': missing"), at(Location("policies/a.md", 9, 1), "other")]
    shifted = [
        at(Location("policies/a.md", 7, 1), "evidence 'x': missing"),
        at(Location("policies/a.md", 20, 1), "other"),
    ]
    assert [f for _, f in fingerprints(first)] == [f for _, f in fingerprints(shifted)]
    twice = [at(Location("policies/a.md", 3, 1), "same"), at(Location("policies/a.md", 4, 1), "same")]
    prints = [f for _, f in fingerprints(twice)]
    assert len(set(prints)) == 2
    assert all(len(p) == 64 for p in prints)
