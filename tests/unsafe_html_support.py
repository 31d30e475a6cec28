"""HTML that a browser would run or that would load from another host, each case with where the checker reports it.

Shared by the sanitizer's unit tests (``tests/test_html_safety.py``) and the browser tests
(``tests/site/test_browser_security.py``). Every case calls ``alert``, ``confirm`` or ``prompt``,
or loads from ``tracker.example``, if it ever reaches a browser intact. ``marker`` is the text at
which PP701 reports the case's first finding.
"""

from __future__ import annotations

from typing import NamedTuple

from justhtml import JustHTML
from justhtml.dom import Element, Node

TRACKER = "https://tracker.example"


class Injection(NamedTuple):
    name: str
    html: str
    marker: str


INJECTIONS = [
    Injection("noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<noscript>"),
    Injection("comment-open-close", "<!--><img src=x onerror=alert(2)>-->", "<img"),
    Injection("comment-dash", "<!---><img src=x onerror=confirm(3)>-->", "<img"),
    Injection("cdata", "<![CDATA[><img src=x onerror=prompt(4)>]]>", "<img"),
    Injection("textarea", '<textarea><p title="</textarea><img src=x onerror=alert(5)>"></textarea>', "<textarea>"),
    Injection("title", '<title><p title="</title><img src=x onerror=alert(6)>"></title>', "<img"),
    Injection("xmp", '<xmp><p title="</xmp><img src=x onerror=alert(7)>"></xmp>', "<xmp>"),
    Injection("noembed", '<noembed><p title="</noembed><img src=x onerror=alert(8)>"></noembed>', "<noembed>"),
    Injection("noframes", '<noframes><p title="</noframes><img src=x onerror=alert(9)>"></noframes>', "<noframes>"),
    Injection("plaintext", "<plaintext><img src=x onerror=alert(10)>", "<plaintext>"),
    Injection("iframe", '<iframe><p title="</iframe><img src=x onerror=alert(11)>"></iframe>', "<iframe>"),
    Injection("style", '<style><p title="</style><img src=x onerror=alert(12)>"></style>', "<style>"),
    Injection("script", "<script>alert(13)</script>", "<script>"),
    Injection("math-mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>", "<math>"),
    Injection("svg-style", '<svg></p><style><a id="</style><img src=x onerror=alert(15)>">', "<style>"),
    Injection("svg-onload", "<svg onload=alert(16)><circle r=5 /></svg>", "<svg"),
    Injection(
        "svg-animate",
        '<svg><a><animate attributeName="href" values="javascript:alert(17)"/><text>x</text></a></svg>',
        "<a>",
    ),
    Injection("style-url", f'<p style="background:url({TRACKER}/style.png)">styled</p>', "<p style"),
    Injection("image-set", f'<div style="background-image:image-set(url({TRACKER}/set.png) 1x)">set</div>', "<div"),
    Injection("svg-image", f'<svg><image href="{TRACKER}/image.png"/></svg>', "<image"),
    Injection("feimage", f'<svg><filter id="f"><feImage href="{TRACKER}/fe.png"/></filter></svg>', "<filter"),
    Injection("svg-fill-url", f'<svg role="img"><rect height="5" fill="url({TRACKER}/p.svg#p)"/></svg>', "fill="),
    Injection("img-remote", f'<img src="{TRACKER}/pixel.png" alt="pixel">', "src="),
    Injection("img-protocol-relative", '<img src="//tracker.example/pr.png" alt="pixel">', "src="),
    Injection("video-poster", f'<video poster="{TRACKER}/poster.png"></video>', "<video"),
    Injection("input-image", f'<input type="image" src="{TRACKER}/input.png">', "<input"),
    Injection("link-stylesheet", f'<link rel="stylesheet" href="{TRACKER}/s.css">', "<link"),
    Injection("javascript-link", '<a href="jav&#x61;script:alert(18)">click</a>', "href="),
    Injection("event-handler", '<div\n  onmouseover="alert(19)">hover</div>', "<div"),
]

ATTRIBUTE_LISTS = [
    Injection("attr-list-style", f'Styled paragraph.\n{{: style="background:url({TRACKER}/attr.png)" }}', "style="),
    Injection("attr-list-handler", 'Handled paragraph.\n{: onclick="alert(20)" }', "onclick="),
]

RUNS_OR_LOADS = frozenset(
    {"script", "style", "iframe", "frame", "object", "embed", "link", "meta", "base", "form", "input", "video",
     "audio", "source", "track", "image", "feImage", "use", "animate", "set", "noscript", "foreignObject", "math"}
)  # fmt: skip


def _elements(node: Node) -> list[Element]:
    found = []
    for child in node.children or ():
        if isinstance(child, Element):
            found.append(child)
            found.extend(_elements(child))
    return found


def what_runs_or_loads(html: str) -> list[str]:
    """Everything in ``html``, parsed as a browser parses it, that could run script or load from anywhere."""
    problems = []
    tree = JustHTML(html, fragment=True, sanitize=False, scripting_enabled=True)
    for element in _elements(tree.root):
        if element.name in RUNS_OR_LOADS:
            problems.append(f"<{element.name}>")
        for name, value in (element.attrs or {}).items():
            text = "".join((value or "").split()).lower()
            if name.lower().startswith("on") or name.lower() in ("style", "srcset", "poster", "background"):
                problems.append(f"<{element.name} {name}>")
            elif "url(" in text or "tracker.example" in text or text.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"<{element.name} {name}={value!r}>")
    return problems
