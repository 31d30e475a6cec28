"""The peer of ``pptoolkit build`` for the benchmarks: the same site written out as plain MkDocs sources.

Checks the playbook at ROOT in this process, then writes into FOLDER what the
MkDocs plugin would add at build time: every generated page (beside the
playbook's content pages), every file of the publication at its site path (the
files of the site's tree: a content page of another language is left out, as the
plugin leaves it out), an evidence page ending with the section on what it proves,
the two assets and the calendar; and FOLDER/mkdocs.yml, the playbook's own without
the ``pptoolkit`` plugin entry, with the extensions, stylesheet, polyfill,
abbreviations (the ``abbr`` extension's glossary) and tooltips feature that the
plugin's ``on_config`` adds, and the same nav. ``mkdocs build -f FOLDER/mkdocs.yml``
then builds the same pages without the plugin.

What the plugin does that a plain MkDocs site cannot say in its sources stays the
plugin's own work, on its side of the ratio: the Content Security Policy of each
page (a theme override), the sanitizing of the rendered HTML, the table cells
labelled for small screens and the tags shown in the site's words.

Run: python benchmarks/plain_site.py ROOT FOLDER   (FOLDER must not exist)
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pptoolkit.checking.checker import check
from pptoolkit.checking.html_safety import sanitize_html
from pptoolkit.i18n import use_language
from pptoolkit.loading.publication import published_content
from pptoolkit.publishing.abbreviations import glossary
from pptoolkit.publishing.languages import files_in_language
from pptoolkit.publishing.pages import EvidenceBacklinks, site_pages
from pptoolkit.publishing.plugin import EXTENSIONS, SHIM, STYLESHEET
from pptoolkit.reporting.calendar import CALENDAR_FILE, review_calendar


def plain_config(playbook_config: dict[str, Any], language: str) -> dict[str, Any]:
    """The playbook's mkdocs.yml without the pptoolkit plugin, with what its ``on_config`` adds for a site
    in ``language``."""
    config = dict(playbook_config, docs_dir="docs")
    plugins = config.get("plugins", [])
    if isinstance(plugins, dict):
        config["plugins"] = {name: options for name, options in plugins.items() if name != "pptoolkit"}
    else:
        config["plugins"] = [p for p in plugins if p != "pptoolkit" and not (isinstance(p, dict) and "pptoolkit" in p)]
    extensions = list(config.get("markdown_extensions", []))
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    extensions += [e for e in EXTENSIONS if e not in names]
    own_abbreviations = next((e["abbr"] for e in extensions if isinstance(e, dict) and "abbr" in e), None) or {}
    abbr = {**own_abbreviations, "glossary": {**glossary(language), **(own_abbreviations.get("glossary") or {})}}
    config["markdown_extensions"] = [
        {"abbr": abbr} if e == "abbr" or (isinstance(e, dict) and "abbr" in e) else e for e in extensions
    ]
    theme = dict(config.get("theme") or {})
    features = list(theme.get("features") or [])
    if theme.get("name") == "material" and "content.tooltips" not in features:
        theme["features"] = [*features, "content.tooltips"]
    config["theme"] = theme
    extra_css = list(config.get("extra_css", []))
    config["extra_css"] = extra_css if STYLESHEET in extra_css else [*extra_css, STYLESHEET]
    extra = dict(config.get("extra") or {})
    polyfills = list(extra.get("polyfills") or [])
    if not any("iframe-worker" in str(url) for url in polyfills):
        extra["polyfills"] = [*polyfills, SHIM]
    config["extra"] = extra
    return config


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def write_plain_site(root: Path, folder: Path) -> Path:
    """Write the plain sources of the playbook's site into ``folder``; return its mkdocs.yml."""
    playbook_config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = folder / "docs"
    docs.mkdir(parents=True)
    result = check(root)
    settings = result.playbook.settings
    language = settings.default_language
    with use_language(language):
        for page in site_pages(result, language):
            write(docs / page.path, page.content)
        backlinks = EvidenceBacklinks(result)
        tree = files_in_language(result.playbook.publication.files, language, settings)
        for site_path, published, _shown_in_default in tree:
            content = published_content(result.playbook.root, published, sanitize_html)
            if isinstance(content, str) and site_path.endswith(".md"):
                content += backlinks(site_path)
            write(docs / site_path, content)
    assets = resources.files("pptoolkit").joinpath("data/assets")
    for name, site_path in (("iframe-worker-shim.js", SHIM), ("pptoolkit.css", STYLESHEET)):
        write(docs / site_path, assets.joinpath(name).read_bytes())
    write(docs / CALENDAR_FILE, review_calendar(result, playbook_config.get("site_url")))
    config_file = folder / "mkdocs.yml"
    write(config_file, yaml.safe_dump(plain_config(playbook_config, language), allow_unicode=True, sort_keys=False))
    return config_file


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/plain_site.py ROOT FOLDER", file=sys.stderr)
        return 2
    root, folder = Path(argv[0]), Path(argv[1])
    if folder.exists():
        print(f"{folder} already exists; give a new folder", file=sys.stderr)
        return 2
    print(f"wrote {write_plain_site(root, folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
