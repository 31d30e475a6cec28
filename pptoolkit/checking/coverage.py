"""One status per practice, from the artifacts that implement it, their owners, evidence and waivers.

Statuses: ``covered``, ``stale`` (covered but every proof is past review),
``waived`` (not covered, under a valid waiver), ``missing``, ``no-owner`` and
``no-evidence``. Practice-level diagnostics point at the practice's entry in
the matrix file; waiver diagnostics at the waivers file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pptoolkit.checking.rules.coverage import PRACTICE_MISSING, PRACTICE_NO_EVIDENCE, PRACTICE_NO_OWNER, PRACTICE_STALE
from pptoolkit.checking.rules.waivers import INVALID_WAIVER, WAIVER_EXPIRED, WAIVER_EXPIRING, WAIVER_UNNEEDED
from pptoolkit.i18n import N_, _
from pptoolkit.i18n.vocabulary import status_word
from pptoolkit.loading.playbook import LoadedArtifact, LoadedWaiver, Playbook
from pptoolkit.model.diagnostics import Diagnostic, Location, Rule
from pptoolkit.model.matrix import Practice
from pptoolkit.reading.links import LinkKind

Status = Literal["covered", "stale", "waived", "missing", "no-owner", "no-evidence"]
STATUSES: tuple[Status, ...] = ("covered", "stale", "waived", "missing", "no-owner", "no-evidence")
FAILING: frozenset[str] = frozenset({"missing", "no-owner", "no-evidence"})
COVERED: frozenset[str] = frozenset({"covered", "stale"})
"""The statuses that count as covered (a stale practice is covered, with a warning)."""
WAIVER_NOTICE = timedelta(days=30)
PROOF_LINKS = frozenset({LinkKind.FILE, LinkKind.HTTPS})  # "an existing file inside the playbook, or an https URL"


@dataclass(frozen=True, slots=True)
class OwnerRef:
    """An owner of a practice through one of its artifacts; ``level`` is None when the role is unknown."""

    role: str
    title: str | None
    level: str | None
    artifact: str


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """An evidence item of an artifact implementing the practice, and whether it proves anything today."""

    title: str
    date: date
    link: str
    target: str | None
    artifact: str
    valid: bool


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

    @property
    def is_failing(self) -> bool:
        """True when the status is an error (missing, no-owner, no-evidence)."""
        return self.status in FAILING


def _owners(playbook: Playbook, artifacts: tuple[LoadedArtifact, ...]) -> tuple[OwnerRef, ...]:
    refs = []
    for artifact in artifacts:
        role = playbook.roles.get(artifact.model.owner)
        refs.append(
            OwnerRef(
                role=artifact.model.owner,
                title=role.model.title if role else None,
                level=role.model.level if role else None,
                artifact=artifact.model.id,
            )
        )
    return tuple(refs)


def _evidence(playbook: Playbook, artifact: LoadedArtifact, today: date) -> list[EvidenceRef]:
    refs = []
    for item in artifact.model.evidence[: playbook.settings.limits.max_evidence_items]:
        link = playbook.links.classify(item.link, artifact.path)
        refs.append(
            EvidenceRef(
                title=item.title,
                date=item.date,
                link=item.link,
                target=link.target if link.kind.resolves else None,
                artifact=artifact.model.id,
                # A file proves nothing to readers of the site unless the site publishes it (or it is an artifact).
                valid=link.kind in PROOF_LINKS
                and item.date <= today
                and (link.target is None or playbook.publication.reaches(link.target)),
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
                        practice=model.practice, date=model.expires.isoformat()
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
                            practice=model.practice, date=model.expires.isoformat()
                        ),
                        practice=model.practice,
                    )
                )
            valid.setdefault(model.practice, waiver)
    return valid, diagnostics


def _status(
    has_owner: bool, proofs: list[LoadedArtifact], artifacts: tuple[LoadedArtifact, ...], today: date
) -> Status:
    if not artifacts:
        return "missing"
    if not has_owner:
        return "no-owner"
    if not proofs:
        return "no-evidence"
    if all(today > artifact.model.review_by for artifact in proofs):
        return "stale"
    return "covered"


MESSAGES: dict[str, tuple[Rule, str]] = {
    "missing": (PRACTICE_MISSING, N_("no current artifact implements practice {id} ({title})")),
    "no-owner": (PRACTICE_NO_OWNER, N_("practice {id} has no owner that is a role of the registry")),
    "no-evidence": (
        PRACTICE_NO_EVIDENCE,
        N_("practice {id} has no approved artifact with evidence that can be opened and is not dated in the future"),
    ),
    "stale": (
        PRACTICE_STALE,
        N_("practice {id} is covered, but every artifact proving it is past its review date"),
    ),
}


def assess(playbook: Playbook, today: date) -> tuple[list[PracticeCoverage], list[Diagnostic]]:
    """Return the coverage of every practice of the matrix, and the diagnostics it gives rise to."""
    waivers, diagnostics = _valid_waivers(playbook, today)
    results: list[PracticeCoverage] = []
    implementing: dict[str, list[LoadedArtifact]] = {}
    for artifact in playbook.artifacts:
        if artifact.model.status != "retired":
            for practice_id in dict.fromkeys(artifact.model.implements):
                implementing.setdefault(practice_id, []).append(artifact)
    for practice in playbook.matrix.practices:
        artifacts = tuple(implementing.get(practice.id, ()))
        owners = _owners(playbook, artifacts)
        evidence: list[EvidenceRef] = []
        proofs: list[LoadedArtifact] = []
        for artifact in artifacts:
            refs = _evidence(playbook, artifact, today)
            evidence.extend(refs)
            if artifact.model.status == "approved" and any(ref.valid for ref in refs):
                proofs.append(artifact)
        status = _status(any(o.level is not None for o in owners), proofs, artifacts, today)
        waiver = waivers.get(practice.id)
        if waiver is not None and status in FAILING:
            status = "waived"
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
        if status in MESSAGES:
            rule, message = MESSAGES[status]
            line, column = playbook.matrix.positions[practice.id]
            text = _(message).format(id=practice.id, title=practice.title)
            claims = playbook.invalid_claims.get(practice.id)
            if claims:
                text += _("; {artifacts} lists it but has errors (fix them first)").format(artifacts=", ".join(claims))
            diagnostics.append(rule.at(Location(playbook.matrix.path, line, column), text, practice=practice.id))
        review_by = max((a.model.review_by for a in proofs), default=None)
        results.append(
            PracticeCoverage(
                practice, status, artifacts, owners, tuple(evidence), waiver if status == "waived" else None, review_by
            )
        )
    return results, diagnostics
