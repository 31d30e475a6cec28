"""Screenshots of the sample playbook's site for the README: home and matrix, on a desktop and on a phone.

Builds the repository's sample playbook into a temporary folder (the published
``site/`` is left alone) and photographs its home and matrix pages, full page at
1280 pixels wide (``home.png``, ``matrix.png``) and the first screen of a 390-pixel
phone (``home-phone.png``, ``matrix-phone.png``), in Debian's headless Chromium driven by Playwright::

    python scripts/screenshots.py            # needs `apt-get install chromium` and `pip install playwright`

Never run ``playwright install``: the browser is the system's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from pptoolkit.publishing.build import BuildOptions, build_site

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = {"home.png": "index.html", "matrix.png": "matrix.html"}
PHONE_SHOTS = {"home-phone.png": "index.html", "matrix-phone.png": "matrix.html"}
PHONE = {"width": 390, "height": 844}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="Where to save the images.")
    parser.add_argument("--width", type=int, default=1280, help="Viewport width in pixels.")
    parser.add_argument("--no-strict", action="store_true", help="Build even if the checker reports errors.")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        print(f"screenshots: {CHROMIUM} is missing: `apt-get install chromium`", file=sys.stderr)
        return 2
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(BuildOptions(root=ROOT, site_dir=Path(tmp) / "site", strict=not args.no_strict))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": 800})
            for name, source in SHOTS.items():
                page.goto((site / source).as_uri(), wait_until="networkidle")
                page.screenshot(path=str(args.out / name), full_page=True)
                print(f"saved {args.out / name}")
            phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            for name, source in PHONE_SHOTS.items():
                phone.goto((site / source).as_uri(), wait_until="networkidle")
                phone.evaluate("window.scrollTo(0, (document.querySelector('article h2')?.offsetTop ?? 0) - 72)")
                phone.wait_for_timeout(600)  # the header's title settles after a scroll
                phone.screenshot(path=str(args.out / name))
                print(f"saved {args.out / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
