"""A cache of the work done on each file, so that a re-check reads only the files that changed.

Each answer is found by a hash of the text it was computed from (and of what else it depends
on), never by a date, so a cached answer is always the answer the checker would give now. A
manifest, as git's index keeps, says which text each file held at the last check: a file whose
size, modification and change times, inode and device are those recorded is known by the
recorded hash without being read, and every answer about it comes from the cache. A file whose
modification time was not strictly older than the start of the check that recorded it (less two
seconds, the coarsest clock of a file system) is read and hashed again: it could have changed in
the same clock tick as it was read (git's "racily clean" entries). The whole cache is thrown away
when the checker's code, the libraries it reads files with, the language of its messages or the
playbook's settings change.

The cache holds data, never code: each answer is written as JSON and rebuilt from
it by the codec of the function that computed it (pydantic validates the models
again), so a cache file, whoever wrote it, can at worst be ignored. It lives in
the user's cache folder (``$XDG_CACHE_HOME/pptoolkit/`` or ``~/.cache/pptoolkit/``,
one folder per playbook), never in the playbook, so a pull request cannot plant one;
it is read only if it is a regular file of bounded size.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import hashlib
import io
import json
import os
import stat
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, TypeVar

import orjson
from pydantic_core import SchemaValidator, core_schema

from pptoolkit.i18n import current_language
from pptoolkit.model.diagnostics import Severity
from pptoolkit.model.settings import Limits, Settings
from pptoolkit.reading.documents import FileProblem, FileText, TextRead, read_file, read_text, text_digest, text_of
from pptoolkit.reading.trace import NOT_TRACED, NotTraced

T = TypeVar("T")
_PLAIN = frozenset((str, int, bool, tuple))
"""The inputs described by their repr at once (as ``Cache._described`` does): texts, numbers, truth values and tuples
(the allowed contacts, the links judged: a few texts, whose repr is made in C quicker than looked up by identity)."""

FORMAT = 5
FILE = "check.jsonl"
MAX_CACHE_BYTES = 256 * 1024 * 1024
"""A larger cache file is not read (the check proceeds without it)."""
LIBRARIES = ("pptoolkit", "pydantic", "pydantic-core", "PyYAML", "markdown-it-py", "mdit-py-plugins", "orjson", "click")
"""The libraries whose versions the cache depends on: those that read files, and those that write what a memo keeps."""


class NoCache:
    """Remembers nothing: each file is read and each answer computed when asked for (``--no-cache``)."""

    remembers = False
    """True for a cache that keeps answers: only then is the status they depend on worth taking."""
    trace: NotTraced = NOT_TRACED
    """What the check reads, recorded for its memo (``checking/memo.py``): by ``pptoolkit check`` with its cache."""

    def remember(self, function: Callable[..., T], text: str | FileText, *inputs: object) -> T:
        """``function(text, *inputs)``: ``text`` as given, which the function reads with ``text_of``."""
        return function(text, *inputs)

    def text(self, file: str, relative: str, limits: Limits, status: os.stat_result | None = None) -> str | FileText:
        """The text of ``file`` (``read_text``: FileProblem when it cannot be used), with its digest.

        The digest lets a check forget the text once its rules are done with it: it is read again,
        and refused if it changed, when it is published (``FileText``).
        """
        text, _, digest = read_file(file, relative, limits)
        return FileText(file, relative, limits, digest, text)

    def recall(self, key: bytes, status: bytes) -> bytes | None:
        """The answer noted under ``key`` when ``status`` was what it depended on: none without a cache."""
        return None

    def note(self, key: bytes, status: bytes, answer: bytes, changed_ns: int) -> None:
        """Remember ``answer`` (bytes of JSON) under ``key`` while the status it depended on stays ``status``."""


class Cache(NoCache):
    """Answers remembered by content: ``remember`` computes once per distinct input.

    ``saved`` holds the records the last check wrote: a short record as its text, a longer
    one as its place in the cache file, which stays open and is read again when a check asks
    for that answer (so that a check never holds the whole file in memory). ``used`` holds
    the records or answers this check asked for: only these are written back, so the cache
    never outgrows the playbook. An answer of a function without a codec is remembered for
    this check only.
    """

    remembers = True

    def __init__(
        self, fingerprint: bytes = b"", saved: dict[bytes, _Stored] | None = None, descriptor: int | None = None
    ) -> None:
        self.fingerprint = fingerprint
        self.saved = saved or {}
        self.used: dict[bytes, _Stored | _Answer] = {}
        self.hits = 0
        self.misses = 0
        self.recorded = 0
        """How many files this check read and recorded in the manifest."""
        self._names: dict[object, tuple[str, _Codec | None, Any]] = {}  # each function's name, codec, name hashed
        self._descriptions: dict[int, tuple[object, str]] = {}
        self.started = time.time_ns()
        """When this check started: a file modified since (or just before) is recorded as not known."""
        self._descriptor = descriptor
        self._close = weakref.finalize(self, os.close, descriptor) if descriptor is not None else None
        self._window: tuple[int, bytes] = (0, b"")  # the part of the cache file read last, from this offset
        self._following = -1  # where the line after the record read last starts

    def remember(self, function: Callable[..., T], text: str | FileText, *inputs: object) -> T:
        """``function(text, *inputs)``, computed once for each distinct text and inputs.

        ``function`` must be pure: its answer depends on its arguments and the fingerprint alone.
        It is given ``text`` as it is (``text_of`` reads it): a file's text known by its digest is
        read only when the answer must be computed, and an answer may keep it rather than the text.
        """
        named = self._names.get(function)
        if named is None:
            name = sys.intern(f"{function.__module__}.{function.__qualname__}")
            named = self._names[function] = (
                name,
                answer_codecs().get(name),
                hashlib.blake2b(f"{name}\0".encode(), digest_size=20),
            )
        name, codec, hashed_name = named
        # A text, a number, a truth value or a tuple is described by its repr here, anything else by _described.
        described = "\0".join([repr(value) if type(value) in _PLAIN else self._described(value) for value in inputs])
        key = _key(hashed_name, described, text.digest if isinstance(text, FileText) else text_digest(text))
        if self.trace.active:
            self.trace.answered(text, name, inputs, key)  # type: ignore[arg-type]
        known = self.used.get(key)
        if isinstance(known, _Answer):
            return known.value  # type: ignore[no-any-return]
        stored = known or self.saved.get(key)
        if stored is not None and codec is not None:
            try:
                value = codec.decode(self.record(stored), text, inputs)
            except Exception:  # a record that no longer decodes or cannot be read: compute it again
                pass
            else:
                self.hits += 1
                self.used[key] = stored
                return value  # type: ignore[no-any-return]
        self.misses += 1
        self.trace.computing += 1  # the text it reads is this answer's, not a fact of its own
        try:
            value = function(text, *inputs)
        finally:
            self.trace.computing -= 1
        if codec is not None and codec.small:  # kept as its record, which is often one shared constant
            try:
                self.used[key] = codec.encode(value)
            except (TypeError, ValueError):
                pass
            else:
                return value
        self.used[key] = _Answer(value, name)
        return value

    def _described(self, value: object) -> str:
        """``repr(value)``, an input's part of an answer's key; remembered, by identity, for the settings' values.

        The limits are the same object in every call of a check, and a model's repr is slow; a text, a number
        or a tuple is described anew (it is another object each time, or its repr is quick: ``_PLAIN``).
        """
        if isinstance(value, (str, int)):
            return repr(value)
        known = self._descriptions.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        described = repr(value)
        self._descriptions[id(value)] = (value, described)  # the value kept: its id stays its own
        return described

    def text(self, file: str, relative: str, limits: Limits, status: os.stat_result | None = None) -> str | FileText:
        """The text of ``file``, known by its digest without reading it when the manifest says it is unchanged.

        Otherwise the file is read (``read_text``: FileProblem when it cannot be used) and hashed, and
        its status, taken before it was read, recorded beside the digest, unless it was modified or
        changed too recently to tell a later change in the same clock tick (then it is read again next
        time): the change time too, since ``touch -d`` sets the modification time back after an edit.
        ``status`` is the file's, when the caller has just taken it (``Links.taken_status``): not taken again.
        """
        hashed = _FILE_KEY.copy()  # the hash of "file" and a zero byte, copied: a tenth of the time of a new one
        hashed.update(file.encode(_FS_ENCODING, _FS_ERRORS))  # os.fsencode, without its Python call
        key = hashed.digest()
        lstat = status is not None  # the caller's status is the lstat of a file that is no symbolic link
        stored = self.used.get(key) or self.saved.get(key)
        if stored is None:  # nothing to compare it with: read, its status taken once open (before reading) if not given
            text, taken, digest = self._read(file, relative, limits, status)
            status = taken if status is None else status
            return self._recorded(key, status, self.trace.text(file, relative, limits, digest, text, status, lstat))
        if status is None:
            try:
                status = os.stat(file)
            except (OSError, ValueError) as error:
                self.trace.took("s", file, error)
                return read_text(file, relative, limits)  # whatever reading it says
        signature = _signature(status)
        if isinstance(stored, (bytes, tuple)):
            try:
                entry = stored if isinstance(stored, bytes) else self.record(stored)
                if entry.startswith(signature) and entry.endswith(b'"]') and len(entry) == len(signature) + 42:
                    digest = binascii.unhexlify(entry[len(signature) : -2])
                    self.used[key] = stored
                    return self.trace.text(file, relative, limits, digest, None, status, lstat)
            except (OSError, ValueError):  # a record that cannot be read, or not hexadecimal: read the file
                pass
        text, _, digest = self._read(file, relative, limits, status)
        return self._recorded(key, status, self.trace.text(file, relative, limits, digest, text, status, lstat))

    def _read(self, file: str, relative: str, limits: Limits, status: os.stat_result | None) -> TextRead:
        """``read_file``; when the file cannot be used, its status is a fact of the trace, and the problem raised.

        What is wrong with it is a diagnostic: the file is known by its status alone, ``status`` (an ``lstat``
        the caller took) or one taken now (a file changed since it was read is too recent to be trusted).
        """
        try:
            return read_file(file, relative, limits)
        except FileProblem:
            if status is None:
                self.trace.status(file)
            else:
                self.trace.took("l", file, status)
            raise

    def _recorded(self, key: bytes, status: os.stat_result, read: FileText) -> FileText:
        """``read``, a file's text just read, its digest recorded beside ``status`` (taken before) if it is settled."""
        if stat.S_ISREG(status.st_mode) and self._settled(last_change_ns(status)):
            self.used[key] = _signature(status) + binascii.hexlify(read.digest) + b'"]'  # as ``text`` compares it
            self.recorded += 1
        return read

    def recall(self, key: bytes, status: bytes) -> bytes | None:
        """The answer noted under ``key`` if it was noted at ``status`` (the status of every file it depends on).

        A decision about files (the publication's, see ``publication.py``) is kept this way: whoever asks
        takes each file's status first, and any other status means the answer is found again.
        """
        stored = self.used.get(key) or self.saved.get(key)
        if not isinstance(stored, (bytes, tuple)):
            return None
        try:
            entry = self.record(stored)
        except OSError:
            return None
        if not entry.startswith(status):
            return None
        self.used[key] = stored
        return entry[len(status) :]

    def note(self, key: bytes, status: bytes, answer: bytes, changed_ns: int) -> None:
        """Remember ``answer`` under ``key`` while the files it depends on keep ``status``.

        ``status`` (taken before the answer was found) and ``answer`` together make one line of JSON.
        Not noted when a file changed (``changed_ns``: its ``last_change_ns``) too recently to tell a
        later change in the same clock tick, as for the manifest.
        """
        if self._settled(changed_ns) and b"\n" not in status + answer:
            self.used[key] = status + answer
            self.recorded += 1

    def _settled(self, changed_ns: int) -> bool:
        """True when a file that last changed at ``changed_ns`` may be recorded as known (see ``RACY_NS``).

        A file changed less than a clock step before this check started could change again within the
        same step and keep its status: it is read again next time (git's "racily clean" entries).
        """
        return changed_ns < self.started - RACY_NS

    def record(self, stored: _Stored) -> bytes:
        """A saved record's text, read from the cache file when it was left there; OSError when it is not whole."""
        if isinstance(stored, bytes):
            return stored
        offset, length = stored
        if self._descriptor is None:
            raise OSError("the cache file is closed")
        start, window = self._window
        if not start <= offset <= offset + length <= start + len(window):
            # A record whose line follows the one read last: the next ones are likely to follow it (a re-check
            # asks for them in the order the last check wrote them), read ahead with it rather than one by one.
            ahead = READ_AHEAD if offset - KEY_CHARACTERS - 1 == self._following else 0
            start, window = self._window = offset, _read_at(self._descriptor, max(length, ahead), offset)
        self._following = offset + length + 1
        record = window[offset - start : offset - start + length]
        if len(record) != length or b"\n" in record:  # the file changed in place: not what was indexed
            raise OSError("the cache file changed")
        return record

    def keep_saved(self) -> None:
        """Keep every record saved, not only those this check used: a memo's re-check asks for the changed files' only.

        The records of unchanged files stay, in the file's order, before this check's own (``checking/memo.py``).
        """
        self.used = {**self.saved, **self.used}

    def close(self) -> None:
        """Close the cache file (its records can no longer be read)."""
        if self._close is not None:
            self._close()
        self._descriptor = None
        self._window = (0, b"")

    @property
    def changed(self) -> bool:
        """True when this check computed answers, recorded files, or no longer needs some saved ones."""
        return self.misses > 0 or self.recorded > 0 or self.used.keys() != self.saved.keys()


def answer_key(function: str, inputs: tuple[object, ...], digest: bytes) -> bytes:
    """The key under which ``Cache.remember`` keeps the answer of ``function`` (its qualified name) for ``inputs``
    and a text of ``digest``: what a memo's re-check compares (``checking/memo.py``).

    ``remember`` hashes each function's name once, and describes a settings' value by its repr once per check.
    """
    return _key(
        hashlib.blake2b(f"{function}\0".encode(), digest_size=20), "\0".join([repr(value) for value in inputs]), digest
    )


def _key(hashed_name: Any, described: str, digest: bytes) -> bytes:
    """An answer's key: the hash of its function's name and a zero byte (``hashed_name``, copied), of its inputs'
    reprs joined by zero bytes and a zero byte, then of its text's digest."""
    key = hashed_name.copy()
    key.update(f"{described}\0".encode("utf-8", "surrogatepass"))
    key.update(digest)
    return key.digest()  # type: ignore[no-any-return]


_FILE_KEY = hashlib.blake2b(b"file\0", digest_size=20)
"""The start of a file's key in the manifest: the hash of its path follows."""
_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()

RACY_NS = 2_000_000_000
"""A file modified or changed less than this before a check started is not recorded as known (FAT's clock step)."""


def _signature(status: os.stat_result) -> bytes:
    """The start of a file's record in the manifest, JSON: ``[size, modified, changed, inode, device, "``.

    The digest follows; a record is compared with the file's status as written.
    """
    return b'[%d,%d,%d,%d,%d,"' % (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


def last_change_ns(status: os.stat_result) -> int:
    """When a file last changed: the later of its modification and change times.

    ``touch -d`` sets the modification time back after an edit; the change time stays the edit's.
    """
    return max(status.st_mtime_ns, status.st_ctime_ns)


_Stored = bytes | tuple[int, int]
"""A saved record: its text, or its offset and length in the cache file."""
SHORT_RECORD = 160
"""A record of at most this many bytes is kept in memory when the cache is opened (most privacy findings: none;
file statuses and the publication's decisions)."""


def _read_at(descriptor: int, length: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(descriptor, length, offset)
    os.lseek(descriptor, offset, os.SEEK_SET)  # pragma: no cover - systems without pread
    return os.read(descriptor, length)  # pragma: no cover


@dataclass(frozen=True, slots=True)
class _Answer:
    """An answer computed by this check, and the function (by name) that computed it."""

    value: Any
    function: str


@dataclass(frozen=True)
class _Codec:
    """Turns one function's answers into a record of JSON text and back; never anything that runs."""

    encode: Callable[[Any], bytes]
    decode: Callable[[bytes, Any, tuple[object, ...]], Any]
    small: bool = False
    """Answers whose records are short: encoded when computed, so that a check keeps the record, not the answer."""


def _json(value: object) -> bytes:
    try:
        return orjson.dumps(value)  # the json module's compact text, ten times faster (a record holds no float)
    except orjson.JSONEncodeError:  # a file name that is not UTF-8, an integer beyond 64 bits
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _encode_diagnostics(diagnostics: Any) -> list[list[Any]]:
    return [
        [d.path, d.line, d.column, d.code, d.name, d.severity.value, d.message, d.practice, d.end_line, d.end_column]
        for d in diagnostics
    ]


def _decode_diagnostics(rows: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    from pptoolkit.model.diagnostics import Diagnostic, Severity

    return tuple(
        Diagnostic(path, line, column, code, name, Severity(severity), message, practice, end_line, end_column)
        for path, line, column, code, name, severity, message, practice, end_line, end_column in rows
    )


def _rows(*columns: core_schema.CoreSchema) -> core_schema.CoreSchema:
    return core_schema.list_schema(core_schema.tuple_schema(list(columns)))


_TEXT = core_schema.str_schema(strict=True)
_NUMBER = core_schema.int_schema(strict=True)
_ARTIFACT_RECORD = SchemaValidator(
    core_schema.typed_dict_schema(
        {
            "d": core_schema.typed_dict_field(
                _rows(
                    *(_TEXT, _NUMBER, _NUMBER, _TEXT, _TEXT),
                    core_schema.literal_schema([severity.value for severity in Severity]),
                    *(_TEXT, core_schema.nullable_schema(_TEXT)),
                    *(core_schema.nullable_schema(_NUMBER), core_schema.nullable_schema(_NUMBER)),
                )
            ),
            "c": core_schema.typed_dict_field(core_schema.list_schema(_TEXT)),
            # The rest: a valid artifact's only.
            "k": core_schema.typed_dict_field(core_schema.with_default_schema(_TEXT, default=None), required=False),
            "b": core_schema.typed_dict_field(core_schema.with_default_schema(_NUMBER, default=None), required=False),
            "s": core_schema.typed_dict_field(
                core_schema.with_default_schema(core_schema.tuple_schema([_NUMBER, _NUMBER]), default=None),
                required=False,
            ),
            **{
                key: core_schema.typed_dict_field(
                    core_schema.with_default_schema(_rows(*columns), default=()), required=False
                )
                for key, columns in (
                    ("h", (_NUMBER, _TEXT, _NUMBER)),
                    ("x", (_TEXT, _NUMBER, _NUMBER)),
                    ("l", (_TEXT, _NUMBER, _NUMBER)),
                )
            },
        },
        extra_behavior="forbid",
    )
)
"""What :func:`_encode_artifact_outcome` writes before the model, every value typed strictly: a record of another
shape raises ``ValidationError`` and the artifact is loaded again, never trusted. A core schema, not a pydantic
model: built in a tenth of a millisecond, where a model's took milliseconds on every command's start."""


def _encode_artifact_outcome(outcome: Any) -> bytes:
    """``load_artifact_text``'s answer: the diagnostics and claims, and a valid artifact's model and structure.

    The model is written as pydantic writes its JSON after a tab; the document keeps no
    front matter values (the model holds them) and its positions are found again when asked for.
    """
    artifact, diagnostics, claims = outcome
    meta: dict[str, Any] = {"d": _encode_diagnostics(diagnostics), "c": list(claims)}
    if artifact is None:
        return _json(meta)
    document = artifact.document
    meta.update(
        k=artifact.model.kind,
        b=document.body_line,
        s=list(document.front_matter.start),
        h=[list(h) for h in document.headings],
        x=[list(f) for f in document.html],
        l=[list(link) for link in document.links],
    )
    # pydantic's own JSON, in Rust: a third of the time of model_dump and the json module (the same text). It
    # keeps the UTF-8 of each non-ASCII string it writes inside the string (5 MB at 5,000 artifacts, for the rest
    # of the check): ``pptoolkit check`` writes these records after its report, its peak (``save_cache``). Only
    # the fields the file gave: the restored model has the same set of given fields, and a fifth less to validate.
    model = artifact.model
    written: bytes = model.__pydantic_serializer__.to_json(model, exclude_unset=True)
    if b"null" in written:  # maybe an infinite number, which pydantic writes as null: the json module's Infinity
        dumped = model.model_dump(mode="json", exclude_unset=True)
        written = json.dumps(dumped, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return _json(meta) + b"\t" + written


@lru_cache(maxsize=1)
def _artifact_types() -> Any:
    """What an artifact is restored into: imported when first needed (they import this module), then kept at hand."""
    from types import SimpleNamespace

    from pptoolkit.loading.playbook import LoadedArtifact, share_fields_sets
    from pptoolkit.model.artifacts import KINDS
    from pptoolkit.reading.documents import Heading, HtmlFragment, MarkdownDocument
    from pptoolkit.reading.links import BodyLink
    from pptoolkit.reading.yamlsource import Mark, YamlDocument

    return SimpleNamespace(
        LoadedArtifact=LoadedArtifact,
        share_fields_sets=share_fields_sets,
        KINDS=KINDS,
        Heading=Heading,
        HtmlFragment=HtmlFragment,
        MarkdownDocument=MarkdownDocument,
        BodyLink=BodyLink,
        Mark=Mark,
        YamlDocument=YamlDocument,
    )


def _decode_artifact_outcome(record: bytes, text: str | FileText, inputs: tuple[object, ...]) -> Any:
    types = _artifact_types()
    relative, limits = inputs
    meta_json, _, model_json = record.partition(b"\t")
    meta = _ARTIFACT_RECORD.validate_json(meta_json)
    diagnostics, claims = _decode_diagnostics(meta["d"]) if meta["d"] else (), tuple(meta["c"])
    if not model_json:
        return None, diagnostics, claims
    kind, body_line, start = meta["k"], meta["b"], meta["s"]
    if kind not in types.KINDS or body_line is None or start is None:
        raise ValueError("a valid artifact's record names its kind, body line and front matter's start")
    model = types.share_fields_sets(_restorer(kind).validate_json(model_json))
    heading, intern = types.Heading, sys.intern
    document = types.MarkdownDocument(
        path=str(relative),
        source=text,
        front_matter=types.YamlDocument(None, None, types.Mark(*start), _FrontMatterPositions(text, limits)),
        body_line=body_line,
        headings=tuple([heading(level, intern(title), line) for level, title, line in meta["h"]]),
        html=tuple([types.HtmlFragment(*fragment) for fragment in meta["x"]]) if meta["x"] else (),
        links=tuple([types.BodyLink(*link) for link in meta["l"]]) if meta["l"] else (),
    )
    return types.LoadedArtifact(model, document), diagnostics, claims


_WRITTEN_DATE = {"type": "str", "strict": True, "strip_whitespace": False, "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
"""A date as a record holds it, ``2026-03-14``: pydantic's own date, even strict, also reads ``"946598400"``."""


@functools.cache
def _restorer(kind: str) -> SchemaValidator:
    """The validator that restores a model of ``kind`` from its record: the model's own, its dates read in C.

    The model reads a date with a Python function (``_iso_date``) that accepts more than a record holds
    (spaces around it, a date object); a record holds a date as pydantic writes it, ``2026-03-14``, which
    a pattern and pydantic's date read in C (23,000 calls of the function at 5,000 artifacts). Every other
    constraint is the model's: a record the model would refuse is refused, and so is a date in any form
    but the one written (``test_an_artifact_model_with_a_date_no_check_could_have_written_is_loaded_again``).
    """
    from pptoolkit.model.artifacts import KINDS, _iso_date

    model = KINDS[kind]
    model.model_rebuild()  # its schema, built when first needed (``defer_build``)

    def strict_dates(schema: Any) -> Any:
        if isinstance(schema, dict):
            if schema.get("type") == "function-before" and schema["function"].get("function") is _iso_date:
                inner = schema["schema"]
                if inner.get("type") == "date":
                    return {"type": "chain", "steps": [_WRITTEN_DATE, inner]}
            return {key: strict_dates(value) for key, value in schema.items()}
        if isinstance(schema, list):
            return [strict_dates(item) for item in schema]
        return schema

    return SchemaValidator(strict_dates(model.__pydantic_core_schema__))


@dataclass(frozen=True, slots=True)
class _FrontMatterPositions:
    """Finds the positions of an artifact's front matter keys by reading its text again, when first asked for.

    An object of two slots rather than a closure: a check keeps one per cached artifact.
    """

    source: str | FileText
    limits: Any

    def __call__(self) -> Any:
        from pptoolkit.reading.documents import parsed_structure, quick_structure, split_lines, yaml_limits
        from pptoolkit.reading.yamlsource import Loader, load_yaml

        text = text_of(self.source)
        structure = quick_structure(text) or parsed_structure(text, split_lines(text))
        # Front matter opens the file: its YAML starts on the file's second line.
        return load_yaml(
            structure.front_matter or "", line_offset=1, limits=yaml_limits(self.limits), loader=Loader
        ).positions


_NO_ANSWERS = b"{}"  # most files: no rule finds anything
_NO_ROWS: Mapping[str, Any] = MappingProxyType({})  # and their answers, shared


def _encode_answers(answers: Any) -> bytes:
    if not answers:
        return _NO_ANSWERS
    return _json({part: [list(row) for row in rows] for part, rows in answers.items()})


def _decode_answers(record: bytes, text: object, inputs: tuple[object, ...]) -> Any:
    if record == _NO_ANSWERS:
        return _NO_ROWS
    from pptoolkit.checking.per_file import answers_from_json  # the checker's schema of them

    return answers_from_json(record)


@lru_cache(maxsize=1)
def answer_codecs() -> dict[str, _Codec]:
    """The functions whose answers are kept between checks, by qualified name, with their codecs."""
    answers = _Codec(_encode_answers, _decode_answers, small=True)
    return {
        "pptoolkit.loading.playbook.load_artifact_text": _Codec(_encode_artifact_outcome, _decode_artifact_outcome),
        "pptoolkit.checking.per_file.artifact_rows": answers,
        "pptoolkit.checking.per_file.published_rows": answers,
    }


def fingerprint(settings: Settings) -> bytes:
    """What every cached answer depends on besides the files: code, libraries, Python and settings."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{settings!r}\0{current_language()}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    package = Path(__file__).resolve().parents[1]  # the whole pptoolkit package
    for source in sorted(
        [*package.rglob("*.py"), *package.rglob("*.mo")]
    ):  # code, and the messages' catalogs  # the checker's own code, in case the version was not bumped
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.digest()


def user_cache_home() -> Path:
    """The user's cache folder: ``$XDG_CACHE_HOME`` when it is an absolute path, else ``~/.cache``.

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG rule says: it could name a folder in a playbook.
    """
    home = os.environ.get("XDG_CACHE_HOME", "")
    return Path(home) if os.path.isabs(home) else Path.home() / ".cache"


def cache_folder(root: Path) -> Path:
    """Where the cache of the playbook at ``root`` lives: one folder per playbook, outside it.

    Under ``PPTOOLKIT_CACHE_DIR`` when it is set, else under the user's cache folder in ``pptoolkit/``;
    the folder's name is a hash of the playbook's resolved path.
    """
    playbook = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    elsewhere = os.environ.get("PPTOOLKIT_CACHE_DIR")
    if elsewhere:
        return Path(elsewhere) / playbook[:16]
    return user_cache_home() / "pptoolkit" / playbook


def open_regular(file: Path, bound: int | None = MAX_CACHE_BYTES) -> int | None:
    """A descriptor of ``file`` if it is a regular file (not a link, FIFO, device or folder) within ``bound`` bytes.

    Opened without following a link and without waiting: what the cache folder holds is never trusted to be a file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(file, flags)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode) or (bound is not None and status.st_size > bound):
        os.close(descriptor)
        return None
    return descriptor


def _header(fingerprint: bytes) -> bytes:
    return f"pptoolkit-cache {FORMAT} {fingerprint.hex()}\n".encode("ascii")


KEY_CHARACTERS = 40  # the blake2b digest of an answer's inputs, in hexadecimal
READ_BUFFER = 1 << 20
READ_AHEAD = 1 << 18
"""Long records asked for in the order of the file are read a quarter of a mebibyte at a time (130 records)."""


def open_cache(root: Path, settings: Settings, current: bytes | None = None) -> Cache:
    """The playbook's cache as the last check left it, or an empty one (never an error).

    The file is a header line (the format and the fingerprint), then one line per answer:
    its key in hexadecimal, a tab, and its record (JSON text, which never holds a raw tab
    or line break but between its parts). A file that is garbled, truncated, of another
    format, checker, library or settings, or not a regular file of bounded size is ignored.
    It is read line by line, and stays open: a long record is read again when asked for.
    ``current`` is ``fingerprint(settings)`` when the caller has just found it (the memo's re-check).
    """
    current = current or fingerprint(settings)
    descriptor = open_regular(cache_folder(root) / FILE)
    if descriptor is None:
        return Cache(current)
    try:
        entries = _index(descriptor, _header(current))
    except (OSError, UnicodeDecodeError, ValueError):
        entries = None
    if not entries:  # ignored, or nothing in it to read again
        os.close(descriptor)
        return Cache(current)
    return Cache(current, entries, descriptor)


def _index(descriptor: int, header: bytes) -> dict[bytes, _Stored] | None:
    """Each record of the cache file by key (see ``open_cache``), or None when the file is not one this code wrote."""
    entries: dict[bytes, _Stored] = {}
    key, unhexlify = KEY_CHARACTERS, binascii.unhexlify
    with os.fdopen(os.dup(descriptor), "rb", buffering=0) as handle:
        if handle.read(len(header)) != header:
            return None
        offset, rest = len(header), b""
        # A mebibyte at a time, split in C: a loop over the file's lines took half as long again.
        while chunk := handle.read(READ_BUFFER):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()  # the start of a line that the next chunk ends
            for line in lines:
                if line[key : key + 1] != b"\t":
                    return None  # not a file this code wrote whole
                length = len(line) - key - 1
                stored = line[key + 1 :] if length <= SHORT_RECORD else (offset + key + 1, length)
                entries[unhexlify(line[:key])] = stored
                offset += len(line) + 1
            if offset > MAX_CACHE_BYTES:
                return None
    return None if rest else entries  # a last line without its line break: a file cut short


def save_cache(root: Path, cache: Cache) -> None:
    """Write what this check used, atomically, and close the old file; a folder that cannot be written to is left.

    The answers are encoded (or read from the old file) and written one at a time, so that writing
    the cache never holds a copy of it in memory. A cache need not survive a power cut: it is not synced.
    The short records are written at once, the long ones (the artifacts' models, most of the file) when the
    check's trace says (``NotTraced.later``): at once, or, for ``pptoolkit check`` that keeps a memo, after the
    report, the check's peak of memory, which the models' encoder would add 5 MB to (``_encode_artifact_outcome``).
    """
    if not cache.changed:
        cache.close()
        return
    try:
        writing = _Writing(cache_folder(root), cache)
    except BaseException:
        cache.close()
        raise
    cache.trace.later(writing.finish)


WRITE_BUFFER = 1 << 20
"""The cache file is written a mebibyte at a time: 13 writes at 5,000 artifacts, where 8 KiB made 1,600."""


class _Writing:
    """A cache file being written: its header and short records written, its long records left for ``finish``.

    It holds the long records to write, no more: this check's others are let go of (``Cache.used``), and the old
    file stays open for the records to copy from it. A command stopped before ``finish`` leaves no file behind.
    """

    def __init__(self, folder: Path, cache: Cache) -> None:
        self.file = folder / FILE
        self.cache = cache
        self.long = _LongRecords()
        self.raw: io.FileIO | None = None
        self._discard: Callable[[], object] = lambda: None
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor, self.temporary = tempfile.mkstemp(prefix=f".{FILE}.", suffix=".tmp", dir=folder)
        except OSError:  # no room, no permission, a file in the way: the next check computes again
            return
        raw = open(descriptor, "wb", buffering=0)  # noqa: SIM115 - closed by finish, or when the command stops
        self._discard = weakref.finalize(self, _discard, raw, self.temporary)
        try:
            for chunk in _short_records(cache, self.long):  # in chunks of a thousand lines: no buffer of its own
                write_all(raw, chunk)
        except OSError:
            self._discard()
            return
        finally:
            cache.used, cache.saved = {}, {}  # written, or in ``long``
        self.raw = raw

    def finish(self) -> None:
        """Write the long records, and put the file in place of the old one; close the old one."""
        try:
            if self.raw is not None:
                with io.BufferedWriter(self.raw, WRITE_BUFFER) as handle:  # its buffer made now, after the report
                    for chunk in _long_records(self.cache, self.long):
                        handle.write(chunk)
                os.replace(self.temporary, self.file)
        except OSError:  # no room: the next check computes again
            pass
        finally:
            self.raw, self.long = None, _LongRecords()
            self._discard()
            self.cache.close()


def _discard(raw: io.FileIO, temporary: str) -> None:
    with contextlib.suppress(OSError):
        raw.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)


def write_all(raw: IO[bytes], chunk: bytes) -> None:
    """Write every byte of ``chunk`` to ``raw``, an unbuffered file (the cache's, the memo's output)."""
    view = memoryview(chunk)
    while view:  # an unbuffered file may take part of a chunk at a time
        view = view[raw.write(view) or 0 :]


@dataclass
class _LongRecords:
    """The long records of a cache file to write, in the order this check used them, held in few objects until the
    report is written: their keys joined, and each one's place in the old file, or its answer and function."""

    keys: bytearray = field(default_factory=bytearray)
    entries: list[Any] = field(default_factory=list)
    functions: list[str | None] = field(default_factory=list)

    def append(self, key: bytes, entry: tuple[int, int] | _Answer) -> None:
        self.keys += key
        if isinstance(entry, _Answer):
            self.entries.append(entry.value)
            self.functions.append(entry.function)
        else:
            self.entries.append(entry)
            self.functions.append(None)

    def __iter__(self) -> Iterator[tuple[bytes, tuple[int, int] | _Answer]]:
        size = KEY_CHARACTERS // 2
        keys = self.keys
        for start, entry, function in zip(range(0, len(keys), size), self.entries, self.functions, strict=True):
            yield bytes(keys[start : start + size]), entry if function is None else _Answer(entry, function)


def _short_records(cache: Cache, long: _LongRecords) -> Iterator[bytes]:
    """The header and the short records of the new cache file; the long ones are added to ``long``, in the order
    this check used them (see ``_long_records``)."""
    yield _header(cache.fingerprint)
    codecs = answer_codecs()
    lines: list[bytes] = []  # the short records, written a thousand at a time
    for key, entry in cache.used.items():  # one pass over the 30,000 records and answers of 5,000 artifacts
        if isinstance(entry, bytes):
            lines.append(_line(key, entry))
            if len(lines) == 1024:
                yield b"".join(lines)
                lines = []
        elif isinstance(entry, tuple):
            long.append(key, entry)
        elif (codec := codecs.get(entry.function)) is not None:
            if codec.small:  # an answer kept as a short record that could not be encoded when it was found
                lines.extend(_encoded(key, codec, entry))
            else:
                long.append(key, entry)
    yield b"".join(lines)


def _long_records(cache: Cache, long: _LongRecords) -> Iterator[bytes]:
    """The long records of the new cache file, after the short ones, in the order this check used them.

    So a long record kept from the old file follows the one used before it there, as in the last check, and
    runs of them are copied a quarter of a mebibyte at a time (``_copied``), not read one by one: 5,000 reads
    and as many lines made again, at 5,000 artifacts, for the few records that a re-check after one edit changes.
    """
    codecs = answer_codecs()
    run: list[tuple[bytes, int, int]] = []  # long records that follow each other in the old file
    for key, entry in long:
        if isinstance(entry, tuple):
            offset, length = entry
            if run and (offset - KEY_CHARACTERS - 1 != run[-1][1] + run[-1][2] + 1 or offset - run[0][1] > READ_AHEAD):
                yield from _copied(cache, run)
                run = []
            run.append((key, offset, length))
        else:
            if run:
                yield from _copied(cache, run)
                run = []
            yield from _encoded(key, codecs[entry.function], entry)
    yield from _copied(cache, run)


def _line(key: bytes, record: bytes) -> bytes:
    return binascii.hexlify(key) + b"\t" + record + b"\n"


def _encoded(key: bytes, codec: _Codec, answer: _Answer) -> Iterator[bytes]:
    try:
        record = codec.encode(answer.value)
    except (TypeError, ValueError):  # an answer that JSON cannot hold: computed again next time
        return
    yield _line(key, record)


def _copied(cache: Cache, run: list[tuple[bytes, int, int]]) -> Iterator[bytes]:
    """The lines of ``run`` (key, offset, length: records one after the other in the old file), read at once.

    Each line read must be the one indexed: its key, a tab, its record and a line break, no other line break
    in it. Otherwise (the old file changed under this check) each record is read alone, and left out if it is
    no longer whole: computed again next time.
    """
    if not run:
        return
    start = run[0][1] - KEY_CHARACTERS - 1
    end = run[-1][1] + run[-1][2] + 1
    descriptor = cache._descriptor
    data = _read_at(descriptor, end - start, start) if descriptor is not None else b""
    if len(data) == end - start and data.count(b"\n") == len(run):
        for key, offset, length in run:
            line = offset - KEY_CHARACTERS - 1 - start
            if data[line : line + KEY_CHARACTERS + 1] != key.hex().encode("ascii") + b"\t":
                break
            if data[offset - start + length : offset - start + length + 1] != b"\n":
                break
        else:
            yield data
            return
    for key, offset, length in run:
        try:
            record = cache.record((offset, length))
        except OSError:  # the old file changed under this check: computed again next time
            continue
        yield _line(key, record)
