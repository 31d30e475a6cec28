"""Fixtures shared by the checker tests; the helpers themselves are in ``playbook_support.py``.

Import helpers from ``playbook_support`` (not from ``conftest``: another folder's
``conftest.py`` may shadow this one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook_support import (
    EXAMPLES,
    REPO_ROOT,
    SMALL_MATRIX_YML,
    TODAY,
    PlaybookBuilder,
    artifact_text,
    make_playbook,
    updating_golden,
)

__all__ = ["EXAMPLES", "REPO_ROOT", "SMALL_MATRIX_YML", "TODAY", "PlaybookBuilder", "artifact_text", "make_playbook"]


@pytest.fixture
def playbook(tmp_path: Path) -> PlaybookBuilder:
    """An empty playbook with the study's 25-practice matrix, three roles and ``evidence/minutes.md``."""
    return make_playbook(tmp_path)


@pytest.fixture
def small_playbook(tmp_path: Path) -> PlaybookBuilder:
    """An empty playbook with the four-practice ``SMALL_MATRIX_YML`` (D1, S5, E1, X1)."""
    return make_playbook(tmp_path, SMALL_MATRIX_YML)


@pytest.fixture(autouse=True, scope="session")
def _caches_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Checks run by the tests keep their caches in a temporary folder, never in the user's cache folder."""
    folder = tmp_path_factory.mktemp("caches")
    patch = pytest.MonkeyPatch()
    patch.setenv("PPTOOLKIT_CACHE_DIR", str(folder / "playbooks"))
    patch.setenv("XDG_CACHE_HOME", str(folder / "home"))


def pytest_configure(config: pytest.Config) -> None:
    """Golden files are rewritten by one process: two workers rewriting the README's two tables would lose one."""
    in_parallel = getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput")
    if in_parallel and updating_golden():
        raise pytest.UsageError("PPTOOLKIT_UPDATE_GOLDEN=1 rewrites files that tests share: run it without -n")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects: `pytest -m "not slow"` leaves the browser tests out
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test is a slow test too (it builds a site and drives Chromium)."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)
