"""Safe YAML loading that keeps the position of every key and list item.

The loader builds Python values from PyYAML's event stream (libyaml's C parser
when present) with an explicit stack, so that it can refuse alias bombs and
deep nesting before they cost memory or overflow the C stack, and so that it
records where each value sits in the file for located diagnostics.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from itertools import repeat
from operator import sub
from typing import Any, NamedTuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from pptoolkit.i18n import N_, _
from pptoolkit.i18n import formats as fmt

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KeyPath = tuple[str | int, ...]


class Mark(NamedTuple):
    """A 1-based line and column in the file."""

    line: int
    column: int


class YamlProblem(Exception):
    """YAML that cannot be loaded: ``kind`` is "syntax", "value" or "complexity".

    "value" is a scalar of a known type that cannot be built, such as the date ``2028-13-40``.
    """

    def __init__(self, kind: str, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.mark = mark


_FIRST = Mark(1, 1)


class YamlDocument:
    """A loaded YAML value, where it starts, and the positions of its keys and items.

    ``positions`` maps a key path such as ``("evidence", 0, "link")`` to the
    position of that key (for mapping entries) or item (for list items). A
    document read the quick way finds its positions when first asked for them:
    most artifacts have nothing to report, and positions cost time and memory.
    """

    __slots__ = ("_locate", "_positions", "start", "value")

    def __init__(
        self,
        value: Any,
        positions: dict[KeyPath, Mark] | None = None,
        start: Mark = _FIRST,
        locate: Callable[[], dict[KeyPath, Mark]] | None = None,
    ) -> None:
        self.value = value
        self.start = start
        self._positions = positions
        self._locate = locate

    @property
    def positions(self) -> dict[KeyPath, Mark]:
        """The position of every key and list item."""
        if self._positions is None:
            self._positions = self._locate() if self._locate else {}
            self._locate = None
        return self._positions

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YamlDocument):
            return NotImplemented
        return (self.value, self.start, self.positions) == (other.value, other.start, other.positions)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"YamlDocument(value={self.value!r}, start={self.start!r})"

    def located_only(self) -> YamlDocument:
        """This document's positions without its values (for a caller that keeps the values in another form)."""
        return YamlDocument(None, self._positions, self.start, self._locate)

    def mark(self, path: KeyPath) -> Mark:
        """Return the position of ``path``, or of its nearest located ancestor."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.start


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on what a YAML document may cost."""

    max_depth: int = 32
    max_nodes: int = 20_000


@dataclass
class _Collection:
    path: KeyPath
    value: list[Any] | dict[Any, Any]
    anchor: str | None
    mark: Mark
    size: int = 1
    pending_key: Any = None
    key_mark: Mark | None = None
    expecting_key: bool = True


_CONSTRUCTOR = SafeConstructor()
_RESOLVER = Resolver()


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class _Lines:
    """Turns the parser's marks into lines and columns of the file.

    YAML also breaks lines at NEL, U+2028 and U+2029, which editors and
    Markdown do not; the mark's character index gives the file's own line
    and column (CR LF, CR or LF only). When the index does not agree with the
    parser's line (a parser that counts bytes), the parser's line is kept.
    A text broken at LF only, the usual case, needs none of this: there the
    parser's own line and column (in characters) are the file's.
    """

    def __init__(self, text: str, line_offset: int) -> None:
        self.text = text
        self.offset = line_offset
        self.length = len(text)
        self.only_lf = _YAML_BREAK.search(text.replace("\n", "")) is None

    @cached_property
    def starts(self) -> list[int]:
        """The index of the first character of each line of the file."""
        return [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]

    @cached_property
    def yaml_starts(self) -> list[int]:
        """The index of the first character of each line as YAML counts them."""
        return [0, *(m.end() for m in _YAML_BREAK.finditer(self.text))]

    def at(self, index: int) -> Mark:
        """The line and column of the character at ``index``."""
        line = bisect_right(self.starts, index) - 1
        return Mark(line + 1 + self.offset, index - self.starts[line] + 1)

    def mark(self, event_mark: Any) -> Mark:
        """The line and column of a parser's mark."""
        if self.only_lf:
            return Mark(event_mark.line + 1 + self.offset, event_mark.column + 1)
        index = getattr(event_mark, "index", None)
        if isinstance(index, int) and 0 <= index <= self.length:
            yaml_line = bisect_right(self.yaml_starts, index) - 1
            if yaml_line == event_mark.line:
                return self.at(index)
            if index == self.length and event_mark.line == yaml_line + 1 and event_mark.column == 0:
                # libyaml puts the end of a stream without a final line break on a line of its own
                return Mark(self.at(index).line + 1, 1)
        return Mark(event_mark.line + 1 + self.offset, event_mark.column + 1)

    def line(self, number: int) -> str:
        """The text of line ``number`` of the file (empty when it is not in this text)."""
        index = number - 1 - self.offset
        if not 0 <= index < len(self.starts):
            return ""
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.length
        return self.text[self.starts[index] : end].rstrip("\r\n")

    def previous_content(self, number: int) -> Mark | None:
        """The first character of the last line before line ``number`` that is neither blank nor a comment."""
        for previous in range(number - 1, self.offset, -1):
            content = self.line(previous)
            stripped = content.lstrip()
            if stripped and not stripped.startswith("#"):
                return Mark(previous, len(content) - len(stripped) + 1)
        return None


def _scalar(event: yaml.ScalarEvent, mark: Mark) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == "tag:yaml.org,2002:merge":
        raise YamlProblem("syntax", "merge keys ('<<') are not supported", mark)
    if tag not in _CONSTRUCTOR.yaml_constructors:
        raise YamlProblem("syntax", f"unsupported tag '{tag}'", mark)
    node = yaml.ScalarNode(tag, event.value, None, None, event.style)
    try:
        return _construct(node)
    except (ConstructorError, ValueError, OverflowError, KeyError, AttributeError, TypeError):
        # e.g. 2028-13-40 (a date that does not exist), !!int x, !!bool maybe, !!timestamp soon
        raise YamlProblem("value", _value_message(tag, event.value), mark) from None


_VALUE_KINDS = {
    "tag:yaml.org,2002:timestamp": N_("is not a real date (expected YYYY-MM-DD)"),
    "tag:yaml.org,2002:int": N_("is not a whole number"),
    "tag:yaml.org,2002:float": N_("is not a number"),
    "tag:yaml.org,2002:bool": N_("is not true or false"),
    "tag:yaml.org,2002:binary": N_("is not base64 data"),
}


def _construct(node: yaml.ScalarNode) -> Any:
    """The value of a scalar node, by the safe constructor of its tag.

    The constructor function is called directly: ``construct_object`` would remember
    every node it ever built, and a long check would keep them all in memory.
    """
    return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)


def _value_message(tag: str, value: str) -> str:
    """What is wrong with a scalar that its type's constructor refused."""
    what = (
        _(_VALUE_KINDS[tag])
        if tag in _VALUE_KINDS
        else _("cannot be read as {type}").format(type=tag.rsplit(":", 1)[-1])
    )
    return f"{value!r} {what}"


_QUOTE_IT = N_("put the whole value in quotes")


def _explain(error: yaml.MarkedYAMLError, reason: str, mark: Mark, lines: _Lines) -> tuple[str, Mark]:
    """Plain advice for a parser error, and where to show it; the parser's own words end the message."""
    raw = f" (YAML: {reason})"
    quote_it = _(_QUOTE_IT)
    context = error.context or ""
    opened = lines.mark(error.context_mark) if error.context_mark is not None else None
    line = lines.line(mark.line)
    before = line[: mark.column - 1].strip()
    character = line[mark.column - 1 : mark.column]
    if "tab character" in reason or ("cannot start any token" in reason and character == "\t"):
        return _("a tab character: indent with spaces, not tabs") + raw, mark
    if "mapping values are not allowed" in reason:
        if ": " in before or before.endswith(":"):
            return _("a ':' inside a value: {quote_it}, e.g. title: \"Vision: 2030\"").format(
                quote_it=quote_it
            ) + raw, mark
        return (
            _(
                "this key is indented more than the key above: keys of one mapping must line up"
                " (if the line goes on with a value, {quote_it})"
            ).format(quote_it=quote_it)
            + raw,
            mark,
        )
    if "could not find expected ':'" in reason:
        key = opened if opened is not None and (opened.line, opened.column) < (mark.line, mark.column) else None
        if key is None and mark.column == 1:
            key = lines.previous_content(mark.line)
        if key is not None:
            return _("this line has no ': ' after its key (write key: value, with a space after the colon)") + raw, key
        return (
            _(
                "a line has no ': ' after its key (write key: value, with a space after the colon);"
                " look at this line and the line before"
            )
            + raw,
            mark,
        )
    if reason in ("did not find expected key", "did not find expected '-' indicator"):
        if before[-1:] in ("'", '"'):
            return (
                _(
                    'the value goes on after its closing quote: {quote_it}, e.g. title: "It\'s ours"'
                    " (inside '...', write an apostrophe as '')"
                ).format(quote_it=quote_it)
                + raw,
                mark,
            )
        if before:
            return _("unexpected text after the value: {quote_it}").format(quote_it=quote_it) + raw, mark
        return _("the indentation is off: keys of one list or mapping must line up") + raw, mark
    if "quoted scalar" in context and ("end of stream" in reason or "document" in reason):
        quote = lines.line(opened.line)[opened.column - 1 : opened.column] if opened is not None else ""
        if opened is not None and quote in ("'", '"'):
            return (
                _("the quote {quote} opened on line {line} is never closed: end the value with {quote}").format(
                    quote=quote, line=opened.line
                )
                + raw,
                mark,
            )
        return _("a quote is never closed: end the value with the same quote it starts with") + raw, mark
    if "did not find expected ',' or" in reason:
        closing = reason[-2]
        bracket = "[" if closing == "]" else "{"
        where = _(" opened on line {line}").format(line=opened.line) if opened is not None else ""
        return (
            _(
                "the '{bracket}'{where} is never closed with '{closing}' (or two of its items have no ',' between them)"
            ).format(bracket=bracket, where=where, closing=closing)
            + raw,
            mark,
        )
    if "quoted scalar" in context and ("escape" in reason or "hexdecimal" in reason):
        return (
            _("a backslash in a \"...\" value starts an escape: write \\\\ for a backslash, or use single quotes '...'")
            + raw,
            mark,
        )
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        if "alias" in context:
            return _("a value cannot start with '*' (YAML reads it as an alias): {quote_it}").format(
                quote_it=quote_it
            ) + raw, mark
        return _("a value cannot start with '&' (YAML reads it as an anchor): {quote_it}").format(
            quote_it=quote_it
        ) + raw, mark
    if "cannot start any token" in reason and character.strip():
        return _("a value cannot start with '{character}': {quote_it}").format(
            character=character, quote_it=quote_it
        ) + raw, mark
    if "block sequence entries are not allowed" in reason:
        return (
            _(
                "a '- ' list item cannot follow a key on the same line: start the list on the next line"
                " (or, if '-' is part of the value, {quote_it})"
            ).format(quote_it=quote_it)
            + raw,
            mark,
        )
    return (
        _("the YAML cannot be read here: check the quotes, colons and indentation of this line and the line above")
        + raw,
        mark,
    )


def _events(text: str, loader_class: type) -> Iterator[Any]:
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


class _Declined(Exception):
    """The quick reading cannot vouch for this text; the event-by-event reading decides."""


_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"


def _quick_load(text: str, line_offset: int, limits: YamlLimits, source: Callable[[], str] | None) -> YamlDocument:
    """Load plain YAML through libyaml's C composer, or raise ``_Declined``.

    Plain means: valid, one document, no alias, merge key or unusual tag, no duplicate
    key, within ``limits``. Anything else is declined, so that :func:`load_yaml` reads it
    again event by event and explains the problem exactly as before (``tests/test_yamlsource.py``
    checks that both readings agree on generated documents). Positions are left to the
    event reading too, the first time they are asked for.
    """
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, ValueError, UnicodeError):
        raise _Declined from None
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(None, {}, Mark(1 + line_offset, 1))
    start = _Lines(text, line_offset).mark(node.start_mark)
    locate = _Relocate(source or _Same(text), line_offset, limits)
    return YamlDocument(_QuickBuilder(limits).build(node, 0), start=start, locate=locate)


@dataclass(frozen=True, slots=True)
class _Same:
    """Gives a text back."""

    text: str

    def __call__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _Relocate:
    """Finds the positions of a quickly read document by reading its text again, event by event."""

    source: Callable[[], str]
    line_offset: int
    limits: YamlLimits

    def __call__(self) -> dict[KeyPath, Mark]:
        return load_yaml(self.source(), line_offset=self.line_offset, limits=self.limits, loader=Loader).positions


class _QuickBuilder:
    """Builds Python values from libyaml's nodes, declining what the event reading must judge.

    A class rather than a recursive inner function: such a function is a reference cycle,
    and a check pauses the cycle collector (see ``checker.py``).
    """

    def __init__(self, limits: YamlLimits) -> None:
        self.limits = limits
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int) -> Any:
        """The value of ``node``, ``depth`` collections deep."""
        if id(node) in self.seen or len(self.seen) >= self.limits.max_nodes:
            raise _Declined  # an alias, or more values than allowed
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return _quick_scalar(node)
        if depth >= self.limits.max_depth:
            raise _Declined
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or id(key_node) in self.seen:
                    raise _Declined
                self.seen.add(id(key_node))
                key = _quick_scalar(key_node)
                if key in mapping:
                    raise _Declined
                mapping[key] = self.build(value_node, depth + 1)
            return mapping
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        raise _Declined


def _quick_scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == _STR:
        return node.value
    if node.tag not in _CONSTRUCTOR.yaml_constructors or node.tag == "tag:yaml.org,2002:merge":
        raise _Declined
    try:
        return _construct(node)
    except Exception:  # whatever the constructor refuses, the event reading explains
        raise _Declined from None


# --- The plain reading: the YAML that front matter is made of, read line by line ------------------------

_PLAIN_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|$)")
_KEY_AND_VALUE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|$)(.*)")
"""``_PLAIN_KEY`` and what follows it on the line, in one match."""
_NOT_PLAIN_LATIN1 = re.compile("[^\n\x20-\x7e\xa0-\xff]")
"""A character that is not printable Latin-1: a text without one is plain text, as ``_not_plain_text`` judges it."""


@lru_cache(maxsize=1)
def _not_plain_text() -> re.Pattern[str]:
    """A character the plain reading leaves to libyaml: tabs, CR, controls, NEL, U+2028/9, a BOM, beyond U+FFFF.

    Compiled when a text first has a character beyond Latin-1: its class of 60,000 characters takes
    a few milliseconds to compile, at the start of every check otherwise.
    """
    return re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


def _is_plain_text(text: str) -> bool:
    """True when ``text`` has no character that the plain reading leaves to libyaml (see ``_not_plain_text``)."""
    found = _NOT_PLAIN_LATIN1.search(text)
    return found is None or _not_plain_text().search(text, found.start()) is None


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_QUOTED = {'"': re.compile(r'"([^"\\]*)"'), "'": re.compile(r"'((?:[^']|'')*)'")}
_FLOW = re.compile(r"[\[{]([^\[\]{}\"'#]*)[\]}]")
_INT, _TIMESTAMP = "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers


def _resolved(value: str) -> Any:
    """A plain scalar's value, as PyYAML's resolver and safe constructor make it (``_Declined`` if they cannot).

    Its implicit resolvers are tried in its own order (those of the first character, then those for
    any); a plain scalar that none of them matches is a string.
    """
    resolvers = _IMPLICIT.get(value[:1], ())
    if None in _IMPLICIT:
        resolvers = [*resolvers, *_IMPLICIT[None]]
    if not resolvers:
        return value
    known = _RESOLVED.get(value, _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    for candidate, pattern in resolvers:
        if pattern.match(value):
            tag = candidate
            break
    else:
        return value
    if tag == _INT and value.isdigit() and value.isascii() and (value == "0" or value[0] != "0"):
        resolved: Any = int(value)
    elif tag == _TIMESTAMP and _DATE.fullmatch(value):
        try:
            resolved = date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            raise _Declined from None  # 2028-13-40: the event reading explains
    else:
        resolved = _quick_scalar(yaml.ScalarNode(tag, value))
    if len(_RESOLVED) < 4096 and isinstance(resolved, (int, float, date, type(None))):
        _RESOLVED[value] = resolved  # immutable: a date or a number can be shared
    return resolved


_RESOLVED: dict[str, Any] = {}
"""Plain scalars already read as dates, numbers, booleans or null: a playbook repeats the same few dates."""
_UNKNOWN = object()

_STRING_KEYS: set[str] = set()
"""Keys known to be read as strings (``id``, ``title`` ...): most front matter has the same few."""


def _string_key(key: str) -> bool:
    """True when ``key``, a plain key, is read as a string (remembered, for a few thousand keys)."""
    if _resolved(key) is not key:
        return False
    if len(_STRING_KEYS) < 4096:
        _STRING_KEYS.add(key)
    return True


_ONE_LINE_ENTRIES: dict[str, tuple[str, Any, int]] = {}
"""Lines read before as a key and its value written on that line alone, with the values they count for the limit.

A playbook repeats the same lines (``kind: procedure``, ``status: approved``, an owner, dates, the links to
shared evidence): such a line is read once per check, then known by its text, which decides how it reads.
"""
_ONE_LINE_ITEMS: dict[str, tuple[Any, int]] = {}
"""The same for list items (``- text``): the item's value, and the values it counts for."""
_FIRST_ENTRIES: dict[str, tuple[str, Any, int]] = {}
"""The same for a list item's line that starts a mapping (``- title: text``): its first key and value."""
_LINES_KEPT = 32768  # lines of each kind at most: 19,500 distinct ones at 5,000 generated artifacts
_LONGEST_LINE_KEPT = 80
"""A longer line is not kept: titles and summaries are seldom repeated, and the lines kept cost memory (the
megabytes of pymalloc's arenas they took stay with the check once they are let go of: 1.2 MB of its peak at 5,000
artifacts, 0.3 MB with this bound)."""


def forget_known_lines() -> None:
    """Let go of the lines read before (``_ONE_LINE_ENTRIES``), once a check has read its front matter.

    They are worth a megabyte or two while thousands of files are read, and nothing afterwards.
    """
    _ONE_LINE_ENTRIES.clear()
    _ONE_LINE_ITEMS.clear()
    _FIRST_ENTRIES.clear()


_IMMUTABLE = frozenset((str, int, float, bool, date, type(None)))


class _Fresh(NamedTuple):
    """A flow collection's value as a line read before keeps it: ``make(data)`` gives each document its own."""

    make: Callable[[Any], list[Any] | dict[str, Any]]
    data: tuple[Any, ...]


def _kept(value: Any, written: str) -> Any:
    """``value`` as a line's value is kept to be given again: itself, a flow collection as ``_Fresh``, or ``_UNKNOWN``.

    A mutable value (a list, a mapping) is never shared between documents; a flow list or mapping (``[a, b]``,
    ``{target: a, achieved: b}``) is given again as a new one, made of its immutable values.
    """
    if type(value) in _IMMUTABLE:
        return value
    if type(value) is list and written[0] == "[":
        return _Fresh(list, tuple(value))
    if type(value) is dict and written[0] == "{":
        return _Fresh(dict, tuple(value.items()))
    return _UNKNOWN


def _plain_part(value: str) -> None:
    """``_Declined`` unless ``value``, one line of a plain scalar, is read by YAML as that text and nothing else."""
    if not value or value[0] in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
        raise _Declined


def _one_plain_line(value: str) -> bool:
    """True when ``value``, not empty, is read by YAML as that text alone (else ``inline`` reads or declines it)."""
    return not (value[0] in _INDICATORS or ": " in value or " #" in value or value[-1] == ":")


_END, _BLANK = -2, -1
"""The indentation ``_PlainReader`` gives past the last line, and a blank line's."""


class _PlainReader:
    """Reads block mappings and lists of plain, quoted and flow values, line by line, or raises ``_Declined``.

    This is the YAML of front matter: ``key: value`` lines (a long value folded over the lines below
    it), lists of values or of mappings, ``[a, b]`` and ``{a: b}``. Whatever else a text holds
    (comments, anchors, tags, block scalars, escapes, tabs, unusual indentation) is declined, and
    libyaml reads it (``tests/test_yamlsource.py`` holds both readings to the same values).
    A value on one line, the usual case, is read where its key or dash is: a check reads a
    hundred thousand of them.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        if self.lines[-1] == "":
            self.lines.pop()
        # Each line's indentation (a blank line's is _BLANK), then _END, lower than any: no bounds to test.
        # Found by functions that loop in C: a check reads a hundred thousand lines.
        contents = list(map(len, map(str.lstrip, self.lines, repeat(" "))))
        indents: list[int] = list(map(sub, map(len, self.lines), contents))
        if 0 in contents:
            indents = [_BLANK if not content else at for at, content in zip(indents, contents, strict=True)]
        indents.append(_END)
        self.indents = indents
        self.index = 0
        self.nodes = 0
        self.max_depth = 0

    def document(self, limits: YamlLimits) -> dict[str, Any]:
        """The whole text: a mapping from its first line, within ``limits`` (else declined)."""
        self.max_depth = limits.max_depth
        if self.indents[0] != 0:  # a first line blank or indented (where the event reading starts), or no line
            raise _Declined
        value = self.mapping(0, 0)
        if self.index != len(self.lines) or self.nodes >= limits.max_nodes:
            raise _Declined
        return value

    def mapping(self, indent: int, depth: int, first: str | None = None) -> dict[str, Any]:
        """A block mapping whose keys start at ``indent`` (``first``: its first line, a list item's, from there).

        A list item's first line is known apart (``_FIRST_ENTRIES``): the same text is no key line anywhere else.
        """
        if depth >= self.max_depth:
            raise _Declined
        mapping: dict[str, Any] = {}
        lines, indents, index = self.lines, self.indents, self.index
        known_lines = _ONE_LINE_ENTRIES
        nodes = 1  # the values counted here; the methods called count theirs in self.nodes
        line = first
        known = None if first is None else _FIRST_ENTRIES.get(first)
        while True:
            if line is None:
                if indents[index] != indent:
                    index, goes_on = self._block_goes_on(index, indent)
                    if not goes_on:
                        break
                line = lines[index]
                # A line known as an entry has its key at its indentation: never a list item's dash.
                known = known_lines.get(line)
            if known is not None and indents[index + 1] <= indent:  # a line read before, with no value below it
                key, value, count = known
                if key in mapping:
                    raise _Declined
                index += 1
                nodes += count
                if type(value) is _Fresh:
                    value = self._fresh(value, depth)
                mapping[key] = value
                line = None
                continue
            # A key read before (in _STRING_KEYS) and ': ' is found by a search in C: the pattern is for the others.
            key, colon, rest = line.partition(": ")
            if indent:
                key = key[indent:]
            if not colon or key not in _STRING_KEYS:
                match = _KEY_AND_VALUE.match(line, indent)
                if match is None:
                    if line.startswith("- ", indent):  # a list item at the keys' indentation ends the mapping
                        break
                    raise _Declined
                key, rest = match.groups()
                if key not in _STRING_KEYS and not _string_key(key):
                    raise _Declined
            if key in mapping:
                raise _Declined
            index += 1
            rest = rest.strip(" ")
            if not rest:
                nodes += 1
                self.index = index
                mapping[key] = self.nested(indent, depth + 1)
                index = self.index
                line = None
                continue
            alone = indents[index] <= indent
            if alone and rest[0] == '"' and rest[-1] == '"' and rest.count('"') == 2 and "\\" not in rest:
                count = 2  # a value in double quotes on one line, without escapes (a title): read here
                nodes += 2
                value = rest[1:-1]
            elif not alone or rest[0] in _INDICATORS or ": " in rest or " #" in rest or rest[-1] == ":":
                # not a plain value on one line (``_one_plain_line``, written out)
                before = self.nodes
                self.index = index
                value = self.inline(rest, indent, depth + 1)
                index = self.index
                count = self.nodes - before + 1
                nodes += 1
            else:  # a plain value on one line, what most keys have: read here
                count = 2
                nodes += 2
                value = _resolved(rest) if rest[0] in _IMPLICIT or None in _IMPLICIT else rest
            mapping[key] = value
            if alone and len(line) <= _LONGEST_LINE_KEPT:
                kept = value if type(value) in _IMMUTABLE else _kept(value, rest)
                if kept is not _UNKNOWN:
                    store = known_lines if line is not first else _FIRST_ENTRIES
                    if len(store) < _LINES_KEPT:
                        store[line] = (key, kept, count)
            line = None
        self.index = index
        self.nodes += nodes
        return mapping

    def _fresh(self, kept: _Fresh, depth: int) -> Any:
        """A known line's flow collection, made anew for this document, one level below ``depth`` (else declined)."""
        if depth + 1 >= self.max_depth:
            raise _Declined
        return kept.make(kept.data)

    def _not_blank(self, index: int) -> tuple[int, int]:
        """The first line from ``index`` that is not blank, and its indentation (``_END`` past the last line)."""
        indents = self.indents
        at = indents[index]
        while at == _BLANK:
            index += 1
            at = indents[index]
        return index, at

    def _block_goes_on(self, index: int, indent: int) -> tuple[int, bool]:
        """Where a block at ``indent`` goes on after a line that is not at ``indent``: the next line that is not blank,
        and whether it is at ``indent`` (the block goes on) or less indented, or the end (the block ends there).

        A line indented more, where a block's next key or item should be, is declined. Asked only when the next line
        is not at the block's indentation: the lines of a block, one after the other, need no call.
        """
        index, at = self._not_blank(index)
        if at > indent:
            raise _Declined
        return index, at == indent

    def nested(self, indent: int, depth: int) -> Any:
        """The value of a key written alone on its line at ``indent``: the block below it, or null."""
        index, at = self._not_blank(self.index)
        self.index = index
        if at >= indent and self.lines[index].startswith("- ", at):
            return self.sequence(at, depth)
        if at > indent:
            return self.mapping(at, depth)
        self.nodes += 1
        return None

    def sequence(self, indent: int, depth: int) -> list[Any]:
        """A block list whose dashes are at ``indent``."""
        if depth >= self.max_depth:
            raise _Declined
        items: list[Any] = []
        lines, indents, index = self.lines, self.indents, self.index
        known_lines = _ONE_LINE_ITEMS
        nodes = 1  # the values counted here; the methods called count theirs in self.nodes
        content = indent + 2
        while True:
            if indents[index] != indent:
                index, goes_on = self._block_goes_on(index, indent)
                if not goes_on:
                    break
            line = lines[index]
            # A line known as an item has its dash at its indentation.
            known = known_lines.get(line)
            if known is not None and indents[index + 1] <= indent:  # an item read before, with nothing below it
                item, count = known
                index += 1
                nodes += count
                if type(item) is _Fresh:
                    item = self._fresh(item, depth)
                items.append(item)
                continue
            if not line.startswith("- ", indent):
                break  # a key at the dashes' indentation ends the list
            if line[content : content + 1] in ("", " "):
                raise _Declined
            if ":" in line and _PLAIN_KEY.match(line, content):  # a key and its colon: the item is a mapping
                self.index = index
                items.append(self.mapping(content, depth + 1, line))
                index = self.index
                continue
            index += 1
            value = line[content:].rstrip(" ")
            alone = indents[index] <= indent
            if not alone or not _one_plain_line(value):
                before = self.nodes
                self.index = index
                item = self.inline(value, indent, depth + 1)
                index = self.index
                count = self.nodes - before
            else:  # a plain item on one line
                count = 1
                nodes += 1
                item = _resolved(value) if value[0] in _IMPLICIT or None in _IMPLICIT else value
            items.append(item)
            if alone and len(line) <= _LONGEST_LINE_KEPT and len(known_lines) < _LINES_KEPT:
                kept = item if type(item) in _IMMUTABLE else _kept(item, value)
                if kept is not _UNKNOWN:
                    known_lines[line] = (kept, count)
        self.index = index
        self.nodes += nodes
        return items

    def inline(self, value: str, indent: int, depth: int) -> Any:
        """A value written after its key or dash, whose node is at ``indent``: with the lines below it deeper."""
        opening = value[0]
        if opening in "[{":
            return self.flow(value, depth)
        lines, indents, index = self.lines, self.indents, self.index
        parts = [value]
        while indents[index] > indent:
            parts.append(lines[index].strip(" "))
            index += 1
        self.index = index
        self.nodes += 1
        if opening in _QUOTED:
            quoted = _QUOTED[opening].fullmatch("\n".join(parts))
            if quoted is None:
                raise _Declined
            text = quoted.group(1).replace("\n", " ")
            return text.replace("''", "'") if opening == "'" else text
        for part in parts:
            _plain_part(part)
        return _resolved(" ".join(parts) if len(parts) > 1 else value)

    def flow(self, value: str, depth: int) -> list[Any] | dict[str, Any]:
        """``[a, b]`` or ``{a: b}`` of plain values, on one line."""
        match = _FLOW.fullmatch(value)
        if match is None or (value[0] == "[") != (value[-1] == "]") or depth >= self.max_depth:
            raise _Declined
        self.nodes += 1
        inside = match.group(1)
        if not inside.strip(" "):
            return [] if value[0] == "[" else {}
        entries = [entry.strip(" ") for entry in inside.split(",")]
        if value[0] == "[":
            items = []
            for entry in entries:
                _plain_part(entry)
                if ":" in entry:
                    raise _Declined
                items.append(_resolved(entry))
            self.nodes += len(items)
            return items
        mapping: dict[str, Any] = {}
        for entry in entries:
            key, colon, item = entry.partition(": ")
            key, item = key.rstrip(" "), item.lstrip(" ")
            _plain_part(key)
            _plain_part(item)
            if not colon or ":" in key or ":" in item or key in mapping or _resolved(key) is not key:
                raise _Declined
            mapping[key] = _resolved(item)
        self.nodes += 2 * len(mapping)
        return mapping


def _plain_load(text: str, line_offset: int, limits: YamlLimits, source: Callable[[], str] | None) -> YamlDocument:
    """Load the YAML of a plain front matter line by line (``_PlainReader``), or raise ``_Declined``."""
    if not text or not _is_plain_text(text):
        raise _Declined
    value = _PlainReader(text).document(limits)
    locate = _Relocate(source or _Same(text), line_offset, limits)
    return YamlDocument(value, start=Mark(1 + line_offset, 1), locate=locate)


def load_yaml(
    text: str,
    *,
    line_offset: int = 0,
    limits: YamlLimits | None = None,
    loader: type | None = None,
    source: Callable[[], str] | None = None,
) -> YamlDocument:
    """Load one YAML document from ``text`` with positions shifted by ``line_offset`` lines.

    Raises ``YamlProblem`` for invalid YAML, duplicate keys, unsupported tags,
    several documents, and documents deeper or larger than ``limits``.
    ``loader`` is the PyYAML loader whose events are read (libyaml's when present).
    ``source`` gives ``text`` again when positions are first asked for, so that the
    document need not keep it (by default it does).
    """
    limits = limits or YamlLimits()
    if loader is None and Loader is not yaml.SafeLoader:
        try:
            return _plain_load(text, line_offset, limits, source)
        except _Declined:
            pass
        try:
            return _quick_load(text, line_offset, limits, source)
        except _Declined:
            pass
    loader = loader or Loader
    positions: dict[KeyPath, Mark] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Collection] = []
    total = 0
    root: Any = None
    documents = 0
    start = Mark(1 + line_offset, 1)
    lines = _Lines(text, line_offset)

    def count(size: int, mark: Mark) -> None:
        nonlocal total
        total += size
        if total > limits.max_nodes:
            raise YamlProblem(
                "complexity",
                _("the YAML expands to more than {count} values (alias bomb?)").format(
                    count=fmt.number(limits.max_nodes)
                ),
                mark,
            )

    def attach(value: Any, size: int, mark: Mark) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        parent = stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            positions[(*parent.path, len(parent.value))] = mark
            parent.value.append(value)
        elif parent.expecting_key:
            if isinstance(value, (list, dict)):
                raise YamlProblem("syntax", _("a key must be a plain value, not a list or mapping"), mark)
            if value in parent.value:
                raise YamlProblem("syntax", _("duplicate key '{key}'").format(key=value), mark)
            parent.pending_key, parent.key_mark = value, mark
            parent.expecting_key = False
        else:
            key = parent.pending_key
            parent.value[key] = value
            positions[(*parent.path, key)] = parent.key_mark or mark
            parent.expecting_key = True

    def child_path() -> KeyPath:
        if not stack:
            return ()
        parent = stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        return (*parent.path, parent.pending_key)

    try:
        for event in _events(text, loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "syntax",
                        _("only one YAML document is allowed here"),
                        lines.mark(event.start_mark),
                    )
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                mark = lines.mark(event.start_mark)
                if stack and isinstance(stack[-1].value, dict) and stack[-1].expecting_key:
                    raise YamlProblem("syntax", _("a key must be a plain value, not a list or mapping"), mark)
                if len(stack) >= limits.max_depth:
                    raise YamlProblem(
                        "complexity",
                        _("the YAML nests deeper than {count} levels").format(count=limits.max_depth),
                        mark,
                    )
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise YamlProblem("syntax", _("unsupported tag '{tag}'").format(tag=event.tag), mark)
                value: list[Any] | dict[Any, Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
                count(1, mark)
                stack.append(_Collection(child_path(), value, event.anchor, mark))
                if len(stack) == 1:
                    start = mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if done.anchor is not None:
                    anchors[done.anchor] = (done.value, done.size)
                attach(done.value, done.size, done.mark)
            elif isinstance(event, yaml.ScalarEvent):
                mark = lines.mark(event.start_mark)
                value = _scalar(event, mark)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                if not stack:
                    start = mark
                count(1, mark)
                attach(value, 1, mark)
            elif isinstance(event, yaml.AliasEvent):
                mark = lines.mark(event.start_mark)
                if event.anchor not in anchors:
                    raise YamlProblem(
                        "syntax",
                        _("a value cannot start with '*' (YAML reads it as an alias): {quote_it}").format(
                            quote_it=_(_QUOTE_IT)
                        )
                        + f" (YAML: unknown alias '*{event.anchor}')",
                        mark,
                    )
                value, size = anchors[event.anchor]
                count(size, mark)
                attach(value, size, mark)
    except yaml.MarkedYAMLError as error:
        where = error.problem_mark or error.context_mark
        mark = lines.mark(where) if where is not None else start
        reason = error.problem or error.context or "invalid YAML"
        if "nesting depth" in reason and loader is not yaml.SafeLoader:
            # libyaml 0.2.5+ scans ahead and stops at its own depth limit before our smaller one is reached:
            # read again with PyYAML's own parser, which streams, to report our limit where it is passed.
            return load_yaml(text, line_offset=line_offset, limits=limits, loader=yaml.SafeLoader)
        if "nesting depth" in reason:
            raise YamlProblem(
                "complexity", _("the YAML nests too deep ({reason})").format(reason=reason), mark
            ) from None
        message, mark = _explain(error, reason, mark, lines)
        raise YamlProblem("syntax", message, mark) from None
    except yaml.reader.ReaderError as error:
        # The C reader gives a byte offset: find the character instead, the first of its kind.
        character = error.character if isinstance(error.character, int) else None
        index = text.find(chr(character)) if character is not None else -1
        raise YamlProblem(
            "syntax",
            _("the character {character} is not allowed in YAML (a control character?); remove it").format(
                character=f"U+{character:04X}"
            )
            if character is not None
            else _("a character is not allowed in YAML (a control character?); remove it"),
            lines.at(index) if index >= 0 else start,
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem("syntax", str(error), start) from None
    except UnicodeError as error:  # a lone surrogate: never in a file read as UTF-8
        raise YamlProblem(
            "syntax", _("the text cannot be read as YAML: {reason}").format(reason=error), start
        ) from None
    return YamlDocument(root, positions, start)
