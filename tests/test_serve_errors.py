"""``pptoolkit serve`` refuses a broken mkdocs.yml as ``check`` does: one message, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from editor_support import invoke
from playbook_support import PlaybookBuilder


@pytest.mark.parametrize(
    "settings",
    [
        "site_name: x\nplugins:\n  - pptoolkit:\n      polices_dir: x\n",  # a typo in a plugin option
        "site_name: [x\n",  # not YAML
    ],
)
def test_serve_reports_a_broken_mkdocs_yml_exactly_as_check(small_playbook: PlaybookBuilder, settings: str) -> None:
    small_playbook.write("mkdocs.yml", settings)
    checked = invoke("check", str(small_playbook.root))
    served = invoke("serve", str(small_playbook.root), "--dev-addr", "127.0.0.1:1")
    assert (checked.exit_code, served.exit_code) == (2, 2)
    assert served.stderr == checked.stderr
    assert served.stderr.startswith("pptoolkit: error: 'mkdocs.yml':")


def test_serve_reports_a_setting_mkdocs_refuses_without_a_traceback(small_playbook: PlaybookBuilder) -> None:
    small_playbook.write("mkdocs.yml", "site_name: x\ndocs_dir: policies\ntheme: nonesuch\n")
    run = subprocess.run(
        [sys.executable, "-m", "pptoolkit", "serve", str(small_playbook.root), "--dev-addr", "127.0.0.1:1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "Unrecognised theme name: 'nonesuch'" in run.stderr
    assert run.stderr.endswith(
        "pptoolkit: error: 'mkdocs.yml': the preview was not started: Aborted with a configuration error!\n"
    )
