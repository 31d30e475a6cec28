"""An artifact's page as a manager reads it: its practices by title, each field of its kind once (under the body's
section of the same name when there is one), amounts in the reader's format, the source file for editors only,
and no blank space between the title and what follows (plain functions; the last test in Chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from playbook_support import PlaybookBuilder, artifact_text
from site_support import BuiltSite, served

from pptoolkit.i18n import use_language
from pptoolkit.publishing.pages import artifact_page

NBSP = "\u00a0"
POLICY_BODY = """
# Compensation

## Purpose

Advisors are paid for their time.

## Rates

The rates follow the level of engagement.

```text
## Budget
```

## Expenses

Expenses are always reimbursed.

## Right to decline

Anyone may decline.
"""


@pytest.fixture
def policy(playbook: PlaybookBuilder) -> PlaybookBuilder:
    """The study's matrix and a compensation policy (S3: rates, a budget of 20000 CAD) whose body has `## Rates`."""
    playbook.artifact("compensation.md", artifact_text("compensation-policy", body=POLICY_BODY))
    return playbook


def page_of(builder: PlaybookBuilder, language: str = "en") -> str:
    result = builder.check()
    [artifact] = result.playbook.artifacts
    with use_language(language):
        return artifact_page(result, artifact, language).content


def test_a_field_named_by_a_section_of_the_body_is_shown_under_it_and_only_there(policy: PlaybookBuilder) -> None:
    page = page_of(policy)
    rates = page.index("## Rates\n")
    assert page[rates:].startswith(
        '## Rates\n\n<div class="pp-details" markdown>\n\n| Activity | Amount | Unit |\n|---|---|---|\n'
        "| QI meeting | $50 | meeting |\n"
    )
    assert page.count("| QI meeting |") == 1
    assert "**Rates**" not in page
    # A heading inside a code block is the organization's text, not a section: the budget stays above the body.
    assert page.index("**Budget**") < page.index("## Purpose")
    assert page.count("| Amount | $20,000 |") == 1


@pytest.mark.parametrize(("language", "amount"), [("en", "$20,000"), ("fr", f"20{NBSP}000{NBSP}$")])
def test_amounts_are_written_as_the_reader_expects_with_their_currency(
    policy: PlaybookBuilder, language: str, amount: str
) -> None:
    page = page_of(policy, language)
    assert f"| {amount} |" in page
    assert "20000" not in page
    assert "CAD" not in page  # the currency is in the amount, not a column or a row of its own


def test_practices_are_named_by_their_title_and_the_source_file_is_for_editors(policy: PlaybookBuilder) -> None:
    page = page_of(policy)
    assert "| Practices implemented | [S3: Provide sufficient funds to compensate PA involved in QI activities]" in page
    assert "](../practices/S3.md) |" in page
    assert "| Source |" not in page
    [editors] = [line for line in page.splitlines() if "policies/compensation.md" in line]
    assert editors == (  # out of the search index: a result's snippet starts with the page's own text
        '<div data-search-exclude><details class="pp-editors"><summary>For editors</summary>'
        "Source file: <code>policies/compensation.md</code></details></div>"
    )


TEXT_TO_NEXT = """() => {
  const title = document.querySelector('.md-content h1');
  const text = document.createRange();  // the title's words, not its invisible permalink sign
  text.setStart(title, 0);
  const permalink = title.querySelector('.headerlink');
  if (permalink) text.setEndBefore(permalink); else text.setEnd(title, title.childNodes.length);
  const bottom = Math.max(...Array.from(text.getClientRects()).filter(r => r.width > 0).map(r => r.bottom));
  return Math.round(title.nextElementSibling.getBoundingClientRect().top - bottom);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_no_blank_space_lies_under_a_title(browser: Any, sample_site: BuiltSite, width: int) -> None:
    """What follows the title of every artifact and practice page of the sample starts right under its last line
    (the title's margin), in both languages: a long title on a phone leaves no blank line under it."""
    site = sample_site.site
    pages = [*site.glob("artifacts/*.html"), *site.glob("practices/*.html"), *site.glob("en/practices/D*.html")]
    paths = sorted(p.relative_to(site).as_posix() for p in pages if p.name != "index.html")
    assert len(paths) > 50
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    gaps = {}
    with served(site) as url:
        for path in paths:
            page.goto(url + path)
            gaps[path] = page.evaluate(TEXT_TO_NEXT)
    context.close()
    assert {path: gap for path, gap in gaps.items() if gap > 60} == {}


@pytest.mark.browser
def test_on_a_phone_the_metadata_panel_reads_field_then_value(browser: Any, sample_site: BuiltSite) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    with served(sample_site.site) as url:
        page.goto(url + "artifacts/compensation-policy-patient-advisors.html")
        cells = page.locator(".md-content .pp-meta table td")
        labels = cells.evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
        field = cells.first.evaluate("c => [c.textContent.trim(), getComputedStyle(c).fontWeight]")
    context.close()
    assert set(labels) == {"none"}  # no "Champ" / "Valeur" before each line
    assert field == ["Type de document", "700"]
