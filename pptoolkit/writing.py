"""Writing files atomically: a reader sees the old file or the new one, never half of one.

The content goes to a temporary file in the target's folder first, then takes
the target's name in one step. Without ``overwrite``, that step is a hard link,
which fails when the name exists: an existing file is never replaced, even when
another process creates it meanwhile.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def _temporary(folder: Path, name: str) -> tuple[Path, int]:
    """Create a new, empty temporary file beside the target (mode 0666 less the umask)."""
    while True:
        candidate = folder / f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            return candidate, os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def write_atomically(path: Path, content: str | bytes, *, overwrite: bool = False) -> Path:
    """Write ``content`` (text as UTF-8, written as is) to ``path``, creating its folders; return ``path``.

    Raises ``FileExistsError`` when ``path`` exists and ``overwrite`` is false.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    temporary, descriptor = _temporary(path.parent, path.name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _link_new(temporary: Path, path: Path) -> None:
    """Give ``temporary``'s content the name ``path`` only if that name is free."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (a narrow race remains)
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        os.replace(temporary, path)
