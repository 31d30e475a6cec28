"""Privacy of patient advisors: personal information that must never reach a published playbook.

Patient advisors are patients. Quebec's law on health and social services
information protects what identifies a person even indirectly, so the
checker looks, in every text that the site publishes (artifacts, evidence
files, content pages, role titles, waiver and not-applicable reasons, QI
project teams and the matrix's practice titles), for e-mail addresses, phone
numbers, health insurance numbers, postal addresses, and in `registry`
artifacts and those short published values for the names of people.
Organizational contacts may be allowed in `privacy.allowed_contacts`.
Indicators are published in aggregate only, with small cells suppressed.

Every text is first read as a reader sees it (``normalize``): character
references decoded, Unicode compatibility forms folded (NFKC), the digits of
every script read as ASCII digits, every dash a '-', every space a ' ',
invisible characters dropped. The patterns search that reading; findings are
located in the original text.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.entities import html5
from itertools import accumulate, count, pairwise
from typing import Any, NamedTuple

from pptoolkit.checking.rules.privacy import (
    HEALTH_CARD,
    PERSON_NAME,
    PERSONAL_EMAIL,
    PERSONAL_PHONE,
    POSTAL_ADDRESS,
    SMALL_CELL,
)
from pptoolkit.i18n import N_, gettext
from pptoolkit.loading.playbook import Playbook
from pptoolkit.model.artifacts import Indicators, QIProject
from pptoolkit.model.diagnostics import Diagnostic, Location, Rule
from pptoolkit.reading.documents import split_lines

# --- Reading a text as a reader sees it -----------------------------------------------------------


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


# Unicode's dash punctuation (category Pd) and the minus sign; every space that is not a line break
# (as `split_lines` counts them: CR and LF only); the characters that show nothing.
DASHES = _chars((0x58A, 0x58A), (0x5BE, 0x5BE), (0x1400, 0x1400), (0x1806, 0x1806), (0x2010, 0x2015), (0x2212, 0x2212))
DASHES += _chars((0x2E17, 0x2E17), (0x2E1A, 0x2E1A), (0x2E3A, 0x2E3B), (0x2E40, 0x2E40), (0x2E5D, 0x2E5D))
DASHES += _chars((0x301C, 0x301C), (0x3030, 0x3030), (0x30A0, 0x30A0), (0xFE31, 0xFE32), (0xFE58, 0xFE58))
DASHES += _chars((0xFE63, 0xFE63), (0xFF0D, 0xFF0D), (0x10EAD, 0x10EAD))
SPACES = _chars((0x09, 0x09), (0x0B, 0x0C), (0x1C, 0x1F), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680))
SPACES += _chars((0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000))
INVISIBLE = _chars((0xAD, 0xAD), (0x61C, 0x61C), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064))
INVISIBLE += _chars((0x2066, 0x206F), (0xFEFF, 0xFEFF))
_AS_READ = str.maketrans({**dict.fromkeys(DASHES, "-"), **dict.fromkeys(SPACES, " "), **dict.fromkeys(INVISIBLE)})
_AS_READ_INLINE = {**_AS_READ, ord("\n"): " ", ord("\r"): " "}  # a decoded "&#10;" does not break the line
# The decimal digits of other scripts than ASCII (Arabic-Indic "٥١٤", Devanagari, Persian, Osmanya beyond the
# Basic Multilingual Plane ...), which NFKC leaves as they are: what `\d` matches but 0-9, read by their value.
_OTHER_DIGITS = re.compile(r"[^\D0-9]+")


def _ascii_digits(run: re.Match[str]) -> str:
    return "".join(str(unicodedata.decimal(digit)) for digit in run.group())


def _class(characters: str) -> str:
    """The body of a class of characters that matches ``characters``: each run of consecutive ones as a range."""
    codes = sorted(set(map(ord, characters)))
    starts = [code for index, code in enumerate(codes) if index == 0 or codes[index - 1] != code - 1]
    ends = [code for index, code in enumerate(codes) if index == len(codes) - 1 or codes[index + 1] != code + 1]
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in zip(starts, ends, strict=True)
    )


# What may read differently: a character reference (as `html.unescape` finds them; a name is at most
# 32 characters), a backslash before ASCII punctuation (Markdown's escape: `jean\@…` shows '@'), a run
# of characters outside ASCII with the ASCII letter before it (a combining accent composes with it), or
# ASCII spaces other than ' '. In a text already in NFKC, only the characters that the translation
# above changes can, and other scripts' digits.
_AFTER_AMPERSAND = r"(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)"
_AFTER_BACKSLASH = r"[!-/:-@\[-`{-~]"
_TRANSLATED = DASHES + SPACES + INVISIBLE
_MAY_CHANGE = re.compile(rf"&{_AFTER_AMPERSAND}|\\{_AFTER_BACKSLASH}|[A-Za-z]?[^\x00-\x7f]+|[\t\x0b\x0c\x1c-\x1f]+")
# In NFKC, the same written as one class of the characters that start them, then what follows each: so that
# the engine skips from one such character to the next (an alternation of four tried them at every position:
# 56 ns a character of a text with a no-break space, most French ones). The other digits' ranges as below.
_OTHER_DIGITS_IN_THE_BMP = "\u0660-\u1c59\ua620-\uabf9"
_OTHER_DIGITS_BEYOND_THE_BMP = "\U000104a0-\U0001fbf9"
_IN_NFKC = _class(_TRANSLATED)
_MAY_CHANGE_IN_NFKC = re.compile(
    rf"[&\\{_IN_NFKC}{_OTHER_DIGITS_IN_THE_BMP}{_OTHER_DIGITS_BEYOND_THE_BMP}]"
    rf"(?:(?<=&){_AFTER_AMPERSAND}|(?<=\\){_AFTER_BACKSLASH}|(?<=[{_IN_NFKC}])[{_IN_NFKC}]*|(?<=[^\D0-9])[^\D0-9]*)"
)
# The first look at a text in NFKC: one class of characters of the Basic Multilingual Plane, which the engine
# tests with one lookup whatever it holds (a class with a character beyond the plane costs a test more for each
# character of every text). It holds what the translation changes and, for the digits of other scripts, the two
# ranges of the plane that hold them all (Arabic to Ol Chiki, Vai to Meetei Mayek: no Latin, punctuation or CJK).
# A text of Latin-1 only, most French and English, is looked at as below; a text with a character beyond the
# plane is looked at in full (both told by `_bytes_a_character`).
_TRANSLATED_IN_THE_BMP = "".join(c for c in _TRANSLATED if c <= "\uffff")
_MAY_CHANGE_IN_NFKC_FIRST = re.compile(rf"[&\\{_class(_TRANSLATED_IN_THE_BMP)}{_OTHER_DIGITS_IN_THE_BMP}]")
# In a text of Latin-1 only, what may read differently is known character by character: no mark there can
# combine with what precedes it, so such a text is in NFKC unless it holds one of the few characters that NFKC
# changes (a no-break space, 'ª', '²', '¼', '¨' ...). Those, the translated ones, '&' and '\\' are what to look
# at, and a text without any is read as it is, with no look at its NFKC form (a pass over the text saved).
_LATIN_1 = "".join(map(chr, range(0x80, 0x100)))
_NOT_NFKC_IN_LATIN_1 = "".join(c for c in _LATIN_1 if not unicodedata.is_normalized("NFKC", c))
_IN_LATIN_1 = _class("".join(c for c in _TRANSLATED if c <= "\xff") + _NOT_NFKC_IN_LATIN_1)
_MAY_CHANGE_IN_LATIN_1_FIRST = re.compile(rf"[&\\{_IN_LATIN_1}]")
# The same told by one `bytes.translate` in C, which deletes every other character: what is left is empty when the
# text holds none (the engine tests a class at each character, 2 ns a character; this deletes in a fifth of that).
_READ_AS_WRITTEN_IN_LATIN_1 = bytes(c for c in range(256) if not _MAY_CHANGE_IN_LATIN_1_FIRST.match(chr(c)))
_MAY_CHANGE_IN_LATIN_1 = re.compile(
    rf"[&\\{_IN_LATIN_1}](?:(?<=&){_AFTER_AMPERSAND}|(?<=\\){_AFTER_BACKSLASH}|(?<=[{_IN_LATIN_1}])[{_IN_LATIN_1}]*)"
)
_ASCII_MAY_CHANGE = "&\\\t\x0b\x0c\x1c\x1d\x1e\x1f"
# CPython keeps a string (PEP 393) after a header of a fixed size, at one byte a character when all are Latin-1,
# two when all are in the Basic Multilingual Plane, four otherwise, and counts in its size the UTF-8 form that C
# code may have cached beside it. So its size tells which, without reading it: a cache may make a text look
# wider than it is (a longer look), never narrower. Elsewhere than in CPython, every text is looked at in full.
_HEADER = sys.getsizeof("\u00e9") - 2 if sys.implementation.name == "cpython" else 0


def _bytes_a_character(text: str) -> int:
    """1 when ``text`` (not ASCII) surely holds Latin-1 only, 2 when it surely holds nothing beyond U+FFFF, else 4."""
    if not _HEADER or type(text) is not str:
        return 4
    size, length = sys.getsizeof(text) - _HEADER, len(text) + 1
    return 1 if size < 2 * length else 2 if size < 4 * length else 4


def _decode_reference(reference: str) -> tuple[str, int] | None:
    """What a character reference (``&#64;``, ``&commat;``, ``&eacute``) reads as, and its length.

    As browsers and ``html.unescape`` read them: a legacy name may lack its ';' and be followed by
    letters (``&eacutex`` is "éx"). None when it is not a reference.
    """
    if reference[1] == "#":
        hexadecimal = reference[2] in "xX"
        digits = reference[3 if hexadecimal else 2 :].rstrip(";").lstrip("0") or "0"
        if len(digits) > (6 if hexadecimal else 7):  # beyond U+10FFFF whatever its length, as browsers read it
            return "\ufffd", len(reference)
        return html.unescape(f"&#{'x' if hexadecimal else ''}{digits};"), len(reference)
    name = reference[1:]
    for size in range(len(name), 1, -1):
        if name[:size] in html5:
            return html5[name[:size]], size + 1
    return None


def _as_read(text: str, inline: bool = False, digits: bool = True) -> str:
    """``text`` as read (``normalize``); ``digits``: False when it cannot hold another script's digit."""
    folded = text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    read = folded.translate(_AS_READ_INLINE if inline else _AS_READ)
    return _OTHER_DIGITS.sub(_ascii_digits, read) if digits and not read.isascii() else read


@dataclass(frozen=True)
class NormalizedText:
    """A text as the patterns read it, and the way back to the original's offsets.

    The map is piecewise: at each pair of marks (``_normal[i]`` in this text, ``_original[i]`` in the
    original) the two texts are aligned again, and from one mark to the next they advance together.
    Line breaks are never changed, so a normalized line is the original line, read.
    """

    text: str
    _normal: tuple[int, ...] = ()
    _original: tuple[int, ...] = ()

    def offset(self, position: int) -> int:
        """The offset in the original text of the character at ``position`` of the normalized text."""
        index = bisect_right(self._normal, position) - 1
        return position if index < 0 else self._original[index] + position - self._normal[index]

    def column(self, line_start: int, position: int) -> int:
        """The 1-based column in the original text of ``position``, in the line starting at ``line_start``."""
        # The character before a line is a line break, which the normalization never moves.
        original_start = self.offset(line_start - 1) + 1 if line_start else 0
        return self.offset(position) - original_start + 1


def normalize(text: str) -> NormalizedText:
    """``text`` as a reader sees it, with the map back to the original: linear in the text's length.

    Character references decoded (``jean&#64;…`` is ``jean@…``), Markdown's backslash escapes
    dropped (``jean\\@…``), Unicode compatibility forms folded (NFKC: the fullwidth at sign U+FF20
    is '@', a fullwidth digit a digit), every other script's digit its ASCII digit (Arabic-Indic
    U+0665 is 5), every dash a '-', every space but a line break a ' ', the soft hyphen, zero-width
    and direction marks dropped. A text with nothing to change is returned as is, after a few scans
    in C.
    """
    in_nfkc = False  # whether the text is known to be in NFKC (else each piece read is told)
    if text.isascii():
        if not any(character in text for character in _ASCII_MAY_CHANGE):
            return NormalizedText(text)
        width, may_change = 1, _MAY_CHANGE_IN_LATIN_1
    elif (width := _bytes_a_character(text)) == 1:
        if not text.encode("latin-1").translate(None, _READ_AS_WRITTEN_IN_LATIN_1):
            return NormalizedText(text)
        may_change = _MAY_CHANGE_IN_LATIN_1
    else:
        in_nfkc = unicodedata.is_normalized("NFKC", text)
        if in_nfkc and width < 4 and not _MAY_CHANGE_IN_NFKC_FIRST.search(text):
            return NormalizedText(text)
        may_change = _MAY_CHANGE_IN_NFKC if in_nfkc else _MAY_CHANGE
    pieces: list[str] = []
    normal: list[int] = []
    original: list[int] = []
    done = size = 0  # how much of the original is written, and the normalized length so far

    def replace(start: int, end: int, reading: str, linear: bool = False) -> None:
        """Write ``text[done:start]`` unchanged, then ``reading`` for ``text[start:end]``."""
        nonlocal done, size
        pieces.append(text[done:start])
        size += start - done
        pieces.append(reading)
        if not linear or len(reading) != end - start:
            normal.extend(range(size, size + len(reading)))
            original.extend([start] * len(reading))
            normal.append(size + len(reading))
            original.append(end)
        size += len(reading)
        done = end

    for found in may_change.finditer(text):
        start, end, value = found.start(), found.end(), found.group()
        if value[0] == "&":
            decoded = _decode_reference(value)
            if decoded is not None:
                replace(start, start + decoded[1], _as_read(decoded[0], inline=True))
            continue
        if value[0] == "\\":
            replace(start, end, value[1])
            continue
        reading = _as_read(value, digits=width > 1)  # a text of Latin-1 has none (a reference may, above)
        if len(reading) == len(value) and (in_nfkc or unicodedata.is_normalized("NFKC", value)):
            if reading != value:
                replace(start, end, reading, linear=True)
            continue
        # Lengths change (an accent composed, a ligature or a fraction unfolded, a mark dropped):
        # each letter with its combining marks is read on its own and mapped to its start.
        cluster = start
        for index in range(start + 1, end + 1):
            if index == end or not unicodedata.combining(text[index]):
                piece = text[cluster:index]
                reading = _as_read(piece, digits=width > 1)
                if reading != piece:
                    replace(cluster, index, reading, linear=True)
                cluster = index
    if not pieces:
        return NormalizedText(text)
    pieces.append(text[done:])
    return NormalizedText("".join(pieces), tuple(normal), tuple(original))


# --- What personal information looks like, once read -------------------------------------------------
# The patterns search normalized text, where the only space within a line is ' ' and the only dash '-'.
# Each is linear: no quantified group can match the same text in two ways, so nothing backtracks more
# than a bounded distance (tests/test_privacy.py feeds each one adversarial text of 100,000 characters).

# An address with '@' (spaces around it too: "jean @ gmail.com"), or with "[at]", "(at)", "{at}" or
# "[arobase]" (and "[dot]" or "(point)" for dots).
_AT = r"(?: ?@ ?| ?[\[({](?i:at|arobase|@)[\])}] ?)"
_DOT = r"(?:\.| ?[\[({](?i:dot|point|\.)[\])}] ?)"
EMAIL = re.compile(rf"(?<![\w.%+-])[\w.%+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}\b")
# An address spelled out, as people write one to keep it from robots: "jean at exemple dot ca", or in French
# "jean arobase exemple point ca" (or "exemple.ca"), each word in lower case or in capitals. "at" only with
# "dot", never with a written dot or "point": "at cisss.gouv.qc.ca" is a website, "at that point we" prose.
_DOT_WORD = " (?:dot|DOT) "
_AROBASE_DOT = rf"(?:\.|{_DOT_WORD}| (?:point|POINT) )"
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.%+-])[\w.%+-]+ (?:(?:at|AT) [\w-]+(?:{_DOT_WORD}[\w-]+)*{_DOT_WORD}"
    rf"|(?:arobase|AROBASE) [\w-]+(?:{_AROBASE_DOT}[\w-]+)*{_AROBASE_DOT})[^\W\d_]{{2,}}\b"
)
# A spelled-out address holds one of these words, which prose seldom does (unlike "at" or "point").
_SPELLED_OUT = re.compile(" dot | DOT |arobase|AROBASE")
# North American numbers: area code, exchange and line, apart (a space, or '-', '.', '/', '·' or '*' with
# a space on either side or none: 514 - 555 - 0199, 514/555-0199; or a comma alone: 514,555,0199), the line
# in two pairs too (514.555.01.99, 514 555-01 99), or exchange and line together (514-5550199); the area code
# in brackets, apart from the exchange or not ((514) 555-0199, (514)-555-0199, (514)5550199). An amount
# groups its digits by three, never four: 1,234,567,890 is none.
_APART = r"(?: ?[-./\u00b7*] ?| |,)"
PHONE = re.compile(
    rf"(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{{3}}\){_APART}?|\d{{3}}{_APART})"
    rf"(?:\d{{3}}{_APART}(?:\d{{4}}|\d\d[ .-]\d\d)|\d{{7}})"
    r"(?: ?(?:x|ext\.?|poste) ?\d{1,5})?\b"
)
# French numbers: ten digits in pairs, the first pair 01 to 09 (01 23 45 67 89, 01.23.45.67.89), alone:
# not inside a longer list of numbers, a path or a decimal. Amounts group their digits by three, dates
# and times have fewer pairs.
FRENCH_PHONE = re.compile(r"(?<![\w.,/+-])(?<!\d[ .])0[1-9](?:(?: \d\d){4}|(?:\.\d\d){4})(?!\w|[ .,/-]\d)")
# '+', a country code, then groups of digits apart (+33 1 23 45 67 89, +44 (0)20 7946 0958) or together.
# The '+' comes first and the look behind it after, so that the engine skips from one '+' to the next.
INTERNATIONAL_PHONE = re.compile(r"\+(?<![\w+]\+)(?:[1-9]\d{0,2}(?:[ .-](?:\(0\) ?)?\d{1,5}){1,6}|[1-9]\d{7,14})(?!\w)")
# The same with the international prefix 00 instead of '+' (0033 1 23 45 67 89), apart only.
INTERNATIONAL_PHONE_00 = re.compile(r"(?<![\w.,/+-])00[1-9]\d{0,2}(?:[ .-](?:\(0\) ?)?\d{1,5}){1,6}(?!\w)")
# Ten digits in a row that can be a North American number (area code and exchange do not start with 0
# or 1, an area code has no 9 in the middle), alone: not part of a longer token, a decimal, a path
# or a reference (INV-5145550199), and not a compact timestamp (2026012814).
TEN_DIGITS = re.compile(
    r"(?<![\w+.,/-])1?(?!20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[2-9][0-8]\d[2-9]\d{6}(?![\w/]|[.,-]\d)"
)
# RAMQ: four capitals and eight digits; in lower or mixed case, only when the digits make a birth date
# (year, month or month + 50, day), so that "from 2025 2026" is not one.
_MONTH, _DAY = r"(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
RAMQ = re.compile(rf"\b(?:[A-Z]{{4}}[ -]?\d{{4}}[ -]?\d{{4}}|[A-Za-z]{{4}}[ -]?\d\d{_MONTH}[ -]?{_DAY}\d\d)\b")
OHIP = re.compile(r"\b\d{4}[ -]\d{3}[ -]\d{3}(?:[ -]?[A-Z]{2})?\b")
# In any case (h2x 1y4), but not in a colour (#a1b2c3), a path, a query or a reference.
# What follows the first digit of a postal code, the number of an address: written once, for the patterns
# and for `_WORTH_A_LOOK` (which reads the postal code's and STREET's in any case, as those are compiled).
_POSTAL_AFTER_DIGIT = r"[ABCEGHJ-NPRSTV-Z](?: {1,3}|-)?\d[ABCEGHJ-NPRSTV-Z]\d"
POSTAL_CODE = re.compile(rf"(?<![\w#/=&.-])[ABCEGHJ-NPRSTVXY]\d{_POSTAL_AFTER_DIGIT}\b", re.IGNORECASE)
_NUMBER = r"\b\d{1,5}(?:-\d{1,5})?"
_STREET_AFTER_NUMBER = (
    r",? +(?:rue|avenue|av\.|boulevard|boul\.|chemin|ch\.|rang|route|street|st\.|road|rd\.|"
    r"drive|dr\.|lane|place|montée|côte) +[A-ZÀ-Ý0-9]"
)
STREET = re.compile(_NUMBER + _STREET_AFTER_NUMBER, re.IGNORECASE)
_STREET_EN_AFTER_NUMBER = (
    r",? +(?:[A-ZÀ-Ý0-9][\w'\u2019.-]* +){1,3}"
    r"(?i:(?:street|avenue|road|drive|lane|boulevard|crescent|court)\b|(?:st|ave|rd|dr|blvd)\.)"
)
STREET_EN = re.compile(_NUMBER + _STREET_EN_AFTER_NUMBER)
# "Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Dre", "Mme", "Mmes", "Mlle", "M", "Madame" or "Monsieur" starting a word,
# tried in that order, and a name: written from its first letter, which the engine skips to (a registry's every line
# is searched for it).
HONORIFIC_NAME = re.compile(
    r"[MD](?<!\w[MD])(?:(?<=M)(?:r|rs|s|x|iss|me|mes|lle||adame|onsieur)|(?<=D)(?:r|re))\.? +[A-ZÀ-Ý][a-zà-ÿ'-]+"
    r"(?: +[A-ZÀ-Ý][a-zà-ÿ'-]+)?"
)
LISTED_NAME = re.compile(
    r"^ *(?:[-*+]|\d+\.|\|) *([A-ZÀ-Ý][a-zà-ÿ'-]+(?:-[A-ZÀ-Ý][a-zà-ÿ'-]+)? +[A-ZÀ-Ý][a-zà-ÿ'-]+"
    r"(?:-[A-ZÀ-Ý][a-zà-ÿ'-]+)?) *(?:$|\||,|\(|:)"
)
WORD = re.compile(r"\w[\w'\u2019-]*")


# A line of normalized text can hold what the patterns other than names look for only if it holds one
# of these. After a run of digits (each pattern's digits end where a run does): the rest of a street
# address (STREET, STREET_EN: the same text as theirs, so "3 ans" or "team 212 record" are not), of a
# postal code (POSTAL_CODE: "2x 1y4"), three digits apart from the next three and what follows them
# (PHONE, OHIP: "514-555-0", "514 5550199"), a health number's digits after four letters (RAMQ: "TREM 1234
# 5678", in lower case only with a birth date, so that "plan 2025-2026" is not one), ten digits (TEN_DIGITS),
# '0' and a digit but 0, alone, then a pair after a space or a dot (FRENCH_PHONE), '00', a digit but 0 and
# up to two digits, alone, then a space, a dot or a dash (INTERNATIONAL_PHONE_00). Or else an '@' or a
# bracketed "at" (EMAIL), '+' and a digit (INTERNATIONAL_PHONE), or an area code in brackets and three
# digits (PHONE: "(514)5550199", "(514)-555"). One search over the text finds those lines, and dates such as
# 2026-01-28 are not among them. It starts with one class of characters, so that the engine skips to the
# next candidate quickly: of ASCII only, since normalized text has no other digits (a class with characters
# beyond the first 256 costs more for each character), and looks behind to know which one it found. Lines
# end at '\n' only, as `split_lines` does when the text has no '\r'; within a line, normalized text has no
# space but ' ', and no pattern's match spans a line break. (A spelled-out address is looked for apart:
# `_lines_to_scan`.)
#
# The engine stops at each of a text's thousands of digits, and tries what follows only at the end of a run, so
# what it tries there is ordered to fail soon (`tests/test_privacy.py`:
# `test_the_first_look_finds_what_the_union_of_its_looks_finds` holds it to the plain union of them): a health
# number's forms and ten digits, which end on a digit, only after the cheaper look at their last eight digits,
# apart or not; the others only before a character that one of them starts with (a run of digits at the end of
# a line, or before a bracket, is most often done with at once); and '@', '+' or a bracket only after those.
_SEPARATED_OR_NOT = ("", "[ -]")
_HEALTH_NUMBER_OR_TEN_DIGITS_ENDS = "|".join(
    rf"(?<=\d{{4}}{second}\d{{4}})(?:"
    + "|".join(
        rf"(?<=[A-Z]{{4}}{first}\d{{4}}{second}\d{{4}})|(?<=[A-Za-z]{{4}}{first}\d\d{_MONTH}{second}{_DAY}\d\d)"
        for first in _SEPARATED_OR_NOT
    )
    + ("" if second else r"|(?<=\d{10})")
    + ")"
    for second in _SEPARATED_OR_NOT
)
_INTERNATIONAL_00_ENDS = "|".join(rf"(?<=00[1-9]\d{{{more}}})(?<![\w.,/+-]00[1-9]\d{{{more}}})" for more in range(3))
_BEFORE_THE_OTHERS = r"(?=(?i:[ ,.\-/\u00b7*ABCEGHJ-NPRSTV-Z]))"  # what each of the others starts with
_WORTH_A_LOOK = re.compile(
    rf"[@+\[({{0-9](?:(?<=\d)(?!\d)(?:(?<=\d{{4}})(?:{_HEALTH_NUMBER_OR_TEN_DIGITS_ENDS})|{_BEFORE_THE_OTHERS}(?:"
    rf"(?i:{_STREET_AFTER_NUMBER})|{_STREET_EN_AFTER_NUMBER}|(?i:{_POSTAL_AFTER_DIGIT})"
    rf"|(?<=\d{{3}}){_APART}\d{{3}}(?:{_APART}\d|\d{{4}})"
    rf"|(?<=0[1-9])(?<![\w.,/+-]0[1-9])[ .]\d\d|(?:{_INTERNATIONAL_00_ENDS})[ .-]))"
    rf"|(?<=[@+\[({{])(?:(?<=@)|(?<=\+)\d|(?<=[\[({{])(?i:at|arobase)[\])}}]|(?<=\()\d{{3}}\){_APART}?\d{{3}}))"
)


# Each word alone, searched for as a literal: the engine skips from one occurrence of its first letter to the next.
_DOT_LOWER, _DOT_UPPER, _AROBASE_LOWER, _AROBASE_UPPER = (
    re.compile(word).search for word in _SPELLED_OUT.pattern.split("|")
)


def _may_spell_out(text: str) -> bool:
    """Whether ``text`` may hold a spelled-out address: four quick scans, then a look at the lines with its words."""
    return bool(_DOT_LOWER(text) or _DOT_UPPER(text) or _AROBASE_LOWER(text) or _AROBASE_UPPER(text))


def _lines_to_scan(text: str, first_line: int, every_line: bool) -> Iterator[tuple[int, int, str]]:
    """The lines that may hold personal information, with their numbers and offsets: every line if asked."""
    if every_line and "\r" not in text:  # every line ends with one character: offsets counted in C
        lines = split_lines(text)
        yield from zip(count(first_line), accumulate((len(line) + 1 for line in lines), initial=0), lines)
        return
    if every_line or "\r" in text:
        offset = 0
        for number, line in enumerate(split_lines(text), start=first_line):
            yield number, offset, line
            offset += len(line) + (2 if text.startswith("\r\n", offset + len(line)) else 1)
        return
    starts = _starts_of_lines(text, _WORTH_A_LOOK)
    if _may_spell_out(text):
        starts = sorted({*starts, *_starts_of_lines(text, _SPELLED_OUT)})
    number, counted = first_line, 0
    for start in starts:
        end = text.find("\n", start)
        number += text.count("\n", counted, start)
        counted = start
        yield number, start, text[start : len(text) if end < 0 else end]


def _starts_of_lines(text: str, look: re.Pattern[str]) -> list[int]:
    """The offsets of the lines of ``text`` where ``look`` finds something, in order: one search a line at most."""
    starts, position = [], 0
    while found := look.search(text, position):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        starts.append(start)
        if end < 0:
            break
        position = end + 1
    return starts


@dataclass(frozen=True)
class Finding:
    """Personal information found in a text: the rule it breaks, where, and what (masked)."""

    rule: Rule
    line: int
    column: int
    what: str


def _mask(value: str) -> str:
    """Show enough of a value to find it, not enough to republish it."""
    visible = value[:3]
    return visible + "…" if len(value) > 3 else visible


def _normalized(value: str) -> str:
    return re.sub(r"[\s().+-]", "", value).casefold()


_AMOUNT_AFTER = re.compile(r" ?[$€£%]")


def _international_number(line: str, start: int, end: int) -> bool:
    """A phone number has 8 to 15 digits; an amount (+12 500 000 $) groups its digits by three.

    So a number written +33 123 456 789 is taken for an amount: French numbers are written in pairs.
    """
    number = line[start:end]
    groups = re.split(r"[ .-]", number)[1:]
    amount = len(groups) > 1 and all(len(group) == 3 and group.isdigit() for group in groups)
    return 8 <= sum(c.isdigit() for c in number) <= 15 and not amount and not _AMOUNT_AFTER.match(line, end)


class Look(NamedTuple):
    """What a pattern finds: the rule it breaks, the pattern, the words for it, a last judgement, and a first one.

    ``needs`` finds, in any text where ``pattern`` matches, a part of that match: so a text where it finds
    nothing is not searched with ``pattern`` at all. It starts with a literal or a class of characters, which
    the engine skips to, where the pattern starts with a look behind, which it cannot skip over.
    """

    rule: Rule
    pattern: re.Pattern[str]
    what: str
    plausible: Callable[[str, int, int], bool] | None = None
    needs: re.Pattern[str] | None = None


# What each of these patterns cannot match without (see Look.needs): the at sign or a bracketed "at"; the
# words of a spelled-out address (`_SPELLED_OUT`); the four, three and three digits of a health card; '00'
# and a digit; a pair of digits after 0[1-9] and a space or a dot; ten digits in a row.
_NEEDS_AT = re.compile(r"@|[\[({](?i:at|arobase)[\])}]")
_NEEDS_OHIP = re.compile(r"\d{4}[ -]\d{3}[ -]\d{3}")
_NEEDS_00 = re.compile(r"00[1-9]")
_NEEDS_PAIRS = re.compile(r"0[1-9][ .]\d\d")
_NEEDS_TEN = re.compile(r"\d{10}")

CONTACTS: tuple[Look, ...] = (
    Look(PERSONAL_EMAIL, EMAIL, N_("an e-mail address"), needs=_NEEDS_AT),
    Look(PERSONAL_EMAIL, SPELLED_EMAIL, N_("an e-mail address"), needs=_SPELLED_OUT),
    Look(HEALTH_CARD, RAMQ, N_("a health insurance number")),
    Look(HEALTH_CARD, OHIP, N_("a health card number"), needs=_NEEDS_OHIP),
    Look(PERSONAL_PHONE, PHONE, N_("a phone number")),
    Look(PERSONAL_PHONE, INTERNATIONAL_PHONE, N_("a phone number"), _international_number),
    Look(PERSONAL_PHONE, INTERNATIONAL_PHONE_00, N_("a phone number"), _international_number, _NEEDS_00),
    Look(PERSONAL_PHONE, FRENCH_PHONE, N_("a phone number"), needs=_NEEDS_PAIRS),
    Look(PERSONAL_PHONE, TEN_DIGITS, N_("a phone number"), needs=_NEEDS_TEN),
    Look(POSTAL_ADDRESS, STREET, N_("a street address")),
    Look(POSTAL_ADDRESS, STREET_EN, N_("a street address")),
    Look(POSTAL_ADDRESS, POSTAL_CODE, N_("a postal code")),
)
NAMES = Look(PERSON_NAME, HONORIFIC_NAME, N_("a person's name"))
PATTERNS: tuple[re.Pattern[str], ...] = (
    *(look.pattern for look in (*CONTACTS, NAMES)),
    *(look.needs for look in CONTACTS if look.needs is not None),
    LISTED_NAME,
    WORD,
    _WORTH_A_LOOK,
    _MAY_CHANGE,
    _MAY_CHANGE_IN_NFKC,
    _MAY_CHANGE_IN_NFKC_FIRST,
    _MAY_CHANGE_IN_LATIN_1,
    _MAY_CHANGE_IN_LATIN_1_FIRST,
    _OTHER_DIGITS,
)
"""Every pattern that reads playbook text, for the linear-time tests."""

_SEPARATOR = "\0"  # no pattern matches it, and it is a word boundary as a line's end is


def _matches(lines: list[str], patterns: tuple[Look, ...], first: int = 0) -> dict[int, list[Any]]:
    """Each pattern's matches in each line, by line index, in the order of the patterns (numbered from ``first``).

    The lines are searched as one text joined by NUL: no pattern matches NUL, so no match
    spans two lines, and each line gives the matches that searching it alone would give
    (``tests/test_privacy.py`` checks it), for one search per pattern instead of one per line.
    """
    joined = _SEPARATOR.join(lines)
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    found: dict[int, list[Any]] = {}
    for index, look in enumerate(patterns, start=first):
        if look.needs is not None and not look.needs.search(joined):
            continue
        for match in look.pattern.finditer(joined):
            line = bisect_right(starts, match.start()) - 1
            offset = starts[line]
            found.setdefault(line, []).append((index, match.start() - offset, match.end() - offset, match.group(0)))
    return found


# --- Names of people in short published values ---------------------------------------------------
# A role title or a waiver reason names a position, never a person: two capitalized words in a row
# that are not the vocabulary of health organizations and their roles ("Marie Tremblay", not
# "Mental Health" or "Santé Québec") read as a person's name. Compared without case or accents.
# In English, then French: small words (a sentence's first word is capitalized), dates, roles,
# organizations, care, Quebec's places, and the words of projects and their delays.
VOCABULARY = """
a about after against all an and any as at because before between by during each every for from if in
into its new next no not of on once or our over per since such than that the their these this those to
under until upon via when where while with within without
à au aux avant avec ce ces cet cette chaque chez dans de des depuis du en entre et la le les leur leurs
nos notre nouveau nouvelle ou par pendant pour prochain prochaine sans selon son sous suite sur tous tout
toute toutes un une vers
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday spring summer fall autumn winter week month year quarter
janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi
jeudi vendredi samedi dimanche printemps été automne hiver semaine mois année trimestre
acting adviser advisers advisor advisors agent ambassador analyst assistant associate board chair
chairperson champion chief clinician consultant coordinator counsellor counselor deputy director directors
educator executive facilitator fellow general head interim intern junior lead leader leaders liaison
manager managers member members mentor navigator nurse nurses officer owner partner partners peer
pharmacist physician physicians president principal professor psychologist representative researcher
resident secretary senior specialist sponsor staff steward student surgeon team teams technician
therapist treasurer vice volunteer volunteers worker workers
accompagnateur accompagnatrice adjoint adjointe agente aidant aidants bénévole bénévoles chef cheffe
chercheur chercheuse conseiller conseillère conseillers coordonnateur coordonnatrice directeur directrice
directeurs directrices éducateur éducatrice ergothérapeute gestionnaire gestionnaires infirmier infirmière
infirmiers infirmières intervenant intervenante intervenants médecin médecins membre membres omnipraticien
pair pairs parrain marraine partenaire partenaires patient patiente patients patientes pharmacien
pharmacienne physiothérapeute préposé préposée présidente président professionnel professionnelle
professionnels psychologue répondant répondante représentant représentante responsable secrétaire
spécialiste technicien technicienne travailleur travailleuse usager usagère usagers
academic access accreditation administration administrative affairs agency alliance assembly association
authority branch bureau center centre centres charter clinic clinics college commission commissioner
committee committees communications community complaints council councils department departments
development direction directorate division education ethics evaluation experience finance financial
forum foundation governance government group hospital hospitals human improvement information institute
integrated integration legal ministry minister network networks office operations organization
organisation partnership performance planning policy practice practices program programme programs
project projects provincial public quality regional research resources review risk safety secretariat
security service services shared social steering strategic strategy support table technology training
unit units university user users
accueil affaires agence agrément amélioration association assemblée bureau cabinet cadre centre centres
clinique cliniques collège comité comités commissaire commission communauté communications conseil
continue direction directions division équipe équipes éthique évaluation expérience fondation formation
gouvernance gouvernement groupe hôpital hôpitaux humaines information institut intégré intégrée intégrés
intégrées juridiques ministère ministre ordre partenariat performance plaintes politique pratique
pratiques programme programmes projet projets qualité recherche regroupement régional régionale
ressources risques santé secrétariat sécurité service services sociaux soutien table unité unités
universitaire universitaires université
addiction addictions adult adults ambulatory cancer cardiology care caregiver caregivers child children
clinical disability diseases elderly emergency family health home hospice inpatient intellectual
long mental medical medicine nursing oncology outpatient outpatients palliative pediatric pediatrics
pharmacy physical primary psychiatry psychology rehabilitation surgery term youth
aînés ambulatoire clinique dépendance dépendances domicile durée externe famille hébergement interne
jeunesse longue maladies médical médicale mentale oncologie palliatifs pédiatrie pharmacie psychiatrie
première ligne proches réadaptation soins urgence
québec quebec canada ontario montréal montreal laval sherbrooke gatineau lévis longueuil saguenay
rimouski granby drummondville trois rivières estrie mauricie outaouais laurentides lanaudière montérégie
abitibi témiscamingue gaspésie îles madeleine nord sud est ouest north south east west capitale
nationale chaudière appalaches bas saint sainte st ste lac nunavik cisss ciusss
act action adopted approval approved assessment audit awaiting bill budget change code delayed draft
drafting expected following framework guide law logic merger model ongoing pending phase plan planned
postponed procedure report reorganization scheduled stage survey transition vision waiting work working
attente bilan chantier démarche enquête fusion loi modèle plan prévu prévue projet rapport reporté
réorganisation restructuration sondage transformation
"""

_KNOWN_WORDS = frozenset(
    "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    for word in VOCABULARY.split()
)


def _bare(word: str) -> str:
    """The word without an elision (d', l', O') before it or a possessive or dash after it."""
    word = word.rstrip("'\u2019-")
    if len(word) > 2 and word[1] in "'\u2019":
        word = word[2:]
    return word[:-2] if word.endswith(("'s", "\u2019s")) else word


def _known(word: str) -> bool:
    plain = "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))
    return plain in _KNOWN_WORDS or any(part in _KNOWN_WORDS for part in plain.split("-"))


def _name_like(word: str) -> bool:
    """A word written as a name is: Tremblay, Marc-André, LeBlanc; not CISSS, PhD or advisor."""
    return all(
        len(part) > 1 and part.isalpha() and part[0].isupper() and part[1].islower() and sum(map(str.isupper, part)) < 3
        for part in word.split("-")
    )


def _unknown_pairs(line: str) -> Iterator[tuple[int, int, str]]:
    """Two words written as names, one space apart, neither of the organization's vocabulary."""
    for first, second in pairwise(WORD.finditer(line)):
        if line[first.end() : second.start()] == " " and all(
            _name_like(word) and not _known(word) for word in (_bare(first.group()), _bare(second.group()))
        ):
            yield first.start(), second.end(), line[first.start() : second.end()]


# --- Scanning a text ---------------------------------------------------------------------------------


def _scan(text: str, allowed: tuple[str, ...], names: bool, pairs: bool, first_line: int) -> Iterator[Finding]:
    normal = normalize(text)
    numbered = list(_lines_to_scan(normal.text, first_line, names))
    if not numbered:  # most texts and names: nothing worth a look, so nothing more to prepare
        return
    contacts = [contact for contact in (normalize(a).text.strip() for a in allowed) if contact]
    allowed_keys = {_normalized(contact) for contact in contacts}
    looks = (*CONTACTS, NAMES) if names else CONTACTS
    lines = [line for _, _, line in numbered]
    if names:  # names on every line; the other patterns, as in any text, on the lines worth a look
        index_of = {line_start: index for index, (_, line_start, _) in enumerate(numbered)}
        worth = [index_of[line_start] for _, line_start, _ in _lines_to_scan(normal.text, first_line, False)]
        found = {worth[index]: hits for index, hits in _matches([lines[index] for index in worth], CONTACTS).items()}
        for index, hits in _matches(lines, (NAMES,), first=len(CONTACTS)).items():
            found.setdefault(index, []).extend(hits)
    else:
        found = _matches(lines, CONTACTS)
    listed = {index: hit for index, line in enumerate(lines) if (hit := LISTED_NAME.match(line))} if names else {}
    # Only the lines where something was found (a registry's are all scanned for names; a label's for pairs too).
    for index in range(len(numbered)) if pairs else sorted({*found, *listed}):
        number, line_start, line = numbered[index]
        hits = [
            (looks[which], start, end, value)
            for which, start, end, value in found.get(index, ())
            if looks[which].plausible is None or looks[which].plausible(line, start, end)
        ]
        if index in listed:
            hits.append((NAMES, listed[index].start(1), listed[index].end(1), listed[index].group(1)))
        if pairs:
            hits.extend((NAMES, start, end, value) for start, end, value in _unknown_pairs(line))
        if not hits:
            continue
        allowed_spans = sorted(
            hit.span() for contact in contacts for hit in re.finditer(re.escape(contact), line, re.IGNORECASE)
        )
        allowed_starts = [low for low, _ in allowed_spans]
        allowed_ends = list(accumulate((high for _, high in allowed_spans), max))  # the furthest end so far
        taken = bytearray(len(line) + 1)  # 1 where a finding already is: each position is looked at once a pattern
        for look, start, end, value in hits:
            within = bisect_right(allowed_starts, start) - 1
            if (
                _normalized(value) in allowed_keys
                or (within >= 0 and allowed_ends[within] >= end)
                or any(taken[start:end])
            ):
                continue
            taken[start:end] = b"\x01" * (end - start)
            yield Finding(
                look.rule,
                number,
                normal.column(line_start, line_start + start),
                f"{gettext(look.what)} ('{_mask(value)}')",
            )


def scan_text(text: str, allowed: tuple[str, ...], names: bool = False, first_line: int = 1) -> Iterator[Finding]:
    """Yield personal information found in ``text``, located in it; ``names`` also looks for people's names.

    The text is read as ``normalize`` reads it. Contacts in ``allowed`` (organizational ones) are not
    reported. This is what every published text goes through, whatever its kind.
    """
    return _scan(text, allowed, names, False, first_line)


def scan_label(text: str, allowed: tuple[str, ...]) -> Iterator[Finding]:
    """Yield personal information found in a short published value: a role title, a waiver reason, a title.

    As ``scan_text`` with names, and also any two capitalized words in a row that are not the
    organization's vocabulary ("Coordinator: Marie Tremblay"): such values name positions, never people.
    """
    return _scan(text, allowed, True, True, 1)


def scan_findings(text: str, allowed: tuple[str, ...], names: bool) -> list[Finding]:
    """Every finding of ``scan_text`` in ``text``, as a list (what the cache remembers)."""
    return list(scan_text(text, allowed, names=names))


def _diagnostics(path: str, findings: Iterator[Finding]) -> Iterator[Diagnostic]:
    for finding in findings:
        yield finding.rule.at(
            Location(path, finding.line, finding.column),
            gettext(
                "{what} must not be published: patient advisors' personal information stays out of "
                "the playbook (allow organizational contacts in privacy.allowed_contacts)"
            ).format(what=finding.what),
        )


# An ASCII character that `normalize` may read differently, or a '\r' (every line is then looked at).
_READ_DIFFERENTLY_IN_ASCII = re.compile(rf"[{re.escape(_ASCII_MAY_CHANGE)}\r]")


def name_findings(name: str, allowed: tuple[str, ...]) -> list[Finding]:
    """Personal information in a published name (a file's site path, an artifact's id), read as words.

    Dashes, underscores and slashes part the words of a file name (``minutes-514-555-0199.txt``):
    each is read as a space, so that a number or an address is found as it would be in a sentence.
    """
    words = name.replace("-", " ").replace("_", " ").replace("/", " ")  # 3 copies in C: a translate was 7 times slower
    if (
        name.isascii()
        and not _READ_DIFFERENTLY_IN_ASCII.search(name)
        and not _WORTH_A_LOOK.search(name)
        and not _WORTH_A_LOOK.search(words)
        and not _may_spell_out(words)
    ):
        return []  # most names: each reading is read as written, and has no line worth a look, so nothing
    found = list(scan_text(name, allowed))
    seen = {(finding.rule.code, finding.column) for finding in found}
    found += [f for f in scan_text(words, allowed) if (f.rule.code, f.column) not in seen]
    return found


def finding_rows(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    """Findings as rows of plain values (the rule's code, line, column, what), as the cache keeps them."""
    return [(finding.rule.code, finding.line, finding.column, finding.what) for finding in findings]


def _findings(rows: Iterable[tuple[Any, ...]]) -> Iterator[Finding]:
    """The findings of ``finding_rows``' rows."""
    from pptoolkit.checking.rules import BY_CODE

    for code, line, column, what in rows:
        yield Finding(BY_CODE[code], line, column, what)


def _names_published(playbook: Playbook, allowed: tuple[str, ...]) -> Iterator[Diagnostic]:
    """Personal information in the names the site publishes: every published file's path, every artifact's id."""
    from pptoolkit.checking.per_file import artifact_answers, published_answers  # it imports this module

    for published in playbook.publication.files:
        if published.content is not None:
            found: Iterable[Finding] = _findings(
                published_answers(playbook, published, published.content).get("name", ())
            )
        else:
            found = name_findings(published.site_path, allowed)[:1]
        for finding in found:
            yield finding.rule.at(
                Location(published.source),
                gettext(
                    "the file's name contains {what}, which must not be published: the site shows it "
                    "in the file's address; rename the file"
                ).format(what=finding.what),
            )
    for artifact in playbook.artifacts:
        for finding in _findings(artifact_answers(playbook, artifact).get("id", ())):
            yield finding.rule.at(
                artifact.at("id"),
                gettext(
                    "the id contains {what}, which must not be published: the site shows it in the address "
                    "of the artifact's page; change the id"
                ).format(what=finding.what),
            )


def small_cells(playbook: Playbook) -> Iterator[Diagnostic]:
    """Indicator values below the small-cell threshold: published as "< N"."""
    threshold = playbook.settings.privacy.small_cell_threshold
    for artifact in playbook.artifacts:
        if not isinstance(artifact.model, Indicators):
            continue
        for index, indicator in enumerate(artifact.model.indicators):
            if is_small_cell(indicator.value, indicator.unit, threshold):
                yield SMALL_CELL.at(
                    artifact.at("indicators", index, "value"),
                    # Not the value itself: this message is published too (the site's gaps page).
                    gettext("indicator '{name}' is below {threshold}: it is published as '< {threshold}'").format(
                        name=indicator.name, threshold=threshold
                    ),
                )


def is_small_cell(value: float | None, unit: str, threshold: int) -> bool:
    """True for a count (not a percentage or a rate) above zero and below the threshold."""
    if value is None or value == 0 or "%" in unit or "percent" in unit.casefold():
        return False
    return value < threshold


def privacy_checks(playbook: Playbook) -> Iterator[Diagnostic]:
    """Every piece of personal information in what the playbook publishes, and every small cell."""
    from pptoolkit.checking.per_file import artifact_answers, published_answers  # it imports this module

    allowed = playbook.settings.privacy.allowed_contacts
    for artifact in playbook.artifacts:
        yield from _diagnostics(artifact.path, _findings(artifact_answers(playbook, artifact).get("privacy", ())))
    for published, text in playbook.publication.sources():
        yield from _diagnostics(
            published.source, _findings(published_answers(playbook, published, text).get("privacy", ()))
        )
    yield from _names_published(playbook, allowed)
    for practice in playbook.matrix.practices:  # each title is published on its practice's page and more
        line, column = playbook.matrix.positions[practice.id]
        titles = {practice.title, *(t.title for t in practice.translations.values() if t.title)}
        for text in practice.texts():  # its note and clauses, in every language, too
            for finding in scan_label(text, allowed):
                message = (
                    gettext("the title of practice {practice} contains {what}")
                    if text in titles
                    else gettext("the note or a clause of practice {practice} contains {what}")
                )
                yield finding.rule.at(
                    Location(playbook.matrix.path, line, column),
                    message.format(practice=practice.id, what=finding.what),
                    practice=practice.id,
                )
    for role in playbook.roles.values():
        for finding in scan_label(role.model.title, allowed):
            yield finding.rule.at(
                role.at("title"),
                gettext("the title of role '{role}' contains {what}").format(role=role.model.id, what=finding.what),
            )
        for language, title in role.model.titles.items():  # published on that language's pages
            for finding in scan_label(title, allowed):
                yield finding.rule.at(
                    role.at("titles"),
                    gettext("the {language} title of role '{role}' contains {what}").format(
                        language=language, role=role.model.id, what=finding.what
                    ),
                )
    for waiver in playbook.waivers:
        waived = waiver.model.practice
        # The message is published too (the gaps page): it names the practice only when it is one.
        which = gettext("the waiver for {practice}").format(practice=waived) if playbook.matrix.get(waived) else None
        for key, value in (("practice", waived), ("reason", waiver.model.reason)):
            for finding in scan_label(value, allowed):
                message = (
                    gettext("the {key} of {waiver} contains {what}").format(key=key, waiver=which, what=finding.what)
                    if which
                    else gettext("the {key} of a waiver contains {what}").format(key=key, what=finding.what)
                )
                yield finding.rule.at(waiver.at(key), message)
    for entry in playbook.not_applicable:  # published on the practice's page, the gaps page and reviews.ics
        known = bool(playbook.matrix.get(entry.model.practice))
        for key, value in (("practice", entry.model.practice), ("reason", entry.model.reason)):
            for finding in scan_label(value, allowed):
                message = (
                    gettext("the {key} of the not-applicable entry for {practice} contains {what}").format(
                        key=key, practice=entry.model.practice, what=finding.what
                    )
                    if known
                    else gettext("the {key} of a not-applicable entry contains {what}").format(
                        key=key, what=finding.what
                    )
                )
                yield finding.rule.at(entry.at(key), message)
    labels: dict[str, list[Finding]] = {}  # the teams of thousands of projects name the same few positions
    for artifact in playbook.artifacts:  # a QI project's team names positions, as role titles do
        if isinstance(artifact.model, QIProject):
            for index, position in enumerate(artifact.model.team):
                found = labels.get(position)
                if found is None:
                    found = labels[position] = list(scan_label(position, allowed))
                for finding in found:
                    what = gettext("the team of QI project '{project}' contains {what}").format(
                        project=artifact.model.id, what=finding.what
                    )
                    yield finding.rule.at(artifact.at("team", index), what)
    yield from small_cells(playbook)
