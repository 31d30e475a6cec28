"""Finding the playbook from a folder inside it, as git finds its repository from any of its folders."""

from __future__ import annotations

from pathlib import Path

MARKERS = ("mkdocs.yml", "checks/matrix.yml")
"""What makes a folder a playbook's root: its site settings, or the matrix at its default place."""


def is_playbook_root(folder: Path) -> bool:
    """True when ``folder`` holds a playbook's ``mkdocs.yml`` or its matrix."""
    return any((folder / marker).is_file() for marker in MARKERS)


def find_root(start: Path) -> Path:
    """The playbook that holds ``start``: ``start`` itself or its nearest parent that is a playbook's root.

    ``start`` is returned as given when it is a root, or when no folder above it is one (so that
    the usual message, "not a playbook", names the folder the user gave).
    """
    if not start.is_dir() or is_playbook_root(start):
        return start
    for parent in start.resolve().parents:
        if is_playbook_root(parent):
            return parent
    return start
