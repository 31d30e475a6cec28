"""The baseline: coverage gaps a playbook has accepted for now, so that a check fails only on what is new or worse.

An organization that adopts pptoolkit starts with every practice missing. ``pptoolkit baseline``
writes the gaps of today to ``checks/baseline.yml`` (a file reviewed like any other): each
practice that is not covered, with its status. From then on, a practice's coverage error is
*baselined* (reported, but failing nothing) while its status is the accepted one or a better
one; a practice that is not in the baseline, or whose status got worse, fails as before, and
so does every other error. A practice covered since leaves the baseline: the check writes the
smaller file and says to commit it, so that coverage only moves forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pptoolkit.checking.coverage import FAILING, PracticeCoverage
from pptoolkit.checking.rules.coverage import PRACTICE_MISSING, PRACTICE_NO_EVIDENCE, PRACTICE_NO_OWNER
from pptoolkit.i18n import _
from pptoolkit.i18n.vocabulary import status_word
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.settings import ConfigError

RANK = {"missing": 0, "no-owner": 1, "no-evidence": 2}
"""How far each failing status is from covered: a practice may move up this scale, never down it."""
GAP_RULES = frozenset(rule.code for rule in (PRACTICE_MISSING, PRACTICE_NO_OWNER, PRACTICE_NO_EVIDENCE))
"""The coverage errors that a baseline accepts; every other error still fails."""

HEADER = """\
# Accepted coverage gaps, written by 'pptoolkit baseline': each practice that is not covered yet,
# with its status. While a practice keeps this status (or a better one), its coverage error is
# reported but fails no check and no strict build; anything new or worse still fails. Review a
# change of this file like any other: an added line accepts a new gap. A practice covered since
# leaves the file ('pptoolkit check' writes the smaller file: commit it).
"""


@dataclass(frozen=True)
class Baseline:
    """The accepted gaps: practice id → the status it had when the gap was accepted."""

    path: str
    gaps: dict[str, str]


@dataclass(frozen=True)
class Improvement:
    """A practice of the baseline that is better than its accepted status (``now`` None: gone from the matrix)."""

    practice: str
    accepted: str
    now: str | None

    @property
    def leaves(self) -> bool:
        """True when the practice no longer needs the baseline: covered, waived, or gone from the matrix."""
        return self.now is None or self.now not in FAILING

    def sentence(self) -> str:
        """What changed, in words, e.g. 'D1 is now covered (was missing)'."""
        if self.now is None:
            return _("{practice} is gone from the matrix (accepted as {accepted})").format(
                practice=self.practice, accepted=status_word(self.accepted)
            )
        return _("{practice} is now {status} (accepted as {accepted})").format(
            practice=self.practice, status=status_word(self.now), accepted=status_word(self.accepted)
        )


@dataclass(frozen=True)
class Ratchet:
    """What a baseline does to one check: the diagnostics it accepts and the practices that got better."""

    baseline: Baseline
    baselined: frozenset[Diagnostic]
    improvements: tuple[Improvement, ...]

    def tightened(self) -> dict[str, str]:
        """The baseline with each improvement taken in: covered practices out, better statuses in."""
        gaps = dict(self.baseline.gaps)
        for improvement in self.improvements:
            if improvement.now is None or improvement.leaves:
                del gaps[improvement.practice]
            else:
                gaps[improvement.practice] = improvement.now
        return gaps


def gaps_of(coverage: tuple[PracticeCoverage, ...]) -> dict[str, str]:
    """The gaps of a checked playbook: each practice whose status is an error, with that status."""
    return {c.practice.id: c.status for c in coverage if c.status in FAILING}


def baseline_text(gaps: dict[str, str]) -> str:
    """The baseline file for ``gaps``: the header, then one ``ID: status`` line per practice, in matrix order."""
    if not gaps:
        return HEADER + "practices: {}\n"
    return HEADER + "practices:\n" + "".join(f"  {practice}: {status}\n" for practice, status in gaps.items())


def read_baseline(root: Path, relative: str) -> Baseline | None:
    """The baseline at ``root / relative``, or None when the playbook has none; ConfigError (located) if malformed."""
    path = root / relative
    if not path.is_file():
        return None
    try:
        data: Any = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"'{relative}': not UTF-8 text (byte {error.start + 1}); save it as UTF-8") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{mark.line + 1}:{mark.column + 1}: " if mark else ""
        raise ConfigError(f"'{relative}':{where}{error.problem or 'not valid YAML'}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"'{relative}': not valid YAML ({error})") from None
    practices = data.get("practices", False) if isinstance(data, dict) else False
    practices = {} if practices is None else practices  # 'practices:' with nothing under it: no gap accepted
    if not isinstance(practices, dict) or not isinstance(data, dict) or set(data) != {"practices"}:
        raise ConfigError(
            f"'{relative}': expected 'practices:' and, under it, one 'ID: status' line per accepted gap; "
            "'pptoolkit baseline' writes it"
        )
    gaps: dict[str, str] = {}
    for practice, status in practices.items():
        if status not in RANK:
            raise ConfigError(
                f"'{relative}': practice {practice}: {status!r} is not a status a gap can have "
                f"(one of: {', '.join(RANK)})"
            )
        gaps[str(practice)] = status
    return Baseline(relative, gaps)


def ratchet(baseline: Baseline, coverage: tuple[PracticeCoverage, ...], diagnostics: tuple[Diagnostic, ...]) -> Ratchet:
    """Which of ``diagnostics`` the baseline accepts, and which practices of the baseline got better."""
    statuses = {c.practice.id: c.status for c in coverage}
    accepted = {
        practice
        for practice, status in statuses.items()
        if practice in baseline.gaps and status in RANK and RANK[status] >= RANK[baseline.gaps[practice]]
    }
    baselined = frozenset(d for d in diagnostics if d.code in GAP_RULES and d.practice in accepted)
    improvements = []
    for practice, accepted_status in baseline.gaps.items():
        now = statuses.get(practice)
        if now is None or now not in FAILING or (now in RANK and RANK[now] > RANK[accepted_status]):
            improvements.append(Improvement(practice, accepted_status, now))
    return Ratchet(baseline, baselined, tuple(improvements))
