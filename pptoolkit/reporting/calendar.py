"""``pptoolkit calendar``: the reviews and waiver expiries as an iCalendar file (RFC 5545).

One all-day event per current artifact on its `review_by` date, with its owner
and the link to its page, and one per waiver on its `expires` date, so that
managers see them in their own calendar. UIDs are stable (the artifact's id,
the waiver's practice, or a hash of it when it is not a plain name), and differ per
language (``-en`` after the event's kind in a language other than the playbook's default), so that a
reader who subscribes to the calendars of two languages gets each event of each: importing a newer file
updates the events instead of adding copies. The text is written by
hand: only TEXT escaping, line folding and CRLF line ends are needed; every value
from the playbook is escaped, so none can add a property or an event.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import quote

from pptoolkit import __version__
from pptoolkit.checking.checker import Result
from pptoolkit.i18n import current_language, gettext, language_for
from pptoolkit.i18n.vocabulary import artifact_status_word, role_type
from pptoolkit.model.matrix import LEVEL_TITLES
from pptoolkit.reporting.language_view import in_language
from pptoolkit.reporting.printable import utf8_safe

PRODID = f"-//pptoolkit//Review calendar {__version__}//EN"
FOLD_AT = 75
"""Octets per line before folding (RFC 5545, section 3.1)."""
ONE_DAY = timedelta(days=1)
CALENDAR_FILE = "reviews.ics"
"""The calendar's name on the site."""


@dataclass(frozen=True)
class Event:
    """An all-day event: a stable UID, the day, and what managers read."""

    uid: str
    day: date
    summary: str
    description: str
    url: str | None = None
    categories: str = ""


LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""What a reader of the file may take for the end of a line (``str.splitlines`` does): a ``\\n`` in TEXT."""
CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
"""The other control characters, which RFC 5545 allows in no value (tab is white space)."""


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545, section 3.3.11).

    Other control characters are removed, and a file name's bytes that are not UTF-8 are written ``\\xNN``.
    """
    value = CONTROLS.sub("", utf8_safe(value))
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return LINE_BREAKS.sub("\\\\n", value)


URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%~"
"""Characters a URI holds as they are (RFC 3986) besides letters and digits: the rest is percent-encoded."""

SAFE_UID = re.compile(r"[A-Za-z0-9._-]{1,100}")
"""A name that can go into a UID as it is; any other is replaced by its hash."""


def uid(name: str, what: str) -> str:
    """A UID for the ``what`` event of ``name`` (an artifact id, a practice): stable, and one line of safe text."""
    if not SAFE_UID.fullmatch(name):
        name = "h" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{name}-{what}@pptoolkit"


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never splitting a UTF-8 character."""
    if len(line) <= FOLD_AT and len(line.encode("utf-8")) <= FOLD_AT:
        return line  # most lines fit: no need to weigh them character by character
    pieces: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_AT - 1  # a continuation line starts with a space
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _day(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"  # strftime writes the year 1 as "1"


def review_events(result: Result, site_url: str | None = None) -> list[Event]:
    """The events: one per artifact that is not retired, then one per waiver, then one per practice not applicable.

    In the language in use: a translated artifact's title and a role's title in that language, as the site's tree
    of that language shows them.
    """
    events: list[Event] = []
    default = result.playbook.settings.default_language
    language = language_for(default)
    result = in_language(result, language)
    of_language = "" if language == default else f"-{language}"  # the French and English calendars differ
    for artifact in result.playbook.artifacts:
        model = artifact.model
        if model.status == "retired":
            continue
        role = result.playbook.roles.get(model.owner)
        owner = (
            gettext("{title} ({role}, {level} manager)").format(
                title=role.model.title, role=model.owner, level=gettext(LEVEL_TITLES[role.model.level]).lower()
            )
            if role and role.model.level and role.model.is_manager
            else gettext("{title} ({role}, {type})").format(
                title=role.model.title, role=model.owner, type=role_type(role.model.type)
            )
            if role
            else gettext("{role} (not a role of the registry)").format(role=model.owner)
        )
        page = f"artifacts/{model.id}.html"  # the artifact's page on the site (pages.artifact_path)
        lines = [
            gettext("Owner: {owner}").format(owner=owner),
            gettext("Status: {status}").format(status=artifact_status_word(model.status)),
        ]
        if model.implements:
            lines.append(gettext("Practices: {practices}").format(practices=", ".join(model.implements)))
        lines += [gettext("Page: {page}").format(page=page), gettext("File: {path}").format(path=artifact.path)]
        events.append(
            Event(
                uid=uid(model.id, "review" + of_language),
                day=model.review_by,
                summary=gettext("Review: {title}").format(title=model.title),
                description="\n".join(lines),
                url=f"{site_url.rstrip('/')}/{page}" if site_url else None,
                categories=gettext("Review"),
            )
        )
    for waiver in result.playbook.waivers:
        w = waiver.model
        role = result.playbook.roles.get(w.approved_by)
        approver = f"{role.model.title} ({w.approved_by})" if role else w.approved_by
        practice = result.playbook.matrix.get(w.practice)
        title = f"{w.practice}: {practice.title_in(current_language())}" if practice else w.practice
        events.append(
            Event(
                uid=uid(w.practice, "waiver" + of_language),
                day=w.expires,
                summary=gettext("Waiver expires: {practice}").format(practice=w.practice),
                description=gettext("Practice: {title}\nReason: {reason}\nApproved by: {role}\nFile: {path}").format(
                    title=title, reason=w.reason, role=approver, path=waiver.where.path
                ),
                categories=gettext("Waiver"),
            )
        )
    for entry in result.playbook.not_applicable:
        n = entry.model
        role = result.playbook.roles.get(n.approved_by)
        approver = f"{role.model.title} ({n.approved_by})" if role else n.approved_by
        practice = result.playbook.matrix.get(n.practice)
        title = f"{n.practice}: {practice.title_in(current_language())}" if practice else n.practice
        events.append(
            Event(
                uid=uid(n.practice, "not-applicable" + of_language),
                day=n.review_by,
                summary=gettext("Review not applicable: {practice}").format(practice=n.practice),
                description=gettext("Practice: {title}\nReason: {reason}\nApproved by: {role}\nFile: {path}").format(
                    title=title, reason=n.reason, role=approver, path=entry.where.path
                ),
                categories=gettext("Applicability"),
            )
        )
    return _unique(events)


def _unique(events: list[Event]) -> list[Event]:
    """Number repeated UIDs (two artifacts with one id, two waivers of one practice) so none hides another."""
    seen: Counter[str] = Counter()
    unique = []
    for event in events:
        seen[event.uid] += 1
        if seen[event.uid] > 1:
            name, _, domain = event.uid.partition("@")
            event = replace(event, uid=f"{name}-{seen[event.uid]}@{domain}")
        unique.append(event)
    return unique


def _site_name(result: Result) -> str:
    """The site's name for readers of the language in use (its ``site_names`` entry)."""
    settings = result.playbook.settings
    return settings.site_name_in(language_for(settings.default_language))


def _lines(result: Result, events: list[Event]) -> Iterator[str]:
    stamp = f"{_day(result.today)}T000000Z"  # the checked day: the same playbook gives the same file
    yield from (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape_text(gettext("Reviews · {site}").format(site=_site_name(result))),
    )
    for event in events:
        yield from (
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(event.day)}",
            # one day long: to the next day, or for the last date there is, for a duration of one day
            f"DTEND;VALUE=DATE:{_day(event.day + ONE_DAY)}" if event.day < date.max else "DURATION:P1D",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
        )
        if event.url:
            yield f"URL:{quote(utf8_safe(event.url), safe=URI_CHARACTERS)}"
        if event.categories:
            yield f"CATEGORIES:{escape_text(event.categories)}"
        yield from ("TRANSP:TRANSPARENT", "END:VEVENT")
    yield "END:VCALENDAR"


def review_calendar(result: Result, site_url: str | None = None) -> str:
    """The iCalendar text (CRLF line ends, folded lines); ``site_url`` makes each event link to its page."""
    return "".join(f"{fold(line)}\r\n" for line in _lines(result, review_events(result, site_url)))
