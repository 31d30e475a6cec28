"""``pptoolkit diff``: what a change does to coverage, between two git revisions of the playbook.

Each revision is read with git itself (``git ls-tree`` and ``git cat-file``)
into a temporary folder and checked there as of the same day: the working
tree, the index and the branches are never touched. Only regular files are
written, inside that folder and never through a symbolic link: a revision is
content from a pull request, and its tree may be crafted. The comparison says which
practices became covered or lost coverage, whose owners changed, which evidence
was added or removed, and which problems are new or resolved (matched by rule,
file and message, whatever their line).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pptoolkit.checking.checker import Result, check
from pptoolkit.checking.coverage import COVERED, FAILING
from pptoolkit.checking.rules import configured
from pptoolkit.checking.rules.links import LINK_OUTSIDE
from pptoolkit.i18n import current_language
from pptoolkit.loading.playbook import LoadedArtifact
from pptoolkit.model.diagnostics import Diagnostic, Location
from pptoolkit.model.settings import ConfigError
from pptoolkit.reporting.fingerprints import diagnostic_key

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
class ArtifactChange:
    """An artifact added, retired (its status, or its file deleted) or renamed (its file moved, its id kept)."""

    artifact: str
    title: str
    path: str
    practices: tuple[str, ...]
    before_path: str | None = None
    how: str = ""
    """For a retired artifact: 'retired' (its status) or 'deleted' (its file)."""


@dataclass(frozen=True)
class EvidenceChange:
    """An evidence item of one title in one artifact whose link or date changed."""

    before: EvidenceItem
    after: EvidenceItem


@dataclass(frozen=True)
class Cause:
    """Where, in the head revision, a change that cost a practice its coverage is written."""

    practice: str
    before: str
    after: str | None
    where: Location


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
    artifacts_added: tuple[ArtifactChange, ...] = ()
    artifacts_retired: tuple[ArtifactChange, ...] = ()
    artifacts_renamed: tuple[ArtifactChange, ...] = ()
    evidence_changed: tuple[EvidenceChange, ...] = ()
    causes: tuple[Cause, ...] = ()
    """For each practice that lost coverage, the changed artifacts of the head revision that made it lose it."""

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
        pass
    message = f"'{revision}' is not a commit of this repository"
    with contextlib.suppress(RevisionError):
        if _git(["rev-parse", "--is-shallow-repository"], top).decode().strip() == "true":
            message += (
                "; this clone is shallow (it holds only the last commits): fetch the history with "
                "'git fetch --unshallow', or check out with 'fetch-depth: 0' (GitHub Actions' actions/checkout) "
                "or 'GIT_DEPTH: 0' (GitLab CI)"
            )
    raise RevisionError(message)


MAX_FILES = 100_000
"""At most this many files in a revision's playbook: a larger one is refused, not read."""
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A larger file is written as a sparse file of its size, its content never read (the check reports its size)."""
MAX_REVISION_BYTES = 512 * 1024 * 1024
"""At most this many bytes of content are read from a revision's playbook."""
MAX_LINK_BYTES = 4096
MAX_LINK_HOPS = 8
_SUBMODULE_MODE = "160000"
_NO_FOLLOW = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class _Entry:
    """A file of a revision: its mode, object, size and path (relative to the playbook, with '/')."""

    mode: str
    oid: str
    size: int
    path: str


def _unsafe_reason(path: str) -> str | None:
    """Why a path from a tree cannot be written inside the export folder; None when it can."""
    if not path or path.startswith("/"):
        return "it is not a relative path"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' component"
    if any(part.casefold().rstrip(". ") == ".git" for part in parts):
        return "it has a '.git' component"
    if any(len(os.fsencode(part)) > 255 for part in parts) or len(os.fsencode(path)) > 4000:
        return "it is too long"
    return None


def _listing(top: Path, commit: str, prefix: str) -> list[_Entry]:
    """The files of ``commit`` under ``prefix``, each path checked; ``RevisionError`` for a crafted tree."""
    raw = _git(["ls-tree", "-r", "-l", "-z", "--full-tree", commit, *(["--", prefix] if prefix else [])], top)
    entries: list[_Entry] = []
    for record in raw.split(b"\0"):
        meta, _, raw_path = record.partition(b"\t")
        if not raw_path:
            continue
        mode, kind, oid, size = meta.decode("ascii").split()
        if kind != "blob" or mode == _SUBMODULE_MODE:
            continue  # a submodule: another repository, not part of this playbook (as in a plain checkout)
        path = os.fsdecode(raw_path)[len(prefix) :]
        reason = _unsafe_reason(path)
        if reason is not None:
            raise RevisionError(f"{path!r} cannot be read safely: {reason} (a crafted tree?)")
        entries.append(_Entry(mode, oid, int(size), path))
    folders = {e.path[:index] for e in entries for index, character in enumerate(e.path) if character == "/"}
    clash = next((e.path for e in entries if e.path in folders), None)
    if clash is not None:
        raise RevisionError(f"{clash!r} is both a file and a folder (a crafted tree?)")
    if len(entries) > MAX_FILES:
        raise RevisionError(f"the playbook has {len(entries):,} files; pptoolkit diff reads at most {MAX_FILES:,}")
    return entries


class _Objects:
    """Reads objects through one ``git cat-file --batch`` process, in chunks."""

    CHUNK = 1 << 20

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def chunks(self, oid: str) -> Iterator[bytes]:
        """The content of the object ``oid``, read in chunks (all of them must be consumed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{oid}\n".encode("ascii"))
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3:
            raise RevisionError(f"git cannot read the object {oid}")
        remaining = int(header[2])
        while remaining:
            chunk = self.process.stdout.read(min(remaining, self.CHUNK))
            if not chunk:
                raise RevisionError(f"git stopped while reading the object {oid}")
            remaining -= len(chunk)
            yield chunk
        self.process.stdout.read(1)

    def read(self, oid: str) -> bytes:
        """The whole content of a small object."""
        return b"".join(self.chunks(oid))

    def close(self) -> None:
        """Stop the git process."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.stdout.close()  # git stops on its next write, even in the middle of an object
        self.process.wait()


def _link_sources(entries: list[_Entry], prefix: str, objects: _Objects) -> tuple[dict[str, _Entry], list[str]]:
    """For each symbolic link, the file of the revision it names, if it names one inside the playbook.

    A link is never written as a link: a link to a file of the playbook becomes a copy of that file,
    and any other link (outside the playbook, to a folder, dangling, a loop) is left out and returned.
    """
    files = {e.path: e for e in entries}
    targets: dict[str, str] = {}
    for entry in entries:
        if entry.mode == SYMLINK_MODE and entry.size <= MAX_LINK_BYTES:
            targets[entry.path] = os.fsdecode(objects.read(entry.oid))
    sources: dict[str, _Entry] = {}
    not_followed: list[str] = []
    for entry in entries:
        if entry.mode != SYMLINK_MODE:
            continue
        path, found = entry.path, None
        for _ in range(MAX_LINK_HOPS):
            target = targets.get(path)
            if target is None or target.startswith("/"):
                break
            named = posixpath.normpath(posixpath.join(prefix + posixpath.dirname(path), target))
            if not named.startswith(prefix) or named.startswith("../") or _unsafe_reason(named[len(prefix) :]):
                break
            path = named[len(prefix) :]
            if path in files and files[path].mode != SYMLINK_MODE:
                found = files[path]
                break
        if found is None:
            not_followed.append(entry.path)
        else:
            sources[entry.path] = found
    return sources, not_followed


def _open_parent(root: int, path: str) -> int:
    """A descriptor of the folder of ``path`` under the folder ``root``, made as needed, never through a link."""
    descriptor = os.dup(root)
    try:
        for part in path.split("/")[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=descriptor)
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _write(root: int, entry: _Entry, source: _Entry, objects: _Objects) -> None:
    """Write ``source``'s content at ``entry``'s path: a new regular file, never through a link."""
    parent = _open_parent(root, entry.path)
    try:
        name = entry.path.rsplit("/", 1)[-1]
        descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o644, dir_fd=parent)
    finally:
        os.close(parent)
    with os.fdopen(descriptor, "wb") as handle:
        if source.size > MAX_FILE_BYTES:
            handle.truncate(source.size)  # a sparse file of the same size: the check reports the size
            return
        for chunk in objects.chunks(source.oid):
            handle.write(chunk)


def export(top: Path, commit: str, prefix: str, destination: Path) -> list[str]:
    """Write the files of ``commit`` under ``prefix`` into ``destination``; return the links not followed.

    Only regular files are written, each created anew inside ``destination`` and never
    through a symbolic link; a revision whose tree no ``git add`` could make (a '..' or
    '.git' component, a file and a folder of one name) is refused with ``RevisionError``.
    """
    entries = _listing(top, commit, prefix)
    objects = _Objects(top)
    root = os.open(destination, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW)
    try:
        sources, not_followed = _link_sources(entries, prefix, objects)
        written = [(e, sources.get(e.path) if e.mode == SYMLINK_MODE else e) for e in entries]
        total = sum(min(source.size, MAX_FILE_BYTES + 1) for _, source in written if source is not None)
        if total > MAX_REVISION_BYTES:  # links to one file count once for each copy
            raise RevisionError(
                f"the playbook holds {total:,} bytes; pptoolkit diff reads at most {MAX_REVISION_BYTES:,}"
            )
        for entry, source in written:
            if source is None:
                continue
            try:
                _write(root, entry, source, objects)
            except OSError as error:
                raise RevisionError(
                    f"'{entry.path}' cannot be written safely: {error.strerror} "
                    "(a file and a folder of one name, or a folder that is a symbolic link: a crafted tree?)"
                ) from None
    finally:
        os.close(root)
        objects.close()
    return not_followed


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
            changes.append(StatusChange(practice, source.practice.title_in(current_language()), old_status, new_status))
    return changes


def _owners(base: Result, head: Result) -> list[OwnerChange]:
    before = {c.practice.id: tuple(sorted({o.role for o in c.owners})) for c in base.coverage}
    changes = []
    for coverage in head.coverage:
        practice = coverage.practice.id
        after = tuple(sorted({o.role for o in coverage.owners}))
        if practice in before and before[practice] != after:
            changes.append(
                OwnerChange(practice, coverage.practice.title_in(current_language()), before[practice], after)
            )
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


def _evidence_changes(
    added: tuple[EvidenceItem, ...], removed: tuple[EvidenceItem, ...]
) -> tuple[tuple[EvidenceItem, ...], tuple[EvidenceItem, ...], tuple[EvidenceChange, ...]]:
    """Added and removed items of one title in one artifact paired as changed; the others as they were."""
    before = {(e.artifact, e.title): e for e in removed}
    changed = tuple(EvidenceChange(before[(e.artifact, e.title)], e) for e in added if (e.artifact, e.title) in before)
    paired = {(c.after.artifact, c.after.title) for c in changed}
    return (
        tuple(e for e in added if (e.artifact, e.title) not in paired),
        tuple(e for e in removed if (e.artifact, e.title) not in paired),
        changed,
    )


def _artifacts(
    base: Result, head: Result
) -> tuple[tuple[ArtifactChange, ...], tuple[ArtifactChange, ...], tuple[ArtifactChange, ...]]:
    """The artifacts added, retired and renamed between two revisions, matched by id."""
    before = {a.model.id: a for a in base.playbook.artifacts}
    after = {a.model.id: a for a in head.playbook.artifacts}

    def change(artifact: LoadedArtifact, before_path: str | None = None, how: str = "") -> ArtifactChange:
        model = artifact.model
        return ArtifactChange(model.id, model.title, artifact.path, tuple(model.implements), before_path, how)

    added = tuple(change(a) for key, a in after.items() if key not in before)
    retired = tuple(
        change(a, how="deleted") if key not in after else change(after[key], how="retired")
        for key, a in before.items()
        if a.model.status != "retired" and (key not in after or after[key].model.status == "retired")
    )
    renamed = tuple(
        change(a, before_path=before[key].path)
        for key, a in after.items()
        if key in before and before[key].path != a.path
    )
    return added, retired, renamed


CAUSE_KEYS = ("status", "owner", "evidence", "implements", "review_by")
"""The front matter keys whose change can cost a practice its coverage, in the order a reviewer looks at them."""


def _causes(base: Result, head: Result, lost: list[StatusChange]) -> tuple[Cause, ...]:
    """For each practice that lost coverage, each artifact of the head that implemented it and changed a key of
    ``CAUSE_KEYS``, at that key (a deleted artifact has no place in the head: the matrix entry says it)."""
    before = {a.model.id: a for a in base.playbook.artifacts}
    causes = []
    for change in lost:
        for artifact in head.playbook.artifacts:
            old = before.get(artifact.model.id)
            if old is None or change.practice not in old.model.implements:
                continue
            key = next((k for k in CAUSE_KEYS if getattr(old.model, k) != getattr(artifact.model, k)), None)
            if key is not None:
                assert change.before is not None  # a practice that lost coverage had a status
                causes.append(Cause(change.practice, change.before, change.after, artifact.at(key)))
    return tuple(causes)


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
    added, removed, changed = _evidence_changes(
        _minus(head_evidence, base_evidence), _minus(base_evidence, head_evidence)
    )
    artifacts_added, artifacts_retired, artifacts_renamed = _artifacts(base_result, head_result)
    statuses = tuple(_statuses(base_result, head_result))
    diff = CoverageDiff(
        base=base,
        head=head,
        today=head_result.today,
        status_changes=statuses,
        owner_changes=tuple(_owners(base_result, head_result)),
        evidence_added=added,
        evidence_removed=removed,
        new_diagnostics=_diagnostics_minus(head_result.diagnostics, base_result.diagnostics),
        resolved_diagnostics=_diagnostics_minus(base_result.diagnostics, head_result.diagnostics),
        artifacts_added=artifacts_added,
        artifacts_retired=artifacts_retired,
        artifacts_renamed=artifacts_renamed,
        evidence_changed=changed,
    )
    return replace(diff, causes=_causes(base_result, head_result, diff.lost_coverage))


def _check_revision(top: Path, prefix: str, name: str, commit: str, folder: Path, today: date) -> Result:
    """Export one revision of the playbook into ``folder`` and check it there."""
    folder.mkdir()
    try:
        not_followed = export(top, commit, prefix, folder)
        result = check(folder, today)
    except (ConfigError, RevisionError) as error:
        raise RevisionError(f"revision '{name}' ({commit[:12]}): {error}") from None
    links = [
        LINK_OUTSIDE.at(
            Location(path),
            "this file is a symbolic link to a file outside the playbook (or to no file); "
            "pptoolkit diff does not follow it",
        )
        for path in not_followed
    ]
    links = configured(links, result.playbook.settings.rule_settings)  # as the check's own diagnostics
    return replace(result, diagnostics=tuple(sorted({*result.diagnostics, *links}))) if links else result


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
