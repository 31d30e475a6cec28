"""Tables that become cards on a phone (`pptoolkit/publishing/cards.py`): each cell names its column."""

from __future__ import annotations

from html.parser import HTMLParser

from pptoolkit.checking.html_safety import sanitize_html
from pptoolkit.publishing.cards import label_cells

TABLE = (
    "<table>\n<thead>\n<tr>\n<th>Id</th>\n<th>Owner &amp; &quot;deputy&quot;</th>\n<th>Status</th>\n</tr>\n</thead>\n"
    '<tbody>\n<tr>\n<td><a href="practices/D1.html">D1</a></td>\n<td>Director</td>\n<td>Covered</td>\n</tr>\n'
    "<tr>\n<td>S3</td>\n<td>—</td>\n<td>Missing</td>\n</tr>\n</tbody>\n</table>"
)


class Cells(HTMLParser):
    """Each element's tag and attributes, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def parsed(document: str) -> list[tuple[str, dict[str, str | None]]]:
    reader = Cells()
    reader.feed(document)
    return reader.elements


def test_every_cell_is_labelled_with_its_columns_header_and_the_table_keeps_its_structure() -> None:
    elements = parsed(label_cells(sanitize_html(TABLE)))
    assert [tag for tag, _ in elements] == [
        "table", "thead", "tr", "th", "th", "th", "tbody", "tr", "td", "a", "td", "td", "tr", "td", "td", "td",
    ]  # fmt: skip
    labels = [attrs["data-label"] for tag, attrs in elements if tag == "td"]
    assert labels == ["Id", 'Owner & "deputy"', "Status"] * 2
    assert elements[0][1] == {"role": "table", "data-pp-cards": ""}
    assert {attrs.get("role") for tag, attrs in elements if tag == "th"} == {"columnheader"}
    assert {attrs.get("role") for tag, attrs in elements if tag == "tr"} == {"row"}


def test_a_header_cannot_break_out_of_its_label() -> None:
    hostile = TABLE.replace("<th>Status</th>", '<th>"&gt;&lt;img src=x onerror=alert(1)&gt;</th>')
    elements = parsed(label_cells(sanitize_html(hostile)))
    assert [tag for tag, _ in elements].count("img") == 0
    assert [attrs["data-label"] for tag, attrs in elements if tag == "td"][2] == '"><img src=x onerror=alert(1)>'


def test_tables_without_a_header_row_or_with_a_table_inside_are_left_as_they_are() -> None:
    plain = "<table>\n<tbody>\n<tr>\n<td>a</td>\n</tr>\n</tbody>\n</table>"
    nested = f"<table><tbody><tr><td>{TABLE}</td></tr></tbody></table>"
    assert label_cells(plain) == plain
    assert 'data-label="Id"' not in label_cells(nested).split("<table>", 2)[1]
    assert label_cells("<p>no table</p><table><thead>") == "<p>no table</p><table><thead>"


def test_a_long_table_and_unclosed_tables_are_labelled_in_one_pass() -> None:
    row = "<tr>\n<td>x</td>\n<td>y</td>\n</tr>\n"
    document = TABLE.replace("</tbody>", row * 20_000 + "</tbody>") + "<table>" * 20_000
    labelled = label_cells(document)
    assert labelled.count('data-label="Owner &amp; &quot;deputy&quot;"') == 20_002
    assert labelled.endswith("<table>" * 20_000)


def test_a_row_header_and_rows_with_attributes_keep_every_cells_label() -> None:
    """<th scope="row"> counts as a cell of its row, and <tr class=...> is a row: no label shifts."""
    table = (
        '<table><thead><tr class="head"><th>Id</th><th>Owner</th><th>Status</th></tr></thead><tbody>'
        '<tr class="odd"><th scope="row">D1</th><td>Director</td><td>Covered</td></tr>'
        "<tr><td>S3</td><td>Coordinator</td><td>Missing</td></tr></tbody></table>"
    )
    elements = parsed(label_cells(sanitize_html(table)))
    cells = [(tag, attrs.get("data-label"), attrs.get("role")) for tag, attrs in elements if tag in ("td", "th")]
    assert cells[3:] == [
        ("th", "Id", "rowheader"), ("td", "Owner", "cell"), ("td", "Status", "cell"),
        ("td", "Id", "cell"), ("td", "Owner", "cell"), ("td", "Status", "cell"),
    ]  # fmt: skip
    rows = [attrs for tag, attrs in elements if tag == "tr"]
    assert [row.get("role") for row in rows] == ["row"] * 3
    assert [row.get("class") for row in rows] == ["head", "odd", None]
