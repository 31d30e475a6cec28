"""What the Markdown renderer makes of a page never runs: the site's last line of defence, and HTML evidence."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

import nh3
import pytest
from hardening_support import (
    LOGIC_MODEL,
    TODAY,
    VISION,
    dangerous_urls,
    line_of,
    no_hang,
    of,
    page_facts,
    set_options,
    small_playbook_copy,
    write,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from unsafe_html_support import ATTRIBUTE_LISTS, INJECTIONS, TRACKER, Injection, what_runs_or_loads

from pptoolkit.checking.checker import Result, check
from pptoolkit.checking.html_safety import EVERY_TAG, find_unsafe, sanitize_html, sanitize_svg, unsafe_attribute_lists
from pptoolkit.publishing.build import BuildOptions, build_site


@pytest.mark.parametrize("case", INJECTIONS, ids=[case.name for case in INJECTIONS])
def test_the_sanitizer_keeps_nothing_that_runs_or_loads(case: Injection) -> None:
    assert what_runs_or_loads(sanitize_html(case.html)) == []


@pytest.mark.parametrize("case", INJECTIONS, ids=[case.name for case in INJECTIONS])
def test_pp701_reports_what_the_sanitizer_removes_where_it_is_written(case: Injection) -> None:
    text = f"<p>Report</p>\n<p>Second line</p>\n  {case.html}\n"
    found = find_unsafe(text)
    assert found, case.html
    assert (found[0].line, found[0].column) == line_of(text, case.marker)


@pytest.mark.parametrize("case", INJECTIONS, ids=[case.name for case in INJECTIONS])
def test_pp701_locates_each_case_in_an_html_evidence_file_and_an_artifact_body(tmp_path: Path, case: Injection) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    evidence = write(root, "evidence/report.html", f"<p>Report</p>\n{case.html}\n").read_text(encoding="utf-8")
    _add_evidence(root, "Report", "../evidence/report.html")
    _append(root, VISION, f"\nA paragraph.\n\n{case.html}\n")
    body = (root / VISION).read_text(encoding="utf-8")
    result = check(root, TODAY)
    [first, *_] = of(result, "PP701", "evidence/report.html")
    assert (first.line, first.column) == line_of(evidence, case.marker)
    [first, *_] = of(result, "PP701", VISION)
    assert first.line == line_of(body, case.marker)[0]
    assert "not allowed" in first.message


@pytest.mark.parametrize("case", INJECTIONS, ids=[case.name for case in INJECTIONS])
def test_pp701_locates_each_case_in_a_content_page_and_a_markdown_evidence_file(
    tmp_path: Path, case: Injection
) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    for relative in ("content/tags.md", "evidence/minutes.md"):
        _append(root, relative, f"\nA paragraph.\n\n{case.html}\n")
    result = check(root, TODAY)
    for relative in ("content/tags.md", "evidence/minutes.md"):
        text = (root / relative).read_text(encoding="utf-8")
        [first, *_] = of(result, "PP701", relative)
        assert first.line == line_of(text, case.marker)[0], relative


@pytest.mark.parametrize("case", ATTRIBUTE_LISTS, ids=[case.name for case in ATTRIBUTE_LISTS])
def test_pp701_reports_an_attribute_list_that_the_sanitizer_empties(tmp_path: Path, case: Injection) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _append(root, VISION, f"\n{case.html}\n\n`{{: style=x }}` in code is fine.\n")
    body = (root / VISION).read_text(encoding="utf-8")
    found = of(check(root, TODAY), "PP701", VISION)
    assert [(d.line, d.column) for d in found] == [line_of(body, case.marker)]


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="scope">Scope<a class="headerlink" href="#scope" title="Permanent link">¶</a></h2>',
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        '<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>',
        '<pre><code class="language-yaml">id: x</code></pre>',
        '<p><abbr title="Patient advisor">PA</abbr>, <a href="../files/evidence/minutes.html">minutes</a>, '
        '<a href="https://www.example.org/report">a report</a>, <img alt="chart" src="chart.png"></p>',
        '<svg class="pp-bar" viewBox="0 0 100 4" width="100%" role="img" aria-label="25 of 25 covered">'
        '<title>25 of 25</title><rect class="pp-fill-covered" x="0" y="0" width="100" height="4"></rect></svg>',
    ],
    ids=["heading-permalink", "table", "admonition", "code-class", "abbr-links-image", "svg-bar"],
)
def test_the_sanitizer_keeps_what_the_site_needs(html: str) -> None:
    assert sanitize_html(html) == html
    assert find_unsafe(html) == []


def test_sanitize_svg_gives_a_well_formed_svg_with_shapes_only() -> None:
    svg = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
        f'<script>alert(2)</script><image href="{TRACKER}/i.png"/><a href="javascript:alert(3)"><rect width="5"'
        ' height="5" fill="red"/></a><text x="1" y="9">a&#160;b</text></svg>'
    )
    cleaned = sanitize_svg(svg)
    root = ElementTree.fromstring(cleaned)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert [element.tag.split("}")[1] for element in root.iter()] == ["svg", "rect", "text"]
    assert what_runs_or_loads(cleaned) == []
    assert ElementTree.fromstring(sanitize_svg("<p>not an svg</p>")).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.slow  # builds a site
def test_an_html_evidence_file_that_hung_the_build_is_checked_and_built_at_once(tmp_path: Path) -> None:
    """Issue 10: '<a=b=b=...=b "' (23 repeats) in an HTML evidence file took 42 s to build."""
    root = small_playbook_copy(tmp_path / "playbook")
    hostile = "".join("<a" + "=b" * repeats + ' "\n' for repeats in (23, 4_000, 4_000))  # lines within the limit
    write(root, "evidence/report.html", "<p>Report</p>\n" + hostile)
    _add_evidence(root, "Report", "../evidence/report.html")
    with no_hang(60):
        check(root, TODAY)
        site = build_site(BuildOptions(root=root, strict=False))
    published = (site / "files" / "evidence" / "report.html").read_text(encoding="utf-8")
    assert "<p>Report</p>" in published
    assert "=b=b" not in published  # read as browsers read it: an unfinished tag at the end is no tag


@pytest.mark.parametrize("repeats", [23, 20_000])
def test_sanitizing_and_judging_html_take_linear_time(repeats: int) -> None:
    hostile = "<a" + "=b" * repeats + ' "\n' + "<p onclick=x>" * repeats
    attribute_list = "Text\n{: " + 'a="' * repeats + " b=" * repeats + "a" * repeats + " }\n"
    with no_hang(20):
        find_unsafe(hostile)
        sanitize_html(hostile)
        unsafe_attribute_lists(attribute_list)


def _append(root: Path, relative: str, text: str) -> None:
    file = root / relative
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def _add_evidence(root: Path, title: str, link: str) -> None:
    file = root / LOGIC_MODEL
    entry = f"  - title: {title}\n    date: 2026-01-15\n    link: {link}\n"
    file.write_text(file.read_text(encoding="utf-8").replace("evidence:\n", "evidence:\n" + entry, 1), encoding="utf-8")


def _runs(site: Path) -> list[str]:
    found = []
    for page in site.rglob("*.html"):
        facts = page_facts(page.read_text(encoding="utf-8"))
        found += [f"{page.name}: script {s!r}" for s in facts.scripts if "alert" in s]
        found += [f"{page.name}: {h}" for h in facts.handlers]
        found += [f"{page.name}: {u}" for u in dangerous_urls(facts)]
    return found


@pytest.mark.slow  # builds a site
def test_html_that_only_python_markdown_sees_never_runs(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    # markdown-it reads the indented line as code in the list item; Python-Markdown may read it as HTML.
    _append(
        root,
        VISION,
        "\n- item\n\n      <script>alert('list')</script>\n\n[a reference][r]\n\n[r]: javascript:alert(2)\n",
    )
    site = build_site(BuildOptions(root=root, strict=False))
    assert _runs(site) == []


@pytest.mark.slow  # builds a site
def test_an_html_evidence_file_is_checked_and_published_disarmed(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    write(root, "evidence/report.html", "<p>Report</p><script>alert(3)</script><img src=x onerror=alert(4)>\n")
    _add_evidence(root, "Report", "../evidence/report.html")
    found = of(check(root, TODAY), "PP701", "evidence/report.html")
    assert [(d.line, d.column) for d in found] == [(1, 14), (1, 39)]
    site = build_site(BuildOptions(root=root, strict=False))
    published = (site / "files" / "evidence" / "report.html").read_text(encoding="utf-8")
    assert "<p>Report</p>" in published
    assert _runs(site) == []


@pytest.mark.slow  # builds a site
def test_a_javascript_link_in_a_markdown_evidence_file_is_not_clickable(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _append(root, "evidence/minutes.md", "\n[minutes](javascript:alert(5))\n")
    site = build_site(BuildOptions(root=root, strict=False))
    assert _runs(site) == []


@pytest.mark.slow  # builds a site
def test_evidence_that_is_another_artifact_links_to_its_page_in_a_strict_build(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _add_evidence(root, "The vision", "vision.md")
    assert of(check(root, TODAY), "PP304") == []
    site = build_site(BuildOptions(root=root, strict=True))
    page = (site / "artifacts" / "logic-model.html").read_text(encoding="utf-8")
    assert 'href="vision.html"' in page


@pytest.mark.slow  # builds a site
def test_an_upper_case_https_evidence_link_is_shown_as_a_link(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _add_evidence(root, "Upper case", "HTTPS://www.example.org/report")
    site = build_site(BuildOptions(root=root, strict=False))
    page = (site / "artifacts" / "logic-model.html").read_text(encoding="utf-8")
    assert 'href="HTTPS://www.example.org/report"' in page
    assert "link unavailable" not in page


@pytest.mark.slow  # builds a site
def test_an_unquoted_today_in_the_plugin_entry_is_a_date(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert f"today: '{TODAY.isoformat()}'" in text
    config.write_text(text.replace(f"today: '{TODAY.isoformat()}'", f"today: {TODAY.isoformat()}"), encoding="utf-8")
    site = build_site(BuildOptions(root=root, strict=True))
    assert (site / "index.html").is_file()


HTML_PIECES = [
    "<p>", "</p>", "<a href=\"x.md\">", "</a>", "<br>", "<span class=\"pp-badge\">", "</span>", "text", "&amp;",
    "&#x61;", "<", ">", "<!-->", "<!--->", "-->", "<!-- c -->", "<![CDATA[", "]]>", "<?x?>", "<a href=\"https://example.org\">",
    "<img src=\"x.png\">", "<img src=\"//host/x.png\">", "<img src=\"https://h/x.png\">", "<a onclick=\"x()\">",
    "<div title='a > b' onmouseover=y>", "<a href=\"jav&#x61;script:x\">", "<a href=\"java\tscript:x\">",
    "<a href=\"data:text/html,x\">", "<script>", "</script>", "<style>", "</style>", "<noscript>", "</noscript>",
    "<textarea>", "</textarea>", "<title>", "</title>", "<xmp>", "</xmp>", "<svg>", "</svg>", "<math>", "</math>",
    "<mtext>", "<mglyph>", "<image href=x>", "<feImage href=x>", "<rect x=1 fill=\"url(#a)\">", "<rect fill=red>",
    "<g transform=\"scale(2)\">", "<foreignObject>", "<table>", "<tr>", "<td>", "</table>", "<p style=\"color:red\">",
    "<div id=\"__config\">", "<h2 id=\"x\">", "<iframe>", "</iframe>", "<template>", "</template>", "<select>",
    "<option>", "<form>", "<input>", "<plaintext>", "<noembed>", "<desc>", "<b>", "</b>", "<x-y>",
    "<a href=\"foo:bar\">", "<a href=\"mailto:a@b\">", "<img src=\"\\\\h\\x\">", "<abbr title=\"t\">", "\n",
    "<svg><a href=x>",
    "<p title=\"</noscript><img src=x onerror=alert(1)>\">", "<math><mi>", "<table><svg>", "<li value=2>",
]  # fmt: skip
SCHEMES = {"https", "http", "mailto", "javascript", "data", "foo", "x", "h"}


EXAMPLES = 2000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 400


def kept_whole(document: str) -> str:
    """``document`` as nh3 writes it back when it removes nothing (every element, attribute and scheme kept)."""
    from pptoolkit.checking.html_safety import _cleaner_options

    options = _cleaner_options()
    del options["attribute_filter"]
    options |= {"tags": set(EVERY_TAG), "clean_content_tags": set(), "attributes": {}}
    options |= {"generic_attribute_prefixes": {""}, "url_schemes": SCHEMES}
    return nh3.Cleaner(**options).clean(document)  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(alphabet="<>&/\"'= aon:#x;\n!-[]", max_size=6), max_size=12))
@example(['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'])
def test_whatever_the_sanitizer_changes_the_walk_reports(pieces: list[str]) -> None:
    """The checker's walk over the tree (which gives positions) against nh3 itself: never silent when nh3 removes."""
    from pptoolkit.checking.html_safety import _walked

    document = "".join(pieces)
    if sanitize_html(document) != kept_whole(document):
        assert _walked(document), document


PLAIN_PIECES = [
    "<p>", "</p>", "<b>", "</b>", "<em>", "<br>", "<br/>", "<hr />", "text ", "&amp;", "<!-- note -->", "<table>",
    "<td>", "<li value=\"2\">", '<a href="x.md">', '<a href="//host/x">', '<img src="x.png" alt="a">',
    '<img src="//host/x.png">', '<span class="pp-badge" title="t">', '<abbr title="x">', '<p id="__config">',
    "<title>", "</title>", "<textarea>", "<svg>", "<rect>", "<!-->", "<!--->", "-->", "<!--", "<", ">", "\n",
]  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_PIECES * 4 + HTML_PIECES), max_size=10))
@example(["<!-->", "<img src=x onerror=alert(1)>", "-->"])
def test_html_recognized_as_plain_is_what_the_parser_and_nh3_keep_whole(pieces: list[str]) -> None:
    """The shortcut of the checker: HTML it calls plain has nothing that the walk or nh3 would remove."""
    from pptoolkit.checking.html_safety import _plainly_kept, _walked

    document = "".join(pieces)
    if _plainly_kept(document):
        assert _walked(document) == [], document
        assert sanitize_html(document) == kept_whole(document), document


PAGE_LINES = [
    "<!-- material/tags -->", "<!-- a --> <b>tail</b>", "<!-->", "<!--->", "<!--", "-->", " <!-- indented -->",
    "\t<!-- tab -->", "<!-- cr -->\r", "<!-- a", "# Title", "## Section", "# <!-- c -->", "Title", "===", "---",
    "- item", "  <!-- in an item -->", "1. one", "> quote", ">", "    code", "```", "~~~", "[a]: https://x.org",
    "[a]", "[b](javascript:x)", "![i](//host/i.png)", "<https://x.org>", "text <b>bold</b>", "a & b",
    "# &lt;b&gt;", "<div>", "</div>", "",
]  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(PAGE_LINES), max_size=10), st.booleans())
@example(["# Étiquettes", "", "Les pages par type.", "", "<!-- material/tags -->"], True)
@example(["Title", "<!-- a -->", "==="], False)
@example(["---", "<!-- in front matter -->", "---"], True)
def test_the_raw_html_of_a_page_of_comment_lines_is_what_markdown_it_finds(lines: list[str], last_break: bool) -> None:
    """A page whose every '<' starts a line that opens and closes an HTML comment is read without markdown-it.

    Its raw HTML is markdown-it's, none of its headings holds markup, and it has no link or image
    unless it has a '[' (the tags page of every playbook: a check need not import markdown-it for it).
    """
    from pptoolkit.checking.html_safety import _commonmark, comment_lines, markup_in_headings, page_html
    from pptoolkit.checking.rules.links import dropped_rows
    from pptoolkit.reading.documents import markdown_html, markdown_targets

    text = "\n".join(lines) + ("\n" if last_break else "")
    assert page_html(text) == markdown_html(text)
    if comment_lines(text) is None:
        return
    assert comment_lines(text) == markdown_html(text)
    tokens = _commonmark().parse(text)
    headings = ["".join(child.content for child in token.children or ()) for token in tokens if token.type == "inline"]
    if "&" not in text:
        assert not any("<" in heading for heading in headings) and markup_in_headings(text) == []
    if "[" not in text:
        assert markdown_targets(text) == [] and dropped_rows(text, 1, (), page=True) == []


@pytest.mark.slow  # builds a site
def test_the_front_matter_of_a_content_page_or_evidence_file_is_shown_as_text(tmp_path: Path) -> None:
    """The theme prints a page's title and description into its head, before the policy and the content."""
    root = small_playbook_copy(tmp_path / "playbook")
    front = "---\ntitle: '<img src=x onerror=alert(1)>Tags'\ndescription: '\"><script>alert(2)</script>'\n---\n\n"
    for relative in ("content/tags.md", "evidence/minutes.md"):
        write(root, relative, front + (root / relative).read_text(encoding="utf-8"))
    site = build_site(BuildOptions(root=root, strict=False))
    for page in (site / "tags.html", site / "files" / "evidence" / "minutes.html"):
        text = page.read_text(encoding="utf-8")
        assert "<title>&lt;img src=x onerror=alert(1)&gt;Tags" in text, page
        assert 'content="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in text, page
    assert _runs(site) == []


DEEP = 10_000


def _lines(tag: str) -> str:
    """``DEEP`` start tags, a thousand a line (lines within the line limit, so that the file is read and published)."""
    return (tag * 1_000 + "\n") * (DEEP // 1_000)


NESTINGS = {
    "b": "<p>\n" + _lines("<b>"),
    "div": _lines("<div>"),
    "svg-g": "<svg>\n" + _lines("<g>"),
    "div-markdown": "<div markdown>\n\n" * DEEP,
}


@pytest.mark.slow  # builds a site of ten thousand nested tags
def test_ten_thousand_nested_tags_are_checked_and_built_without_a_crash(tmp_path: Path) -> None:
    """Review F3: ~1,000 nested tags made the checker's recursive walk raise RecursionError (check, build, serve).

    Under limits that let them through, they are walked; under the default limits, each file is
    refused, located (PP110: the renderer and the theme's search index take time that grows with
    the depth), and the build finishes.
    """
    assert [(u.what, u.line) for u in find_unsafe("<b>" * DEEP + "\n<i onclick=y>")] == [("onclick=", 2)]
    root = small_playbook_copy(tmp_path / "playbook", {"limits": {"max_markup_openers": 100_000}})
    for name, nested in NESTINGS.items():
        write(root, f"content/deep-{name}.md", f"# Deep {name}\n\n{nested}\n")
    write(root, "evidence/deep.md", "# Deep evidence\n\n" + _lines("<b>") + "<p onclick=x>\n")
    _add_evidence(root, "Deep", "../evidence/deep.md")
    result = check(root, TODAY)
    assert not of(result, "PP108") and not of(result, "PP110")
    # The onclick under ten thousand elements is found where it is written.
    assert [(d.line, d.column) for d in of(result, "PP701", "evidence/deep.md")] == [(13, 1)]
    assert not of(result, "PP701", "content/deep-b.md")  # <p> and <b> are allowed, however deep
    assert not of(result, "PP701", "content/deep-svg-g.md")
    set_options(root, {})
    result = check(root, TODAY)
    assert {d.path for d in of(result, "PP110")} == {f"content/deep-{name}.md" for name in NESTINGS} | {
        "evidence/deep.md"
    }
    with no_hang(60):
        site = build_site(BuildOptions(root=root, strict=False))
    assert not [name for name in NESTINGS if (site / f"deep-{name}.html").exists()]


# Links and images the site drops, read as markdown-it reads them (review F6) ---------------------

DROPPED = (
    "\nA ![remote](https://example.org/x.png) image and a ![referenced][r] one.\n\n"
    "A [script][j], an autolink <javascript:alert(1)> and [a tab](jav&#x09;ascript:alert(5)).\n\n"
    "[r]: //example.org/y.png\n[j]: javascript:alert(4)\n"
)


def _found(result: Result, path: str) -> list[tuple[str, int, int]]:
    """The PP309 and PP701 findings in ``path``: code, line, column, sorted."""
    return sorted(
        (d.code, d.line, d.column) for d in result.diagnostics if d.path == path and d.code in ("PP309", "PP701")
    )


@pytest.mark.parametrize("path", [VISION, "content/about.md", "evidence/minutes.md"])
def test_links_and_images_the_site_drops_are_reported_where_they_are_written(tmp_path: Path, path: str) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    if path.startswith("content/"):
        write(root, path, "# About\n")
    _append(root, path, DROPPED)
    text = (root / path).read_text(encoding="utf-8")
    found = _found(check(root, TODAY), path)
    # A target written otherwise than read (a character reference) is at its link in an artifact's body,
    # and at the first line of its paragraph in a page.
    tab = line_of(text, "[a tab]") if path == VISION else (line_of(text, "A [script]")[0], 1)
    expected = [
        ("PP701", *line_of(text, "https://example.org/x.png")),
        ("PP701", line_of(text, "[r]: //example.org/y.png")[0], 6),
        ("PP309", *line_of(text, "javascript:alert(4)")),
        ("PP309", *line_of(text, "javascript:alert(1)")),
        ("PP309", *tab),
    ]
    assert found == sorted(expected)


@pytest.mark.slow  # builds a site
def test_the_site_drops_what_the_checker_reports(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    write(root, "content/about.md", "# About\n" + DROPPED)
    _append(root, VISION, DROPPED)
    site = build_site(BuildOptions(root=root, strict=False))
    for page in (site / "about.html", site / "artifacts" / "vision.html"):
        built = page.read_text(encoding="utf-8")
        assert "example.org/x.png" not in built and "example.org/y.png" not in built
    assert _runs(site) == []


def test_safe_links_and_images_are_not_reported(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    safe = (
        "\nSee [the site](https://example.org/), [minutes][m], <https://example.org/a>, "
        "[write](mailto:team@cisss.example) and ![a chart](../evidence/chart.png).\n\n[m]: ../evidence/minutes.md\n"
    )
    write(root, "evidence/chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 24)
    write(root, "content/about.md", "# About\n" + safe.replace("../evidence/", "").replace("mailto:", "https://"))
    result = check(root, TODAY)
    assert [d for d in result.diagnostics if d.code in ("PP309", "PP701")] == []


@pytest.mark.parametrize("path", [VISION, "content/about.md"])
def test_a_link_the_site_drops_is_reported_beside_a_comment_line(tmp_path: Path, path: str) -> None:
    """A comment line ('<!-- … -->', read without markdown-it) does not hide a link that only markdown-it reads.

    A link whose text goes on over a line break, or holds brackets two deep, is no inline link for the
    quick reading of an artifact's links: the site's Markdown makes it one, and drops its 'javascript:'.
    """
    root = small_playbook_copy(tmp_path / "playbook")
    if path.startswith("content/"):
        write(root, path, "# About\n")
    _append(root, path, "\n<!-- a note for editors -->\n\nA [link\nover two lines](javascript:alert(1)).\n")
    text = (root / path).read_text(encoding="utf-8")
    assert _found(check(root, TODAY), path) == [("PP309", *line_of(text, "javascript:alert(1)"))]


@pytest.mark.parametrize(
    "link",
    [
        "A [link\nover two lines](javascript:alert(1)).",
        "A [link]( javascript:alert(1)).",
        "A [link](\njavascript:alert(1)).",
        "A [link with a \\] in it](javascript:alert(1)).",
        "A [link with [brackets [two deep]]](javascript:alert(1)).",
    ],
)
def test_a_link_of_a_body_that_only_markdown_it_reads_is_reported(tmp_path: Path, link: str) -> None:
    """In an artifact's body without '<', '![' or ']:', a link that the quick reading of inline links misses.

    ``link_targets`` reports the inline links that ``link_spans`` reads; markdown-it, as the site's
    Markdown does, also reads a link text over a line break, with an escaped or nested bracket, and
    a target after a space or a line break: the site drops its 'javascript:', which is reported.
    """
    root = small_playbook_copy(tmp_path / "playbook")
    _append(root, VISION, f"\n{link}\n")
    text = (root / VISION).read_text(encoding="utf-8")
    assert _found(check(root, TODAY), VISION) == [("PP309", *line_of(text, "javascript:alert(1)"))]
