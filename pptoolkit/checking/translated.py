"""The rules on one artifact's file, run over its translations: each language's files as a playbook of their own.

A translation is published as a page of its own, so what it says is checked as its original is: its
front matter and sections, its links, its HTML and its personal information. The rules on what a pair
shares (owner, practices, dates) are the original's, and are reported there once.
"""

from __future__ import annotations

import copy
from datetime import date

from pptoolkit.checking.privacy import privacy_checks
from pptoolkit.checking.rules import files, front_matter, html, links, privacy, run_checks
from pptoolkit.loading.playbook import Playbook
from pptoolkit.model.diagnostics import Diagnostic

PER_FILE_RULES = frozenset(rule.code for family in (files, front_matter, links, html, privacy) for rule in family.RULES)
"""The rules on what a translation writes for itself; the others concern what it shares with its original."""


def translation_diagnostics(playbook: Playbook, today: date) -> list[Diagnostic]:
    """What the rules on an artifact's own file find in each translation file."""
    found: list[Diagnostic] = []
    for language in playbook.settings.languages[1:]:
        their = [t.artifact for t in playbook.translations if t.language == language]
        if not their:
            continue
        view = copy.copy(playbook)
        view.artifacts, view.translations, view._by_path = their, [], {}
        paths = {artifact.path for artifact in their}
        found += [
            diagnostic
            for diagnostic in (*run_checks(view, today), *privacy_checks(view))
            if diagnostic.path in paths and diagnostic.code in PER_FILE_RULES
        ]
    return found
