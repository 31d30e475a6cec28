"""Privacy of patient advisors: personal information that must never reach a published playbook.

Patient advisors are patients. Quebec's law on health and social services
information protects what identifies a person even indirectly, so the
checker looks, in every text that the site publishes (artifacts, evidence
files, content pages, role titles and waiver reasons), for e-mail addresses,
phone numbers, health insurance numbers, postal addresses, and in `registry`
artifacts for the names of people. Organizational contacts may be allowed in
`privacy.allowed_contacts`. Indicators are published in aggregate only, with
small cells suppressed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pptoolkit import catalog
from pptoolkit.diagnostics import Diagnostic, Location, Rule
from pptoolkit.documents import split_lines
from pptoolkit.loading import Playbook
from pptoolkit.models import Indicators

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE = re.compile(
    r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s?(?:x|ext\.?|poste)\s?\d{1,5})?\b"
)
RAMQ = re.compile(r"\b[A-Z]{4}[\s-]?\d{4}[\s-]?\d{4}\b")
OHIP = re.compile(r"\b\d{4}[\s-]\d{3}[\s-]\d{3}(?:[\s-]?[A-Z]{2})?\b")
POSTAL_CODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b")
STREET = re.compile(
    r"\b\d{1,5}(?:-\d{1,5})?,?\s+(?:rue|avenue|av\.|boulevard|boul\.|chemin|ch\.|rang|route|street|st\.|road|rd\.|"
    r"drive|dr\.|lane|place|montée|côte)\s+[A-ZÀ-Ý0-9]",
    re.IGNORECASE,
)
STREET_EN = re.compile(
    r"\b\d{1,5}(?:-\d{1,5})?,?\s+(?:[A-ZÀ-Ý0-9][\w'\u2019.-]*\s+){1,3}"
    r"(?i:(?:street|avenue|road|drive|lane|boulevard|crescent|court)\b|(?:st|ave|rd|dr|blvd)\.)"
)
HONORIFIC_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mme|Mlle|M)\.?\s+[A-ZÀ-Ý][a-zà-ÿ'-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'-]+)?")
LISTED_NAME = re.compile(
    r"^\s*(?:[-*+]|\d+\.|\|)\s*([A-ZÀ-Ý][a-zà-ÿ'-]+(?:-[A-ZÀ-Ý][a-zà-ÿ'-]+)?\s+[A-ZÀ-Ý][a-zà-ÿ'-]+"
    r"(?:-[A-ZÀ-Ý][a-zà-ÿ'-]+)?)\s*(?:$|\||,|\(|:)"
)


# A line can hold what the patterns other than names look for only if it has one of: an '@' (EMAIL),
# a digit before a space, possibly after a comma (STREET, STREET_EN, and the spaced PHONE, RAMQ, OHIP),
# a digit before a capital (POSTAL_CODE), a digit, '.' or '-' and three digits (PHONE, RAMQ, OHIP with
# dashes or dots), or eight digits in a row (RAMQ). One search over the text finds those lines, and
# dates such as 2026-01-28 are not among them. Lines end at '\n' only, as `split_lines` does when the
# text has no '\r'; `[^\S\n]` is `\s` within a line.
_WORTH_A_LOOK = re.compile(r"@|\d(?:,?[^\S\n]|[A-Z]|[.-]\d{3}|\d{7})")


def _lines_to_scan(text: str, first_line: int, names: bool) -> Iterator[tuple[int, str]]:
    """The numbered lines that may hold personal information: every line when names are looked for."""
    if names or "\r" in text:
        yield from enumerate(split_lines(text), start=first_line)
        return
    number, counted, position = first_line, 0, 0
    while found := _WORTH_A_LOOK.search(text, position):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        number += text.count("\n", counted, start)
        counted, position = start, end + 1
        yield number, text[start:end]


@dataclass(frozen=True)
class Finding:
    """Personal information found in a text: the rule it breaks, where, and what (masked)."""

    rule: Rule
    line: int
    column: int
    what: str


def _mask(value: str) -> str:
    """Show enough of a value to find it, not enough to republish it."""
    visible = value[:3]
    return visible + "…" if len(value) > 3 else visible


def _normalized(value: str) -> str:
    return re.sub(r"[\s().+-]", "", value).casefold()


CONTACTS: tuple[tuple[Rule, re.Pattern[str], str], ...] = (
    (catalog.PERSONAL_EMAIL, EMAIL, "an e-mail address"),
    (catalog.HEALTH_CARD, RAMQ, "a health insurance number"),
    (catalog.HEALTH_CARD, OHIP, "a health card number"),
    (catalog.PERSONAL_PHONE, PHONE, "a phone number"),
    (catalog.POSTAL_ADDRESS, STREET, "a street address"),
    (catalog.POSTAL_ADDRESS, STREET_EN, "a street address"),
    (catalog.POSTAL_ADDRESS, POSTAL_CODE, "a postal code"),
)
NAMES = (catalog.PERSON_NAME, HONORIFIC_NAME, "a person's name")
_SEPARATOR = "\0"  # no pattern matches it, and it is a word boundary as a line's end is


def _matches(lines: list[str], patterns: tuple[tuple[Rule, re.Pattern[str], str], ...]) -> dict[int, list[Any]]:
    """Each pattern's matches in each line, by line index, in the order of the patterns.

    The lines are searched as one text joined by NUL: no pattern matches NUL, so no match
    spans two lines, and each line gives the matches that searching it alone would give
    (``tests/test_privacy.py`` checks it), for one search per pattern instead of one per line.
    """
    joined = _SEPARATOR.join(lines)
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    found: dict[int, list[Any]] = {}
    for index, (_, pattern, _) in enumerate(patterns):
        for match in pattern.finditer(joined):
            line = bisect_right(starts, match.start()) - 1
            offset = starts[line]
            found.setdefault(line, []).append((index, match.start() - offset, match.end() - offset, match.group(0)))
    return found


def scan_text(text: str, allowed: tuple[str, ...], names: bool = False, first_line: int = 1) -> Iterator[Finding]:
    """Yield personal information found in ``text``; ``names`` also looks for people's names."""
    allowed_keys = {_normalized(a) for a in allowed}
    patterns = (*CONTACTS, NAMES) if names else CONTACTS
    numbered = list(_lines_to_scan(text, first_line, names))
    lines = [line for _, line in numbered]
    found = _matches(lines, patterns)
    for index, (number, line) in enumerate(numbered):
        taken: list[tuple[int, int]] = []
        if index in found:
            allowed_spans = [
                hit.span()
                for contact in allowed
                if contact.strip()
                for hit in re.finditer(re.escape(contact.strip()), line, re.IGNORECASE)
            ]
            for which, start, end, value in found[index]:
                rule, _, what = patterns[which]
                if (
                    _normalized(value) in allowed_keys
                    or any(low <= start and end <= high for low, high in allowed_spans)
                    or any(low < end and start < high for low, high in taken)
                ):
                    continue
                taken.append((start, end))
                yield Finding(rule, number, start + 1, f"{what} ('{_mask(value)}')")
        if names:
            listed = LISTED_NAME.match(line)
            if listed and not any(s <= listed.start(1) < e for s, e in taken):
                yield Finding(
                    catalog.PERSON_NAME, number, listed.start(1) + 1, f"a person's name ('{_mask(listed.group(1))}')"
                )


def scan_findings(text: str, allowed: tuple[str, ...], names: bool) -> list[Finding]:
    """Every finding of ``scan_text`` in ``text``, as a list (what the cache remembers)."""
    return list(scan_text(text, allowed, names=names))


def _diagnostics(path: str, findings: Iterator[Finding]) -> Iterator[Diagnostic]:
    for finding in findings:
        yield finding.rule.at(
            Location(path, finding.line, finding.column),
            f"{finding.what} must not be published: patient advisors' personal information stays out of "
            "the playbook (allow organizational contacts in privacy.allowed_contacts)",
        )


def small_cells(playbook: Playbook) -> Iterator[Diagnostic]:
    """Indicator values below the small-cell threshold: published as "< N"."""
    threshold = playbook.settings.privacy.small_cell_threshold
    for artifact in playbook.artifacts:
        if not isinstance(artifact.model, Indicators):
            continue
        for index, indicator in enumerate(artifact.model.indicators):
            if is_small_cell(indicator.value, indicator.unit, threshold):
                yield catalog.SMALL_CELL.at(
                    artifact.at("indicators", index, "value"),
                    # Not the value itself: this message is published too (the site's gaps page).
                    f"indicator '{indicator.name}' is below {threshold}: it is published as '< {threshold}'",
                )


def is_small_cell(value: float | None, unit: str, threshold: int) -> bool:
    """True for a count (not a percentage or a rate) above zero and below the threshold."""
    if value is None or value == 0 or "%" in unit or "percent" in unit.casefold():
        return False
    return value < threshold


def privacy_checks(playbook: Playbook) -> Iterator[Diagnostic]:
    """Every piece of personal information in what the playbook publishes, and every small cell."""
    allowed = playbook.settings.privacy.allowed_contacts
    remember = playbook.cache.remember
    for artifact in playbook.artifacts:
        names = artifact.model.kind == "registry"
        yield from _diagnostics(artifact.path, iter(remember(scan_findings, artifact.document.text, allowed, names)))
    for published, text in playbook.publication.scanned():
        yield from _diagnostics(published.source, iter(remember(scan_findings, text, allowed, False)))
    for role in playbook.roles.values():
        for finding in scan_text(role.model.title, allowed, names=True):
            yield finding.rule.at(role.at("title"), f"the title of role '{role.model.id}' contains {finding.what}")
    for waiver in playbook.waivers:
        for finding in scan_text(waiver.model.reason, allowed, names=True):
            yield finding.rule.at(
                waiver.at("reason"), f"the reason of the waiver for {waiver.model.practice} contains {finding.what}"
            )
    yield from small_cells(playbook)
