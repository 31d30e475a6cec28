"""``pptoolkit diff``: what a change does to coverage, between two git revisions of the playbook.

Each revision is read with git itself (``git ls-tree`` and ``git cat-file``)
into a temporary folder and checked there as of the same day: the working
tree, the index and the branches are never touched. The comparison says which
practices became covered or lost coverage, whose owners changed, which evidence
was added or removed, and which problems are new or resolved (matched by rule,
file and message, whatever their line).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from pptoolkit.checker import Result, check
from pptoolkit.coverage import COVERED, FAILING
from pptoolkit.diagnostics import Diagnostic
from pptoolkit.fingerprints import diagnostic_key
from pptoolkit.settings import ConfigError

HELD = COVERED | {"waived"}
"""Statuses that do not fail the check: losing one of them is losing coverage."""
SYMLINK_MODE = "120000"


class RevisionError(Exception):
    """A revision that cannot be read or checked (exit code 2): not a commit, no git, no playbook in it."""


@dataclass(frozen=True)
class Revision:
    """One side of the comparison: the name given, the commit it resolved to, and its coverage counts."""

    name: str
    commit: str
    summary: dict[str, int]


@dataclass(frozen=True)
class StatusChange:
    """A practice whose status differs; ``None`` when the practice is not in that revision's matrix."""

    practice: str
    title: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class OwnerChange:
    """A practice owned by other roles than before."""

    practice: str
    title: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceItem:
    """An evidence item of an artifact, with the practices that artifact implements."""

    artifact: str
    path: str
    title: str
    date: date
    link: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class CoverageDiff:
    """Everything that changed between ``base`` and ``head``, in matrix and report order."""

    base: Revision
    head: Revision
    today: date
    status_changes: tuple[StatusChange, ...]
    owner_changes: tuple[OwnerChange, ...]
    evidence_added: tuple[EvidenceItem, ...]
    evidence_removed: tuple[EvidenceItem, ...]
    new_diagnostics: tuple[Diagnostic, ...]
    resolved_diagnostics: tuple[Diagnostic, ...]

    @property
    def became_covered(self) -> list[StatusChange]:
        """Practices covered (or covered but stale) now, and not before."""
        return [c for c in self.status_changes if c.after in COVERED and c.before not in COVERED]

    @property
    def lost_coverage(self) -> list[StatusChange]:
        """Practices that were covered, stale or waived, and now fail or left the matrix."""
        return [c for c in self.status_changes if c.before in HELD and (c.after is None or c.after in FAILING)]

    @property
    def other_changes(self) -> list[StatusChange]:
        """Status changes that neither cover a practice nor lose one (covered → stale, missing → waived...)."""
        counted = {c.practice for c in (*self.became_covered, *self.lost_coverage)}
        return [c for c in self.status_changes if c.practice not in counted]

    @property
    def exit_code(self) -> int:
        """1 when a practice loses coverage, else 0."""
        return 1 if self.lost_coverage else 0


def _git(arguments: list[str], cwd: Path) -> bytes:
    try:
        completed = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(reason[-1] if reason else f"git {arguments[0]} failed")
    return completed.stdout


def _repository(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the playbook's path inside it ('' or 'sub/dir/')."""
    if not root.is_dir():
        raise RevisionError(f"'{root}': no such playbook directory")
    try:
        top = _git(["rev-parse", "--show-toplevel"], root).decode().strip()
    except RevisionError as error:
        raise RevisionError(f"'{root}' is not in a git repository: {error}") from None
    prefix = _git(["rev-parse", "--show-prefix"], root).decode().strip()
    return Path(top), prefix


def resolve(top: Path, revision: str) -> str:
    """The full id of the commit that ``revision`` names; ``RevisionError`` when it names none."""
    if not revision or revision.startswith("-"):
        raise RevisionError(f"'{revision}' is not a revision")
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top).decode().strip()
    except RevisionError:
        raise RevisionError(f"'{revision}' is not a commit of this repository") from None


def _safe_target(destination: Path, relative: str) -> Path | None:
    parts = PurePosixPath(relative).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or relative.startswith("/"):
        return None
    return destination.joinpath(*parts)


def export(top: Path, commit: str, prefix: str, destination: Path) -> None:
    """Write the files of ``commit`` under ``prefix`` into ``destination`` (symbolic links as links)."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, *(["--", prefix] if prefix else [])], top)
    entries: list[tuple[str, str, str]] = []
    for record in listing.split(b"\0"):
        meta, _, raw_path = record.partition(b"\t")
        if not raw_path:
            continue
        mode, kind, oid = meta.decode("ascii").split(" ")
        if kind == "blob":
            entries.append((mode, oid, os.fsdecode(raw_path)[len(prefix) :]))
    with subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for mode, oid, relative in entries:
            process.stdin.write(f"{oid}\n".encode("ascii"))
            process.stdin.flush()
            size = int(process.stdout.readline().split()[2])
            data = process.stdout.read(size)
            process.stdout.read(1)
            target = _safe_target(destination, relative)
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if mode == SYMLINK_MODE:
                try:
                    os.symlink(os.fsdecode(data), target)
                except OSError:  # a system without symbolic links: leave it out, as a checkout would
                    continue
            else:
                target.write_bytes(data)
        process.stdin.close()


def _statuses(base: Result, head: Result) -> list[StatusChange]:
    before = {c.practice.id: c for c in base.coverage}
    after = {c.practice.id: c for c in head.coverage}
    order = [*after, *(p for p in before if p not in after)]
    changes = []
    for practice in order:
        old, new = before.get(practice), after.get(practice)
        old_status, new_status = (old.status if old else None), (new.status if new else None)
        source = new or old
        if source is not None and old_status != new_status:
            changes.append(StatusChange(practice, source.practice.title, old_status, new_status))
    return changes


def _owners(base: Result, head: Result) -> list[OwnerChange]:
    before = {c.practice.id: tuple(sorted({o.role for o in c.owners})) for c in base.coverage}
    changes = []
    for coverage in head.coverage:
        practice = coverage.practice.id
        after = tuple(sorted({o.role for o in coverage.owners}))
        if practice in before and before[practice] != after:
            changes.append(OwnerChange(practice, coverage.practice.title, before[practice], after))
    return changes


def _evidence(result: Result) -> list[EvidenceItem]:
    return [
        EvidenceItem(a.model.id, a.path, e.title, e.date, e.link, tuple(a.model.implements))
        for a in result.playbook.artifacts
        for e in a.model.evidence
    ]


def _minus(items: Iterable[EvidenceItem], other: Iterable[EvidenceItem]) -> tuple[EvidenceItem, ...]:
    known = {(e.artifact, e.title, e.date, e.link) for e in other}
    return tuple(e for e in items if (e.artifact, e.title, e.date, e.link) not in known)


def _diagnostics_minus(items: Iterable[Diagnostic], other: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The diagnostics of ``items`` that ``other`` does not have (counting repeats of one problem)."""
    remaining = Counter(diagnostic_key(d) for d in other)
    extra = []
    for diagnostic in items:
        key = diagnostic_key(diagnostic)
        if remaining[key]:
            remaining[key] -= 1
        else:
            extra.append(diagnostic)
    return tuple(extra)


def compare(base: Revision, base_result: Result, head: Revision, head_result: Result) -> CoverageDiff:
    """The differences between two checked revisions (checked as of the same day)."""
    base_evidence, head_evidence = _evidence(base_result), _evidence(head_result)
    return CoverageDiff(
        base=base,
        head=head,
        today=head_result.today,
        status_changes=tuple(_statuses(base_result, head_result)),
        owner_changes=tuple(_owners(base_result, head_result)),
        evidence_added=_minus(head_evidence, base_evidence),
        evidence_removed=_minus(base_evidence, head_evidence),
        new_diagnostics=_diagnostics_minus(head_result.diagnostics, base_result.diagnostics),
        resolved_diagnostics=_diagnostics_minus(base_result.diagnostics, head_result.diagnostics),
    )


def _check_revision(top: Path, prefix: str, name: str, commit: str, folder: Path, today: date) -> Result:
    """Export one revision of the playbook into ``folder`` and check it there."""
    folder.mkdir()
    export(top, commit, prefix, folder)
    try:
        return check(folder, today)
    except ConfigError as error:
        raise RevisionError(f"revision '{name}' ({commit[:12]}): {error}") from None


def diff_revisions(root: Path, base: str, head: str = "HEAD", today: date | None = None) -> CoverageDiff:
    """Check the playbook at ``root`` in revisions ``base`` and ``head`` and compare them.

    Raises ``RevisionError`` when a revision cannot be read or has no usable playbook.
    """
    today = today or date.today()
    top, prefix = _repository(root)
    base_commit, head_commit = resolve(top, base), resolve(top, head)
    with tempfile.TemporaryDirectory(prefix="pptoolkit-diff-") as folder:
        base_result = _check_revision(top, prefix, base, base_commit, Path(folder) / "base", today)
        head_result = _check_revision(top, prefix, head, head_commit, Path(folder) / "head", today)
        return compare(
            Revision(base, base_commit, base_result.summary()),
            base_result,
            Revision(head, head_commit, head_result.summary()),
            head_result,
        )
