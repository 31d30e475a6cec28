"""The text of a PDF file, so that the privacy rules can read published PDF evidence.

pypdf (pure Python, maintained) reads the file from memory, within bounds: the file
itself is no larger than ``limits.max_file_bytes`` (it was read under that limit),
pypdf's own limits on decompression and parsing are lowered to fit such a file, it
never calls an external program, and only the first ``MAX_PAGES`` pages are read.
Whatever pypdf raises on a broken or hostile file becomes a reason in words, never
a traceback: the caller warns that a person has to read the file.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

MAX_PAGES = 500
"""Pages read from one PDF; a longer file is scanned in part and said so."""
MAX_DECODED_BYTES = 32 * 1024 * 1024
"""What one stream may decompress to: far above the text of a 1 MiB file, far below the machine's memory."""
MAX_CHARACTERS = 4_000_000
"""Text kept from one PDF; past it the rest is not scanned and said so."""


@dataclass(frozen=True)
class PdfText:
    """The text read from a PDF, and why it is incomplete or missing ("" when complete)."""

    text: str
    problem: str = ""


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
        return PdfText("", f"pypdf could not read it ({type(error).__name__})")
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
            return PdfText("", "it is encrypted")
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
                return PdfText(kept, f"only its first {MAX_CHARACTERS:,} characters were read")
    text = "\n".join(parts)
    if count > MAX_PAGES:
        return PdfText(text, f"only its first {MAX_PAGES} of {count} pages were read")
    if not text.strip():
        return PdfText("", "it holds no text (a scanned image?)")
    return PdfText(text)
