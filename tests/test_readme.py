"""The README stays true: its generated tables match the code, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playbook_support import golden_updated, updating_golden

from pptoolkit.checking.rules import rules_markdown
from pptoolkit.model.artifacts import kinds_markdown

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCKS = {"kinds": kinds_markdown, "rules": rules_markdown}


def _block(text: str, name: str) -> re.Match[str]:
    found = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert found, f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block"
    return found


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_generated_tables_in_the_readme_match_the_code(name: str) -> None:
    text = README.read_text(encoding="utf-8")
    expected = BLOCKS[name]()
    if updating_golden():
        block = _block(text, name)
        README.write_text(text[: block.start(1)] + expected + text[block.end(1) :], encoding="utf-8")
        golden_updated(README)
    assert _block(text, name).group(1) == expected, "run PPTOOLKIT_UPDATE_GOLDEN=1 pytest tests/test_readme.py"


def test_ci_runs_the_readme_test_command_exactly() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    command = next(line.split("#")[0].strip() for line in lines[:6] if "pytest" in line)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_documents_every_command() -> None:
    from pptoolkit.cli import cli

    text = README.read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"pptoolkit {name}" not in text]
    assert missing == []


def test_every_test_the_readme_cites_exists() -> None:
    cited = set(re.findall(r"`(test_[a-z0-9_]+)`", README.read_text(encoding="utf-8")))
    defined = {
        name
        for path in (ROOT / "tests").rglob("test_*.py")
        for name in re.findall(r"^(?:async )?def (test_[a-z0-9_]+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert cited, "the README cites no test"
    assert sorted(cited - defined) == []


def test_the_readme_ci_examples_fail_when_coverage_is_lost() -> None:
    from pptoolkit.authoring.init import workflow_text

    text = README.read_text(encoding="utf-8")
    gitlab = yaml.safe_load(re.search(r"```yaml\n# \.gitlab-ci\.yml\n(.*?)```", text, re.DOTALL).group(1))
    workflow = yaml.safe_load(workflow_text())
    scripts = [job.get("script", []) for job in gitlab.values() if isinstance(job, dict)]
    scripts += [[step["run"]] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    for script in scripts:
        for index, command in enumerate(script):
            if "pptoolkit diff" in command and "|" in command:
                assert "set -o pipefail" in script[:index], f"a pipe would hide the exit code of: {command}"
    assert any("pptoolkit diff" in command for script in scripts for command in script)
