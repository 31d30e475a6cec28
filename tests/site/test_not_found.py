"""The 404 page of a site published under a sub-path (`/playbook/`), as the README's `rsync` example does.

A web server answers every missing address, at any depth, with `404.html`: its links cannot be relative.
With `site_url` set to the published address, they start with its path, and the page opens in Chromium
with its styles and its navigation, whatever the depth of the missing address.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from site_support import build_copy, copy_small

pytestmark = pytest.mark.browser


class _SubPathServer(SimpleHTTPRequestHandler):
    """Serve a folder whose `playbook/` is the site; a missing file gets the site's 404.html, as nginx would."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "playbook" / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sub_path_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_small(tmp_path_factory.mktemp("subpath") / "playbook")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: Small test playbook\n",
            "site_name: Small test playbook\nsite_url: https://intranet.example/playbook/\n",
        ),
        encoding="utf-8",
    )
    built = build_copy(root, strict=True)
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(built.site, www / "playbook")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathServer, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/playbook/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("missing", ["nope.html", "practices/deeper/still/nope.html"])
def test_the_404_page_works_under_a_sub_path(browser: Any, sub_path_server: str, missing: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    context.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page = context.new_page()
    try:
        response = page.goto(sub_path_server + missing)
        assert response is not None and response.status == 404
        assert failed == [sub_path_server + missing], "only the missing page itself is missing, not its styles"
        assert (
            page.evaluate("getComputedStyle(document.body).fontFamily")
            != page.evaluate("getComputedStyle(document.createElement('body')).fontFamily")
            or page.locator("link[rel=stylesheet]").count() > 0
        )
        sheets = page.evaluate("[...document.styleSheets].filter(s => s.href).length")
        assert sheets >= 2, "the theme's and pptoolkit's stylesheets are loaded"
        home = page.locator("a.md-header__button.md-logo").get_attribute("href")
        assert home is not None
        page.goto(page.evaluate("href => new URL(href, location.href).href", home))
        assert page.url.startswith(sub_path_server)
        assert page.title().startswith("Small test playbook")
    finally:
        context.close()
