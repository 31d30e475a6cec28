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


def _text(fragment: str) -> str:
    """The text of an HTML fragment, its tags removed and its character references decoded."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _headers(head: str) -> list[str]:
    """The text of each ``<th>`` of a header row."""
    return [_text(part[part.find(">", part.rfind("<th")) + 1 :]) for part in head.split("</th>")[:-1]]


def _cells(body: str, headers: list[str]) -> str:
    """``body`` (a ``<tbody>``) with each ``<td`` labelled by its column's header, and ARIA roles."""
    rows = body.split("<tr>")
    labelled = [rows[0]]
    for row in rows[1:]:
        cells = row.split("<td")
        for index in range(1, len(cells)):
            label = headers[index - 1] if index - 1 < len(headers) else ""
            cells[index] = f' role="cell" data-label="{html.escape(label, quote=True)}"' + cells[index]
        labelled.append('<tr role="row">' + "<td".join(cells))
    return "".join(labelled)


def _table(inner: str) -> str:
    """One table's content, labelled when it has one header row and no table inside it."""
    head_start, head_end = inner.find("<thead>"), inner.find("</thead>")
    if "<table" in inner or head_start == -1 or head_end == -1:
        return "<table>" + inner + "</table>"
    head = inner[head_start:head_end]
    headers = _headers(head)
    head = head.replace("<tr>", '<tr role="row">')
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
