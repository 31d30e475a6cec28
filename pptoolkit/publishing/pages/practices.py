"""One page per practice: the study's words, what it requires, its artifacts and evidence."""

from __future__ import annotations

import html
from datetime import date

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage
from pptoolkit.i18n import _, current_language
from pptoolkit.i18n import formats as fmt
from pptoolkit.model.matrix import CASE_CONTEXTS, TYPE_PURPOSES, TYPE_TITLES, Practice
from pptoolkit.publishing.pages.common import (
    LEVEL_TAGS,
    PRACTICE_BOOST,
    Page,
    artifact_path,
    artifact_status,
    badge,
    esc,
    front_matter,
    level_path,
    level_title,
    link,
    owner_links,
    practice_path,
    practice_title,
    role_label,
    table,
    translation_note,
    type_title,
)
from pptoolkit.reading.links import LinkKind


def cases_section() -> str:
    """The context of each of the study's cases (the numbers a practice is observed in)."""
    lines = ["## " + _("The study's cases") + " {: #cases }\n"]
    lines += [_case_line(n, context) for n, context in CASE_CONTEXTS.items()]
    return "\n".join(lines) + "\n"


def _study_section(practice: Practice) -> str:
    """What the study says of the practice beyond its title: its type's purpose, its cases, clauses and note."""
    parts = ["## " + _("What the study says") + "\n"]
    if practice.type in TYPE_PURPOSES:
        parts.append(f"**{esc(type_title(practice.type))}.** {esc(_(TYPE_PURPOSES[practice.type]))}\n")
    cases = [
        "- **" + _("Observed in case {number}:").format(number=n) + f"** {esc(_(CASE_CONTEXTS[n]))}"
        for n in practice.cases
        if n in CASE_CONTEXTS
    ]
    if cases:
        parts.append("\n".join(cases) + "\n")
    language = current_language()
    if practice.clauses:
        texts = zip(practice.clause_texts_in(language), practice.clauses, strict=True)
        parts.append("\n".join(f"- {esc(text)} ({esc(_cases(c.cases))})" for text, c in texts) + "\n")
    note = practice.note_in(language)
    if note:
        parts.append('!!! note "' + esc(_("About the study's table")) + f'"\n\n    {esc(note)}\n')
    return "\n".join(parts)


def _cases(numbers: tuple[int, ...]) -> str:
    """``case 1, case 2`` in the language in use."""
    return ", ".join(_("case {number}").format(number=n) for n in numbers)


def _case_line(number: int, context: str) -> str:
    """A case of the study and its context, as an item of a list."""
    return "- **" + _("Case {number}.").format(number=number) + f"** {esc(_(context))}"


def _requirements_section(result: Result, coverage: PracticeCoverage) -> str:
    """What this organization requires to call the practice covered, beyond an owner and evidence."""
    practice = coverage.practice
    lines = []
    if "patient-partner" in practice.requires:
        partners = ", ".join(esc(role_label(result, role)) for role in coverage.partners) or _("none yet")
        lines.append(
            "- **"
            + _("Patient partners required.")
            + "** "
            + _("Co-constructed with or signed by: {partners}.").format(partners=partners)
        )
    if practice.evidence_max_age_days is not None:
        newest = fmt.long_date(coverage.newest_evidence) if coverage.newest_evidence else _("none")
        lines.append(
            "- **"
            + _("Recurring.")
            + "** "
            + _("Evidence at most {days} days old; newest: {date}.").format(
                days=practice.evidence_max_age_days, date=esc(newest)
            )
        )
    if not lines:
        return ""
    return (
        "## "
        + _("What this organization requires")
        + "\n\n"
        + _("The organization's choice, not the study's:")
        + "\n\n"
        + ("\n".join(lines) + "\n")
    )


def _evidence_rows(result: Result, page: str, coverage: PracticeCoverage) -> list[list[str]]:
    rows = []
    implementing = {a.model.id: a for a in coverage.artifacts}
    for item in coverage.evidence:
        artifact = implementing.get(item.artifact)
        source = artifact.path if artifact else ""
        where = evidence_link(result, page, source, item.link, item.title) if artifact else esc(item.title)
        if item.valid:
            state = _("Yes")
        elif item.date > result.today:
            state = _("No: dated after today")
        else:
            state = _("No: its link cannot be opened")
        rows.append(
            [
                fmt.long_date(item.date),
                where,
                link(page, artifact_path(item.artifact), artifact.model.title if artifact else item.artifact),
                state,
            ]
        )
    return rows


def evidence_destination(result: Result, source: str, raw: str) -> str | None:
    """Where a link written in the file ``source`` leads on the site: an artifact's page, a published file
    (both as site source paths), a web address, or None when it must not be linked."""
    found = result.playbook.links.classify(raw, source)
    if found.kind is LinkKind.FILE and found.target is not None:
        publication = result.playbook.publication
        other = result.playbook.artifact_at(publication.artifact_for(found.target) or "")
        if other is not None:
            return artifact_path(other.model.id)
        published = publication.file_for(found.target)
        return published.site_path if published is not None else None  # a file that is not published: no link
    if found.kind in (LinkKind.HTTPS, LinkKind.HTTP):
        return raw.strip().replace(">", "%3E").replace(" ", "%20")
    return None


def evidence_link(result: Result, page: str, source: str, raw: str, title: str) -> str:
    destination = evidence_destination(result, source, raw)
    if destination is None:
        return _("{title} (link unavailable)").format(title=esc(title))
    if "://" in destination:
        return f"[{esc(title)}](<{destination}>)"
    return link(page, destination, title)


def practice_page(result: Result, coverage: PracticeCoverage) -> Page:
    """One practice: the study's wording and cases, owners, artifacts, evidence, reviews, related practices."""
    practice = coverage.practice
    page = practice_path(practice.id)
    tags = [practice.type, *(LEVEL_TAGS[level] for level in practice.levels), coverage.status]
    cases = ", ".join(_("case {number}").format(number=n) for n in practice.cases) or "—"
    parts = [
        front_matter(
            f"{practice.id}: {practice_title(practice)}",
            tags if practice.type in TYPE_TITLES else [],
            search_boost=PRACTICE_BOOST,
        ),
        f"# {esc(practice.id)}: {esc(practice_title(practice))}\n",
        *([translated] if (translated := translation_note(practice)) else []),
        _("Status: {badge}").format(badge=badge(coverage.status)) + "\n",
        table(
            [_("Type"), _("Management levels"), _("Observed in the study")],
            [
                [
                    esc(type_title(practice.type)),
                    ", ".join(link(page, level_path(lv), level_title(lv)) for lv in practice.levels),
                    esc(cases),
                ]
            ],
        ),
        _study_section(practice),
        *([required] if (required := _requirements_section(result, coverage)) else []),
        "## " + _("Owners") + " { #owners }\n",
        owner_links(result, page, coverage) + "\n",
        "## " + _("Artifacts that implement it") + " { #artifacts-that-implement-it }\n",
    ]
    if coverage.artifacts:
        parts.append(
            "\n".join(
                f"- {link(page, artifact_path(a.model.id), a.model.title)} "
                f"({esc(_(type(a.model).kind_title))}, {esc(artifact_status(a.model.status))})"
                for a in coverage.artifacts
            )
            + "\n"
        )
    else:
        parts.append(_("No artifact implements this practice yet.") + "\n")
    if coverage.not_applicable is not None:
        entry = coverage.not_applicable.model
        parts.append(
            '!!! info "'
            + html.escape(_("Not applicable (review by {date})").format(date=fmt.long_date(entry.review_by)))
            + '"\n\n'
            + f"    {esc(entry.reason)} "
            + _("Decided by {role}.").format(role=esc(role_label(result, entry.approved_by)))
            + "\n"
        )
    if coverage.waiver is not None:
        waiver = coverage.waiver.model
        parts.append(
            '!!! warning "'
            + html.escape(_("Waived until {date}").format(date=fmt.long_date(waiver.expires)))
            + '"\n\n'
            + f"    {esc(waiver.reason)} "
            + _("Approved by {role}.").format(role=esc(role_label(result, waiver.approved_by)))
            + "\n"
        )
    parts.append("## " + _("Evidence") + " { #evidence }\n")
    rows = _evidence_rows(result, page, coverage)
    parts.append(
        table([_("Date"), _("Evidence"), _("Artifact"), _("Proves the practice")], rows)
        if rows
        else _("No evidence yet.") + "\n"
    )
    parts.append("## " + _("Reviews") + " { #reviews }\n")
    reviews: list[tuple[date, str, str]] = []
    for artifact in coverage.artifacts:
        model = artifact.model
        history = getattr(model, "reviews", [])
        reviews += [(r.date, esc(model.title), esc(r.summary)) for r in history]
        if model.approved_on:
            reviews.append((model.approved_on, esc(model.title), _("Approved")))
        reviews.append((model.review_by, esc(model.title), _("Next review due")))
    rows = [[fmt.long_date(day), title, event] for day, title, event in sorted(reviews)]  # by date, then as before
    parts.append(table([_("Date"), _("Artifact"), _("Event")], rows) if rows else _("No review recorded.") + "\n")
    mine = {a.model.id for a in coverage.artifacts}
    related = [
        c
        for c in result.coverage
        if c is not coverage
        and (
            mine & {a.model.id for a in c.artifacts}
            or (c.practice.type == practice.type and set(c.practice.levels) & set(practice.levels))
        )
    ]
    parts.append("## " + _("Related practices") + " { #related-practices }\n")
    parts.append(
        "\n".join(
            "- "
            + link(page, practice_path(c.practice.id), f"{c.practice.id}: {practice_title(c.practice)}")
            + f" {badge(c.status)}"
            for c in related
        )
        + "\n"
        if related
        else _("No related practice.") + "\n"
    )
    return Page(page, "\n".join(parts))


def practices_index(result: Result) -> Page:
    """A listing of every practice page."""
    page = "practices/index.md"
    rows = [
        [link(page, practice_path(c.practice.id), c.practice.id), esc(practice_title(c.practice)), badge(c.status)]
        for c in result.coverage
    ]
    title = _("Practices")
    return Page(page, front_matter(title) + f"# {title}\n\n" + table([_("Id"), _("Practice"), _("Status")], rows))
