"""A content-hash cache of the work done on each file, so that a re-check parses only what changed.

Every file is still read on every check: an entry is found by a hash of the
file's text (and of what else the work depends on), never by a date, so a cached
answer is always the answer the checker would give now. The whole cache is
thrown away when the checker's code, the libraries it reads files with, or the
playbook's settings change.

The cache is one pickle file in ``.cache/pptoolkit/`` of the playbook. Pickle can
run code while loading, so the file is signed with a key that only the current
user can read (``~/.cache/pptoolkit/cache-key``): a cache file written by anyone
else, for example one committed to a pull request, is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from pptoolkit.settings import Settings
from pptoolkit.writing import write_atomically

T = TypeVar("T")

FORMAT = 1
DIRECTORY = ".cache/pptoolkit"
FILE = "check.pickle"
LIBRARIES = ("pptoolkit", "pydantic", "pydantic-core", "PyYAML", "markdown-it-py", "mdit-py-plugins")


class NoCache:
    """Remembers nothing: each answer is computed when asked for (``--no-cache``)."""

    def remember(self, function: Callable[..., T], text: str, *inputs: object) -> T:
        """``function(text, *inputs)``."""
        return function(text, *inputs)


class Cache(NoCache):
    """Answers remembered by content: ``remember`` computes once per distinct input.

    Each answer is kept pickled on its own, without the text it was computed from (the
    next check reads that text again anyway): a check unpickles only the answers it
    needs, and writes back only the answers it computed. ``saved`` holds the answers of
    the last check, ``used`` those this check asked for: only these are written back,
    so the cache never outgrows the playbook.
    """

    def __init__(self, fingerprint: bytes = b"", saved: dict[bytes, bytes] | None = None) -> None:
        self.fingerprint = fingerprint
        self.saved = saved or {}
        self.used: dict[bytes, bytes | tuple[Any, str]] = {}
        self.hits = 0
        self.misses = 0

    def remember(self, function: Callable[..., T], text: str, *inputs: object) -> T:
        """``function(text, *inputs)``, computed once for each distinct text and inputs.

        ``function`` must be pure: its answer depends on its arguments and the fingerprint alone.
        """
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{function.__module__}.{function.__qualname__}\0{inputs!r}\0".encode("utf-8", "surrogatepass"))
        digest.update(text.encode("utf-8", "surrogatepass"))
        key = digest.digest()
        known = self.used.get(key)
        if isinstance(known, tuple):
            return known[0]  # type: ignore[no-any-return]
        blob = known or self.saved.get(key)
        if blob is not None:
            try:
                value = _loads(blob, text)
            except Exception:  # an answer that no longer unpickles: compute it again
                blob = None
            else:
                self.hits += 1
                self.used[key] = blob
                return value  # type: ignore[no-any-return]
        self.misses += 1
        value = function(text, *inputs)
        self.used[key] = (value, text)
        return value

    @property
    def changed(self) -> bool:
        """True when this check computed answers, or no longer needs some saved ones."""
        return self.misses > 0 or self.used.keys() != self.saved.keys()


class _Pickler(pickle.Pickler):
    """Pickles an answer, writing the text it came from as a reference rather than a copy."""

    def __init__(self, file: io.BytesIO, text: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.text = text

    def persistent_id(self, obj: object) -> str | None:
        return "text" if obj is self.text else None


class _Unpickler(pickle.Unpickler):
    """Unpickles an answer, giving back the text that it refers to."""

    def __init__(self, file: io.BytesIO, text: str) -> None:
        super().__init__(file)
        self.text = text

    def persistent_load(self, pid: object) -> str:
        if pid != "text":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.text


_NOTHING = b""  # the pickle of an empty list: most texts hold no personal information


def _dumps(value: object, text: str) -> bytes:
    if value == []:
        return _NOTHING
    buffer = io.BytesIO()
    _Pickler(buffer, text).dump(value)
    return buffer.getvalue()


def _loads(blob: bytes, text: str) -> Any:
    if blob == _NOTHING:
        return []
    return _Unpickler(io.BytesIO(blob), text).load()


def fingerprint(settings: Settings) -> bytes:
    """What every cached answer depends on besides the files: code, libraries, Python and settings."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{settings!r}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    package = Path(__file__).parent
    for source in sorted(package.glob("*.py")):  # the checker's own code, in case the version was not bumped
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.digest()


def cache_folder(root: Path) -> Path | None:
    """Where the cache of the playbook at ``root`` lives: ``.cache/pptoolkit`` unless PPTOOLKIT_CACHE_DIR is set.

    None when ``.cache`` or ``.cache/pptoolkit`` is a symbolic link: a link committed to the
    playbook must not make a check write, or read, anywhere else.
    """
    elsewhere = os.environ.get("PPTOOLKIT_CACHE_DIR")
    if elsewhere:
        return Path(elsewhere) / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    folder = root / DIRECTORY
    if folder.parent.is_symlink() or folder.is_symlink():
        return None
    return folder


SIGNING_KEY_SIZE = 32


def _signing_key() -> bytes | None:
    """This user's secret key for signing caches, created on first use; None when it cannot be trusted.

    The key is only this user's if it is a regular file of 32 bytes that they own and no one else
    may read or write; it appears whole or not at all (written aside, then renamed).
    """
    home = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(home):  # the XDG rule: a relative path is ignored (it could be inside a playbook)
        home = str(Path.home() / ".cache")
    file = Path(home) / "pptoolkit" / "cache-key"
    try:
        if not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".cache-key.")  # mode 0600
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(os.urandom(SIGNING_KEY_SIZE))
            if not file.exists():  # another check may have made one meanwhile: keep theirs
                os.replace(temporary, file)
            else:
                os.unlink(temporary)
        status = file.lstat()
        key = file.read_bytes()
    except OSError:
        return None
    owned = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    private = stat.S_ISREG(status.st_mode) and owned and not status.st_mode & 0o077
    return key if private and len(key) == SIGNING_KEY_SIZE else None


MAGIC = b"pptoolkit-cache-2\n"
KEY_SIZE = 20  # the blake2b digest of an answer's inputs
SIGNATURE_SIZE = 32  # HMAC-SHA256


def open_cache(root: Path, settings: Settings) -> Cache:
    """The playbook's cache as the last check left it, or an empty one (never an error).

    The file is ``MAGIC``, the fingerprint, then one record per answer (its key, the length of
    its pickle, the pickle), and last the signature of all that.
    """
    current = fingerprint(settings)
    key = _signing_key()
    folder = cache_folder(root)
    try:
        data = (folder / FILE).read_bytes() if key is not None and folder is not None else b""
    except OSError:
        data = b""
    body, signature = memoryview(data)[:-SIGNATURE_SIZE], data[-SIGNATURE_SIZE:]
    if key is None or len(data) < len(MAGIC) + len(current) + SIGNATURE_SIZE:
        return Cache(current)
    if not hmac.compare_digest(signature, hmac.new(key, body, hashlib.sha256).digest()):
        return Cache(current)  # not written by this user: never unpickled
    header = len(MAGIC) + len(current)
    if bytes(body[:header]) != MAGIC + current:
        return Cache(current)  # another format, or another checker, library or settings
    entries: dict[bytes, bytes] = {}
    offset = header
    while offset + KEY_SIZE + 4 <= len(body):
        name = bytes(body[offset : offset + KEY_SIZE])
        size = int.from_bytes(body[offset + KEY_SIZE : offset + KEY_SIZE + 4], "big")
        start = offset + KEY_SIZE + 4
        entries[name] = body[start : start + size]  # type: ignore[assignment]  # a view: nothing is copied
        offset = start + size
    return Cache(current, entries)


def save_cache(root: Path, cache: Cache) -> None:
    """Write what this run used, signed, atomically; a playbook that cannot be written to is left as it is.

    The answers are pickled and written one at a time, so that writing the cache never holds
    a second copy of it in memory. A cache need not survive a power cut: it is not synced.
    """
    key = _signing_key()
    folder = cache_folder(root)
    if key is None or folder is None or not cache.changed:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent / ".gitignore"
        if folder.parent.name == ".cache" and not ignore.exists():
            with contextlib.suppress(FileExistsError):
                write_atomically(ignore, "# Written by pptoolkit: a cache, never to be committed.\n*\n")
        descriptor, temporary = tempfile.mkstemp(prefix=f".{FILE}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                signature = hmac.new(key, digestmod=hashlib.sha256)
                for chunk in _records(cache):
                    signature.update(chunk)
                    handle.write(chunk)
                handle.write(signature.digest())
            os.replace(temporary, folder / FILE)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except (OSError, pickle.PicklingError):
        return


def _records(cache: Cache) -> Iterator[bytes]:
    yield MAGIC + cache.fingerprint
    for name, entry in cache.used.items():
        blob = _dumps(*entry) if isinstance(entry, tuple) else entry
        yield name + len(blob).to_bytes(4, "big")
        yield bytes(blob)
