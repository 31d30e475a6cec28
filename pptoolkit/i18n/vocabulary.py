"""The domain's words that messages and pages share, in the language in use.

The values stay English in files and outputs that machines read (``top``, ``no-owner``); these
functions give the word a person reads in a sentence. English keeps the value itself, so English
messages read as they always did.
"""

from __future__ import annotations

from pptoolkit.i18n import N_, pgettext

FIELD_LABELS: dict[str, str] = {
    "access": N_("Access"),
    "activity": N_("Activity"),
    "advisors": N_("Patient advisors"),
    "advisors_joined": N_("Advisors joined at"),
    "amount": N_("Amount"),
    "audience": N_("Audience"),
    "audiences": N_("Audiences"),
    "budget": N_("Budget"),
    "changes": N_("What changed thanks to the advisors"),
    "channels": N_("Channels"),
    "clause": N_("Clause"),
    "code_section": N_("Code section"),
    "committee": N_("Committee"),
    "continuity": N_("Continuity"),
    "count": N_("Count"),
    "currency": N_("Currency"),
    "date": N_("Date"),
    "definition": N_("Definition"),
    "department": N_("Department"),
    "description": N_("Description"),
    "duration_hours": N_("Duration hours"),
    "engagement_continuum": N_("Engagement continuum"),
    "expenses_reimbursed": N_("Expenses reimbursed"),
    "fiscal_year": N_("Fiscal year"),
    "format": N_("Format"),
    "frequency": N_("Frequency"),
    "goal": N_("Goal"),
    "goals": N_("Goals"),
    "held_in": N_("Held in"),
    "id": N_("Id"),
    "indicators": N_("Indicators"),
    "instruments": N_("Instruments"),
    "managed_by": N_("Managed by"),
    "meeting_frequency": N_("Meeting frequency"),
    "membership": N_("Membership"),
    "messages": N_("Messages"),
    "method": N_("Method"),
    "name": N_("Name"),
    "period": N_("Period"),
    "period_end": N_("Period end"),
    "period_start": N_("Period start"),
    "principles": N_("Principles"),
    "quorum": N_("Quorum"),
    "rates": N_("Rates"),
    "reports_to": N_("Reports to"),
    "respondents": N_("Respondents"),
    "responsibilities": N_("Responsibilities"),
    "retention": N_("Retention"),
    "reviews": N_("Reviews"),
    "role": N_("Role"),
    "rules": N_("Rules"),
    "statement": N_("Statement"),
    "steps": N_("Steps"),
    "strategies": N_("Strategies"),
    "summary": N_("Summary"),
    "targets": N_("Targets"),
    "team": N_("Team"),
    "unit": N_("Unit"),
    "value": N_("Value"),
    "values": N_("Values"),
    "voting": N_("Voting"),
}
"""The label of each field of the kinds on their pages (a test holds it to the models)."""


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
