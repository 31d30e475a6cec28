"""Reporters format a checked playbook; they compute nothing of their own.

``REPORTERS`` maps each ``--format`` name to a function from a result to text. Every
format escapes what it prints (``printable.py``): formats made of lines print each value
on one line, Markdown shows markup from the playbook as text, and all of them carry a
file name that is not UTF-8 with its bytes written ``\\xNN``.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

from pptoolkit import __version__
from pptoolkit.checking.baseline import Ratchet
from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage
from pptoolkit.checking.rules import ALL
from pptoolkit.checking.rules import coverage as coverage_rules
from pptoolkit.i18n import _, current_language, ngettext
from pptoolkit.i18n.vocabulary import status_word
from pptoolkit.model.diagnostics import Diagnostic, Rule
from pptoolkit.model.matrix import Practice
from pptoolkit.reporting.fingerprints import fingerprints
from pptoolkit.reporting.printable import one_line, utf8_safe

if TYPE_CHECKING:  # the diff (and git) are imported by `pptoolkit diff` alone, never by a check
    import xml.etree.ElementTree as ET  # and the XML of the JUnit report by that report alone

    from pptoolkit.reporting.diff import (
        ArtifactChange,
        CoverageDiff,
        EvidenceChange,
        EvidenceItem,
        OwnerChange,
        StatusChange,
    )


def _errors(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def _warnings(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def coverage_line(result: Result) -> str:
    """One sentence on coverage, e.g. 'Coverage: 24 of 25 practices covered, of which 1 overdue for review (...)'.

    The numbers are :func:`~pptoolkit.checking.coverage.coverage_counts`', as on the site's pages:
    a practice overdue for review is covered, and counted again in "of which".
    """
    counts = result.coverage_counts()
    shown = ["waived", "missing", "no-owner", "no-evidence"]
    shown += [s for s in ("not-applicable", "no-patient-partner") if counts.by_status[s]]  # named once they occur
    details = ", ".join(_("{count} {status}").format(count=counts.by_status[s], status=status_word(s)) for s in shown)
    covered = _("Coverage: {covered} of {total} practices covered").format(covered=counts.covered, total=counts.total)
    if counts.overdue:
        covered += ngettext(
            ", of which {count} overdue for review", ", of which {count} overdue for review", counts.overdue
        ).format(count=counts.overdue)
    return _("{covered} ({details})").format(covered=covered, details=details)


def baseline_line(result: Result) -> str:
    """What the baseline accepts, e.g. 'Baseline (checks/baseline.yml): 20 errors accepted, 1 new.'."""
    assert result.ratchet is not None
    accepted = len(result.baselined)
    return ngettext(
        "Baseline ({path}): {count} accepted gap (error that fails nothing), {new} new.",
        "Baseline ({path}): {count} accepted gaps (errors that fail nothing), {new} new.",
        accepted,
    ).format(path=result.ratchet.baseline.path, count=accepted, new=result.new_errors)


def diagnostic_line(diagnostic: Diagnostic) -> str:
    """``path:line:col: CODE message [name]``, with ``warning:`` before the message of a warning."""
    severity = "" if diagnostic.is_error else _("warning: ")
    return (
        f"{one_line(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} "
        f"{severity}{one_line(diagnostic.message)} [{diagnostic.name}]"
    )


def text(result: Result) -> str:
    """Linter-style lines, then the coverage summary."""
    lines = [diagnostic_line(d) for d in result.diagnostics]
    if lines:
        lines.append("")
    lines.append(coverage_line(result))
    if result.diagnostics:
        lines.append(
            _("Found {errors} and {warnings}.").format(
                errors=_errors(result.errors), warnings=_warnings(result.warnings)
            )
        )
    if result.ratchet:
        lines.append(baseline_line(result))
    if not result.diagnostics:
        lines.append(_("No problems found."))
    return "\n".join(lines) + "\n"


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic as a JSON object (``practice`` is null when none applies)."""
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "practice": diagnostic.practice,
    }


def practice_details(practice: Practice) -> dict[str, Any]:
    """What the matrix says of a practice besides the study's wording: clauses, note, requirements, evidence age."""
    return {
        "clauses": [{"text": c.text, "cases": list(c.cases)} for c in practice.clauses],
        "note": practice.note,
        "requires": list(practice.requires),
        "evidence_max_age_days": practice.evidence_max_age_days,
    }


def practice_json(coverage: PracticeCoverage) -> dict[str, Any]:
    """A practice, its status, and the owners, artifacts and evidence behind it."""
    practice = coverage.practice
    waiver = coverage.waiver
    return {
        "id": practice.id,
        "type": practice.type,
        "levels": list(practice.levels),
        "cases": list(practice.cases),
        "title": practice.title,
        "short_title": practice.short_title or practice.title,
        **practice_details(practice),
        "status": coverage.status,
        "owners": [
            {"role": o.role, "title": o.title, "level": o.level, "type": o.type, "artifact": o.artifact}
            for o in coverage.owners
        ],
        "artifacts": [
            {
                "id": a.model.id,
                "path": a.path,
                "title": a.model.title,
                "kind": a.model.kind,
                "status": a.model.status,
                "approved_by": a.model.approved_by,
                "co_constructed_with": list(a.model.co_constructed_with),
                "engagement": a.model.engagement.model_dump() if a.model.engagement else None,
            }
            for a in coverage.artifacts
        ],
        "evidence": [
            {
                "title": e.title,
                "date": e.date.isoformat(),
                "link": e.link,
                "artifact": e.artifact,
                "valid": e.valid,
                "signed_by": list(e.signed_by),
            }
            for e in coverage.evidence
        ],
        "review_by": coverage.review_by.isoformat() if coverage.review_by else None,
        "newest_evidence": coverage.newest_evidence.isoformat() if coverage.newest_evidence else None,
        "partners": list(coverage.partners),
        "not_applicable": None
        if coverage.not_applicable is None
        else {
            "reason": coverage.not_applicable.model.reason,
            "approved_by": coverage.not_applicable.model.approved_by,
            "review_by": coverage.not_applicable.model.review_by.isoformat(),
        },
        "waiver": None
        if waiver is None
        else {
            "reason": waiver.model.reason,
            "approved_by": waiver.model.approved_by,
            "expires": waiver.model.expires.isoformat(),
        },
    }


def _utf8_tree(value: Any) -> Any:
    """``value`` (JSON data) with every text made UTF-8 safe."""
    if isinstance(value, str):
        return utf8_safe(value)
    if isinstance(value, dict):
        return {_utf8_tree(key): _utf8_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_utf8_tree(item) for item in value]
    return value


def _json(document: Any) -> str:
    """``document`` as indented JSON that is valid UTF-8 whatever file names it holds."""
    return _safe_json(document, 0) + "\n"


def _safe_json(document: Any, depth: int) -> str:
    """``document`` as indented JSON, ``depth`` deep, valid UTF-8 whatever file names it holds."""
    return _json_bytes(document, depth).decode("utf-8")


def _json_bytes(document: Any, depth: int) -> bytes:
    """:func:`_safe_json`'s text in UTF-8, as ``check --format json`` writes it.

    orjson writes what ``json.dumps(indent=2, ensure_ascii=False)`` writes, byte for byte, for what a
    report holds (text, integers, booleans, null, lists and objects keyed by text; never a float), twenty
    times faster than our own indentation below; JSON text holds no line break, so each line break of its
    output is where the indentation of ``depth`` goes. What orjson refuses (a file name that is not UTF-8,
    an integer beyond 64 bits, a key that is not text) is written by :func:`indented_json`.
    """
    try:
        written = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return _exact_json(document, depth).encode("utf-8")
    return written.replace(b"\n", _INDENTS[depth].encode("ascii")) if depth else written


def _exact_json(document: Any, depth: int) -> str:
    """:func:`_safe_json` by the json module's rules, for any document orjson refuses."""
    text = indented_json(document, depth)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: rare, so only then walk the document
        return indented_json(_utf8_tree(document), depth)
    return text


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


def indented_json(document: Any, depth: int = 0) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, character for character, several times faster.

    Python's JSON encoder runs in C only without ``indent``; a report of 5,000 artifacts
    took a second to indent. Here each container of plain values (an owner, an evidence item,
    a diagnostic) is written by the C encoder, its separators carrying the line breaks and
    indentation; only the containers of containers are walked in Python. ``depth``: as if
    the document were that many containers deep in another.
    """
    parts: list[str] = []
    _write_indented(document, depth, parts)
    return "".join(parts)


def _write_indented(value: Any, depth: int, parts: list[str]) -> None:
    if not isinstance(value, (dict, list, tuple)):
        parts.append(_SCALAR(value))
        return
    if not value:
        parts.append("{}" if isinstance(value, dict) else "[]")
        return
    inner, outer = _INDENTS[depth + 1], _INDENTS[depth]
    for item in value.values() if isinstance(value, dict) else value:
        if isinstance(item, (dict, list, tuple)):
            break
    else:  # plain values only: one call to the C encoder
        compact = _compact_encoder(depth)(value)
        parts.append(compact[0] + inner + compact[1:-1] + outer + compact[-1])
        return
    if not isinstance(value, dict) and all(_is_record(item) for item in value):  # records: one call to the C encoder
        deeper = _INDENTS[depth + 2]
        compact = _compact_encoder(depth + 1)(value)  # each record's items on their own lines already
        records = compact[2:-2].replace("}," + deeper + "{", inner + "}," + inner + "{" + deeper)
        parts.append("[" + inner + "{" + deeper + records + inner + "}" + outer + "]")
        return
    separator = inner
    if isinstance(value, dict):
        parts.append("{")
        for key, item in value.items():
            parts.append(separator + (_SCALAR(key) if isinstance(key, str) else _key(key)) + ": ")
            _write_indented(item, depth + 1, parts)
            separator = "," + inner
        parts.append(outer + "}")
        return
    parts.append("[")
    for item in value:
        parts.append(separator)
        _write_indented(item, depth + 1, parts)
        separator = "," + inner
    parts.append(outer + "]")


def _is_record(value: Any) -> bool:
    """True for a non-empty dictionary of plain values, keyed by text."""
    return (
        isinstance(value, dict)
        and bool(value)
        and not any(isinstance(item, (dict, list, tuple)) for item in value.values())
        and all(isinstance(key, str) for key in value)
    )


class _Indents(dict[int, str]):
    """A line break and the indentation of each depth, made when first needed."""

    def __missing__(self, depth: int) -> str:
        self[depth] = "\n" + "  " * depth
        return self[depth]


_INDENTS = _Indents()


@cache
def _compact_encoder(depth: int) -> Callable[[Any], str]:
    """The C encoder whose item separator breaks the line and indents to ``depth + 1``."""
    return json.JSONEncoder(ensure_ascii=False, separators=("," + _INDENTS[depth + 1], ": ")).encode


def _key(key: Any) -> str:
    """A key that is not text, written as the JSON encoder writes it (``1`` becomes ``"1"``)."""
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]


def as_json(result: Result) -> str:
    """One JSON object: ``summary``, ``practices`` and ``diagnostics``."""
    return b"".join(json_chunks(result)).decode("utf-8")


def json_chunks(result: Result) -> Iterator[bytes]:
    """``as_json``'s text in UTF-8, in pieces: one per practice, one per thousand diagnostics.

    ``pptoolkit check --format json`` writes each piece as it comes, so that a check of thousands
    of artifacts never holds the whole report (several MB, as text and as dictionaries) at once.
    """
    summary = _safe_json(result.summary(), 1)
    yield f'{{\n  "today": {_SCALAR(result.today.isoformat())},\n  "summary": {summary},\n  "practices": '.encode()
    yield from _json_list((practice_json(c) for c in result.coverage), 1, 1)
    yield b',\n  "diagnostics": '
    if result.ratchet is None:
        yield from _json_list((diagnostic_json(d) for d in result.diagnostics), 1, 1000)
        yield b"\n}\n"
        return
    baselined = result.baselined
    yield from _json_list((diagnostic_json(d) | {"baselined": d in baselined} for d in result.diagnostics), 1, 1000)
    yield f',\n  "baseline": {_safe_json(baseline_json(result.ratchet, result.new_errors), 1)}\n}}\n'.encode()


def baseline_json(ratchet: Ratchet, new_errors: int) -> dict[str, Any]:
    """The baseline's part of the JSON report: its file, the errors it accepts, those it does not, what improved."""
    return {
        "path": ratchet.baseline.path,
        "accepted": len(ratchet.baselined),
        "new_errors": new_errors,
        "improved": [{"practice": i.practice, "accepted": i.accepted, "now": i.now} for i in ratchet.improvements],
    }


def _json_list(items: Iterator[Any], depth: int, size: int) -> Iterator[bytes]:
    """A list, ``depth`` deep in an indented JSON document, written ``size`` items at a time."""
    closing = (_INDENTS[depth] + "]").encode("ascii")
    opened = False
    while group := list(islice(items, size)):
        written = _json_bytes(group, depth)  # "[" + the items + closing
        yield (b"," if opened else b"[") + written[1 : -len(closing)]
        opened = True
    yield closing if opened else b"[]"


def report_chunks(output_format: str, result: Result) -> Iterator[str] | Iterator[bytes]:
    """The report of ``result`` in ``output_format``, in pieces to write one after the other.

    The JSON report comes in UTF-8, as JSON is exchanged, and is written as it comes (it is most of
    the 9 MB a check of 5,000 artifacts writes); the others are text, for the output's encoding.
    """
    if output_format == "json":
        return json_chunks(result)
    return iter((REPORTERS[output_format](result),))


def _escape_data(value: str) -> str:
    """A workflow command's message, as GitHub documents it (after :func:`one_line`, no line break is left)."""
    return one_line(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A workflow command's property value: its data escapes, and ':' and ',' that would end it."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: Result) -> str:
    """GitHub workflow commands (``::error file=...``), then the coverage summary as a notice."""
    lines = []
    for d in result.diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", d.path),
                ("line", d.line),
                ("col", d.column),
                ("title", f"{d.code} {d.name}"),
            )
        )
        level = "notice" if d in result.baselined else d.severity.value  # an accepted gap fails nothing
        lines.append(f"::{level} {properties}::{_escape_data(d.message)}")
    lines.append(f"::notice title=pptoolkit coverage::{_escape_data(coverage_line(result))}")
    return "\n".join(lines) + "\n"


def step_summary(result: Result) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only ten annotations of each kind."""
    lines = ["## " + _("Patient partnership coverage"), "", coverage_line(result), ""]
    failing = [c for c in result.coverage if c.status != "covered"]
    if failing:
        lines += ["| " + " | ".join((_("Practice"), _("Status"), _("Title"))) + " |", "|---|---|---|"]
        lines += [
            f"| {c.practice.id} | {c.status} | {_cell(c.practice.title_in(current_language()))} |" for c in failing
        ]
        lines.append("")
    if result.diagnostics:
        lines += [f"### {_errors(result.errors)}, {_warnings(result.warnings)}", ""]
        lines += ["| " + " | ".join((_("Where"), _("Rule"), _("Problem"))) + " |", "|---|---|---|"]
        for d in result.diagnostics:
            lines.append(f"| {_code(f'{d.path}:{d.line}:{d.column}')} | {d.code} {d.name} | {_cell(d.message)} |")
    return "\n".join(lines) + "\n"


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "pptoolkit/v1"
"""The name of the fingerprint in SARIF ``partialFingerprints``; a new way of computing it gets a new name."""
COVERAGE_RULES = frozenset(rule.code for rule in coverage_rules.RULES)
"""The practice-level coverage rules: reported with their practice, not with the matrix file."""
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _unwrap(doc: str) -> str:
    """A rule's documentation with each paragraph on one line."""
    return "\n\n".join(" ".join(part.split()) for part in doc.strip().split("\n\n"))


def sarif_rule(rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF ``reportingDescriptor``: stable id (its code), name, descriptions, help, level."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _unwrap(rule.documentation)},
        "help": {"text": _unwrap(rule.documentation), "markdown": rule.documentation},
        "defaultConfiguration": {"level": rule.severity.value},
    }


def _sarif_result(
    diagnostic: Diagnostic, fingerprint: str, rule_index: dict[str, int], baseline_state: str | None = None
) -> dict[str, Any]:
    region = {"startLine": diagnostic.line, "startColumn": diagnostic.column}
    if diagnostic.end_line is not None:
        region["endLine"] = diagnostic.end_line
    if diagnostic.end_column is not None:
        region["endColumn"] = diagnostic.end_column
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    result |= {
        "level": diagnostic.severity.value,
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(utf8_safe(diagnostic.path)), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if baseline_state:
        result["baselineState"] = baseline_state
    if diagnostic.practice:
        result["properties"] = {"practice": diagnostic.practice}
    return result


def _baseline_state(result: Result, diagnostic: Diagnostic) -> str | None:
    """SARIF ``baselineState`` with a baseline: ``unchanged`` for an accepted gap, ``new`` for any other error."""
    if result.ratchet is None or not diagnostic.is_error:
        return None
    return "unchanged" if diagnostic in result.baselined else "new"


def sarif(result: Result) -> str:
    """SARIF 2.1.0 for code scanning: every rule with its help, every diagnostic with a line-free fingerprint."""
    rules = list(ALL)
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pptoolkit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [sarif_rule(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _sarif_result(d, f, rule_index, _baseline_state(result, d))
                    for d, f in fingerprints(result.diagnostics)
                ],
                "properties": {"coverage": result.summary()},
            }
        ],
    }
    return _json(document)


def _xml(value: str) -> str:
    return XML_FORBIDDEN.sub("\ufffd", utf8_safe(value))


def _suite(parent: ET.Element, name: str, cases: list[ET.Element]) -> None:
    import xml.etree.ElementTree as ET

    suite = ET.SubElement(parent, "testsuite", name=name)
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": 0,
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    suite.attrib.update({key: str(value) for key, value in counts.items()})
    suite.extend(cases)


def _case(classname: str, name: str, diagnostics: list[Diagnostic], failure: tuple[str, str] | None) -> ET.Element:
    """A test case; ``failure`` is its (type, message), and the diagnostics are its text or its output."""
    import xml.etree.ElementTree as ET

    case = ET.Element("testcase", classname=_xml(classname), name=_xml(name))
    details = "\n".join(_xml(diagnostic_line(d)) for d in diagnostics)
    if failure is not None:
        kind, message = failure
        ET.SubElement(case, "failure", type=_xml(kind), message=_xml(message)).text = details
    elif details:
        ET.SubElement(case, "system-out").text = details
    return case


def _practice_case(result: Result, coverage: PracticeCoverage) -> ET.Element:
    import xml.etree.ElementTree as ET

    practice = coverage.practice
    diagnostics = [d for d in result.diagnostics if d.practice == practice.id]
    failure = None
    if coverage.is_failing:
        own = next((d for d in diagnostics if d.code in COVERAGE_RULES), None)
        failure = (
            coverage.status,
            own.message
            if own
            else _("practice {practice} is {status}").format(practice=practice.id, status=status_word(coverage.status)),
        )
    case = _case(practice.type, f"{practice.id}: {practice.title_in(current_language())}", diagnostics, failure)
    if coverage.status == "waived" and coverage.waiver is not None:
        waiver = coverage.waiver.model
        skipped = ET.Element(
            "skipped",
            message=_xml(
                _("waived until {date}: {reason}").format(date=waiver.expires.isoformat(), reason=waiver.reason)
            ),
        )
        case.insert(0, skipped)
    if coverage.status == "not-applicable" and coverage.not_applicable is not None:
        entry = coverage.not_applicable.model
        reason = _("not applicable (review by {date}): {reason}").format(
            date=entry.review_by.isoformat(), reason=entry.reason
        )
        case.insert(0, ET.Element("skipped", message=_xml(reason)))
    return case


def _file_cases(result: Result) -> list[ET.Element]:
    by_path: dict[str, list[Diagnostic]] = {a.path: [] for a in result.playbook.artifacts}
    for d in result.diagnostics:
        if d.code not in COVERAGE_RULES:
            by_path.setdefault(d.path, []).append(d)
    cases = []
    for path in sorted(by_path):
        diagnostics = by_path[path]
        errors = [d for d in diagnostics if d.is_error]
        failure = (errors[0].code, f"{_errors(len(errors))}: {errors[0].message}") if errors else None
        cases.append(_case(posixpath.dirname(path) or ".", path, diagnostics, failure))
    return cases


def junit(result: Result) -> str:
    """JUnit XML: a test case per practice (failing when uncovered), and one per file with its problems."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="pptoolkit")
    _suite(root, "pptoolkit coverage", [_practice_case(result, c) for c in result.coverage])
    _suite(root, "pptoolkit files", _file_cases(result))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def gitlab(result: Result) -> str:
    """GitLab code quality JSON: one issue per diagnostic, with the same fingerprints as SARIF."""
    issues = [
        {
            "description": f"{d.code} {d.message}",
            "check_name": f"{d.code} {d.name}",
            "fingerprint": fingerprint,
            "severity": "major" if d.is_error else "minor",
            "location": {"path": d.path, "lines": {"begin": d.line}},
        }
        for d, fingerprint in fingerprints(result.diagnostics)
    ]
    return _json(issues)


Reporter = Callable[[Result], str]

REPORTERS: dict[str, Reporter] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
    "junit": junit,
    "gitlab": gitlab,
}


def matrix_text(result: Result) -> str:
    """The matrix by type, then by level, each practice with its status."""
    from pptoolkit.model.matrix import LEVEL_TITLES, TYPE_TITLES

    language = current_language()
    lines: list[str] = []
    for practice_type, type_title in TYPE_TITLES.items():
        rows = [c for c in result.coverage if c.practice.type == practice_type]
        if not rows:
            continue
        lines.append(_(type_title))
        for level, level_title in LEVEL_TITLES.items():
            at_level = [c for c in rows if c.practice.levels[0] == level]
            if not at_level:
                continue
            lines.append("  " + _("{level} managers").format(level=_(level_title)))
            for c in at_level:
                levels = "+".join(c.practice.levels)
                lines.append(
                    f"    {c.practice.id:<4} {c.status:<12} {levels:<10} {one_line(c.practice.title_in(language))}"
                )
        lines.append("")
    others = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    lines += [f"    {c.practice.id:<4} {c.status:<12} {one_line(c.practice.title_in(language))}" for c in others]
    lines.append(coverage_line(result))
    return "\n".join(lines) + "\n"


def matrix_json(result: Result) -> str:
    """``{"practices": [...]}``: each practice's id, type, levels, cases, title, short title, clauses, note, requires,
    status."""
    practices = [
        {
            "id": c.practice.id,
            "type": c.practice.type,
            "levels": list(c.practice.levels),
            "cases": list(c.practice.cases),
            "title": c.practice.title,
            "short_title": c.practice.short_title or c.practice.title,
            **practice_details(c.practice),
            "status": c.status,
            "not_applicable": None if c.not_applicable is None else c.not_applicable.model.reason,
        }
        for c in result.coverage
    ]
    return _json({"practices": practices})


MATRIX_REPORTERS: dict[str, Reporter] = {"text": matrix_text, "json": matrix_json}


DIFF_MARKER = "<!-- pptoolkit diff -->"
"""First line of the Markdown diff, so that a CI job can find and update its earlier pull-request comment."""


MARKDOWN_MARKUP = re.compile(r"([\\`*_\[\]|~])")
"""What makes Markdown of text in a table cell: backslash, code, emphasis, links and images, cells."""
BACKTICKS = re.compile(r"`+")


def _cell(value: object) -> str:
    """A value for a Markdown table cell, on one line, its HTML and Markdown markup shown as text.

    GitHub renders the HTML of a step summary or a comment: a title must not add a link, an
    image that loads from another host, or a row.
    """
    return MARKDOWN_MARKUP.sub(r"\\\1", html.escape(one_line(str(value)), quote=False))


def _code(value: str) -> str:
    """``value`` as inline code in a Markdown table cell: fenced by more backticks than it holds, pipes escaped."""
    value = one_line(value).replace("|", "\\|")
    longest = max((len(run) for run in BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{padding}{value}{padding}{fence}"


def _covered(summary: dict[str, int]) -> str:
    return _("{covered} of {total}").format(covered=summary["covered"] + summary["stale"], total=summary["practices"])


def _section(title: str, header: str, rows: list[str]) -> list[str]:
    """A titled Markdown table with its row count, or nothing without rows."""
    if not rows:
        return []
    return [f"### {title} ({len(rows)})", "", header, "|" + "---|" * (header.count("|") - 1), *rows, ""]


def _status_rows(changes: list[StatusChange]) -> list[str]:
    not_in_matrix, removed = _("(not in the matrix)"), _("(removed from the matrix)")
    return [
        f"| {c.practice} | {c.before or not_in_matrix} | {c.after or removed} | {_cell(c.title)} |" for c in changes
    ]


def _owner_rows(changes: tuple[OwnerChange, ...]) -> list[str]:
    return [
        f"| {c.practice} | {', '.join(c.before) or '—'} | {', '.join(c.after) or '—'} | {_cell(c.title)} |"
        for c in changes
    ]


def _evidence_rows(items: tuple[EvidenceItem, ...]) -> list[str]:
    return [
        f"| {_code(e.path)} | {_cell(e.title)} | {e.date.isoformat()} | {_cell(e.link)} | "
        f"{', '.join(e.practices) or '—'} |"
        for e in items
    ]


def _artifact_rows(changes: tuple[ArtifactChange, ...]) -> list[str]:
    return [
        f"| {_code(c.path)} | {_cell(c.title)} | {', '.join(c.practices) or '—'} |"
        + (f" {c.how} |" if c.how else "")
        + (f" {_code(c.before_path)} |" if c.before_path else "")
        for c in changes
    ]


def _evidence_change_rows(changes: tuple[EvidenceChange, ...]) -> list[str]:
    rows = []
    for change in changes:
        before, after = change.before, change.after
        rows.append(
            f"| {_code(after.path)} | {_cell(after.title)} | {before.date.isoformat()} → {after.date.isoformat()} | "
            f"{_cell(before.link)} → {_cell(after.link)} | {', '.join(after.practices) or '—'} |"
        )
    return rows


def _diagnostic_rows(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [
        f"| {_code(f'{d.path}:{d.line}')} | {d.severity.value} | {d.code} {d.name} | {_cell(d.message)} |"
        for d in diagnostics
    ]


def diff_markdown(diff: CoverageDiff) -> str:
    """The diff as a pull-request comment: coverage before and after, then each kind of change in a table."""
    base, head = diff.base, diff.head
    lines = [
        DIFF_MARKER,
        "## " + _("Patient partnership: what this change does"),
        "",
        f"{_code(base.name)} ({base.commit[:12]}) → {_code(head.name)} ({head.commit[:12]}), "
        + _("checked as of {date}.").format(date=diff.today.isoformat()),
        "",
        _("Coverage: {before} → {after} practices covered; errors {errors_before} → {errors_after}, ").format(
            before=_covered(base.summary),
            after=_covered(head.summary),
            errors_before=base.summary["errors"],
            errors_after=head.summary["errors"],
        )
        + _("warnings {before} → {after}.").format(before=base.summary["warnings"], after=head.summary["warnings"]),
        "",
    ]
    practices = _("| Practice | Before | After | Title |")
    evidence = _("| Artifact | Evidence | Date | Link | Practices |")
    problems = _("| Where | Severity | Rule | Problem |")
    artifacts = _("| Artifact | Title | Practices |")
    sections = [
        *_section(_("Lost coverage"), practices, _status_rows(diff.lost_coverage)),
        *_section(_("Newly covered"), practices, _status_rows(diff.became_covered)),
        *_section(_("Other status changes"), practices, _status_rows(diff.other_changes)),
        *_section(_("Artifacts added"), artifacts, _artifact_rows(diff.artifacts_added)),
        *_section(_("Artifacts retired"), artifacts + " " + _("How |"), _artifact_rows(diff.artifacts_retired)),
        *_section(_("Artifacts renamed"), artifacts + " " + _("Was |"), _artifact_rows(diff.artifacts_renamed)),
        *_section(_("Owners changed"), practices, _owner_rows(diff.owner_changes)),
        *_section(_("Evidence added"), evidence, _evidence_rows(diff.evidence_added)),
        *_section(_("Evidence changed"), evidence, _evidence_change_rows(diff.evidence_changed)),
        *_section(_("Evidence removed"), evidence, _evidence_rows(diff.evidence_removed)),
        *_section(_("New problems"), problems, _diagnostic_rows(diff.new_diagnostics)),
        *_section(_("Resolved problems"), problems, _diagnostic_rows(diff.resolved_diagnostics)),
    ]
    lines += sections or [_("No change to coverage, owners, evidence or problems.")]
    return "\n".join(lines).rstrip("\n") + "\n"


def _change_json(change: StatusChange) -> dict[str, Any]:
    return {"practice": change.practice, "title": change.title, "before": change.before, "after": change.after}


def _evidence_item_json(item: EvidenceItem) -> dict[str, Any]:
    return {
        "artifact": item.artifact,
        "path": item.path,
        "title": item.title,
        "date": item.date.isoformat(),
        "link": item.link,
        "practices": list(item.practices),
    }


def diff_json(diff: CoverageDiff) -> str:
    """The diff as one JSON object: both revisions, then one list per kind of change."""
    document = {
        "base": {"revision": diff.base.name, "commit": diff.base.commit, "summary": diff.base.summary},
        "head": {"revision": diff.head.name, "commit": diff.head.commit, "summary": diff.head.summary},
        "today": diff.today.isoformat(),
        "became_covered": [_change_json(c) for c in diff.became_covered],
        "lost_coverage": [_change_json(c) for c in diff.lost_coverage],
        "status_changed": [_change_json(c) for c in diff.status_changes],
        "owner_changed": [
            {"practice": c.practice, "title": c.title, "before": list(c.before), "after": list(c.after)}
            for c in diff.owner_changes
        ],
        "evidence_added": [_evidence_item_json(e) for e in diff.evidence_added],
        "evidence_removed": [_evidence_item_json(e) for e in diff.evidence_removed],
        "new_diagnostics": [diagnostic_json(d) for d in diff.new_diagnostics],
        "resolved_diagnostics": [diagnostic_json(d) for d in diff.resolved_diagnostics],
        "other_status_changed": [_change_json(c) for c in diff.other_changes],
        "artifacts_added": [_artifact_json(c) for c in diff.artifacts_added],
        "artifacts_retired": [_artifact_json(c) | {"how": c.how} for c in diff.artifacts_retired],
        "artifacts_renamed": [_artifact_json(c) | {"before_path": c.before_path} for c in diff.artifacts_renamed],
        "evidence_changed": [
            {"before": _evidence_item_json(c.before), "after": _evidence_item_json(c.after)}
            for c in diff.evidence_changed
        ],
        "lost_coverage_causes": [
            {"practice": c.practice, "before": c.before, "after": c.after, "path": c.where.path, "line": c.where.line}
            for c in diff.causes
        ],
    }
    return _json(document)


def _artifact_json(change: ArtifactChange) -> dict[str, Any]:
    return {
        "artifact": change.artifact,
        "title": change.title,
        "path": change.path,
        "practices": list(change.practices),
    }


def diff_github(diff: CoverageDiff) -> str:
    """Workflow commands for a pull request: each practice that lost coverage, annotated on the changed lines of the
    artifacts that made it lose it (GitHub shows annotations inline only on files of the pull request)."""
    lines = []
    for cause in diff.causes:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", cause.where.path),
                ("line", cause.where.line),
                ("col", cause.where.column),
                ("title", _("practice {practice} lost coverage").format(practice=cause.practice)),
            )
        )
        after = status_word(cause.after) if cause.after else _("removed from the matrix")
        message = _("this change costs practice {practice} its coverage ({before} → {after})").format(
            practice=cause.practice, before=status_word(cause.before), after=after
        )
        lines.append(f"::error {properties}::{_escape_data(message)}")
    lost = len(diff.lost_coverage)
    summary = (
        ngettext("{count} practice lost coverage", "{count} practices lost coverage", lost).format(count=lost)
        if lost
        else _("no practice lost coverage")
    )
    lines.append(f"::notice title=pptoolkit diff::{_escape_data(summary)}")
    return "\n".join(lines) + "\n"


DIFF_REPORTERS: dict[str, Callable[[CoverageDiff], str]] = {
    "markdown": diff_markdown,
    "json": diff_json,
    "github": diff_github,
}
