"""The page generators of `pptoolkit.publishing.pages`, without MkDocs.

Golden Markdown for the small playbook of ``tests/site/playbook``: one file per
generated page under ``tests/site/golden`` (``practices/D1.md`` is
``golden/practices__D1.md``). After a deliberate change of the pages, regenerate
them with ``PPTOOLKIT_UPDATE_GOLDEN=1 python -m pytest tests/site/test_pages.py`` (the test
fails, saying it updated them), review the diff and run the test again.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playbook_support import golden_updated, updating_golden
from site_support import GOLDEN, LINK_TITLE, SCRIPT_TITLE, SMALL_PLAYBOOK, TODAY, write_hostile_playbook

from pptoolkit.checking.checker import Result, check
from pptoolkit.publishing import pages


def golden_name(page_path: str) -> str:
    """The golden file of a generated page: its path with ``/`` as ``__``."""
    return page_path.replace("/", "__")


@pytest.fixture(scope="module")
def small() -> Result:
    """The small playbook, checked as of ``TODAY``."""
    return check(SMALL_PLAYBOOK, TODAY)


def test_small_playbook_is_clean(small: Result) -> None:
    assert [d.code for d in small.diagnostics] == []
    assert [c.status for c in small.coverage] == ["covered", "covered", "covered"]
    assert len(small.playbook.artifacts) == 2
    assert len(small.playbook.roles) == 2


def test_pages_match_golden_markdown(small: Result) -> None:
    generated = {golden_name(page.path): page.content for page in pages.site_pages(small)}
    assert len(generated) == len(pages.site_pages(small)), "two pages map to one golden file"
    if updating_golden():
        GOLDEN.mkdir(exist_ok=True)
        for stale in set(p.name for p in GOLDEN.glob("*.md")) - set(generated):
            (GOLDEN / stale).unlink()
        for name, content in generated.items():
            (GOLDEN / name).write_text(content, encoding="utf-8", newline="\n")
        golden_updated(GOLDEN)
    expected = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.md")}
    assert sorted(generated) == sorted(expected), "pages added or removed: regenerate with PPTOOLKIT_UPDATE_GOLDEN=1"
    for name, content in generated.items():
        assert content == expected[name], f"{name} differs from its golden file (PPTOOLKIT_UPDATE_GOLDEN=1 to update)"


def test_every_page_listed_by_the_issue_is_generated(small: Result) -> None:
    paths = {page.path for page in pages.site_pages(small)}
    expected = {
        "index.md",
        "matrix.md",
        "practices/index.md",
        "practices/D1.md",
        "practices/S5.md",
        "practices/E1.md",
        "levels/index.md",
        "levels/top.md",
        "levels/mid.md",
        "levels/front.md",
        "artifacts/index.md",
        "artifacts/vision.md",
        "artifacts/logic-model.md",
        "owners.md",
        "gaps.md",
        "glossary.md",
    }
    assert paths == expected


def test_evidence_files_are_published(small: Result) -> None:
    assert pages.published_files(small) == {"files/evidence/minutes.md": "evidence/minutes.md"}


def test_generated_tags_are_allowed(small: Result) -> None:
    allowed = set(pages.allowed_tags())
    for page in pages.site_pages(small):
        front_matter = page.content.split("---\n")[1]
        tags = re.findall(r"^  - (.+)$", front_matter, re.MULTILINE)
        assert set(tags) <= allowed, page.path


def test_lists_in_tables_read_as_words(small: Result) -> None:
    """A list inside a field of a kind (a logic model's targets) shows as words, never as a Python list."""
    artifact = pages.artifact_page(small, small.playbook.artifact("logic-model")).content
    assert "| Partnership in quality improvement | Every QI team has a patient advisor |" in artifact
    for page in pages.site_pages(small):
        assert not re.search(r"\\\[['\"]", page.content), f"{page.path}: a Python list repr"


def test_home_has_a_picture_with_a_text_alternative(small: Result) -> None:
    home = pages.home_page(small).content
    assert '<svg class="pp-bar"' in home
    assert 'role="img" aria-label="3 of 3 practices covered"' in home
    assert '<div class="pp-heatmap" markdown>' in home


# Escaping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", r"&lt;script&gt;alert\(1\)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript:alert\(1\)\)"),
        ("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
        ("a | b", r"a \| b"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("two\nlines", "two lines"),
        ("![img](x.png)", r"\!\[img\]\(x.png\)"),
        ("{: onclick=alert(1) }", r"\{: onclick=alert\(1\) \}"),
    ],
)
def test_esc(value: str, expected: str) -> None:
    assert pages.esc(value) == expected


def test_hostile_titles_are_escaped_in_markdown(tmp_path: Path) -> None:
    result = check(write_hostile_playbook(tmp_path / "playbook"), TODAY)
    assert result.playbook.artifact("vision").model.title == SCRIPT_TITLE
    assert result.playbook.roles["director-general"].model.title == LINK_TITLE
    generated = {page.path: page.content for page in pages.site_pages(result)}
    for path, content in generated.items():
        assert "<script" not in content, path
        assert "](javascript:" not in content, path
        assert "(javascript:alert(1))" not in content, path
    escaped_title = r"&lt;script&gt;alert\(1\)&lt;/script&gt;"
    escaped_role = r"\[x\]\(javascript:alert\(1\)\)"
    artifact = generated["artifacts/vision.md"]
    assert 'title: "&lt;script&gt;alert(1)&lt;/script&gt;"' in artifact  # front matter: MkDocs prints it as HTML
    assert f"# {escaped_title}\n" in artifact
    assert escaped_role in artifact  # the owner in the metadata panel
    assert escaped_title in generated["artifacts/index.md"]
    assert escaped_title in generated["practices/D1.md"]
    assert f"## {escaped_role} {{ #role-director-general }}" in generated["owners.md"]
    assert escaped_role in generated["matrix.md"]
    assert escaped_role in generated["levels/top.md"]


FOLDERS = st.lists(st.sampled_from(["a", "b", "practices", "files"]), max_size=3)
PAGES = st.sampled_from(["D1.md", "index.md", "x y.md", "é.md"])


@settings(max_examples=300, deadline=None)
@given(FOLDERS, PAGES, FOLDERS, PAGES)
def test_links_between_pages_are_the_relative_paths(source: list[str], page: str, target: list[str], to: str) -> None:
    """Links between generated pages are what posixpath.relpath gives, without asking the OS each time."""
    from_page, to_page = "/".join([*source, page]), "/".join([*target, to])
    assert pages.relative_url(from_page, to_page) == posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab é&<>\"\n\\`*_{}[]()!|~'#", max_size=12))
def test_escaping_a_value_is_html_escaping_then_markdown_escaping(value: str) -> None:
    """esc skips values with nothing to escape; whatever the value, its result is the full escape's."""
    full = html.escape(value, quote=False).replace('"', "&quot;").replace("\n", " ")
    assert pages.esc(value) == re.sub(r"([\\`*_{}\[\]()!|~])", r"\\\1", full)
