"""Linear time on any input: no regular expression of pptoolkit backtracks super-linearly.

Every compiled pattern of the package (module globals and class attributes, found by
importing every module) meets adversarial inputs derived from the pattern itself: long
runs of each character it mentions, each such run between two other characters, two
characters alternating, and the beginnings of a typical match repeated. A pattern with
quadratic or worse backtracking takes seconds to minutes on 100,000 characters; a linear
one, milliseconds. Each input is first timed at 10,000 characters; the slowest few are
timed again at 100,000, where a quadratic pattern costs a hundred times more, not ten.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import pptoolkit
from pptoolkit.cli import cli
from pptoolkit.reading.links import body_links, link_spans, replace_link_targets

try:  # Python 3.11+; sre_parse, its old name, warns there
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

from hardening_support import Hang, no_hang
from playbook_support import TODAY, artifact_text, make_playbook

pytestmark = pytest.mark.slow  # times every pattern on inputs of 100,000 characters

BUDGET_SECONDS = 2.0
"""Per pattern and input, on a loaded two-CPU machine: a quadratic pattern takes minutes, a linear one milliseconds."""

SHORT, LONG = 10_000, 100_000
RETRIED = 6
"""How many of a pattern's slowest inputs at SHORT characters are timed again at LONG characters."""

COMMON_FODDER = " \t\n\r#=-_.:;,/\\|'\"`<>()[]{}!?@&%+*~0aA\u00e9\u2028"
"""Characters that text from a playbook is made of, tried with every pattern whatever it mentions."""


def package_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern held by a module of pptoolkit or by one of its classes, by qualified name."""
    found: dict[str, re.Pattern[str]] = {}
    modules = [pptoolkit.__name__] + [
        info.name for info in pkgutil.walk_packages(pptoolkit.__path__, prefix=f"{pptoolkit.__name__}.")
    ]
    for module_name in modules:
        if module_name.endswith("__main__"):
            continue
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            places = [(name, value)]
            if isinstance(value, type) and value.__module__ == module_name:
                places += [(f"{name}.{attribute}", held) for attribute, held in vars(value).items()]
            for place, held in places:
                if isinstance(held, re.Pattern) and isinstance(held.pattern, str):
                    found.setdefault(f"{module_name}.{place}", held)
    return found


def _class_members(items: list[tuple[object, object]]) -> Iterator[str]:
    """Characters a character class matches, one per range end and category, and its negated literals."""
    categories = {"DIGIT": "0", "SPACE": " ", "WORD": "a", "LINEBREAK": "\n"}
    for op, arg in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL") and isinstance(arg, int):
            yield chr(arg)
        elif name == "RANGE" and isinstance(arg, tuple):
            low, high = arg
            yield chr(low)
            yield chr(high)
        elif name == "CATEGORY":
            for key, char in categories.items():
                if key in str(arg):
                    yield char


def _walk(parsed: object, chars: set[str], literals: list[str]) -> list[str]:
    """Collect the characters and literal runs of a parsed pattern; return the atoms of a typical match."""
    atoms: list[str] = []
    run = ""
    for op, arg in parsed:  # type: ignore[attr-defined]
        name = str(op)
        atom = ""
        if name == "LITERAL":
            run += chr(arg)
            chars.add(chr(arg))
            atoms.append(chr(arg))
            continue
        if run:
            literals.append(run)
            run = ""
        if name == "NOT_LITERAL":
            chars.add(chr(arg))
            atom = "a" if chr(arg) != "a" else "b"
        elif name == "IN":
            members = list(_class_members(arg))
            chars.update(members)
            negated = any(str(item) == "NEGATE" for item, _ in arg)
            atom = ("a" if "a" not in members else "!") if negated else (members[0] if members else "a")
        elif name == "ANY":
            atom = "a"
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, body = arg
            inner = "".join(_walk(body, chars, literals))
            atom = inner * max(low, 1)
        elif name == "SUBPATTERN":
            atom = "".join(_walk(arg[-1], chars, literals))
        elif name == "ATOMIC_GROUP":
            atom = "".join(_walk(arg, chars, literals))
        elif name == "BRANCH":
            branches = [_walk(branch, chars, literals) for branch in arg[1]]
            atom = "".join(branches[0])
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], chars, literals)
        elif name == "CATEGORY":
            chars.update(_class_members([(op, arg)]))
            atom = next(iter(_class_members([(op, arg)])), "a")
        if atom:
            atoms.append(atom)
    if run:
        literals.append(run)
    return atoms


def adversarial_inputs(pattern: re.Pattern[str]) -> dict[str, Callable[[int], str]]:
    """Inputs of any length for ``pattern``, by description, derived from the characters it mentions."""
    chars: set[str] = set()
    literals: list[str] = []
    flags = pattern.flags & ~re.UNICODE
    atoms = _walk(sre_parse.parse(pattern.pattern, flags), chars, literals)
    mentioned = sorted(chars)
    every = sorted(chars | set(COMMON_FODDER))
    inputs: dict[str, Callable[[int], str]] = {}

    def add(description: str, unit: str, before: str = "", after: str = "") -> None:
        if unit:
            inputs.setdefault(description, lambda n: before + unit * (n // len(unit)) + after)

    for char in every:
        add(f"{char!r} * n", char)
    for first, second in itertools.permutations(mentioned, 2):
        add(f"{first!r} + {second!r} * n + {first!r}", second, first, first)
        add(f"({first!r} + {second!r}) * n", first + second)
    for first, second in itertools.product(mentioned, every):
        if first != second:
            add(f"{first!r} + {second!r} * n + {first!r}", second, first, first)
    for literal in literals:
        for char in every:
            add(f"{literal!r} + {char!r} * n", char, literal)
            add(f"({literal!r} + {char!r}) * n", literal + char)
    for end in range(1, len(atoms) + 1):
        prefix = "".join(atoms[:end])
        add(f"{prefix!r} * n", prefix)
        for char in mentioned:
            add(f"{prefix!r} + {char!r} * n", char, prefix)
    return inputs


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    """The time of the slowest of the ways the package applies patterns, on ``text``; stopped past the budget."""
    slowest = 0.0
    for apply in (pattern.search, pattern.match, pattern.fullmatch, pattern.findall, pattern.split):
        start = time.perf_counter()
        try:
            with no_hang(BUDGET_SECONDS):
                apply(text)
        except Hang:
            return BUDGET_SECONDS
        slowest = max(slowest, time.perf_counter() - start)
    return slowest


PATTERNS = package_patterns()


def test_the_package_patterns_are_all_found() -> None:
    """The scan sees the patterns of the quick reader and of the link finder (it looks where they live)."""
    assert "pptoolkit.reading.documents._NEEDS_PARSER" in PATTERNS
    assert "pptoolkit.reading.links.LINK_TEXT" in PATTERNS
    assert len(PATTERNS) >= 15


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_super_linearly(name: str) -> None:
    pattern = PATTERNS[name]
    inputs = adversarial_inputs(pattern)
    timings = []
    for description, make in inputs.items():
        seconds = _seconds(pattern, make(SHORT))
        assert seconds < BUDGET_SECONDS, f"{name} took {seconds:.1f} s or more on {description} (n={SHORT:,})"
        timings.append((seconds, description))
    for _seconds_short, description in sorted(timings, reverse=True)[:RETRIED]:
        seconds = _seconds(pattern, inputs[description](LONG))
        assert seconds < BUDGET_SECONDS, f"{name} took {seconds:.1f} s or more on {description} (n={LONG:,})"


ONE_PATTERN_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(([^)\s]+)\)")
"""The link finder as one pattern: right, and quadratic on ``[a](b[a](b...``; the finder must agree with it."""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="[]()! a\n\t", max_size=40))
def test_the_link_finder_finds_what_one_pattern_finds(text: str) -> None:
    expected = [(m.start(), m.end(), m.start(1), m.end(1)) for m in ONE_PATTERN_LINK.finditer(text)]
    assert [tuple(span) for span in link_spans(text)] == expected


def test_links_are_found_and_repointed_in_linear_time() -> None:
    text = "[a](b" * 20_000 + " [ok](x.md) " + "![a](" * 20_000
    with no_hang(BUDGET_SECONDS):
        assert [link.target for link in body_links(text)] == ["x.md"]
        assert replace_link_targets(text, str.upper).count("[ok](X.MD)") == 1


ADVERSARIAL_BODIES = {
    "an ATX heading of spaces": "#" + " " * 9_000 + "#\n",
    "a heading of hashes": "#" * 9_000 + "\n",
    "spaces then a hash in a list item": "- " + " " * 9_000 + "#\n",
    "setext fodder": "=" * 9_000 + "\n" + "- " * 4_000 + "\n",
    "unclosed links": "[a](b" * 1_900 + "\n",
    "images without their end": "![a](" * 1_900 + "\n",
    "nested brackets": "[" * 9_000 + "\n" + "![[" * 3_000 + "\n",
    "blockquote and digits": "> " + "1." * 4_500 + "\n",
    "html fodder": "<a" + "=b" * 4_900 + ' "\n',
    "comment fodder": "<!-" * 3_000 + "\n",
    "e-mail fodder": "." + "%" * 9_000 + ".\n",
    "digits": "1 " * 4_900 + "\n" + "0" * 9_000 + "\n",
}
"""Bodies of lines under the default line-length limit (10,000), each aimed at a pattern that once backtracked."""

CHECK_BUDGET_SECONDS = 10.0
"""For a whole check of a small playbook: a fraction of a second when linear; minutes when not."""


@pytest.mark.parametrize("body", ADVERSARIAL_BODIES.values(), ids=ADVERSARIAL_BODIES.keys())
def test_check_finishes_quickly_on_an_adversarial_body(tmp_path: Path, body: str) -> None:
    """``pptoolkit check`` of an artifact with the body ends within the budget (the ATX heading took 50 s)."""
    builder = make_playbook(tmp_path)
    builder.write_bytes("policies/adversarial.md", artifact_text("vision", body=body).encode())
    start = time.perf_counter()
    with no_hang(CHECK_BUDGET_SECONDS):
        result = CliRunner().invoke(cli, ["check", str(tmp_path), "--no-cache", "--today", TODAY.isoformat()])
    seconds = time.perf_counter() - start
    assert "Coverage: 1 of 25 practices covered" in result.output  # the artifact was read, not skipped
    assert seconds < CHECK_BUDGET_SECONDS
