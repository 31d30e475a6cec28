"""Every rule of the checker: one module per family, an explicit registry, and the engine that runs them.

Codes are a contract: CI configurations, waivers and other tools refer to them. Families, one
module each: ``files`` PP1xx (reading files and YAML), ``front_matter`` PP2xx (fields and
structure), ``references`` PP301 to PP303 (practices and owners), ``links`` PP304, PP305, PP308 to PP311, PP313
(links and published files), ``dates`` PP306, PP307 and PP312, ``coverage`` PP4xx, ``waivers`` PP5xx,
``registry`` PP6xx (roles and matrix), ``html`` PP701, ``privacy`` PP702 to PP708, ``partnership`` PP8xx
(role references, approval, engagement) and ``translations`` PP9xx (files in several languages).

A rule is declared in its family module (code, kebab-case name, default severity, and its
documentation, which the README's rule table and ``pptoolkit rules CODE`` show). Where its check
runs over a loaded playbook, the check is declared beside it with ``@check(RULE)`` and yields
:class:`~pptoolkit.checking.rules.base.Found`; :func:`run_checks` stamps code, name and severity on it.
Some rules cannot be checked after loading, because they decide what is loaded: a file that
cannot be read, front matter that does not validate, a malformed role. The loader (and the
coverage assessment, the publication and the privacy scan) import those rules from their family
module and emit them where the problem is found. Whatever emitted a diagnostic,
:func:`configured` applies the playbook's rule settings (``rules:`` in the plugin entry) to it.

A check imports the loader's modules (``documents``, ``publication``) inside its function: they
import their own rules from this package, which must be whole before they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules import (
    coverage,
    dates,
    files,
    front_matter,
    html,
    links,
    partnership,
    privacy,
    references,
    registry,
    translations,
    waivers,
)
from pptoolkit.checking.rules.base import Check
from pptoolkit.i18n import _
from pptoolkit.model.diagnostics import Diagnostic, Rule, Severity

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

FAMILIES = (
    files,
    front_matter,
    references,
    links,
    dates,
    coverage,
    waivers,
    registry,
    html,
    privacy,
    partnership,
    translations,
)
"""The family modules, in the order of their codes."""

ALL: tuple[Rule, ...] = tuple(sorted((rule for family in FAMILIES for rule in family.RULES), key=lambda r: r.code))
"""Every rule, by code."""
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL}
CHECKS: tuple[Check, ...] = tuple(check for family in FAMILIES for check in family.CHECKS)
"""The checks over a loaded playbook, in the order they run."""

OFF = "off"
RULE_SETTINGS = (Severity.ERROR.value, Severity.WARNING.value, OFF)
"""What a rule can be set to in the plugin entry's `rules:`."""


def find(code_or_name: str) -> Rule | None:
    """The rule of a code (in any case, `pp303`) or a name (`owner-level-mismatch`), or None."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name)


def run_checks(playbook: Playbook, today: date) -> list[Diagnostic]:
    """Run every registered check over the playbook: what each finds, as a diagnostic of its rule."""
    return [
        check.rule_of(found).at(found.where, found.message, found.practice)
        for check in CHECKS
        for found in check.run(playbook, today)
    ]


def configured(diagnostics: Iterable[Diagnostic], settings: Mapping[str, str]) -> list[Diagnostic]:
    """The diagnostics as the rule settings want them: ``{code: "error" | "warning" | "off"}``.

    A rule set to ``off`` is dropped; any other setting stamps its severity. Applied to every
    diagnostic, whichever module emitted it (the loader's too).
    """
    if not settings:
        return list(diagnostics)
    kept = []
    for diagnostic in diagnostics:
        wanted = settings.get(diagnostic.code)
        if wanted == OFF:
            continue
        if wanted is not None and wanted != diagnostic.severity.value:
            diagnostic = replace(diagnostic, severity=Severity(wanted))
        kept.append(diagnostic)
    return kept


def rules_markdown() -> str:
    """The rule list as a Markdown table, for the README and the site (kept in sync by a test)."""
    lines = [_("| Code | Name | Severity | What it checks |"), "|---|---|---|---|"]
    for rule in ALL:
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines) + "\n"
