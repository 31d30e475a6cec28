"""What an evidence link points at: a file inside the playbook, a web address, or nothing usable."""

from __future__ import annotations

import errno
import html
import os
import posixpath
import re
import stat
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from pptoolkit.i18n import _
from pptoolkit.reading.trace import NOT_TRACED, NotTraced

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_UNSEEN = re.compile(r"[\t\n\r]")
"""What the URL standard removes from a URL before reading it."""
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


@dataclass(frozen=True, slots=True)
class Link:
    """A classified link; ``target`` is the playbook-relative path of a file link."""

    kind: LinkKind
    target: str | None = None
    reason: str = ""


def _url(link: str, scheme: str) -> Link:
    try:
        parts = urlsplit(link)
    except ValueError:  # "https://[::1": an unclosed IPv6 address
        return Link(LinkKind.MALFORMED, reason=_("'{link}' is not a well-formed web address").format(link=link))
    kind = LinkKind.HTTPS if scheme == "https" else LinkKind.HTTP
    if not parts.netloc or not HOST.match(parts.netloc.rsplit("@", 1)[-1]) or " " in link:
        return Link(LinkKind.MALFORMED, reason=_("'{link}' is not a well-formed web address").format(link=link))
    return Link(kind)


def classify(link: str, artifact_path: str, root: Path) -> Link:
    """Classify ``link`` written in the artifact at ``artifact_path`` (relative to ``root``)."""
    return Links(root).classify(link, artifact_path)


_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


class Links:
    """Classifies the links of one playbook, each link once, as the file system is during one run.

    Every check, the coverage and the site ask about the same evidence links: the
    answer is computed once, and each folder's real path is resolved once.
    """

    def __init__(self, root: Path, trace: NotTraced = NOT_TRACED) -> None:
        self.trace = trace
        """Where each status and real path taken is recorded (``reading/trace.py``)."""
        self.root = Path(trace.resolved(root))
        self._prefix = os.path.join(str(self.root), "")
        self._links: dict[tuple[str, str], Link] = {}
        self._folders: dict[str, str | None] = {}
        self._real: dict[str, str | None] = {}
        self._folder_of: dict[str, str] = {}
        self._taken: tuple[str, os.stat_result] | None = None  # the last lstat of a file that is no symbolic link

    def taken_status(self, relative: str) -> os.stat_result | None:
        """The ``lstat`` of the playbook-relative ``relative`` if resolving it was the last status taken, else None.

        Classifying a link takes the status of its file; the publication, which asks for it right after,
        need not take it again (one system call less per linked file). None means: take it now.
        """
        taken = self._taken
        return taken[1] if taken is not None and taken[0] == relative else None

    def classify(self, link: str, artifact_path: str) -> Link:
        """Classify ``link`` written in the file at ``artifact_path`` (relative to the root)."""
        folder = self._folder_of.get(artifact_path)
        if folder is None:  # each check asks about each artifact's links several times: one dirname per file
            folder = self._folder_of[artifact_path] = sys.intern(posixpath.dirname(artifact_path))
        key = (link, folder)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._classify(link.strip(), key[1])
        return found

    def real_path(self, relative: str, *, linked: bool = True) -> str | None:
        """The real path of the playbook-relative ``relative``, symbolic links resolved (None: unresolvable).

        Resolved once per run: the loading, the classifying of links and the publication ask about the same files.
        ``linked=False``: the caller knows that the file itself is no symbolic link (``os.scandir`` told it), and
        only its folder is resolved (thousands of artifacts: one ``lstat`` each saved).
        """
        if relative in self._real:
            known = self._real[relative]
            return self._prefix + relative if known == "" else known
        real = self._real_path(relative, linked)
        # Most files' real path is the root followed by them: remembered as "", no string of its own kept.
        self._real[relative] = "" if real is not None and real == self._prefix + relative else real
        return real

    def _real_path(self, relative: str, linked: bool = True) -> str | None:
        if "\0" in relative:
            return None
        folder, name = posixpath.split(relative)
        if folder not in self._folders:
            try:
                self._folders[folder] = self.trace.resolved(self.root / folder)
            except (OSError, RuntimeError, ValueError):
                self._folders[folder] = None
        parent = self._folders[folder]
        if parent is None:
            return None
        path = os.path.join(parent, name) if name else parent
        if not linked:  # the caller knows it is no symbolic link (and has its status, if it needs it)
            self._taken = None
            return path
        try:
            status = os.lstat(path)
        except (OSError, ValueError) as error:  # nothing there, or a name too long: not a link (os.path.islink's)
            self.trace.took("l", path, error)
            self._taken = None
            return path
        self.trace.took("l", path, status)
        if not stat.S_ISLNK(status.st_mode):
            self._taken = (relative, status)
            return path
        self._taken = None
        try:
            return self.trace.resolved(path)
        except (OSError, RuntimeError, ValueError):  # a loop of symbolic links, and the like
            return None

    def within(self, relative: str, *, linked: bool = True) -> bool:
        """True when the playbook-relative ``relative`` really is in the playbook (symbolic links followed).

        ``linked=False``: ``relative`` is known to be no symbolic link itself (see ``real_path``).
        """
        real = self.real_path(relative, linked=linked)
        return real is not None and self.inside(real)

    def inside(self, real: str) -> bool:
        """True when the real path ``real`` is the root or under it."""
        return real == str(self.root) or real.startswith(self._prefix)

    def _classify(self, link: str, folder: str) -> Link:
        if "&" in link or "\t" in link:  # as a browser reads it: "jav&#x09;ascript:" is "javascript:"
            read = _UNSEEN.sub("", html.unescape(link))
            if read != link and (SCHEME.match(read) or read.startswith("//")):
                link = read
        match = SCHEME.match(link)
        if match and len(match.group(1)) > 1:
            scheme = match.group(1).lower()
            if scheme in ("https", "http"):
                return _url(link, scheme)
            return Link(
                LinkKind.FORBIDDEN,
                reason=_("links with '{scheme}:' are not allowed; use https:// or a file").format(scheme=scheme),
            )
        path = unquote(link.split("#", 1)[0].split("?", 1)[0])
        if not path:
            return Link(LinkKind.MALFORMED, reason=_("the link is empty"))
        if path.startswith(("/", "\\")) or match or "\\" in path:
            return Link(
                LinkKind.OUTSIDE,
                reason=_("'{link}' is an absolute path; write a path relative to the artifact").format(link=link),
            )
        joined = posixpath.normpath(posixpath.join(folder, path))
        if joined == ".." or joined.startswith("../"):
            return Link(LinkKind.OUTSIDE, reason=_("'{link}' leads outside the playbook").format(link=link))
        real = self.real_path(joined)
        if real is None:
            return Link(LinkKind.MISSING, reason=_("'{link}' cannot be resolved").format(link=link))
        if not self.inside(real):
            return Link(
                LinkKind.OUTSIDE,
                reason=_("'{link}' is a symbolic link to a file outside the playbook").format(link=link),
            )
        taken = self.taken_status(joined)  # when it is not a symbolic link, its status says what it is
        if taken is None:
            try:
                taken = os.stat(real)
            except OSError as error:
                self.trace.took("s", real, error)
                if error.errno not in _NOT_THERE:  # a name too long for the file system, and the like
                    return Link(LinkKind.MISSING, reason=_("'{link}' cannot be resolved").format(link=link))
            else:
                self.trace.took("s", real, taken)
        is_file = taken is not None and stat.S_ISREG(taken.st_mode)
        if not is_file:
            return Link(
                LinkKind.MISSING,
                target=joined,
                reason=_("'{link}' does not exist (looked for '{path}')").format(link=link, path=joined),
            )
        return Link(LinkKind.FILE, target=joined)


class BodyLink(NamedTuple):
    """A Markdown link or image target written in a body, at its 1-based line and column."""

    target: str
    line: int
    column: int


LINK_TEXT = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(")
"""The start of an inline link or image, ``[text](`` or ``![text](``: one level of brackets inside, no line break."""
_TARGET_END = re.compile(r"[)\s]")


class LinkSpan(NamedTuple):
    """Where an inline link ``[text](target)`` is in a text: the whole link and its target, as string indexes."""

    start: int
    end: int
    target_start: int
    target_end: int


def link_spans(text: str) -> Iterator[LinkSpan]:
    """The inline links and images of ``text``, left to right, without overlaps.

    They are the matches of ``LINK_TEXT`` followed by a target of characters other than
    ``)`` and white space, then ``)``. One pattern for all of it would read the rest of a
    line again from each ``[`` (``[a](b[a](b...`` takes quadratic time), so the places
    where a target can end are found once, and each link start looks its target's end up.
    """
    stops: list[int] | None = None  # where each ')' or white space is, found at the first link start
    position = 0
    while (found := LINK_TEXT.search(text, position)) is not None:
        if stops is None:
            stops = [match.start() for match in _TARGET_END.finditer(text, found.start())]
        target = found.end()
        index = bisect_left(stops, target)
        stop = stops[index] if index < len(stops) else len(text)
        if target < stop < len(text) and text[stop] == ")":
            yield LinkSpan(found.start(), stop + 1, target, stop)
            position = stop + 1
        else:
            position = found.start() + 1


def replace_link_targets(text: str, replace: Callable[[str], str]) -> str:
    """``text`` with the target of each inline link and image replaced by ``replace(target)``."""
    parts, kept = [], 0
    for span in link_spans(text):
        parts += [text[kept : span.target_start], replace(text[span.target_start : span.target_end])]
        kept = span.target_end
    return "".join(parts) + text[kept:]


def body_links(body: str, first_line: int = 1) -> list[BodyLink]:
    """The targets of the inline links and images of a Markdown body (``[text](target)``), at their ``[``.

    No part of a link matches a line break, so one search over the body finds
    exactly the links that a search line by line would.
    """
    links: list[BodyLink] = []
    if "]" not in body or "](" not in body:  # a search for one character first: most bodies have no link
        return links
    line, counted = first_line, 0
    for span in link_spans(body):
        start = span.start
        line += body.count("\n", counted, start)
        counted = start
        links.append(BodyLink(body[span.target_start : span.target_end], line, start - body.rfind("\n", 0, start)))
    return links
