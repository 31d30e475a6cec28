"""The site's Content Security Policy: a second wall behind the sanitizer.

Every page carries the policy in a ``<meta http-equiv>`` (the theme override in
``pptoolkit/data/theme``). It lets script run only from the site's own files, and the
theme's few inline scripts by the SHA-256 of their text (never ``'unsafe-inline'``); it
lets nothing load from another host. Material's inline scripts, and the one that the
vendored iframe-worker shim writes into its frame to run search from ``file://``, depend on
the page's base URL, so the policy is computed per base URL, from the theme's own templates.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

THEME_DIR = str(Path(__file__).resolve().parents[1] / "data" / "theme")
"""The theme override: ``main.html`` puts the policy in every page's ``extrahead`` block."""
POLICY_PARTIAL = "pptoolkit/csp.html"
"""The template that writes the ``<meta>``: include it in a playbook's own ``main.html``."""

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' {hashes}",
    "style-src 'self'",
    "img-src 'self' data:",  # the theme's icons are SVG data: URLs in its style sheet
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
# Tempered: a search stops at the next "<script>", so text without an end tag costs linear time.
_INLINE_SCRIPT = re.compile(r"<script>((?:(?!<script>).)*?)</script>", re.DOTALL)
_WORKER = re.compile(r"\"search\":\s*\"([^\"]+)\"\s*\|\s*url")
# The shim's frame: the two functions it defines there, and the script it writes with them.
_SHIM_FUNCTION = re.compile(r"function (\w)\([^)]*\)\{")
_SHIM_SCRIPT = re.compile(r"<script>(postMessage=(?:(?!<script>).)*?)<\\/script>")  # tempered, as above


def script_hash(script: str) -> str:
    """The CSP source that allows an inline script of exactly this text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(script_hashes: Iterable[str]) -> str:
    """The policy's text with these inline scripts allowed."""
    hashes = " ".join(sorted(set(script_hashes)))
    return "; ".join(directive.format(hashes=hashes) for directive in DIRECTIVES).replace(" ;", ";")


def _function_sources(shim: str) -> dict[str, str]:
    """The source text of each top-level ``function x(...){...}`` of the minified shim, by name."""
    sources = {}
    for found in _SHIM_FUNCTION.finditer(shim):
        depth, index = 0, found.end() - 1
        while index < len(shim):
            depth += {"{": 1, "}": -1}.get(shim[index], 0)
            index += 1
            if depth == 0:
                break
        sources[found.group(1)] = shim[found.start() : index]
    return sources


def shim_frame_script(shim: str, worker_url: str) -> str | None:
    """The inline script the iframe-worker shim writes into its frame for ``worker_url`` (None if not found).

    The shim runs Material's search worker in a hidden frame when the site is opened from
    ``file://``; the frame inherits the page's policy, so its script must be allowed by hash.
    """
    template = _SHIM_SCRIPT.search(shim)
    if template is None:
        return None
    functions = _function_sources(shim)

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        return worker_url if name == "e" else functions.get(name, found.group(0))

    return re.sub(r"\$\{(\w)\}", value, template.group(1))


class SitePolicy:
    """The policy of a page, by its base URL; called from the theme override's template."""

    def __init__(self, env: Any, context: dict[str, Any], shim: str, theme_dirs: list[str]) -> None:
        self.env = env
        self.context = context
        self.shim = shim
        self.worker = _worker_path(theme_dirs)
        self.partials = sorted(
            {
                f"partials/javascripts/{file.name}"
                for folder in theme_dirs
                if (Path(folder) / "partials" / "javascripts").is_dir()
                for file in (Path(folder) / "partials" / "javascripts").glob("*.html")
            }
        )
        self._for = lru_cache(maxsize=None)(self._compute)

    def __call__(self, base_url: str) -> str:
        return self._for(str(base_url))

    def _compute(self, base_url: str) -> str:
        scripts = []
        for name in self.partials:
            try:
                rendered = self.env.get_template(name).render(**self.context, base_url=base_url)
            except Exception:  # a partial that needs more context than a base URL is not on this page either
                continue
            scripts += _INLINE_SCRIPT.findall(rendered)
        if self.worker:
            worker_url = self.worker if base_url == "." else posixpath.join(base_url, self.worker)
            frame = shim_frame_script(self.shim, worker_url)
            if frame is not None:
                scripts.append(frame)
        return policy(script_hash(script) for script in scripts)


def _worker_path(theme_dirs: list[str]) -> str | None:
    """The search worker's path as Material's ``base.html`` names it in its page configuration."""
    for folder in theme_dirs:
        base = Path(folder) / "base.html"
        if base.is_file():
            found = _WORKER.search(base.read_text(encoding="utf-8"))
            if found:
                return found.group(1)
    return None
