"""The tags a generated page may carry: what ``pptoolkit init`` allows in ``mkdocs.yml`` and the pages use."""

from __future__ import annotations

from pptoolkit.checking.coverage import STATUSES
from pptoolkit.model.artifacts import KINDS
from pptoolkit.model.artifacts import STATUSES as ARTIFACT_STATUSES
from pptoolkit.model.matrix import TYPE_TITLES
from pptoolkit.model.site import LEVEL_TAGS


def allowed_tags() -> list[str]:
    """Every tag the generated pages may carry: practice types, levels, statuses and kinds."""
    return [*TYPE_TITLES, *LEVEL_TAGS.values(), *STATUSES, *ARTIFACT_STATUSES, *KINDS]
