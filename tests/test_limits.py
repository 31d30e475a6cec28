"""Limits, links, raw HTML and the data files: hostile or careless input gets a clear, located diagnostic.

Every test copies the small valid playbook (``hardening_support.small_playbook_copy``)
and changes one thing. ``policies/vision.md`` has its first evidence ``link:``
on line 15 (column 5) and its body's title on line 18.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hardening_support import (
    MATRIX,
    MINUTES,
    ROLES,
    TODAY,
    VISION,
    WAIVERS,
    codes,
    dangerous_urls,
    line_of,
    no_hang,
    of,
    page_facts,
    set_options,
    small_playbook_copy,
    where,
    write,
)

from pptoolkit.checking.checker import check
from pptoolkit.cli import cli
from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site


def playbook(tmp_path: Path, options: dict[str, Any] | None = None) -> Path:
    return small_playbook_copy(tmp_path / "playbook", options)


def vision(root: Path) -> str:
    return (root / VISION).read_text(encoding="utf-8")


def edit_vision(root: Path, old: str, new: str) -> str:
    text = vision(root)
    assert old in text
    text = text.replace(old, new, 1)
    write(root, VISION, text)
    return text


def append_body(root: Path, body: str) -> str:
    text = vision(root).rstrip("\n") + "\n\n" + body
    write(root, VISION, text)
    return text


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- Limits ---------------------------------------------------------------------------------------------


def test_max_file_bytes(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_file_bytes": 1000}})
    append_body(root, "Padding. " * 100)
    size = (root / VISION).stat().st_size
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP105")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, 1, 1)
    assert diagnostic.severity.value == "error"
    assert f"{size:,} bytes" in diagnostic.message and "the limit is 1,000 bytes" in diagnostic.message
    assert result.coverage_of("D1").status == "missing", "a refused file is not loaded"
    assert result.coverage_of("S5").status == "covered", "the other files are still checked"


def test_max_file_bytes_default_is_one_mebibyte(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append_body(root, ("Padding line of an oversized artifact.\n" * 27_000))
    assert (root / VISION).stat().st_size > 1_048_576
    [diagnostic] = of(check(root, TODAY), "PP105")
    assert "the limit is 1,048,576 bytes" in diagnostic.message


def test_max_line_length(tmp_path: Path) -> None:
    # The longest line of the small playbook (its matrix) has 109 characters.
    root = playbook(tmp_path, {"limits": {"max_line_length": 120}})
    text = append_body(root, "x" * 120 + "\n\n" + "y" * 121 + "\n")
    line, _ = line_of(text, "y" * 121)
    [diagnostic] = of(check(root, TODAY), "PP108")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, line, 121)
    assert f"line {line} has 121 characters; the limit is 120" in diagnostic.message


def test_max_line_length_counts_characters_not_bytes(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_line_length": 120}})
    append_body(root, "é" * 120 + "\n")
    assert codes(check(root, TODAY)) == []


def test_max_yaml_depth(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_yaml_depth": 4}})
    # root mapping (1) > evidence list (2) > item mapping (3) > title list (4) > inner list (5)
    text = edit_vision(root, "  - title: Board minutes", "  - title: [[Board minutes]]")
    line, column = line_of(text, "[Board minutes]")
    [diagnostic] = of(check(root, TODAY), "PP106")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, line, column)
    assert "nests deeper than 4 levels" in diagnostic.message


def test_max_yaml_depth_default_refuses_deep_nesting_on_many_lines(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    deep = "notes:\n" + "".join("  " * depth + "-\n" for depth in range(1, 60))
    edit_vision(root, "evidence:\n", deep + "evidence:\n")
    [diagnostic] = of(check(root, TODAY), "PP106")
    assert "nests deeper than 32 levels" in diagnostic.message


def test_max_yaml_nodes(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_yaml_nodes": 50}})
    edit_vision(root, "evidence:\n", "notes: [" + ", ".join(["n"] * 60) + "]\nevidence:\n")
    [diagnostic] = of(check(root, TODAY), "PP106")
    assert diagnostic.path == VISION
    assert "more than 50 values" in diagnostic.message


def test_max_yaml_nodes_counts_alias_expansion(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_yaml_nodes": 100}})
    bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    text = edit_vision(root, "evidence:\n", bomb + "evidence:\n")
    [diagnostic] = of(check(root, TODAY), "PP106")
    assert diagnostic.line == line_of(text, "b: &b")[0]
    assert "alias bomb" in diagnostic.message


def evidence_items(count: int) -> str:
    items = "".join(
        f"  - title: Minutes {n}\n    date: 2026-01-15\n    link: ../evidence/minutes.md\n" for n in range(count)
    )
    return "evidence:\n" + items


def test_max_evidence_items(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_evidence_items": 2}})
    text = vision(root)
    start = text.index("evidence:\n")
    end = text.index("---", start)
    write(root, VISION, text[:start] + evidence_items(3) + text[end:])
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP207")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, *line_of(vision(root), "evidence:"))
    assert diagnostic.message == "3 evidence items; the limit is 2"
    assert diagnostic.severity.value == "error"


@pytest.mark.slow  # builds a site
def test_max_markup_openers(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_markup_openers": 30}})
    before = vision(root).split("\n---\n", 1)[1]
    already = before.count("[") + before.count("<")
    text = append_body(root, "Links: " + "[a](b) " * 20 + "\n\nMore: " + "[" * 20 + "\n")
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP110")
    line, _ = line_of(text, "More: ")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, line, len("More: ") + 31 - 20 - already)
    assert "more than 30 '[' and '<'" in diagnostic.message
    assert diagnostic.severity.value == "error"
    page = build_site(BuildOptions(root=root, strict=False)) / "artifacts" / "vision.html"
    assert "[[[[" in page.read_text(encoding="utf-8")  # the body shown as written, as text


@pytest.mark.slow  # builds a site
def test_max_unclosed_tags(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_unclosed_tags": 2}})
    write(root, "content/notes.md", "# Notes\n\n<b>closed</b> <i>closed</i>\n\nx <a y\n\nz <a \n\n<![CDATA[ w\n")
    result = check(root, TODAY)
    assert where(of(result, "PP110")) == [("PP110", "content/notes.md", 9, 1)]
    site = build_site(BuildOptions(root=root, strict=False))
    assert not (site / "notes.html").exists()  # never rendered


# Review F4: constructs Python-Markdown renders in quadratic time, each as a line of the review's hang
# inputs (10 lines of 9,000 characters took more than 60 s to build).
HANGS = {
    "brackets": "[" * 9_000,
    "images": "![" * 4_500,
    "links": "[a](" * 2_250,
    "cdata": "<![CDATA[" * 1_000,
    "tags": "<a " * 3_000,
    "tags-spread": "<a x\n\nPlain words.\n\n" * 300,
}


@pytest.mark.slow  # builds a site
def test_markdown_the_renderer_takes_quadratic_time_over_is_refused_and_the_build_finishes(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    for name, text in HANGS.items():
        write(root, f"content/{name}.md", f"# {name}\n\n" + "\n\n".join([text] * 10) + "\n")
        write(root, f"evidence/{name}.md", f"# {name}\n\n{text}\n")
    write(root, VISION, vision(root).rstrip("\n") + "\n\n" + HANGS["brackets"] + "\n")
    with no_hang(60):
        result = check(root, TODAY)
        site = build_site(BuildOptions(root=root, strict=False))
    located = {d.path for d in of(result, "PP110") if d.line > 1}
    assert located == {f"content/{name}.md" for name in HANGS} | {VISION}
    assert not [name for name in HANGS if (site / f"{name}.html").exists()]


def test_limits_apply_to_the_roles_and_waivers_files(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_line_length": 120}})
    write(root, WAIVERS, "waivers:\n  - practice: E1\n    reason: " + "r" * 120 + "\n")
    roles = (root / ROLES).read_text(encoding="utf-8")
    write(root, ROLES, roles.replace("title: Director General", "title: Director General " + "x" * 120))
    result = check(root, TODAY)
    assert where(of(result, "PP108")) == [("PP108", ROLES, 3, 121), ("PP108", WAIVERS, 3, 121)]


def test_a_matrix_over_a_limit_is_a_configuration_error(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_file_bytes": 100}})
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    assert code == 2
    assert "checks/matrix.yml" in output and "the limit is 100 bytes" in output


def test_a_strict_build_refuses_a_file_over_a_configured_limit(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"limits": {"max_file_bytes": 600}})
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, strict=True))
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limits": {"max_file_bytes": 0}}, "max_file_bytes: expected a positive whole number, got 0"),
        ({"limits": {"max_line_length": -5}}, "max_line_length: expected a positive whole number, got -5"),
        ({"limits": {"max_yaml_depth": "deep"}}, "max_yaml_depth: expected a positive whole number, got 'deep'"),
        ({"limits": {"max_yaml_nodes": 1.5}}, "max_yaml_nodes: expected a positive whole number, got 1.5"),
        ({"limits": {"max_evidence_items": None}}, "max_evidence_items: expected a positive whole number"),
        ({"limits": {"max_size": 10}}, "unknown option 'max_size'"),
        ({"privacy": {"small_cell_threshold": 0}}, "small_cell_threshold: expected a positive whole number"),
        ({"privacy": {"threshold": 3}}, "unknown option 'threshold'"),
        pytest.param(
            {"limits": {"max_file_bytes": True}},
            "max_file_bytes: expected a positive whole number, got True",
            id="boolean",
        ),
        pytest.param(
            {"limits": [1000]},
            "limits",
            id="limits-list",
        ),
        pytest.param(
            {"limits": 1000},
            "limits",
            id="limits-number",
        ),
        pytest.param(
            {"privacy": ["a@b.org"]},
            "privacy",
            id="privacy-list",
        ),
        pytest.param(
            {"privacy": {"allowed_contacts": "office@example.org"}},
            "allowed_contacts",
            id="allowed-contacts-string",
        ),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else None,
)
def test_a_bad_limit_or_privacy_setting_is_exit_code_2_with_a_message(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    root = playbook(tmp_path, options)
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    assert code == 2, output
    assert output.startswith("pptoolkit: error: ")
    assert message in output
    assert "Traceback" not in output


def test_the_plugins_today_option_is_accepted_by_the_checker(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"today": "2026-11-26"})
    code, output = run_cli("check", str(root))
    assert code == 0, output


# --- Links ------------------------------------------------------------------------------------------------


def set_link(root: Path, link: str) -> tuple[int, int]:
    text = edit_vision(root, "link: ../evidence/minutes.md", f"link: {json.dumps(link)}")
    return line_of(text, "link: ")


@pytest.mark.parametrize(
    "link",
    [
        "../../etc/passwd",
        "../../../../../../etc/passwd",
        "../evidence/../../outside.md",
        "../..",
        "/etc/passwd",
        "\\\\server\\share\\minutes.md",
        "C:\\Windows\\win.ini",
        "%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_an_evidence_link_that_leaves_the_playbook_is_an_error(tmp_path: Path, link: str) -> None:
    root = playbook(tmp_path)
    (tmp_path / "outside.md").write_text("outside\n", encoding="utf-8")
    line, column = set_link(root, link)
    result = check(root, TODAY)
    assert where(of(result, "PP305")) == [("PP305", VISION, line, column)], where(result.diagnostics)
    assert of(result, "PP305")[0].severity.value == "error"
    assert result.coverage_of("D1").status == "no-evidence"


def test_an_evidence_link_to_a_symlink_pointing_outside_is_an_error(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("# Advisors\n\nJeanne: 514-555-0199\n", encoding="utf-8")
    os.symlink(secret, root / "evidence" / "advisors.md")
    line, column = set_link(root, "../evidence/advisors.md")
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP305")
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (VISION, line, column)
    assert "symbolic link" in diagnostic.message
    assert codes(result, "evidence/advisors.md") == [], "the file outside is neither read nor reported"


def test_an_evidence_link_through_a_symlinked_folder_pointing_outside_is_an_error(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "minutes.md").write_text("minutes\n", encoding="utf-8")
    os.symlink(outside, root / "evidence" / "archive", target_is_directory=True)
    line, column = set_link(root, "../evidence/archive/minutes.md")
    assert where(of(check(root, TODAY), "PP305")) == [("PP305", VISION, line, column)]


def test_a_symlink_inside_the_playbook_is_fine(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    os.symlink("minutes.md", root / "evidence" / "latest.md")
    set_link(root, "../evidence/latest.md")
    assert codes(check(root, TODAY)) == []


def test_an_http_link_is_a_warning(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    second = "\n  - title: Old intranet copy\n    date: 2026-01-15\n    link: http://intranet.cisss-vde.example/minutes"
    text = edit_vision(root, "link: ../evidence/minutes.md", "link: ../evidence/minutes.md" + second)
    line, column = line_of(text, "link: http")
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP308")
    assert (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.severity.value) == (
        VISION,
        line,
        column,
        "warning",
    )
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/minutes.pdf",
    ],
)
def test_other_link_schemes_are_errors(tmp_path: Path, link: str) -> None:
    root = playbook(tmp_path)
    line, column = set_link(root, link)
    result = check(root, TODAY)
    [diagnostic] = of(result, "PP309")
    assert (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.severity.value) == (
        VISION,
        line,
        column,
        "error",
    )
    assert result.coverage_of("D1").status == "no-evidence"


@pytest.mark.slow  # builds a site
def test_a_site_never_links_a_forbidden_scheme_from_evidence(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    set_link(root, "javascript:alert(1)")
    site = build_site(BuildOptions(root=root, strict=False))
    for page in site.rglob("*.html"):
        assert dangerous_urls(page_facts(page.read_text(encoding="utf-8"))) == [], page


BODY_LINKS = [
    ("[minutes](../../../etc/passwd)", "PP305"),
    ("[minutes](/etc/passwd)", "PP305"),
    ("[click](javascript:alert(1))", "PP309"),
    ("[file](file:///etc/passwd)", "PP309"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", "PP309"),
    ("[old intranet](http://intranet.example/minutes)", "PP308"),
]


@pytest.mark.parametrize(("markdown", "code"), BODY_LINKS)
def test_an_internal_link_in_a_body_gets_the_same_diagnostics(tmp_path: Path, markdown: str, code: str) -> None:
    root = playbook(tmp_path)
    text = append_body(root, f"See {markdown}.\n")
    result = check(root, TODAY)
    assert where(of(result, code)) == [(code, VISION, *line_of(text, markdown))]


@pytest.mark.slow  # builds a site
def test_a_site_never_links_a_forbidden_scheme_or_outside_file_from_a_body(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append_body(root, "\n\n".join(f"See {markdown}." for markdown, _ in BODY_LINKS) + "\n")
    site = build_site(BuildOptions(root=root, strict=False))
    page = (site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    facts = page_facts(page)
    assert dangerous_urls(facts) == []
    assert not [url for url in facts.urls if "etc/passwd" in url]
    assert not (site / "files" / "etc").exists()


def test_an_artifact_symlinked_outside_the_playbook_is_an_error(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text(vision(root).replace("id: vision", "id: outside"), encoding="utf-8")
    os.symlink(outside, root / "policies" / "outside.md")
    result = check(root, TODAY)
    assert where(of(result, "PP305")) == [("PP305", "policies/outside.md", 1, 1)]
    assert result.playbook.artifact("outside") is None


def test_a_content_page_symlinked_outside_the_playbook_is_an_error(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    secret = tmp_path / "advisors.md"
    secret.write_text("# Advisors\n", encoding="utf-8")
    os.symlink(secret, root / "content" / "advisors.md")
    assert where(of(check(root, TODAY), "PP305")) == [("PP305", "content/advisors.md", 1, 1)]


# --- Raw HTML --------------------------------------------------------------------------------------------

UNSAFE = [
    ("<script>alert('pasted')</script>", "<script"),
    ('<p onclick="alert(1)">Click me</p>', "onclick="),
    ('<iframe src="https://example.org"></iframe>', "<iframe"),
    ("<img src=x onerror=alert(1)>", "onerror="),
    ('<a href="javascript:alert(1)">link</a>', "javascript:"),
    ('<object data="x.swf"></object>', "<object"),
    ("<SCRIPT>alert(1)</SCRIPT>", "<SCRIPT"),
    ("<svg onload=alert(1)><circle r=5 /></svg>", "onload="),
]


@pytest.mark.parametrize(("fragment", "marker"), UNSAFE, ids=[m for _, m in UNSAFE])
def test_unsafe_raw_html_in_a_body_is_an_error(tmp_path: Path, fragment: str, marker: str) -> None:
    root = playbook(tmp_path)
    text = append_body(root, f"{fragment}\n")
    line, _ = line_of(text, fragment)
    result = check(root, TODAY)
    found = of(result, "PP701", VISION)
    assert found, where(result.diagnostics)
    assert {d.line for d in found} == {line}
    assert found[0].severity.value == "error"
    assert found[0].column <= fragment.index(marker) + 1
    assert "not allowed" in found[0].message


def test_unsafe_inline_html_is_located_at_its_column(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    text = append_body(root, "Some text <script>alert(1)</script> and more.\n")
    first = of(check(root, TODAY), "PP701")[0]
    assert (first.line, first.column) == line_of(text, "<script>")


@pytest.mark.parametrize(
    "body",
    [
        '```html\n<script>alert(1)</script>\n<p onclick="x()">x</p>\n```\n',
        "~~~\n<iframe src=x></iframe>\n~~~\n",
        "    <script>alert(1)</script>\n",
        "Write `<script>` or `onclick=` in code spans only.\n",
        "Escaped: &lt;script&gt;alert(1)&lt;/script&gt; and \\<script>.\n",
        'Safe HTML: <b>bold</b>, <em>emphasis</em>, <abbr title="Patient advisor">PA</abbr>.\n',
    ],
    ids=["fenced", "tilde-fence", "indented", "code-span", "escaped", "harmless-html"],
)
def test_html_in_code_or_harmless_html_is_not_flagged(tmp_path: Path, body: str) -> None:
    root = playbook(tmp_path)
    append_body(root, body)
    result = check(root, TODAY)
    assert codes(result) == [], where(result.diagnostics)


@pytest.mark.slow  # builds a site
def test_a_non_strict_build_shows_unsafe_html_as_text(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append_body(
        root, "\n\n".join(fragment for fragment, _ in UNSAFE) + "\n\nInline <script>alert('inline')</script>.\n"
    )
    site = build_site(BuildOptions(root=root, strict=False))
    page = (site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    facts = page_facts(page)
    assert not [s for s in facts.scripts if "alert" in s]
    assert facts.handlers == []
    assert "iframe" not in facts.tags and "object" not in facts.tags
    assert dangerous_urls(facts) == []
    assert "&lt;script&gt;alert(&#x27;pasted&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('pasted')" in page


def test_a_strict_build_refuses_unsafe_html(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    append_body(root, "<script>alert(1)</script>\n")
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, strict=True))
    assert not (root / "site").exists()


EVASIONS = [
    ('<div\n  onclick="alert(2)">A tag over two lines</div>\n', "onclick"),
    ('<a href="jav&#x61;script:alert(3)">An encoded scheme</a>\n', "javascript"),
]


@pytest.mark.slow  # builds a site
@pytest.mark.parametrize(("body", "what"), EVASIONS, ids=[w for _, w in EVASIONS])
def test_unsafe_html_that_evades_a_line_by_line_check(tmp_path: Path, body: str, what: str) -> None:
    root = playbook(tmp_path)
    append_body(root, body)
    flagged = bool(of(check(root, TODAY), "PP701"))
    site = build_site(BuildOptions(root=root, strict=False))
    facts = page_facts((site / "artifacts" / "vision.html").read_text(encoding="utf-8"))
    assert flagged
    assert facts.handlers == [] and dangerous_urls(facts) == []


@pytest.mark.slow  # builds a site
@pytest.mark.parametrize("separator", ["\x1c", "\x1e", "\x0c", "\x85", "\u2028"], ids=["fs", "rs", "ff", "nel", "ls"])
def test_a_separator_character_in_raw_html_does_not_shift_the_unsafe_line(tmp_path: Path, separator: str) -> None:
    root = playbook(tmp_path)
    text = append_body(root, f"<div>{separator}</div>\n<script>alert('shifted')</script>\n\nAfter.\n")
    result = check(root, TODAY)
    assert [(d.line, d.column) for d in of(result, "PP701")][:1] == [line_of(text, "<script>")]
    site = build_site(BuildOptions(root=root, strict=False))
    facts = page_facts((site / "artifacts" / "vision.html").read_text(encoding="utf-8"))
    assert not [script for script in facts.scripts if "alert" in script]


@pytest.mark.slow  # builds a site
def test_raw_html_in_a_published_evidence_file_never_runs(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, MINUTES, (root / MINUTES).read_text(encoding="utf-8") + "\n<script>alert('minutes')</script>\n")
    site = build_site(BuildOptions(root=root, strict=False))
    for page in site.rglob("*.html"):
        assert not [s for s in page_facts(page.read_text(encoding="utf-8")).scripts if "alert" in s], page


# --- The roles registry, the waivers and the matrix -----------------------------------------------------------

BAD_ROLES = """\
roles:
  - id: director-general
    title: Director General
    level: top
    deputy: pp-coordinator
  - id: pp-coordinator
    title: Patient Partnership Coordinator
    level: mid
    deputy: director-general
  - id: Bad Id
    title: Badly named
    level: top
  - id: x
    title: Wrong level
    level: middle
  - just-a-string
  - id: y
    title: Typo
    level: top
    colour: red
  - id: pp-coordinator
    title: Twice
    level: mid
  - id: z
    title: Unknown deputy
    level: front
    deputy: ghost
  - id: w
    level: top
"""
BAD_ROLES_EXPECTED = {
    ("PP601", 10, 5),  # id not a slug
    ("PP601", 15, 5),  # level: middle, at the key
    ("PP601", 16, 5),  # not a mapping
    ("PP601", 20, 5),  # unknown key, at the key
    ("PP602", 21, 5),  # duplicate id
    ("PP603", 27, 5),  # unknown deputy, at its deputy key
    ("PP601", 28, 5),  # missing title, at the entry
}


def located_in(result: Any, path: str) -> set[tuple[str, int, int]]:
    return {(d.code, d.line, d.column) for d in result.diagnostics if d.path == path}


def test_every_malformed_role_is_a_located_diagnostic(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, ROLES, BAD_ROLES)
    result = check(root, TODAY)
    found = located_in(result, ROLES)
    assert found >= BAD_ROLES_EXPECTED, sorted(found)
    faulty_lines = {10, 13, 14, 15, 16, 20, 21, 24, 27, 28}
    assert {line for _, line, _ in found} <= faulty_lines, sorted(found)
    assert all(d.message and d.severity.value == "error" for d in result.diagnostics if d.path == ROLES)
    assert result.coverage_of("D1").status == "covered", "the valid roles still resolve owners"


BAD_WAIVERS = """\
waivers:
  - practice: E1
    reason: Team being formed
    approved_by: director-general
    expires: 2025-01-01
  - practice: E1
    reason: ''
    approved_by: Nobody
    expires: soon
  - practice: Z9
    reason: Not in the matrix
    approved_by: director-general
    expires: 2027-01-01
  - practice: S5
    reason: Unknown approver
    approved_by: ghost
    expires: 2027-01-01
  - 5
  - practice: D1
    reason: No expiry
    approved_by: director-general
  - practice: D1
    reason: Extra key
    approved_by: director-general
    expires: 2027-01-01
    until: never
"""
BAD_WAIVERS_EXPECTED = {
    ("PP501", 5, 5),  # expired, at its expires key
    ("PP503", 7, 5),  # empty reason
    ("PP503", 8, 5),  # approver not a slug
    ("PP503", 9, 5),  # not a date
    ("PP503", 10, 5),  # unknown practice
    ("PP503", 16, 5),  # unknown approver, at its approved_by key
    ("PP503", 18, 5),  # not a mapping
    ("PP503", 19, 5),  # missing expires, at the entry
    ("PP503", 26, 5),  # unknown key
}


def test_every_malformed_waiver_is_a_located_diagnostic(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, WAIVERS, BAD_WAIVERS)
    result = check(root, TODAY)
    found = located_in(result, WAIVERS)
    assert found >= BAD_WAIVERS_EXPECTED, sorted(found)
    faulty_lines = {5, 6, 7, 8, 9, 10, 14, 16, 18, 19, 22, 26}
    assert {line for _, line, _ in found} <= faulty_lines, sorted(found)


def test_an_unknown_deputy_or_approver_points_at_its_key(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, ROLES, BAD_ROLES)
    write(root, WAIVERS, BAD_WAIVERS)
    result = check(root, TODAY)
    assert ("PP603", 27, 5) in located_in(result, ROLES)
    assert ("PP503", 16, 5) in located_in(result, WAIVERS)


BAD_MATRIX = """\
practices:
  - id: D1
    type: designing
    levels: [top]
    cases: [1]
    title: Adopt and maintain an organizational vision of the PP
  - id: D1
    type: designing
    levels: [top]
    cases: [1]
    title: Again
  - id: S5
    type: nonsense
    levels: [mid]
    cases: [1]
    title: Develop a logical model of PP
  - id: E1
    type: evaluating
    levels: [sky]
    cases: [1, 2]
    title: Ensure feedback from PA and QI teams
  - 42
  - id: lowercase1
    type: evaluating
    levels: [mid]
    title: Bad id
"""


def test_every_malformed_practice_is_a_located_diagnostic(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, MATRIX, BAD_MATRIX)
    result = check(root, TODAY)
    found = located_in(result, MATRIX)
    expected = {("PP605", 7, 5), ("PP604", 13, 5), ("PP604", 19, 14), ("PP604", 22, 5), ("PP604", 23, 5)}
    assert found >= expected, sorted(found)
    assert {line for _, line, _ in found} <= {7, 13, 19, 22, 23}, sorted(found)
    assert [c.practice.id for c in result.coverage] == ["D1"]


@pytest.mark.parametrize(
    ("relative", "text", "line", "column"),
    [
        (ROLES, "roles:\n  - id: a\n    title: [unclosed\n    level: top\n", 4, 10),
        (WAIVERS, "waivers:\n  - practice: E1\n   reason: bad indent\n", 3, 4),
        (ROLES, "roles:\n  - id: a\n  - id: b\n    id: c\n", 4, 5),
        (WAIVERS, "waivers:\n  - practice: E1\n    reason: !!python/object/apply:os.system [ls]\n", 3, 13),
        (ROLES, "roles: [\n", 2, 1),
        (WAIVERS, "waivers: []\n---\nwaivers: []\n", 2, 1),
    ],
    ids=["unclosed-flow", "bad-indent", "duplicate-key", "python-tag", "truncated", "two-documents"],
)
def test_a_yaml_error_in_a_data_file_is_located(
    tmp_path: Path, relative: str, text: str, line: int, column: int
) -> None:
    root = playbook(tmp_path)
    write(root, relative, text)
    result = check(root, TODAY)
    [diagnostic] = [d for d in result.diagnostics if d.path == relative]
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", line, column), diagnostic
    assert result.coverage_of("S5") is not None


def test_a_yaml_error_in_the_matrix_is_exit_code_2_with_its_location(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    write(root, MATRIX, "practices:\n  - id: D1\n    type: [designing\n")
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    assert code == 2
    assert re.search(r"checks/matrix\.yml'?:4:1: ", output), output


@pytest.mark.parametrize(
    "text",
    ["", "practices: []\n", "practices: {D1: x}\n", "- D1\n", "practices:\n  - 1\n  - 2\n", "\x00\x01"],
    ids=["empty", "no-practice", "mapping", "list", "no-valid-practice", "binary"],
)
def test_an_unusable_matrix_is_exit_code_2(tmp_path: Path, text: str) -> None:
    root = playbook(tmp_path)
    write(root, MATRIX, text)
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    assert code == 2, output
    assert "checks/matrix.yml" in output
    assert "Traceback" not in output


def test_the_limits_are_configurable_through_the_plugin_entry(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    assert codes(check(root, TODAY)) == []
    append_body(root, "z" * 115 + "\n")
    assert codes(check(root, TODAY)) == []
    set_options(root, {"limits": {"max_line_length": 110}})
    assert codes(check(root, TODAY), VISION) == ["PP108"]
