"""The text of a PDF file, so that the privacy rules can read published PDF evidence.

pypdf (pure Python, maintained) reads the file from memory, within bounds: the file
itself is no larger than ``limits.max_file_bytes`` (it was read under that limit),
pypdf's own limits on decompression and parsing are lowered to fit such a file, it
never calls an external program, and only the first ``MAX_PAGES`` pages are read.
Whatever pypdf raises on a broken or hostile file becomes a reason in words, never
a traceback: the caller warns that a person has to read the file.

Besides the pages' text, the scan reads what a PDF viewer shows elsewhere: the
document's information (author, title, subject, keywords ...) and XMP metadata,
the annotations' text and authors (comments, free text, sticky notes) and the
addresses of links (``mailto:`` included), the bookmarks' titles and the values of
form fields. An embedded file (an attachment in ``/EmbeddedFiles`` or a file
attachment annotation) can hold anything, of any type, that the checker cannot
read: such a PDF is refused (``refused`` says why), never published with a warning.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from pptoolkit.i18n import N_, gettext
from pptoolkit.i18n import formats as fmt

MAX_PAGES = 500
"""Pages read from one PDF; a longer file is scanned in part and said so."""
MAX_DECODED_BYTES = 32 * 1024 * 1024
"""What one stream may decompress to: far above the text of a 1 MiB file, far below the machine's memory."""
MAX_CHARACTERS = 4_000_000
"""Text kept from one PDF; past it the rest is not scanned and said so."""
MAX_OBJECTS = 100_000
"""Annotations, bookmarks and form fields read from one PDF; past it the rest is not scanned and said so."""


@dataclass(frozen=True)
class PdfText:
    """The text read from a PDF, and why it is incomplete or missing ("" when complete)."""

    text: str
    problem: str = ""
    refused: str = ""
    """Why the PDF must not be published at all ("" when it may be): it carries an embedded file."""


def pdf_text(data: bytes) -> PdfText:
    """The text of the PDF ``data``, page after page; ``problem`` says what could not be read.

    A PDF with no text at all (a scanned image) or that pypdf cannot read gives an empty text and a problem.
    """
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pypdf logs what it repairs; the caller reports what matters
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _extract(data)
    except Exception as error:  # any failure of the library on a broken file is a reason, never a traceback
        return PdfText("", gettext("pypdf could not read it ({error})").format(error=type(error).__name__))
    finally:
        logger.setLevel(level)


def _extract(data: bytes) -> PdfText:
    from pypdf import PdfReader, apply_configuration

    with apply_configuration(
        maximum_declared_stream_length=MAX_DECODED_BYTES,
        array_based_stream_maximum_output_length=MAX_DECODED_BYTES,
        jbig2_maximum_output_length=MAX_DECODED_BYTES,
        lzw_maximum_output_length=MAX_DECODED_BYTES,
        run_length_maximum_output_length=MAX_DECODED_BYTES,
        zlib_maximum_output_length=MAX_DECODED_BYTES,
        brotli_maximum_output_length=MAX_DECODED_BYTES,
        image_maximum_buffer_size=MAX_DECODED_BYTES,
        stream_decoding_work_maximum_length=4 * MAX_DECODED_BYTES,
        jbig2dec_binary=None,
    ):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return PdfText("", gettext("it is encrypted"))
        attached = _attachment(reader)
        if attached:
            return PdfText("", refused=attached)
        pages = reader.pages
        count = len(pages)
        parts: list[str] = []
        size = 0
        for index in range(min(count, MAX_PAGES)):
            text = pages[index].extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_CHARACTERS:
                kept = "\n".join(parts)[:MAX_CHARACTERS]
                return PdfText(kept, _first_characters())
        extra = _Extras(reader, min(count, MAX_PAGES))
        if extra.refused:
            return PdfText("", refused=extra.refused)
    text = "\n".join([*parts, *extra.parts])
    if len(text) > MAX_CHARACTERS:
        return PdfText(text[:MAX_CHARACTERS], _first_characters())
    if extra.cut:
        return PdfText(
            text,
            gettext("only its first {count} annotations, bookmarks and form fields were read").format(
                count=fmt.number(MAX_OBJECTS)
            ),
        )
    if count > MAX_PAGES:
        return PdfText(
            text, gettext("only its first {count} of {total} pages were read").format(count=MAX_PAGES, total=count)
        )
    if not "\n".join(parts).strip():
        return PdfText(text if text.strip() else "", gettext("it holds no text (a scanned image?)"))
    return PdfText(text)


def _first_characters() -> str:
    return gettext("only its first {count} characters were read").format(count=fmt.number(MAX_CHARACTERS))


_ATTACHMENT = N_(
    "it carries an embedded file ({what}), which the checker cannot read; "
    "take the attachment out of the PDF (or publish its content as a file of its own) to publish it"
)


def _attachment(reader: Any) -> str:
    """Why the document carries an embedded file in its name tree ("" when it does not)."""
    names = _get(reader.trailer.get("/Root"), "/Names")
    if _get(names, "/EmbeddedFiles") is not None:
        return gettext(_ATTACHMENT).format(what=gettext("an attachment"))
    return ""


def _get(value: Any, key: str) -> Any:
    """``value[key]`` resolved, or None when ``value`` is no dictionary or has no such key."""
    value = value.get_object() if hasattr(value, "get_object") else value
    if not isinstance(value, dict):
        return None
    found: Any = value.get(key)
    return found.get_object() if hasattr(found, "get_object") else found


def _words(value: Any) -> str:
    """The text of a PDF string, name or number ("" for anything else: dictionaries, streams)."""
    if isinstance(value, str):
        return value.removeprefix("/") if type(value).__name__ == "NameObject" else value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (int, float)):
        return str(value)
    return ""


class _Extras:
    """The text a viewer shows outside the pages' content: information, XMP, annotations, bookmarks, forms."""

    def __init__(self, reader: Any, pages: int) -> None:
        self.parts: list[str] = []
        self.refused = ""
        self.cut = False
        self.budget = MAX_OBJECTS
        self.size = 0
        root = reader.trailer.get("/Root")
        self._information(reader)
        self._xmp(root)
        for index in range(pages):
            self._annotations(reader.pages[index])
            if self.refused or self.cut:
                return
        self._tree(_get(root, "/Outlines"), "/First", "/Next", ("/Title",))
        self._tree(_get(root, "/AcroForm"), "/Fields", "/Kids", ("/T", "/TU", "/V"))

    def _add(self, value: Any) -> None:
        text = _words(value)
        if text.strip() and self.size <= MAX_CHARACTERS:
            self.parts.append(text)
            self.size += len(text) + 1

    def _spend(self) -> bool:
        self.budget -= 1
        if self.budget < 0:
            self.cut = True
        return not self.cut

    def _information(self, reader: Any) -> None:
        information = _get(reader.trailer, "/Info")
        if isinstance(information, dict):
            for key in list(information)[:1000]:
                self._add(_get(information, key))

    def _xmp(self, root: Any) -> None:
        metadata = _get(root, "/Metadata")
        if hasattr(metadata, "get_data"):
            self._add(metadata.get_data()[:MAX_CHARACTERS].decode("utf-8", "replace"))

    def _annotations(self, page: Any) -> None:
        annotations = _get(page, "/Annots")
        if not isinstance(annotations, list):
            return
        for reference in annotations:
            if not self._spend():
                return
            annotation = reference.get_object() if hasattr(reference, "get_object") else reference
            if not isinstance(annotation, dict):
                continue
            if _get(annotation, "/Subtype") == "/FileAttachment" or _get(annotation, "/FS") is not None:
                self.refused = gettext(_ATTACHMENT).format(what=gettext("a file attachment annotation"))
                return
            for key in ("/Contents", "/T", "/Subj", "/RC"):
                self._add(_get(annotation, key))
            action = _get(annotation, "/A")
            self._add(_get(action, "/URI"))
            if _get(action, "/S") in ("/Launch", "/GoToE", "/ImportData") or _get(action, "/EF") is not None:
                self.refused = gettext(_ATTACHMENT).format(what=gettext("an action that opens a file"))
                return

    def _tree(self, holder: Any, first: str, sibling: str, keys: tuple[str, ...]) -> None:
        """Walk a tree of bookmarks (``/First``, ``/Next``) or form fields (``/Fields``, ``/Kids``), once each node."""
        start = _get(holder, first)
        pending: list[Any] = list(start) if isinstance(start, list) else [start] if start is not None else []
        seen: set[int] = set()
        while pending and self._spend():
            node = pending.pop()
            node = node.get_object() if hasattr(node, "get_object") else node
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            for key in keys:
                value = _get(node, key)
                for item in value if isinstance(value, list) else [value]:
                    self._add(item)
            following = _get(node, sibling)
            pending.extend(following if isinstance(following, list) else [following] if following else [])
            child = _get(node, "/First") if first == "/First" else None
            if child is not None:
                pending.append(child)
