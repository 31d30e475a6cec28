"""Every page of the site carries a Content Security Policy that allows script only from the site itself.

Read from the built pages (the browser tests in ``test_browser_security.py`` show that the
site works under the policy): each page's inline scripts are allowed by their hashes and by
nothing broader, and a playbook with its own ``custom_dir`` keeps the policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from site_support import BuiltSite, build_copy, copy_small, html_pages

from pptoolkit.publishing.build import BuildFailed

pytestmark = pytest.mark.slow  # builds sites

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def directives(page: str) -> dict[str, list[str]]:
    """The page's policy, directive by directive (fails when the page has none, or two)."""
    [policy] = POLICY.findall(page)
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def themed_pages(site: Path) -> list[Path]:
    """The pages the theme renders (published evidence files are not themed)."""
    return [page for page in html_pages(site) if "files" not in page.relative_to(site).parts]


def test_every_page_allows_only_its_own_inline_scripts_and_nothing_from_another_host(sample_site: BuiltSite) -> None:
    pages = themed_pages(sample_site.site)
    assert sample_site.site / "404.html" in pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        policy = directives(text)
        scripts = INLINE_SCRIPT.findall(text)
        assert scripts, page  # Material's pages have inline scripts: the test looks at some
        script_sources = policy["script-src"]
        assert script_sources[0] == "'self'" and all(s.startswith("'sha256-") for s in script_sources[1:]), page
        assert {sha256(script) for script in scripts} <= set(script_sources), page
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        every_source = [source for sources in policy.values() for source in sources]
        assert not [s for s in every_source if s.startswith(("'unsafe", "http", "*")) or s == "https:"], page
        head, _ = text.split("</head>", 1)
        assert POLICY.search(head), f"{page}: the policy must be in the head"


def _with_custom_dir(root: Path, main: str | None) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
        encoding="utf-8",
    )
    partials = root / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "copyright.html").write_text('<div class="own-footer">Our own footer</div>\n', encoding="utf-8")
    if main is not None:
        (root / "overrides" / "main.html").write_text(main, encoding="utf-8")


def test_a_playbook_with_its_own_custom_dir_keeps_its_overrides_and_the_policy(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    _with_custom_dir(root, None)
    site = build_copy(root, strict=True).site
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Our own footer" in home
    assert directives(home)["script-src"][0] == "'self'"


def test_a_main_html_of_its_own_includes_the_policy_or_the_strict_build_says_how(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = copy_small(tmp_path / "without")
    _with_custom_dir(
        root, '{% extends "base.html" %}\n{% block extrahead %}<meta name="x" content="y">{% endblock %}\n'
    )
    with pytest.raises(BuildFailed):
        build_copy(root, strict=True)
    assert '{% include "pptoolkit/csp.html" %}' in caplog.text
    root = copy_small(tmp_path / "with")
    _with_custom_dir(
        root,
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="x" content="y">'
        '{% include "pptoolkit/csp.html" %}{% endblock %}\n',
    )
    home = (build_copy(root, strict=True).site / "index.html").read_text(encoding="utf-8")
    assert '<meta name="x" content="y">' in home
    assert directives(home)["object-src"] == ["'none'"]


def test_a_page_cannot_choose_a_template_without_the_policy(tmp_path: Path) -> None:
    """Review F9: `template: base.html` in a content page's front matter gave a page with no policy."""
    root = copy_small(tmp_path / "playbook")
    (root / "content" / "t08.md").write_text("---\ntemplate: base.html\n---\n\n# No policy page\n", encoding="utf-8")
    (root / "evidence" / "minutes.md").write_text(
        "---\n'template': base.html\n---\n\n# Minutes\n\nThe board met.\n", encoding="utf-8"
    )
    with pytest.raises(BuildFailed):
        build_copy(root, strict=True)
    built = build_copy(root, strict=False)
    found = {(d.path, d.line, d.column) for d in built.result.diagnostics if d.code == "PP311"}
    assert found == {("content/t08.md", 2, 1), ("evidence/minutes.md", 2, 1)}
    for page in (built.site / "t08.html", built.site / "files" / "evidence" / "minutes.html"):
        text = page.read_text(encoding="utf-8")
        assert directives(text)["script-src"], page  # the theme's main.html wrote it, with its policy
