"""What the layers below publishing know of the site: where its generated pages live, and the tags they carry.

The publication (loading) refuses a content file that would take a generated page's place, ``pptoolkit
init`` writes the allowed tags into ``mkdocs.yml`` and the checker's HTML files carry the site's file
policy: each needs these facts before any page exists, so they live here and the pages import them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pptoolkit.model.artifacts import Artifact
from pptoolkit.model.matrix import LEVELS, Matrix

INDEX_PAGES = (
    "index.md",
    "matrix.md",
    "practices/index.md",
    "levels/index.md",
    "artifacts/index.md",
    "owners.md",
    "gaps.md",
    "glossary.md",
)
"""The generated pages that are not one per practice, level or artifact: the navigation lists these."""
LEVEL_TAGS: dict[str, str] = {"top": "top-level", "mid": "mid-level", "front": "front-line"}
"""The tag of each management level on the pages (a value, never what a manager reads)."""
FILE_POLICY = "default-src 'none'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
"""The policy of a published HTML file: it is sanitized to hold no script or style, and may show images of the site."""


class _HasModel(Protocol):
    @property
    def model(self) -> Artifact: ...


class _Paged(Protocol):
    """What the generated pages' paths depend on: the matrix and the artifacts (a loaded playbook)."""

    @property
    def matrix(self) -> Matrix: ...

    @property
    def artifacts(self) -> Sequence[_HasModel]: ...


def practice_path(practice_id: str) -> str:
    """Source path of a practice's page."""
    return f"practices/{practice_id}.md"


def artifact_path(artifact_id: str) -> str:
    """Source path of an artifact's page."""
    return f"artifacts/{artifact_id}.md"


def level_path(level: str) -> str:
    """Source path of a management level's page."""
    return f"levels/{level}.md"


def generated_paths(playbook: _Paged) -> frozenset[str]:
    """The source path of every page the site generates, known before the check ends.

    The publication needs them to refuse a content file that would take a generated page's place.
    """
    return frozenset(
        {
            *INDEX_PAGES,
            *(practice_path(practice.id) for practice in playbook.matrix.practices),
            *(level_path(level) for level in LEVELS),
            *(artifact_path(artifact.model.id) for artifact in playbook.artifacts),
        }
    )
