"""The quick, line-by-line reading of plain artifacts agrees with markdown-it-py's.

``quick_structure`` skips markdown-it for artifacts without raw HTML, fences or
setext headings (see the README's "Performance"); whenever it answers, its answer
must be the parser's. Hypothesis writes artifacts from lines that editors write
and lines that change the block structure around them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pptoolkit.model.settings import Limits
from pptoolkit.reading.documents import (
    FileProblem,
    markdown_html,
    parse_markdown,
    parsed_structure,
    quick_structure,
    read_file,
    read_text,
    split_lines,
    text_digest,
)

EXAMPLES = 2000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 300

FRONT_LINES = [
    "id: vision",
    "kind: vision",
    "title: 'Our vision'",
    "evidence:",
    "  - title: Minutes",
    "---",
    "----",
    "  ---",
    "...",
    "--- ",
    "",
    "a: [1, 2]",
    "    ---",
    "-",
    "- - -",
]
BODY_LINES = [
    "", "# Vision", "## Purpose", "### Details ###", "## Trailing  ", "#hashtag", "####### seven", "## a # b",
    "##", "# \x0cform feed", "  # indented", "    # code", "- # in a list", "1. ## numbered", "> quote",
    "> # quoted heading", "- > # nested", "Some text.", "More text with [a link](../evidence/x.md).",
    "Title", "===", "---", "- - -", "***", "- item", "  continued", "* other", "```", "~~~", "    indented code",
    "<b>bold</b>", "<!-- comment -->", "a <span>tag</span>", "[ref]: /url 'title", "# closes'", "\tTabbed",
    "text\twith tab", "- ", "+ plus", "2) item", "- ```", "# Foo\u00a0", "## \u3000Bar", "# Baz\u2028",
]  # fmt: skip


PLAIN_LINES = ["", "# Vision", "## Purpose", "Some text.", "- item", "  continued", "1. first", "Text [a](b.md)."]


@st.composite
def artifacts(draw: st.DrawFn) -> str:
    front = draw(st.lists(st.sampled_from(FRONT_LINES), max_size=6))
    tricky = st.sampled_from(BODY_LINES) | st.text(alphabet="#-=> a1.`~<\t\r", max_size=8)
    body = draw(st.lists(st.sampled_from(PLAIN_LINES) | tricky, max_size=8))
    ending = draw(st.sampled_from(["\n", "", "\r\n"]))
    return ending.join(["---", *front, "---", *body]) + ending


@settings(max_examples=EXAMPLES, deadline=None)
@given(artifacts())
def test_the_quick_reading_agrees_with_markdown_it(text: str) -> None:
    lines = split_lines(text)
    quick = quick_structure(text)
    parsed = parsed_structure(text, lines)
    if quick is not None and quick.front_matter is None:
        assert parsed.front_matter is None  # unclosed: all that matters then
    elif quick is not None:
        assert quick == parsed


@settings(max_examples=EXAMPLES, deadline=None)
@given(artifacts())
def test_an_artifacts_body_is_its_lines_after_the_front_matter_joined(text: str) -> None:
    try:
        document = parse_markdown(text, "policies/a.md", Limits())
    except FileProblem:
        return
    assert document.body == "\n".join(split_lines(text)[document.body_line - 1 :])


@pytest.mark.parametrize("line", BODY_LINES)
@pytest.mark.parametrize("before", ["", "Some text.", "- item"])
def test_each_line_alone_is_read_as_markdown_it_reads_it(before: str, line: str) -> None:
    text = f"---\nid: a\n---\n\n{before}\n{line}\n\n## After\n"
    quick = quick_structure(text)
    if quick is not None:
        assert quick == parsed_structure(text, split_lines(text))


def test_plain_artifacts_are_read_without_the_parser() -> None:
    text = "---\nid: a\nevidence:\n  - title: x\n---\n\n# A\n\n## Purpose\n\nText.\n\n- item\n  more\n"
    quick = quick_structure(text)
    assert quick is not None
    assert [(h.level, h.text, h.line) for h in quick.headings] == [(1, "A", 7), (2, "Purpose", 9)]
    assert quick.front_matter == "id: a\nevidence:\n  - title: x"


def test_a_document_without_its_front_matter_values_keeps_everything_else() -> None:
    import dataclasses

    text = "---\nid: a\ntitle: T\n---\n\n# A\n\nSee [x](../evidence/x.md) and <b>this</b>.\n"
    document = parse_markdown(text, "policies/a.md", Limits())
    located = document.without_front_matter_values()
    assert located.front_matter.value is None and document.front_matter.value == {"id": "a", "title": "T"}
    assert located.front_matter.mark(("title",)) == document.front_matter.mark(("title",)) == (3, 1)
    fields = [field.name for field in dataclasses.fields(document) if field.name != "front_matter"]
    assert document.links and document.html and document.headings
    assert [getattr(located, name) for name in fields] == [getattr(document, name) for name in fields]


def test_a_heading_under_a_setext_underline_is_left_to_the_parser() -> None:
    text = "---\nid: a\n---\nPurpose\n---\n"
    assert quick_structure(text) is None
    document = parse_markdown(text, "policies/a.md", Limits())
    assert [(h.level, h.text) for h in document.headings] == [(2, "Purpose")]


def test_pages_without_a_tag_have_no_raw_html() -> None:
    assert markdown_html("# Minutes\n\n2 < 3 is not a tag\n") == []
    assert markdown_html("# Minutes\n\nplain text only\n") == []
    assert [f.content for f in markdown_html("text <b>bold</b>\n")] == ["<b>", "</b>"]


@pytest.mark.parametrize("closing", ["----", "-----"])
def test_front_matter_closed_by_another_line_than_three_dashes_is_reported_not_closed(closing: str) -> None:
    """markdown-it accepts these closing lines; the checker asks for '---' (or '...') and says so."""
    with pytest.raises(FileProblem) as caught:
        parse_markdown(f"---\nid: a\n{closing}\n# Title\n", "policies/a.md", Limits())
    assert caught.value.diagnostic.code == "PP103"
    assert caught.value.diagnostic.message == "the front matter block is not closed by a line '---'"


def test_a_file_is_read_whole_as_utf8_without_its_bom(tmp_path: Path) -> None:
    long_text = "---\nid: a\n---\n" + "Une ligne en français, écrite pour être lue.\n" * 3000  # more than one read
    (tmp_path / "long.md").write_text("\ufeff" + long_text, encoding="utf-8")
    (tmp_path / "empty.md").write_bytes(b"")
    assert read_text(tmp_path / "long.md", "long.md", Limits()) == long_text
    assert read_text(str(tmp_path / "empty.md"), "empty.md", Limits()) == ""


@pytest.mark.parametrize(
    "written",
    ["", "---\nid: a\n---\n", "\ufeff---\ntitle: Été\n", "\ufeff\ufeffdeux marques", "a\r\nb\u2028c 🙂\n"],
)
def test_a_files_digest_is_the_digest_of_its_text_as_read(tmp_path: Path, written: str) -> None:
    """``read_file`` hashes the bytes read, not the text encoded again: the same digest, a byte order mark left out."""
    (tmp_path / "file.md").write_text(written, encoding="utf-8", newline="")
    read = read_file(tmp_path / "file.md", "file.md", Limits())
    assert read.text == read_text(tmp_path / "file.md", "file.md", Limits()) == written.removeprefix("\ufeff")
    assert read.digest == text_digest(read.text)
    assert read.status.st_size == len(written.encode("utf-8"))


@pytest.mark.parametrize(
    ("name", "rule", "message"),
    [
        ("big.md", "PP105", "the file is 2,001 bytes; the limit is 2,000 bytes"),
        ("folder.md", "PP109", "cannot be read: Is a directory"),
        ("missing.md", "PP109", "cannot be read: No such file or directory"),
        ("latin1.md", "PP101", "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    ],
)
def test_a_file_that_cannot_be_used_is_a_located_problem(tmp_path: Path, name: str, rule: str, message: str) -> None:
    (tmp_path / "big.md").write_bytes(b"x" * 2001)
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "latin1.md").write_bytes("---\ntitle: \u00e9\n".encode("latin-1"))
    with pytest.raises(FileProblem) as raised:
        read_text(tmp_path / name, name, Limits(max_file_bytes=2000))
    assert (raised.value.diagnostic.code, raised.value.diagnostic.path, raised.value.diagnostic.message) == (
        rule,
        name,
        message,
    )


def test_headings_read_before_are_found_again_at_their_own_lines() -> None:
    """Artifacts of a kind share their sections: each artifact still gets its own lines, and the parser's answer."""
    first = "---\nid: a\n---\n\n# Titre\n\n## Objet\n\nTexte.\n\n## Portée\n"
    second = "---\nid: b\nkind: x\n---\n# Titre\n\nUn paragraphe.\n\nEncore.\n\n## Objet\n## Portée\n"
    for text in (first, second, first, second):
        quick = quick_structure(text)
        assert quick is not None
        assert quick.headings == parsed_structure(text, split_lines(text)).headings
    assert [(h.text, h.line) for h in quick.headings] == [("Titre", 5), ("Objet", 11), ("Portée", 12)]
    for _ in range(2):  # a closing sequence is markdown-it's to read, the second time too
        assert quick_structure(second + "## Objet #\n") is None


@pytest.mark.parametrize(
    ("body", "quick"),
    [
        ("Use `pptoolkit check` ~ daily.\n", True),  # one backtick, one tilde: no fence
        ("``two`` and ~~struck~~\n", True),
        ("```\ncode\n```\n", False),  # fences are markdown-it's to read
        ("~~~\ncode\n~~~\n", False),
        ("Text.\n\n    ```\n", False),
    ],
)
def test_only_a_text_with_a_fence_is_left_to_the_parser(body: str, quick: bool) -> None:
    text = "---\nid: a\n---\n# Title\n\n" + body
    found = quick_structure(text)
    assert (found is not None) is quick
    if found is not None:
        assert found.headings == parsed_structure(text, split_lines(text)).headings


@pytest.mark.parametrize("text", ["", "\n", " \t\n", "\u00a0\u2003\n\u3000"])
def test_a_text_of_spaces_is_an_empty_file(text: str) -> None:
    with pytest.raises(FileProblem) as raised:
        parse_markdown(text, "policies/a.md", Limits())
    assert (raised.value.diagnostic.code, raised.value.diagnostic.message) == (
        "PP102",
        "the file is empty; an artifact needs front matter",
    )
