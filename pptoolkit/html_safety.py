"""Raw HTML that must never reach a reader: what runs code, and what loads from another host.

Markdown lets an editor paste HTML. The checker reports it (PP701) and the
site shows it as text, so that what an editor pasted never runs. The HTML is
read with the standard library's HTML parser, a tag at a time (attributes
may span lines, and character references such as ``jav&#x61;script:`` are
decoded before the scheme is judged).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from pptoolkit.documents import HtmlFragment, markdown_html

UNSAFE_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "form", "link", "style"}
    # SVG animation can set an attribute, such as a link's href, to a script (values="javascript:...").
    | {"animate", "animatemotion", "animatetransform", "set"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
LOADING_ATTRIBUTES = frozenset({"src", "srcset", "data", "poster", "background"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class UnsafeHtml:
    """Something in raw HTML that could run or call out: what, and where (1-based, within the fragment)."""

    what: str
    line: int
    column: int


def _position_in(raw: str, needle: str, line: int, column: int) -> tuple[int, int]:
    """The line and column of ``needle`` inside a start tag ``raw`` that begins at (line, column)."""
    index = raw.lower().find(needle.lower())
    if index < 0:
        return line, column
    before = raw[:index]
    if "\n" not in before:
        return line, column + index
    return line + before.count("\n"), index - before.rfind("\n")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[UnsafeHtml] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        column = offset + 1
        raw = self.get_starttag_text() or f"<{tag}"
        if tag in UNSAFE_TAGS:
            self.found.append(UnsafeHtml(f"<{tag}>", line, column))
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(UnsafeHtml(f"{name}=", line, column))
                return
            url = INVISIBLE.sub("", html.unescape(value or "")).lower()
            if name in URL_ATTRIBUTES and url.startswith(SCRIPT_SCHEMES):
                where = _position_in(raw, name, line, column)
                self.found.append(UnsafeHtml(f"{name}='{url.split(':', 1)[0]}:'", *where))
                return
            if name in LOADING_ATTRIBUTES and ("//" in url or url.startswith(("http:", "https:"))):
                where = _position_in(raw, name, line, column)
                self.found.append(UnsafeHtml(f"{name} loading from another host", *where))
                return

    handle_startendtag = handle_starttag


def find_unsafe(fragment: str) -> list[UnsafeHtml]:
    """Everything unsafe in a fragment of raw HTML, in order."""
    finder = _Finder()
    finder.feed(fragment)
    finder.close()
    return finder.found


def unsafe_fragments(fragments: list[HtmlFragment]) -> list[tuple[HtmlFragment, UnsafeHtml]]:
    """Each unsafe finding with the fragment it is in."""
    return [(fragment, found) for fragment in fragments for found in find_unsafe(fragment.content)]


def locate(fragment: HtmlFragment, found: UnsafeHtml) -> tuple[int, int]:
    """The file's 1-based line and column of a finding inside a fragment."""
    line = fragment.line + found.line - 1
    column = fragment.column + found.column - 1 if found.line == 1 else found.column
    return line, column


def neutralize(markdown: str, fragments: list[HtmlFragment] | None = None, first_line: int = 1) -> str:
    """``markdown`` with every line that holds unsafe raw HTML escaped, so that it shows as text.

    ``fragments`` are the raw HTML of ``markdown`` (found anew when omitted), with lines counted from
    ``first_line``; a fragment's lines are escaped whole.
    """
    lines = markdown.split("\n")
    if fragments is None:
        fragments = markdown_html(markdown)
    escape: set[int] = set()
    for fragment in fragments:
        if find_unsafe(fragment.content):
            start = fragment.line - first_line
            escape.update(range(start, start + fragment.content.count("\n") + 1))
    for index in sorted(escape):
        if 0 <= index < len(lines):
            lines[index] = html.escape(lines[index], quote=False)
    return "\n".join(lines)


HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".svg", ".xml")


class _Sanitizer(HTMLParser):
    """Copies HTML as written, except unsafe elements (shown as text) and unsafe attributes (dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.inside_unsafe: list[str] = []

    def _unsafe_attribute(self, name: str, value: str | None) -> bool:
        url = INVISIBLE.sub("", html.unescape(value or "")).lower()
        return (
            name.startswith("on")
            or (name in URL_ATTRIBUTES and url.startswith(SCRIPT_SCHEMES))
            or (name in LOADING_ATTRIBUTES and ("//" in url or url.startswith(("http:", "https:"))))
        )

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closing: bool) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in UNSAFE_TAGS:
            self.out.append(html.escape(raw, quote=False))
            if not closing:
                self.inside_unsafe.append(tag)
            return
        if not any(self._unsafe_attribute(name, value) for name, value in attrs):
            self.out.append(raw)
            return
        kept = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
            for name, value in attrs
            if not self._unsafe_attribute(name, value)
        )
        self.out.append(f"<{tag}{kept}{' /' if closing else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closing=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSAFE_TAGS:
            self.out.append(html.escape(f"</{tag}>", quote=False))
            if tag in self.inside_unsafe:
                self.inside_unsafe.remove(tag)
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        # A '<' left in text is a tag the parser could not complete: never hand it to a browser as markup.
        self.out.append(html.escape(data, quote=False) if self.inside_unsafe else data.replace("<", "&lt;"))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


# What the sanitizer could change, found without parsing: anything but a '<' that starts a tag or
# a plain end tag; an '&' that is not a whole character reference; an unsafe element's name.
_NOT_PLAIN = re.compile(
    r"<(?![a-zA-Z/])|</(?![a-z][a-z0-9]*>)|&(?!#?[a-zA-Z0-9]+;)|<\s*/?\s*"
    f"(?i:{'|'.join(sorted(UNSAFE_TAGS))})"
)
_TAG_START = re.compile(r"<[a-zA-Z]")
# A start tag as HTMLParser and browsers delimit it: a quote opens a value only right after '='
# (any other quote or '=' makes the search fail, and the page is parsed).
_START_TAG = re.compile(r"<[a-zA-Z][^\s/>\"'=]*(?:[^>\"'=]|=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"'=][^\s>]*))*>")
_EVENT_ATTRIBUTE = re.compile(r"['\"\s/]on", re.IGNORECASE)
_SUSPECT_VALUE = re.compile(r"javascript:|vbscript:|data:|//|http:|https:")


def _plain(document: str) -> bool:
    """True when the sanitizer would give ``document`` back unchanged, judged without parsing it.

    Each start tag is checked as a whole, quoted values included: no attribute could start with
    "on", no value could hold a script scheme or an address on another host (character references
    and invisible characters removed first, as the sanitizer does). Anything else is parsed.
    ``tests/test_html_safety.py`` holds this to the sanitizer on generated HTML.
    """
    if _NOT_PLAIN.search(document):
        return False
    tags = _START_TAG.findall(document)
    if len(tags) != len(_TAG_START.findall(document)):
        return False  # a tag the pattern cannot delimit, or a '<' inside a quoted value: parse
    # The tags are judged together: each ends with '>', so nothing found spans two of them.
    joined = "\0".join(tags)
    values = INVISIBLE.sub("", html.unescape(html.unescape(joined))).lower()  # decoded twice, as the sanitizer does
    return not (_EVENT_ATTRIBUTE.search(joined) or _SUSPECT_VALUE.search(values))


def sanitize_html(document: str) -> str:
    """``document`` with unsafe elements shown as text and unsafe attributes removed; the rest unchanged.

    The last line of defence, applied to every rendered page and published HTML file: whatever the
    Markdown renderer made of a page, nothing in it runs or loads from another host. Plain HTML, in
    which the sanitizer would change nothing, is recognized without parsing and given back as is.
    """
    return document if _plain(document) else _sanitized(document)


def _sanitized(document: str) -> str:
    """``document`` as the sanitizer rewrites it, tag by tag."""
    sanitizer = _Sanitizer()
    sanitizer.feed(document)
    sanitizer.close()
    return "".join(sanitizer.out)
