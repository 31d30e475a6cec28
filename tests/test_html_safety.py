"""What the Markdown renderer makes of a page never runs: the site's last line of defence, and HTML evidence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_support import (
    LOGIC_MODEL,
    TODAY,
    VISION,
    dangerous_urls,
    of,
    page_facts,
    small_playbook_copy,
    write,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pptoolkit.checker import check
from pptoolkit.html_safety import sanitize_html
from pptoolkit.publish import BuildOptions, build_site


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("<p>ok <b>bold</b> &amp; &#39; <!-- note --></p>", "<p>ok <b>bold</b> &amp; &#39; <!-- note --></p>"),
        ("<p><script>alert(1 < 2)</script></p>", "<p>&lt;script&gt;alert(1 &lt; 2)&lt;/script&gt;</p>"),
        ('<a href="javascript:x()" title="t">a</a>', '<a title="t">a</a>'),
        ('<a href="jav&#x61;script:x()">a</a>', "<a>a</a>"),
        ('<img src="https://tracker.example/p.png" alt="x"/>', '<img alt="x" />'),
        ('<div onclick="x()" class="y">z</div>', '<div class="y">z</div>'),
        ("text <img src=x onerror=alert(1)", "text &lt;img src=x onerror=alert(1)"),
        (
            '<svg role="img"><title>t</title><rect x="0"></rect></svg>',
            '<svg role="img"><title>t</title><rect x="0"></rect></svg>',
        ),
        (
            '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
            '<svg><a>&lt;animate attributeName="href" values="javascript:alert(1)"/&gt;<text>x</text></a></svg>',
        ),
    ],
)
def test_sanitize_html_keeps_what_is_safe_and_disarms_the_rest(document: str, expected: str) -> None:
    assert sanitize_html(document) == expected


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


def test_a_javascript_link_in_a_markdown_evidence_file_is_not_clickable(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _append(root, "evidence/minutes.md", "\n[minutes](javascript:alert(5))\n")
    site = build_site(BuildOptions(root=root, strict=False))
    assert _runs(site) == []


def test_evidence_that_is_another_artifact_links_to_its_page_in_a_strict_build(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _add_evidence(root, "The vision", "vision.md")
    assert of(check(root, TODAY), "PP304") == []
    site = build_site(BuildOptions(root=root, strict=True))
    page = (site / "artifacts" / "logic-model.html").read_text(encoding="utf-8")
    assert 'href="vision.html"' in page


def test_an_upper_case_https_evidence_link_is_shown_as_a_link(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    _add_evidence(root, "Upper case", "HTTPS://www.example.org/report")
    site = build_site(BuildOptions(root=root, strict=False))
    page = (site / "artifacts" / "logic-model.html").read_text(encoding="utf-8")
    assert 'href="HTTPS://www.example.org/report"' in page
    assert "link unavailable" not in page


def test_an_unquoted_today_in_the_plugin_entry_is_a_date(tmp_path: Path) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert f"today: '{TODAY.isoformat()}'" in text
    config.write_text(text.replace(f"today: '{TODAY.isoformat()}'", f"today: {TODAY.isoformat()}"), encoding="utf-8")
    site = build_site(BuildOptions(root=root, strict=True))
    assert (site / "index.html").is_file()


HTML_PIECES = [
    "<p>", "</p>", "<a href=\"../files/x.md\">", "</a>", "<br/>", "<br>", "<span class=\"pp-badge\">", "</span>",
    "text", " on the way ", "&amp;", "&#39;", "&#x61;", "&nbsp", "& ", "<", " < ", ">", "<!-- c -->", "<?x?>",
    "<a href=\"https://example.org\">", "<img src=\"x.png\">", "<img src=\"//host/x.png\">", "<a onclick=\"x()\">",
    "<a\nonclick=x>", "<div title='a > b' onmouseover=y>", "<a href=\"jav&#x61;script:x\">",
    "<a href=\"java\tscript:x\">",
    "<a href=\"data:text/html,x\">", "<script>", "</script>", "<SCRIPT>", "</ script>", "<Form>", "</DIV>", "</div >",
    "<a title=\"it's\">", "<a title=x'y>", "<a b='c", "<td data-x=\"1\">", "<table>", "</table>", "<a/onclick=x>",
    "<a b\"c d=\"x>y\" onclick=alert(1)>", "<a b'c d='x>y' onmouseover=y>", "<a href=\"&amp;#106;avascript:x\">",
    "<a b=\"1\"c=\"2\">", "<a x = 'y'>", "<a =x>", "<animate values=\"x\"/>", "<set to=\"y\">",
]  # fmt: skip


@settings(max_examples=1000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 300, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(alphabet="<>&/\"'= aon:#x;\n", max_size=6), max_size=10))
@example(['<a b"c d="x>y" onclick=alert(1)>', "click", "</a>"])  # a quote in a name opens no value
def test_html_recognized_as_plain_is_what_the_sanitizer_gives_back(pieces: list[str]) -> None:
    """The sanitizer's shortcut: HTML it judges plain is exactly what parsing it would give back."""
    from pptoolkit.html_safety import _plain, _sanitized

    document = "".join(pieces)
    if _plain(document):
        assert _sanitized(document) == document
