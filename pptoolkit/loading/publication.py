"""What the site publishes besides its generated pages: one list, computed once when the playbook is checked.

The files of the content folder (``docs_dir``) and the files that artifacts link to
(evidence, and links and images in bodies) are published only if they are of a
published type (``PUBLISHED_TYPES``), inside the playbook once symbolic links are
followed, not hidden (no dot-file, nothing under a dot-folder), not over the theme's
own files, and read without a problem. For each, the :class:`Publication` keeps the
exact text that the privacy and HTML rules scan (a PDF's extracted text), and the
MkDocs plugin publishes exactly that text (sanitized for HTML and SVG) or, for a PDF,
an image or an office document, the bytes that were checked. Nothing else reaches
the site. Every file refused is a located diagnostic.

A check with the cache keeps its decision about each linked file published as it is, beside the
status of the file and of every folder on the way to it (``_Planner._status``): the next check that
finds that status unchanged takes the decision as it was, and decides again only what spans files.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import os
import posixpath
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pptoolkit.checking.per_file import text_answers
from pptoolkit.checking.rules.files import FILE_TOO_LARGE, TOO_MUCH_MARKUP, UNREADABLE
from pptoolkit.checking.rules.links import LINK_OUTSIDE, UNPUBLISHABLE_FILE
from pptoolkit.checking.rules.privacy import NOT_SCANNED
from pptoolkit.i18n import N_, _
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.cache import last_change_ns
from pptoolkit.model.diagnostics import Diagnostic, Location, Rule
from pptoolkit.model.settings import Limits
from pptoolkit.reading.documents import FileProblem, FileText, text_digest, text_of
from pptoolkit.reading.links import Link, LinkKind

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook


class Kind(str, Enum):
    """How a file is published."""

    MARKDOWN = "markdown"
    """A page that MkDocs renders, from the checked text."""
    TEXT = "text"
    """Plain text, the checked text as it is."""
    HTML = "html"
    """HTML or SVG, the checked text sanitized."""
    BINARY = "binary"
    """A PDF, an image or an office document: the bytes that were checked."""


PUBLISHED_TYPES: dict[str, Kind] = {
    **dict.fromkeys((".txt", ".csv", ".tsv"), Kind.TEXT),
    # Every suffix MkDocs renders as a page: each is scanned and published as Markdown.
    **dict.fromkeys((".md", ".markdown", ".mdown", ".mkdn", ".mkd"), Kind.MARKDOWN),
    **dict.fromkeys((".html", ".htm", ".svg"), Kind.HTML),
    **dict.fromkeys((".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"), Kind.BINARY),
    **dict.fromkeys((".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"), Kind.BINARY),
}
"""The allow-list: a file of any other type is never published (PP310)."""

_OFFICE = (b"PK\x03\x04",)  # OOXML and OpenDocument files are ZIP archives
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8: see _looks_like
    **dict.fromkeys((".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"), _OFFICE),
}
"""How each binary type starts: a file whose bytes say otherwise is not published."""

THEME_FOLDERS = ("assets/javascripts/", "assets/stylesheets/", "assets/pptoolkit/", "search/", "admin/")
THEME_FILES = ("sitemap.xml", "sitemap.xml.gz", "404.html", "reviews.ics")  # reviews.ics: calendar.CALENDAR_FILE
"""Where the theme, the search plugin and this plugin keep their own files: no content file may take their place."""

LINKED_FOLDER = "files"
"""The folder of the site where files linked from artifacts are published."""

NOT_READ_AS_TEXT = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp"), N_("an image holds no text the checker can read")),
    **dict.fromkeys(
        (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"), N_("the checker does not read office documents")
    ),
}


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""The suffixes MkDocs renders as pages (its ``utils.markdown_extensions``; the case counts, as in MkDocs)."""


def output_path(site_path: str) -> str:
    """Where MkDocs writes a file of the site's sources (``use_directory_urls: false``).

    A page becomes ``.html`` whatever its Markdown suffix, and ``README.md`` the folder's ``index.html``;
    any other file keeps its path.
    """
    name = site_path[site_path.rfind("/") + 1 :]
    if name.endswith(".md") and name != "README.md" and name[:-3].strip(".") and "//" not in site_path:
        return site_path[:-3] + ".html"  # most pages (thousands of generated ones), without splitting the path
    folder, name = posixpath.split(site_path)
    stem, suffix = posixpath.splitext(name)
    if suffix not in MARKDOWN_SUFFIXES:
        return site_path
    return posixpath.join(folder, ("index" if stem == "README" else stem) + ".html")


def linked_site_path(target: str) -> str:
    """Where a playbook file linked from an artifact is published."""
    return f"{LINKED_FOLDER}/{target}"


@dataclass(frozen=True, slots=True)
class PublishedFile:
    """A file the site publishes: where from, where to, how, and the text that was scanned."""

    source: str
    """Its playbook-relative path, as linked or as found in the content folder."""
    site_path: str
    """Its path in the site's sources (MkDocs' ``src_uri``)."""
    kind: Kind
    content: str | FileText | None
    """The exact text the privacy and HTML rules scanned (a PDF's extracted text); None when none could be read.

    A file the cache knows unchanged is known by its digest, and read when it is published (see ``text``)."""
    real: str
    """Its playbook-relative path once symbolic links are followed: where its bytes are."""
    digest: str = ""
    """The SHA-256 of the bytes checked, for a binary file: the plugin publishes those bytes or nothing."""
    content_page: bool = False
    """True for a file of the content folder, False for a file linked from an artifact."""

    @property
    def text(self) -> str | None:
        """The text that was scanned, read when first asked for (TextChanged if the file is no longer that text)."""
        return None if self.content is None else text_of(self.content)


@dataclass(frozen=True)
class Publication:
    """Every file the site publishes besides the generated pages, and where each file link of an artifact leads."""

    files: tuple[PublishedFile, ...] = ()
    linked: dict[str, PublishedFile] = field(default_factory=dict)
    """Link target (playbook-relative) → the file published for it."""
    artifacts: dict[str, str] = field(default_factory=dict)
    """Link target → the path of the artifact it is (directly or through a symbolic link): its page is the target."""

    def file_for(self, target: str) -> PublishedFile | None:
        """The file published for the link target ``target``, or None."""
        return self.linked.get(target)

    def artifact_for(self, target: str) -> str | None:
        """The path of the artifact that the link target ``target`` is, or None."""
        return self.artifacts.get(target)

    def reaches(self, target: str) -> bool:
        """True when a reader of the site can open the link target ``target`` (a published file or an artifact)."""
        return target in self.linked or target in self.artifacts

    def scanned(self) -> Iterator[tuple[PublishedFile, str]]:
        """Each published file with a text, and that text: what the privacy and HTML rules read."""
        for published in self.files:
            if published.content is not None:
                yield published, text_of(published.content)

    def sources(self) -> Iterator[tuple[PublishedFile, str | FileText]]:
        """``scanned``, each text as the cache has it: a rule that remembers its answers reads only changed files."""
        for published in self.files:
            if published.content is not None:
                yield published, published.content


class PublicationChanged(Exception):
    """A binary file changed between the check and the build: its new bytes were not checked."""


def published_content(root: Path, published: PublishedFile, sanitize: Callable[[str], str]) -> str | bytes:
    """What the site publishes for ``published``: the checked text (``sanitize``d for HTML and SVG) or bytes.

    A binary file is read again and published only if its bytes are those that were checked.
    """
    if published.kind is Kind.BINARY:
        try:
            data = Path(root, published.real).read_bytes()
        except OSError as error:
            raise PublicationChanged(f"'{published.source}': cannot be read: {error.strerror}") from None
        if hashlib.sha256(data).hexdigest() != published.digest:
            raise PublicationChanged(f"'{published.source}': the file changed after it was checked; build again")
        return data
    text = published.text or ""
    return sanitize(text) if published.kind is Kind.HTML else text


def publication_of(playbook: Playbook) -> tuple[Publication, list[Diagnostic]]:
    """The playbook's publication and the diagnostics of every file refused or not fully read."""
    return _Planner(playbook).plan()


Refusal = tuple[Rule, str]


def relative_path(real: str, root: str) -> str:
    """``os.path.relpath(real, root)`` for absolute paths, without its cost for a real path under the root.

    The planner asks it for every linked file; the answer is the same (``tests/test_publication.py``).
    """
    prefix = root if root.endswith(os.sep) else root + os.sep
    rest = real[len(prefix) :]
    if real.startswith(prefix) and rest[:1] not in ("", "/") and os.path.normpath(real) == real:
        return rest
    return os.path.relpath(real, root)


def _suffix(name: str) -> str:
    """``PurePosixPath(name).suffix.lower()``, without making a path of each of thousands of files."""
    if name.endswith("/") or "/./" in name or name.endswith("/."):  # parts pathlib drops: rare, its answer
        return PurePosixPath(name).suffix.lower()
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def _hidden(relative: str) -> bool:
    if "/." not in "/" + relative:  # no part can start with '.': the usual answer, without parsing the path
        return False
    return any(part.startswith(".") for part in PurePosixPath(relative).parts)


def _utf8(name: str) -> bool:
    """False for a file name that is not UTF-8 (Python holds its bytes as surrogates): no site can link it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hidden_message(name: str) -> str:
    return _(
        "'{name}' is a hidden file or under a hidden folder ('.git', '.cache' ...); such files are never published"
    ).format(name=name)


def _theme_path(site_path: str) -> bool:
    folded = site_path.casefold()
    return folded in THEME_FILES or folded.startswith(THEME_FOLDERS)


def _looks_like(suffix: str, data: bytes) -> bool:
    if suffix == ".webp" and data[8:12] != b"WEBP":
        return False
    return data.startswith(SIGNATURES.get(suffix, (b"",)))


def _read_bytes(file: str, relative: str, limits: Limits) -> bytes:
    """The bytes of a binary file, under the size limit (PP105) that every file read by the checker obeys."""
    try:
        with open(file, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_file_bytes:
                raise FileProblem(
                    FILE_TOO_LARGE,
                    Location(relative),
                    _("the file is {size} bytes; the limit is {limit} bytes").format(
                        size=fmt.number(size), limit=fmt.number(limits.max_file_bytes)
                    ),
                )
            return handle.read(limits.max_file_bytes + 1)
    except OSError as error:
        raise FileProblem(
            UNREADABLE, Location(relative), _("cannot be read: {reason}").format(reason=error.strerror)
        ) from None


def _digest_in(answer: bytes) -> bytes | None:
    """The text digest that ends a noted decision (``"hex"]``), or None for a record no check could have written."""
    if len(answer) != 43 or not answer.startswith(b'"') or not answer.endswith(b'"]'):
        return None
    try:
        return binascii.unhexlify(answer[1:-2])
    except ValueError:
        return None


class _Planner:
    """Builds one playbook's publication: the content folder first, then every file link of every artifact."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self.root = playbook.root
        self.links = playbook.links
        self.trace = playbook.cache.trace  # every status, real path and listing taken here is recorded in it
        self.settings = playbook.settings
        self.diagnostics: list[Diagnostic] = []
        self.files: dict[str, PublishedFile] = {}  # by site path
        self.linked: dict[str, PublishedFile] = {}
        self.artifacts: dict[str, str] = {}
        self.decided: dict[str, PublishedFile | Refusal | None] = {}  # link target → file, refusal, or unreadable
        self._symlinked: dict[str, str] | None = None  # real path → path, of the artifacts that are symbolic links
        self._folders: dict[str, bytes | None] = {}  # folder → its status and its parents' (see _folder_status)
        self.root_text = os.path.join(str(self.root), "")  # the root and a separator: a file's path is one '+'
        self.policies = posixpath.normpath(self.settings.policies_dir) + "/"
        from pptoolkit.model.site import generated_paths

        self.generated = {output_path(path).casefold(): path for path in generated_paths(playbook)}

    def _from_root(self, real: str) -> str:
        return relative_path(real, str(self.root))

    def plan(self) -> tuple[Publication, list[Diagnostic]]:
        self._content()
        limit = self.settings.limits.max_evidence_items
        classify, refused = self.links.classify, self._refused
        for artifact in self.playbook.artifact_files():
            path = artifact.path
            for index, item in enumerate(artifact.model.evidence[:limit]):
                refusal = refused(classify(item.link, path))
                if refusal is not None:
                    self.diagnostics.append(refusal[0].at(artifact.at("evidence", index, "link"), refusal[1]))
            for target, line, column in artifact.document.links:
                if not target.startswith("#"):
                    refusal = refused(classify(target, path))
                    if refusal is not None:
                        self.diagnostics.append(refusal[0].at(Location(path, line, column), refusal[1]))
        files = tuple(sorted(self.files.values(), key=lambda f: f.site_path))
        return Publication(files, self.linked, self.artifacts), self.diagnostics

    # The content folder ---------------------------------------------------------------------------

    def _content(self) -> None:
        docs = posixpath.normpath(self.settings.docs_dir)
        folder = self.root / docs
        if os.path.isabs(docs) or docs == "." or docs.startswith("../"):
            return  # MkDocs refuses the root as docs_dir; content outside the playbook is never published
        self.trace.status(folder)
        if not folder.is_dir():
            return
        real = self._realpath(str(folder))
        if not self.links.inside(real) or real == str(self.root):
            self.diagnostics.append(
                LINK_OUTSIDE.at(
                    Location(docs),
                    _("the content folder is a symbolic link to the playbook's root; nothing in it is published")
                    if real == str(self.root)
                    else _(
                        "the content folder is a symbolic link to a folder outside the playbook; "
                        "nothing in it is published"
                    ),
                )
            )
            return
        self._walk(str(folder), real, docs, "", {real})

    def _walk(self, folder: str, real_folder: str, docs: str, prefix: str, visited: set[str]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:  # a folder that cannot be read: MkDocs cannot publish it either
            self.trace.listed(folder, error)
            return
        self.trace.listed(folder, entries)
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files are never published (MkDocs leaves them out too)
            relative = prefix + entry.name
            source = f"{docs}/{relative}"
            if not _utf8(entry.name):
                shown = os.fsencode(source).decode("utf-8", "backslashreplace")
                self.diagnostics.append(
                    UNPUBLISHABLE_FILE.at(
                        Location(shown),
                        _("'{name}': the name is not UTF-8 text; rename it to publish it").format(name=shown),
                    )
                )
                continue
            real = self._realpath(entry.path) if entry.is_symlink() else os.path.join(real_folder, entry.name)
            if not self.links.inside(real):
                self.trace.status(real)
                self.diagnostics.append(
                    LINK_OUTSIDE.at(
                        Location(source),
                        _("this is a symbolic link to a folder outside the playbook; it is not published")
                        if os.path.isdir(real)
                        else _("this is a symbolic link to a file outside the playbook; it is not published"),
                    )
                )
                continue
            try:
                status = os.stat(real)
            except OSError as error:
                self.trace.took("s", real, error)
                continue  # a broken symbolic link: nothing to publish, as MkDocs finds nothing there
            self.trace.took("s", real, status)
            mode = status.st_mode
            if stat.S_ISDIR(mode):
                if _hidden(self._from_root(real)):  # a link to '.git': one error, not one per file
                    self.diagnostics.append(UNPUBLISHABLE_FILE.at(Location(source), _hidden_message(source)))
                elif real not in visited:  # a symbolic link to a folder above it would loop forever
                    self._walk(entry.path, real, docs, relative + "/", visited | {real})
                continue
            if _theme_path(relative):
                refusal: Refusal | None = (
                    UNPUBLISHABLE_FILE,
                    _(
                        "'{source}' would be published at '{path}', where the site keeps its theme's own files, "
                        "which content never replaces (to change the theme, use theme.custom_dir in mkdocs.yml)"
                    ).format(source=source, path=relative),
                )
            elif output_path(relative).casefold() in self.generated:
                refusal = (
                    UNPUBLISHABLE_FILE,
                    _(
                        "'{source}' would be published at '{path}', where the playbook generates "
                        "its page '{page}'; remove or rename the file"
                    ).format(
                        source=source,
                        path=output_path(relative),
                        page=self.generated[output_path(relative).casefold()],
                    ),
                )
            elif stat.S_ISREG(mode):
                refusal = self._refusal(source, real, self._from_root(real))
            else:
                refusal = self._not_regular(source)
            if refusal is not None:
                rule, message = refusal
                self.diagnostics.append(rule.at(Location(source), message))
                continue
            self._read(source, relative, real, self._from_root(real), content_page=True)

    def _realpath(self, path: str) -> str:
        """``os.path.realpath(path)``, recorded in the trace."""
        real = os.path.realpath(path)
        self.trace.took("R", path, real)
        return real

    @staticmethod
    def _not_regular(source: str) -> Refusal:
        return UNPUBLISHABLE_FILE, _("'{source}' is not a regular file; it is not published").format(source=source)

    # Links of artifacts ---------------------------------------------------------------------------

    def _refused(self, link: Link) -> Refusal | None:
        """Why the file that an artifact's ``link`` leads to is not published (reported at the link), or None."""
        target = link.target
        if link.kind is not LinkKind.FILE or target is None:
            return None  # the evidence and body-link rules report it; nothing is published
        if target not in self.decided:
            self.decided[target] = self._decide(target)
        decided = self.decided[target]
        return decided if isinstance(decided, tuple) else None

    def _decide(self, target: str) -> PublishedFile | Refusal | None:
        if self.playbook.artifact_at(target) is not None:
            self.artifacts[target] = target
            return None
        cache = self.playbook.cache
        status = self._status(target) if cache.remembers else None
        if status is None:
            return self._decide_now(target)
        key = hashlib.blake2b(b"published\0" + os.fsencode(target), digest_size=20).digest()
        known = cache.recall(key, status[0])
        digest = _digest_in(known) if known is not None else None
        if digest is not None:
            return self._decided_as_before(target, digest)
        before = len(self.diagnostics)
        decided = self._decide_now(target)
        if (
            isinstance(decided, PublishedFile)
            and decided.kind is not Kind.BINARY
            and decided.real == target
            and decided.content is not None
            and len(self.diagnostics) == before
        ):  # published as it is, with nothing to say: what an unchanged file and folders will be again
            content = decided.content
            digest = content.digest if isinstance(content, FileText) else text_digest(content)
            cache.note(key, status[0], b'"%s"]' % binascii.hexlify(digest), status[1])
        return decided

    def _status(self, relative: str) -> tuple[bytes, int] | None:
        """What the decision about the file ``relative`` depends on in the file system, and when it last changed.

        The file's status (size, modification and change times, inode, device, links), taken with
        ``lstat``, and the identity of each folder from the root to it, as JSON text that opens a
        record; None when the file is not a regular file or one of them is a symbolic link (decided
        anew each time). An unchanged status means the same file, reached the same way, with the same text.
        """
        folder = self._folder_status(relative.rpartition("/")[0])  # a normalized path: its dirname
        if folder is None:
            return None
        status = self.links.taken_status(relative)  # classifying the link took it, just before
        if status is None:
            try:
                status = os.lstat(self.root_text + relative)
            except (OSError, ValueError) as error:
                self.trace.took("l", self.root_text + relative, error)
                return None
            self.trace.took("l", self.root_text + relative, status)
        if not stat.S_ISREG(status.st_mode):
            return None
        return (
            b'[%d,%d,%d,%d,%d,%d,"%s",'
            % (
                status.st_size,
                status.st_mtime_ns,
                status.st_ctime_ns,
                status.st_ino,
                status.st_dev,
                status.st_nlink,
                folder,
            ),
            last_change_ns(status),
        )

    def _folder_status(self, folder: str) -> bytes | None:
        """A hash of the identity (type, inode, device) of each folder from the root to ``folder``, once per check.

        None when one of them is not a folder or is a symbolic link: what it leads to is decided anew.
        """
        if folder in self._folders:
            return self._folders[folder]
        above = b"" if not folder else self._folder_status(posixpath.dirname(folder))
        found = None
        if above is not None:
            with contextlib.suppress(OSError, ValueError):
                try:
                    status = os.lstat(self.root_text + folder)
                except (OSError, ValueError) as error:
                    self.trace.took("l", self.root_text + folder, error)
                    raise
                self.trace.took("l", self.root_text + folder, status)
                if stat.S_ISDIR(status.st_mode):
                    identity = b"%s%d,%d,%d/" % (above, status.st_mode, status.st_ino, status.st_dev)
                    found = binascii.hexlify(hashlib.blake2b(identity, digest_size=10).digest())
        self._folders[folder] = found
        return found

    def _decided_as_before(self, target: str, digest: bytes) -> PublishedFile | Refusal | None:
        """The decision about ``target``, a file unchanged since the check that published it as it is.

        Its name, type, links and text are those judged then; only what spans files is decided again:
        an artifact that is a symbolic link to it, and a content file published at its place.
        """
        artifact = self._artifact_at(target)
        if artifact is not None:
            self.artifacts[target] = artifact
            return None
        site_path = linked_site_path(target)
        if site_path in self.files:
            return self._taken(target, site_path)
        content = FileText(self.root_text + target, target, self.settings.limits, digest)
        published = PublishedFile(target, site_path, PUBLISHED_TYPES[_suffix(target)], content, target)
        self.files[site_path] = self.linked[target] = published
        return published

    @staticmethod
    def _taken(target: str, site_path: str) -> Refusal:
        return (
            UNPUBLISHABLE_FILE,
            _("'{source}' would be published at '{path}', where the content folder already has a file").format(
                source=target, path=site_path
            ),
        )

    def _decide_now(self, target: str) -> PublishedFile | Refusal | None:
        real = self.links.real_path(target)
        if real is None:
            return None  # classify found it; it vanished since
        real_relative = self._from_root(real)
        artifact = self._artifact_at(real_relative)
        if artifact is not None:
            self.artifacts[target] = artifact
            return None
        refusal = self._refusal(target, real, real_relative)
        if refusal is not None:
            return refusal
        site_path = linked_site_path(target)
        if site_path in self.files:
            return self._taken(target, site_path)
        published = self._read(target, site_path, real, real_relative, content_page=False)
        if published is not None:
            self.linked[target] = published
        return published

    def _artifact_at(self, real_relative: str) -> str | None:
        """The path of the artifact whose real file is ``real_relative`` (playbook-relative), or None.

        An artifact's file may itself be a symbolic link: a link to its real file reaches the artifact too.
        """
        if self.playbook.artifact_at(real_relative) is not None:
            return real_relative
        if self._symlinked is None:
            self._symlinked = {}
            for artifact in self.playbook.artifacts:
                path = artifact.path
                real = self.links.real_path(path)
                if real is not None and real != self.root_text + path:
                    self._symlinked[self._from_root(real)] = path
        return self._symlinked.get(real_relative)

    # Every file -----------------------------------------------------------------------------------

    def _refusal(self, name: str, real: str, real_relative: str) -> Refusal | None:
        """Why the file ``name`` (whose real path is ``real``, ``real_relative`` under the root) may not be published.

        None when it may.
        """
        if _hidden(name) or _hidden(real_relative):
            return UNPUBLISHABLE_FILE, _hidden_message(name)
        if self._artifact_at(real_relative) is not None or (
            real_relative.startswith(self.policies) and real_relative.endswith(".md")
        ):  # an invalid artifact too: its raw front matter would publish what its page hides (small cells)
            return (
                UNPUBLISHABLE_FILE,
                _(
                    "'{name}' is an artifact of the playbook: its page is generated (when it is valid); "
                    "link to the artifact itself instead"
                ).format(name=name),
            )
        suffix = _suffix(name)
        real_suffix = suffix if real_relative == name else _suffix(real_relative)
        for judged, its_suffix in ((name, suffix), (real_relative, real_suffix)):
            if its_suffix not in PUBLISHED_TYPES:
                kind = (
                    _("'{suffix}' files are not a published type").format(suffix=its_suffix)
                    if its_suffix
                    else _("files without a suffix are not a published type")
                )
                through = (
                    _("'{name}' is a symbolic link to '{target}', which").format(name=name, target=judged)
                    if judged != name
                    else f"'{name}'"
                )
                return (
                    UNPUBLISHABLE_FILE,
                    _(
                        "{name} cannot be published: {kind} (text, Markdown, HTML, SVG, PDF, "
                        "images, office documents); convert it to one of them"
                    ).format(name=through, kind=kind),
                )
        if PUBLISHED_TYPES[suffix] is not PUBLISHED_TYPES[real_suffix]:
            return (
                UNPUBLISHABLE_FILE,
                _(
                    "'{name}' is a symbolic link to '{target}', a file of another type; "
                    "a link must have its file's type to be published"
                ).format(name=name, target=real_relative),
            )
        taken = self.links.taken_status(name) if real_relative == name else None  # no symbolic link: stat's answer
        if taken is None:
            try:
                taken = os.stat(real)
            except OSError as error:
                self.trace.took("s", real, error)
            else:
                self.trace.took("s", real, taken)
        names = 1 if taken is None else taken.st_nlink  # one: read below, where a failure is reported
        if names > 1:
            return (
                UNPUBLISHABLE_FILE,
                _(
                    "'{name}' is a hard link (the file has {count} names), perhaps to a file outside the playbook, "
                    "which the checker cannot tell; it is not published: replace it with a copy of the file"
                ).format(name=name, count=names),
            )
        return None

    def _read(
        self, source: str, site_path: str, real: str, real_relative: str, *, content_page: bool
    ) -> PublishedFile | None:
        """Read the file and add it to the publication; a problem is a diagnostic and the file is left out."""
        suffix = _suffix(source)
        kind = PUBLISHED_TYPES[suffix]
        limits = self.settings.limits
        text: str | FileText | None
        digest = ""
        try:
            if kind is Kind.BINARY:
                self.trace.status(real)  # its bytes are read as they are: known by its status
                data = _read_bytes(real, source, limits)
                if not _looks_like(suffix, data):
                    self.diagnostics.append(
                        UNPUBLISHABLE_FILE.at(
                            Location(source),
                            _(
                                "'{source}' is not a {type} file (its content does not start as one); "
                                "it is not published"
                            ).format(source=source, type=suffix[1:].upper()),
                        )
                    )
                    return None
                digest = hashlib.sha256(data).hexdigest()
                text = self._binary_text(source, suffix, data)
            else:
                # Not read when the cache knows it unchanged; its status was taken when its link was classified.
                taken = self.links.taken_status(source) if real_relative == source else None
                text = self.playbook.cache.text(real, source, limits, taken)
        except FileProblem as problem:
            self.diagnostics.append(problem.diagnostic)
            return None
        # What the rules find in its text, while it is at hand (PP110: a Markdown text that is never rendered).
        answers = text_answers(self.playbook, text, kind.value, site_path) if text is not None else None
        if answers is not None and "markup" in answers:  # the renderer would take minutes over it
            for line, column, message in answers["markup"]:
                self.diagnostics.append(TOO_MUCH_MARKUP.at(Location(source, line, column), message))
            return None
        real_relative = source if real_relative == source else real_relative  # one string, not two, for most files
        published = PublishedFile(source, site_path, kind, text, real_relative, digest, content_page)
        self.files[site_path] = published
        if answers is not None:
            self.playbook.published_answers[site_path] = answers
        return published

    def _binary_text(self, source: str, suffix: str, data: bytes) -> str | None:
        """The text of a binary file for the privacy rules; a warning (PP708) for what could not be read.

        A PDF that carries an embedded file is refused (FileProblem): an attachment can hold anything.
        """
        problem = _(NOT_READ_AS_TEXT[suffix]) if suffix in NOT_READ_AS_TEXT else ""
        text: str | None = None
        if suffix == ".pdf":
            from pptoolkit.reading.pdftext import pdf_text

            extracted = pdf_text(data)
            if extracted.refused:
                raise FileProblem(
                    UNPUBLISHABLE_FILE,
                    Location(source),
                    _("'{source}' is not published: {reason}").format(source=source, reason=extracted.refused),
                )
            text, problem = extracted.text or None, extracted.problem
        if problem:
            self.diagnostics.append(
                NOT_SCANNED.at(
                    Location(source),
                    _(
                        "'{source}' is published without a full privacy scan: {reason}; "
                        "a person must read it before it is published"
                    ).format(source=source, reason=problem),
                )
            )
        return text
