"""The answers of the rules that read one file's text, computed together, once per file, and kept by the cache.

Several rules read each artifact's text and each published text: the privacy scan (PP702 to PP706),
raw HTML, markup in headings and images from another host (PP701), links the site drops (PP309),
the markup limits (PP110), placeholders (PP208) and page templates (PP311). What each finds in a
file depends on its text and a few settings alone, so a check computes them all for a file at once
(``artifact_rows``, ``published_rows``: rows of plain values, each rule's under its name), and the
cache keeps them by the file's digest. A re-check of a file that the cache knows unchanged reads
neither the file nor anything else about it: the rules only turn its rows into diagnostics at its
path, and the rules that span files (duplicate ids, owners, links between files, coverage) run over
the restored records.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict

from pptoolkit.model.settings import Limits
from pptoolkit.reading.documents import FileText, body_of, text_of
from pptoolkit.reading.links import LinkKind

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import LoadedArtifact, Playbook
    from pptoolkit.loading.publication import PublishedFile

Row = tuple[Any, ...]
Answers = Mapping[str, list[Row]]
"""Each rule's rows for one file, by the rule's part (``markup``, ``html`` ...); a part without rows is left out."""
NOTHING: Answers = MappingProxyType({})
"""The answers of most files, shared: no rule found anything."""


def _privacy_code(code: str) -> str:
    from pptoolkit.checking.rules import privacy

    if code not in {rule.code for rule in privacy.RULES}:
        raise ValueError(f"not a privacy rule: {code}")
    return code


def _dropped_code(code: str) -> str:
    from pptoolkit.checking.rules import html as html_rules
    from pptoolkit.checking.rules import links

    if code not in (html_rules.UNSAFE_HTML.code, links.FORBIDDEN_SCHEME.code):
        raise ValueError(f"not a rule of dropped links: {code}")
    return code


_Located = list[tuple[int, int, str]]
_Found = list[tuple[Annotated[str, AfterValidator(_privacy_code)], int, int, str]]


class _Schema(BaseModel):
    """What each part of a file's answers holds, as the cache checks it when it reads them back."""

    model_config = ConfigDict(extra="forbid")

    markup: _Located = []
    placeholders: list[tuple[int, int]] = []
    html: _Located = []
    dropped: list[tuple[int, int, Annotated[str, AfterValidator(_dropped_code)], str]] = []
    templates: _Located = []
    privacy: _Found = []
    id: _Found = []
    name: _Found = []


def answers_from_json(record: bytes) -> Answers:
    """A file's answers read back from the cache's JSON; ValidationError for any a check could not have written."""
    return {part: rows for part, rows in _Schema.model_validate_json(record) if rows} or NOTHING


class _Rules(NamedTuple):
    privacy: ModuleType
    files: ModuleType
    front_matter: ModuleType
    html: ModuleType
    links: ModuleType


@functools.cache
def _rules() -> _Rules:
    """The modules of the rules that read one file.

    Imported when first needed (they import the loading, which imports this module), then kept at hand:
    importing from a package again, for each of 10,000 files, went through importlib's Python code each time.
    """
    from pptoolkit.checking import privacy
    from pptoolkit.checking.rules import files, front_matter, links
    from pptoolkit.checking.rules import html as html_rules

    return _Rules(privacy, files, front_matter, html_rules, links)


def artifact_answers(playbook: Playbook, artifact: LoadedArtifact) -> Answers:
    """What the rules that read an artifact's text find in it, computed (or taken from the cache) once per check."""
    found = playbook.answers.get(artifact.path)
    if found is None:
        document, model, settings = artifact.document, artifact.model, playbook.settings
        # The inline links with a forbidden scheme, as read: link_targets reports them, the other rules not again.
        judged = tuple(
            html.unescape(link.target).strip()
            for link in document.links
            if playbook.links.classify(link.target, artifact.path).kind is LinkKind.FORBIDDEN
        )
        found = playbook.answers[artifact.path] = playbook.cache.remember(
            artifact_rows,
            document.source,
            document.body_line,
            settings.limits,
            settings.privacy.allowed_contacts,
            model.kind == "registry",
            model.status == "approved",
            judged,
            model.id,
        )
    return found


def artifact_rows(
    source: str | FileText,
    body_line: int,
    limits: Limits,
    allowed: tuple[str, ...],
    names: bool,
    approved: bool,
    judged: tuple[str, ...],
    artifact_id: str,
) -> Answers:
    """Every per-file rule's rows for an artifact's text (a function of its arguments alone: the cache keeps it)."""
    privacy, files, front_matter, html_rules, links = _rules()
    text = text_of(source)
    body = body_of(text, body_line)  # made once for the three rules that read the body alone

    answers: dict[str, list[Row]] = {
        "markup": files.markup_rows(body, body_line, limits),
        "placeholders": front_matter.placeholder_rows(text, body_line) if approved else [],
        "html": html_rules.body_html_rows(body, body_line),
        "dropped": links.dropped_rows(body, body_line, judged, page=False),
        "privacy": privacy.finding_rows(privacy.scan_findings(text, allowed, names)),
        "id": privacy.finding_rows(privacy.name_findings(artifact_id, allowed)[:1]),
    }
    return {part: rows for part, rows in answers.items() if rows} or NOTHING


def published_answers(playbook: Playbook, published: PublishedFile, content: str | FileText) -> Answers:
    """What the rules that read a published text find in it, computed (or taken from the cache) once per check."""
    found = playbook.published_answers.get(published.site_path)  # a file can be published twice, never a site path
    if found is None:
        found = playbook.published_answers[published.site_path] = text_answers(
            playbook, content, published.kind.value, published.site_path
        )
    return found


def text_answers(playbook: Playbook, content: str | FileText, kind: str, site_path: str) -> Answers:
    """What the rules that read a text to publish at ``site_path`` find in it (``published_rows``), kept by the cache.

    The publication asks it of each file it reads, before publishing it: a Markdown text over the markup
    limits (PP110, its answers' ``markup``) is never published, and its other answers are not looked for.
    """
    settings = playbook.settings
    return playbook.cache.remember(
        published_rows, content, kind, settings.limits, settings.privacy.allowed_contacts, site_path
    )


def published_rows(
    source: str | FileText, kind: str, limits: Limits, allowed: tuple[str, ...], site_path: str
) -> Answers:
    """Every per-file rule's rows for a text to publish, of ``kind`` (a ``Kind``'s value, ``markdown`` ...).

    Only PP110's (``markup``) for a Markdown text over the markup limits: the renderer would take minutes
    over it, so it is never published, and nothing else in it is reported.
    """
    rules = _rules()
    privacy, html_rules, links = rules.privacy, rules.html, rules.links
    text = text_of(source)
    markdown = kind == "markdown"
    if markdown:
        overload = rules.files.markup_rows(text, 1, limits)
        if overload:
            return {"markup": overload}
    answers: dict[str, list[Row]] = {
        "privacy": privacy.finding_rows(privacy.scan_findings(text, allowed, False)),
        "name": privacy.finding_rows(privacy.name_findings(site_path, allowed)[:1]),
        "html": html_rules.published_html_rows(text, markdown) if kind in ("markdown", "html") else [],
        "templates": links.template_rows(text) if markdown else [],
        "dropped": links.dropped_rows(text, 1, (), page=True) if markdown else [],
    }
    return {part: rows for part, rows in answers.items() if rows} or NOTHING
