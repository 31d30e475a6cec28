"""Problems that follow from one cause are reported once, at the cause.

A roles registry that cannot be read (a tab, a byte that is not UTF-8) leaves every artifact
without a known owner and every practice without an owner; a role entry that is not valid
(``level: middle``) leaves its artifacts and its deputies without a role. Those consequences
would bury the one line to fix among dozens, so they are left out while the cause is there.
"""

from __future__ import annotations

from collections.abc import Iterable

from pptoolkit.checking.rules.coverage import PRACTICE_NO_OWNER
from pptoolkit.checking.rules.references import unresolved_owners
from pptoolkit.loading.playbook import Playbook
from pptoolkit.model.diagnostics import Diagnostic


def without_cascades(playbook: Playbook, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` without those that only repeat a registry problem reported at its cause."""
    owners = unresolved_owners(playbook)
    if not owners:
        return list(diagnostics)
    practices = {
        practice
        for artifact in playbook.artifacts
        if artifact.model.owner in owners
        for practice in artifact.model.implements
    }
    return [
        d
        for d in diagnostics
        if not (d.code == PRACTICE_NO_OWNER.code and d.practice in practices)  # the owners' PP302: see references
    ]
