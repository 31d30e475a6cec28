"""Real builds: the small playbook and the repository's sample playbook, copied to a temporary folder.

Through ``pptoolkit.publishing.build.build_site`` (the session fixtures of ``conftest.py``)
and through the command line ``python -m pptoolkit build``: strict builds fail
on checker errors and leave the published site as it was, warnings never fail
a build, every page of the issue exists, nothing references another host, every
evidence link works, the navigation does not grow with the artifacts, a tag
outside ``tags_allowed`` fails the build, and a build killed midway loses nothing.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from site_support import (
    CSS_URL,
    LINK_TITLE,
    REPO_ROOT,
    SCRIPT_TITLE,
    BuiltSite,
    add_artifacts,
    build_cli,
    built_name,
    built_page,
    cli_command,
    cli_env,
    copy_sample,
    copy_small,
    html_pages,
    is_external,
    non_generated_files,
    page_sources,
    parse_page,
    published_names,
    resolve,
    set_today,
    snapshot,
    write_hostile_playbook,
)

from pptoolkit.checking.checker import check
from pptoolkit.publishing import pages
from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site
from pptoolkit.reading.links import LinkKind, classify

pytestmark = pytest.mark.slow  # builds sites


@pytest.fixture(params=["small_site", "sample_site"])
def built(request: pytest.FixtureRequest) -> BuiltSite:
    """Each built playbook in turn."""
    site: BuiltSite = request.getfixturevalue(request.param)
    return site


# The published pages ----------------------------------------------------------------------------


def test_every_page_of_the_issue_is_built(built: BuiltSite) -> None:
    missing = [source for source in page_sources(built) if not built_page(built.site, source).is_file()]
    assert missing == []
    for site_path in pages.published_files(built.result):
        assert built_page(built.site, site_path).is_file(), f"evidence file {site_path} is not published"


def test_every_table_of_a_page_is_ready_to_be_cards_and_the_search_index_has_none_of_its_labels(
    built: BuiltSite,
) -> None:
    """The labels are written into the page, not into what the search index reads (the index keeps no attribute)."""
    tables = 0
    for page in built.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tables += text.count('<table role="table" data-pp-cards="">')
        assert "<table>\n<thead>" not in text, page  # a header row left without labels
    assert tables > 10
    matrix = (built.site / "matrix.html").read_text(encoding="utf-8")
    assert 'role="cell" data-label="' in matrix
    assert "data-label" not in (built.site / "search/search_index.json").read_text(encoding="utf-8")


def test_the_site_holds_only_generated_pages_theme_files_and_the_publication(built: BuiltSite) -> None:
    publication = built.result.playbook.publication
    assert non_generated_files(built.root, built.site, built.result) == published_names(built.result)
    if len(built.result.playbook.settings.languages) == 1:
        assert published_names(built.result) == {built_name(file.site_path) for file in publication.files}
    assert {file.source for file in publication.files if file.content_page} >= {"content/tags.md"}


def test_the_sample_playbook_builds_with_pptoolkit_build(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "playbook")
    done = build_cli(root)
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "matrix.html").is_file()


def test_no_page_references_another_host(built: BuiltSite) -> None:
    found = []
    for page in html_pages(built.site):
        name = page.relative_to(built.site).as_posix()
        found += [
            f"{name}: <{link.tag} {link.attribute}={link.url!r}>"
            for link in parse_page(page).links
            if is_external(link.url)
        ]
    assert found == []


def test_no_stylesheet_loads_from_another_host(built: BuiltSite) -> None:
    for stylesheet in built.site.rglob("*.css"):
        text = stylesheet.read_text(encoding="utf-8")
        imports = re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", text)
        urls = [url for url in CSS_URL.findall(text) if not url.startswith("data:")]  # data: URIs load nothing
        assert [url for url in [*imports, *urls] if is_external(url)] == [], stylesheet


def test_every_internal_link_and_resource_exists(built: BuiltSite) -> None:
    broken = []
    for page in html_pages(built.site):
        for link in parse_page(page).links:
            if is_external(link.url) or link.url.startswith("#"):
                continue
            target = resolve(built.site, page, link.url)
            if target is None or not target.is_file():
                broken.append(f"{page.relative_to(built.site)}: {link.attribute}={link.url!r}")
    assert broken == []


def evidence_target(built: BuiltSite, target: str) -> Path:
    """Where the evidence file ``target`` (playbook-relative) is published (a Markdown file becomes a page)."""
    return built_page(built.site, pages.file_path(target))


def test_every_evidence_link_of_artifact_pages_works(built: BuiltSite) -> None:
    checked = 0
    for artifact in built.result.playbook.artifacts:
        page = built_page(built.site, pages.artifact_path(artifact.model.id))
        hrefs = {resolve(built.site, page, link.url) for link in parse_page(page).anchors()}
        for item in artifact.model.evidence:
            if item.link.startswith("https://"):
                continue
            found = classify(item.link, artifact.path, built.result.playbook.root)
            assert found.kind is LinkKind.FILE and found.target is not None, f"{artifact.path}: {item.link!r}"
            target = found.target
            expected = evidence_target(built, target)
            assert expected in hrefs, f"{page.name}: no link to {expected.relative_to(built.site)}"
            assert expected.is_file()
            checked += 1
    assert checked > 0


def test_every_evidence_link_of_practice_pages_works(built: BuiltSite) -> None:
    checked = 0
    for coverage in built.result.coverage:
        page = built_page(built.site, pages.practice_path(coverage.practice.id))
        # The section keeps its anchor in every language (#evidence), whatever its heading says.
        links = [link for link in parse_page(page).anchors(section="evidence") if not link.url.startswith("#")]
        for link in links:
            target = resolve(built.site, page, link.url)
            assert target is not None and target.is_file(), f"{page.name}: {link.url}"
        hrefs = {resolve(built.site, page, link.url) for link in links}
        for item in coverage.evidence:
            if item.target is None:
                continue
            assert evidence_target(built, item.target) in hrefs, f"{page.name}: {item.title}"
            checked += 1
    assert checked > 0


def test_generated_tags_are_in_the_sample_allow_list() -> None:
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    tags = next(p["tags"] for p in config["plugins"] if isinstance(p, dict) and "tags" in p)
    assert set(pages.allowed_tags()) <= set(tags["tags_allowed"])


# Navigation -------------------------------------------------------------------------------------


def test_navigation_does_not_grow_with_artifacts(small_site: BuiltSite, tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    extra = add_artifacts(root, 40, paragraphs=1)
    set_today(root)
    site = build_site(BuildOptions(root=root, site_dir=root / "site"))
    small_nav = parse_page(small_site.site / "index.html").nav_links()
    large_nav = parse_page(site / "index.html").nav_links()
    assert len(large_nav) == len(small_nav)
    assert len(large_nav) <= 20
    assert not [href for href in large_nav if href.startswith("artifacts/") and href != "artifacts/index.html"]
    listing = {link.url for link in parse_page(site / "artifacts" / "index.html").anchors()}
    assert {f"{artifact_id}.html" for artifact_id in extra} <= listing
    for artifact_id in extra[:3]:
        assert parse_page(site / "artifacts" / f"{artifact_id}.html").nav_links() == small_nav_of(small_site)


def small_nav_of(small_site: BuiltSite) -> list[str]:
    """The navigation of an artifact page of the small site (the same links, seen from ``artifacts/``)."""
    return parse_page(small_site.site / "artifacts" / "vision.html").nav_links()


# Strict and non-strict builds -------------------------------------------------------------------


def break_owner(root: Path) -> None:
    """Give the small playbook's vision an owner that is not in the roles registry (errors PP302, PP402)."""
    vision = root / "policies" / "vision.md"
    text = vision.read_text(encoding="utf-8")
    assert "owner: director-general\n" in text
    vision.write_text(text.replace("owner: director-general\n", "owner: nobody\n"), encoding="utf-8")


def test_strict_build_with_errors_fails_names_them_and_keeps_the_site(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    first = build_cli(root)
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "site")
    break_owner(root)
    diagnostic = next(d for d in check(root, date.today()).diagnostics if d.code == "PP302")
    done = build_cli(root)
    assert done.returncode == 1
    reported = [line for line in done.stderr.splitlines() if "PP302" in line]
    assert reported, done.stderr
    assert reported[0].startswith("policies/vision.md:")
    assert diagnostic.message in reported[0]
    assert "not built: the checker found 2 errors" in done.stderr
    assert "the published site is unchanged" in done.stderr
    assert snapshot(root / "site") == before
    assert not list(root.glob(".site-*"))


def test_build_site_raises_on_errors_in_strict_mode(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    break_owner(root)
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, site_dir=root / "site", strict=True))
    assert not (root / "site").exists()
    assert not list(root.glob(".site-*"))


def test_no_strict_build_shows_the_errors_on_the_gaps_page(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    break_owner(root)
    result = check(root, date.today())
    assert result.errors
    done = build_cli(root, "--no-strict")
    assert done.returncode == 0, done.stderr
    gaps = parse_page(root / "site" / "gaps.html")
    errors = next(text for section, text in gaps.sections.items() if section.startswith("errors"))
    for diagnostic in (d for d in result.diagnostics if d.is_error):
        assert diagnostic.code in errors
        if diagnostic.code == "PP302":  # in words, without the registry's role ids: tests/site/test_gaps.py
            assert "The owner named in Our vision of partnership is not in the roles registry." in errors
        else:
            assert " ".join(diagnostic.message.split()) in errors, diagnostic.message
    assert "missing an anchor" not in done.stderr and "does not contain an anchor" not in done.stderr


def test_warnings_alone_never_fail_a_strict_build(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    model = root / "policies" / "logic-model.md"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("review_by: 2027-01-31", "review_by: 2026-02-01"), encoding="utf-8")
    result = check(root, date.today())
    assert result.errors == 0
    assert result.warnings > 0
    done = build_cli(root)
    assert done.returncode == 0, done.stderr
    gaps = parse_page(root / "site" / "gaps.html")
    warnings = next(text for section, text in gaps.sections.items() if section.startswith("warnings"))
    for diagnostic in result.diagnostics:
        assert diagnostic.code in warnings


def test_a_tag_outside_the_allow_list_fails_the_build(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    (root / "content" / "typo.md").write_text("---\ntags:\n  - desgning\n---\n\n# A typo in a tag\n", encoding="utf-8")
    done = build_cli(root)
    assert done.returncode == 1
    assert "desgning" in done.stderr
    assert not (root / "site").exists()
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, site_dir=root / "site", strict=False))


# Escaping ---------------------------------------------------------------------------------------


def test_hostile_titles_show_as_text_in_html(tmp_path: Path) -> None:
    root = write_hostile_playbook(tmp_path / "playbook")
    set_today(root)
    site = build_site(BuildOptions(root=root, site_dir=root / "site"))
    for page in html_pages(site):
        parsed = parse_page(page)
        for attributes, text in parsed.scripts:
            assert "alert" not in text and "alert" not in attributes.get("src", ""), page
        for link in parsed.links:
            assert not link.url.strip().lower().startswith("javascript:"), f"{page}: {link.url}"
    artifact = parse_page(site / "artifacts" / "vision.html")
    assert SCRIPT_TITLE in artifact.text  # the heading
    assert f"{SCRIPT_TITLE} - " in artifact.all_text  # the <title>
    assert LINK_TITLE in artifact.text  # the owner in the metadata panel
    owners = parse_page(site / "owners.html")
    assert LINK_TITLE in owners.sections["role-director-general"] or LINK_TITLE in owners.text
    assert any(link.text == LINK_TITLE and link.url.endswith("#role-director-general") for link in owners.anchors())
    for source in ("artifacts/index.md", "practices/D1.md", "levels/top.md", "tags.md"):
        assert SCRIPT_TITLE in parse_page(built_page(site, source)).all_text, source


# Interrupted builds -----------------------------------------------------------------------------


def test_a_build_killed_midway_leaves_the_published_site_intact(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    site = build_site(BuildOptions(root=root, site_dir=root / "site"))
    before = snapshot(site)
    add_artifacts(root, 300, paragraphs=3)
    log = tmp_path / "build.log"
    with log.open("w") as output:
        process = subprocess.Popen(cli_command(root), stdout=output, stderr=subprocess.STDOUT, env=cli_env())
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and process.poll() is None:
                staging = [d for d in root.glob(".site-site-new-*") if d.is_dir()]
                if any(any(f.is_file() for f in d.rglob("*")) for d in staging):
                    break  # MkDocs writes files only after reading every page: the build is midway
                time.sleep(0.01)
            assert process.poll() is None, f"the build ended before it could be killed:\n{log.read_text()}"
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert list(root.glob(".site-site-new-*")), "the killed build left no staging folder: it was not midway"
    assert snapshot(site) == before
    # The next build removes what the killed one left behind.
    for extra in (root / "policies" / "extra").iterdir():
        extra.unlink()
    build_site(BuildOptions(root=root, site_dir=root / "site"))
    assert not list(root.glob(".site-*"))
    assert snapshot(site).keys() == before.keys()


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the playbooks loaded from now on (every check loads its playbook once)."""
    import pptoolkit.checking.checker

    loads: list[Path] = []
    original = pptoolkit.checking.checker.load_playbook

    def counting(root: Path, *args: object, **kwargs: object) -> object:
        loads.append(root)
        return original(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pptoolkit.checking.checker, "load_playbook", counting)
    return loads


def test_pptoolkit_build_checks_the_playbook_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line checks, then hands its result to the plugin, which does not check again."""
    from click.testing import CliRunner

    from pptoolkit.cli import cli

    root = copy_small(tmp_path / "playbook")
    loads = _count_loads(monkeypatch)
    ran = CliRunner().invoke(cli, ["build", str(root), "--site-dir", str(tmp_path / "site")])
    assert ran.exit_code == 0, ran.output
    assert len(loads) == 1
    assert (tmp_path / "site" / "matrix.html").is_file()


def test_a_check_of_another_date_is_not_reused_by_the_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pptoolkit.checking.checker import check as check_playbook_at
    from pptoolkit.publishing.build import BuildOptions, build_site

    root = copy_small(tmp_path / "playbook")
    earlier = check_playbook_at(root, date(2020, 1, 1))
    loads = _count_loads(monkeypatch)
    build_site(BuildOptions(root=root, site_dir=tmp_path / "site", strict=False, checked=earlier))
    assert len(loads) == 1, "the plugin checked the playbook as of the build's own date"
