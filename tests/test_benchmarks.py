"""Smoke test of the benchmarks (issue 6): the playbook generator and the runner work. Nothing here is timed."""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import yaml

pytestmark = pytest.mark.slow  # runs the benchmarks at small sizes

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
KIND = re.compile(r"^kind: (\S+)", re.MULTILINE)
OWNER = re.compile(r"^owner: (\S+)", re.MULTILINE)
TEAM_EVIDENCE = re.compile(r"\.\./\.\./(evidence/teams/\S+\.md)")
TARGETS = ("1. ", "1b. ", "2. ", "3. ", "3b. ", "3c. ", "4. ", "5a. ", "5b. ")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()
generate: Callable[..., Path] = generator.generate


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _kinds(policies: Path) -> set[str]:
    return {m for p in policies.rglob("*.md") for m in KIND.findall(p.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook of 1,000 artifacts with the default seed: large enough to hold a few broken files."""
    return generate(tmp_path_factory.mktemp("generated") / "playbook", 1000)


def test_the_generator_is_reproducible(tmp_path: Path) -> None:
    first = _files(generate(tmp_path / "first", 60))
    assert first == _files(generate(tmp_path / "again", 60))
    assert first != _files(generate(tmp_path / "other-seed", 60, seed=7))
    assert sum(name.startswith("policies/") for name in first) == 60


def test_the_playbook_holds_every_kind_of_the_sample(playbook: Path) -> None:
    assert _kinds(playbook / "policies") == _kinds(REPO / "policies")
    assert len(list((playbook / "policies").rglob("*.md"))) == 1000


def test_every_artifact_has_its_own_evidence_file(playbook: Path) -> None:
    linked = [
        link for p in (playbook / "policies").rglob("*.md") for link in TEAM_EVIDENCE.findall(p.read_text("utf-8"))
    ]
    assert len(linked) > 950  # all but the few broken links
    assert len(set(linked)) == len(linked)
    assert all((playbook / link).is_file() for link in linked)
    assert len(list((playbook / "evidence/teams").glob("*.md"))) == 1000


def test_generated_roles_are_registered_and_own_artifacts(playbook: Path) -> None:
    roles = {role["id"] for role in yaml.safe_load((playbook / "checks/roles.yml").read_text("utf-8"))["roles"]}
    assert {"mid-team-lead-0", "front-team-lead-39"} <= roles
    owners = [m for p in (playbook / "policies").rglob("*.md") for m in OWNER.findall(p.read_text("utf-8"))]
    assert any(re.fullmatch(r"(mid|front)-team-lead-\d+", owner) for owner in owners)
    assert set(owners) - roles <= {"nobody-in-particular"}  # the broken files' unknown owner


def test_the_few_broken_files_are_checker_errors(playbook: Path) -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "pptoolkit", "check", str(playbook), "--today", "2026-11-26"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    flagged = re.findall(r"^(policies/\S+\.md):\d+:\d+: (PP\d{3}) ", checked.stdout, re.MULTILINE)
    assert flagged, checked.stdout
    assert 1 <= len({file for file, _ in flagged}) <= 20  # a few, of the 1,000


def test_the_runner_runs_end_to_end_at_tiny_sizes() -> None:
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "30,60", "--site-sizes", "10,20", "--runs", "1"]
    ran = subprocess.run([*command, "--markdown"], capture_output=True, text=True, timeout=300, check=False)
    assert ran.returncode in (0, 1), ran.stderr  # the ratios mean nothing at these sizes: only that it runs
    assert "Traceback" not in ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("Machine: ") and "CPUs" in lines[0] and "Python" in lines[0]
    assert lines[1].startswith("Versions: ") and "pptoolkit " in lines[1] and "mkdocs-material " in lines[1]
    for target in TARGETS:
        assert sum(line.startswith(target) for line in lines) == 1, ran.stdout
        assert sum(line.startswith(f"| {target}") for line in lines) == 1, ran.stdout
    assert re.search(r"^\d of 9 targets met in \d+ s$", ran.stdout, re.MULTILINE)


ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
TAG_LINKS = re.compile(r'<nav class="md-tags"\s*>.*?</nav>', re.S)


def _article_text(page: Path) -> str:
    """What a reader reads of a page's article, but for its tags (the plugin shows them in the site's words)."""
    found = ARTICLE.search(page.read_text(encoding="utf-8"))
    body = TAG_LINKS.sub("", found.group(1)) if found else ""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", body)).split())


def _run(*arguments: str | Path) -> None:
    ran = subprocess.run(
        [sys.executable, *map(str, arguments)], capture_output=True, text=True, timeout=300, check=False
    )
    assert ran.returncode == 0, ran.stderr


def _pages(site: Path) -> set[str]:
    return {page.relative_to(site).as_posix() for page in site.rglob("*.html")}


def test_the_plain_site_is_the_same_pages_as_the_plugins(tmp_path: Path) -> None:
    """Target 5a's peer builds the pages `pptoolkit build` builds, saying the same: the evidence pages end
    with what they prove, the abbreviations are explained. Only the tags page differs (the tags' words)."""
    root, site, plain = generate(tmp_path / "playbook", 30), tmp_path / "site", tmp_path / "plain-site"
    _run("-m", "pptoolkit", "build", root, "--site-dir", site, "--no-strict")
    _run(BENCHMARKS / "plain_site.py", root, tmp_path / "plain")
    _run("-m", "mkdocs", "build", "-q", "-f", tmp_path / "plain/mkdocs.yml", "-d", plain)
    pages = _pages(site)
    assert pages == _pages(plain)
    evidence = next(page for page in sorted(pages) if page.startswith("files/evidence/teams/"))
    assert "What this document proves" in _article_text(plain / evidence)
    assert '<abbr title="quality improvement">QI</abbr>' in (plain / evidence).read_text(encoding="utf-8")
    assert [page for page in sorted(pages) if _article_text(site / page) != _article_text(plain / page)] == [
        "tags.html"
    ]
