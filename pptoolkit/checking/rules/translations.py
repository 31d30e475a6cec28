"""PP901 to PP905, translations: files of a playbook in several languages, their pairs and their freshness.

A playbook that declares several ``languages`` keeps one file per language: ``vision.md`` in the
default language (the original), ``vision.en.md`` its English translation. The loader pairs them
(``pptoolkit.loading.translations``) and emits PP901, PP902 and PP905 where it finds them; the
checks below say when a translation is stale or missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, W, check
from pptoolkit.i18n import _
from pptoolkit.model.diagnostics import Location, Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook

UNKNOWN_LANGUAGE = Rule(
    "PP901",
    "unknown-language",
    E,
    """
An artifact's file name ends with a language (`vision.de.md`) that the playbook does not declare.

Why: a file `NAME.LANG.md` is the translation of `NAME.md` into LANG, one of the plugin entry's `languages`;
any other suffix is a typo or a language to declare, and the file is not checked until then.
""",
)
TRANSLATION_DISAGREES = Rule(
    "PP902",
    "translation-disagrees",
    E,
    """
A translation repeats a field it shares with its original (`id`, `kind`, `owner`, `status`, dates, `implements`,
`evidence` ...) with another value.

Why: the files of a pair are one artifact; only the title, the body and the fields that are prose are translated.
Leave the shared field out of the translation (it comes from the original) or make it agree.
""",
)
TRANSLATION_STALE = Rule(
    "PP903",
    "translation-stale",
    W,
    """
A translation does not translate the current text of its original (or says nothing of which version it translates).

Why: the original is the text that was adopted; a translation that lags behind tells readers something else.
Update the translation, then record it with `pptoolkit translate --stamp FILE`, which writes `translation_of:`.
""",
)
TRANSLATION_MISSING = Rule(
    "PP904",
    "translation-missing",
    W,
    """
An artifact has no translation into one of the playbook's languages.

Why: each language of the playbook is a site readers rely on. Languages listed in the plugin entry's
`optional_translations` are not reported; `rules: {PP904: error}` makes the others errors.
Start one with `pptoolkit new --translate FILE --lang LANG`.
""",
)
TRANSLATION_ORPHAN = Rule(
    "PP905",
    "translation-orphan",
    E,
    """
A translation has no valid original: no file `NAME.md` beside `NAME.LANG.md`, or one that does not load.

Why: a translation takes its shared fields from its original; without one it is not checked or published.
""",
)

RULES = (UNKNOWN_LANGUAGE, TRANSLATION_DISAGREES, TRANSLATION_STALE, TRANSLATION_MISSING, TRANSLATION_ORPHAN)


@check(TRANSLATION_STALE)
def stale_translations(playbook: Playbook, today: date) -> Iterator[Found]:
    """A translation whose `translation_of` stamp is not the fingerprint of its original's current text."""
    from pptoolkit.loading.translations import STAMP_KEY, fingerprint

    for translation in playbook.translations:
        original = playbook.artifact_at(translation.original)
        if original is None:
            continue
        where = translation.stamp_at or Location(translation.path)
        if translation.stamp is None:
            yield Found(
                where,
                _(
                    "'{path}' does not say which version of '{original}' it translates: once it is up to date, "
                    "run 'pptoolkit translate --stamp {path}' (it writes '{key}:')"
                ).format(path=translation.path, original=translation.original, key=STAMP_KEY),
            )
        elif translation.stamp != fingerprint(original):
            yield Found(
                where,
                _(
                    "'{path}' translates an earlier version of '{original}': update the translation, "
                    "then run 'pptoolkit translate --stamp {path}'"
                ).format(path=translation.path, original=translation.original),
            )


@check(TRANSLATION_MISSING)
def missing_translations(playbook: Playbook, today: date) -> Iterator[Found]:
    """An original without a translation into a language of the playbook that is not in `optional_translations`."""
    from pptoolkit.loading.translations import translation_path

    settings = playbook.settings
    wanted = [lang for lang in settings.languages[1:] if lang not in settings.optional_translations]
    if not wanted:
        return
    have = {(t.original, t.language) for t in playbook.translations}
    for artifact in playbook.artifacts:
        for language in wanted:
            if (artifact.path, language) not in have:
                expected = translation_path(artifact.path, language)
                yield Found(
                    Location(artifact.path),
                    _(
                        "'{path}' has no '{language}' translation ('{expected}'): start it with "
                        "'pptoolkit new --translate {path} --lang {language}'"
                    ).format(path=artifact.path, language=language, expected=expected),
                )


CHECKS = (stale_translations, missing_translations)
