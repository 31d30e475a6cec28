"""One page per artifact: its fields, its body (checked and sanitized), edit links; and their index."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from pydantic import BaseModel

from pptoolkit.authoring.cms import ADMIN_DIR, entry_url, host_edit_url
from pptoolkit.checking.checker import Result
from pptoolkit.checking.html_safety import neutralize
from pptoolkit.checking.privacy import is_small_cell
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact
from pptoolkit.loading.translations import is_multilingual, language_of
from pptoolkit.model.artifacts import KINDS, Artifact, Indicator, QIProject, Rate
from pptoolkit.publishing.pages.common import (
    FIELD_LABELS,
    LEVEL_TAGS,
    Page,
    artifact_path,
    artifact_status,
    esc,
    front_matter,
    level_title,
    link,
    practice_path,
    practice_title,
    rate_unit,
    relative_url,
    role_link,
    table,
)
from pptoolkit.publishing.pages.practices import evidence_destination, evidence_link
from pptoolkit.reading.documents import markup_overload
from pptoolkit.reading.links import replace_link_targets


def artifact_table(result: Result, page: str, artifacts: list[LoadedArtifact]) -> str:
    if not artifacts:
        return _("No artifact.") + "\n"
    rows = [
        [
            link(page, artifact_path(a.model.id), a.model.title),
            esc(_(type(a.model).kind_title)),
            esc(artifact_status(a.model.status)),
            fmt.long_date(a.model.review_by),
            ", ".join(link(page, practice_path(p), p) for p in a.model.implements if result.coverage_of(p)) or "—",
        ]
        for a in sorted(artifacts, key=lambda a: a.model.title.casefold())
    ]
    return table([_("Artifact"), _("Kind"), _("Status"), _("Review by"), _("Practices")], rows)


def _safe_body(result: Result, artifact: LoadedArtifact, page: str, fields: list[Field]) -> tuple[str, list[Field]]:
    """The artifact's body without its first `#` title, unsafe raw HTML shown as text, links re-pointed, and
    ``fields`` placed under the sections they name; with the fields left to show above it."""
    document = artifact.document
    if markup_overload(document.body, result.playbook.settings.limits) is not None:
        # Over a markup limit (PP110): Python-Markdown would take minutes; shown as it is written, as text.
        return f"<pre>{html.escape(document.body)}</pre>\n", fields
    body = without_title(neutralize(document.body, list(document.html), first_line=document.body_line))
    return place_fields(replace_link_targets(body, lambda target: _repoint(result, artifact, page, target)), fields)


def without_title(body: str) -> str:
    """A body without its first `#` heading when that is its first line of text: the page shows the title."""
    lines = body.split("\n")
    for index, text in enumerate(lines):
        if text.startswith("# "):
            del lines[index]
            break
        if text.strip():
            break
    return "\n".join(lines)


def _repoint(result: Result, artifact: LoadedArtifact, page: str, target: str) -> str:
    if target.startswith("#"):
        return target
    destination = evidence_destination(result, artifact.path, target)
    if destination is None:
        return "#"
    if "://" in destination:
        return target
    return relative_url(page, destination)


def _label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ").capitalize()


def _value(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return fmt.long_date(value)
    if isinstance(value, float):
        return fmt.number(value)
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):  # a list inside a table cell: words, not a Python repr
        return ", ".join(_value(v) for v in value) or "—"
    return esc(value)


def _shown_fields(item: BaseModel) -> list[str]:
    """The fields of a table's item that the page shows: a currency is in its amounts ("62 000 $")."""
    names = list(type(item).model_fields)
    if "amount" in names and "currency" in names:
        names.remove("currency")
    return names


def _row(item: BaseModel, threshold: int) -> list[str]:
    cells = []
    for name in _shown_fields(item):
        value = getattr(item, name)
        if isinstance(item, Indicator) and name == "value" and is_small_cell(value, item.unit, threshold):
            cells.append(f"&lt; {threshold}")
        elif isinstance(item, Indicator) and name == "value" and value is not None and item.unit.strip() == "%":
            cells.append(fmt.percent(value))
        elif name == "amount" and isinstance(value, float) and isinstance(getattr(item, "currency", None), str):
            cells.append(fmt.money(value, getattr(item, "currency", "")))
        elif name == "unit" and isinstance(item, Rate):
            cells.append(rate_unit(value))
        else:
            cells.append(_value(value))
    return cells


@dataclass(frozen=True)
class Field:
    """One field of an artifact's kind as its page shows it: its label, and its value as Markdown."""

    label: str
    value: str
    block: bool
    """True for a table or a list (shown under its label), False for a value shown after it on one line."""

    def markdown(self) -> str:
        """The field under (or after) its label in bold."""
        return f"**{self.label}**\n\n{self.value}" if self.block else f"**{self.label}**: {self.value}\n"


def kind_fields(artifact: LoadedArtifact, threshold: int) -> list[Field]:
    """The fields of the artifact's kind (rates, principles, goals, indicators ...), small cells suppressed."""
    model = artifact.model
    fields = []
    for name in type(model).model_fields:
        if name in Artifact.model_fields:
            continue
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            columns = [_label(n) for n in _shown_fields(value[0])]
            fields.append(Field(_label(name), table(columns, [_row(item, threshold) for item in value]), True))
        elif isinstance(value, BaseModel):
            rows = [[_label(k), cell] for k, cell in zip(_shown_fields(value), _row(value, threshold), strict=True)]
            fields.append(Field(_label(name), table([_("Field"), _("Value")], rows), True))
        elif isinstance(value, list):
            items = "\n".join(f"- {_value(v)}" for v in value) + "\n" if value else "—\n"
            fields.append(Field(_label(name), items, True))
        elif isinstance(model, QIProject) and name == "advisors" and is_small_cell(value, "", threshold):
            # A count of people beside a named team: published in aggregate only, as an indicator's is.
            fields.append(Field(_label(name), f"&lt; {threshold}", False))
        else:
            fields.append(Field(_label(name), _value(value), False))
    return fields


def _fields_block(fields: list[Field]) -> str:
    if not fields:
        return ""
    return '<div class="pp-details" markdown>\n\n' + "\n".join(f.markdown() for f in fields) + "\n</div>\n"


def details(artifact: LoadedArtifact, threshold: int) -> str:
    """The fields of the artifact's kind (rates, principles, goals, indicators ...), small cells suppressed."""
    return _fields_block(kind_fields(artifact, threshold))


_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


def _section_title(line: str) -> str:
    """The title of a ``##`` heading (without its attribute list or closing hashes); "" for any other line.

    String operations, not a regular expression: a heading of 100,000 braces costs no backtracking."""
    if not line.startswith(("## ", "##\t")):
        return ""
    title = line[2:].strip()
    if title.endswith("}") and "{" in title:
        title = title[: title.rindex("{")].rstrip()
    return title.rstrip("#").strip()


def place_fields(body: str, fields: list[Field]) -> tuple[str, list[Field]]:
    """The body with each field whose label is one of its ``##`` headings shown under that heading, rather than
    twice (once among the fields, once as the organization's section); and the fields left to show above it."""
    by_label = {f.label.casefold(): f for f in fields}
    lines = body.split("\n")
    placed: set[str] = set()
    fence = ""
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1) == fence):
            fence = "" if fence else opened.group(1)
            continue
        key = "" if fence else _section_title(line).casefold()
        if key in by_label and key not in placed:
            placed.add(key)
            field = by_label[key]
            shown = field.value if field.block else field.value + "\n"
            lines[index] = f'{line}\n\n<div class="pp-details" markdown>\n\n{shown}\n</div>\n'
    return "\n".join(lines), [f for f in fields if f.label.casefold() not in placed]


def artifact_page(result: Result, artifact: LoadedArtifact, language: str | None = None) -> Page:
    """One artifact: a metadata panel (kind, owner, status, dates, practices, evidence) above its body.

    ``language`` is the page's (default: the playbook's); a body in another language says which (WCAG 3.1.2).
    """
    model = artifact.model
    page = artifact_path(model.id)
    role = result.playbook.roles.get(model.owner)
    level = role.model.level if role else None
    tags = [model.kind, model.status, *([LEVEL_TAGS[level]] if level else [])]
    owner = role_link(result, page, model.owner)
    practices = ", ".join(
        link(page, practice_path(p), f"{p}: {practice_title(c.practice)}") if (c := result.coverage_of(p)) else esc(p)
        for p in model.implements
    )
    meta = [
        [_("Kind"), esc(_(type(model).kind_title))],
        [_("Owner"), owner + (f" ({level_title(level)})" if level else "")],
        [_("Status"), esc(artifact_status(model.status))],
        [_("Approved on"), fmt.long_date(model.approved_on) if model.approved_on else "—"],
        [_("Review by"), fmt.long_date(model.review_by)],
        [_("Practices implemented"), practices or _("— (supporting document)")],
    ]
    if model.approved_by:
        meta.insert(4, [_("Approved by"), role_link(result, page, model.approved_by)])
    if model.co_constructed_with:
        meta.append(
            [_("Co-constructed with"), ", ".join(role_link(result, page, r) for r in model.co_constructed_with)]
        )
    if model.engagement is not None:
        meta.append(
            [
                _("Engagement"),
                _("{achieved} achieved (target: {target})").format(
                    achieved=esc(model.engagement.achieved), target=esc(model.engagement.target)
                ),
            ]
        )
    evidence = [
        [
            fmt.long_date(item.date),
            evidence_link(result, page, artifact.path, item.link, item.title)
            + (
                " — "
                + _("signed by {roles}").format(roles=", ".join(role_link(result, page, r) for r in item.signed_by))
                if item.signed_by
                else ""
            ),
        ]
        for item in model.evidence
    ]
    parts = [
        front_matter(model.title, tags),
        f"# {esc(model.title)}\n",
        # Out of the search index: a result's snippet starts with the page's own text, not "Field Value Kind".
        '<div class="pp-meta" markdown data-search-exclude>\n\n' + table([_("Field"), _("Value")], meta) + "\n</div>\n",
    ]
    editing = edit_links(result, artifact, page, language)
    if editing:
        parts.append(editing)
    parts.append(
        # A block of raw HTML, which Markdown leaves as it is: escaped for HTML only. Out of the search index,
        # as the metadata panel is: a result's snippet starts with the page's own text.
        '<div data-search-exclude><details class="pp-editors"><summary>'
        + html.escape(_("For editors"))
        + "</summary>"
        + html.escape(_("Source file: {path}")).format(path=f"<code>{html.escape(artifact.path)}</code>")
        + "</details></div>\n"
    )
    if model.summary:
        parts.append(f"*{esc(model.summary)}*\n")
    settings = result.playbook.settings
    fields = kind_fields(artifact, settings.privacy.small_cell_threshold)
    written_in = language_of(artifact.path, settings) if is_multilingual(settings) else model.lang
    in_page_language = written_in == (language or settings.default_language)
    # Under the body's own sections when they name them, in the page's language; the others above the body.
    body, left = _safe_body(result, artifact, page, fields if in_page_language else [])
    parts.append(_fields_block(left if in_page_language else fields))
    if evidence:
        parts.append(
            '<div class="pp-meta" markdown>\n\n**'
            + _("Evidence")
            + "**\n\n"
            + table([_("Date"), _("Evidence")], evidence)
            + "\n</div>\n"
        )
    if not in_page_language:
        parts.append(f'<div lang="{esc(written_in)}" markdown>\n\n{body}\n</div>\n')
    else:
        parts.append(body)
    return Page(page, "\n".join(parts) + "\n")


def edit_links(result: Result, artifact: LoadedArtifact, page: str, language: str | None = None) -> str:
    """The links to edit an artifact: its form in the editor, then the Git host's own editor ("" without an editor).

    The editor is at the site's root: from another language's tree (``en/``), one folder further up,
    outside the files MkDocs builds that tree from. So the link is raw HTML, which MkDocs leaves unvalidated
    (a Markdown link would be "not found among documentation files" and fail a strict build); it is relative,
    so that it works from ``file://`` and under any address.
    """
    editor = result.playbook.settings.editor
    if editor is None:
        return ""
    host = "GitLab" if editor.backend == "gitlab" else "GitHub"
    links = []
    entry = entry_url(result.playbook, artifact.path)
    if entry is not None:
        up = "" if language in (None, result.playbook.settings.default_language) else "../"
        admin = up + relative_url(page, f"{ADMIN_DIR}/index.html")
        in_editor = html.escape(_("in the editor"))
        links.append(f'<a href="{html.escape(admin + quote(entry, safe="#/"))}">{in_editor}</a>')
    on_host = esc(_("on {host}").format(host=host))
    links.append(f"[{on_host}](<{quote(host_edit_url(editor, artifact.path), safe=':/')}>)")
    return '<p class="pp-edit" markdown>**' + esc(_("Edit this page:")) + "** " + " · ".join(links) + "</p>\n"


def artifacts_index(result: Result) -> Page:
    """Every artifact, grouped by kind: the navigation lists this page, not each artifact."""
    page = "artifacts/index.md"
    title = _("Policies and artifacts")
    parts = [front_matter(title), f"# {title}\n"]
    for kind, model in KINDS.items():
        of_kind = [a for a in result.playbook.artifacts if a.model.kind == kind]
        if of_kind:
            parts.append(f"## {esc(_(model.kind_title))}\n")
            parts.append(artifact_table(result, page, of_kind))
    return Page(page, "\n".join(parts))
