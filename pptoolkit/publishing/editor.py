"""The editors' forms in the site: ``admin/index.html``, Decap CMS's script and the generated ``config.yml``.

The script is the npm package ``decap-cms`` (pinned in the playbook's ``package.json``), copied from
``node_modules`` at build time: the editor loads nothing from another host. ``translations.js``, ours,
runs after it and gives Decap's translations the playbook's file names (``NAME.md`` for the original).
The files are made by the tool, never taken from the content folder (the publication refuses a content file under
``admin/``). The page has its own Content Security Policy, as strict as Decap allows (see
:data:`ADMIN_DIRECTIVES`), a ``noindex``, and is not a page of the site: neither search nor the
sitemap lists it.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pptoolkit.authoring.cms import ADMIN_DIR, cms_config_yaml
from pptoolkit.i18n import N_, SOURCE_LANGUAGE, _, use_language
from pptoolkit.loading.playbook import Playbook
from pptoolkit.model.settings import Editor

BUNDLE = Path("node_modules") / "decap-cms" / "dist"
"""Where ``npm ci`` puts Decap CMS's browser bundle, under the playbook (or a folder above it)."""
SCRIPT = "decap-cms.js"
LICENSE = "decap-cms.js.LICENSE.txt"
FILE_NAMES_SCRIPT = "translations.js"
"""Ours: maps the original's file name between Decap's ``NAME.<default>.md`` and the playbook's ``NAME.md``."""
MANUAL_INIT_SCRIPT = "manual-init.js"
"""Ours, first: tells Decap not to start by itself (``CMS_MANUAL_INIT``); ``start.js``, last, starts it."""
START_SCRIPT = "start.js"
"""Ours, generated, last: adds the phrases Decap's locale lacks (:data:`DECAP_PHRASES`), then starts Decap."""
DECAP_PHRASES: dict[str, str] = {
    "collection.collectionTop.viewAsList": N_("List view option"),
    "collection.collectionTop.viewAsGrid": N_("Grid view option"),
    "collection.entries.unpublishedHeader": N_("Unpublished Entries"),
    "editor.editorControl.field.widgetLabel": N_("%{widgetLabel} field"),
    "editor.editorControlPane.i18n.copyFromLocale": N_("Fill in from another locale"),
    "editor.editorControlPane.i18n.copyFromLocaleConfirm": N_(
        "Do you want to fill in data from %{locale} locale?\nAll existing content will be overwritten."
    ),
    "editor.editorToolbar.statusInfoTooltipDraft": N_(
        "Entry status is set to draft. To finalize and submit it for review, set the status to 'In review'"
    ),
    "editor.editorToolbar.statusInfoTooltipInReview": N_(
        "Entry is being reviewed, no further actions are required. However, you can still make additional changes "
        "while it is being reviewed."
    ),
    "editor.editorWidgets.markdown.strikethrough": N_("Strikethrough"),
    "editor.editorWidgets.markdown.toggleMode.rich": N_("Toggle to rich text mode"),
    "editor.editorWidgets.markdown.toggleMode.markdown": N_("Toggle to markdown mode"),
    "editor.editorWidgets.image.chooseMultiple": N_("Choose images"),
    "editor.editorWidgets.image.addMore": N_("Add more images"),
    "editor.editorWidgets.image.removeAll": N_("Remove all images"),
    "editor.editorWidgets.file.chooseMultiple": N_("Choose files"),
    "editor.editorWidgets.file.addMore": N_("Add more files"),
    "editor.editorWidgets.file.removeAll": N_("Remove all files"),
    "editor.editorWidgets.datetime.setToNow": N_("Set %{fieldLabel} to now"),
    "editor.editorWidgets.object.expand": N_("Expand"),
    "editor.editorWidgets.object.collapse": N_("Collapse"),
    "mediaLibrary.mediaLibraryModal.close": N_("Close"),
    "ui.settingsDropdown.account": N_("Account options dropdown"),
}
"""Decap's phrases (by its key) that its French locale leaves in English (decap-cms 3.16), with their English text.

The forms' language gets them from the tool's catalog, and ``start.js`` adds them to Decap's own locale
(``CMS.registerLocale``) before it starts Decap; a phrase Decap already has is never replaced.
Decap's ``%{name}`` placeholders stay as they are.
"""


class EditorUnavailable(Exception):
    """The editor is configured but its script is not installed (run ``npm ci``)."""


def bundle_dir(root: Path) -> Path:
    """The folder of Decap CMS's bundle: under the playbook's root or the nearest folder above that has it."""
    for folder in (root, *root.parents):
        if (folder / BUNDLE / SCRIPT).is_file():
            return folder / BUNDLE
    raise EditorUnavailable(
        f"the editor (`editor:` in the plugin entry) needs Decap CMS's script, '{BUNDLE / SCRIPT}', which is not "
        f"installed: run `npm ci` in '{root}' (its package.json pins decap-cms), or remove `editor:`"
    )


def bundle_files(folder: Path) -> list[tuple[str, bytes]]:
    """The script, the chunks it loads on demand, its WebAssembly modules and its licence notice, by name."""
    chunks = sorted(
        path.name for path in folder.iterdir() if path.name.endswith(f".{SCRIPT}") or path.name.endswith(".wasm")
    )
    names = [SCRIPT, LICENSE, *chunks]
    return [(name, (folder / name).read_bytes()) for name in names if (folder / name).is_file()]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def api_origins(editor: Editor) -> list[str]:
    """The addresses the editor talks to: the Git host's API (and its OAuth server) only."""
    if editor.backend == "gitlab":
        origins = [_origin(editor.host)]
    elif editor.host == "https://github.com":
        origins = ["https://api.github.com"]
    else:
        origins = [_origin(editor.host)]
    if editor.auth_url:
        origins.append(_origin(editor.auth_url))
    return origins


def admin_policy(editor: Editor) -> str:
    """The admin page's Content Security Policy.

    What Decap needs, and why: script from the site only, plus ``'wasm-unsafe-eval'`` for the
    WebAssembly module it compiles (``'unsafe-eval'`` is not given); ``style-src 'unsafe-inline'``,
    because its components write their styles into ``<style>`` elements at run time (no script
    can come of it); ``connect-src`` to the Git host's API (and the OAuth server that signs
    editors in), and to the local proxy on 127.0.0.1 for previews on the editor's own machine;
    images from the site, ``data:`` and ``blob:`` (files picked before they are saved) and the
    Git host (avatars, files of the repository). Nothing else loads; no form posts anywhere.
    """
    hosts = " ".join(api_origins(editor))
    local = f"http://127.0.0.1:{editor.local_port}"
    avatars = " https://avatars.githubusercontent.com" if editor.backend == "github" else ""
    directives = (
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {hosts}{avatars}",
        "font-src 'self' data:",
        f"connect-src 'self' blob: {hosts} {local}",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    )
    return "; ".join(directives)


def admin_page(editor: Editor, site_name: str, language: str = "en") -> str:
    """``admin/index.html`` in ``language``: the policy, a ``noindex`` and the scripts; ``config.yml`` configures it."""
    title = html.escape(_("Editor") + f" · {site_name}")
    needs_script = html.escape(_("The editor needs JavaScript."))
    policy = html.escape(admin_policy(editor))
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(language)}">\n'
        "<head>\n"
        '  <meta charset="utf-8">\n'
        f'  <meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '  <meta name="robots" content="noindex, nofollow">\n'
        '  <meta name="referrer" content="same-origin">\n'
        f"  <title>{title}</title>\n"
        '  <link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        "</head>\n"
        "<body>\n"
        f"  <noscript>{needs_script}</noscript>\n"
        # Decap starts last: after translations.js has wrapped its backend and start.js has completed its locale.
        f'  <script src="{MANUAL_INIT_SCRIPT}"></script>\n'
        f'  <script src="{SCRIPT}"></script>\n'
        f'  <script src="{FILE_NAMES_SCRIPT}"></script>\n'
        f'  <script src="{START_SCRIPT}"></script>\n'
        "</body>\n"
        "</html>\n"
    )


def admin_files(playbook: Playbook, editor: Editor, site_name: str) -> list[tuple[str, str | bytes]]:
    """Every file of the editor, by its path in the site; EditorUnavailable when the script is not installed."""
    folder = bundle_dir(playbook.root)
    language = playbook.settings.default_language
    with use_language(language):
        page = admin_page(editor, site_name, language)
    files: list[tuple[str, str | bytes]] = [
        (f"{ADMIN_DIR}/index.html", page),
        (f"{ADMIN_DIR}/config.yml", cms_config_yaml(playbook, editor)),
        (f"{ADMIN_DIR}/{MANUAL_INIT_SCRIPT}", editor_script(MANUAL_INIT_SCRIPT)),
        (f"{ADMIN_DIR}/{FILE_NAMES_SCRIPT}", file_names_script()),
        (f"{ADMIN_DIR}/{START_SCRIPT}", start_script(language)),
    ]
    files += [(f"{ADMIN_DIR}/{name}", data) for name, data in bundle_files(folder)]
    return files


def start_script(language: str) -> str:
    """``start.js``: adds to Decap's locale of ``language`` the phrases it lacks (none in English), then starts Decap.

    Each phrase is added only where Decap's locale has none, so a newer Decap's own translation wins. Decap
    reads its locale when it starts: started by itself, it could start before this script or translations.js ran.
    """
    missing: dict[str, Any] = {}
    if language != SOURCE_LANGUAGE:
        with use_language(language):
            for key, english in DECAP_PHRASES.items():
                *parents, name = key.split(".")
                node = missing
                for parent in parents:
                    node = node.setdefault(parent, {})
                node[name] = _(english)
    data = json.dumps(missing, ensure_ascii=True, sort_keys=True)  # ASCII: read alike whatever charset is served
    return (
        "// Generated by pptoolkit: Decap's phrases that its locale of the forms' language lacks, then Decap starts.\n"
        "(function () {\n"
        f"  var language = {json.dumps(language)};\n"
        f"  var missing = {data};\n"
        "  var phrases = CMS.getLocale(language);\n"
        "  function add(into, from) {\n"
        "    Object.keys(from).forEach(function (key) {\n"
        '      if (typeof from[key] === "object") {\n'
        '        into[key] = typeof into[key] === "object" && into[key] ? into[key] : {};\n'
        "        add(into[key], from[key]);\n"
        "      } else if (into[key] === undefined) {\n"
        "        into[key] = from[key];\n"
        "      }\n"
        "    });\n"
        "  }\n"
        "  if (phrases) {\n"
        "    add(phrases, missing);\n"
        "    CMS.registerLocale(language, phrases);\n"
        "  }\n"
        "  CMS.init();\n"
        "})();\n"
    )


def file_names_script() -> bytes:
    """``translations.js``, shipped in the package beside the other site files."""
    return editor_script(FILE_NAMES_SCRIPT)


def editor_script(name: str) -> bytes:
    """One of the admin page's own scripts shipped in the package (``pptoolkit/data/editor``)."""
    return resources.files("pptoolkit").joinpath(f"data/editor/{name}").read_bytes()
