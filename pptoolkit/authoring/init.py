"""``pptoolkit init``: a new playbook for another organization, with nothing counted as done.

The starter playbook holds the study's matrix, an empty roles registry (valid:
the playbook loads and every practice is ``missing``) with a commented example,
no waivers, the site's ``mkdocs.yml``, a CI workflow, a pre-commit configuration
and a README for editors. Existing files are never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pptoolkit import __version__
from pptoolkit.i18n import _
from pptoolkit.model.matrix import study_matrix_text
from pptoolkit.publishing.pages import allowed_tags
from pptoolkit.writing import write_atomically

SOURCE = "https://github.com/pptoolkit/pptoolkit"
"""Where pptoolkit's repository is published: the workflow installs from it and pre-commit runs its hook."""

REQUIREMENT = f"pptoolkit @ git+{SOURCE}@v{__version__}"
"""What a new playbook installs: this version of pptoolkit."""

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
        "@@SOURCE@@": SOURCE,
        "@@VERSION@@": __version__,
        "@@REQUIREMENT@@": REQUIREMENT,
        "@@INSTALL@@": f'python -m pip install "{REQUIREMENT}"',
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
        ".pre-commit-config.yaml": _fill(_template("pre-commit-config.yaml")),
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
