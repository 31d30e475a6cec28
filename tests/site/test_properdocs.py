"""ProperDocs, the maintained drop-in fork of MkDocs, builds the same site as MkDocs.

The sample playbook is built three times, as of the same date: by ``pptoolkit build``
(MkDocs, the default engine), by ``pptoolkit build --engine properdocs``, and by plain
``properdocs build --strict``, which loads the plugin from its ``mkdocs.plugins`` entry point.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from site_support import build_cli, cli_env, copy_sample, copy_small, html_pages, parse_page, set_today, snapshot

from pptoolkit.publishing import build

GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)"')

COUNTING_BUILD = """
import sys
import pptoolkit.checking.checker
from pptoolkit.cli import main

loads = []
original = pptoolkit.checking.checker.load_playbook

def counting(*args, **kwargs):
    loads.append(args[0])
    return original(*args, **kwargs)

pptoolkit.checking.checker.load_playbook = counting
try:
    main()
finally:
    print(f"playbooks loaded: {len(loads)}", file=sys.stderr)
"""
"""``pptoolkit ARGS`` in a process that counts the playbooks it loads (every check loads its playbook once)."""


@dataclass(frozen=True)
class Builds:
    """The sample playbook's site built by each engine, and the output of the ProperDocs build."""

    mkdocs: Path
    properdocs: Path
    plain_properdocs: Path
    properdocs_stderr: str


def properdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run plain ``properdocs build -f ROOT/mkdocs.yml ARGS``; return the finished process."""
    command = [sys.executable, "-m", "properdocs", "build", "-f", str(root / "mkdocs.yml"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=cli_env(), timeout=300, check=False)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    folder = tmp_path_factory.mktemp("engines")
    root = copy_sample(folder / "playbook")
    set_today(root)
    by_mkdocs = build_cli(root, "--site-dir", str(folder / "mkdocs"))
    assert by_mkdocs.returncode == 0, by_mkdocs.stderr
    command = [sys.executable, "-c", COUNTING_BUILD, "build", str(root), "--engine", "properdocs"]
    by_properdocs = subprocess.run(
        [*command, "--site-dir", str(folder / "properdocs")],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=300,
        check=False,
    )
    assert by_properdocs.returncode == 0, by_properdocs.stderr
    plain = properdocs_build(root, "--strict", "-d", str(folder / "plain"))
    assert plain.returncode == 0, plain.stderr
    return Builds(folder / "mkdocs", folder / "properdocs", folder / "plain", by_properdocs.stderr)


def generator(site: Path) -> str:
    """The home page's ``generator`` meta: the engine and the theme that built it."""
    found = GENERATOR.search((site / "index.html").read_text(encoding="utf-8"))
    assert found, f"no generator meta in {site / 'index.html'}"
    return found.group(1)


@pytest.mark.slow
def test_pptoolkit_build_runs_on_the_engine_it_is_asked_for(builds: Builds) -> None:
    assert "ProperDocs" not in generator(builds.mkdocs) and generator(builds.mkdocs).startswith("mkdocs-1.")
    assert "ProperDocs 1." in generator(builds.properdocs)
    assert "ProperDocs 1." in generator(builds.plain_properdocs)


@pytest.mark.slow
def test_properdocs_builds_the_same_pages_as_mkdocs(builds: Builds) -> None:
    by_mkdocs = set(snapshot(builds.mkdocs))
    assert set(snapshot(builds.properdocs)) == by_mkdocs
    assert set(snapshot(builds.plain_properdocs)) == by_mkdocs - {build.MARKER}
    assert len([name for name in by_mkdocs if name.endswith(".html")]) > 50
    for page in html_pages(builds.mkdocs):
        name = page.relative_to(builds.mkdocs)
        expected = parse_page(page)
        for site in (builds.properdocs, builds.plain_properdocs):
            built = parse_page(site / name)
            assert built.sections == expected.sections, f"{name}: its main content differs under {site.name}"
            assert [link.url for link in built.links] == [link.url for link in expected.links], name
    for page in ("index.html", "matrix.html"):
        assert parse_page(builds.properdocs / page).text == parse_page(builds.mkdocs / page).text != ""


@pytest.mark.slow
def test_pptoolkit_build_hands_its_check_to_the_plugin_under_properdocs(builds: Builds) -> None:
    assert "playbooks loaded: 1" in builds.properdocs_stderr, builds.properdocs_stderr
    assert "Site construit dans" in builds.properdocs_stderr  # the sample speaks French


def test_properdocs_cannot_build_into_an_unsafe_site_dir(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    before = snapshot(root)
    refused = build_cli(root, "--engine", "properdocs", "--site-dir", str(root / "policies"))
    assert refused.returncode == 2, refused.stderr
    assert "source folder" in refused.stderr
    assert snapshot(root) == before


def test_an_engine_is_never_mixed_with_the_other_in_one_process(tmp_path: Path) -> None:
    import mkdocs  # loaded by the plugin's tests anyway: this process has chosen MkDocs

    assert mkdocs.__name__ == "mkdocs"
    root = copy_small(tmp_path / "playbook")
    with pytest.raises(build.EngineUnavailable, match="already loaded mkdocs"):
        build.build_site(build.BuildOptions(root=root, engine="properdocs"))
    assert not (root / "site").exists()
    assert build.load_engine("mkdocs").name == "mkdocs"


def test_the_command_line_offers_every_engine() -> None:
    from pptoolkit.cli import cli

    for command in ("build", "serve"):
        engine = next(option for option in cli.commands[command].params if option.name == "engine")
        assert tuple(engine.type.choices) == build.ENGINES  # type: ignore[attr-defined]
        assert engine.default == "mkdocs"


def test_a_missing_engine_is_a_configuration_error(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    hide_properdocs = "import sys; sys.modules['properdocs'] = None; from pptoolkit.cli import main; main()"
    command = [sys.executable, "-c", hide_properdocs, "build", str(root), "--engine", "properdocs"]
    refused = subprocess.run(command, capture_output=True, text=True, env=cli_env(), timeout=120, check=False)
    assert refused.returncode == 2, refused.stderr
    assert "'properdocs' is not installed: pip install" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (root / "site").exists()


@pytest.mark.slow
def test_a_failed_properdocs_build_leaves_the_published_site_unchanged(tmp_path: Path) -> None:
    root = copy_small(tmp_path / "playbook")
    first = build_cli(root, "--engine", "properdocs")
    assert first.returncode == 0, first.stderr
    published = snapshot(root / "site")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"), "utf-8")

    failed = build_cli(root, "--engine", "properdocs")

    assert failed.returncode == 1, failed.stderr
    assert "build failed, the published site is unchanged" in failed.stderr and "Traceback" not in failed.stderr
    assert snapshot(root / "site") == published
    assert not list(root.glob(".site-*"))
