"""What a family module of rules declares: its checks, each of one or more rules, and what a check finds.

A check yields :class:`Found` (where and what); the engine in ``pptoolkit.checking.rules`` makes it a
diagnostic, stamped with the rule's code, name and (configured) severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.model.diagnostics import Location, Rule, Severity

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True)
class Found:
    """A problem a check found: where, the message, the practice it concerns, and which rule when a check has several."""

    where: Location
    message: str
    practice: str | None = None
    rule: Rule | None = None


@dataclass(frozen=True)
class Check:
    """A check over a loaded playbook and the rules it reports (the first, unless a finding names another)."""

    rules: tuple[Rule, ...]
    run: Callable[[Playbook, date], Iterator[Found]]

    @property
    def name(self) -> str:
        """The check's function name, for messages and tests."""
        return self.run.__name__

    def rule_of(self, found: Found) -> Rule:
        """The rule a finding is reported under: its own (one of this check's rules) or the check's only rule."""
        if found.rule is None:
            if len(self.rules) != 1:
                raise ValueError(f"the check {self.name} reports several rules: a finding must name one")
            return self.rules[0]
        if found.rule not in self.rules:
            raise ValueError(f"the check {self.name} does not report {found.rule.code}")
        return found.rule


def check(*rules: Rule) -> Callable[[Callable[[Playbook, date], Iterator[Found]]], Check]:
    """Declare a function as the check of ``rules``: ``@check(DUPLICATE_ID)`` above ``def duplicate_ids``."""

    def declare(run: Callable[[Playbook, date], Iterator[Found]]) -> Check:
        return Check(rules, run)

    return declare
