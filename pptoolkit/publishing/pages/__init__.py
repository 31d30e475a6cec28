"""The playbook's site pages, as Markdown, from a checked playbook.

One module per page or family of pages, over :mod:`.common`. Plain functions:
they take a :class:`~pptoolkit.checking.checker.Result` and return Markdown
text, so they are tested without MkDocs and would serve another generator
unchanged. Every value that comes from front matter or the roles registry goes
through :func:`~.common.esc` (HTML and Markdown escaping).
"""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.model.matrix import LEVELS
from pptoolkit.model.site import INDEX_PAGES, generated_paths
from pptoolkit.publishing.pages.artifacts import artifact_page, artifacts_index, details, without_title
from pptoolkit.publishing.pages.common import (
    FIELD_LABELS,
    STATUS_LABELS,
    Page,
    allowed_tags,
    artifact_path,
    esc,
    file_path,
    level_path,
    level_title,
    practice_path,
    relative_url,
    status_label,
    type_title,
)
from pptoolkit.publishing.pages.evidence import EvidenceBacklinks, published_files
from pptoolkit.publishing.pages.gaps import gaps_page
from pptoolkit.publishing.pages.glossary import glossary_page
from pptoolkit.publishing.pages.home import home_page
from pptoolkit.publishing.pages.levels import level_page, levels_index
from pptoolkit.publishing.pages.matrix import matrix_page
from pptoolkit.publishing.pages.owners import owners_page
from pptoolkit.publishing.pages.practices import practice_page, practices_index

__all__ = [
    "FIELD_LABELS",
    "INDEX_PAGES",
    "STATUS_LABELS",
    "EvidenceBacklinks",
    "Page",
    "allowed_tags",
    "artifact_page",
    "artifact_path",
    "details",
    "esc",
    "file_path",
    "gaps_page",
    "generated_paths",
    "glossary_page",
    "home_page",
    "level_path",
    "level_title",
    "matrix_page",
    "practice_page",
    "practice_path",
    "published_files",
    "relative_url",
    "site_pages",
    "status_label",
    "type_title",
    "without_title",
]


def site_pages(result: Result, language: str | None = None) -> list[Page]:
    """Every generated page of the playbook's site (of its tree in ``language``, default: the playbook's)."""
    return [
        home_page(result),
        matrix_page(result),
        practices_index(result),
        *(practice_page(result, c) for c in result.coverage),
        levels_index(result),
        *(level_page(result, level) for level in LEVELS),
        artifacts_index(result),
        *(artifact_page(result, a, language) for a in result.playbook.artifacts),
        owners_page(result),
        gaps_page(result),
        glossary_page(result),
    ]
