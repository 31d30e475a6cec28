"""Hostile and broken input: whatever comes in, the checker ends with located diagnostics, never a traceback or a hang.

Property tests (hypothesis) write one fuzzed file into a copy of the small valid
playbook (practices D1, S5, E1, covered by ``policies/vision.md`` and
``policies/logic-model.md``) and check :func:`assert_sound`: ``check`` returns,
every diagnostic is located inside an existing file, the fuzzed file is either
a loaded artifact or has an error, the valid artifacts are still loaded and
their practices still covered, and the pages and every report format are
produced without an exception.

Budget: the ``ci`` profile (the default) runs 25 examples per property with a
2 s deadline per example; ``PPTOOLKIT_FUZZ=deep`` selects the ``deep`` profile
(1,000 examples, random seeds). Hypothesis keeps no example database here, so
the tests write nothing into the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hardening_support import (
    LOGIC_MODEL,
    MATRIX,
    ROLES,
    TODAY,
    VISION,
    WAIVERS,
    assert_located,
    codes,
    line_of,
    no_hang,
    of,
    small_playbook_copy,
    where,
    write,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pptoolkit.checking.checker import Result, check
from pptoolkit.model.settings import ConfigError
from pptoolkit.publishing.pages import site_pages
from pptoolkit.reading.documents import split_lines
from pptoolkit.reading.yamlsource import YamlLimits, YamlProblem, load_yaml
from pptoolkit.reporting.reporters import MATRIX_REPORTERS, REPORTERS

pytestmark = pytest.mark.slow  # hundreds of fuzzed playbooks, each checked and rendered in every format

# When a property fails, hypothesis's pytest plugin imports libcst to suggest a patch, and libcst's import warns
# (DeprecationWarning from mypy_extensions), which `filterwarnings = error` turns into an INTERNALERROR that hides
# the failing example. Import it here, once, with that warning silenced.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=1000,
    deadline=timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "deep" if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else "ci"
FUZZ = settings(settings.get_profile(PROFILE))
"""The decorator of every property test (the global hypothesis profile is left alone)."""

FUZZED = "policies/fuzzed.md"
HANG_GUARD = 20.0


@contextmanager
def playbook() -> Iterator[Path]:
    """A fresh copy of the small valid playbook for one example (hypothesis and ``tmp_path`` do not mix)."""
    with tempfile.TemporaryDirectory(prefix="pptoolkit-fuzz-") as folder:
        yield small_playbook_copy(Path(folder) / "playbook")


def checked(root: Path) -> Result:
    with no_hang(HANG_GUARD):
        return check(root, TODAY)


def assert_sound(result: Result, root: Path, fuzzed: tuple[str, ...] = (FUZZED,), covered: bool = True) -> None:
    """The properties every run must have, whatever the input."""
    assert_located(result, root)
    loaded = {a.path for a in result.playbook.artifacts}
    for path in fuzzed:
        if path.startswith("policies/") and path not in loaded:
            errors = [d for d in result.diagnostics if d.path == path and d.is_error]
            assert errors, f"{path} was not loaded and has no error: {where(result.diagnostics)}"
    assert {VISION, LOGIC_MODEL} <= loaded, where(result.diagnostics)
    if covered:
        statuses = {c.practice.id: c.status for c in result.coverage}
        assert {p: statuses.get(p) for p in ("D1", "S5", "E1")} == dict.fromkeys(("D1", "S5", "E1"), "covered")
    assert result.exit_code == (1 if any(d.is_error for d in result.diagnostics) else 0)
    with no_hang(HANG_GUARD):
        pages = site_pages(result)
        assert all(page.path and isinstance(page.content, str) for page in pages)
        for name, reporter in {**REPORTERS, **{f"matrix-{k}": v for k, v in MATRIX_REPORTERS.items()}}.items():
            output = reporter(result)
            assert isinstance(output, str), name
        document = json.loads(REPORTERS["json"](result))
        assert len(document["diagnostics"]) == len(result.diagnostics)


def fuzz_file(data: bytes | str, relative: str = FUZZED, covered: bool = True) -> Result:
    with playbook() as root:
        write(root, relative, data)
        result = checked(root)
        assert_sound(result, root, (relative,), covered)
        return result


# --- Strategies -------------------------------------------------------------------------------------------------

CONTRACT_KEYS = [
    "id",
    "kind",
    "title",
    "owner",
    "status",
    "approved_on",
    "review_by",
    "implements",
    "evidence",
    "summary",
    "statement",
    "date",
    "link",
    "indicators",
    "value",
    "unit",
    "goals",
    "<<",
    "",
]
CONTRACT_VALUES = [
    "vision",
    "registry",
    "indicators",
    "logic-model",
    "director-general",
    "pp-coordinator",
    "approved",
    "draft",
    "retired",
    "D1",
    "S5",
    "E1",
    "2026-01-15",
    "2026-02-30",
    "../evidence/minutes.md",
    "../../etc/passwd",
    "/etc/passwd",
    "javascript:alert(1)",
    "http://example.org",
    "https://example.org/x",
    "https://",
    "a" * 300,
    "<script>alert(1)</script>",
    "jeanne.tremblay@example.org",
    "TREM 1234 5678",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.text(max_size=30),
    st.sampled_from(CONTRACT_VALUES),
)
keys = st.one_of(st.sampled_from(CONTRACT_KEYS), st.text(max_size=12), st.integers(), st.none(), st.booleans())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=25,
)

VALID_VISION: dict[str, Any] = {
    "id": "fuzzed",
    "kind": "vision",
    "title": "A fuzzed vision",
    "owner": "director-general",
    "status": "approved",
    "approved_on": date(2026, 1, 15),
    "review_by": date(2028, 6, 30),
    "implements": ["D1"],
    "statement": "Patients are partners.",
    "evidence": [{"title": "Board minutes", "date": date(2026, 1, 15), "link": "../evidence/minutes.md"}],
}


def dump(value: Any, flow: bool | None = None) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, sort_keys=False)


def front_matter(text: str, body: str = "# Fuzzed\n\nText.\n") -> str:
    return f"---\n{text.rstrip(chr(10))}\n---\n\n{body}"


YAMLISH_TOKENS = [
    ":",
    ": ",
    "-",
    "- ",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object:os.system ",
    "!local ",
    "|",
    ">-",
    "'",
    '"',
    "#",
    "? ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "<<: ",
    "id",
    "kind: vision",
    "evidence",
    "implements: [D1]",
    "2026-01-15",
    "~",
    "null",
    "0x1F",
    "1e999",
    "\ufeff",
    "\x00",
    "\x0c",
    "\x85",
    "\u2028",
    "é",
    "\\",
    "@",
    "`",
]
yamlish = st.lists(st.one_of(st.sampled_from(YAMLISH_TOKENS), st.text(max_size=6)), max_size=60).map("".join)

MARKDOWN_TOKENS = [
    "# ",
    "## ",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "> ",
    "```",
    "~~~",
    "    ",
    "`",
    "*",
    "_",
    "[link](",
    ")",
    "](../evidence/minutes.md)",
    "](javascript:alert(1))",
    "](../../etc/passwd)",
    "<script>",
    "</script>",
    "<iframe src=x>",
    '<p onclick="x()">',
    "<div\n",
    "onmouseover=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&lt;",
    "&#x6a;",
    "|",
    "---",
    "{: .class }",
    '<div markdown="1">',
    "</div>",
    "jeanne.tremblay@example.org",
    "514-555-0199",
    "\r\n",
    "\x00",
    "\u2028",
    "\ufeff",
]
markdown_bodies = st.lists(st.one_of(st.sampled_from(MARKDOWN_TOKENS), st.text(max_size=10)), max_size=80).map("".join)


# --- Properties ---------------------------------------------------------------------------------------------------


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=2000).map(lambda data: b"---\n" + data),
        st.binary(max_size=2000).map(lambda data: b"---\n" + data + b"\n---\n"),
    )
)
@example(b"\r\x80")  # found by the deep profile: a non-UTF-8 byte after a lone CR
def test_arbitrary_bytes_as_an_artifact(data: bytes) -> None:
    fuzz_file(data)


@FUZZ
@given(yamlish, st.sampled_from(["\n", "\r\n"]))
def test_yaml_ish_text_in_front_matter(text: str, newline: str) -> None:
    fuzz_file(front_matter(text).replace("\n", newline))


@FUZZ
@given(values, st.sampled_from([None, True, False]))
def test_front_matter_of_any_shape(value: Any, flow: bool | None) -> None:
    fuzz_file(front_matter(dump(value, flow)))


@FUZZ
@given(
    st.dictionaries(st.sampled_from(CONTRACT_KEYS), values, max_size=4), st.lists(st.sampled_from(list(VALID_VISION)))
)
def test_a_valid_artifact_with_fields_replaced_or_removed(replaced: dict[Any, Any], removed: list[str]) -> None:
    fields = {key: value for key, value in VALID_VISION.items() if key not in removed}
    fields.update(replaced)
    fuzz_file(front_matter(dump(fields)))


@FUZZ
@given(markdown_bodies)
def test_random_markdown_bodies(body: str) -> None:
    result = fuzz_file(front_matter(dump(VALID_VISION), body))
    assert result.playbook.artifact("fuzzed") is not None, where(result.diagnostics)
    assert result.coverage_of("D1").status == "covered"


@FUZZ
@given(st.lists(values, max_size=6))
def test_random_entries_in_the_roles_registry(entries: list[Any]) -> None:
    with playbook() as root:
        roles = yaml.safe_load((root / ROLES).read_text(encoding="utf-8"))["roles"]
        write(root, ROLES, dump({"roles": roles + entries}))
        assert_sound(checked(root), root, (ROLES,))


@FUZZ
@given(st.lists(values, max_size=6))
def test_random_entries_in_the_waivers(entries: list[Any]) -> None:
    with playbook() as root:
        write(root, WAIVERS, dump({"waivers": entries}))
        assert_sound(checked(root), root, (WAIVERS,))


@FUZZ
@given(st.lists(values, max_size=6))
def test_random_practices_appended_to_the_matrix(entries: list[Any]) -> None:
    with playbook() as root:
        practices = yaml.safe_load((root / MATRIX).read_text(encoding="utf-8"))["practices"]
        write(root, MATRIX, dump({"practices": practices + entries}))
        assert_sound(checked(root), root, (MATRIX,))


@FUZZ
@given(st.one_of(yamlish, st.binary(max_size=500)), st.sampled_from([ROLES, WAIVERS, MATRIX]))
def test_arbitrary_text_as_a_data_file(data: str | bytes, relative: str) -> None:
    with playbook() as root:
        write(root, relative, data)
        try:
            result = checked(root)
        except ConfigError as error:
            assert relative == MATRIX, f"only an unusable matrix stops the run: {error}"
            assert str(error).startswith(f"'{MATRIX}'")
            return
        assert_sound(result, root, (relative,), covered=relative == WAIVERS)


@FUZZ
@given(st.one_of(yamlish, st.text(max_size=200)))
@example("\x85[")  # found by the deep profile: the end of the stream after a YAML-only line break
@example("::\x85&a ")
@example("a: 'x\u2028y'\nb: [")
def test_the_yaml_loader_returns_a_value_or_a_located_problem(text: str) -> None:
    lines = split_lines(text)
    try:
        with no_hang(HANG_GUARD):
            document = load_yaml(text, line_offset=1, limits=YamlLimits(max_depth=8, max_nodes=200))
    except YamlProblem as problem:
        assert problem.kind in ("syntax", "value", "complexity")
        assert problem.message
        assert 2 <= problem.mark.line <= len(lines) + 2
        assert problem.mark.column >= 1
        return
    for mark in document.positions.values():
        assert 2 <= mark.line <= len(lines) + 1
        assert 1 <= mark.column <= len(lines[mark.line - 2]) + 1


# --- Targeted hostile input ---------------------------------------------------------------------------------------

ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("relative", [FUZZED, ROLES, WAIVERS])
def test_an_alias_bomb_is_refused(relative: str) -> None:
    text = front_matter(ALIAS_BOMB) if relative == FUZZED else ALIAS_BOMB
    result = fuzz_file(text, relative, covered=relative != ROLES)
    [diagnostic] = of(result, "PP106")
    assert diagnostic.path == relative
    assert diagnostic.line == line_of(text, "e: &e")[0], "refused where the expansion passes the limit"
    assert "alias bomb" in diagnostic.message


def test_an_alias_bomb_in_the_matrix_is_a_configuration_error() -> None:
    with playbook() as root:
        write(root, MATRIX, ALIAS_BOMB)
        with pytest.raises(ConfigError, match="alias bomb"):
            checked(root)


NESTING = 100_000


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_a_hundred_thousand_nested_brackets_are_refused_not_a_crash(opening: str) -> None:
    # One bracket a line: under the line-length and size limits, so the YAML loader itself must refuse it
    # (libyaml's composer, or PyYAML's recursive constructor, would overflow the stack).
    if opening == "- ":
        nested = "\n" + "".join(" " * depth + "-\n" for depth in range(1, 200))
    else:
        closing = "]" if opening == "[" else "}"
        nested = f"{opening}\n" * NESTING + f"{closing}\n" * NESTING
    text = front_matter("deep: " + nested)
    result = fuzz_file(text)
    assert codes(result, FUZZED) == ["PP106"]
    [diagnostic] = of(result, "PP106", FUZZED)
    assert "nests deeper than 32 levels" in diagnostic.message


def test_deep_nesting_on_one_line_is_refused_by_the_loader_itself() -> None:
    text = "deep: " + "[" * NESTING + "]" * NESTING + "\n"
    with pytest.raises(YamlProblem) as problem:
        load_yaml(text)
    assert problem.value.kind == "complexity"
    assert "nests" in problem.value.message
    # At our limit (column 38), or at libyaml's own (1,000 levels: libyaml 0.2.6 scans a line ahead).
    assert problem.value.mark.line == 1
    assert problem.value.mark.column in (7 + 31, 7 + 999)


@pytest.mark.parametrize("relative", [ROLES, WAIVERS])
def test_deep_nesting_in_a_data_file_is_refused(relative: str) -> None:
    result = fuzz_file("x: " + "[\n" * NESTING + "]\n" * NESTING, relative, covered=relative != ROLES)
    assert codes(result, relative) == ["PP106"]


def test_a_two_megabyte_file_is_refused_without_reading_it() -> None:
    data = front_matter("id: big") + ("x" * 99 + "\n") * 21_000
    result = fuzz_file(data)
    [diagnostic] = of(result, "PP105", FUZZED)
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert "2,1" in diagnostic.message and "1,048,576" in diagnostic.message


def test_a_line_of_twenty_thousand_characters_is_refused() -> None:
    text = front_matter("id: long", "# Long\n\n" + "x" * 20_000 + "\n")
    result = fuzz_file(text)
    [diagnostic] = of(result, "PP108", FUZZED)
    assert (diagnostic.line, diagnostic.column) == (7, 10_001)
    assert "20,000 characters" in diagnostic.message


def test_three_hundred_evidence_items_are_refused() -> None:
    fields = dict(VALID_VISION)
    fields["evidence"] = [
        {"title": f"Minutes {n}", "date": date(2026, 1, 15), "link": "../evidence/minutes.md"} for n in range(300)
    ]
    text = front_matter(dump(fields))
    result = fuzz_file(text)
    [diagnostic] = of(result, "PP207", FUZZED)
    assert (diagnostic.line, diagnostic.column) == line_of(text, "evidence:")
    assert diagnostic.message == "300 evidence items; the limit is 200"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00" * 100, "PP103"),
        (b"---\nid: a\x00b\nkind: vision\n---\n", "PP203"),
        (b"---\n\x00: x\n---\n", "PP202"),
        (b"\x00---\nid: x\n---\n", "PP103"),
    ],
)
def test_nul_bytes_in_an_artifact(data: bytes, code: str) -> None:
    assert code in codes(fuzz_file(data), FUZZED)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\r\x80", 2, 1),  # found by the deep fuzz profile: a lone CR is a line break
        (b"---\r\nid: caf\xe9\r\n---\r\n", 2, 8),
        (b"\xef\xbb\xbf\xc3\xa9t\xc3\xa9 \xff", 1, 5),  # a BOM, then columns in characters, not bytes
    ],
)
def test_a_byte_that_is_not_utf8_is_located(data: bytes, line: int, column: int) -> None:
    result = fuzz_file(data)
    assert where(of(result, "PP101")) == [("PP101", FUZZED, line, column)]


@pytest.mark.parametrize("relative", [ROLES, WAIVERS])
def test_a_nul_byte_in_a_data_file_is_located(relative: str) -> None:
    result = fuzz_file(f"{relative.split('/')[1][:-5]}:\n  - id: a\x00b\n".encode(), relative, covered=False)
    [diagnostic] = [d for d in result.diagnostics if d.path == relative]
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("PP104", 2, 10)


def vision_with_bad_owner(root: Path) -> str:
    return (root / VISION).read_text(encoding="utf-8").replace("owner: director-general", "owner: nobody")


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("bom", lambda text: "\ufeff" + text),
        ("crlf", lambda text: text.replace("\n", "\r\n")),
        ("cr", lambda text: text.replace("\n", "\r")),
        ("bom-crlf", lambda text: "\ufeff" + text.replace("\n", "\r\n")),
        ("form-feed-in-the-body", lambda text: text.replace("# Our vision", "\x0c\n# Our\x0bvision\x1c")),
        (
            "line-separator-in-a-value",
            lambda text: text.replace("statement: Patients", "statement: 'Pat\u2028ients").replace(
                "improving our care.\n", "improving our care.'\n", 1
            ),
        ),
        ("next-line-in-the-body", lambda text: text + "\nA\x85B\u2029C\x0cD\n"),
    ],
)
def test_line_endings_and_separators_keep_line_numbers_right(name: str, transform: Callable[[str], str]) -> None:
    with playbook() as root:
        text = transform(vision_with_bad_owner(root))
        write(root, VISION, text)
        result = checked(root)
        assert_located(result, root)
        # The owner is on line 5 of the file, whatever the line endings.
        assert where(of(result, "PP302")) == [("PP302", VISION, 5, 1)], where(result.diagnostics)
        assert result.playbook.artifact("vision") is not None


@pytest.mark.parametrize("character", ["\x0c", "\x0b", "\x1c", "\x7f", "\x1b"])
def test_a_control_character_in_front_matter_is_located(character: str) -> None:
    with playbook() as root:
        text = (root / VISION).read_text(encoding="utf-8").replace("statement: Patients", f"statement: Pat{character}")
        write(root, VISION, text)
        result = checked(root)
        assert_located(result, root)
        assert result.playbook.artifact("logic-model") is not None
        [diagnostic] = of(result, "PP104", VISION)
        assert (diagnostic.line, diagnostic.column) == line_of(text, character)
        assert f"U+{ord(character):04X}" in diagnostic.message


def test_crlf_line_numbers_in_the_body_and_data_files() -> None:
    with playbook() as root:
        text = (root / VISION).read_text(encoding="utf-8") + "\nText.\n\n<script>alert(1)</script>\n"
        write(root, VISION, text.replace("\n", "\r\n"))
        roles = (root / ROLES).read_text(encoding="utf-8").replace("level: mid", "level: middle")
        write(root, ROLES, roles.replace("\n", "\r\n"))
        result = checked(root)
        assert_located(result, root)
        assert (of(result, "PP701")[0].line, of(result, "PP701")[0].column) == line_of(text, "<script>")
        assert [d.line for d in of(result, "PP601")] == [line_of(roles, "level: middle")[0]]


def test_a_symlinked_artifact_pointing_outside_the_playbook() -> None:
    with playbook() as root:
        outside = root.parent / "outside.md"
        outside.write_text((root / VISION).read_text(encoding="utf-8").replace("id: vision", "id: outside"))
        os.symlink(outside, root / "policies" / "outside.md")
        os.symlink("/etc/passwd", root / "policies" / "passwd.md")
        result = checked(root)
        assert_sound(result, root, ("policies/outside.md", "policies/passwd.md"))
        assert where(of(result, "PP305")) == [
            ("PP305", "policies/outside.md", 1, 1),
            ("PP305", "policies/passwd.md", 1, 1),
        ]
        assert result.playbook.artifact("outside") is None


def test_a_symlink_loop_in_the_policies() -> None:
    with playbook() as root:
        os.symlink("loop-b.md", root / "policies" / "loop-a.md")
        os.symlink("loop-a.md", root / "policies" / "loop-b.md")
        result = checked(root)
        assert_sound(result, root, ())


def test_an_evidence_link_that_is_a_symlink_pointing_outside() -> None:
    with playbook() as root:
        secret = root.parent / "advisors.md"
        secret.write_text("Jeanne Tremblay, 514-555-0199\n", encoding="utf-8")
        os.symlink(secret, root / "evidence" / "advisors.md")
        text = (root / VISION).read_text(encoding="utf-8").replace("minutes.md", "advisors.md")
        write(root, VISION, text)
        result = checked(root)
        assert_sound(result, root, (), covered=False)
        assert where(of(result, "PP305")) == [("PP305", VISION, *line_of(text, "link: "))]
        assert result.playbook.publication.file_for("evidence/advisors.md") is None
        assert result.coverage_of("D1").status == "no-evidence"


@pytest.mark.parametrize(
    "link",
    [
        "a" * 300,
        "/".join(["b" * 200] * 30),
        "..%2f..%2fetc%2fpasswd",
        "\x00",
        "%00",
        "../evidence/minutes.md\x00.pdf",
        "https://exa mple.org",
        "https://[::1",
        "//evil.example/x",
        "?",
        "#top",
    ],
)
def test_odd_evidence_links_never_crash(link: str) -> None:
    with playbook() as root:
        text = (
            (root / VISION)
            .read_text(encoding="utf-8")
            .replace("link: ../evidence/minutes.md", f"link: {json.dumps(link)}")
        )
        write(root, VISION, text)
        result = checked(root)
        assert_sound(result, root, (), covered=False)
        assert result.coverage_of("D1").status == "no-evidence"
        assert of(result, "PP304") + of(result, "PP305") + of(result, "PP309"), where(result.diagnostics)


def test_the_fuzz_profile_is_chosen_by_the_environment() -> None:
    expected = 1000 if os.environ.get("PPTOOLKIT_FUZZ") == "deep" else 25
    assert FUZZ.max_examples == expected
    assert FUZZ.deadline == timedelta(seconds=2)


def test_dates_and_times_in_front_matter_are_not_a_crash() -> None:
    fields = dict(VALID_VISION)
    fields.update(
        approved_on=datetime(2026, 1, 15, 9, 30),
        review_by="2028-02-30",
        evidence=[{"title": "x", "date": date.max, "link": "../evidence/minutes.md"}],
    )
    result = fuzz_file(front_matter(dump(fields)))
    assert result.playbook.artifact("fuzzed") is None


def test_artifacts_in_a_policies_folder_behind_a_link_to_outside_are_not_loaded() -> None:
    """The files of a folder reached through a symbolic link are judged by their real place, link or not."""
    with playbook() as root:
        outside = root.parent / "outside-policies"
        (root / "policies").rename(outside)
        os.symlink(outside, root / "policies")
        result = checked(root)
        assert not result.playbook.artifacts
        assert {d.path for d in of(result, "PP305")} >= {VISION, LOGIC_MODEL}
        assert {d.message for d in of(result, "PP305") if d.path == VISION} == {
            "this file is a symbolic link to a file outside the playbook"
        }


def test_an_artifact_linked_from_inside_the_playbook_is_not_reported_outside() -> None:
    with playbook() as root:
        (root / "policies" / "copies").mkdir()
        os.symlink("../" + Path(VISION).name, root / "policies" / "copies" / "vision-link.md")
        result = checked(root)
        assert VISION in {a.path for a in result.playbook.artifacts}
        assert not of(result, "PP305")
