"""Raw HTML that must never reach a reader: what runs code, and what loads from another host.

Markdown lets an editor paste HTML. The site publishes only what an allow-list keeps (tags,
attributes per tag, URL schemes), and the checker reports, located, everything the allow-list
would remove (PP701). Both read HTML as browsers do, by the HTML standard's parsing rules:
comments such as ``<!-->``, ``<![CDATA[``, elements whose content is raw text (``noscript``,
``textarea``, ``xmp`` ...) and foreign content in ``svg`` and ``math``. The site is cleaned by
nh3 (the binding to the Rust crate ammonia, built on html5ever); the checker finds positions
with justhtml (a pure-Python parser of the same standard that records where each element
starts), and reports anything nh3 would change that the walk did not explain, at the fragment's
start, so that the checker never says less than the sanitizer does.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pptoolkit.i18n import gettext
from pptoolkit.reading.documents import HtmlFragment, find_in_lines, markdown_html, split_lines

if TYPE_CHECKING:  # the parsers are imported when first needed: a check of plain Markdown needs none of them
    import nh3
    from justhtml.dom import Node
    from markdown_it import MarkdownIt

# --- The allow-list ----------------------------------------------------------------------------------------


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


HTML_TAGS = _names(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup data dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp small span
    strong sub summary sup table tbody td tfoot th thead time title tr u ul var wbr"""
)
# The site draws bars in SVG (publishing/pages/home.py): shapes and text only; nothing in SVG that links, loads,
# animates or holds CSS (no <a>, <use>, <image>, <feImage>, <foreignObject>, <animate>, <set>, <style>).
SVG_TAGS = _names("svg g rect circle ellipse line polyline polygon path text tspan title desc")
ALLOWED_TAGS = HTML_TAGS | SVG_TAGS
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
GLOBAL_PREFIXES = frozenset({"aria-"})
SVG_PRESENTATION = _names(
    """fill fill-opacity stroke stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-dasharray
    opacity transform font-size font-weight text-anchor dominant-baseline"""
)
_SVG_GEOMETRY = {
    "svg": "viewBox width height xmlns preserveAspectRatio focusable",
    "g": "",
    "rect": "x y width height rx ry",
    "circle": "cx cy r",
    "ellipse": "cx cy rx ry",
    "line": "x1 y1 x2 y2",
    "polyline": "points",
    "polygon": "points",
    "path": "d",
    "text": "x y dx dy",
    "tspan": "x y dx dy",
}
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "div": frozenset({"data-search-exclude"}),  # Material's search leaves the block out of its index
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align"}),
    "th": frozenset({"colspan", "rowspan", "headers", "align", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "details": frozenset({"open"}),
    **{tag: _names(names) | SVG_PRESENTATION for tag, names in _SVG_GEOMETRY.items()},
}
URL_SCHEMES = frozenset({"https", "http", "mailto"})
# Elements allowed by the list whose URL the browser fetches as it draws the page.
LOADING = {"img": "src"}
# Elements dropped with all they hold (their text would mean nothing on the page, or is code).
DROPPED_WHOLE = _names(
    """script style noscript template iframe noembed noframes xmp plaintext textarea select object embed
    applet math"""
)
# Never starts inside a run of scheme characters, so that a search is linear (used with match anyway).
_SCHEME = re.compile(r"(?<![a-zA-Z0-9+.\-])([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_CSS_CALL = re.compile(r"url|image|\\|expression|@import", re.IGNORECASE)


@dataclass(frozen=True)
class UnsafeHtml:
    """Something in raw HTML that the site's sanitizer removes: what, and where (1-based, within the fragment)."""

    what: str
    line: int
    column: int


def _squeezed(url: str) -> str:
    """``url`` as the URL standard reads it: control characters and spaces around it, tabs and newlines in it, gone."""
    return _URL_IGNORED.sub("", url.strip(_C0_AND_SPACE))


def _remote(url: str) -> bool:
    """True when a browser would fetch ``url`` from another host than the page's (or by a scheme of its own)."""
    squeezed = _squeezed(url)
    return bool(_SCHEME.match(squeezed)) or squeezed[:2].replace("\\", "/") == "//"


def _value_problem(tag: str, name: str, value: str) -> str | None:
    """Why the allow-list drops this value of an allowed attribute, or None when it is kept."""
    if LOADING.get(tag) == name and _remote(value):
        return gettext("<{tag} {name}> loading from another host").format(tag=tag, name=name)
    if name == "id" and value.startswith("__"):
        return gettext("id '{value}' (the theme's own elements are named so)").format(value=value)
    if name in SVG_PRESENTATION and _CSS_CALL.search(value):
        return gettext("{name}= with a CSS function or escape").format(name=name)
    return None


def _attribute_allowed(tag: str, name: str) -> bool:
    return (
        name in GLOBAL_ATTRIBUTES
        or name.startswith(tuple(GLOBAL_PREFIXES))
        or name in TAG_ATTRIBUTES.get(tag, frozenset())
    )


def _filter(tag: str, name: str, value: str) -> str | None:
    return None if _value_problem(tag, name, value) else value


def _cleaner_options() -> dict[str, object]:
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    return {
        "tags": set(ALLOWED_TAGS),
        "clean_content_tags": set(DROPPED_WHOLE),
        "attributes": attributes,
        "generic_attribute_prefixes": set(GLOBAL_PREFIXES),
        "url_schemes": set(URL_SCHEMES),
        "link_rel": None,
        "strip_comments": True,
        "attribute_filter": _filter,
    }


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    import nh3

    return nh3.Cleaner(**_cleaner_options())  # type: ignore[arg-type]


# Every element name of HTML, SVG and MathML: what a parse keeps when nothing is removed (for the checker's
# comparison, and for the property test that holds the walk to nh3).
EVERY_TAG = (
    ALLOWED_TAGS
    | DROPPED_WHOLE
    | _names(
        """html head body title meta link base form input button option optgroup label fieldset legend output
        progress meter canvas audio video source track picture frame frameset dialog menu slot portal search
        address article aside footer header hgroup main nav section center font big strike tt acronym marquee
        blink image area map param dir listing nobr keygen bgsound spacer isindex frameset menuitem
        a use image feImage foreignObject animate animateMotion animateTransform set mpath filter pattern
        linearGradient radialGradient stop clipPath mask marker symbol defs switch view textPath
        mi mo mn ms mtext mglyph malignmark annotation-xml semantics mrow"""
    )
)


@lru_cache(maxsize=1)
def _keeper() -> nh3.Cleaner:
    """A cleaner that keeps every element and attribute: what the page would be if nothing were removed."""
    import nh3

    options = _cleaner_options()
    del options["attribute_filter"]
    options |= {"tags": set(EVERY_TAG), "clean_content_tags": set(), "attributes": {},
                "generic_attribute_prefixes": {""}}  # fmt: skip
    return nh3.Cleaner(**options)  # type: ignore[arg-type]


def sanitize_html(document: str) -> str:
    """``document`` (a page's content or an HTML fragment) with only what the allow-list keeps.

    The site's guarantee: applied to every rendered page and published HTML file, so that whatever
    the Markdown renderer made of a page, nothing in it runs or loads from another host. Comments,
    unknown elements and attributes are removed (the text inside an unknown element is kept).
    """
    return _cleaner().clean(document)


def sanitize_html_file(text: str) -> str:
    """A complete, safe UTF-8 HTML document from the text of an HTML file: its body, sanitized.

    The document declares its encoding (a browser would guess otherwise) and carries a policy
    that lets nothing run, as every page of the site does.
    """
    from pptoolkit.model.site import FILE_POLICY

    head = f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{FILE_POLICY}">'
    return f"<!DOCTYPE html>\n<html><head>\n{head}\n</head><body>\n{sanitize_html(text)}\n</body></html>\n"


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@lru_cache(maxsize=1)
def _svg_cleaner() -> nh3.Cleaner:
    import nh3

    options = _cleaner_options()
    options |= {"tags": set(SVG_TAGS), "set_tag_attribute_values": {"svg": {"xmlns": SVG_NAMESPACE}}}
    attributes = dict(options["attributes"])  # type: ignore[call-overload]
    attributes["svg"] = attributes["svg"] - {"xmlns"}
    options["attributes"] = attributes
    return nh3.Cleaner(**options)  # type: ignore[arg-type]


_ATTRIBUTE_WITH_LT = re.compile(r"=\"[^\"]*<")


def sanitize_svg(text: str) -> str:
    """The text of an SVG file with only shapes and text kept, as a well-formed SVG document.

    An SVG file opened in a browser can run script like a page; what is kept is what
    :data:`SVG_TAGS` allows (no links, images, filters, animation, style or script). The file is
    read by the HTML standard's rules (as an inline ``<svg>``) and written back as XML.
    """
    cleaned = _svg_cleaner().clean(text).strip()
    if not cleaned.startswith("<svg") or _ATTRIBUTE_WITH_LT.search(cleaned):
        cleaned = f'<svg xmlns="{SVG_NAMESPACE}"></svg>'
    # html5ever writes U+00A0 as the HTML entity, which XML does not know.
    return cleaned.replace("&nbsp;", "&#160;") + "\n"


# --- Finding what the sanitizer removes, located -------------------------------------------------------------


def _positions(source: str) -> list[int]:
    """The offset where each line of ``source`` starts (lines broken at CR LF, CR or LF)."""
    return [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", source)]


def _line_column(starts: list[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def _attribute_offset(source: str, start: int, name: str) -> int:
    """Where attribute ``name`` of the start tag at ``start`` is written (the tag's start when not found)."""
    end = source.find(">", start)
    found = re.compile(rf"[\s\"'/]({re.escape(name)})(?=[\s=/>]|$)", re.IGNORECASE).search(
        source, start, len(source) if end < 0 else end + 1
    )
    return found.start(1) if found else start


def _walk(root: Node, root_namespace: str) -> Iterator[tuple[Node, str, str | None]]:
    """Each element below ``root`` in document order, with what the allow-list removes of it.

    Yields (element, what, attribute): ``attribute`` names the attribute whose value is at fault, and
    is None when the finding is located at the element's start tag. The walk keeps its own stack, so
    that ten thousand nested elements are walked like ten thousand siblings (no recursion limit).
    """
    from justhtml.dom import Element

    stack: list[tuple[Iterator[Node], str]] = [(iter(root.children or ()), root_namespace)]
    while stack:
        children, parent_namespace = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child, Element):
            continue
        name, namespace = child.name, child.namespace or "html"
        known = SVG_TAGS if namespace == "svg" else HTML_TAGS if namespace == "html" else frozenset()
        # An SVG element counts only inside an <svg> (as nh3 checks the namespaces of what it keeps).
        foreign_entry = namespace == "svg" and parent_namespace != "svg" and name != "svg"
        if name not in known or foreign_entry:
            yield child, f"<{name}>", None
            if name in DROPPED_WHOLE:
                continue
        else:
            for attribute, value in (child.attrs or {}).items():
                if not _attribute_allowed(name, attribute):
                    yield child, f"{attribute}=", None  # located at its element, as the element is what runs
                    continue
                text = value or ""
                if attribute in ("href", "src") and not _url_allowed(text):
                    yield child, f"{attribute}='{_scheme(text)}:'", attribute
                    continue
                problem = _value_problem(name, attribute, text)
                if problem:
                    yield child, problem, attribute
        stack.append((iter(child.children or ()), namespace))


def _scheme(url: str) -> str:
    found = _SCHEME.match(_squeezed(url))
    return found.group(1).lower() if found else url


def _url_allowed(url: str) -> bool:
    """True for a relative URL or one of an allowed scheme (as nh3 judges ``href`` and ``src``)."""
    found = _SCHEME.match(_squeezed(url))
    return found is None or found.group(1).lower() in URL_SCHEMES


def markdown_target_problem(url: str, image: bool) -> tuple[str, str] | None:
    """Why the site drops the target of a Markdown link or image, as ``("scheme", name)`` or ``("remote", "")``.

    The rendered page goes through the allow-list: a link or image of a scheme other than
    https, http and mailto (``javascript:``, ``data:``, also entity-encoded or split by a tab)
    is dropped, and so is an image loaded from another host (``https://``, ``//host``). None
    when the target is kept.
    """
    if not _url_allowed(url):
        return "scheme", _scheme(url)
    if image and _remote(url):
        return "remote", ""
    return None


# HTML that the allow-list keeps whole, recognized without a parser: a start or end tag of an HTML
# element (not <title>, whose content is text), with allowed attributes whose values hold no character
# reference, scheme, '<', '>' or backslash, or a comment with nothing in it that could end it early.
_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*="[^"<>&:\\]*")*)\s*/?>')
_PLAIN_ATTRIBUTE = re.compile(r'(?<![a-z-])([a-z][a-z-]*)="([^"]*)"')  # a name starts after no name character
_PLAIN_COMMENT = re.compile(r"<!--[^<>!-]*-->")


def _plainly_kept(source: str) -> bool:
    """True when the sanitizer keeps ``source`` whole, judged without parsing it (the common case, made cheap).

    Every '<' must start a plain tag or comment (see above); ``tests/test_html_safety.py`` holds this
    shortcut to the parser and to nh3 on generated HTML.
    """
    position = 0
    while (start := source.find("<", position)) >= 0:
        tag = _PLAIN_TAG.match(source, start)
        if tag is None:
            comment = _PLAIN_COMMENT.match(source, start)
            if comment is None:
                return False
            position = comment.end()
            continue
        name = tag.group(2)
        if name not in HTML_TAGS or name == "title":
            return False
        for attribute in _PLAIN_ATTRIBUTE.finditer(tag.group(3)):
            key, value = attribute.group(1), attribute.group(2)
            if not _attribute_allowed(name, key) or value.startswith("//") or _value_problem(name, key, value):
                return False
        position = tag.end()
    return True


def _findings(source: str) -> list[tuple[int, str]]:
    """The offsets in ``source`` and descriptions of everything the sanitizer removes from it."""
    if not source.strip() or _plainly_kept(source):
        return []
    found = _walked(source)
    if not found and _cleaner().clean(source) != _keeper().clean(source):
        found.append((0, gettext("that the sanitizer changes")))
    return found


def _walked(source: str) -> list[tuple[int, str]]:
    """What the allow-list removes from ``source``, found by walking its tree: offsets and descriptions."""
    from justhtml import JustHTML

    found: list[tuple[int, str]] = []
    tree = JustHTML(source, fragment=True, sanitize=False, track_node_locations=True, scripting_enabled=True)
    for element, what, attribute in _walk(tree.root, "html"):
        start = element.origin_offset if element.origin_offset is not None else 0
        found.append((start if attribute is None else _attribute_offset(source, start, attribute), what))
    return found


def find_unsafe(fragment: str) -> list[UnsafeHtml]:
    """Everything the site's sanitizer removes from a fragment of raw HTML, in order, located in it."""
    starts = _positions(fragment)
    return [UnsafeHtml(what, *_line_column(starts, offset)) for offset, what in _findings(fragment)]


def unsafe_fragments(fragments: list[HtmlFragment]) -> list[tuple[HtmlFragment, UnsafeHtml]]:
    """Each finding with the fragment it is in; the fragments are read together, in order, as the page holds them."""
    if not fragments:
        return []
    if len(fragments) == 1:
        return [(fragments[0], found) for found in find_unsafe(fragments[0].content)]
    offsets: list[int] = []
    pieces: list[str] = []
    length = 0
    for fragment in fragments:
        offsets.append(length)
        pieces.append(fragment.content)
        length += len(fragment.content) + 1
    joined = "\n".join(pieces)
    result = []
    for offset, what in _findings(joined):
        index = bisect.bisect_right(offsets, offset) - 1
        fragment = fragments[index]
        line, column = _line_column(_positions(fragment.content), min(offset - offsets[index], len(fragment.content)))
        result.append((fragment, UnsafeHtml(what, line, column)))
    return result


def locate(fragment: HtmlFragment, found: UnsafeHtml) -> tuple[int, int]:
    """The file's 1-based line and column of a finding inside a fragment."""
    line = fragment.line + found.line - 1
    column = fragment.column + found.column - 1 if found.line == 1 else found.column
    return line, column


# Python-Markdown's attr_list turns `{: key=value }` after a block or an inline element into attributes.
# A name starts after a space, "{" or the "{:" that opens a list (never inside a run of name characters:
# linear time).
_ATTRIBUTE_IN_LIST = re.compile(r"(?:(?<![^\s{])|(?<=\{:))([^\s={}\"']+)=(\"[^\"]*\"|'[^']*'|[^\s}\"']*)")
_EVERY_ALLOWED_ATTRIBUTE = GLOBAL_ATTRIBUTES.union(*TAG_ATTRIBUTES.values())


def unsafe_attribute_lists(markdown: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """The 1-based line, column and description of each attribute in a `{: ...}` list that the sanitizer removes.

    Python-Markdown's attr_list extension (which the site enables) makes attributes of text such as
    ``{: style="background:url(https://...)" }``; code spans and code blocks are not read.
    """
    if "{" not in markdown or "=" not in markdown:
        return []
    lines = split_lines(markdown)
    found: list[tuple[int, int, str]] = []
    for token in _commonmark().parse(markdown):
        if token.type != "inline" or not token.map or not token.children:
            continue
        text = "".join(child.content for child in token.children if child.type == "text")
        brace = text.find("{")
        if brace < 0:
            continue
        cursor = (token.map[0], 0)  # where the search for the next finding's source starts: linear in all
        for match in _ATTRIBUTE_IN_LIST.finditer(text, brace):
            name, value = match.group(1), match.group(2).strip("\"'")
            tag = "img" if name == "src" else "a"  # the element is not known here: judge src as an image's
            if name not in _EVERY_ALLOWED_ATTRIBUTE and not name.startswith(tuple(GLOBAL_PREFIXES)):
                what = f"{name}="
            elif (name in ("href", "src") and not _url_allowed(value)) or _value_problem(tag, name, value):
                what = f"{name}='{value}'"
            else:
                continue
            cursor = find_in_lines(lines, token.map[1], f"{name}=", cursor)
            found.append(
                (cursor[0] + first_line, cursor[1] + 1, gettext("{what} in an attribute list").format(what=what))
            )
            cursor = (cursor[0], cursor[1] + 1)
    return found


_MARKUP_START = re.compile(r"<[A-Za-z/!?]")


def markup_in_headings(markdown: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """The 1-based line, column and text of each heading whose text, as a reader sees it, holds markup.

    MkDocs makes a page's title of its first heading, with a code span's or an entity's ``<`` kept
    (``# Minutes `</title><script>` ``, ``# &lt;script&gt;``); the site shows it as text, but a title
    is no place for markup, and another theme could print it as HTML.
    """
    if "&" not in markdown and ("<" not in markdown or comment_lines(markdown) is not None):
        return []  # no '<' in a heading: those of a page of comment lines start the lines that are HTML blocks
    found: list[tuple[int, int, str]] = []
    tokens = _commonmark().parse(markdown)
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open" or not token.map:
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
        if _MARKUP_START.search(text):
            found.append((token.map[0] + first_line, 1, text))
    return found


def page_html(markdown: str) -> list[HtmlFragment]:
    """The raw HTML of a published Markdown page (``markdown_html``'s), without markdown-it for one of comment lines."""
    fragments = comment_lines(markdown)
    return markdown_html(markdown) if fragments is None else fragments


def comment_lines(markdown: str) -> list[HtmlFragment] | None:
    """The raw HTML of ``markdown`` if its every '<' starts a line that opens and closes an HTML comment, else None.

    Such as ``<!-- material/tags -->``, which Material's tags plugin replaces, in every playbook's tags page.
    CommonMark makes each such line an HTML block wherever it is (it ends a paragraph, a list or a quote before
    it), unless it is in front matter or a fenced code block, which such a text then has none of: read
    without markdown-it, which a check of most playbooks then never imports (``tests/test_html_safety.py``:
    ``test_the_raw_html_of_a_page_of_comment_lines_is_what_markdown_it_finds``). None: markdown-it must decide.
    """
    start = markdown.find("<")
    if start < 0:
        return []
    if markdown.startswith("-") or "\r" in markdown or "\0" in markdown or "```" in markdown or "~~~" in markdown:
        return None  # front matter, lines markdown-it reads otherwise, or a fence
    fragments, number, counted = [], 1, 0
    while start >= 0:
        end = markdown.find("\n", start) + 1 or len(markdown)
        line = markdown[start:end]
        if (start and markdown[start - 1] != "\n") or not line.startswith("<!--") or "-->" not in line:
            return None
        number += markdown.count("\n", counted, start)
        counted = start
        fragments.append(HtmlFragment(line, number))
        start = markdown.find("<", end)
    return fragments


@lru_cache(maxsize=1)
def _commonmark() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def neutralize(markdown: str, fragments: list[HtmlFragment] | None = None, first_line: int = 1) -> str:
    """``markdown`` with every line that holds unsafe raw HTML escaped, so that it shows as text.

    ``fragments`` are the raw HTML of ``markdown`` (found anew when omitted), with lines counted from
    ``first_line``; a fragment's lines are escaped whole. A first layer only: the rendered page is
    sanitized anyway, and this shows the reader what was pasted instead of silently dropping it.
    """
    lines = markdown.split("\n")
    if fragments is None:
        fragments = markdown_html(markdown)
    escape: set[int] = set()
    for fragment, _ in unsafe_fragments(fragments):
        start = fragment.line - first_line
        escape.update(range(start, start + fragment.content.count("\n") + 1))
    for index in sorted(escape):
        if 0 <= index < len(lines):
            lines[index] = html.escape(lines[index], quote=False)
    return "\n".join(lines)


def escape_values(value: Any) -> Any:
    """``value`` (a page's front matter) with every text in it HTML-escaped, quotes included, at any depth.

    Themes print front matter values such as ``title`` and ``description`` into the page's
    head and header without escaping them; escaped, they show as text, whatever they hold.
    """
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {key: escape_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_values(item) for item in value]
    return value


WORD_JOINER = "\u2060"
_TITLE_END = re.compile(r"</(?=title)", re.IGNORECASE)


def plain_title(title: str) -> str:
    """A page's title as escaped plain text (a ``Markup`` string, so that the theme escapes it no further).

    MkDocs takes a page's title from its first heading, where a code span or an entity keeps an
    escaped ``&lt;``; the theme prints the title raw in the header and the navigation, and through
    ``striptags`` (which turns ``&lt;`` back into ``<``) in ``<title>``. Here every tag is stripped and
    the text escaped; a ``</title`` in it gets an invisible word joiner after its ``<``, so that even
    unescaped it cannot end the ``<title>`` (in this theme or in a playbook's own templates).
    """
    from markupsafe import Markup

    return Markup.escape(_TITLE_END.sub("<" + WORD_JOINER + "/", Markup(title).striptags()))
