"""What a check read from the file system, with the value it read: the trace that lets a re-check stop early.

A check records, at each place that reads a file, lists a folder or takes a status, what it found: each
status (type, size, modification and change times, inode, device, links), each real path, the names and
types of each folder's entries. A file whose text the cache knows (``FileText``) is recorded with its
*facts* besides its status: the key of every answer the cache remembered about its text (the record of
that answer is its value), and whether the check read its whole text outside those answers. A re-check
takes every status again; when all are the same, or a changed file's facts are the same, nothing the
check could say has changed (``checking/memo.py``). ``NOT_TRACED`` records nothing: every check but
``pptoolkit check`` with its cache, and ``--no-cache``.

Statuses are kept as the system gave them and turned into plain values only when the trace is written,
so that recording costs a check a few appends.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pptoolkit.reading.documents import FileText

RACY_NS = 2_000_000_000
"""A file changed less than this before the trace started is recorded as unknown (a file system's coarsest clock)."""

Taken = os.stat_result | OSError | ValueError | RuntimeError | str | None
"""What an operation on the file system gave: a status, a real path, or the error it raised."""


class NotTraced:
    """Records nothing: the checks that leave no memo."""

    active = False
    fingerprint = b""
    """The cache's fingerprint that the check ran with (its code, libraries, settings and language)."""
    computing = 0
    """How many answers are being computed: a text read inside one is that answer's, not a fact of its own."""

    def took(self, operation: str, path: str, taken: Taken) -> None:
        """Record that ``operation`` on ``path`` (an absolute path) gave ``taken`` (see ``OPERATIONS``)."""

    def status(self, path: Path | str) -> None:
        """Take and record the status of ``path``, which the check is about to read or test (``os.stat``)."""

    def resolved(self, path: Path | str) -> str:
        """``Path(path).resolve()``, recorded."""
        return str(Path(path).resolve())

    def listed(self, folder: str, entries: Sequence[os.DirEntry[str]] | OSError) -> None:
        """Record a folder's listing (its entries as ``os.scandir`` gave them), or the error listing it raised."""

    def text(
        self,
        file: str,
        relative: str,
        limits: Any,
        digest: bytes,
        text: str | None,
        status: os.stat_result,
        lstat: bool,
    ) -> FileText:
        """The ``FileText`` of ``file``, whose status ``status`` (``os.lstat``'s when ``lstat``) the cache compared."""
        from pptoolkit.reading.documents import FileText  # which reads links, which records in a trace

        return FileText(file, relative, limits, digest, text)

    def answered(self, text: FileText, function: str, inputs: tuple[object, ...], key: bytes) -> None:
        """Record that the cache answered ``function(text, *inputs)`` under ``key``."""

    def later(self, work: Callable[[], object]) -> None:
        """Do ``work`` once the check's report is written (``Trace.run_later``): here, at once."""
        work()


NOT_TRACED = NotTraced()


class Trace(NotTraced):
    """Everything one check read, as it read it (see the module's docstring)."""

    active = True

    def __init__(self, limits: Any = None, racy_ns: int = RACY_NS) -> None:
        self.started = time.time_ns()
        self.racy_ns = racy_ns
        """A file changed less than this before the trace started is recorded as unknown (the cache's own margin)."""
        self.limits = limits
        """The settings' limits: the only input of a remembered answer that is not a plain value."""
        self.operations: dict[str, Any] = {}
        """What each operation gave (its letter and path, then the values compared), ``CHANGED`` when it gave two."""
        self.texts: dict[str, list[Any]] = {}
        """Each file whose text the cache knows: its status, its text, then its answers, four values each: the path
        they were asked under when it is another, the function, its inputs, the key (written in hexadecimal)."""
        self.unreplayable: set[str] = set()
        """Files with an answer asked with other limits than the settings': any change to them means a full check."""
        self.unsure: set[str] = set()
        """Files whose text was taken twice with different statuses: any change to them means a full check."""
        self.whole: set[str] = set()
        """Files whose whole text the check read outside a remembered answer."""
        check = self
        from pptoolkit.reading.documents import FileText

        class TracedText(FileText):
            """A file's text whose reads outside a remembered answer are facts of the trace."""

            __slots__ = ()

            @property
            def text(self) -> str:
                read = FileText.text.fget(self)  # type: ignore[attr-defined]
                if not check.computing:
                    check.whole.add(self.file)
                return read  # type: ignore[no-any-return]

            def consulted(self) -> None:
                if not check.computing:
                    check.whole.add(self.file)

        self._traced = TracedText
        self._later: list[Callable[[], object]] = []

    def took(self, operation: str, path: str, taken: Taken) -> None:
        # Kept as the few values compared, not as the system's object (a status holds 19 values: 9 MB at 5,000 files).
        self._record(operation + path, _compact(taken))

    def _record(self, key: str, value: Any) -> None:
        known = self.operations.setdefault(key, value)
        if known is not value and known != value:
            self.operations[key] = CHANGED  # it gave two values during the check: never the same again

    def status(self, path: Path | str) -> None:
        path = os.path.abspath(path)
        self.took("s", path, _taken(os.stat, path))

    def resolved(self, path: Path | str) -> str:
        path = os.path.abspath(path)
        try:
            real = str(Path(path).resolve())
        except (OSError, RuntimeError, ValueError) as error:
            self.took("r", path, error)
            raise
        self.took("r", path, real)
        return real

    def listed(self, folder: str, entries: Sequence[os.DirEntry[str]] | OSError) -> None:
        self._record("d" + folder, listing(entries))

    def text(
        self,
        file: str,
        relative: str,
        limits: Any,
        digest: bytes,
        text: str | None,
        status: os.stat_result,
        lstat: bool,
    ) -> FileText:
        if lstat:  # its status is an operation of the trace already (``Links``): a change means a full check
            return super().text(file, relative, limits, digest, text, status, lstat)
        try:  # _compact, for the status of each of 10,000 files
            compact: Any = _STATUS.pack(*status[:7], status.st_mtime_ns, status.st_ctime_ns)
        except struct.error:
            compact = _compact(status)
        traced = self._traced(file, relative, limits, digest, text)
        known = self.texts.get(file)
        if known is None:
            self.texts[file] = [compact, traced]
        elif known[0] != compact or known[1].digest != digest:
            self.unsure.add(file)  # taken twice, and changed in between: judged by its statuses alone
        return traced

    def answered(self, text: FileText, function: str, inputs: tuple[object, ...], key: bytes) -> None:
        if isinstance(text, self._traced):
            recorded = self.texts[text.file]
            # Recorded as written but for the key, the path most often the same: 20,000 answers at 5,000 artifacts.
            recorded += (None if text.relative == recorded[1].relative else text.relative, function, inputs, key)
            if text.limits is not self.limits:
                self.unreplayable.add(text.file)

    def later(self, work: Callable[[], object]) -> None:
        """Keep ``work`` for ``run_later``, after the report (the cache's long records: ``save_cache``)."""
        self._later.append(work)

    def run_later(self) -> None:
        """Do the work kept for after the report, once (``Memo.keep``, ``Memo.discard``, and a re-check's own save)."""
        while self._later:
            self._later.pop(0)()

    def seal(self) -> None:
        """Let go of what was recorded (written by the memo): anything recorded after means the trace is not whole."""
        self.operations, self.texts, self.whole, self.unsure, self.unreplayable = {}, {}, set(), set(), set()

    def recorded_since_sealed(self) -> bool:
        """True when something was read after ``seal``: the trace written does not hold it."""
        return bool(self.operations or self.texts or self.whole)

    def entries(self) -> Iterator[list[Any]]:
        """The trace as plain values, one entry at a time (see ``checking/memo.py``): what a re-check compares.

        ``["o", key, value]``: an operation (its letter and path) and what it gave, None when it gave two
        values during the check (never the same again); ``["t", file, facts]``: a file whose text the cache
        knows, its facts a list (see ``FACTS``): its status (None when it could still change unseen), whether
        it is an ``lstat``'s (never, now), its playbook-relative path, whether its answers can be computed
        again, its digest, whether its whole text was read, and its answers, four values each (the path they
        were asked under when it is another, the function, its inputs, the answer's key).
        """
        settled = self.started - self.racy_ns
        for file in self.unsure:
            self.operations["s" + file] = CHANGED  # a change means a full check
        for name, value in self.operations.items():
            yield ["o", name, None if value is CHANGED else _plain(value, settled)]
        limits, whole, unsure, unreplayable = self.limits, self.whole, self.unsure, self.unreplayable
        for file, recorded in self.texts.items():
            if file in unsure:
                continue
            compact, traced = recorded[0], recorded[1]
            replay = traced.limits is limits and file not in unreplayable  # else a change means a full check
            status = _plain(compact, settled)
            written = recorded[2:]
            written[3::4] = [key.hex() for key in written[3::4]]
            yield ["t", file, [status, False, traced.relative, replay, traced.digest.hex(), file in whole, written]]


CHANGED = object()
"""What an operation that gave two values during one check is recorded as."""


STATUS, LSTAT, RELATIVE, REPLAY, DIGEST, WHOLE, ANSWERS = range(7)
"""The facts of a file whose text the cache knows, by their places in its entry (``Trace.entries``)."""

OPERATIONS: dict[str, Callable[[str], Taken]] = {}
"""How a re-check takes each recorded value again, by the operation's letter."""


def _taken(operation: Callable[[str], Any], path: str) -> Taken:
    try:
        return operation(path)  # type: ignore[no-any-return]
    except (OSError, RuntimeError, ValueError) as error:
        return error


def _resolve(path: str) -> Taken:
    return _taken(lambda p: str(Path(p).resolve()), path)


def _realpath(path: str) -> Taken:
    return _taken(os.path.realpath, path)


def _listing(folder: str) -> Any:
    try:
        with os.scandir(folder) as found:
            return listing(list(found))
    except OSError as error:
        return listing(error)


OPERATIONS.update(
    s=lambda path: _taken(os.stat, path),
    l=lambda path: _taken(os.lstat, path),
    r=_resolve,
    R=_realpath,
    d=_listing,
)


def taken_again(key: str, settled: int) -> Any:
    """What the recorded operation ``key`` (its letter, then its path) gives now, as ``Trace.entries`` writes it."""
    operation, path = key[0], key[1:]
    taken = OPERATIONS[operation](path)
    return taken if operation == "d" else _plain(_compact(taken), settled)


def listing(entries: Iterable[os.DirEntry[str]] | OSError) -> Any:
    """A folder's entries as a digest of their sorted names and types (what the check saw of them), or the error."""
    if isinstance(entries, OSError):
        return ["E", entries.errno]
    digest = hashlib.blake2b(digest_size=16)
    for name, kind in sorted((entry.name, _kind(entry)) for entry in entries):
        digest.update(os.fsencode(name) + b"\0" + kind + b"\0")
    return digest.hexdigest()


def _kind(entry: os.DirEntry[str]) -> bytes:
    try:
        if entry.is_symlink():
            return b"l"
        if entry.is_dir(follow_symlinks=False):
            return b"d"
        return b"f" if entry.is_file(follow_symlinks=False) else b"o"
    except OSError:
        return b"?"


_STATUS = struct.Struct("<6Q3q")
"""A status's values, packed: mode, inode, device, links, owner, group, then size, modification and change times."""


def _compact(taken: Taken) -> Any:
    """What an operation gave, as the values compared: a status's (see ``signature``), an error's number."""
    if isinstance(taken, os.stat_result):
        try:  # 105 bytes, where a tuple of its values took 250
            return _STATUS.pack(*taken[:7], taken.st_mtime_ns, taken.st_ctime_ns)
        except struct.error:  # a value beyond 64 bits
            return (*taken[:7], taken.st_mtime_ns, taken.st_ctime_ns)
    if isinstance(taken, OSError):
        return ("E", taken.errno)
    if isinstance(taken, (ValueError, RuntimeError)):
        return ("X", type(taken).__name__)
    return taken


def _plain(compact: Any, settled: int) -> Any:
    """A compact value as JSON holds it; a status changed at ``settled`` or later as None (see ``signature``)."""
    if type(compact) is bytes:
        compact = _STATUS.unpack(compact)
    if type(compact) is tuple and type(compact[0]) is int:
        if stat.S_ISDIR(compact[0]):
            return list(compact[:5])  # a folder's times are left out: what the check saw in it is its listing
        if settled and max(compact[7], compact[8]) >= settled:
            return None
        return list(compact)
    return list(compact) if type(compact) is tuple else compact


def signature(status: os.stat_result, settled: int) -> list[int] | None:
    """A status as plain values: a folder's type and identity, any other file's whole status.

    None (never the same as any status) for a file changed at ``settled`` or later: it could change again
    in the same tick of the file system's clock and keep its status (git's "racily clean" entries).
    A folder's times are left out: what the check saw in it is its listing, recorded on its own.
    """
    return _plain(_compact(status), settled)  # type: ignore[no-any-return]


LIMITS = "\0limits"
"""How the trace writes the settings' limits, an input of remembered answers."""


def plain_input(limits: Any) -> Callable[[object], str]:
    """How JSON writes an input that is not a plain value (orjson's ``default``): the limits by name, nothing else.

    Plain values are written as they are, tuples as lists; ``input_again`` reads them back, and a re-check
    uses them only if they describe the answer's key as the check did (``checking/memo.py``).
    """

    def written(value: object) -> str:
        if value is limits:
            return LIMITS
        raise TypeError(f"not a plain input: {type(value).__name__}")

    return written


def input_again(value: Any, limits: Any) -> object:
    """An input as ``plain_input`` wrote it: lists as tuples, the limits' name as the settings' limits."""
    if value == LIMITS:
        return limits
    if isinstance(value, list):
        return tuple(input_again(item, limits) for item in value)
    return value
