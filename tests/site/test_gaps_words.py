"""No internal words on the pages managers read: the text of every generated page (home, matrix, practices,
levels, artifacts, owners, gaps, evidence's "what this document proves"), in both languages, of the sample and
of the sample with gaps, holds no ``None``, no identifier of a kind or a status, no file path, no "Counts?".

Only the folded "For editors" details may name a file, a rule or an identifier."""

from __future__ import annotations

import re

import pytest
from playbook_support import REPO_ROOT, TODAY
from site_support import copy_sample

from pptoolkit.checking.checker import Result, check
from pptoolkit.checking.coverage import STATUSES
from pptoolkit.i18n import use_language
from pptoolkit.model.artifacts import KINDS
from pptoolkit.publishing.pages import EvidenceBacklinks, published_files, site_pages

SLUGS = sorted(word for word in {*KINDS, *STATUSES} if "-" in word)
"""Identifiers that are not words: a kind or a status with a hyphen (``compensation-policy``, ``no-owner``)."""
INTERNAL = re.compile(
    r"(?<![\w-])(?:" + "|".join(map(re.escape, SLUGS)) + r")(?![\w-])"
    r"|\bNone\b|Counts\?|[\w./-]+\.(?:md|ya?ml)\b|\bPP\d{3}\b"
)


def visible_text(markdown: str) -> str:
    """What a reader sees of a generated page: no front matter, link targets, tags, anchors or editors' details."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r'<details class="pp-editors">.*?</details>', "", text, flags=re.S)
    text = re.sub(r"\]\((?:<[^>]*>|[^)\s]*)\)", "]", text)
    text = re.sub(r"\{[:]?\s*#[^}]*\}", "", text)
    return re.sub(r"<[^>]+>", " ", text)


def managers_pages(result: Result, language: str) -> dict[str, str]:
    """The generated pages and the evidence pages' added section, in ``language``, with their visible text."""
    with use_language(language):
        pages = {page.path: page.content for page in site_pages(result, language)}
        backlinks = EvidenceBacklinks(result)
        for site_path in published_files(result):
            pages[site_path] = backlinks(site_path)
    written = {a.model.id for a in result.playbook.artifacts}
    # An artifact's own body is the organization's text: its page is read up to where that body starts.
    for path, content in pages.items():
        if path.startswith("artifacts/") and path.removeprefix("artifacts/").removesuffix(".md") in written:
            pages[path] = content[: content.rindex("</div>\n") + len("</div>\n")]
    return {path: visible_text(content) for path, content in pages.items()}


@pytest.fixture(scope="module")
def sample_with_gaps(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """The sample without two of its policies and with an owner that is not in the registry."""
    root = copy_sample(tmp_path_factory.mktemp("words") / "playbook")
    for path in sorted((root / "policies").rglob("*.md"))[:2]:
        path.unlink()
    vision = next((root / "policies").rglob("vision.md"))
    vision.write_text(re.sub(r"(?m)^owner: .*$", "owner: nobody", vision.read_text(encoding="utf-8"), count=1))
    return check(root, TODAY)


def internal_words(result: Result) -> list[str]:
    return [
        f"{language} {path}: {found.group(0)!r} in {text[max(0, found.start() - 40) : found.end() + 40]!r}"
        for language in result.playbook.settings.languages
        for path, text in managers_pages(result, language).items()
        for found in INTERNAL.finditer(text)
    ]


@pytest.mark.parametrize("which", ["sample", "sample with gaps"])
def test_no_internal_word_on_a_page_for_managers(which: str, sample_with_gaps: Result) -> None:
    result = check(REPO_ROOT, TODAY) if which == "sample" else sample_with_gaps
    assert len(result.playbook.settings.languages) == 2
    if which != "sample":
        assert {d.code for d in result.diagnostics} >= {"PP401", "PP302"}
    assert internal_words(result) == []


def test_the_finder_sees_internal_words() -> None:
    page = (
        "---\ntitle: x\n---\n# Compensation\n| compensation-policy | None | Counts? |\n"
        "Source: `policies/compensation.md` [S3](../practices/S3.md) no-owner PP302\n"
        '<details class="pp-editors"><summary>For editors</summary>checks/matrix.yml</details>\n'
    )
    found = [m.group(0) for m in INTERNAL.finditer(visible_text(page))]
    assert found == ["compensation-policy", "None", "Counts?", "policies/compensation.md", "no-owner", "PP302"]
