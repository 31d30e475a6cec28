"""Text from a playbook made safe to print: every output format carries it, none lets it forge a line.

File names come from the file system as ``os.fsdecode`` gives them: a byte that is not
UTF-8 becomes a lone surrogate, which no UTF-8 output can hold. Values from YAML may hold
line breaks, other control characters and bidirectional controls, which would start a
new line in a report (a line ``::error ...`` is a GitHub workflow command) or reorder
what a reader sees. Every format shows the same thing: a byte that is not UTF-8 as
``\\xNN``; formats made of lines also show control characters as escapes.
"""

from __future__ import annotations

_SURROGATES = range(0xD800, 0xE000)
_ESCAPED_BYTES = range(0xDC80, 0xDD00)  # os.fsdecode's surrogate escapes of the bytes 0x80 to 0xFF

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_LINE_SEPARATORS = (0x0085, 0x2028, 0x2029)


def _surrogate(code: int) -> str:
    return f"\\x{code - 0xDC00:02x}" if code in _ESCAPED_BYTES else f"\\u{code:04x}"


_UTF8_TABLE = {code: _surrogate(code) for code in _SURROGATES}
_LINE_TABLE = {
    **_UTF8_TABLE,
    **{code: _NAMED.get(chr(code), f"\\u{code:04x}") for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))},
    **{code: f"\\u{code:04x}" for code in (*_BIDI, *_LINE_SEPARATORS)},
}


def utf8_safe(value: str) -> str:
    """``value`` with each lone surrogate (a file name's byte that is not UTF-8) written ``\\xNN``: encodable."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.translate(_UTF8_TABLE)
    return value


def one_line(value: str) -> str:
    """``value`` as :func:`utf8_safe` makes it, with control, line-separating and bidirectional characters escaped.

    What a line-based report prints of a value: it can never start a new line or hide the text around it.
    """
    if value.isprintable():  # no control, separator or format character, no surrogate: nothing to escape
        return value
    return value.translate(_LINE_TABLE)


def is_utf8(name: str) -> bool:
    """True when ``name`` (a file name as ``os.fsdecode`` gives it) is UTF-8: it holds no surrogate escape."""
    return utf8_safe(name) == name
