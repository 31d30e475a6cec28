"""Reading playbook files: bounded, UTF-8 text, and Markdown split into front matter and body.

Positions come from the parsers: markdown-it-py's front-matter token gives the
lines of the block, and the YAML loader the lines of each key inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from pptoolkit import catalog
from pptoolkit.diagnostics import Diagnostic, Location, Rule
from pptoolkit.settings import Limits
from pptoolkit.yamlsource import YamlDocument, YamlLimits, YamlProblem, load_yaml


class FileProblem(Exception):
    """A file that cannot be used, with the rule it breaks and where."""

    def __init__(self, rule: Rule, where: Location, message: str) -> None:
        super().__init__(message)
        self.diagnostic: Diagnostic = rule.at(where, message)


@dataclass(frozen=True)
class Heading:
    """A heading of the body: its level (1 for `#`), text and 1-based line."""

    level: int
    text: str
    line: int


@dataclass(frozen=True)
class HtmlFragment:
    """Raw HTML written in the body, and the 1-based line and column where it starts."""

    content: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class MarkdownDocument:
    """A Markdown artifact: its front matter (with positions) and its body."""

    path: str
    text: str
    front_matter: YamlDocument
    body: str
    body_line: int
    headings: tuple[Heading, ...] = ()
    html: tuple[HtmlFragment, ...] = field(default=())


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as editors and Markdown count them: broken at CR LF, CR or LF only.

    Unlike ``str.splitlines``, form feeds, U+2028 and other Unicode separators stay inside their line,
    so that line numbers agree with markdown-it's and the editor's.
    """
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin)


_MD = _markdown()


def read_text(file: Path, relative: str, limits: Limits) -> str:
    """Return the file's text, refusing files over the size limit, not UTF-8, or with overlong lines."""
    try:
        size = file.stat().st_size
        if size > limits.max_file_bytes:
            raise FileProblem(
                catalog.FILE_TOO_LARGE,
                Location(relative),
                f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,} bytes",
            )
        data = file.read_bytes()
    except OSError as error:
        raise FileProblem(catalog.NOT_UTF8, Location(relative), f"cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Lines and columns in characters, lines broken as everywhere else (CR LF, CR or LF).
        before = LINE_BREAK.split(data[: error.start].decode("utf-8").removeprefix("\ufeff"))
        line, column = len(before), len(before[-1]) + 1
        raise FileProblem(
            catalog.NOT_UTF8,
            Location(relative, line, column),
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    for number, line_text in enumerate(split_lines(text), start=1):
        if len(line_text) > limits.max_line_length:
            raise FileProblem(
                catalog.LINE_TOO_LONG,
                Location(relative, number, limits.max_line_length + 1),
                f"line {number} has {len(line_text):,} characters; the limit is {limits.max_line_length:,}",
            )
    return text


def yaml_limits(limits: Limits) -> YamlLimits:
    """The YAML part of the playbook's limits."""
    return YamlLimits(max_depth=limits.max_yaml_depth, max_nodes=limits.max_yaml_nodes)


def load_yaml_file(text: str, relative: str, limits: Limits) -> YamlDocument:
    """Load a YAML data file (roles, waivers, matrix), raising FileProblem with its position."""
    try:
        return load_yaml(text, limits=yaml_limits(limits))
    except YamlProblem as problem:
        raise _yaml_file_problem(problem, relative) from None


def _yaml_file_problem(problem: YamlProblem, relative: str) -> FileProblem:
    rules = {"complexity": catalog.YAML_TOO_COMPLEX, "value": catalog.INVALID_VALUE}
    rule = rules.get(problem.kind, catalog.YAML_SYNTAX)
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


def markdown_html(text: str) -> list[HtmlFragment]:
    """The raw HTML of a Markdown page without front matter semantics (content pages, evidence files)."""
    return html_fragments(_MD.parse(text), split_lines(text))


def parse_markdown(text: str, relative: str, limits: Limits) -> MarkdownDocument:
    """Split an artifact into front matter and body; raise FileProblem when it has no usable front matter."""
    if not text.strip():
        raise FileProblem(
            catalog.EMPTY_FILE,
            Location(relative),
            "the file is empty; an artifact needs front matter",
        )
    tokens = _MD.parse(text)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        if text.lstrip("\ufeff").startswith("---"):
            raise FileProblem(
                catalog.NO_FRONT_MATTER,
                Location(relative),
                "the front matter block is not closed by a line '---'",
            )
        raise FileProblem(
            catalog.NO_FRONT_MATTER,
            Location(relative),
            "the file does not start with a front matter block: a line '---', the YAML fields, and a closing '---'",
        )
    start, end = tokens[0].map
    lines = split_lines(text)
    closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
    if end - start < 2 or closing not in ("---", "..."):
        raise FileProblem(
            catalog.NO_FRONT_MATTER,
            Location(relative),
            "the front matter block is not closed by a line '---'",
        )
    try:
        front_matter = load_yaml(tokens[0].content, line_offset=start + 1, limits=yaml_limits(limits))
    except YamlProblem as problem:
        raise _yaml_file_problem(problem, relative) from None
    if not isinstance(front_matter.value, dict):
        raise FileProblem(
            catalog.NOT_A_MAPPING,
            Location(relative, start + 2 if front_matter.value is not None else 1),
            "the front matter must be 'key: value' lines (id, kind, title, owner, ...)",
        )
    headings = [
        Heading(int(token.tag[1]), tokens[index + 1].content, token.map[0] + 1)
        for index, token in enumerate(tokens[:-1])
        if token.type == "heading_open" and token.map
    ]
    html = html_fragments(tokens, lines)
    body = "\n".join(lines[end:])
    return MarkdownDocument(
        path=relative,
        text=text,
        front_matter=front_matter,
        body=body,
        body_line=end + 1,
        headings=tuple(headings),
        html=tuple(html),
    )
