"""The practices that do not apply to the organization: `checks/applicability.yml`, read into located entries.

Different from a waiver: a waiver is a dated exemption from a practice that applies; an entry here
says, with its reason and approver, that the practice does not apply, and is reviewed by a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pptoolkit.checking.rules.waivers import INVALID_APPLICABILITY
from pptoolkit.model.artifacts import NotApplicable
from pptoolkit.model.diagnostics import Diagnostic, Location
from pptoolkit.model.settings import Settings


@dataclass(frozen=True)
class LoadedNotApplicable:
    """An entry of the applicability file, where it is defined, and where each of its keys is."""

    model: NotApplicable
    where: Location
    keys: dict[str, Location] = field(default_factory=dict)

    def at(self, key: str) -> Location:
        """Where ``key`` of this entry is written (the entry when it is absent)."""
        return self.keys.get(key, self.where)


def load_applicability(root: Path, settings: Settings) -> tuple[list[LoadedNotApplicable], list[Diagnostic]]:
    """Load the applicability file (optional); every malformed entry is a located diagnostic."""
    from pptoolkit.loading.playbook import load_entries  # the loader imports this module

    entries, diagnostics = load_entries(
        root, settings.applicability, settings, NotApplicable, "not_applicable", INVALID_APPLICABILITY
    )
    return [LoadedNotApplicable(*entry) for entry in entries], diagnostics
