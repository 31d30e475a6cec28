"""Tables that become cards on a phone: each cell says which column it is.

A table of the site (the matrix, a level's practices, the owners, the gaps) is wider than a phone's
screen, and the theme lets it scroll sideways with no sign that it does, so a manager never sees the
status or the owner at the end of a row. :func:`label_cells` marks every table that has a header row
(``data-pp-cards``) and gives each cell its column's header as ``data-label``; the stylesheet
(``assets/pptoolkit/pptoolkit.css``) shows such tables as cards on narrow screens, each value after its
label, and as tables everywhere else. Explicit ARIA roles keep them tables for screen readers when
they are laid out as blocks.

It reads the HTML the sanitizer has just written (lower-case tags, attributes in double quotes), with
string searches that take linear time whatever the page holds.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^<>]*>")  # stops at the next '<': linear time
_HEADER_CELL = re.compile(r"<th(?=[\s>])")  # a <th>, never the <thead> around it
_ROW = re.compile(r"<tr(?=[\s>])")  # a row, with attributes or not (<tr class="odd">), never a <track>
_CELL = re.compile(r"<t([dh])(?=[\s>])")  # a body cell: data, or a row's header (<th scope="row">)


def _text(fragment: str) -> str:
    """The text of an HTML fragment, its tags removed and its character references decoded."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _headers(head: str) -> list[str]:
    """The text of each ``<th>`` of a header row."""
    return [_text(part[part.find(">", part.rfind("<th")) + 1 :]) for part in head.split("</th>")[:-1]]


def _cells(body: str, headers: list[str]) -> str:
    """``body`` (a ``<tbody>``) with each cell labelled by its column's header, and ARIA roles.

    A cell is a ``<td>`` or a row's own header (``<th scope="row">``), counted alike, so that the
    cells after a row header keep their columns' labels.
    """
    rows = _ROW.split(body)
    labelled = [rows[0]]
    for row in rows[1:]:
        column = 0

        def label(cell: re.Match[str]) -> str:
            nonlocal column
            name = headers[column] if column < len(headers) else ""
            column += 1
            role = "cell" if cell.group(1) == "d" else "rowheader"
            return f'{cell.group()} role="{role}" data-label="{html.escape(name, quote=True)}"'

        labelled.append('<tr role="row"' + _CELL.sub(label, row))
    return "".join(labelled)


def _table(inner: str) -> str:
    """One table's content, labelled when it has one header row and no table inside it."""
    head_start, head_end = inner.find("<thead>"), inner.find("</thead>")
    if "<table" in inner or head_start == -1 or head_end == -1:
        return "<table>" + inner + "</table>"
    head = inner[head_start:head_end]
    headers = _headers(head)
    head = _ROW.sub('<tr role="row"', head)
    head = _HEADER_CELL.sub('<th role="columnheader"', head)
    return (
        '<table role="table" data-pp-cards="">'
        + inner[:head_start]
        + head
        + _cells(inner[head_end:], headers)
        + "</table>"
    )


def label_cells(document: str) -> str:
    """``document`` (sanitized HTML) with every table that has a header row made ready to be cards."""
    parts = []
    position = 0
    while (start := document.find("<table>", position)) != -1:
        end = document.find("</table>", start)
        if end == -1:
            break
        parts.append(document[position:start])
        parts.append(_table(document[start + len("<table>") : end]))
        position = end + len("</table>")
    parts.append(document[position:])
    return "".join(parts)
