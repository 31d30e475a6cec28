"""The tool's words in each language: gettext catalogs, and the language in use.

Every sentence the tool writes for people is an English message wrapped in :func:`_` (or
:func:`ngettext` when it counts something); French, and any later language, comes from the
catalog ``locales/<lang>/LC_MESSAGES/pptoolkit.mo`` (compiled from the ``.po`` beside it by Babel).
The language is a context variable, set by :func:`use_language` around a command or a page, so
that one process can write a French site and an English one. Catalogs load on first use, once per
language; a language without a catalog speaks English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import NullTranslations

DOMAIN = "pptoolkit"
LOCALES = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "fr")
"""The languages the tool speaks: English (the messages in the code) and those with a catalog."""

_chosen: ContextVar[str | None] = ContextVar("pptoolkit_language", default=None)


def chosen_language() -> str | None:
    """The language a caller asked for (``--lang``, a page tree), or None when nobody chose one."""
    return _chosen.get()


def current_language() -> str:
    """The language the tool speaks now: the chosen one, else English."""
    return _chosen.get() or SOURCE_LANGUAGE


def language_for(default: str) -> str:
    """The language to speak for a playbook whose default language is ``default``: the chosen one, else it."""
    return _chosen.get() or default


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Speak ``language`` inside the block (None keeps the language in use); yields the language in use."""
    token = _chosen.set(language or _chosen.get())
    try:
        yield current_language()
    finally:
        _chosen.reset(token)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language``, read once; English and languages without a catalog translate nothing."""
    import gettext  # only when a message is translated: English never pays for it

    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def catalog_file(language: str) -> Path:
    """Where the compiled catalog of ``language`` is (it may not exist)."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _(message: str) -> str:
    """``message`` in the language in use."""
    language = current_language()
    return message if language == SOURCE_LANGUAGE else translations(language).gettext(message)


def gettext(message: str) -> str:
    """Same as :func:`_`, for modules where ``_`` is a throwaway name."""
    return _(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the language in use (French: 0 and 1 are singular)."""
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return singular if count == 1 else plural
    return translations(language).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use, where a short word needs its ``context`` (``level``: "top")."""
    language = current_language()
    return message if language == SOURCE_LANGUAGE else translations(language).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now: for tables built at import time."""
    return message
