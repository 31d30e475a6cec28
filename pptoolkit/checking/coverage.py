"""One status per practice, from the artifacts that implement it, their owners, evidence and waivers.

Statuses: ``covered``, ``stale`` (covered but every proof is past review, or the newest
evidence is older than the practice's ``evidence_max_age_days``), ``waived`` (not covered,
under a valid waiver), ``not-applicable`` (declared so in the applicability file),
``missing``, ``no-owner`` (no artifact owned by a manager at one of the practice's levels),
``no-evidence`` and ``no-patient-partner`` (a practice that requires patient partners, made
and proved without them). Practice-level diagnostics point at the practice's entry in the
matrix file; waiver and applicability diagnostics at their files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from pptoolkit.checking.rules.coverage import (
    PRACTICE_MISSING,
    PRACTICE_NO_EVIDENCE,
    PRACTICE_NO_OWNER,
    PRACTICE_NO_PATIENT_PARTNER,
    PRACTICE_STALE,
)
from pptoolkit.checking.rules.waivers import (
    INVALID_APPLICABILITY,
    INVALID_WAIVER,
    WAIVER_EXPIRED,
    WAIVER_EXPIRING,
    WAIVER_UNNEEDED,
)
from pptoolkit.i18n import N_, _, current_language
from pptoolkit.i18n import formats as fmt
from pptoolkit.i18n.vocabulary import role_type, status_word
from pptoolkit.loading.applicability import LoadedNotApplicable
from pptoolkit.loading.playbook import LoadedArtifact, LoadedWaiver, Playbook
from pptoolkit.model.diagnostics import Diagnostic, Location, Rule
from pptoolkit.model.matrix import Practice
from pptoolkit.reading.links import LinkKind

Status = Literal[
    "covered", "stale", "waived", "not-applicable", "missing", "no-owner", "no-evidence", "no-patient-partner"
]
STATUSES: tuple[Status, ...] = (
    "covered",
    "stale",
    "waived",
    "not-applicable",
    "missing",
    "no-owner",
    "no-evidence",
    "no-patient-partner",
)
FAILING: frozenset[str] = frozenset({"missing", "no-owner", "no-evidence", "no-patient-partner"})
COVERED: frozenset[str] = frozenset({"covered", "stale"})
"""The statuses that count as covered (a stale practice is covered, with a warning)."""
WAIVER_NOTICE = timedelta(days=30)
PROOF_LINKS = (LinkKind.FILE, LinkKind.HTTPS)  # "an existing file inside the playbook, or an https URL"
RESOLVING = tuple(kind for kind in LinkKind if kind.resolves)  # a tuple: found by identity, without hashing an enum


class OwnerRef(NamedTuple):
    """An owner of a practice through one of its artifacts; ``level`` is None when the role is unknown.

    A named tuple, as ``EvidenceRef``: a check makes one for each artifact, quicker than a frozen dataclass.
    """

    role: str
    title: str | None
    level: str | None
    artifact: str
    type: str | None = None
    """The role's type (manager, patient-partner, committee, professional); None when the role is unknown."""


class EvidenceRef(NamedTuple):
    """An evidence item of an artifact implementing the practice, and whether it proves anything today.

    A named tuple: a check makes one for each of the evidence items of thousands of artifacts, and a frozen
    dataclass took twice as long to make (it sets each field through ``object.__setattr__``).
    """

    title: str
    date: date
    link: str
    target: str | None
    artifact: str
    valid: bool
    signed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class PracticeCoverage:
    """The verdict on one practice and what it rests on."""

    practice: Practice
    status: Status
    artifacts: tuple[LoadedArtifact, ...]
    owners: tuple[OwnerRef, ...]
    evidence: tuple[EvidenceRef, ...]
    waiver: LoadedWaiver | None
    review_by: date | None
    not_applicable: LoadedNotApplicable | None = None
    partners: tuple[str, ...] = ()
    """The patient-partner roles that co-constructed an approved artifact or signed its valid evidence."""
    newest_evidence: date | None = None
    """The date of the newest valid evidence of an artifact that proves the practice."""

    @property
    def is_failing(self) -> bool:
        """True when the status is an error (missing, no-owner, no-evidence, no-patient-partner)."""
        return self.status in FAILING


@dataclass(frozen=True)
class CoverageCounts:
    """How many practices have each status, and the counts every page and report prints, defined once.

    A practice whose review is overdue (``stale``) is **covered**: it is counted in ``covered`` and
    again, as a part of it, in ``overdue``; every other status is counted once, so that ``covered``,
    ``waived``, ``not_applicable`` and ``gaps`` add up to ``total``. The home page, the level pages,
    the matrix page and ``pptoolkit check``'s summary line all print these numbers.
    """

    by_status: dict[str, int]
    """Every status, zero included, in the order of :data:`STATUSES`."""

    @property
    def total(self) -> int:
        """How many practices were counted."""
        return sum(self.by_status.values())

    @property
    def covered(self) -> int:
        """Covered practices, those overdue for review included."""
        return sum(self.by_status[s] for s in COVERED)

    @property
    def overdue(self) -> int:
        """Covered practices whose review is overdue (``stale``): a part of ``covered``."""
        return self.by_status["stale"]

    @property
    def gaps(self) -> int:
        """Practices not covered and not waived: missing, no owner, no evidence, no patient partner."""
        return sum(self.by_status[s] for s in FAILING)


def coverage_counts(coverage: Iterable[PracticeCoverage]) -> CoverageCounts:
    """Count practices by status: the one definition of "covered" (stale included) that everything prints."""
    found = Counter(c.status for c in coverage)
    return CoverageCounts({status: found.get(status, 0) for status in STATUSES})


class _Facts(NamedTuple):
    """What the coverage needs of one artifact, whatever the practice: found once, for each practice it implements."""

    owner: OwnerRef
    evidence: list[EvidenceRef]
    managed_at: str | None
    """The level of its owner, a manager (None when the owner is no manager of the registry)."""
    proves: bool
    """True when it is approved and has valid evidence: it proves any practice its owner's level is one of."""


def _facts(playbook: Playbook, artifact: LoadedArtifact, today: date) -> _Facts:
    model = artifact.model
    role = playbook.roles.get(model.owner)
    evidence = _evidence(playbook, artifact, today)
    return _Facts(
        OwnerRef(
            role=model.owner,
            title=role.model.title if role else None,
            level=role.model.level if role else None,
            artifact=model.id,
            type=role.model.type if role else None,
        ),
        evidence,
        role.model.level if role is not None and role.model.is_manager else None,
        model.status == "approved" and any(ref.valid for ref in evidence),
    )


def _evidence(playbook: Playbook, artifact: LoadedArtifact, today: date) -> list[EvidenceRef]:
    refs = []
    classify, reaches, path = playbook.links.classify, playbook.publication.reaches, artifact.path
    artifact_id = artifact.model.id
    for item in artifact.model.evidence[: playbook.settings.limits.max_evidence_items]:
        link = classify(item.link, path)
        kind, target = link.kind, link.target
        refs.append(
            EvidenceRef(
                item.title,
                item.date,
                item.link,
                target if kind in RESOLVING else None,
                artifact_id,
                # A file proves nothing to readers of the site unless the site publishes it (or it is an artifact).
                kind in PROOF_LINKS and item.date <= today and (target is None or reaches(target)),
                tuple(item.signed_by) if item.signed_by else (),
            )
        )
    return refs


def _valid_waivers(playbook: Playbook, today: date) -> tuple[dict[str, LoadedWaiver], list[Diagnostic]]:
    valid: dict[str, LoadedWaiver] = {}
    diagnostics: list[Diagnostic] = []
    for waiver in playbook.waivers:
        model = waiver.model
        if playbook.matrix.get(model.practice) is None:
            diagnostics.append(
                INVALID_WAIVER.at(
                    waiver.at("practice"),
                    _("the waiver names '{practice}', not a practice of the matrix").format(practice=model.practice),
                )
            )
        elif model.approved_by not in playbook.roles:
            diagnostics.append(
                INVALID_WAIVER.at(
                    waiver.at("approved_by"),
                    _("the waiver for {practice} is approved by '{role}', not a role").format(
                        practice=model.practice, role=model.approved_by
                    ),
                )
            )
        elif today > model.expires:
            diagnostics.append(
                WAIVER_EXPIRED.at(
                    waiver.at("expires"),
                    _("the waiver for {practice} expired on {date}; cover the practice or renew the waiver").format(
                        practice=model.practice, date=fmt.long_date(model.expires)
                    ),
                    practice=model.practice,
                )
            )
        else:
            if model.expires - today <= WAIVER_NOTICE:
                diagnostics.append(
                    WAIVER_EXPIRING.at(
                        waiver.at("expires"),
                        _("the waiver for {practice} expires on {date}, within 30 days").format(
                            practice=model.practice, date=fmt.long_date(model.expires)
                        ),
                        practice=model.practice,
                    )
                )
            valid.setdefault(model.practice, waiver)
    return valid, diagnostics


def _applicable(playbook: Playbook) -> tuple[dict[str, LoadedNotApplicable], list[Diagnostic]]:
    """The valid entries of the applicability file, by practice, and a diagnostic for each invalid one."""
    valid: dict[str, LoadedNotApplicable] = {}
    diagnostics: list[Diagnostic] = []
    for entry in playbook.not_applicable:
        model = entry.model
        if playbook.matrix.get(model.practice) is None:
            diagnostics.append(
                INVALID_APPLICABILITY.at(
                    entry.at("practice"),
                    _("the entry names '{practice}', not a practice of the matrix").format(practice=model.practice),
                )
            )
        elif model.approved_by not in playbook.roles:
            diagnostics.append(
                INVALID_APPLICABILITY.at(
                    entry.at("approved_by"),
                    _("practice {practice} is declared not applicable by '{role}', not a role").format(
                        practice=model.practice, role=model.approved_by
                    ),
                )
            )
        elif model.practice in valid:
            diagnostics.append(
                INVALID_APPLICABILITY.at(
                    entry.where,
                    _("practice {practice} is already declared not applicable on line {line}").format(
                        practice=model.practice, line=valid[model.practice].where.line
                    ),
                )
            )
        else:
            valid[model.practice] = entry
    return valid, diagnostics


def _partners(playbook: Playbook, proofs: list[LoadedArtifact], evidence: list[EvidenceRef]) -> tuple[str, ...]:
    """The patient-partner roles that co-constructed one of the proofs or signed one of its valid evidence items."""
    proof_ids = {a.model.id for a in proofs}
    named = [role for a in proofs for role in a.model.co_constructed_with]
    named += [role for e in evidence if e.valid and e.artifact in proof_ids for role in e.signed_by]
    return tuple(
        role
        for role in dict.fromkeys(named)
        if (found := playbook.roles.get(role)) is not None and found.model.type == "patient-partner"
    )


def _wrong_level(playbook: Playbook, practice: Practice, owners: tuple[OwnerRef, ...]) -> str:
    """The no-owner message: the level is wrong (saying whose), or no owner is a role at all."""
    levels = _(" or ").join(_(LEVEL_WORDS[level]) for level in practice.levels)
    known = [o for o in owners if o.type is not None]
    if not known:
        return _("practice {id} has no owner that is a role of the registry").format(id=practice.id)
    found = ", ".join(
        dict.fromkeys(
            _("'{role}' ({level} manager)").format(role=o.role, level=_(LEVEL_WORDS[o.level]))
            if o.type == "manager" and o.level
            else _("'{role}' ({type})").format(role=o.role, type=role_type(str(o.type)))
            for o in known
        )
    )
    return _(
        "practice {id} is done by {levels} managers, but its artifacts are owned at the wrong level: "
        "{found}; give one an owner at the practice's level"
    ).format(id=practice.id, levels=levels, found=found)


LEVEL_WORDS = {"top": N_("top-level"), "mid": N_("mid-level"), "front": N_("front-line")}

MESSAGES: dict[str, tuple[Rule, str]] = {
    "missing": (PRACTICE_MISSING, N_("no current artifact implements practice {id} ({title})")),
    "no-evidence": (
        PRACTICE_NO_EVIDENCE,
        N_("practice {id} has no approved artifact with evidence that can be opened and is not dated in the future"),
    ),
    "no-patient-partner": (
        PRACTICE_NO_PATIENT_PARTNER,
        N_(
            "practice {id} requires patient partners, but none of its approved artifacts was co-constructed with a "
            "patient-partner role ('co_constructed_with') and none of its valid evidence is signed by one ('signed_by')"
        ),
    ),
    "stale": (
        PRACTICE_STALE,
        N_("practice {id} is covered, but every artifact proving it is past its review date"),
    ),
}


def assess(playbook: Playbook, today: date) -> tuple[list[PracticeCoverage], list[Diagnostic]]:
    """Return the coverage of every practice of the matrix, and the diagnostics it gives rise to."""
    waivers, diagnostics = _valid_waivers(playbook, today)
    not_applicable, applicability_diagnostics = _applicable(playbook)
    diagnostics += applicability_diagnostics
    results: list[PracticeCoverage] = []
    implementing: dict[str, list[LoadedArtifact]] = {}
    facts_of: dict[str, _Facts] = {}
    for artifact in playbook.artifacts:
        if artifact.model.status != "retired":
            for practice_id in dict.fromkeys(artifact.model.implements):
                implementing.setdefault(practice_id, []).append(artifact)
    for practice in playbook.matrix.practices:
        artifacts = tuple(implementing.get(practice.id, ()))
        owned: list[OwnerRef] = []
        evidence: list[EvidenceRef] = []
        proofs: list[LoadedArtifact] = []
        at_level = False  # some artifact is owned by a manager at one of the practice's levels
        for artifact in artifacts:
            facts = facts_of.get(artifact.path)
            if facts is None:  # an artifact's owner and evidence are the same for every practice it implements
                facts = facts_of[artifact.path] = _facts(playbook, artifact, today)
            owned.append(facts.owner)
            evidence.extend(facts.evidence)
            if facts.managed_at is not None and facts.managed_at in practice.levels:
                at_level = True
                if facts.proves:
                    proofs.append(artifact)
        owners = tuple(owned)
        partners = _partners(playbook, proofs, evidence)
        proof_ids = {a.model.id for a in proofs}
        newest = max((e.date for e in evidence if e.valid and e.artifact in proof_ids), default=None)
        too_old = (
            practice.evidence_max_age_days is not None
            and newest is not None
            and (today - newest).days > practice.evidence_max_age_days
        )
        message: str | None = None
        status: Status
        if practice.id in not_applicable:
            status = "not-applicable"
        elif not artifacts:
            status = "missing"
        elif not at_level:
            status, message = "no-owner", _wrong_level(playbook, practice, owners)
        elif not proofs:
            status = "no-evidence"
        elif "patient-partner" in practice.requires and not partners:
            status = "no-patient-partner"
        elif too_old and newest is not None:
            status = "stale"
            message = _(
                "practice {id} is covered, but its newest evidence is dated {date}, {days} days ago: "
                "the practice recurs and needs evidence at most {limit} days old"
            ).format(
                id=practice.id,
                date=fmt.long_date(newest),
                days=(today - newest).days,
                limit=practice.evidence_max_age_days,
            )
        elif all(today > artifact.model.review_by for artifact in proofs):
            status = "stale"
        else:
            status = "covered"
        waiver = waivers.get(practice.id)
        if waiver is not None and status in FAILING:
            status = "waived"
            message = None
        elif waiver is not None:
            diagnostics.append(
                WAIVER_UNNEEDED.at(
                    waiver.where,
                    _("practice {practice} is {status} without this waiver; remove it").format(
                        practice=practice.id, status=status_word(status)
                    ),
                    practice.id,
                )
            )
        if message is None and status in MESSAGES:
            message = _(MESSAGES[status][1]).format(id=practice.id, title=practice.title_in(current_language()))
        if message is not None:
            rule = PRACTICE_NO_OWNER if status == "no-owner" else MESSAGES[status][0]
            line, column = playbook.matrix.positions[practice.id]
            claims = playbook.invalid_claims.get(practice.id)
            if claims:
                message += _("; {artifacts} lists it but has errors (fix them first)").format(
                    artifacts=", ".join(claims)
                )
            diagnostics.append(rule.at(Location(playbook.matrix.path, line, column), message, practice=practice.id))
        review_by = max((a.model.review_by for a in proofs), default=None)
        results.append(
            PracticeCoverage(
                practice,
                status,
                artifacts,
                owners,
                tuple(evidence),
                waiver if status == "waived" else None,
                review_by,
                not_applicable.get(practice.id) if status == "not-applicable" else None,
                partners,
                newest,
            )
        )
    return results, diagnostics
