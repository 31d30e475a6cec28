"""The matrix of managerial practices: the study's 25, plus any an organization adds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pptoolkit.i18n import N_

Level = Literal["top", "mid", "front"]
PracticeType = Literal["designing", "structuring", "operationalizing", "evaluating"]

LEVELS: tuple[Level, ...] = ("top", "mid", "front")
LEVEL_TITLES: dict[str, str] = {"top": N_("Top-level"), "mid": N_("Mid-level"), "front": N_("Front-line")}
TYPE_TITLES: dict[str, str] = {
    "designing": N_("Designing the PP"),
    "structuring": N_("Structuring the PP"),
    "operationalizing": N_("Managing PA integration in QI teams"),
    "evaluating": N_("Evaluating PA integration in QI teams"),
}

PRACTICE_ID = re.compile(r"^[A-Z][A-Z0-9]*[0-9]$")  # "[0-9]+$" would backtrack in quadratic time


class Practice(BaseModel):
    """One managerial practice: id, type, management levels, the study's wording and supporting cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=PRACTICE_ID.pattern, max_length=32)  # ids name the site's pages
    type: PracticeType
    levels: tuple[Level, ...] = Field(min_length=1)
    cases: tuple[int, ...] = ()
    title: str = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _distinct_levels(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        if len(set(levels)) != len(levels):
            raise ValueError("a level is listed twice")
        return levels


@dataclass(frozen=True)
class Matrix:
    """The practices in the matrix file's order, and where each is defined."""

    practices: tuple[Practice, ...]
    path: str
    positions: dict[str, tuple[int, int]]

    def get(self, practice_id: str) -> Practice | None:
        """Return the practice with this id, or None."""
        return next((p for p in self.practices if p.id == practice_id), None)

    @property
    def ids(self) -> set[str]:
        """The ids of every practice."""
        return {p.id for p in self.practices}


def study_matrix_text() -> str:
    """Return the text of the study's matrix shipped with the package (the start of a new playbook)."""
    return resources.files("pptoolkit").joinpath("data/matrix.yml").read_text(encoding="utf-8")
