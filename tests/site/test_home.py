"""The home page at a glance and the owners page (issue 13, findings 2, 3 and 6).

The Markdown of the pages is tested as plain functions; what a reader sees (sizes, colours, the legend,
contrast) in Chromium at 1280 and 390 px, on the sample playbook with problems: an overdue review (S5),
a missing practice (S3), a practice owned at the wrong level (D1, no owner) and one without an approved
artifact (S1, no evidence).
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder
from site_support import AXE, BuiltSite, build_copy, copy_sample, served, unavailable

from pptoolkit.checking.checker import Result, check
from pptoolkit.i18n import use_language
from pptoolkit.publishing.pages import home_page, status_label
from pptoolkit.publishing.pages.owners import owners_page

STUDY_IDS = [f"{t}{n}" for t, count in (("D", 7), ("S", 7), ("O", 8), ("E", 3)) for n in range(1, count + 1)]


def with_problems(root: Path) -> Path:
    """The sample playbook at ``root`` with one practice of each kind of problem the home page must tell apart."""
    edits = {
        "policies/structuring/logic-model.md": ("review_by: 2027-10-31", "review_by: 2026-01-31"),  # S5 stale
        "policies/designing/vision.md": ("owner: president-director-general", "owner: pp-coordinator"),  # D1
        "policies/structuring/strategic-goal.md": ("status: approved", "status: draft"),  # S1 no evidence
    }
    for name, (before, after) in edits.items():
        file = root / name
        assert before in file.read_text(encoding="utf-8"), name
        file.write_text(file.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    for name in ("compensation-policy.md", "compensation-policy.en.md"):  # S3 missing
        (root / "policies" / "structuring" / name).unlink()
    return root


@pytest.fixture(scope="module")
def sample() -> Result:
    return check(REPO_ROOT, TODAY)


@pytest.fixture(scope="module")
def troubled(tmp_path_factory: pytest.TempPathFactory) -> Result:
    result = check(with_problems(copy_sample(tmp_path_factory.mktemp("troubled") / "playbook")), TODAY)
    statuses = {c.practice.id: c.status for c in result.coverage}
    assert [statuses[p] for p in ("S5", "S3", "D1", "S1")] == ["stale", "missing", "no-owner", "no-evidence"]
    return result


# The matrix's short titles ------------------------------------------------------------------------------


def test_every_practice_of_the_study_has_a_short_title_in_each_language(sample: Result) -> None:
    practices = [c.practice for c in sample.coverage]
    assert [p.id for p in practices] == STUDY_IDS
    for language in ("en", "fr"):
        shorts = [p.short_title_in(language) for p in practices]
        assert len(set(shorts)) == len(shorts), f"{language}: two practices share a short title"
        for practice, short in zip(practices, shorts, strict=True):
            assert len(short) < len(practice.title_in(language)), (practice.id, language, short)
            assert not re.search(r"\b(PP|PA|QI|HCO)\b", short), (practice.id, language, short)
    d1 = sample.coverage[0].practice
    assert d1.short_title_in("en") == "Organizational vision" and d1.short_title_in("fr") == "Vision organisationnelle"
    assert d1.title == "Adopt and maintain an organizational vision of the PP"  # the study's wording, untouched


def test_a_practice_without_a_short_title_is_named_by_its_title_in_the_language_in_use(troubled: Result) -> None:
    practice = troubled.coverage[0].practice.model_copy(update={"short_title": None, "translations": {}})
    assert practice.short_title_in("fr") == practice.short_title_in("en") == practice.title


# The home page's entries ----------------------------------------------------------------------------------


def test_each_entry_gives_the_id_short_title_status_and_owner_in_words(troubled: Result) -> None:
    home = home_page(troubled).content
    assert 'title="' not in home  # no tooltip holds what the entry does not say
    entry = re.search(
        r'<span class="pp-chip pp-covered">\[D2 · ([^\]]+)\]\(practices/D2\.md\) · '
        r'<span class="pp-chip-status">([^<]+)</span> · \[[^\]]+\]\(owners\.md#role-([a-z-]+)\)</span>',
        home,
    )
    assert entry is not None, "D2's entry"
    assert entry.groups() == ("Integrate in the code of ethics", "Covered", "director-quality")
    for practice, status in (("S5", "stale"), ("S3", "missing"), ("D1", "no-owner"), ("S1", "no-evidence")):
        assert f'<span class="pp-chip pp-{status}">[{practice} · ' in home, practice
    assert re.search(
        r'<span class="pp-chip pp-missing">\[S3 · [^\]]+\]\(practices/S3\.md\) · '
        r'<span class="pp-chip-status">Missing</span> · no owner yet</span>',
        home,
    ), "a missing practice's entry says that nobody owns it"


def test_a_practice_that_does_not_apply_needs_no_owner(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write(
        "checks/applicability.yml",
        "not_applicable:\n  - practice: X1\n    reason: The annual report covers it\n"
        "    approved_by: director-general\n    review_by: 2027-03-31\n",
    )
    home = home_page(small_playbook.check()).content
    assert re.search(
        r'<span class="pp-chip pp-not-applicable">\[X1 · [^\]]+\]\(practices/X1\.md\) · '
        r'<span class="pp-chip-status">Not applicable</span> · no owner needed</span>',
        home,
    )


def test_the_french_home_page_speaks_french(troubled: Result) -> None:
    with use_language("fr"):
        home = home_page(troubled).content
    assert (
        '[D1 · Vision organisationnelle](practices/D1.md) · <span class="pp-chip-status">Sans responsable</span>'
        in home
    )
    assert "Légende" in home and "dont en retard de révision" in home


# The owners page ------------------------------------------------------------------------------------------


def test_the_owners_page_opens_with_who_owns_what(troubled: Result) -> None:
    owners = owners_page(troubled).content
    summary = owners.split("## Who owns what", 1)[1].split("\n## ", 1)[0]
    assert owners.index("## Who owns what") < owners.index("{ #role-")  # the summary comes before the details
    assert "None." not in owners and "None" not in summary
    rows = [line for line in summary.split("\n") if line.startswith("| [")]
    assert len(rows) == len(troubled.playbook.roles)  # every role, in one table
    coordinator = next(row for row in rows if "(owners.md#role-pp-coordinator)" in row)
    assert (
        '[D1 · Organizational vision](practices/D1.md) <span class="pp-badge pp-no-owner">No owner</span>'
        in coordinator
    )
    assert '[S5 · Logic model](practices/S5.md) <span class="pp-badge pp-stale">Review overdue</span>' in coordinator
    idle = [row for row in rows if "owns no practice yet" in row]
    assert idle, "the sample has roles that own nothing"
    assert all("practices/" not in row for row in idle)


def test_a_role_that_owns_nothing_says_so_in_french_too(troubled: Result) -> None:
    with use_language("fr"):
        owners = owners_page(troubled).content
    assert "n'est encore responsable d'aucune pratique" in owners and "Aucun." not in owners


# In the browser --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def troubled_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_copy(with_problems(copy_sample(tmp_path_factory.mktemp("troubled-site") / "playbook")), strict=False)


@pytest.fixture(scope="module")
def served_site(troubled_site: BuiltSite) -> Iterator[str]:
    with served(troubled_site.site) as url:
        yield url


def opened(browser: Any, url: str, width: int) -> Any:
    phone = width < 720
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return page


SIZES = """
() => {
  const body = parseFloat(getComputedStyle(document.querySelector('.md-content p')).fontSize);
  return [...document.querySelectorAll('.md-content .pp-chip')].map(chip => ({
    text: chip.textContent, size: parseFloat(getComputedStyle(chip).fontSize), body,
    title: chip.getAttribute('title') || [...chip.querySelectorAll('[title]')].length > 0,
  }));
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_entries_are_at_least_the_body_size_and_say_everything_in_words(
    browser: Any, served_site: str, troubled_site: BuiltSite, width: int
) -> None:
    page = opened(browser, served_site + "index.html", width)
    chips = page.evaluate(SIZES)
    practices = {c.practice.id: c for c in troubled_site.result.coverage}
    assert {chip["text"].split(" · ")[0] for chip in chips} == set(practices)
    for chip in chips:
        assert chip["size"] >= chip["body"], chip
        assert not chip["title"], chip
        practice_id, short, status, _owner = chip["text"].split(" · ", 3)
        assert short == practices[practice_id].practice.short_title_in("fr")
        with use_language("fr"):
            assert status == status_label(practices[practice_id].status)
    page.context.close()


LEGEND = """
() => {
  const bar = [...document.querySelectorAll('.pp-bar rect')].map(rect => ({
    status: rect.getAttribute('class').replace('pp-fill-', ''), colour: getComputedStyle(rect).fill,
  }));
  const items = [...document.querySelectorAll('.pp-legend li')].map(item => {
    const box = item.getBoundingClientRect();
    return {
      status: item.className.replace('pp-legend-', ''), text: item.textContent.trim(),
      colour: getComputedStyle(item.querySelector('.pp-swatch')).backgroundColor,
      visible: box.width > 0 && box.height > 0,
    };
  });
  const entries = [...document.querySelectorAll('.md-content .pp-chip')].map(chip => ({
    status: [...chip.classList].find(c => c !== 'pp-chip').replace('pp-', ''),
    colour: getComputedStyle(chip).borderLeftColor,
  }));
  return {bar, items, entries};
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_legend_names_each_colour_of_the_bar_with_its_count(
    browser: Any, served_site: str, troubled_site: BuiltSite, width: int
) -> None:
    page = opened(browser, served_site + "index.html", width)
    shown = page.evaluate(LEGEND)
    page.context.close()
    counts = troubled_site.result.coverage_counts()
    assert [(i["status"], i["colour"]) for i in shown["items"]] == [(b["status"], b["colour"]) for b in shown["bar"]]
    assert {item["status"]: item["text"] for item in shown["items"]} == {
        "covered": f"Couvertes\u00a0: {counts.covered}",
        "stale": f"dont en retard de révision\u00a0: {counts.overdue}",
        "missing": "Manquante\u00a0: 1",
        "no-owner": "Sans responsable\u00a0: 1",
        "no-evidence": "Sans preuve\u00a0: 1",
    }
    assert all(item["visible"] for item in shown["items"]), shown["items"]
    swatches = {item["status"]: item["colour"] for item in shown["items"]}
    for entry in shown["entries"]:  # each entry is edged with its status's colour in the legend
        assert entry["colour"] == swatches[entry["status"]], entry
    colours = [item["colour"] for item in shown["items"]]
    assert len(set(colours)) == len(colours), "two statuses share a colour"
    gaps = [hue(i["colour"]) for i in shown["items"] if i["status"] in ("missing", "no-owner", "no-evidence")]
    apart = [min(abs(a - b), 360 - abs(a - b)) for n, a in enumerate(gaps) for b in gaps[n + 1 :]]
    assert min(apart) >= 15, gaps  # hues apart, not shades of one red


def hue(colour: str) -> float:
    """The hue (degrees) of an ``rgb(r, g, b)`` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["index.html", "owners.html", "en/index.html"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_pages_with_problems_pass_axe(browser: Any, served_site: str, path: str, width: int) -> None:
    if not AXE.is_file():
        unavailable(f"{AXE} is missing: run `npm ci` at the repository's root")
    phone = width < 720
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.add_init_script(path=str(AXE))  # an inline <script> tag would be refused by the site's policy
    page.goto(served_site + path, wait_until="networkidle")
    violations = page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))""",
        WCAG_TAGS,
    )
    context.close()
    assert violations == [], f"{path} at {width} px: {violations}"
