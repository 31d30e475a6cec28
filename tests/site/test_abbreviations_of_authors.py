"""An author's own ``<abbr title="...">`` is left as written: the site's glossary explains only the abbreviations
that nobody explained, never a second time inside the author's."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from site_support import build_copy, copy_small

from pptoolkit.checking.html_safety import sanitize_html
from pptoolkit.publishing.abbreviations import glossary, unnested

OWN = 'Le <abbr title="mine">CISSS</abbr> et le CISSS, <abbr title="à nous">le PP du CISSS</abbr>.'


def rendered(text: str) -> str:
    """``text`` as the site renders it: Python-Markdown with the glossary, then the sanitizer, then ``unnested``."""
    html = markdown.markdown(
        text, extensions=["md_in_html", "abbr"], extension_configs={"abbr": {"glossary": glossary("fr")}}
    )
    return unnested(sanitize_html(html))


def test_an_authors_abbreviation_keeps_its_own_title_and_no_second_one() -> None:
    html = rendered(OWN)
    assert "<abbr><abbr" not in html.replace(" ", "")
    assert re.findall(r"<abbr[^>]*>", html).count('<abbr title="mine">') == 1
    assert '<abbr title="mine">CISSS</abbr>' in html
    assert '<abbr title="à nous">le PP du CISSS</abbr>' in html
    # The CISSS that nobody explained is still explained by the glossary.
    assert f'<abbr title="{glossary("fr")["CISSS"]}">CISSS</abbr>' in html


def test_html_without_nested_abbreviations_is_unchanged() -> None:
    html = '<p><abbr title="a &gt; b">QI</abbr> <b>x</b> &lt;abbr&gt;</p><abbr>PP</abbr>'
    assert unnested(html) == html


@pytest.mark.slow  # builds a site
def test_a_content_page_with_its_own_abbreviation_is_built_without_a_second_one(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    content = next(path for path in (root / "content").rglob("*.md"))
    content.write_text(content.read_text(encoding="utf-8") + f"\n{OWN}\n", encoding="utf-8")
    built = build_copy(root, strict=True)
    page = (built.site / content.relative_to(root / "content")).with_suffix(".html").read_text(encoding="utf-8")
    assert '<abbr title="mine">CISSS</abbr>' in page
    assert not re.search(r"<abbr[^>]*>(?:(?!</abbr>).)*<abbr", page, re.S)
