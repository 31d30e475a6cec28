"""The rules package, the `rules:` settings of the plugin entry, and the entry's one schema.

The registry lists every rule once; a rule's severity is set (or the rule turned off) in
`mkdocs.yml`, and `pptoolkit check`, `matrix`, `build` and `mkdocs build` read the entry alike.
"""

from __future__ import annotations

import builtins
import importlib
import pkgutil
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hardening_support import TODAY, small_playbook_copy
from playbook_support import PlaybookBuilder, artifact_text, located
from site_support import cli_env

from pptoolkit.checking import rules
from pptoolkit.checking.rules.base import Check
from pptoolkit.cli import cli
from pptoolkit.model.diagnostics import Rule
from pptoolkit.model.settings import PLUGIN_OPTIONS, ConfigError, Settings, load_settings
from pptoolkit.publishing.plugin import PlaybookConfig, PlaybookPlugin

VISION = "policies/vision.md"
PACKAGE = Path(rules.__file__).parent
SOURCES = PACKAGE.parent


def family_modules() -> list[Any]:
    return [importlib.import_module(f"pptoolkit.checking.rules.{m.name}") for m in pkgutil.iter_modules([str(PACKAGE)])]


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def with_rules(playbook: PlaybookBuilder, entry: str) -> None:
    """Write the playbook's `mkdocs.yml` with ``entry`` (YAML lines under `rules:`)."""
    playbook.write("mkdocs.yml", f"site_name: Test\nplugins:\n  - pptoolkit:\n      rules:\n{entry}")


# --- The registry --------------------------------------------------------------------------------------


def test_codes_and_names_are_unique_and_every_rule_is_documented() -> None:
    codes = [rule.code for rule in rules.ALL]
    names = [rule.name for rule in rules.ALL]
    assert len(codes) == len(set(codes)) == len(rules.BY_CODE)
    assert len(names) == len(set(names)) == len(rules.BY_NAME)
    for rule in rules.ALL:
        assert re.fullmatch(r"PP[1-9]\d\d", rule.code), rule
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule
        assert rule.summary.endswith((".", ")")) and len(rule.summary) > 20, rule
        assert f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} |" in rules.rules_markdown()


def test_every_rule_declared_in_the_package_is_in_the_registry_in_the_module_of_its_family() -> None:
    declared = {}
    for module in family_modules():
        for value in vars(module).values():
            if isinstance(value, Rule):
                declared[value.code] = (value, module)
    assert sorted(declared) == [rule.code for rule in rules.ALL]
    for code, (rule, module) in declared.items():
        assert rules.BY_CODE[code] is rule
        assert module in rules.FAMILIES
        assert rule in module.RULES
        assert code in family_codes(module.__doc__.splitlines()[0]), (code, module.__name__)


def family_codes(title: str) -> set[str]:
    """The codes a family module's first docstring line names: `PP4xx`, `PP301 to PP303`, `PP306 and PP307`."""
    codes = {f"PP{n}" for n in re.findall(r"PP(\d{3})", title)}
    codes |= {f"PP{family}{n:02}" for family in re.findall(r"PP(\d)xx", title) for n in range(100)}
    for low, high in re.findall(r"PP(\d{3}) to PP(\d{3})", title):
        codes |= {f"PP{n}" for n in range(int(low), int(high) + 1)}
    return codes


def test_no_rule_is_declared_outside_the_rules_package() -> None:
    for source in SOURCES.rglob("*.py"):
        if PACKAGE not in source.parents:
            assert not re.search(r"\bRule\(\s*\"PP", source.read_text(encoding="utf-8")), source


def test_every_check_reports_registered_rules_and_every_family_lists_its_checks() -> None:
    assert rules.CHECKS
    for module in family_modules():
        checks = [value for value in vars(module).values() if isinstance(value, Check)]
        if module in rules.FAMILIES:
            assert sorted(c.name for c in checks) == sorted(c.name for c in module.CHECKS)
    for check in rules.CHECKS:
        assert all(rules.BY_CODE[rule.code] is rule for rule in check.rules)


# --- Rule settings -------------------------------------------------------------------------------------


def test_a_warning_raised_to_an_error_by_code_fails_the_check(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="head-nurse"))
    assert located(playbook.check(), VISION) == [("PP303", "warning", 5, 1)]
    with_rules(playbook, "        PP303: error\n")
    result = playbook.check()
    assert located(result, VISION) == [("PP303", "error", 5, 1)]
    code, output = run_cli("check", str(playbook.root), "--today", TODAY.isoformat())
    assert code == 1, output
    assert "PP303" in output


def test_an_error_lowered_to_a_warning_by_name_also_applies_to_what_the_loader_emits(
    playbook: PlaybookBuilder,
) -> None:
    playbook.artifact("vision.md", artifact_text(ownr="typo"))
    assert located(playbook.check(), VISION) == [("PP204", "error", 15, 1)]
    with_rules(playbook, "        unknown-field: warning\n")
    assert located(playbook.check(), VISION) == [("PP204", "warning", 15, 1)]


def test_a_rule_turned_off_is_dropped_but_coverage_does_not_change(playbook: PlaybookBuilder) -> None:
    playbook.artifact("vision.md", artifact_text(owner="head-nurse"))
    before = playbook.check()
    assert any(d.code == "PP401" for d in before.diagnostics)
    with_rules(playbook, "        PP303: off\n        practice-missing: off\n")
    after = playbook.check()
    assert not [d for d in after.diagnostics if d.code in ("PP303", "PP401")]
    assert [(c.practice.id, c.status) for c in after.coverage] == [(c.practice.id, c.status) for c in before.coverage]
    assert after.counts() == before.counts()
    assert {d for d in before.diagnostics if d.code not in ("PP303", "PP401")} == set(after.diagnostics)


def test_settings_hold_each_rule_by_code_whether_named_by_code_or_by_name(playbook: PlaybookBuilder) -> None:
    with_rules(playbook, "        pp303: error\n        small-cell: off\n        review-overdue: warning\n")
    assert load_settings(playbook.root).rule_settings == {"PP303": "error", "PP707": "off", "PP307": "warning"}


@pytest.mark.parametrize(
    ("entry", "line", "column", "message"),
    [
        ("        PP303: error\n        PP999: off\n", 6, 9, "'PP999' is not the code or name of a rule"),
        ("        owner-levels: error\n", 5, 9, "'owner-levels' is not the code or name of a rule"),
        (
            "        PP303: fatal\n",
            5,
            16,
            "rules.PP303: expected one of error, warning, off, got 'fatal'",
        ),
        ("        PP303: error\n        owner-level-mismatch: off\n", 6, 31, "PP303 is set twice"),
    ],
)
@pytest.mark.parametrize("command", ["check", "matrix", "build"])
def test_an_unknown_rule_or_a_bad_value_is_a_located_configuration_error(
    playbook: PlaybookBuilder, entry: str, line: int, column: int, message: str, command: str
) -> None:
    playbook.artifact("vision.md")
    with_rules(playbook, entry)
    dated = ["--today", TODAY.isoformat()] if command != "build" else []
    code, output = run_cli(command, str(playbook.root), *dated)
    assert code == 2, output
    assert f"pptoolkit: error: 'mkdocs.yml':{line}:{column}: " in output
    assert message in output
    assert "Traceback" not in output


def test_rules_that_are_not_a_mapping_are_a_configuration_error(playbook: PlaybookBuilder) -> None:
    playbook.write("mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n      rules: [PP303]\n")
    with pytest.raises(ConfigError, match=r"plugins.pptoolkit.rules: expected 'name: value' settings"):
        load_settings(playbook.root)


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=cli_env(), timeout=300, check=False)


def test_the_cli_and_mkdocs_build_agree_on_rule_settings(tmp_path: Path) -> None:
    late = "2030-01-01"  # every review is overdue: PP307, a warning by default
    root = small_playbook_copy(tmp_path / "raised", {"today": late, "rules": {"review-overdue": "error"}})
    code, output = run_cli("check", str(root), "--today", late)
    assert code == 1, output
    assert re.search(r"PP307 .* \[review-overdue\]", output), output
    refused = mkdocs_build(root, "--strict")
    assert refused.returncode != 0
    assert "strict mode: the checker found" in refused.stderr and "PP307" in refused.stderr, refused.stderr

    root = small_playbook_copy(tmp_path / "unknown", {"rules": {"PP303": "error", "PP999": "off"}})
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    assert code == 2, output
    message = output.removeprefix("pptoolkit: error: ").strip()
    assert message.startswith("'mkdocs.yml':"), message
    refused = mkdocs_build(root)
    assert refused.returncode != 0
    assert message in refused.stderr, refused.stderr


# --- One schema for the plugin entry ---------------------------------------------------------------------


def plugin_errors(options: dict[str, Any], config_file: Path) -> list[str]:
    """What the MkDocs plugin says of a plugin entry (as MkDocs loads it)."""
    errors, warnings = PlaybookPlugin().load_config(options, str(config_file))
    assert not warnings
    return [str(message) for _, message in errors]


def cli_errors(options: dict[str, Any], root: Path) -> list[str]:
    """What `pptoolkit check` says of the same entry."""
    import yaml

    text = yaml.safe_dump({"site_name": "Test", "plugins": [{"pptoolkit": options}]}, sort_keys=False)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    code, output = run_cli("check", str(root), "--today", TODAY.isoformat())
    return [output.removeprefix("pptoolkit: error: ").strip()] if code == 2 else []


def test_the_plugins_options_are_the_schemas_and_each_is_a_setting() -> None:
    assert [name for name, _ in PlaybookConfig._schema] == list(PLUGIN_OPTIONS)
    settings = {f.name for f in fields(Settings)}
    assert set(PLUGIN_OPTIONS) - settings == {"today"}
    assert all(description.endswith(".") for description in PLUGIN_OPTIONS.values())


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"policies_dir": "policies", "matrix": "checks/matrix.yml", "today": "2026-11-26"},
        {"limits": {"max_file_bytes": 2_000_000}, "privacy": {"small_cell_threshold": 3}},
        {"rules": {"PP303": "error", "small-cell": "off"}},
        {"polices_dir": "policies"},
        {"rules": {"PP999": "off"}},
        {"rules": {"PP303": "fatal"}},
        {"limits": {"max_size": 10}},
        {"today": "tomorrow"},
        {"matrix": "../matrix.yml"},
    ],
)
def test_the_cli_and_the_plugin_accept_and_refuse_the_same_entries(
    playbook: PlaybookBuilder, options: dict[str, Any]
) -> None:
    playbook.artifact("vision.md")
    from_cli = cli_errors(options, playbook.root)
    assert plugin_errors(options, playbook.root / "mkdocs.yml") == from_cli
    refused = any(key in options for key in ("polices_dir",)) or "PP999" in str(options) or "fatal" in str(options)
    refused = refused or "max_size" in str(options) or "tomorrow" in str(options) or ".." in str(options)
    assert bool(from_cli) == refused, from_cli


# --- One code, one meaning ---------------------------------------------------------------------------------


def test_a_published_binary_file_that_cannot_be_read_is_unreadable_not_not_utf8(
    playbook: PlaybookBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    playbook.write_bytes("evidence/chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 24)
    playbook.artifact("vision.md", artifact_text(body="# Vision\n\n![chart](../evidence/chart.png)\n"))
    real_open = builtins.open

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("chart.png"):  # tests run as root, who may read any file: deny it here
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    result = playbook.check()
    found = [(d.code, d.name, d.path, d.message) for d in result.diagnostics if d.path == "evidence/chart.png"]
    assert found == [("PP109", "unreadable", "evidence/chart.png", "cannot be read: Permission denied")]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("", ("en",)),
        ("      languages: [fr, en]\n", ("fr", "en")),
        ("      languages: fr\n", ("fr",)),
    ],
)
def test_the_languages_of_a_playbook_default_first(
    playbook: PlaybookBuilder, entry: str, expected: tuple[str, ...]
) -> None:
    playbook.write(
        "mkdocs.yml", "site_name: Test\nplugins:\n  - pptoolkit:\n" + (entry or "      roles: checks/roles.yml\n")
    )
    settings = load_settings(playbook.root)
    assert settings.languages == expected
    assert settings.default_language == expected[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "expected a list of languages"),
        ("[fr, fr]", "'fr' is listed twice"),
        ("[French]", "'French' is not a language code"),
        ("[fr-CA]", "'fr-CA' is not a language code"),
    ],
)
def test_a_bad_list_of_languages_is_a_configuration_error(playbook: PlaybookBuilder, value: str, message: str) -> None:
    playbook.write("mkdocs.yml", f"site_name: Test\nplugins:\n  - pptoolkit:\n      languages: {value}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(playbook.root)
