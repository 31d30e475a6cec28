"""The abbreviations of the study and of Quebec's health network, explained where they appear on the site.

The study's matrix and the organization's texts say PP, PA, QI, HCO; Python-Markdown's ``abbr``
extension, given these as its ``glossary``, marks each occurrence on every page with
``<abbr title="...">``, which the browser (and the theme's tooltips, on a touch screen too) shows.
"""

from __future__ import annotations

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
