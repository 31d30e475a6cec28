"""What an evidence link points at: a file inside the playbook, a web address, or nothing usable."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+(:\d{1,5})?$")


class LinkKind(str, Enum):
    """The verdict on a link."""

    FILE = "file"
    HTTPS = "https"
    HTTP = "http"
    MISSING = "missing"
    OUTSIDE = "outside"
    FORBIDDEN = "forbidden"
    MALFORMED = "malformed"

    @property
    def resolves(self) -> bool:
        """True when the link leads somewhere a reader can open."""
        return self in (LinkKind.FILE, LinkKind.HTTPS, LinkKind.HTTP)


@dataclass(frozen=True)
class Link:
    """A classified link; ``target`` is the playbook-relative path of a file link."""

    kind: LinkKind
    target: str | None = None
    reason: str = ""


def _url(link: str, scheme: str) -> Link:
    try:
        parts = urlsplit(link)
    except ValueError:  # "https://[::1": an unclosed IPv6 address
        return Link(LinkKind.MALFORMED, reason=f"'{link}' is not a well-formed web address")
    kind = LinkKind.HTTPS if scheme == "https" else LinkKind.HTTP
    if not parts.netloc or not HOST.match(parts.netloc.rsplit("@", 1)[-1]) or " " in link:
        return Link(LinkKind.MALFORMED, reason=f"'{link}' is not a well-formed web address")
    return Link(kind)


def classify(link: str, artifact_path: str, root: Path) -> Link:
    """Classify ``link`` written in the artifact at ``artifact_path`` (relative to ``root``)."""
    link = link.strip()
    match = SCHEME.match(link)
    if match and len(match.group(1)) > 1:
        scheme = match.group(1).lower()
        if scheme in ("https", "http"):
            return _url(link, scheme)
        return Link(LinkKind.FORBIDDEN, reason=f"links with '{scheme}:' are not allowed; use https:// or a file")
    path = unquote(link.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return Link(LinkKind.MALFORMED, reason="the link is empty")
    if path.startswith(("/", "\\")) or match or "\\" in path:
        return Link(LinkKind.OUTSIDE, reason=f"'{link}' is an absolute path; write a path relative to the artifact")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(artifact_path), path))
    if joined == ".." or joined.startswith("../"):
        return Link(LinkKind.OUTSIDE, reason=f"'{link}' leads outside the playbook")
    file = root / joined
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the link
        return Link(LinkKind.MISSING, reason=f"'{link}' cannot be resolved")
    if not resolved.is_relative_to(root.resolve()):
        return Link(LinkKind.OUTSIDE, reason=f"'{link}' is a symbolic link to a file outside the playbook")
    try:
        is_file = file.is_file()
    except OSError:  # a name too long for the file system, and the like
        return Link(LinkKind.MISSING, reason=f"'{link}' cannot be resolved")
    if not is_file:
        return Link(LinkKind.MISSING, target=joined, reason=f"'{link}' does not exist (looked for '{joined}')")
    return Link(LinkKind.FILE, target=joined)


@dataclass(frozen=True)
class BodyLink:
    """A Markdown link or image target written in a body, at its 1-based line and column."""

    target: str
    line: int
    column: int


WHOLE_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(([^)\s]+)\)")


def body_links(body: str, first_line: int = 1) -> list[BodyLink]:
    """The targets of the inline links and images of a Markdown body (``[text](target)``), at their ``[``."""
    return [
        BodyLink(match.group(1), number, match.start() + 1)
        for number, line in enumerate(body.split("\n"), start=first_line)
        for match in WHOLE_LINK.finditer(line)
    ]
