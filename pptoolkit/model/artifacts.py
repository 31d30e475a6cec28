"""The governance artifacts: one pydantic model per kind, and the body sections each kind requires.

The front matter contract shared by every kind is :class:`Artifact`; each kind
adds the fields its documents need. Models forbid unknown keys so that a typo
is reported instead of ignored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pptoolkit.i18n import N_

SLUG = r"^[a-z0-9][a-z0-9-]*$"
MAX_ID = 100
"""The longest id: ids name the site's pages, and a file name has at most 255 bytes."""
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Status = Literal["draft", "approved", "retired"]
STATUSES: tuple[str, ...] = ("draft", "approved", "retired")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime):
        raise PydanticCustomError("iso_date", N_("expected a date such as 2026-03-14, without a time"))
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "expected a date such as 2026-03-14, got {value}", {"value": repr(value)})


def _no_items() -> list[Any]:
    """A new empty list: the default of the list fields, where ``default_factory=list`` was.

    pydantic reads a default factory's signature when it builds a model's validator; a builtin's is parsed from
    its text, a function's is not: building the 17 kinds' validators, which a check does before it validates
    its first artifacts, took 0.020 s, and takes 0.012 s.
    """
    return []


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=SLUG, max_length=MAX_ID)]


class Strict(BaseModel):
    """Base of every front matter structure: unknown keys are errors, values are immutable.

    Each model's validator is built when first used (``defer_build``): a re-check that takes
    every artifact from the cache validates nothing, so it never pays for building them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Evidence(Strict):
    """Proof that a practice is done: what it is, when it happened, where to read it."""

    title: Text
    date: IsoDate
    link: Text = Field(description="A path relative to the artifact's file, or an https:// URL.")
    signed_by: list[Slug] = Field(
        default_factory=_no_items, description="Role ids that signed this proof, e.g. a patient-partner role."
    )


ENGAGEMENT_CONTINUUM: tuple[str, ...] = ("information", "consultation", "collaboration", "partnership")
"""The default engagement scale: the Montreal model's continuum (a playbook may choose another)."""


class Engagement(Strict):
    """How far patients were engaged in making an artifact: the level aimed at and the level reached."""

    target: Text = Field(description="The level aimed at, on the playbook's engagement scale.")
    achieved: Text = Field(description="The level reached, on the same scale.")


class Section(BaseModel):
    """A `##` section an artifact body must have, with its accepted English and French headings."""

    model_config = ConfigDict(frozen=True)

    en: str
    fr: str
    hint: str

    def matches(self, heading: str) -> bool:
        """True when ``heading`` names this section in either language (case-insensitive)."""
        wanted = {self.en.casefold(), self.fr.casefold()}
        return heading.strip().casefold() in wanted


class Artifact(Strict):
    """The front matter every artifact has (the contract other tools rely on)."""

    kind_title: ClassVar[str] = N_("Artifact")
    sections: ClassVar[tuple[Section, ...]] = ()

    id: Slug = Field(description="Unique slug of the artifact, e.g. `vision-2026`.")
    kind: str = Field(description="One of the documented kinds.")
    title: Text
    owner: Slug = Field(description="Id of a role in the roles registry (never a person's name).")
    status: Status
    approved_on: IsoDate | None = Field(default=None, description="Required when approved.")
    review_by: IsoDate = Field(description="Date by which the owner reviews the artifact.")
    implements: list[str] = Field(default_factory=_no_items, description="Practice ids, e.g. [D1, S5].")
    evidence: list[Evidence] = Field(default_factory=_no_items)
    summary: str | None = Field(default=None, description="One sentence shown in listings.")
    lang: Literal["fr", "en"] = Field(default="en", description="Language of the body.")
    approved_by: Slug | None = Field(default=None, description="Role id of the body or role that approved it.")
    co_constructed_with: list[Slug] = Field(
        default_factory=_no_items, description="Role ids it was made with, e.g. a patient-partner role."
    )
    engagement: Engagement | None = Field(default=None, description="Engagement level: {target: ..., achieved: ...}.")

    @model_validator(mode="after")
    def _approved_needs_date(self) -> Artifact:
        if self.status == "approved" and self.approved_on is None:
            raise PydanticCustomError(
                "approved_without_date",
                N_("an approved artifact needs `approved_on` (its approval date)"),
            )
        return self


class Principle(Strict):
    name: Text
    description: Text


class Vision(Artifact):
    """The organization's vision of patient partnership (practice D1)."""

    kind_title: ClassVar[str] = N_("Vision")
    statement: Text = Field(description="The vision in one or two sentences.")


class EthicsClause(Artifact):
    """A clause of the code of ethics that integrates patient partnership (D2, D4)."""

    kind_title: ClassVar[str] = N_("Code-of-ethics clause")
    code_section: Text = Field(description="Where the clause sits in the code of ethics.")
    clause: Text


class ReferenceFramework(Artifact):
    """The reference framework of the PP model: principles and values (D3)."""

    kind_title: ClassVar[str] = N_("Reference framework")
    sections: ClassVar[tuple[Section, ...]] = (
        Section(en="Scope", fr="Portée", hint=N_("Who and what the framework applies to.")),
    )
    principles: list[Principle] = Field(min_length=1)
    values: list[Text] = Field(min_length=1)
    engagement_continuum: list[Literal["information", "consultation", "collaboration", "partnership"]] = Field(
        default_factory=_no_items, description="Levels of engagement the framework recognizes."
    )


class StrategicGoal(Artifact):
    """Patient partnership in the organization's strategic goals (S1)."""

    kind_title: ClassVar[str] = N_("Strategic goal")
    goal: Text
    period_start: IsoDate
    period_end: IsoDate


class Mandate(Artifact):
    """A department or manager given charge of patient partnership (S2)."""

    kind_title: ClassVar[str] = N_("Mandate")
    department: Text
    responsibilities: list[Text] = Field(min_length=1)
    continuity: Text = Field(description="How continuity is ensured when managers change.")


class Rate(Strict):
    activity: Text = Field(description="What the rate pays for.")
    amount: float = Field(ge=0)
    unit: Literal["hour", "half-day", "day", "meeting", "activity"]
    currency: Literal["CAD", "USD", "EUR", "GBP"] = "CAD"


class Budget(Strict):
    amount: float = Field(ge=0)
    currency: Literal["CAD", "USD", "EUR", "GBP"] = "CAD"
    fiscal_year: Text


class CompensationPolicy(Artifact):
    """How patient advisors are compensated, and the funds for it (S3)."""

    kind_title: ClassVar[str] = N_("Compensation policy")
    sections: ClassVar[tuple[Section, ...]] = (
        Section(en="Purpose", fr="Objet", hint=N_("Why the organization compensates patient advisors.")),
        Section(en="Expenses", fr="Dépenses", hint=N_("Which expenses are reimbursed and how.")),
        Section(en="Right to decline", fr="Droit de refus", hint=N_("Advisors may decline payment.")),
    )
    rates: list[Rate] = Field(min_length=1)
    budget: Budget
    expenses_reimbursed: bool


class LogicGoal(Strict):
    goal: Text
    targets: list[Text] = Field(min_length=1)
    strategies: list[Text] = Field(min_length=1)


class Review(Strict):
    date: IsoDate
    summary: Text


class LogicModel(Artifact):
    """The logic model of PP: goals, targets and strategies, reviewed over time (S5)."""

    kind_title: ClassVar[str] = N_("Logic model")
    goals: list[LogicGoal] = Field(min_length=1)
    reviews: list[Review] = Field(default_factory=_no_items, description="Review history.")


class Procedure(Artifact):
    """A procedure, such as the PA integration process (S6, O4)."""

    kind_title: ClassVar[str] = N_("Procedure")
    sections: ClassVar[tuple[Section, ...]] = (
        Section(en="Steps", fr="Étapes", hint=N_("The steps in order, each with who does it.")),
    )
    steps: list[Text] = Field(min_length=1)


class Registry(Artifact):
    """Where the list of potential PAs is held and who manages it; never the people themselves (S7)."""

    kind_title: ClassVar[str] = N_("Registry")
    held_in: Text = Field(description="The system or place that holds the list (not the list).")
    managed_by: Slug = Field(description="Role id of the manager of the list.")
    access: Text = Field(description="Who may consult the list, and how.")
    retention: Text = Field(description="How long entries are kept.")


class Training(Artifact):
    """Training and explanatory documents on PP methods (O5)."""

    kind_title: ClassVar[str] = N_("Training")
    audience: list[Text] = Field(min_length=1)
    format: Text
    duration_hours: float = Field(gt=0)


class Charter(Artifact):
    """A charter of good PP practices (O6)."""

    kind_title: ClassVar[str] = N_("Charter")
    principles: list[Principle] = Field(min_length=1)


class ParticipationRules(Artifact):
    """Rules that facilitate PA participation and integration in QI teams (O7)."""

    kind_title: ClassVar[str] = N_("Participation rules")
    rules: list[Text] = Field(min_length=1)


class Member(Strict):
    role: Text = Field(description="A kind of member (e.g. patient advisor), never a person.")
    count: int = Field(ge=1)
    voting: bool = True


class TermsOfReference(Artifact):
    """Terms of reference of a committee or community of practice (O6, O8)."""

    kind_title: ClassVar[str] = N_("Terms of reference")
    sections: ClassVar[tuple[Section, ...]] = (
        Section(en="Mandate", fr="Mandat", hint=N_("What the committee is for.")),
        Section(en="Membership", fr="Composition", hint=N_("Who sits on it, and co-chairs.")),
        Section(en="Meetings", fr="Rencontres", hint=N_("Frequency and quorum.")),
    )
    committee: Text
    reports_to: Text
    membership: list[Member] = Field(min_length=1)
    meeting_frequency: Text
    quorum: Text


class Evaluation(Artifact):
    """An evaluation of PA integration or of the partnership experience (E1, E2)."""

    kind_title: ClassVar[str] = N_("Evaluation")
    sections: ClassVar[tuple[Section, ...]] = (
        Section(en="Method", fr="Méthode", hint=N_("How the evaluation is done.")),
        Section(en="Findings", fr="Constats", hint=N_("What was learned and what changed.")),
    )
    method: Text
    instruments: list[Text] = Field(min_length=1)
    frequency: Text
    respondents: list[Text] = Field(min_length=1)


class Indicator(Strict):
    id: Slug
    name: Text
    definition: Text
    unit: Text
    period: Text
    value: float | None = Field(default=None, ge=0, description="Aggregate value only.")


class Indicators(Artifact):
    """Structural indicators on PP activities, published in aggregate only (E3)."""

    kind_title: ClassVar[str] = N_("Indicators")
    indicators: list[Indicator] = Field(min_length=1)


class CommunicationPlan(Artifact):
    """How PP is promoted among patients, providers and managers (D5, D6, D7)."""

    kind_title: ClassVar[str] = N_("Communication plan")
    audiences: list[Text] = Field(min_length=1)
    channels: list[Text] = Field(min_length=1)
    messages: list[Text] = Field(min_length=1)


QI_PHASES: tuple[str, ...] = ("problem-framing", "design", "implementation", "evaluation", "approval")
"""The phases of a QI project at which patient advisors may join it; joining only at approval is tokenism."""


class QIProject(Artifact):
    """A quality improvement project: its team, when its patient advisors joined, and what changed thanks to them."""

    kind_title: ClassVar[str] = N_("QI project")
    team: list[Text] = Field(min_length=1, description="The team's positions (never names).")
    advisors: int = Field(ge=1, description="How many patient advisors are on the team.")
    advisors_joined: Literal["problem-framing", "design", "implementation", "evaluation", "approval"] = Field(
        description="The phase at which the advisors joined."
    )
    engagement: Engagement = Field(description="Engagement level: {target: ..., achieved: ...}.")
    changes: list[Text] = Field(default_factory=_no_items, description="What changed thanks to the advisors.")


KINDS: dict[str, type[Artifact]] = {
    "vision": Vision,
    "ethics-clause": EthicsClause,
    "reference-framework": ReferenceFramework,
    "strategic-goal": StrategicGoal,
    "mandate": Mandate,
    "compensation-policy": CompensationPolicy,
    "logic-model": LogicModel,
    "procedure": Procedure,
    "registry": Registry,
    "training": Training,
    "charter": Charter,
    "participation-rules": ParticipationRules,
    "terms-of-reference": TermsOfReference,
    "evaluation": Evaluation,
    "indicators": Indicators,
    "communication-plan": CommunicationPlan,
    "qi-project": QIProject,
}


RoleType = Literal["manager", "patient-partner", "committee", "professional"]
ROLE_TYPES: tuple[str, ...] = ("manager", "patient-partner", "committee", "professional")


class Role(Strict):
    """A role of the organization's roles registry: a position, never a person.

    A manager has a management level; a patient-partner role (a position such as "patient partner,
    mental-health QI team") has none; a committee or a professional may say the level it reports to.
    """

    id: Slug
    title: Text
    type: RoleType = "manager"
    level: Literal["top", "mid", "front"] | None = None
    deputy: Slug | None = None
    titles: dict[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], Text] = Field(
        default_factory=dict, description="The title in the playbook's other languages, e.g. {en: ...}."
    )

    @model_validator(mode="after")
    def _level_by_type(self) -> Role:
        if self.type == "manager" and self.level is None:
            raise PydanticCustomError("manager_without_level", N_("a manager role needs a `level` (top, mid or front)"))
        if self.type == "patient-partner" and self.level is not None:
            raise PydanticCustomError(
                "partner_with_level", N_("a patient-partner role has no management `level`: remove it")
            )
        return self

    @property
    def is_manager(self) -> bool:
        """True for a manager role (the only kind that can own a practice)."""
        return self.type == "manager"


class Waiver(Strict):
    """A dated, approved exemption for a practice that is not yet covered."""

    practice: Text
    reason: Text
    approved_by: Slug
    expires: IsoDate


class NotApplicable(Strict):
    """A practice that does not apply to the organization, with its reason and an approved review date."""

    practice: Text
    reason: Text
    approved_by: Slug
    review_by: IsoDate


def kinds_markdown() -> str:
    """The kinds as a Markdown table (kind, what it is for, its own fields, required sections), for the README."""
    lines = ["| Kind | What it is | Its own fields | Required `##` sections |", "|---|---|---|---|"]
    for kind, model in KINDS.items():
        own = [name for name in model.model_fields if name not in Artifact.model_fields]
        required = [name for name in own if model.model_fields[name].is_required()]
        fields = ", ".join(f"`{name}`" + ("" if name in required else " (optional)") for name in own)
        sections = ", ".join(f"{s.en} / {s.fr}" for s in model.sections) or "—"
        purpose = (model.__doc__ or "").strip().splitlines()[0]
        lines.append(f"| `{kind}` | {purpose} | {fields} | {sections} |")
    return "\n".join(lines) + "\n"
