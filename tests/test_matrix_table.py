"""Compare the shipped practice matrix with the study's table, practice by practice.

The table (Clavel, Pomey & Ghadiri 2019, Additional file 2; CC BY 4.0) is kept
as text in ``tests/data/`` with its citation (``tests/data/README.md``). It is parsed here
independently of the project code: section headers give the type, level headers
give the management levels, and the case markers ending each practice give the
cases. Ids are the type's letter plus the rank within the type in table order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
TABLE_PATH = REPO_ROOT / "tests" / "data" / "clavel-pomey-ghadiri-2019-additional-file-2.txt"
MATRIX_PATH = REPO_ROOT / "checks" / "matrix.yml"
PACKAGE_MATRIX_PATH = REPO_ROOT / "pptoolkit" / "data" / "matrix.yml"

# First line of each section header in the table (after normalization), with
# the practice type it introduces. The headers wrap over several lines
# ("Designing the" / "PP"); the remaining lines are skipped until a level header.
SECTION_STARTS = {
    "Designing the": "designing",
    "Structuring the": "structuring",
    "Operationalizing": "operationalizing",
    "Evaluate PA'": "evaluating",
}
TYPE_LETTERS = {
    "designing": "D",
    "structuring": "S",
    "operationalizing": "O",
    "evaluating": "E",
}
LEVEL_HEADERS = {
    "Top-level managers:": ("top",),
    "Top-level and mid-level managers:": ("top", "mid"),
    "Mid-level managers:": ("mid",),
    "Front-line managers:": ("front",),
    "Mid-level managers and front-line managers:": ("mid", "front"),
}
LEVEL_ORDER = ("top", "mid", "front")

# "(case 1)", "(cases 1&2)", "(cases 1 & 2)", "(case 1 & 2)", "(case 2)".
CASE_MARKER = re.compile(r"\(\s*cases?\s*(\d+(?:\s*&\s*\d+)*)\s*\)", re.IGNORECASE)
TRAILING_CASE_MARKER = re.compile(CASE_MARKER.pattern + r"\s*$", re.IGNORECASE)

EXPECTED_COUNTS = {"designing": 7, "structuring": 7, "operationalizing": 8, "evaluating": 3}


def normalize(text: str) -> str:
    """Collapse whitespace and turn typographic apostrophes into plain ones."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def read_table_text(path: Path) -> str:
    """Read the table; it is UTF-8, but fall back if a copy was re-encoded."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"cannot decode {path}")  # pragma: no cover - latin-1 never fails


def parse_table(text: str) -> list[dict]:
    """Derive the practices (id, type, levels, cases, title) from the table text."""
    practices: list[dict] = []
    ranks: dict[str, int] = {}
    practice_type: str | None = None
    levels: tuple[str, ...] | None = None
    buffer: list[str] = []

    def flush() -> None:
        joined = normalize(" ".join(buffer))
        buffer.clear()
        cases = sorted({int(n) for m in CASE_MARKER.finditer(joined) for n in re.findall(r"\d+", m.group(1))})
        title = normalize(CASE_MARKER.sub(" ", joined))
        # Several case markers: each part of the wording before a marker is a clause with its own cases.
        markers = list(CASE_MARKER.finditer(joined))
        clauses = []
        if len(markers) > 1:
            start = 0
            for marker in markers:
                text = normalize(joined[start : marker.start()]).removeprefix("and ").strip()
                clauses.append({"text": text, "cases": [int(n) for n in re.findall(r"\d+", marker.group(1))]})
                start = marker.end()
        assert practice_type is not None and levels is not None
        ranks[practice_type] = ranks.get(practice_type, 0) + 1
        practices.append(
            {
                "id": f"{TYPE_LETTERS[practice_type]}{ranks[practice_type]}",
                "type": practice_type,
                "levels": list(levels),
                "cases": cases,
                "title": title,
                "clauses": clauses,
            }
        )

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = normalize(raw)
        if not line:
            # Blank lines (including page breaks) keep the current level.
            continue
        if line in SECTION_STARTS:
            if buffer:
                raise ValueError(f"line {lineno}: section header inside practice {buffer!r}")
            practice_type = SECTION_STARTS[line]
            levels = None
            continue
        if line in LEVEL_HEADERS:
            if buffer:
                raise ValueError(f"line {lineno}: level header inside practice {buffer!r}")
            if practice_type is None:
                raise ValueError(f"line {lineno}: level header before any section header")
            levels = LEVEL_HEADERS[line]
            continue
        if practice_type is None or levels is None:
            # Title, column headers, or the wrapped rest of a section header.
            continue
        buffer.append(line)
        if TRAILING_CASE_MARKER.search(normalize(" ".join(buffer))):
            flush()

    if buffer:
        raise ValueError(f"table ends inside a practice without case marker: {buffer!r}")
    return practices


def load_table(path: Path = TABLE_PATH) -> list[dict]:
    if not path.is_file():
        raise FileNotFoundError(
            f"The study's table is missing: expected it at {path} "
            "(tests/data/, with its citation in tests/data/README.md). It is required to check "
            "checks/matrix.yml against the study."
        )
    return parse_table(read_table_text(path))


def load_matrix(path: Path = MATRIX_PATH) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("practices"), list), (
        f"{path}: expected a mapping with a 'practices:' list"
    )
    return data["practices"]


def practice_differences(expected: dict, matrix_by_id: dict[str, dict]) -> list[str]:
    """Return human-readable differences between a table practice and the matrix."""
    pid = expected["id"]
    if pid not in matrix_by_id:
        return [f"{pid}: missing from the matrix (table: {expected['title']!r})"]
    actual = matrix_by_id[pid]
    diffs = []
    if actual.get("type") != expected["type"]:
        diffs.append(f"{pid}.type: matrix {actual.get('type')!r} != table {expected['type']!r}")
    levels = actual.get("levels")
    if levels != expected["levels"]:
        diffs.append(
            f"{pid}.levels: matrix {levels!r} != table {expected['levels']!r} (ordered {', '.join(LEVEL_ORDER)})"
        )
    if actual.get("cases") != expected["cases"]:
        diffs.append(f"{pid}.cases: matrix {actual.get('cases')!r} != table {expected['cases']!r}")
    title = actual.get("title")
    if not isinstance(title, str) or normalize(title) != expected["title"]:
        diffs.append(f"{pid}.title: matrix {title!r} != table {expected['title']!r}")
    clauses = [{"text": normalize(c.get("text", "")), "cases": c.get("cases")} for c in actual.get("clauses", [])]
    if clauses != expected["clauses"]:
        diffs.append(f"{pid}.clauses: matrix {clauses!r} != table {expected['clauses']!r}")
    return diffs


try:
    TABLE: list[dict] = load_table()
    TABLE_ERROR: str | None = None
except (FileNotFoundError, ValueError) as exc:
    TABLE = []
    TABLE_ERROR = str(exc)


def require_table() -> list[dict]:
    """Fail (never skip) the calling test when the table is absent or unparsable."""
    if TABLE_ERROR is not None:
        pytest.fail(TABLE_ERROR, pytrace=False)
    return TABLE


@pytest.fixture(scope="module")
def matrix_by_id() -> dict[str, dict]:
    practices = load_matrix()
    ids = [p.get("id") for p in practices]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids in {MATRIX_PATH}: {duplicates}"
    return {p["id"]: p for p in practices}


def test_table_yields_25_practices_by_type() -> None:
    table = require_table()
    counts = {t: sum(1 for p in table if p["type"] == t) for t in EXPECTED_COUNTS}
    assert counts == EXPECTED_COUNTS, f"practices per type parsed from {TABLE_PATH}: {counts}"
    assert len(table) == 25, f"parsed {len(table)} practices: {[p['id'] for p in table]}"
    assert all(p["cases"] for p in table)


@pytest.mark.parametrize(
    "practice",
    TABLE or [None],
    ids=[p["id"] for p in TABLE] or ["table-missing"],
)
def test_matrix_practice_matches_table(practice: dict | None, matrix_by_id: dict[str, dict]) -> None:
    require_table()
    assert practice is not None
    diffs = practice_differences(practice, matrix_by_id)
    assert not diffs, f"{MATRIX_PATH} differs from the study's table:\n" + "\n".join(diffs)


def test_matrix_has_no_practice_beyond_table(matrix_by_id: dict[str, dict]) -> None:
    table = require_table()
    extra = sorted(set(matrix_by_id) - {p["id"] for p in table})
    assert not extra, f"the shipped matrix {MATRIX_PATH} must be the study's 25 practices; extra ids: {extra}"


def test_the_table_gives_s2_two_clauses_with_their_own_cases() -> None:
    table = {p["id"]: p for p in require_table()}
    assert table["S2"]["clauses"] == [
        {"text": "Appoint a department and managers in charge of PP", "cases": [1, 2]},
        {"text": "ensure continuity among the mid-level managers in charge of PP", "cases": [1]},
    ]
    assert [p["id"] for p in table.values() if p["clauses"]] == ["S2"]


def test_practices_the_table_lists_twice_carry_a_note(matrix_by_id: dict[str, dict]) -> None:
    table = require_table()
    titles = [" ".join(p["title"].split()[1:]) for p in table]  # "Integrate/Include PP in the code of ethics"
    twice = sorted(p["id"] for p, t in zip(table, titles, strict=True) if titles.count(t) > 1)
    assert twice == ["D2", "D4"]
    for pid in twice:
        note = matrix_by_id[pid].get("note")
        assert isinstance(note, str) and "code of ethics" in note and ({"D2", "D4"} - {pid}).pop() in note


def test_the_package_knows_the_purpose_of_each_type_and_the_context_of_each_case() -> None:
    from pptoolkit.model.matrix import CASE_CONTEXTS, TYPE_PURPOSES

    table = require_table()
    assert set(TYPE_PURPOSES) == {p["type"] for p in table}
    assert set(CASE_CONTEXTS) == {case for p in table for case in p["cases"]}
    assert "mental-health" in CASE_CONTEXTS[1] and "merger" in CASE_CONTEXTS[2]


def test_package_copy_identical_to_checks_matrix() -> None:
    assert PACKAGE_MATRIX_PATH.is_file(), f"missing packaged matrix {PACKAGE_MATRIX_PATH}"
    shipped = PACKAGE_MATRIX_PATH.read_bytes()
    source = MATRIX_PATH.read_bytes()
    assert shipped == source, (
        f"{PACKAGE_MATRIX_PATH} differs from {MATRIX_PATH}; "
        f"same parsed data: {yaml.safe_load(shipped) == yaml.safe_load(source)}"
    )
