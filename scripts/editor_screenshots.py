"""Screenshots of the editors' forms for the README (docs/images/editor-collections.png, -form.png, -translation.png).

Copies the repository's sample playbook into a temporary folder, turns its editor on
(``editor:`` in the plugin entry), builds it, starts Decap CMS's local proxy
(``decap-server``, from ``npm ci``) over the copy on 127.0.0.1, and photographs the
list of kinds, the form of a new vision with its owner and practices chosen, and the
sample's vision with its French original beside its English translation, in French (the
sample's default language), in Debian's headless Chromium driven by Playwright::

    python scripts/editor_screenshots.py     # needs `npm ci`, `apt-get install chromium nodejs`

Nothing is saved in the copy's repository: the form is photographed before it is published.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

from pptoolkit.publishing.build import BuildOptions, build_site

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PROXY = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
PARTS = ("mkdocs.yml", "content", "policies", "checks", "evidence")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def copy_with_editor(dest: Path, port: int) -> None:
    """The sample playbook at ``dest``, with the editor on and the CMS's script reachable."""
    dest.mkdir()
    for part in PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, dest / part)
    config = dest / "mkdocs.yml"
    entry = f"  - pptoolkit:\n      editor: {{backend: github, repo: example-org/playbook, local_port: {port}}}\n"
    config.write_text(config.read_text(encoding="utf-8").replace("  - pptoolkit:\n", entry, 1), encoding="utf-8")
    (dest / "node_modules").symlink_to(ROOT / "node_modules")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="Where to save the images.")
    args = parser.parse_args()
    node = shutil.which("node")
    if not Path(CHROMIUM).is_file() or node is None or not PROXY.is_file():
        print("editor_screenshots: needs /usr/bin/chromium, node and `npm ci`", file=sys.stderr)
        return 2
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        root = Path(tmp) / "playbook"
        copy_with_editor(root, port)
        site = build_site(BuildOptions(root=root, site_dir=Path(tmp) / "site", strict=False))
        env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "GIT_REPO_DIRECTORY": str(root)}
        proxy = subprocess.Popen([node, str(PROXY)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/admin/"
        try:
            time.sleep(1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(base)
                page.get_by_role("button", name="Se connecter").click()
                page.get_by_text("Vision", exact=True).first.wait_for()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / "editor-collections.png"))
                page.set_viewport_size({"width": 1280, "height": 1100})
                page.goto(base + "#/collections/vision/new")

                page.locator('[id^="title-field-"]').first.fill("Notre vision du partenariat patient, 2027")
                for name, text in (("owner", "Présidente-directrice générale ou"), ("status", "ébauche")):
                    page.locator(f'[id^="{name}-field-"]').first.click()
                    page.keyboard.type(text)
                    page.keyboard.press("Enter")
                for practice in ("D1 ", "D5 "):
                    page.locator('[id^="implements-field-"]').first.click()
                    page.keyboard.type(practice)
                    page.keyboard.press("Enter")
                page.locator('[id^="review_by-field-"]').first.fill("2027-06-30")
                page.mouse.click(5, 400)
                page.locator('[id^="id-field-"]').first.focus()
                page.mouse.click(5, 400)
                page.screenshot(path=str(args.out / "editor-form.png"))
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + "#/collections/vision/entries/vision")
                page.get_by_role("button", name="Se connecter").click()
                page.locator('[id^="statement-field-"]').nth(1).wait_for()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / "editor-translation.png"))
                browser.close()
        finally:
            server.shutdown()
            proxy.terminate()
            proxy.wait(timeout=10)
    for name in ("editor-collections.png", "editor-form.png", "editor-translation.png"):
        print(f"saved {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
