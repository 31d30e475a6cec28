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
import sys
from collections.abc import Callable
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

    def entries(self) -> dict[bytes, bytes]:
        """Every answer this check used, pickled."""
        return {key: _dumps(*entry) if isinstance(entry, tuple) else entry for key, entry in self.used.items()}


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


def cache_folder(root: Path) -> Path:
    """Where the cache of the playbook at ``root`` lives: ``.cache/pptoolkit`` unless PPTOOLKIT_CACHE_DIR is set."""
    elsewhere = os.environ.get("PPTOOLKIT_CACHE_DIR")
    if elsewhere:
        return Path(elsewhere) / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return root / DIRECTORY


def _signing_key() -> bytes | None:
    """This user's secret key for signing caches, created on first use; None when it cannot be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    file = Path(home) / "pptoolkit" / "cache-key"
    try:
        return file.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(32))
        return file.read_bytes()
    except FileExistsError:  # another check created it meanwhile
        return file.read_bytes()
    except OSError:
        return None


def open_cache(root: Path, settings: Settings) -> Cache:
    """The playbook's cache as the last check left it, or an empty one (never an error)."""
    current = fingerprint(settings)
    key = _signing_key()
    file = cache_folder(root) / FILE
    if key is None or not file.is_file():
        return Cache(current)
    try:
        data = file.read_bytes()
    except OSError:
        return Cache(current)
    signature, payload = data[:32], data[32:]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return Cache(current)  # not written by this user: never unpickled
    try:
        saved_fingerprint, entries = pickle.loads(payload)
    except Exception:  # a cache from another version of a library, and the like: start afresh
        return Cache(current)
    if saved_fingerprint != current or not isinstance(entries, dict):
        return Cache(current)
    return Cache(current, entries)


def save_cache(root: Path, cache: Cache) -> None:
    """Write what this run used, signed, atomically; a playbook that cannot be written to is left as it is."""
    key = _signing_key()
    if key is None or not cache.changed:
        return
    folder = cache_folder(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent / ".gitignore"
        if folder.parent.name == ".cache" and not ignore.exists():
            with contextlib.suppress(FileExistsError):
                write_atomically(ignore, "# Written by pptoolkit: a cache, never to be committed.\n*\n")
        payload = bytearray(32)  # room for the signature, so that the payload is not copied to sign it
        payload += pickle.dumps((cache.fingerprint, cache.entries()), protocol=pickle.HIGHEST_PROTOCOL)
        payload[:32] = hmac.new(key, memoryview(payload)[32:], hashlib.sha256).digest()
        write_atomically(folder / FILE, bytes(payload), overwrite=True)
    except (OSError, pickle.PicklingError):
        return
