"""The domain's words that messages and pages share, in the language in use.

The values stay English in files and outputs that machines read (``top``, ``no-owner``); these
functions give the word a person reads in a sentence. English keeps the value itself, so English
messages read as they always did.
"""

from __future__ import annotations

from pptoolkit.i18n import pgettext


def level_word(level: str) -> str:
    """A management level as a word of a sentence (``top``; in French ``haute direction``)."""
    words = {
        "top": pgettext("level", "top"),
        "mid": pgettext("level", "mid"),
        "front": pgettext("level", "front"),
    }
    return words.get(level, level)


def status_word(status: str) -> str:
    """A coverage status as a word of a sentence (``no-owner``; in French ``sans responsable``)."""
    words = {
        "covered": pgettext("status", "covered"),
        "stale": pgettext("status", "stale"),
        "waived": pgettext("status", "waived"),
        "missing": pgettext("status", "missing"),
        "no-owner": pgettext("status", "no-owner"),
        "no-evidence": pgettext("status", "no-evidence"),
        "not-applicable": pgettext("status", "not-applicable"),
        "no-patient-partner": pgettext("status", "no-patient-partner"),
    }
    return words.get(status, status)


def role_type(kind: str) -> str:
    """A role's type as a word of a sentence (``patient-partner``; in French ``patient partenaire``)."""
    words = {
        "manager": pgettext("role type", "manager"),
        "patient-partner": pgettext("role type", "patient-partner"),
        "committee": pgettext("role type", "committee"),
        "professional": pgettext("role type", "professional"),
    }
    return words.get(kind, kind)


def artifact_status_word(status: str) -> str:
    """An artifact's status as a word (``approved``; in French ``approuvé``), as its page and the calendar show it."""
    words = {
        "draft": pgettext("artifact status", "draft"),
        "approved": pgettext("artifact status", "approved"),
        "retired": pgettext("artifact status", "retired"),
    }
    return words.get(status, status)
