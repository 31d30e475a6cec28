"""``pptoolkit init``: a new playbook for another organization, with nothing counted as done.

The starter playbook holds the study's matrix, an empty roles registry (valid:
the playbook loads and every practice is ``missing``) with a commented example,
no waivers, the site's ``mkdocs.yml``, a CI workflow, a pre-commit configuration
(a local hook over the installed ``pptoolkit``), the requirements file that says where
pptoolkit comes from, and a README for editors. Existing files are never replaced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from pptoolkit import __version__
from pptoolkit.i18n import _
from pptoolkit.model.matrix import study_matrix_text
from pptoolkit.reporting.tags import allowed_tags
from pptoolkit.writing import write_atomically

REQUIREMENTS = "requirements.txt"
"""The playbook's one statement of where pptoolkit comes from: CI and editors install from it."""


def requirement() -> str:
    """The running pptoolkit as a pip requirement: where it was installed from, when pip recorded it (PEP 610).

    A git checkout or an archive at an address gives that address (with the commit); otherwise
    this version from the package index. A folder of this computer gives the version too,
    which the requirements file's comment asks to replace with the organization's own source.
    """
    try:
        recorded = distribution("pptoolkit").read_text("direct_url.json")
        origin = json.loads(recorded) if recorded else {}
    except (PackageNotFoundError, ValueError):
        origin = {}
    url = origin.get("url") if isinstance(origin, dict) else None
    if not isinstance(url, str) or url.startswith("file:"):
        return f"pptoolkit=={__version__}"
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str) and isinstance(vcs.get("commit_id"), str):
        return f"pptoolkit @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
    return f"pptoolkit @ {url}"


IGNORED = frozenset({".git"})
"""Entries a folder may hold and still count as empty (``git init`` first, then ``pptoolkit init``)."""


class NotEmpty(Exception):
    """The target folder holds files and ``force`` was not given (exit code 1)."""


@dataclass(frozen=True)
class Created:
    """What ``init`` did: the files it wrote and those it kept because they existed (playbook-relative)."""

    written: tuple[str, ...]
    kept: tuple[str, ...]


def _template(name: str, language: str = "en") -> str:
    """A starter file: its version in ``language`` (``data/starter/fr/``) when there is one, else the English."""
    starter = resources.files("pptoolkit").joinpath("data/starter")
    translated = starter.joinpath(f"{language}/{name}")
    return (translated if translated.is_file() else starter.joinpath(name)).read_text(encoding="utf-8")


def _fill(text: str) -> str:
    values = {
        "@@VERSION@@": __version__,
        "@@REQUIREMENT@@": requirement(),
        "@@INSTALL@@": f"python -m pip install -r {REQUIREMENTS}",
    }
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def workflow_text(install: str | None = None) -> str:
    """The GitHub Actions workflow; ``install`` replaces the step that installs pptoolkit (this repository's own)."""
    text = _template("workflow.yml")
    return _fill(text if install is None else text.replace("@@INSTALL@@", install))


def mkdocs_text(language: str = "en") -> str:
    """The site's settings: material, no web fonts, offline search, allowed tags, the pptoolkit plugin."""
    tags = "".join(f"        - {tag}\n" for tag in allowed_tags())
    return _template("mkdocs.yml", language).replace("@TAGS_ALLOWED@\n", tags)


def starter_files(language: str = "en") -> dict[str, str]:
    """Every file of a new playbook: playbook-relative path → text; ``fr`` writes the site and comments in French."""
    return {
        "mkdocs.yml": mkdocs_text(language),
        "checks/matrix.yml": study_matrix_text(),
        "checks/roles.yml": _template("roles.yml", language),
        "checks/waivers.yml": _template("waivers.yml", language),
        "content/tags.md": _template("tags.md", language),
        "content/about.md": _template("about.md", language),
        "policies/.gitkeep": "",
        ".github/workflows/playbook.yml": workflow_text(),
        ".pre-commit-config.yaml": _template("pre-commit-config.yaml"),
        REQUIREMENTS: _fill(_template("requirements.txt")),
        ".gitignore": _template("gitignore"),
        "README.md": _fill(_template("README.md", language)),
    }


def init_playbook(directory: Path, force: bool = False, language: str = "en") -> Created:
    """Write a new playbook into ``directory`` (created if needed).

    Raises ``NotEmpty`` when the folder holds anything but ``.git`` and ``force``
    is false; with ``force``, only the missing files are written.
    """
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(_("'{path}' is a file, not a folder").format(path=directory))
    if directory.is_dir() and not force and any(entry.name not in IGNORED for entry in directory.iterdir()):
        raise NotEmpty(
            _("'{path}' is not empty; use --force to add the missing starter files (none is replaced)").format(
                path=directory
            )
        )
    written: list[str] = []
    kept: list[str] = []
    for relative, text in starter_files(language).items():
        try:
            write_atomically(directory / relative, text)
        except FileExistsError:
            kept.append(relative)
        else:
            written.append(relative)
    return Created(tuple(written), tuple(kept))
