"""`pptoolkit serve`: a live preview for editors that rebuilds when a policy changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from site_support import cli_env, copy_small

pytestmark = pytest.mark.slow  # serves and rebuilds sites

LOOPBACK = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and needle in page:
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_serve_previews_the_site_and_rebuilds_when_a_policy_changes(tmp_path: Path, engine: str) -> None:
    root = copy_small(tmp_path / "playbook")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "pptoolkit", "serve", str(root), "--dev-addr", f"{LOOPBACK}:{port}", "--engine", engine],
        env=cli_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        page = f"http://{LOOPBACK}:{port}/artifacts/vision.html"
        assert _wait_for(page, "<h1", 60), (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert ("ProperDocs 1." in (_fetch(page) or "")) == (engine == "properdocs"), "served by the other engine"
        policy = root / "policies" / "vision.md"
        policy.write_text(
            policy.read_text(encoding="utf-8").replace("title: ", "title: Renamed in preview ", 1), encoding="utf-8"
        )
        assert _wait_for(page, "Renamed in preview", 60), (tmp_path / "serve.log").read_text(encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
