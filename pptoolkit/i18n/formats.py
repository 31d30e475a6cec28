"""Numbers, money, percentages and dates as a reader of the language in use expects them.

Babel knows each locale's separators and patterns (French: ``62 000 $``, ``45 %`` with non-breaking
spaces, ``18 juin 2025``); it is imported on first use: by page generation, and by a check only when one of
its messages holds a number or a date (``la ligne 7 a 200 000 caractères``, ``prend fin le 10 décembre 2026``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pptoolkit.i18n import SOURCE_LANGUAGE, current_language

LOCALES = {"fr": "fr_CA", "en": "en_CA"}
"""The locale of each language the tool speaks: Canadian, as the study and its first users are."""


def locale() -> str:
    """The Babel locale of the language in use (English for a language the tool does not speak)."""
    return LOCALES.get(current_language(), LOCALES[SOURCE_LANGUAGE])


def number(value: float) -> str:
    """A number with the locale's grouping and decimal separators (``62 000``, ``1,5``)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale())


def money(amount: float, currency: str) -> str:
    """An amount of money, without cents when there are none (``62 000 $`` in French, ``$62,000`` in English)."""
    from babel import Locale
    from babel.numbers import format_currency

    pattern = Locale.parse(locale()).currency_formats["standard"].pattern
    if amount == int(amount):
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale(), currency_digits=False)


def percent(value: float) -> str:
    """A percentage given in points (``45`` → ``45 %`` in French, ``45%`` in English)."""
    from babel.numbers import format_percent

    return format_percent(value / 100, locale=locale(), decimal_quantization=False)


def long_date(day: date) -> str:
    """A date in words, for prose (``18 juin 2025``, ``June 18, 2025``)."""
    return _long_date(day, locale())


@lru_cache(maxsize=4096)
def _long_date(day: date, in_locale: str) -> str:
    """Kept: a site writes the same few dates again and again (65,000 times at 5,000 artifacts, 0.6 s in Babel)."""
    from babel.dates import format_date

    return format_date(day, "long", locale=in_locale)
