"""Building the site without ever losing the published one.

The site is built into a temporary folder beside the target and swapped in only
after a successful build: a failed or interrupted build leaves the previously
published site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from pptoolkit.checker import Result
from pptoolkit.plugin import PlaybookPlugin

TEMP_PREFIX = ".site-"


class BuildFailed(Exception):
    """The site could not be built; the published site is untouched."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the playbook root, where the site goes, and whether errors fail the build."""

    root: Path
    site_dir: Path | None = None
    strict: bool = True
    checked: Result | None = None
    """The check the caller just made, handed to the plugin so that it need not check again."""


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


def build_site(options: BuildOptions) -> Path:
    """Build the playbook's site and swap it into place; return the site folder.

    Raises ``BuildFailed`` (the published site untouched) when MkDocs fails,
    including a strict build stopped by checker errors.
    """
    config_file = options.root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildFailed(f"'{config_file}': no mkdocs.yml in the playbook")
    site_dir = (options.site_dir or options.root / "site").resolve()
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, site_dir.name)
    staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{site_dir.name}-new-", dir=parent))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=options.strict)
        for plugin in config.plugins.values():
            if isinstance(plugin, PlaybookPlugin):
                plugin.checked = options.checked
        build(config)
    except MkDocsException as error:
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
