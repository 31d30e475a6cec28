"""The paper edition: one PDF of the playbook for the board and accreditation visits.

:func:`paper_html` writes the whole playbook as one HTML document made for print (a cover, a table of
contents, the coverage summary, the matrix with owners and statuses, every approved artifact in full, and
an index of evidence); :func:`render_pdf` lays it out with WeasyPrint, which turns headings into PDF
bookmarks and fills the table of contents and the page numbers from CSS (``target-counter``,
``counter(pages)``). Nothing is fetched: every URL the document names is refused, so the PDF is made from
the checked text alone, offline, whatever an artifact links to.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version

from markdown_it import MarkdownIt

from pptoolkit.checking.baseline import GAP_RULES
from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage
from pptoolkit.checking.html_safety import sanitize_html
from pptoolkit.i18n import _, current_language, language_for
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.matrix import LEVEL_TITLES, TYPE_TITLES
from pptoolkit.publishing.pages import details, level_title, status_label, type_title, without_title
from pptoolkit.publishing.pages.summary import NOT_COVERED, overdue_words, problems_words
from pptoolkit.reading.documents import markup_overload
from pptoolkit.reporting.language_view import in_language

STYLE = """
@page { size: A4; margin: 22mm 18mm 20mm;
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 8.5pt; color: #555; }
  @bottom-left { content: string(edition); font-size: 8.5pt; color: #555; } }
@page :first { @bottom-right { content: none; } @bottom-left { content: none; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; }
.cover { page-break-after: always; padding-top: 60mm; }
.cover h1 { font-size: 24pt; bookmark-level: none; string-set: edition content(); }
.cover .subtitle { font-size: 14pt; }
nav.toc { page-break-after: always; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc ol ol { padding-left: 1.5em; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
section.part { page-break-before: always; }
article.artifact { page-break-before: always; }
section.part + article.artifact { page-break-before: avoid; }
h1 { font-size: 18pt; bookmark-level: 1; }
h2 { font-size: 14pt; bookmark-level: 2; }
.body h1, .body h2, .body h3, .body h4, .body h5, .body h6 { bookmark-level: none; }
.body h1, .body h2 { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 0.5pt solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
.meta th { width: 28%; }
.status { font-weight: bold; }
.failing { color: #8b0000; }
pre { white-space: pre-wrap; font-size: 8.5pt; }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def printable(result: Result) -> list[Diagnostic]:
    """The errors that stop the paper edition: every error but a practice not yet covered (shown as a gap).

    A gap is what a baseline can accept (``GAP_RULES``): one list, so that the two never disagree.
    """
    return [d for d in result.diagnostics if d.is_error and d.code not in GAP_RULES]


def paper_html(result: Result) -> str:
    """The whole playbook as one HTML document for print, in the language in use; every value from it is escaped.

    In a language other than the default, translated artifacts, role titles and the site's name are that
    language's, as on the site's tree of that language.
    """
    result = in_language(result, language_for(result.playbook.settings.default_language))
    settings = result.playbook.settings
    approved = sorted(
        (a for a in result.playbook.artifacts if a.model.status == "approved"),
        key=lambda a: (a.model.kind, a.model.title.casefold()),
    )
    parts = [
        f'<!DOCTYPE html><html lang="{_e(current_language())}"><head><meta charset="utf-8">',
        f"<title>{_e(settings.site_name)}</title>",
        f'<meta name="generator" content="pptoolkit {_e(version("pptoolkit"))}">',
        f"<style>{STYLE}</style></head><body>",
        _cover(result),
        _contents(approved),
        _summary(result),
        _matrix(result),
        '<section class="part" id="artifacts"><h1>' + _e(_("Policies and artifacts")) + "</h1>",
        "<p>" + _e(_("Every approved artifact of the playbook, in full, by kind.")) + "</p></section>",
        *(_artifact(result, artifact) for artifact in approved),
        _evidence_index(result, approved),
        "</body></html>",
    ]
    return "\n".join(parts)


def _cover(result: Result) -> str:
    covered = result.covered
    return (
        '<section class="cover">'
        f"<h1>{_e(result.playbook.settings.site_name)}</h1>"
        '<p class="subtitle">'
        + _e(_("Patient partnership playbook: paper edition"))
        + "</p><p>"
        + _e(
            _("As of {date}: {covered} of {total} managerial practices covered.").format(
                date=fmt.long_date(result.today), covered=covered, total=len(result.coverage)
            )
        )
        + "</p><p>"
        + _("Practices from Clavel, Pomey and Ghadiri, {journal}, 2019 (doi:10.1186/s12913-019-4618-8).").format(
            journal="<i>BMC Health Services Research</i>"
        )
        + " "
        + _e(_("Printed by pptoolkit from the playbook's checked sources."))
        + "</p></section>"
    )


def _contents(approved: list[LoadedArtifact]) -> str:
    entries = "".join(f'<li><a href="#a-{_e(a.model.id)}">{_e(a.model.title)}</a></li>' for a in approved)
    return (
        '<nav class="toc"><h1>'
        + _e(_("Contents"))
        + '</h1><ol><li><a href="#summary">'
        + _e(_("Coverage summary"))
        + '</a></li><li><a href="#matrix">'
        + _e(_("Practice matrix"))
        + '</a></li><li><a href="#artifacts">'
        + _e(_("Policies and artifacts"))
        + f'</a><ol>{entries}</ol></li><li><a href="#evidence">'
        + _e(_("Index of evidence"))
        + "</a></li></ol></nav>"
    )


def _summary(result: Result) -> str:
    counts = result.coverage_counts()  # the site's and the check's counts: covered includes the overdue reviews
    shown = [(_("Covered"), counts.covered), (_("Of which overdue for review"), counts.overdue)]
    shown += [(status_label(status), counts.by_status[status]) for status in NOT_COVERED]
    rows = "".join(f"<tr><td>{_e(label)}</td><td>{count}</td></tr>" for label, count in shown)
    problems = problems_words(result.errors, result.warnings)
    return (
        '<section class="part" id="summary"><h1>'
        + _e(_("Coverage summary"))
        + "</h1><p>"
        + _e(
            _("{covered} of {total} practices are covered as of {date}{overdue}; the check found {problems}.").format(
                covered=counts.covered,
                total=counts.total,
                date=fmt.long_date(result.today),
                overdue=overdue_words(counts),
                problems=problems,
            )
        )
        + "</p><table><thead><tr><th>"
        + _e(_("Status"))
        + "</th><th>"
        + _e(_("Practices"))
        + f"</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _owners(coverage: PracticeCoverage) -> str:
    names = dict.fromkeys(owner.title or owner.role for owner in coverage.owners)
    return "<br>".join(_e(name) for name in names) or "—"


def _matrix(result: Result) -> str:
    parts = ['<section class="part" id="matrix"><h1>' + _e(_("Practice matrix")) + "</h1>"]
    groups = [*((key, type_title(key)) for key in TYPE_TITLES), ("", _("Practices of this organization"))]
    for practice_type, title in groups:
        rows = [
            c
            for c in result.coverage
            if c.practice.type == practice_type or (not practice_type and c.practice.type not in TYPE_TITLES)
        ]
        if not rows:
            continue
        parts.append(f"<h2>{_e(title)}</h2>")
        parts.append(
            "<table><thead><tr>"
            + "".join(
                f"<th>{_e(label)}</th>" for label in (_("Id"), _("Practice"), _("Levels"), _("Status"), _("Owners"))
            )
            + "</tr></thead><tbody>"
        )
        for c in rows:
            levels = ", ".join(level_title(level) if level in LEVEL_TITLES else level for level in c.practice.levels)
            status = _e(status_label(c.status))
            parts.append(
                f"<tr><td>{_e(c.practice.id)}</td><td>{_e(c.practice.title_in(current_language()))}</td><td>{_e(levels)}</td>"
                f'<td class="status{" failing" if c.is_failing else ""}">{status}</td><td>{_owners(c)}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


def _body(result: Result, artifact: LoadedArtifact) -> str:
    """The artifact's body as HTML, without its first `#` title; through the site's sanitizer."""
    body = artifact.document.body
    if markup_overload(body, result.playbook.settings.limits) is not None:
        return f"<pre>{_e(body)}</pre>"
    return sanitize_html(_MARKDOWN.render(without_title(body)))


def _artifact(result: Result, artifact: LoadedArtifact) -> str:
    model = artifact.model
    role = result.playbook.roles.get(model.owner)
    owner = role.model.title if role else model.owner
    practices = []
    for practice_id in model.implements:
        coverage = result.coverage_of(practice_id)
        practices.append(
            f"{practice_id} ({coverage.practice.title_in(current_language())})" if coverage else practice_id
        )
    meta = [
        (_("Kind"), _(type(model).kind_title)),
        (_("Owner"), owner),
        (_("Approved on"), fmt.long_date(model.approved_on) if model.approved_on else "—"),
        (_("Review by"), fmt.long_date(model.review_by)),
        (_("Practices implemented"), "; ".join(practices) or _("— (supporting document)")),
    ]
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta)
    summary = f"<p><i>{_e(model.summary)}</i></p>" if model.summary else ""
    # The kind's own fields (principles, rates, indicators, small cells suppressed), as on the artifact's page.
    fields = sanitize_html(_MARKDOWN.render(details(artifact, result.playbook.settings.privacy.small_cell_threshold)))
    return (
        f'<article class="artifact" id="a-{_e(model.id)}"><h2>{_e(model.title)}</h2>'
        f'<table class="meta">{rows}</table>{summary}<div class="body">{fields}{_body(result, artifact)}</div>'
        "</article>"
    )


def _evidence_index(result: Result, approved: list[LoadedArtifact]) -> str:
    found = []
    for artifact in approved:
        for item in artifact.model.evidence:
            practices = ", ".join(artifact.model.implements) or "—"
            found.append((item.date, item.title, artifact.model.title, practices, item.link))
    rows = [(fmt.long_date(day), *cells) for day, *cells in sorted(found)]  # by date, then formatted
    body = "".join("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        '<section class="part" id="evidence"><h1>'
        + _e(_("Index of evidence"))
        + "</h1>"
        + "<p>"
        + _e(_("Every evidence item of the approved artifacts, by date; files are in the playbook's repository."))
        + "</p>"
        + "<table><thead><tr>"
        + "".join(
            f"<th>{_e(label)}</th>" for label in (_("Date"), _("Evidence"), _("Artifact"), _("Practices"), _("Where"))
        )
        + f"</tr></thead><tbody>{body}</tbody></table></section>"
    )


class EngineMissing(Exception):
    """WeasyPrint, the PDF engine, is not installed."""


@contextmanager
def _quiet_engine() -> Iterator[None]:
    """WeasyPrint logs each refused URL and each unsupported CSS property as a warning: not the user's concern."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def render_pdf(document: str) -> bytes:
    """Lay ``document`` out as a PDF, fetching nothing (every URL is refused)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # not installed, or Pango missing from the system
        raise EngineMissing(str(error)) from None

    class Refuse(URLFetcher):  # type: ignore[misc]
        """Fetch nothing: the paper edition is made from the checked text alone."""

        def fetch(self, url: str, headers: object = None) -> object:
            raise ValueError(f"not fetched: {url[:80]}")

    with _quiet_engine():
        pdf: bytes = HTML(string=document, url_fetcher=Refuse()).write_pdf()
    return pdf
