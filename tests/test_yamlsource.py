"""The safe YAML loader: exact positions of keys and items, and refusal of dangerous or ambiguous YAML."""

from __future__ import annotations

import re
import textwrap
import time
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from playbook_support import REPO_ROOT

from pptoolkit.reading.yamlsource import Loader, Mark, YamlLimits, YamlProblem, load_yaml


def refusal(text: str, **kwargs: object) -> YamlProblem:
    """The problem raised when loading ``text``."""
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, **kwargs)  # type: ignore[arg-type]
    return caught.value


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level is a list of nine aliases of the previous one."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_uses_libyaml_c_loader_when_available() -> None:
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    assert Loader is yaml.CSafeLoader


def test_keys_are_located_at_their_line_and_column() -> None:
    document = load_yaml(
        textwrap.dedent(
            """\
            id: vision
            owner: director-general
            evidence:
              - title: Board minutes
                link: ../evidence/minutes.md
            """
        )
    )
    assert document.positions[("id",)] == Mark(1, 1)
    assert document.positions[("owner",)] == Mark(2, 1)
    assert document.positions[("evidence",)] == Mark(3, 1)
    assert document.positions[("evidence", 0)] == Mark(4, 5)
    assert document.positions[("evidence", 0, "title")] == Mark(4, 5)
    assert document.positions[("evidence", 0, "link")] == Mark(5, 5)


def test_block_list_items_are_located_at_their_own_lines() -> None:
    document = load_yaml("implements:\n  - D1\n  - D9\n")
    assert document.positions[("implements", 0)] == Mark(2, 5)
    assert document.positions[("implements", 1)] == Mark(3, 5)


def test_flow_list_items_are_located_at_their_own_columns() -> None:
    document = load_yaml("implements: [D1, D9]\n")
    assert document.positions[("implements", 0)] == Mark(1, 14)
    assert document.positions[("implements", 1)] == Mark(1, 18)


def test_mark_falls_back_to_nearest_located_ancestor() -> None:
    document = load_yaml("owner: x\nevidence:\n  - title: t\n")
    assert document.mark(("evidence", 0, "link")) == Mark(3, 5)
    assert document.mark(("nowhere",)) == document.start == Mark(1, 1)


def test_line_offset_shifts_every_position_to_lines_of_the_file() -> None:
    document = load_yaml("id: vision\nimplements:\n  - D1\n", line_offset=1)
    assert document.start == Mark(2, 1)
    assert document.positions[("id",)] == Mark(2, 1)
    assert document.positions[("implements", 0)] == Mark(4, 5)


def test_syntax_error_position_is_shifted_by_line_offset() -> None:
    problem = refusal("id: vision\nkind: [vision\n", line_offset=1)
    assert problem.kind == "syntax"
    assert problem.mark == Mark(4, 1)


def test_dates_quoted_or_not_are_read() -> None:
    document = load_yaml("a: 2026-03-14\nb: '2026-03-14'\n")
    assert document.value["a"] == date(2026, 3, 14)
    # A quoted date stays text; the models accept ISO text as a date.
    assert document.value["b"] == "2026-03-14"


def test_impossible_date_is_refused_at_its_value() -> None:
    problem = refusal("review_by: 2026-02-30\n")
    assert problem.kind == "value"
    assert problem.mark == Mark(1, 12)
    assert problem.message == "'2026-02-30' is not a real date (expected YYYY-MM-DD)"


def test_duplicate_key_is_refused_at_the_second_key() -> None:
    problem = refusal("owner: a\nid: x\nowner: b\n")
    assert problem.kind == "syntax"
    assert problem.message == "duplicate key 'owner'"
    assert problem.mark == Mark(3, 1)


def test_duplicate_key_in_a_nested_mapping_is_refused() -> None:
    problem = refusal("evidence:\n  - title: a\n    title: b\n")
    assert problem.message == "duplicate key 'title'"
    assert problem.mark == Mark(3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system x\n",
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system\n",
        "a: !custom value\n",
        "a: !!set {x}\n",
    ],
)
def test_unsupported_tags_are_refused_without_being_executed(text: str) -> None:
    problem = refusal(text)
    assert problem.kind == "syntax"
    assert problem.message.startswith("unsupported tag")
    assert problem.mark == Mark(1, 4)


def test_merge_keys_are_refused() -> None:
    problem = refusal("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge keys" in problem.message
    assert problem.mark == Mark(3, 3)


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    problem = refusal(billion_laughs())
    assert time.perf_counter() - started < 1.0
    assert problem.kind == "complexity"
    assert "alias bomb" in problem.message
    assert problem.mark.line == 5  # 9**4 * 9 values are more than 20,000: refused at a4


def test_aliases_within_the_node_limit_are_expanded() -> None:
    document = load_yaml(billion_laughs(levels=1))
    assert document.value["a1"] == [["lol"] * 9] * 9


def test_node_limit_is_configurable() -> None:
    problem = refusal("a: [1, 2, 3, 4]\n", limits=YamlLimits(max_nodes=4))
    assert problem.kind == "complexity"


def test_deep_nesting_is_refused_without_crashing() -> None:
    started = time.perf_counter()
    problem = refusal("[" * 100_000)
    assert time.perf_counter() - started < 1.0
    assert problem.kind == "complexity"
    assert problem.message == "the YAML nests deeper than 32 levels"
    assert problem.mark == Mark(1, 33)


def test_nesting_up_to_the_limit_is_accepted() -> None:
    document = load_yaml("[" * 32 + "]" * 32, limits=YamlLimits(max_depth=32))
    assert document.value is not None


def test_block_nesting_is_refused_at_the_first_too_deep_line() -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(40))
    problem = refusal(text)
    assert problem.kind == "complexity"
    assert problem.mark.line == 33


def test_several_documents_are_refused_at_the_second() -> None:
    problem = refusal("a: 1\n---\nb: 2\n")
    assert problem.kind == "syntax"
    assert problem.message == "only one YAML document is allowed here"
    assert problem.mark == Mark(2, 1)


def test_unknown_alias_is_refused() -> None:
    problem = refusal("a: *nowhere\n")
    assert problem.message == (
        "a value cannot start with '*' (YAML reads it as an alias): put the whole value in quotes"
        " (YAML: unknown alias '*nowhere')"
    )


def test_list_or_mapping_as_a_key_is_refused() -> None:
    problem = refusal("? [a, b]\n: 1\n")
    assert problem.kind == "syntax"
    assert problem.mark == Mark(1, 3)


def test_empty_text_loads_as_none() -> None:
    assert load_yaml("").value is None


# The quick reading (libyaml's C composer) and the event-by-event reading must agree.

SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["2028-13-40", "yes", "~", "0x1F", "1e3", "'quoted'", ": colon", "- dash", "*star", "&amp"]),
)
KEYS = st.one_of(st.text(alphabet="abcdefghij_-", min_size=1, max_size=6), st.sampled_from(["1", "true", "null"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4))
STYLES = st.sampled_from([{}, {"default_flow_style": True}, {"default_flow_style": None}, {"indent": 4}])
FRAGMENTS = st.sampled_from(
    ["a: &x [1]\nb: *x\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: !!set {x}\n", "a: !!python/name:os.system\n",
     "a: b: c\n", "--- 1\n--- 2\n", "a: [[[[[[1]]]]]]\n", "'a': 1\n", "? [1]\n: 2\n", "a: !custom x\n", "a:\t1\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(VALUES, STYLES, st.integers(0, 5), st.lists(FRAGMENTS, max_size=2))
def test_the_quick_reading_agrees_with_the_event_reading(value: object, style: dict, offset: int, extra: list) -> None:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, **style) + "".join(extra)
    limits = YamlLimits(max_depth=4, max_nodes=40)
    try:
        expected: object = load_yaml(text, line_offset=offset, limits=limits, loader=Loader)
    except YamlProblem as problem:
        expected = (problem.kind, problem.message, problem.mark)
    try:
        found: object = load_yaml(text, line_offset=offset, limits=limits)
    except YamlProblem as problem:
        found = (problem.kind, problem.message, problem.mark)
    assert found == expected


# The plain reading (line by line, for the YAML front matter is made of) must give the event reading's
# values, of the same types, and its start; or decline, and leave the text to libyaml.


def typed(value: object) -> object:
    """``value`` with the type of every part: ``1`` is not ``True``, nor a date a datetime, nor 2 2.0."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, value)


def assert_plain_reading_agrees(text: str, limits: YamlLimits | None = None) -> bool:
    """The plain reading of ``text`` is the event reading's, when it does not decline; True when it read it."""
    from pptoolkit.reading.yamlsource import _Declined, _plain_load

    limits = limits or YamlLimits()
    try:
        plain = _plain_load(text, 1, limits, None)
    except _Declined:
        return False
    careful = load_yaml(text, line_offset=1, limits=limits, loader=Loader)  # never a problem where plain read it
    assert typed(plain.value) == typed(careful.value), text
    assert plain.start == careful.start, text
    assert plain.positions == careful.positions, text
    return True


def test_the_plain_reading_reads_the_sample_front_matter() -> None:
    """Every original artifact of the sample is read the plain way: the shortcut is the usual path.

    (A translation opens with a comment, which the plain reading leaves to libyaml.)
    """
    from pptoolkit.reading.documents import quick_structure

    originals = [file for file in sorted((REPO_ROOT / "policies").rglob("*.md")) if ".en." not in file.name]
    assert len(originals) > 20
    for file in originals:
        structure = quick_structure(file.read_text(encoding="utf-8"))
        assert structure is not None and structure.front_matter is not None, file
        assert assert_plain_reading_agrees(structure.front_matter), file


WORDS = st.sampled_from(["team", "Les usagers", "l'équipe", "2026", "D1", "board-minutes", "a.b/c", "x_y", "(note)"])
TRICKY = [
    "yes", "No", "on", "null", "~", "true", "0", "7", "012", "-3", "+4", "1_000", "0x1F", "1e3", "2.5", ".5",
    "1:20", "2026-01-15", "2026-1-5", "2028-13-40", "2026-01-15 10:00", "=", "<<", "http://x.org/a", "C#", "a #b",
    "a: b", "a:", ":a", "-a", "- a", "?a", "'q'", '"q"', "it's", 'say "hi"', "[x]", "{x}", "x, y", "*x", "&x",
    "!x", "|", ">", "%x", "@x", "`x", "é à", "\u00a0x", "x\u2028y", "\ufeffx", "a\\b", "...", "---", "# c",
]  # fmt: skip
TRICKY_WORDS = st.sampled_from(TRICKY)
SAFE_KEYS = ["id", "kind", "title", "a_b", "a-b", "key", "A", "_x", "on_x", "nO"]
KEY_WORDS = st.sampled_from(SAFE_KEYS * 5 + ["yes", "null", "1", "On", "~"])  # a tricky key one time in eleven


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    """A value as front matter writes it: plain, quoted or not, sometimes tricky, sometimes folded."""
    words = draw(st.lists(WORDS, min_size=1, max_size=6))
    if draw(st.sampled_from([False] * 5 + [True])):  # a tricky word one time in six
        words.insert(draw(st.integers(0, len(words))), draw(TRICKY_WORDS))
    text = " ".join(words)
    quote = draw(st.sampled_from(["", "", "", "'", '"']))
    if quote == "'":
        text = "'" + text.replace("'", "''") + "'"
    elif quote == '"':
        text = '"' + text + '"'
    return text


@st.composite
def front_matter_text(draw: st.DrawFn) -> str:
    """A front matter of keys, folded values, lists of values or mappings and flow collections, and a near miss."""
    lines: list[str] = []

    def value_lines(indent: str, text: str) -> list[str]:
        """``text`` on its line, or folded over the lines below (deeper, or not: a near miss)."""
        words = text.split(" ")
        cut = draw(st.integers(0, len(words) - 1)) if len(words) > 1 and draw(st.booleans()) else 0
        if not cut:
            return [text]
        deeper = draw(st.sampled_from([indent + "  ", indent + "  ", indent + " ", indent]))
        return [" ".join(words[:cut]), deeper + " ".join(words[cut:])]

    for key in draw(st.lists(KEY_WORDS, min_size=1, max_size=6, unique=True)):
        shape = draw(st.sampled_from(["scalar", "scalar", "list", "items", "flow", "empty"]))
        if shape == "scalar":
            first, *rest = value_lines("", draw(scalar_text()))
            lines += [f"{key}: {first}", *rest]
        elif shape == "empty":
            lines.append(f"{key}:")
        elif shape == "flow":
            entries = draw(st.lists(st.tuples(KEY_WORDS, st.one_of(WORDS, WORDS, WORDS, TRICKY_WORDS)), max_size=3))
            if draw(st.booleans()):
                lines.append(f"{key}: [" + ", ".join(v for _, v in entries) + "]")
            else:
                lines.append(f"{key}: {{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}")
        else:
            dash = draw(st.sampled_from(["", "  "]))
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(1, 3))):
                if shape == "list":
                    first, *rest = value_lines(dash, draw(scalar_text()))
                    lines += [f"{dash}- {first}", *rest]
                    continue
                for index, item_key in enumerate(draw(st.lists(KEY_WORDS, min_size=1, max_size=3, unique=True))):
                    first, *rest = value_lines(dash + "  ", draw(scalar_text()))
                    lines += [f"{dash}{'- ' if index == 0 else '  '}{item_key}: {first}", *rest]
    if draw(st.sampled_from([False] * 3 + [True])):  # a near miss: a line moved, or blank, or a comment
        where = draw(st.integers(0, len(lines)))
        lines.insert(where, draw(st.sampled_from(["", " ", "  x", "# note", "- y", "---", "z: 1"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@pytest.mark.parametrize("word", TRICKY)
def test_the_plain_reading_agrees_on_each_tricky_word_in_each_place(word: str) -> None:
    for text in (
        f"k: {word}\n",
        f"k: a {word}\n",
        f"k: a\n  {word}\n",
        f"k: '{word}'\n",
        f'k: "{word}"\n',
        f"k:\n- {word}\n",
        f"k:\n  - a: {word}\n    b: c\n",
        f"k: [{word}]\n",
        f"k: [a, {word}]\n",
        f"k: {{a: {word}}}\n",
        f"{word}: a\n",
    ):
        assert_plain_reading_agrees(text)


@settings(max_examples=2000, deadline=None)
@given(front_matter_text())
def test_the_plain_reading_agrees_with_the_event_reading(text: str) -> None:
    assert_plain_reading_agrees(text)


@settings(max_examples=500, deadline=None)
@given(VALUES, STYLES, st.integers(8, 40))
def test_the_plain_reading_agrees_on_dumped_yaml(value: object, style: dict, width: int) -> None:
    """YAML as PyYAML writes it, long values folded over several lines, within small limits too."""
    text = yaml.safe_dump({"key": value}, allow_unicode=True, sort_keys=False, width=width, **style)
    assert_plain_reading_agrees(text)
    assert_plain_reading_agrees(text, YamlLimits(max_depth=3, max_nodes=12))


def test_the_plain_reading_folds_long_values_and_reads_flow_lists() -> None:
    text = "id: a\ntitle: 'It''s a long\n  title'\nsummary: one\n  two\nimplements: [D1, S5]\nlevel: {a: 1}\n"
    assert assert_plain_reading_agrees(text)
    assert load_yaml(text).value == {
        "id": "a", "title": "It's a long title", "summary": "one two", "implements": ["D1", "S5"], "level": {"a": 1}
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("id: a\n\nkind: b\n", True),  # a blank line between keys
        ("id: a\n   \nkind: b\n", True),  # a line of spaces
        ("id: a\nkind: b\n\n\n", True),  # blank lines at the end
        ("team:\n- a\n\n- b\nlast: 1\n", True),  # a blank line inside a list
        ("evidence:\n  - title: t\n\n    date: 2026-05-04\n", True),  # and inside a list item's mapping
        ("summary: one\n\n  two\n", False),  # a blank line inside a folded value is a line break: libyaml's
        ("a: 2026-05-04\nb: 2026-05-04\nc: [2026-05-04, 7, 7, yes]\nd:\n- 2026-05-04\n- 7\n- null\n- null\n", True),
        ("a: 1\nb: 01\nc: 0x1\nd: 1.5\ne: 1.5\nf: ~\ng:\n", True),  # the same numbers again
        ("list:\n- one\n- two\n  folded\n- 'quoted'\n- [x]\nnext: v\n", True),  # items on one line beside others
        ("key: value\n  folded\nnext: 'quoted\n  on two lines'\nlast: plain\n", True),
    ],
)
def test_the_plain_reading_agrees_around_blank_lines_and_repeated_values(text: str, plain: bool) -> None:
    """Blank lines, the end of the text and values read twice (a date, a number) give the event reading's answer."""
    for _ in range(2):  # the second time, values already read once
        assert assert_plain_reading_agrees(text) is plain


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ('k: "Vision : 2030, l\'équipe"\n', True),  # a title in double quotes, read where its key is
        ('k: ""\n', True),
        ('k: "a"   \n', True),
        ('k: "a"\n  "b"\n', False),  # not alone on its line: what follows it is the YAML's to judge
        ('k: "a\n  b"\n', True),  # folded inside its quotes
        ('k: "a \\" b"\n', False),  # an escape
        ('k: "a\\tb"\n', False),
        ('k: "a" "b"\n', False),
        ('k: "a"b"\n', False),
        ('k: "a" # note\n', False),
        ('k: "\n', False),
        ('k: "a\n', False),
        ('k: a"\n', True),
        ('- "a"\n', False),
        ('k:\n- "a"\n- "b: c"\n', True),
    ],
)
def test_the_plain_reading_agrees_on_values_in_double_quotes(text: str, plain: bool) -> None:
    """A value in double quotes on one line is read where its key is; anything more is read as before, or declined."""
    for _ in range(2):  # the second time, lines known by their text
        assert assert_plain_reading_agrees(text) is plain


@pytest.mark.parametrize(
    "text",
    [
        "id:   spaced  \n",
        "id: a: b\n",
        "id:: x\n",
        "id :x\n",
        "id:x\n",
        "id: x\nid: y\n",
        "a:\n  id: x\n  title:  y \n",
        "a:\n- id: x\n  title: 'y: z'\n",
        "a:\n  - title: t\n    id:  x\n",
        "id: #x\n",
        "id: x #y\n",
        "title: : x\n",
        "Title: x\n",
        "id-: x\nid_: y\n",
    ],
)
def test_a_key_read_before_is_read_as_the_event_reading_reads_it(text: str) -> None:
    """A key known from the lines before is found by a search for ': ': spaces, colons and its place change nothing."""
    assert_plain_reading_agrees("id: a\ntitle: b\na: c\n")
    assert_plain_reading_agrees(text)


def test_the_plain_reading_reads_values_on_one_line_beside_folded_ones() -> None:
    text = "id: a\nkind: b\nteam:\n- one\n- two\n  three\nsummary: x\n  y\ndate: 2026-05-04\nagain: 2026-05-04\n"
    assert assert_plain_reading_agrees(text)
    assert load_yaml(text).value == {
        "id": "a", "kind": "b", "team": ["one", "two three"], "summary": "x y",
        "date": date(2026, 5, 4), "again": date(2026, 5, 4),
    }  # fmt: skip


KNOWN = "k: v\nt: one\nx:\n  k: [a, 2026-05-04]\n  m: {a: 1, b: no}\nlist:\n- one\n- [a]\n- 7\n- {a: 1}\n"
KNOWN += "items:\n- k: v\n"
"""Lines read once, before each text below: then known by their text (a playbook repeats its lines)."""


@pytest.mark.parametrize(
    ("text", "limits", "plain"),
    [
        ("k: v\nk: v\n", YamlLimits(), False),  # a duplicate key, known or not
        ("t: one\n  two\n", YamlLimits(), True),  # the line known alone, now with its value folded below it
        ("list:\n- one\n  two\n- one\n", YamlLimits(), True),  # and an item
        ("y:\n  k: [a, 2026-05-04]\n", YamlLimits(), True),
        ("y:\n  k: [a, 2026-05-04]\n", YamlLimits(max_depth=2), False),  # the flow list one level too deep
        ("list:\n- [a]\n", YamlLimits(max_depth=1), False),
        ("y:\n  m: {a: 1, b: no}\n", YamlLimits(), True),  # a flow mapping known by its line
        ("y:\n  m: {a: 1, b: no}\n", YamlLimits(max_depth=2), False),
        ("y:\n  m: {a: 1, b: no}\n", YamlLimits(max_nodes=9), False),  # the values counted, known or not
        ("y:\n  m: {a: 1, b: no}\n", YamlLimits(max_nodes=10), True),
        ("list:\n- {a: 1}\n- {a: 1}\n", YamlLimits(), True),
        ("list:\n- one\n- 7\n- [a]\n", YamlLimits(max_nodes=5), False),  # the values counted, known or not
        ("list:\n- one\n- 7\n- [a]\n", YamlLimits(max_nodes=8), True),
        ("items:\n- k: v\n  k: v\n", YamlLimits(), False),  # a known first line of a list item, and its key again
        ("items:\n- k: v\n- t: one\n", YamlLimits(), True),
        ("- k: v\n", YamlLimits(), False),  # a list item's known first line as the whole text: a list
        ("- k: v\n- t: one\n", YamlLimits(), False),
        ("  k: [a, 2026-05-04]\n", YamlLimits(), False),  # a known key line, indented as the first line
        ("\nk: v\n", YamlLimits(), False),  # a blank first line: the event reading starts below it
        ("z: 1\n- k: v\n", YamlLimits(), False),  # a list item's known first line, at the keys' indentation
        ("z:\n  y: 1\n  - k: v\n", YamlLimits(), False),  # and below a key, as a list's first line
        ("z: 1\n- one\n", YamlLimits(), False),  # a known item where a key should be
        ("list:\n- one\nk: v\n", YamlLimits(), True),  # a known key where the next item could be
        ("list:\n- k: v\n  t: one\nk: v\n", YamlLimits(), True),  # known lines as an item's keys, then the key
    ],
)
def test_a_line_read_before_reads_as_the_event_reading_reads_it_in_its_new_place(
    text: str, limits: YamlLimits, plain: bool
) -> None:
    """A line known by its text gives the event reading's answer wherever it is: below a folded value, twice in a
    mapping, deeper than the limit, past the number of values allowed; else the plain reading declines."""
    assert_plain_reading_agrees(KNOWN)
    assert assert_plain_reading_agrees(text, limits) is plain


def test_a_known_line_gives_each_document_its_own_list_and_mapping() -> None:
    text = "k: [a]\nl:\n- [b]\n- {c: d}\nm: {e: 1}\n"
    first, second = load_yaml(text).value, load_yaml(text).value
    first["k"].append("c")
    first["l"][0].append("c")
    first["l"][1]["x"] = 1
    first["m"]["e"] = 2
    assert second == {"k": ["a"], "l": [["b"], {"c": "d"}], "m": {"e": 1}}


NOT_PLAIN = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
"""What the plain reading leaves to libyaml, as one pattern (the reader first looks beyond Latin-1)."""
EDGES = [0, 9, 10, 13, 31, 32, 126, 127, 133, 159, 160, 255, 256, 0x2027, 0x2028, 0x2029, 0x202A, 0xD7FF, 0xE000]
EDGES += [0xFEFE, 0xFEFF, 0xFF00, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.sampled_from([chr(c) for c in EDGES])), max_size=6))
def test_plain_text_is_judged_as_one_pattern_judges_it(characters: list[str]) -> None:
    from pptoolkit.reading.yamlsource import _is_plain_text

    for text in ("".join(characters), "é" + "".join(characters), "".join(characters) + "\u2019x"):
        assert _is_plain_text(text) is (NOT_PLAIN.search(text) is None), ascii(text)
