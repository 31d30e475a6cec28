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
from functools import cached_property
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
