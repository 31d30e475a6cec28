"""Reading playbook files: bounded, UTF-8 text, and Markdown split into front matter and body.

Positions come from the parsers: markdown-it-py's front-matter token gives the
lines of the block, and the YAML loader the lines of each key inside it.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pptoolkit.checking.rules.files import (
    EMPTY_FILE,
    FILE_TOO_LARGE,
    LINE_TOO_LONG,
    NO_FRONT_MATTER,
    NOT_A_MAPPING,
    NOT_UTF8,
    TOO_MUCH_MARKUP,
    UNREADABLE,
    YAML_SYNTAX,
    YAML_TOO_COMPLEX,
)
from pptoolkit.checking.rules.front_matter import INVALID_VALUE
from pptoolkit.i18n import _
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.diagnostics import Diagnostic, Location, Rule
from pptoolkit.model.settings import Limits
from pptoolkit.reading.links import BodyLink, body_links
from pptoolkit.reading.yamlsource import YamlDocument, YamlLimits, YamlProblem, load_yaml

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


class FileProblem(Exception):
    """A file that cannot be used, with the rule it breaks and where."""

    def __init__(self, rule: Rule, where: Location, message: str) -> None:
        super().__init__(message)
        self.diagnostic: Diagnostic = rule.at(where, message)


class Heading(NamedTuple):
    """A heading of the body: its level (1 for `#`), text and 1-based line."""

    level: int
    text: str
    line: int


class HtmlFragment(NamedTuple):
    """Raw HTML written in the body, and the 1-based line and column where it starts."""

    content: str
    line: int
    column: int = 1


class TextChanged(OSError):
    """A file's text, taken from the cache by its digest, is no longer what was checked: nothing of it is used."""

    def __init__(self, relative: str) -> None:
        super().__init__(0, _("the file changed after it was checked; run the command again"), relative)


DIGEST_SIZE = 20
_BOM = "\ufeff".encode()


def text_digest(text: str) -> bytes:
    """What identifies a text in the cache: the BLAKE2b hash (20 bytes) of its UTF-8."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()


class FileText:
    """A file's text known by its digest: read from the file only when asked for, and only if it is still that text.

    A check that finds a file unchanged since the last (see ``loading/cache.py``) takes every answer about it
    from the cache and never reads it; the site and the paper edition read it when they publish it, and a
    text whose digest is not the one checked is refused (:class:`TextChanged`), never published.
    """

    __slots__ = ("_text", "digest", "file", "limits", "relative")

    def __init__(self, file: str, relative: str, limits: Limits, digest: bytes, text: str | None = None) -> None:
        self.file, self.relative, self.limits, self.digest, self._text = file, relative, limits, digest, text

    @property
    def text(self) -> str:
        """The file's text, read when first asked for: TextChanged when it cannot be read or is not the text checked."""
        if self._text is None:
            try:
                text, _, digest = read_file(self.file, self.relative, self.limits)
            except FileProblem:
                raise TextChanged(self.relative) from None
            if digest != self.digest:
                raise TextChanged(self.relative)
            self._text = text
        return self._text

    def let_go(self) -> None:
        """Forget the text, once the rules that read it are done: it is read again, and checked, if asked for."""
        self._text = None

    def consulted(self) -> None:
        """Say that something found in the text (the positions of its front matter's keys) was used besides its answers.

        Nothing to do here; a check that keeps a trace of what it read (``reading/trace.py``) counts the whole
        text as read, as if ``text`` had been asked for: those positions are in no remembered answer.
        """


def text_of(source: str | FileText) -> str:
    """The text of ``source``: itself, or the file's text read when first asked for."""
    return source if isinstance(source, str) else source.text


@dataclass(frozen=True, slots=True)
class MarkdownDocument:
    """A Markdown artifact: its front matter (with positions), the structure of its body, and its links.

    ``source`` is its text, or, for an artifact restored from the cache, the file's text read when asked for.
    """

    path: str
    source: str | FileText
    front_matter: YamlDocument
    body_line: int
    headings: tuple[Heading, ...] = ()
    html: tuple[HtmlFragment, ...] = field(default=())
    links: tuple[BodyLink, ...] = ()

    def without_front_matter_values(self) -> MarkdownDocument:
        """This document keeping only the positions of its front matter, once a model holds its values."""
        located = self.front_matter.located_only()  # made directly: dataclasses.replace looks up every field
        return MarkdownDocument(self.path, self.source, located, self.body_line, self.headings, self.html, self.links)

    @property
    def text(self) -> str:
        """The file's whole text (read when first asked for, for an artifact restored from the cache)."""
        return text_of(self.source)

    @property
    def body(self) -> str:
        """The body after the front matter, lines joined with '\\n' (made when asked for: only the site needs it)."""
        return body_of(self.text, self.body_line)


def body_of(text: str, body_line: int) -> str:
    """The body of a Markdown ``text`` whose body starts on line ``body_line``, lines joined with '\\n'."""
    skipped = body_line - 1
    if "\r" in text:
        return "\n".join(split_lines(text)[skipped:])
    # Without '\r' the lines end at '\n' alone: the body is the text after the skipped lines, less one final
    # '\n' (what joining its lines gives), found without splitting every line of a long text.
    parts = text.split("\n", skipped) if skipped else [text]
    if len(parts) <= skipped:
        return ""
    body = parts[-1]
    return body[:-1] if body.endswith("\n") else body


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as editors and Markdown count them: broken at CR LF, CR or LF only.

    Unlike ``str.splitlines``, form feeds, U+2028 and other Unicode separators stay inside their line,
    so that line numbers agree with markdown-it's and the editor's.
    """
    lines = text.split("\n") if "\r" not in text else LINE_BREAK.split(text)  # most texts: split in C
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@lru_cache(maxsize=1)
def _commonmark() -> MarkdownIt:
    """markdown-it-py as CommonMark reads a page's body (no front matter), made once: a site asks it for every page."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """markdown-it-py with front matter, imported when first needed: plain artifacts never need it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin)


_TAG_START = re.compile(r"<[A-Za-z!?/]")
_OPENER = re.compile(r"[\[<]")


def markup_overload(text: str, limits: Limits) -> tuple[int, int, str] | None:
    """Where a Markdown text first goes over the limits on markup openers (1-based line, column, why), or None.

    Python-Markdown, the site's renderer, takes time that grows with the square of the brackets
    it cannot close in a paragraph (``[[[…``, ``![![…``, ``[a](``), and, for each tag it cannot
    close on its line (``<a ``, ``<![CDATA[``), with the length of the rest of the text: a page of
    either stops a build for minutes. ``limits.max_markup_openers`` bounds the ``[`` and ``<`` of a
    text; ``limits.max_unclosed_tags`` the tag starts with no ``>`` after them on their line.
    """
    tags = text.count("<") if "<" in text else 0  # most texts have none: one quick search, not a count
    if tags <= limits.max_unclosed_tags and tags + text.count("[") <= limits.max_markup_openers:
        return None
    openers = unclosed = 0
    for number, line in enumerate(split_lines(text), start=1):
        if "[" not in line and "<" not in line:
            continue
        last_close = line.rfind(">")
        for found in _OPENER.finditer(line):
            openers += 1
            if openers > limits.max_markup_openers:
                return (
                    number,
                    found.start() + 1,
                    _("more than {count} '[' and '<' (limits.max_markup_openers)").format(
                        count=fmt.number(limits.max_markup_openers)
                    ),
                )
            if found.group() == "<" and found.start() > last_close and _TAG_START.match(line, found.start()):
                unclosed += 1
                if unclosed > limits.max_unclosed_tags:
                    return (
                        number,
                        found.start() + 1,
                        _("more than {count} tags not closed on their line (limits.max_unclosed_tags)").format(
                            count=fmt.number(limits.max_unclosed_tags)
                        ),
                    )
    return None


def too_much_markup(text: str, relative: str, limits: Limits, first_line: int = 1) -> Diagnostic | None:
    """A located PP110 when ``text`` (of the file ``relative``, from line ``first_line``) is over a markup limit."""
    found = markup_overload(text, limits)
    if found is None:
        return None
    line, column, why = found
    return TOO_MUCH_MARKUP.at(
        Location(relative, line + first_line - 1, column),
        _(
            "the text holds {what}: the site's Markdown renderer would take minutes over it; split it, "
            "or write the characters as '&#91;' and '&lt;'"
        ).format(what=why),
    )


_CHUNK = 1 << 16


def read_text(file: Path | str, relative: str, limits: Limits) -> str:
    """Return the file's text, refusing files over the size limit, not UTF-8, or with overlong lines."""
    return _read(file, relative, limits)[0]


class TextRead(NamedTuple):
    """A file's text (as ``read_text`` gives it), the file's status taken before it was read, and the text's digest."""

    text: str
    status: os.stat_result
    digest: bytes


def read_file(file: Path | str, relative: str, limits: Limits) -> TextRead:
    """``read_text``, with the file's status (for the cache's manifest) and the text's ``text_digest``.

    The digest is taken of the bytes read, which are the text's UTF-8 (less a byte order mark): the text
    need not be encoded again (18 MB at 5,000 artifacts).
    """
    text, status, data = _read(file, relative, limits)
    return TextRead(text, status, hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest())


def _read(file: Path | str, relative: str, limits: Limits) -> tuple[str, os.stat_result, bytes]:
    """The file's text, its status taken once it is open (before it is read), and its text's UTF-8 as read."""
    try:
        # Unbuffered, read with os.read: no buffer, and two reads, for each of the thousands of files a check reads.
        with open(file, "rb", buffering=0) as handle:
            descriptor = handle.fileno()
            status = os.fstat(descriptor)
            if status.st_size > limits.max_file_bytes:
                raise FileProblem(
                    FILE_TOO_LARGE,
                    Location(relative),
                    _("the file is {size} bytes; the limit is {limit} bytes").format(
                        size=fmt.number(status.st_size), limit=fmt.number(limits.max_file_bytes)
                    ),
                )
            data = os.read(descriptor, status.st_size + 1)
            if data:  # to the end, as read() reads, even if the file grew since its size was taken
                more = os.read(descriptor, _CHUNK)
                while more:
                    data += more
                    more = os.read(descriptor, _CHUNK)
    except OSError as error:
        raise FileProblem(
            UNREADABLE, Location(relative), _("cannot be read: {reason}").format(reason=error.strerror)
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Lines and columns in characters, lines broken as everywhere else (CR LF, CR or LF).
        before = LINE_BREAK.split(data[: error.start].decode("utf-8").removeprefix("\ufeff"))
        line, column = len(before), len(before[-1]) + 1
        raise FileProblem(
            NOT_UTF8,
            Location(relative, line, column),
            _("the file is not UTF-8 text (byte {byte}); save it as UTF-8").format(byte=f"0x{data[error.start]:02x}"),
        ) from None
    if text.startswith("\ufeff"):
        text, data = text[1:], data[len(_BOM) :]
    if len(text) <= limits.max_line_length:
        return text, status, data  # no line can be too long
    for number, line_text in enumerate(split_lines(text), start=1):
        if len(line_text) > limits.max_line_length:
            raise FileProblem(
                LINE_TOO_LONG,
                Location(relative, number, limits.max_line_length + 1),
                _("line {line} has {count} characters; the limit is {limit}").format(
                    line=number, count=fmt.number(len(line_text)), limit=fmt.number(limits.max_line_length)
                ),
            )
    return text, status, data


@lru_cache(maxsize=8)
def yaml_limits(limits: Limits) -> YamlLimits:
    """The YAML part of the playbook's limits (one object for all the files of a check)."""
    return YamlLimits(max_depth=limits.max_yaml_depth, max_nodes=limits.max_yaml_nodes)


def load_yaml_file(text: str, relative: str, limits: Limits) -> YamlDocument:
    """Load a YAML data file (roles, waivers, matrix), raising FileProblem with its position."""
    try:
        return load_yaml(text, limits=yaml_limits(limits))
    except YamlProblem as problem:
        raise _yaml_file_problem(problem, relative) from None


def _yaml_file_problem(problem: YamlProblem, relative: str) -> FileProblem:
    rules = {"complexity": YAML_TOO_COMPLEX, "value": INVALID_VALUE}
    rule = rules.get(problem.kind, YAML_SYNTAX)
    where = Location(relative, problem.mark.line, problem.mark.column)
    return FileProblem(rule, where, problem.message)


def _inline_positions(fragments: list[str], lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The 1-based line and column of each inline fragment, in order, among lines[start:end]."""
    positions = []
    number, column = start, 0
    for fragment in fragments:
        first = fragment.split("\n", 1)[0]
        for candidate in range(number, min(end, len(lines))):
            index = lines[candidate].find(first, column if candidate == number else 0)
            if index >= 0:
                number, column = candidate, index + len(first)
                positions.append((candidate + 1, index + 1))
                break
        else:
            positions.append((start + 1, 1))
    return positions


def html_fragments(tokens: list[Token], lines: list[str]) -> list[HtmlFragment]:
    """The raw HTML of parsed Markdown (blocks and inline tags), each at its 1-based line and column."""
    html: list[HtmlFragment] = []
    for token in tokens:
        if token.type == "html_block" and token.map:
            html.append(HtmlFragment(token.content, token.map[0] + 1))
        elif token.type == "inline" and token.children:
            inline = [child.content for child in token.children if child.type == "html_inline"]
            first, last = token.map or (0, 0)
            positions = _inline_positions(inline, lines, first, last)
            html.extend(HtmlFragment(content, *where) for content, where in zip(inline, positions, strict=True))
    return html


class MarkdownTarget(NamedTuple):
    """The target of a link or an image as markdown-it reads it (references resolved), and where it is written."""

    target: str
    image: bool
    line: int
    column: int


@lru_cache(maxsize=1)
def _markdown_as_written() -> MarkdownIt:
    """markdown-it-py keeping every link target as written (character references decoded), whatever its scheme.

    markdown-it drops links it deems unsafe (``javascript:``) and percent-encodes the rest; the
    checker must see both as the browser would.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    markdown = MarkdownIt("commonmark").use(front_matter_plugin)
    markdown.validateLink = lambda url: True  # type: ignore[method-assign]
    markdown.normalizeLink = lambda url: url  # type: ignore[method-assign]
    markdown.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return markdown


def markdown_targets(text: str, first_line: int = 1) -> list[MarkdownTarget]:
    """Every link and image target of Markdown ``text``: inline, by reference (resolved) and autolinks.

    Each is located where its target is written, in its paragraph or at its reference definition;
    a target that is not written as read (a character reference in it) is at its paragraph's first line.
    """
    lines = split_lines(text)
    found: list[MarkdownTarget] = []
    definitions: dict[str, tuple[int, int]] | None = None
    for token in _markdown_as_written().parse(text):
        if token.type != "inline" or not token.children or not token.map:
            continue
        first, last = token.map
        cursor = (first, 0)
        for child in token.children:
            if child.type not in ("link_open", "image"):
                continue
            target = str(child.attrGet("href") if child.type == "link_open" else child.attrGet("src") or "")
            # Two lines at most from the last target: a target written otherwise costs no more than that.
            line, column = find_in_lines(lines, min(last, cursor[0] + 2), target, cursor) if target else cursor
            if not target or not lines[line][column:].startswith(target):
                if definitions is None:
                    definitions = _definitions(lines)
                line, column = definitions.get(target, (first, 0))
            else:
                cursor = (line, column + 1)
            found.append(MarkdownTarget(target, child.type == "image", line + first_line, column + 1))
    return found


def find_in_lines(lines: list[str], last: int, needle: str, start: tuple[int, int]) -> tuple[int, int]:
    """The 0-based line and column of ``needle`` from ``start`` on, before line ``last`` (``start`` when absent)."""
    line, column = start
    for index in range(line, min(last, len(lines))):
        found = lines[index].find(needle, column if index == line else 0)
        if found >= 0:
            return index, found
    return start


def _definitions(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Where each reference definition ``[label]: target`` writes its target, by target (the first one)."""
    definitions: dict[str, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        after = line.find("]:")
        if after >= 0:
            rest = line[after + 2 :]
            words = rest.split(maxsplit=1)
            if words:
                target = words[0].removeprefix("<").removesuffix(">")
                definitions.setdefault(target, (index, line.find(target, after + 2)))
    return definitions


def markdown_html(text: str) -> list[HtmlFragment]:
    """The raw HTML of a Markdown page without front matter semantics (content pages, evidence files)."""
    if "<" not in text:  # every raw HTML block and tag starts with '<'
        return []
    return html_fragments(_markdown().parse(text), split_lines(text))


@dataclass(frozen=True)
class Structure:
    """What the checker needs of a Markdown file's block structure.

    ``front_matter`` is the YAML text between the fences and ``front_lines`` the 0-based
    lines ``[first, after]`` of the block, fences included; both are None without one.
    ``body`` is the text after the block, lines joined by '\\n'.
    """

    front_matter: str | None
    front_lines: tuple[int, int] | None
    headings: tuple[Heading, ...]
    html: tuple[HtmlFragment, ...]
    body: str = ""


def parsed_structure(text: str, lines: list[str]) -> Structure:
    """The structure as markdown-it-py parses it: always right, and the slow way.

    A block that markdown-it closes with another line than ``---`` or ``...`` (such as ``----``)
    is no front matter for the checker: it reports it as not closed.
    """
    tokens = _markdown().parse(text)
    front = tokens[0] if tokens and tokens[0].type == "front_matter" and tokens[0].map else None
    if front and front.map:
        start, end = front.map
        closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
        if end - start < 2 or closing not in ("---", "..."):
            front = None
    headings = [
        Heading(int(token.tag[1]), sys.intern(tokens[index + 1].content), token.map[0] + 1)
        for index, token in enumerate(tokens[:-1])
        if token.type == "heading_open" and token.map
    ]
    front_lines = (front.map[0], front.map[1]) if front and front.map else None
    return Structure(
        front.content if front else None,
        front_lines,
        tuple(headings),
        tuple(html_fragments(tokens, lines)),
        "\n".join(lines[front_lines[1] :]) if front_lines else "",
    )


# The searches below start each line with the '\n' before it, so that the regex engine
# skips from line break to line break instead of trying every character.
# A line that might close the front matter, for markdown-it: '...', or '---' after spaces.
_CLOSING = re.compile(r"\n(?:\.\.\.| *---)")
# Body lines whose meaning depends on the lines around them: setext underlines and thematic
# breaks, blockquotes, and headings that are indented or inside list items (fences: see below).
_NEEDS_PARSER = re.compile(r"\n(?: *[=-][ =-]*(?:\n|$)| *>| +#| *(?:(?:[-+*]|\d{1,9}[.)])(?: +|$))+[#>])")
# A heading line (its text in the group), or a line that needs the parser: one search over the body finds both.
# They start with different characters ('#', or a space, '=', '-', '>', '+', '*', a digit), so at each line
# break at most one of them matches, and the first line that needs the parser is found where _NEEDS_PARSER finds it.
_HEADING_OR_NEEDS_PARSER = re.compile(r"\n(?:(#[^\n]*)|" + _NEEDS_PARSER.pattern.removeprefix("\\n(?:"))
_UNCLOSED = Structure(None, None, (), ())


def _atx_heading(line: str) -> tuple[int, str] | None:
    """The level and text of a line ``#`` to ``######``, spaces, text without ``#``; None for any other line.

    String methods, not a regular expression: a pattern such as ``#{1,6}(?: +([^#]*?))? *``
    backtracks in cubic time on ``#`` followed by many spaces and a ``#``.
    """
    rest = line.lstrip("#")
    level = len(line) - len(rest)
    if not 1 <= level <= 6 or "#" in rest or rest[:1] not in ("", " "):
        return None
    return level, rest.strip(" ")


_HEADINGS: dict[str, tuple[int, str]] = {}
"""Heading lines already read, with their level and text: every artifact of a kind has the same sections."""


def quick_structure(text: str) -> Structure | None:
    """The structure of a plain artifact, found with a few searches, or None when markdown-it must decide.

    An artifact is plain when its front matter is fenced by lines that are exactly ``---``,
    its body has no '<' (so no raw HTML), no tab, no fence, no setext underline or
    thematic break, and no heading or blockquote except ``#`` headings at the start of a
    line. Then every heading starts a line with ``#`` and every such line is a heading,
    so the answer is markdown-it's (``tests/test_documents.py`` checks it on generated files).
    Front matter that is never closed is no front matter, for markdown-it too.
    """
    if not text.startswith("---\n") or "\r" in text or "\0" in text or "\t" in text:
        return None
    closing = _CLOSING.search(text, 3)
    if closing is None:
        return _UNCLOSED
    fence = closing.start() + 1
    line_end = text.find("\n", fence)
    line_end = len(text) if line_end < 0 else line_end
    if text[fence:line_end] != "---":
        return None  # another closing fence that markdown-it may accept
    close = text.count("\n", 0, fence)  # the closing fence's 0-based line
    body = text[line_end + 1 : len(text) - 1 if text.endswith("\n") else len(text)]  # one copy, without the last break
    # A fence is looked for only where a search for one character finds a backtick or a tilde: it is slower.
    if "<" in body or ("`" in body and "```" in body) or ("~" in body and "~~~" in body):
        return None
    headings = []
    number, counted = close + 1, line_end
    for line in _HEADING_OR_NEEDS_PARSER.finditer(text, line_end):
        written = line.group(1)
        if written is None:
            return None  # a line whose meaning depends on the lines around it
        heading = _HEADINGS.get(written)
        if heading is None:
            heading = _atx_heading(written)
            if heading is None or heading[1] != heading[1].strip():  # markdown-it trims more than ASCII spaces
                return None
            heading = (heading[0], sys.intern(heading[1]))  # sections repeat: kept once
            if len(_HEADINGS) < 4096:
                _HEADINGS[written] = heading
        number += text.count("\n", counted, line.start() + 1)
        counted = line.start() + 1
        headings.append(Heading(heading[0], heading[1], number))
    return Structure(text[4 : fence - 1], (0, close + 1), tuple(headings), (), body)


def _structure(text: str) -> Structure:
    return quick_structure(text) or parsed_structure(text, split_lines(text))


@dataclass(frozen=True, slots=True)
class _FrontMatterOf:
    """The front matter of an artifact's text, found again when its positions are first asked for.

    The document keeps its source anyway, so the front matter need not be kept twice; a file's text
    that the check let go of is read again (and checked against its digest) only then.
    """

    source: str | FileText

    def __call__(self) -> str:
        return _structure(text_of(self.source)).front_matter or ""


def parse_markdown(source: str | FileText, relative: str, limits: Limits) -> MarkdownDocument:
    """Split an artifact into front matter and body; raise FileProblem when it has no usable front matter.

    The document keeps ``source``: a file's text known by its digest (``FileText``) can be let go of once
    the rules that read it are done, and is read again only if asked for.
    """
    text = text_of(source)
    if not text or text.isspace():  # as text.strip() would say, without a copy of the text
        raise FileProblem(
            EMPTY_FILE,
            Location(relative),
            _("the file is empty; an artifact needs front matter"),
        )
    structure = _structure(text)
    if structure.front_matter is None or structure.front_lines is None:
        if text.lstrip("\ufeff").startswith("---"):
            raise FileProblem(
                NO_FRONT_MATTER,
                Location(relative),
                _("the front matter block is not closed by a line '---'"),
            )
        raise FileProblem(
            NO_FRONT_MATTER,
            Location(relative),
            _("the file does not start with a front matter block: a line '---', the YAML fields, and a closing '---'"),
        )
    start, end = structure.front_lines
    try:
        front_matter = load_yaml(
            structure.front_matter,
            line_offset=start + 1,
            limits=yaml_limits(limits),
            source=_FrontMatterOf(source),
        )
    except YamlProblem as problem:
        raise _yaml_file_problem(problem, relative) from None
    if not isinstance(front_matter.value, dict):
        raise FileProblem(
            NOT_A_MAPPING,
            Location(relative, start + 2 if front_matter.value is not None else 1),
            _("the front matter must be 'key: value' lines (id, kind, title, owner, ...)"),
        )
    return MarkdownDocument(
        path=relative,
        source=source,
        front_matter=front_matter,
        body_line=end + 1,
        headings=structure.headings,
        html=structure.html,
        links=tuple(body_links(structure.body, end + 1)),
    )


def first_title(markdown: str) -> str | None:
    """The text of the first level-1 heading of ``markdown`` (as markdown-it reads it), or None.

    MkDocs takes a page's title from its first heading only when nothing comes before it; the
    sample's evidence files open with a line saying they are fictitious, and were titled from their
    file names ("Compensation paid 2026 h1").
    """
    if "#" not in markdown and "=" not in markdown:
        return None
    tokens = _commonmark().parse(markdown)
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and token.tag == "h1":
            inline = tokens[index + 1]
            text = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
            return " ".join(text.split()) or None
    return None
