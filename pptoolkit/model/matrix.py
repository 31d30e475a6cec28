"""The matrix of managerial practices: the study's 25, plus any an organization adds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

TYPE_PURPOSES: dict[str, str] = {
    "designing": N_(
        "Set the direction of patient partnership: vision, ethics, reference framework, promotion, "
        "alignment of managers (classic change management)."
    ),
    "structuring": N_(
        "Give patient partnership its means: strategic goals, a department in charge, funds, "
        "a logic model, an integration process, a list of potential advisors (classic change management)."
    ),
    "operationalizing": N_(
        "Bring patient advisors into QI teams day to day, so that their involvement is not tokenistic "
        "(new daily practices for managers at every level)."
    ),
    "evaluating": N_(
        "Learn from the advisors' integration in QI teams: feedback, formal evaluation, indicators "
        "(new daily practices for managers at every level)."
    ),
}
"""What each type of managerial practice is for, as the study describes the four types (in the project's words)."""
CASE_CONTEXTS: dict[int, str] = {
    1: N_(
        "Rural ambulatory mental-health hospital services of an integrated university health and social services "
        "centre (CIUSSS) in Quebec, 2015-2017."
    ),
    2: N_(
        "Urban acute breast-cancer services of an integrated university health and social services centre (CIUSSS) "
        "in Quebec, in an organization that went through a merger, 2015-2017."
    ),
}
"""The context of each of the study's two cases (the numbers in a practice's ``cases``)."""
Requirement = Literal["patient-partner"]

PRACTICE_ID = re.compile(r"^[A-Z][A-Z0-9]*[0-9]$")  # "[0-9]+$" would backtrack in quadratic time


class Clause(BaseModel):
    """A part of a practice's wording and the cases that support that part."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    cases: tuple[int, ...] = Field(min_length=1)


class Translation(BaseModel):
    """A practice's words in another language (its title, note and clauses): the project's translation, never the
    study's wording; what is not translated is shown as the matrix writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = Field(default=None, min_length=1)
    short_title: str | None = Field(default=None, min_length=1, max_length=60)
    """The short title in this language (the home page's entries), the project's words too."""
    note: str | None = Field(default=None, min_length=1)
    clauses: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    """The text of each of the practice's clauses, in their order."""


LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class Practice(BaseModel):
    """One managerial practice: id, type, management levels, the study's wording and supporting cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=PRACTICE_ID.pattern, max_length=32)  # ids name the site's pages
    type: PracticeType
    levels: tuple[Level, ...] = Field(min_length=1)
    cases: tuple[int, ...] = ()
    title: str = Field(min_length=1)
    short_title: str | None = Field(default=None, min_length=1, max_length=60)
    """A few words naming the practice where space is short (the home page's entries): the project's, not the
    study's; the study's wording stays ``title``."""
    clauses: tuple[Clause, ...] = ()
    """The practice's parts, each with its own cases, where the study gives them separately (S2)."""
    note: str | None = Field(default=None, min_length=1)
    """What a reader of the study's table should know about this practice (an ambiguity, a duplicate)."""
    requires: tuple[Requirement, ...] = ()
    """What covering the practice needs besides an owner and evidence: `patient-partner` (the organization's choice)."""
    evidence_max_age_days: int | None = Field(default=None, gt=0)
    """The practice recurs: its newest valid evidence must be at most this old (the organization's choice)."""
    translations: dict[LanguageCode, Translation] = Field(default_factory=dict)
    """The title, note and clauses in other languages, by ISO 639 code (`fr: {title: ..., note: ...}`): a
    translation, which the site marks so."""

    def title_in(self, language: str) -> str:
        """The title in ``language``: its translation when the matrix has one, else the study's wording."""
        translation = self.translations.get(language)
        return translation.title if translation is not None and translation.title else self.title

    def note_in(self, language: str) -> str | None:
        """The note in ``language``: its translation when the matrix has one, else the note as written."""
        translation = self.translations.get(language)
        return translation.note if translation is not None and translation.note else self.note

    def clause_texts_in(self, language: str) -> tuple[str, ...]:
        """The text of each clause in ``language``: their translation when the matrix has one, else the study's."""
        translation = self.translations.get(language)
        if translation is not None and translation.clauses:
            return translation.clauses
        return tuple(clause.text for clause in self.clauses)

    def texts(self) -> list[str]:
        """Every text of the practice that the site publishes, in every language: title, short title, note, clauses."""
        texts = [self.title, *(text for text in (self.short_title, self.note) if text)]
        texts += [clause.text for clause in self.clauses]
        for translation in self.translations.values():
            texts += [text for text in (translation.title, translation.short_title, translation.note) if text]
            texts += translation.clauses
        return texts

    @model_validator(mode="after")
    def _translated_clauses_match(self) -> Practice:
        for language, translation in self.translations.items():
            if translation.clauses and len(translation.clauses) != len(self.clauses):
                raise ValueError(
                    f"the translation '{language}' gives {len(translation.clauses)} clauses; "
                    f"the practice has {len(self.clauses)}, in the same order"
                )
        return self

    def short_title_in(self, language: str) -> str:
        """The short title in ``language``, else the title in ``language`` (never words of another language)."""
        translation = self.translations.get(language)
        if translation is not None:
            return translation.short_title or translation.title or self.short_title or self.title
        return self.short_title or self.title

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
