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


class _Server:
    """What the plugin's on_serve uses of MkDocs's live-reload server: its folders to watch and its rebuild."""

    def __init__(self) -> None:
        self.rebuilt = 0
        self.watched: list[str] = []
        self.builder = self._build

    def _build(self) -> None:
        self.rebuilt += 1

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_a_mkdocs_yml_broken_while_serving_is_one_message_and_the_preview_keeps_going(
    small_playbook: PlaybookBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    from pptoolkit.publishing.plugin import PlaybookPlugin

    plugin = PlaybookPlugin()
    plugin.root = small_playbook.root
    server = _Server()
    served = plugin.on_serve(server, config=None, builder=server.builder)  # type: ignore[arg-type]
    server.builder()
    assert server.rebuilt == 1
    small_playbook.write("mkdocs.yml", "site_name: x\nplugins:\n  - pptoolkit:\n      polices_dir: x\n")
    served.builder()  # no exception: MkDocs would print a traceback and 'the server will appear stuck'
    assert server.rebuilt == 1
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    message = record.getMessage()
    assert message.startswith(
        "pptoolkit: the preview was not rebuilt: 'mkdocs.yml':4:7: plugins.pptoolkit: unknown option 'polices_dir'"
    )
    assert message.endswith("; fix it and save to rebuild")
    small_playbook.write("mkdocs.yml", "site_name: x\n")
    served.builder()
    assert server.rebuilt == 2
