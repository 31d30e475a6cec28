"""Identities of diagnostics that survive unrelated edits: no line or column in them.

Code scanning (SARIF), GitLab code quality and ``pptoolkit diff`` match a
problem across two runs by what it is and which file it is in, not where the
file's lines happen to be: adding a paragraph above a problem does not make it
a new problem.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from pptoolkit.model.diagnostics import Diagnostic

LINE_REFERENCE = re.compile(r"\b(lines?) \d+")


def stable_message(message: str) -> str:
    """The message without the line numbers some messages quote ('already defined on line 12')."""
    return LINE_REFERENCE.sub(r"\1 N", message)


def diagnostic_key(diagnostic: Diagnostic) -> tuple[str, str, str]:
    """``(code, path, practice or stable message)``: what a diagnostic is, wherever it is in its file."""
    return diagnostic.code, diagnostic.path, diagnostic.practice or stable_message(diagnostic.message)


def fingerprints(diagnostics: Iterable[Diagnostic]) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic with a hex fingerprint of its key; the n-th repeat of a key in a file gets its own."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for diagnostic in diagnostics:
        key = diagnostic_key(diagnostic)
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        yield diagnostic, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # any file name
