"""The memo of ``pptoolkit check``: its last output, kept with what the check read, written again while that holds.

After a check with the cache, the playbook's cache folder keeps the command's output (the bytes it wrote, its
exit code) and its trace (``reading/trace.py``): every status, real path and folder listing the check took,
and for each file whose text the cache knows, the answers it remembered about that text. The next check with
the same options takes every status again and lists every folder again; for a file whose status changed, it
reads the file and computes those answers again, with the same functions and the same inputs, and compares
their records. All the same: nothing the check could say has changed, and the memo's output is written
again, as "Build systems à la carte" calls it, an early cutoff (Shake's verifying traces). Anything else, or
anything that goes wrong on the way (a memo unreadable, garbled, of other options or code), is a full check,
which leaves a new memo. So a typo fixed inside a line, or a paragraph added, is answered in the time of
the imports and one status per file; an edit that moves what a rule reports runs the whole check.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import importlib
import itertools
import os
import secrets
import stat
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

import orjson

from pptoolkit.i18n import language_for, use_language
from pptoolkit.loading import cache as cache_module
from pptoolkit.loading.cache import (
    Cache,
    answer_codecs,
    answer_key,
    cache_folder,
    fingerprint,
    open_cache,
    open_regular,
    save_cache,
    write_all,
)
from pptoolkit.model.settings import ConfigError, Settings, load_settings
from pptoolkit.reading.documents import FileText
from pptoolkit.reading.trace import (
    ANSWERS,
    DIGEST,
    LSTAT,
    RELATIVE,
    REPLAY,
    STATUS,
    WHOLE,
    Trace,
    input_again,
    plain_input,
    signature,
    taken_again,
)

FORMAT = 1
TRACE_FILE = "memo.trace"
OUTPUT_FILE = "memo.out"
MAX_TRACE_BYTES = 64 * 1024 * 1024
"""A larger trace is not read (a full check)."""
COPY_BUFFER = 1 << 20
"""The output is written again a mebibyte at a time: never held whole (9 MB at 5,000 artifacts)."""


@dataclass(frozen=True)
class CheckOptions:
    """What shapes a check's output besides the files and the settings (which the cache's fingerprint covers)."""

    output_format: str
    today: date
    lang: str | None
    use_baseline: bool = True


@dataclass
class Memo:
    """One check's memo: read again by ``replay``, or written by ``output`` and ``keep`` after a full check."""

    root: Path
    settings: Settings
    language: str
    key: bytes
    trace: Trace
    folder: Path
    _output: IO[bytes] | None = field(default=None, repr=False)
    _output_name: str = ""
    _written: int = 0
    _keepable: bool = True
    _nonce: bytes = b""
    _trace_name: str = ""

    def replay(self, stream: TextIO) -> int | None:
        """Write the memo's output to ``stream`` and return its exit code, if nothing it read has changed; else None.

        The output is written as the bytes the check wrote (``stream.buffer``).

        A file whose text changed in a way that changes no remembered answer is taken into the cache and the
        memo (its new status, its answers' records), so that the next check knows it without reading it.
        """
        try:
            with use_language(self.language):  # an answer computed again is in the check's language
                found = self._verified()
        except Exception:  # a memo that cannot be read or verified whole: the full check decides
            return None
        if found is None:
            return None
        exit_code, output = found
        with output:  # read from after its header
            stream.flush()
            written = stream.buffer
            while chunk := output.read(COPY_BUFFER):
                written.write(chunk)
            written.flush()
        return exit_code

    def _verified(self) -> tuple[int, IO[bytes]] | None:
        """The memo's exit code and its output, open after its header, when its trace holds now; else None."""
        descriptor = open_regular(self.folder / TRACE_FILE, MAX_TRACE_BYTES)
        if descriptor is None:
            return None
        with open(descriptor, "rb") as handle:
            header = handle.readline()
            parts = header.split()
            if len(parts) != 8 or parts[0] != b"pptoolkit-memo" or parts[1] != b"%d" % FORMAT:
                return None
            if parts[2] != self.key.hex().encode():
                return None
            recorded: dict[str, dict[str, Any]] = {"o": {}, "t": {}}
            for line in handle:
                for kind, name, value in orjson.loads(line):
                    recorded[kind][name] = value
        operations, texts = recorded["o"], recorded["t"]
        for key, value in operations.items():
            if value is None or taken_again(key, 0) != value:
                return None
        changed: dict[str, tuple[list[Any], os.stat_result]] = {}
        inside = os.path.join(str(self.root), "")
        for file, entry in texts.items():
            try:
                status = os.lstat(file) if entry[LSTAT] else os.stat(file)
            except (OSError, ValueError):
                return None
            if entry[STATUS] is None or signature(status, 0) != entry[STATUS]:
                # Read again only a regular file of the playbook, as a check reads it (never a FIFO, never a file
                # elsewhere that a trace written by someone else would name).
                if not entry[REPLAY] or not file.startswith(inside) or not stat.S_ISREG(status.st_mode):
                    return None
                changed[file] = (entry, status)
        output_descriptor = open_regular(self.folder / OUTPUT_FILE, None)
        if output_descriptor is None:
            return None
        output = open(output_descriptor, "rb")  # noqa: SIM115 - returned open, closed by the caller
        try:
            nonce, length = parts[3], int(parts[5])
            output_header = b"pptoolkit-memo-output %s\n" % nonce
            if (
                output.read(len(output_header)) != output_header
                or os.fstat(output_descriptor).st_size != len(output_header) + length
            ):
                output.close()
                return None
            # Last, since it reads every module of the checker: its code, libraries and settings are the same.
            current = fingerprint(self.settings)
            if parts[6] != current.hex().encode():
                output.close()
                return None
            if changed and not self._same_answers(recorded, changed, parts[:7], current):
                output.close()
                return None
        except BaseException:
            output.close()
            raise
        return int(parts[4]), output

    def _same_answers(
        self,
        recorded: dict[str, Any],
        changed: dict[str, tuple[list[Any], os.stat_result]],
        parts: list[bytes],
        current: bytes,
    ) -> bool:
        """True when every answer remembered about each changed file's text is the same for its text now.

        The cache and the memo then take in the new texts' statuses and answers (see ``replay``).
        """
        limits = self.settings.limits
        cache = open_cache(self.root, self.settings, current)
        trace = cache.trace = Trace(limits, cache_module.RACY_NS)
        try:
            codecs = answer_codecs()
            for file, (entry, status) in changed.items():
                texts: dict[str, Any] = {}
                for written, name, inputs, key in zip(*[iter(entry[ANSWERS])] * 4, strict=True):
                    relative = written or entry[RELATIVE]
                    codec = codecs[name]  # KeyError for a function the cache does not keep: a full check
                    arguments = tuple(input_again(value, limits) for value in inputs)
                    if answer_key(name, arguments, bytes.fromhex(entry[DIGEST])) != bytes.fromhex(key):
                        return False  # not the inputs the check gave it
                    text = texts.get(relative)
                    if text is None:
                        text = texts[relative] = self._text(cache, file, relative, entry, status)
                    if entry[WHOLE] and text.digest.hex() != entry[DIGEST]:
                        return False
                    value = cache.remember(_function(name), text, *arguments)
                    if codec.encode(value) != cache.record(cache.saved[bytes.fromhex(key)]):
                        return False
                if not texts:  # no answer: the whole text, if it was read, is all there is to compare
                    text = self._text(cache, file, entry[RELATIVE], entry, status)
                    if not entry[WHOLE] or text.digest.hex() != entry[DIGEST]:
                        return False
            again = {file: facts for kind, file, facts in trace.entries() if kind == "t"}
            for file, (entry, _status) in changed.items():
                if file not in again:
                    return False
                again[file][WHOLE] = entry[WHOLE]
                recorded["t"][file] = again[file]
            self._rewrite_trace(recorded, parts, trace.started)
            cache.keep_saved()
            save_cache(self.root, cache)
            trace.run_later()  # the cache written now: there is no report to write first
            return True
        finally:
            cache.close()

    def _text(self, cache: Cache, file: str, relative: str, entry: list[Any], status: os.stat_result) -> FileText:
        """The file's text as the check took it (``Cache.text``); ValueError when it has no status to know it by."""
        text = cache.text(file, relative, self.settings.limits, status if entry[LSTAT] else None)
        if not isinstance(text, FileText):
            raise ValueError(f"{relative}: no status")
        return text

    def _rewrite_trace(self, recorded: dict[str, dict[str, Any]], parts: list[bytes], started: int) -> None:
        """Write the trace again with the changed files' new statuses and answers (same output, same nonce)."""
        header = b" ".join([*parts, b"%d" % started]) + b"\n"
        entries = ([kind, name, value] for kind, values in recorded.items() for name, value in values.items())
        _write_atomically(self.folder / TRACE_FILE, header, self._lines(entries))

    def _lines(self, entries: Iterator[list[Any]]) -> Iterator[bytes]:
        """The trace's lines, a thousand entries each, as JSON (never the whole trace at once: 4 MB at 5,000 files).

        TypeError when an answer's input is not a plain value (``reading/trace.py``).
        """
        written = plain_input(self.settings.limits)
        while batch := list(itertools.islice(entries, 1000)):
            yield orjson.dumps(batch, default=written, option=orjson.OPT_PASSTHROUGH_DATACLASS) + b"\n"

    # A full check ---------------------------------------------------------------------------------------------

    def output(self, chunk: str | bytes) -> None:
        """Keep ``chunk``, written to standard output, as the memo's output (as the bytes written)."""
        if not self._keepable:
            return
        if isinstance(chunk, str):
            if "\x1b" in chunk:  # click would strip a style on a stream that is no terminal: not kept
                self._abandon()
                return
            stdout = sys.stdout
            try:
                chunk = chunk.replace("\n", os.linesep).encode(stdout.encoding or "utf-8", stdout.errors or "strict")
            except (UnicodeError, LookupError):  # click wrote it otherwise (as UTF-8 to an ASCII stream): not kept
                self._abandon()
                return
        try:
            if self._output is None:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                descriptor, self._output_name = tempfile.mkstemp(prefix=f".{OUTPUT_FILE}.", dir=self.folder)
                self._output = open(descriptor, "wb", buffering=0)  # noqa: SIM115 - closed by keep; its chunks are large
                weakref.finalize(self, _remove, self._output_name, self._output)  # a command stopped leaves none
                if not self._nonce:
                    self._nonce = secrets.token_hex(16).encode()
                self._output.write(b"pptoolkit-memo-output %s\n" % self._nonce)
            write_all(self._output, chunk)
            self._written += len(chunk)
        except OSError:
            self._abandon()

    def seal(self) -> None:
        """Write the trace of the check just done to a temporary file, and let go of it, before the report is made.

        The report is a check's peak of memory (the trace is 4 MB at 5,000 artifacts). Whatever is recorded
        after (a text read by a reporter) means no memo (``keep``).
        """
        if not self._keepable or self._trace_name:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._trace_name = _written(self.folder / TRACE_FILE, self._header(0), self._lines(self.trace.entries()))
            weakref.finalize(self, _remove, self._trace_name)
        except (OSError, TypeError):  # TypeError: an input that is not a plain value: no memo
            self._abandon()
        self.trace.seal()

    def keep(self, exit_code: int) -> None:
        """Write the memo of the check that wrote ``output``: its trace, beside the output, both replaced atomically.

        Nothing is kept when the output could not be, or the trace holds what a re-check could not take again.
        The check's cache is written first, whatever happens to the memo (``save_cache``): the memo names its answers.
        """
        self.trace.run_later()
        self.seal()
        if not self._keepable:
            return
        if self.trace.recorded_since_sealed():
            self._abandon()
            return
        try:
            if self._output is None:
                self.output(b"")
            if self._output is None:
                return
            self._output.close()
            with open(self._trace_name, "r+b") as trace:  # the header, of a fixed width, now that it is known
                trace.write(self._header(exit_code))
            os.replace(self._output_name, self.folder / OUTPUT_FILE)
            self._output_name = ""
            os.replace(self._trace_name, self.folder / TRACE_FILE)
            self._trace_name = ""
        except OSError:
            self._abandon()

    def _header(self, exit_code: int) -> bytes:
        """The trace's first line: its format, key, output's nonce, exit code and length, fingerprint, start."""
        if not self.trace.fingerprint:  # the check ran without its cache: nothing it read is known
            raise OSError("no cache")
        if not self._nonce:
            self._nonce = secrets.token_hex(16).encode()
        return b"pptoolkit-memo %d %s %s %03d %020d %s %020d\n" % (
            FORMAT,
            self.key.hex().encode(),
            self._nonce,
            exit_code,
            self._written,
            self.trace.fingerprint.hex().encode(),
            self.trace.started,
        )

    def discard(self) -> None:
        """Keep no memo of this check (it also wrote a file, the tightened baseline); its cache is written."""
        self.trace.run_later()
        self._abandon()

    def _abandon(self) -> None:
        self._keepable = False
        if self._output is not None:
            with contextlib.suppress(OSError):
                self._output.close()
        for name in (self._output_name, self._trace_name):
            if name:
                _remove(name)
        self._output_name = self._trace_name = ""


def memo_for(root: Path, options: CheckOptions) -> Memo | None:
    """The memo of the check of ``root`` with ``options``, its trace started; None when the settings cannot be read.

    The statuses of the playbook's folder and of ``mkdocs.yml`` are taken before the settings are read.
    """
    if not _writes_utf8_bytes(sys.stdout):
        return None
    trace = Trace(racy_ns=cache_module.RACY_NS)  # the cache's margin, which a test may shorten
    trace.status(root)
    try:
        resolved = Path(trace.resolved(root))
    except (OSError, RuntimeError, ValueError):
        return None
    trace.status(resolved / "mkdocs.yml")
    try:
        settings = load_settings(resolved)
    except ConfigError:
        return None
    trace.limits = settings.limits
    with use_language(options.lang):
        language = language_for(settings.default_language)  # as the check chooses it
    stdout = sys.stdout
    described = "\0".join(
        [
            str(FORMAT),
            str(resolved),  # a memo is its playbook's own, even in a cache folder copied from another's
            language,
            options.output_format,
            options.lang or "",
            options.today.isoformat(),
            str(options.use_baseline),
            getattr(stdout, "encoding", "") or "",
            getattr(stdout, "errors", "") or "",
            os.linesep,
        ]
    )
    key = hashlib.blake2b(described.encode(), digest_size=20).digest()
    return Memo(resolved, settings, language, key, trace, cache_folder(resolved))


def _writes_utf8_bytes(stream: TextIO | None) -> bool:
    """True for a standard output that writes the report as its UTF-8 bytes, which a memo keeps and writes again.

    Not for one that is closed, has no bytes beneath it (``io.StringIO``, an IDE's console), or encodes
    otherwise: click writes UTF-8 to an ASCII stream whatever its error handler, and a stream in UTF-8 with
    a byte order mark or in UTF-16 starts with bytes of its own.
    """
    if stream is None or getattr(stream, "buffer", None) is None:
        return False
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "").name == "utf-8"
    except LookupError:
        return False


def _function(name: str) -> Callable[..., Any]:
    """A function whose answers the cache keeps, by its qualified name (only those: ``answer_codecs``)."""
    if name not in answer_codecs():
        raise KeyError(name)
    module, _, qualified = name.rpartition(".")
    return getattr(importlib.import_module(module), qualified)  # type: ignore[no-any-return]


def _remove(name: str, handle: IO[bytes] | None = None) -> None:
    if handle is not None:
        handle.close()
    with contextlib.suppress(OSError):
        os.unlink(name)


def _write_atomically(file: Path, header: bytes, lines: Iterator[bytes]) -> None:
    temporary = _written(file, header, lines)
    try:
        os.replace(temporary, file)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _written(file: Path, header: bytes, lines: Iterator[bytes]) -> str:
    """A temporary file beside ``file`` holding ``header`` and ``lines``: its name (nothing left on an error)."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with open(descriptor, "wb", buffering=1 << 16) as handle:
            handle.write(header)
            for line in lines:
                handle.write(line)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


__all__ = ["CheckOptions", "Memo", "memo_for"]
