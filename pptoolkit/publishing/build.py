"""Building the site without ever losing the published one, nor anything else.

The site is built into a temporary folder beside the target and swapped in only
after a successful build: a failed or interrupted build leaves the previously
published site exactly as it was. The swap replaces a whole folder, so the
target must be a folder that holds nothing but a site: never the playbook, a
folder holding it, or one of its sources, and never a folder with other files
than an earlier site of the same playbook (which carries a marker file). One
build at a time writes a given site: a second waits for the first.

The build runs on MkDocs or on ProperDocs, its maintained drop-in fork: both read
``mkdocs.yml`` and load the plugin from its ``mkdocs.plugins`` entry point. Neither
is imported until a build starts, so that ``pptoolkit check`` never pays for them.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptoolkit.checking.checker import Result
from pptoolkit.model.settings import Settings, load_settings

TEMP_PREFIX = ".site-"
MARKER = ".pptoolkit-site"
"""The file that marks a folder as a site built by pptoolkit, holding a hash of its playbook's path."""
log = logging.getLogger("mkdocs.pptoolkit")


class BuildFailed(Exception):
    """The site could not be built; the published site is untouched."""


class UnsafeSiteDir(Exception):
    """The site folder would replace something that is not a site (exit code 2); nothing was written."""


class EngineUnavailable(Exception):
    """The chosen engine cannot run the build (exit code 2); nothing was written."""


ENGINES = ("mkdocs", "properdocs")
"""The programs that can run the build: MkDocs 1.6 (the default), or ProperDocs, its maintained fork."""


@dataclass(frozen=True)
class Engine:
    """What a build needs from its engine: MkDocs's API as MkDocs or ProperDocs provides it."""

    name: str
    load_config: Callable[..., Any]
    build: Callable[[Any], None]
    error: type[Exception]
    """The engine's base exception: a build that fails with it is reported, not raised."""
    plugin: type[Any]
    """The playbook plugin's class, as this engine loaded it."""
    logger: str
    """The logger that the engine's messages, and the plugin's, reach (strict mode counts its warnings)."""


def load_engine(name: str) -> Engine:
    """Import the engine ``name`` (one of ``ENGINES``); raise ``EngineUnavailable`` saying why it cannot run.

    ProperDocs answers every import of ``mkdocs.*`` (the theme's and the plugin's) with its own
    modules once ``properdocs.replacement`` is imported, as its own command does. So a process runs
    one engine, chosen before either is loaded: the other one, already loaded, is refused rather than
    mixed with it.
    """
    if name not in ENGINES:
        raise EngineUnavailable(f"no engine '{name}'; use one of: {', '.join(ENGINES)}")
    loaded = sys.modules.get("mkdocs")
    if loaded is not None and loaded.__name__ != name:
        raise EngineUnavailable(
            f"this process has already loaded {loaded.__name__} as 'mkdocs', so it cannot build with {name}; "
            f"build in a new process (pptoolkit build --engine {name})"
        )
    if name == "properdocs":
        try:
            import properdocs.replacement  # noqa: F401  (mkdocs.* now means properdocs.*)
        except ImportError:
            raise EngineUnavailable(
                "the engine 'properdocs' is not installed: pip install 'properdocs>=1.6,<2'"
            ) from None
        _route_mkdocs_logs_to("properdocs")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from pptoolkit.publishing.plugin import PlaybookPlugin

    return Engine(name, load_config, build, MkDocsException, PlaybookPlugin, name)


def _route_mkdocs_logs_to(name: str) -> None:
    """Send the records of the ``mkdocs`` loggers (the plugin's, the theme's) to the engine's own logger,
    as ProperDocs's command does, so that they are shown with its messages and counted by strict mode."""
    legacy = logging.getLogger("mkdocs")
    legacy.parent = logging.getLogger(name)
    legacy.setLevel(logging.NOTSET)
    legacy.propagate = True


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the playbook root, where the site goes, and whether errors fail the build."""

    root: Path
    site_dir: Path | None = None
    strict: bool = True
    checked: Result | None = None
    """The check the caller just made, handed to the plugin so that it need not check again."""
    engine: str = "mkdocs"
    """The program that runs the build, one of ``ENGINES``."""


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove temporary folders that an interrupted earlier build left behind.

    A build stopped between the two renames of ``_swap`` leaves no site but the
    previous one set aside (``-old-``): put it back first, so that it is not lost.
    """
    site_dir = parent / name
    if not site_dir.exists() and not site_dir.is_symlink():
        set_aside = sorted(parent.glob(f"{TEMP_PREFIX}{name}-old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        if set_aside:
            os.replace(set_aside[0], site_dir)
    for leftover in parent.glob(f"{TEMP_PREFIX}{name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def marker_text(root: Path) -> str:
    """What the marker file of a site of the playbook at ``root`` holds."""
    return f"pptoolkit site of the playbook {hashlib.sha256(str(root.resolve()).encode()).hexdigest()}\n"


def _is_site_of(folder: Path, root: Path) -> bool:
    """True when ``folder`` holds the marker of a site of the playbook at ``root`` (a small regular file)."""
    try:
        descriptor = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        status = os.fstat(descriptor)
        return stat.S_ISREG(status.st_mode) and os.read(descriptor, 1024) == marker_text(root).encode()
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _sources(root: Path, settings: Settings) -> dict[str, Path]:
    """The playbook's source folders, by the name a message gives them."""
    folders = {
        "policies_dir": settings.policies_dir,
        "docs_dir": settings.docs_dir,
        "evidence": "evidence",
        "checks": "checks",
        **{name: str(Path(getattr(settings, name)).parent) for name in ("matrix", "roles", "waivers")},
    }
    return {f"{name} '{relative}'": (root / relative).resolve() for name, relative in folders.items()}


def site_dir_problem(root: Path, site_dir: Path, settings: Settings) -> str | None:
    """Why ``site_dir`` must not receive the site of the playbook at ``root``; None when it may.

    Building replaces the whole folder: it must not be the playbook, hold it, be or hold or lie in
    one of its sources or dot-folders, nor hold files other than an earlier site of this playbook.
    """
    root, site_dir = root.resolve(), site_dir.resolve()
    if root.is_relative_to(site_dir):
        what = "the playbook's own folder" if root == site_dir else "a folder that holds the playbook"
        return f"it is {what}; building would replace the playbook with its site"
    for name, source in _sources(root, settings).items():
        if source == root:
            continue
        if site_dir.is_relative_to(source) or source.is_relative_to(site_dir):
            relation = "is" if site_dir == source else "is inside" if site_dir.is_relative_to(source) else "holds"
            return f"it {relation} the playbook's source folder ({name}); building would replace sources with the site"
    if site_dir.is_relative_to(root) and any(part.startswith(".") for part in site_dir.relative_to(root).parts):
        return "it is in a dot-folder of the playbook (such as .git or .cache)"
    if site_dir.exists() and not site_dir.is_dir():
        return "it is not a folder"
    try:
        empty = not site_dir.is_dir() or not any(site_dir.iterdir())
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    if not empty and not _is_site_of(site_dir, root):
        return (
            f"it is not empty and is not a site built by pptoolkit from this playbook (no {MARKER} file of this "
            "playbook in it); delete it if it is an old site, or choose another folder"
        )
    return None


def check_site_dir(root: Path, site_dir: Path, settings: Settings) -> None:
    """Raise ``UnsafeSiteDir`` naming the folder and the reason when ``site_dir`` must not receive the site."""
    problem = site_dir_problem(root, site_dir, settings)
    if problem is not None:
        raise UnsafeSiteDir(f"'{site_dir}' cannot receive the site: {problem}")


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold the lock of the folder the site is built in (``flock`` on the folder itself, so no lock file
    is left behind): a second build there waits until the first has swapped its site in or given up.
    The system releases the lock of a build that is killed."""
    descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("Another build is writing a site in '%s': waiting for it to finish", parent)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def build_site(options: BuildOptions) -> Path:
    """Build the playbook's site and swap it into place; return the site folder.

    Raises ``EngineUnavailable`` or ``UnsafeSiteDir`` (nothing written) when the engine cannot run
    or the site folder could hold anything but a site of this playbook, and ``BuildFailed`` (the
    published site untouched) when the build fails, including a strict build stopped by checker errors.
    """
    engine = load_engine(options.engine)
    config_file = options.root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildFailed(f"'{config_file}': no mkdocs.yml in the playbook")
    settings = options.checked.playbook.settings if options.checked else load_settings(options.root)
    site_dir = (options.site_dir or options.root / "site").resolve()
    check_site_dir(options.root, site_dir, settings)
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        check_site_dir(options.root, site_dir, settings)  # again: the build before this one may have changed it
        _remove_leftovers(parent, site_dir.name)
        staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{site_dir.name}-new-", dir=parent))
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        try:
            config = engine.load_config(config_file=str(config_file), site_dir=str(staging), strict=options.strict)
            for plugin in config.plugins.values():
                if isinstance(plugin, engine.plugin):
                    plugin.checked = options.checked
            engine.build(config)
            (staging / MARKER).write_text(marker_text(options.root), encoding="utf-8")
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; MkDocs's own folders follow the umask
        except engine.error as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise BuildFailed(str(error) or "the build failed") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap(staging, site_dir)
    return site_dir


def _swap(staging: Path, site_dir: Path) -> None:
    """Put ``staging`` at ``site_dir``; the old site is moved aside first and removed last."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{site_dir.name}-old-", dir=site_dir.parent))
        os.rmdir(old)
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
