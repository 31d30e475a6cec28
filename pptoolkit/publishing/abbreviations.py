"""The abbreviations of the study and of Quebec's health network, explained where they appear on the site.

The study's matrix and the organization's texts say PP, PA, QI, HCO; Python-Markdown's ``abbr``
extension, given these as its ``glossary``, marks each occurrence on every page with
``<abbr title="...">``, which the browser (and the theme's tooltips, on a touch screen too) shows.
"""

from __future__ import annotations

import re

from pptoolkit.i18n import N_, _, use_language

ABBREVIATIONS: dict[str, str] = {
    "PP": N_("patient partnership (the study's abbreviation)"),
    "PA": N_("patient advisor (the study's abbreviation)"),
    "QI": N_("quality improvement"),
    "HCO": N_("healthcare organization"),
    "CISSS": N_("integrated health and social services centre (Quebec)"),
    "CIUSSS": N_("integrated university health and social services centre (Quebec)"),
}
"""Each abbreviation and what it means, in English in the code (the catalogs hold the other languages)."""


def glossary(language: str) -> dict[str, str]:
    """The abbreviations and their meanings in ``language``: the ``glossary`` of the ``abbr`` extension."""
    with use_language(language):
        return {abbreviation: _(meaning) for abbreviation, meaning in ABBREVIATIONS.items()}


_ABBR_TAG = re.compile(r"<abbr[\s>]|</abbr>")


def unnested(html: str) -> str:
    """``html`` with every ``<abbr>`` that lies inside another unwrapped: its text stays, its tags go.

    The ``abbr`` extension marks a glossary word wherever it is in the text, also inside an author's own
    ``<abbr title="...">CISSS</abbr>`` (Python-Markdown keeps raw inline tags apart from the text between
    them); the author's explanation wins. ``html`` is sanitized: every ``<`` opens a tag, and a ``>`` in a
    value is written ``&gt;``, so the first ``>`` after ``<abbr`` ends the tag.
    """
    parts: list[str] = []
    dropped: list[bool] = []  # for each <abbr> open at this point: whether its tags are left out
    position = 0
    for tag in _ABBR_TAG.finditer(html):
        if tag.start() < position:
            continue
        if tag.group() == "</abbr>":
            drop, end = (dropped.pop() if dropped else False), tag.end()
        else:
            drop, end = bool(dropped), html.find(">", tag.start()) + 1
            dropped.append(drop)
        if drop:
            parts.append(html[position : tag.start()])
            position = end
    parts.append(html[position:])
    return "".join(parts)
