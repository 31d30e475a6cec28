"""The playbook's site pages, as Markdown, from a checked playbook.

Plain functions: they take a :class:`~pptoolkit.checking.checker.Result` and return
Markdown text, so they are tested without MkDocs and would serve another
generator unchanged. Every value that comes from front matter or the roles
registry goes through :func:`esc` (HTML and Markdown escaping).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from pydantic import BaseModel

from pptoolkit.authoring.cms import ADMIN_DIR, entry_url, host_edit_url
from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import STATUSES, PracticeCoverage
from pptoolkit.checking.html_safety import neutralize
from pptoolkit.checking.privacy import is_small_cell
from pptoolkit.i18n import N_, _, current_language, pgettext
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact, Playbook
from pptoolkit.loading.publication import linked_site_path
from pptoolkit.loading.translations import is_multilingual, language_of
from pptoolkit.model.artifacts import KINDS, Artifact, Indicator, QIProject, Rate
from pptoolkit.model.artifacts import STATUSES as ARTIFACT_STATUSES
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.matrix import CASE_CONTEXTS, LEVEL_TITLES, LEVELS, TYPE_PURPOSES, TYPE_TITLES, Practice
from pptoolkit.reading.documents import markup_overload
from pptoolkit.reading.links import LinkKind, replace_link_targets
from pptoolkit.reporting.calendar import CALENDAR_FILE

REVIEW_WINDOW = timedelta(days=90)
STATUS_LABELS: dict[str, str] = {
    "covered": N_("Covered"),
    "stale": N_("Review overdue"),
    "waived": N_("Waived"),
    "not-applicable": N_("Not applicable"),
    "missing": N_("Missing"),
    "no-owner": N_("No owner"),
    "no-evidence": N_("No evidence"),
    "no-patient-partner": N_("No patient partner"),
}
PRACTICE_BOOST = 4
"""A practice's page comes first in search for its own words, before the artifacts that quote them."""
LEVEL_MANAGERS: dict[str, str] = {
    "top": N_("Top-level managers"),
    "mid": N_("Mid-level managers"),
    "front": N_("Front-line managers"),
}
WHAT_THEY_DO: dict[str, str] = {
    "top": N_("What top-level managers do here"),
    "mid": N_("What mid-level managers do here"),
    "front": N_("What front-line managers do here"),
}
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

LEVEL_TAGS: dict[str, str] = {"top": "top-level", "mid": "mid-level", "front": "front-line"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~])")


ROLE_TYPE_TITLES: dict[str, str] = {
    "manager": N_("Manager"),
    "patient-partner": N_("Patient partner"),
    "committee": N_("Committee"),
    "professional": N_("Professional"),
}


def allowed_tags() -> list[str]:
    """Every tag the generated pages may carry: practice types, levels, statuses and kinds."""
    return [*TYPE_TITLES, *LEVEL_TAGS.values(), *STATUSES, *ARTIFACT_STATUSES, *KINDS]


@dataclass(frozen=True)
class Page:
    """A generated page: its path in the site's sources and its Markdown."""

    path: str
    content: str


_ESCAPED = re.compile(r"[&<>\"\n\\`*_{}\[\]()!|~]")  # what esc changes: html.escape's, line breaks, Markdown's


def esc(value: object) -> str:
    """Escape a value for Markdown text: shown as written, never interpreted as HTML or Markdown."""
    text = str(value)
    if not _ESCAPED.search(text):
        return text  # ids, dates and most titles: nothing to escape
    text = html.escape(text, quote=False).replace('"', "&quot;").replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def relative_url(from_page: str, to_page: str) -> str:
    """The URL of ``to_page`` from ``from_page``, both site paths such as ``practices/D1.md``.

    ``posixpath.relpath`` would give the same answer, but it asks the operating system for the
    current folder on every call, and a site of 5,000 artifacts has a hundred thousand links.
    """
    folder = from_page.split("/")[:-1]
    target = to_page.split("/")
    common = 0
    while common < len(folder) and common < len(target) - 1 and folder[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(folder) - common) + target[common:])


def link(from_page: str, to_page: str, text: str) -> str:
    """A Markdown link between two generated pages (``text`` is escaped here)."""
    return f"[{esc(text)}]({relative_url(from_page, to_page)})"


def status_label(status: str) -> str:
    """A coverage status as a page shows it, in the language in use."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def practice_title(practice: Practice) -> str:
    """A practice's title in the language in use: the project's translation when the matrix has one."""
    return practice.title_in(current_language())


def _translation_note(practice: Practice) -> str:
    """Under a translated title, the study's own wording, marked as English (WCAG 3.1.2)."""
    if practice_title(practice) == practice.title:
        return ""
    original = f'<span lang="en">{esc(practice.title)}</span>'
    return "*" + _("Title translated by the pptoolkit project; the study's wording:") + f"* {original}\n"


def level_title(level: str) -> str:
    """A management level's short title (``Top-level``), in the language in use."""
    return _(LEVEL_TITLES[level])


def managers_title(level: str) -> str:
    """The managers of a level (``Top-level managers``), in the language in use."""
    return _(LEVEL_MANAGERS[level])


def type_title(practice_type: str) -> str:
    """A type of practice's title (``Designing the PP``), in the language in use."""
    return _(TYPE_TITLES[practice_type]) if practice_type in TYPE_TITLES else practice_type


def artifact_status(status: str) -> str:
    """An artifact's status (draft, approved, retired) as a page shows it, in the language in use."""
    words = {
        "draft": pgettext("artifact status", "draft"),
        "approved": pgettext("artifact status", "approved"),
        "retired": pgettext("artifact status", "retired"),
    }
    return words.get(status, status)


def rate_unit(unit: str) -> str:
    """What a compensation rate is paid for (hour, meeting ...), in the language in use."""
    words = {
        "hour": pgettext("rate unit", "hour"),
        "half-day": pgettext("rate unit", "half-day"),
        "day": pgettext("rate unit", "day"),
        "meeting": pgettext("rate unit", "meeting"),
        "activity": pgettext("rate unit", "activity"),
    }
    return words.get(unit, esc(unit))


def badge(status: str) -> str:
    """A status badge readable without colour: the status in words, styled by class."""
    label = status_label(status)
    return f'<span class="pp-badge pp-{html.escape(status)}">{html.escape(label)}</span>'


def practice_path(practice_id: str) -> str:
    """Source path of a practice's page."""
    return f"practices/{practice_id}.md"


def artifact_path(artifact_id: str) -> str:
    """Source path of an artifact's page."""
    return f"artifacts/{artifact_id}.md"


def level_path(level: str) -> str:
    """Source path of a management level's page."""
    return f"levels/{level}.md"


def file_path(target: str) -> str:
    """Where a playbook file linked as evidence is published."""
    return linked_site_path(target)


def _front_matter(title: str, tags: Iterable[str] = (), search_boost: float | None = None) -> str:
    # MkDocs themes print a front matter title as HTML (no autoescaping): escape it here.
    lines = ["---", f"title: {_yaml_string(html.escape(title, quote=False))}"]
    if search_boost is not None:  # Material's search ranks the page higher for the same words
        lines += ["search:", f"  boost: {search_boost:g}"]
    tag_list = list(dict.fromkeys(tags))
    if tag_list:
        lines.append("tags:")
        lines += [f"  - {tag}" for tag in tag_list]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _role_label(result: Result, role_id: str) -> str:
    role = result.playbook.roles.get(role_id)
    return role.model.title if role else _("{role} (not in the registry)").format(role=role_id)


def _owner_links(result: Result, page: str, coverage: PracticeCoverage) -> str:
    roles = dict.fromkeys(o.role for o in coverage.owners)
    if not roles:
        return "—"
    return ", ".join(_role_link(result, page, role) for role in roles)


def _role_link(result: Result, page: str, role_id: str) -> str:
    """A link to the role on the owners page; plain text for a role that is not in the registry (no anchor)."""
    if role_id not in result.playbook.roles:
        return esc(_role_label(result, role_id))
    return link(page, f"owners.md#{_anchor(role_id)}", _role_label(result, role_id))


def _anchor(role_id: str) -> str:
    return f"role-{role_id}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _status_svg(counts: dict[str, int]) -> str:
    """A stacked bar of practices by status, with a text alternative for screen readers."""
    total = sum(counts.values()) or 1
    parts = [f"{counts[s]} {status_label(s).lower()}" for s in STATUSES if counts[s]]
    label = _("Practices by status: {counts}").format(counts=", ".join(parts) or _("none"))
    x = 0.0
    rects = []
    for status in STATUSES:
        if not counts[status]:
            continue
        width = 600 * counts[status] / total
        rects.append(
            f'<rect class="pp-fill-{status}" x="{x:.1f}" y="0" width="{width:.1f}" height="28">'
            f"<title>{counts[status]} {html.escape(status_label(status).lower())}</title></rect>"
        )
        x += width
    return (
        f'<svg class="pp-bar" viewBox="0 0 600 28" width="100%" role="img" aria-label="{html.escape(label)}">'
        f"<title>{html.escape(label)}</title>{''.join(rects)}</svg>\n"
    )


def _chip(page: str, coverage: PracticeCoverage) -> str:
    practice = coverage.practice
    target = relative_url(page, practice_path(practice.id))
    label = f"{practice.id} {status_label(coverage.status).lower()}"
    return f'[{esc(label)}]({target}){{ .pp-chip .pp-{coverage.status} title="{esc(practice_title(practice))}" }}'


def heat_map(result: Result, page: str) -> str:
    """The matrix as a type-by-level table; each cell lists its practices with their status in words."""
    header = [_("Type of practice"), *(managers_title(level) for level in LEVELS)]
    rows = []
    for practice_type in TYPE_TITLES:
        row = [f"**{esc(type_title(practice_type))}**"]
        for level in LEVELS:
            cell = [c for c in result.coverage if c.practice.type == practice_type and level in c.practice.levels]
            row.append(" ".join(_chip(page, c) for c in cell) or "—")
        rows.append(row)
    extra = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    if extra:
        row = ["**" + _("Practices of this organization") + "**"]
        for level in LEVELS:
            row.append(" ".join(_chip(page, c) for c in extra if level in c.practice.levels) or "—")
        rows.append(row)
    return '<div class="pp-heatmap" markdown>\n\n' + _table(header, rows) + "\n</div>\n"


def _counts_table(result: Result, groups: list[tuple[str, list[PracticeCoverage]]], first: str) -> str:
    """Counts by status; each group's name (Markdown, a link) makes the table reachable by keyboard when it
    scrolls on a narrow screen (WCAG: a scrollable region needs focusable content)."""
    header = [first, *(status_label(s) for s in STATUSES), _("Total")]
    rows = []
    for name, items in groups:
        counts = [sum(1 for c in items if c.status == s) for s in STATUSES]
        rows.append([name, *(str(n) for n in counts), str(len(items))])
    return '<div class="pp-counts" markdown>\n\n' + _table(header, rows) + "\n</div>\n"


def home_page(result: Result) -> Page:
    """The coverage at a glance: a bar, the heat-map of the matrix, and counts by type and level."""
    page = "index.md"
    counts = result.counts()
    covered = result.covered
    name = esc(result.playbook.settings.site_name)
    parts = [
        _front_matter(result.playbook.settings.site_name),
        f"# {name}\n",
        _("**{covered} of {total}** managerial practices for patient partnership are covered as of {date}").format(
            covered=covered, total=len(result.coverage), date=fmt.long_date(result.today)
        )
        + (_(", with {count} problems to fix").format(count=result.errors) if result.errors else "")
        + ". "
        + _("See {link} for what needs attention.").format(link=link(page, "gaps.md", _("gaps and reviews")))
        + "\n",
        _status_svg(counts),
        "## " + _("The matrix at a glance") + "\n",
        _(
            "Each practice of the study's matrix, by type and by management level, with its status in words "
            "(colours only repeat them). Open the {link} for owners and evidence."
        ).format(link=link(page, "matrix.md", _("practice matrix")))
        + "\n",
        heat_map(result, page),
        "## " + _("By type of practice") + "\n",
        _counts_table(
            result,
            [
                (
                    link(page, f"matrix.md#type-{key}", type_title(key)),
                    [c for c in result.coverage if c.practice.type == key],
                )
                for key in TYPE_TITLES
            ],
            _("Type"),
        ),
        "## " + _("By management level") + "\n",
        _counts_table(
            result,
            [
                (
                    link(page, level_path(level), managers_title(level)),
                    [c for c in result.coverage if level in c.practice.levels],
                )
                for level in LEVELS
            ],
            _("Level"),
        ),
        *([engagement] if (engagement := _engagement_section(result, page)) else []),
        "## " + _("Where to go next") + "\n",
        "\n".join(
            [
                "- " + _("{link}: what they do here").format(link=link(page, level_path(level), managers_title(level)))
                for level in LEVELS
            ]
            + [
                "- " + link(page, "artifacts/index.md", _("Policies and artifacts")),
                "- "
                + link(page, "glossary.md", _("Glossary"))
                + ": "
                + _("the words and abbreviations of this playbook"),
                "- " + _("{link}: every role and what it owns").format(link=link(page, "owners.md", _("Owners"))),
            ]
        )
        + "\n",
    ]
    return Page(page, "\n".join(parts))


def _engagement_section(result: Result, page: str) -> str:
    """Approved artifacts by achieved engagement level, and what changed thanks to patient advisors (QI projects)."""
    engaged = [a for a in result.playbook.artifacts if a.model.status == "approved" and a.model.engagement is not None]
    if not engaged:
        return ""
    scale = result.playbook.settings.engagement_scale
    rows = []
    for level in scale:
        achieved = [a for a in engaged if a.model.engagement is not None and a.model.engagement.achieved == level]
        reached_target = sum(
            1 for a in achieved if a.model.engagement is not None and a.model.engagement.target == level
        )
        rows.append([esc(level), str(len(achieved)), str(reached_target)])
    parts = [
        "## " + _("Patient partners' engagement") + "\n",
        _("Approved artifacts by the engagement level they achieved, on this playbook's scale (lowest first).") + "\n",
        _table([_("Achieved level"), _("Artifacts"), _("Of which at their target")], rows),
    ]
    changes = [
        (a, change) for a in engaged if a.model.kind == "qi-project" for change in getattr(a.model, "changes", [])
    ]
    if changes:
        parts.append("### " + _("What changed thanks to patient advisors") + "\n")
        parts.append(
            "\n".join(
                f"- {esc(change)} ({link(page, artifact_path(a.model.id), a.model.title)})" for a, change in changes
            )
            + "\n"
        )
    return "\n".join(parts)


def matrix_page(result: Result) -> Page:
    """The study's table, type by level, each practice with its status, owner and links."""
    page = "matrix.md"
    parts = [_front_matter(_("Practice matrix")), "# " + _("Practice matrix") + "\n"]
    parts.append(
        _(
            "The managerial practices that make patient partnership in quality improvement work "
            "(Clavel, Pomey and Ghadiri, *BMC Health Services Research*, 2019), with how this organization does each."
        )
        + "\n"
    )
    if any(practice_title(c.practice) != c.practice.title for c in result.coverage):
        parts.append(
            _(
                "The practices' titles in this language are the pptoolkit project's translation of the study's "
                "English wording, which each practice's page gives."
            )
            + "\n"
        )
    groups = [(key, type_title(key)) for key in TYPE_TITLES]
    if any(c.practice.type not in TYPE_TITLES for c in result.coverage):
        groups.append(("other", _("Practices of this organization")))
    for practice_type, title in groups:
        parts.append(f"## {esc(title)} {{ #type-{practice_type} }}\n")
        if practice_type in TYPE_PURPOSES:
            parts.append(f"*{esc(_(TYPE_PURPOSES[practice_type]))}*\n")
        rows = []
        for c in result.coverage:
            in_group = c.practice.type == practice_type or (
                practice_type == "other" and c.practice.type not in TYPE_TITLES
            )
            if not in_group:
                continue
            levels = ", ".join(level_title(level) for level in c.practice.levels)
            rows.append(
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(practice_title(c.practice)),
                    levels,
                    badge(c.status),
                    _owner_links(result, page, c),
                ]
            )
        parts.append(_table([_("Id"), _("Practice"), _("Levels"), _("Status"), _("Owners")], rows))
    parts.append(_cases_section())
    return Page(page, "\n".join(parts))


def _cases_section() -> str:
    """The context of each of the study's cases (the numbers in a practice's "Supported by")."""
    lines = ["## " + _("The study's cases") + " {: #cases }\n"]
    lines += [_case_line(n, context) for n, context in CASE_CONTEXTS.items()]
    return "\n".join(lines) + "\n"


def _study_section(practice: Practice) -> str:
    """What the study says of the practice beyond its title: its type's purpose, its cases, clauses and note."""
    parts = ["## " + _("What the study says") + "\n"]
    if practice.type in TYPE_PURPOSES:
        parts.append(f"**{esc(type_title(practice.type))}.** {esc(_(TYPE_PURPOSES[practice.type]))}\n")
    cases = [_case_line(n, CASE_CONTEXTS[n]) for n in practice.cases if n in CASE_CONTEXTS]
    if cases:
        parts.append("\n".join(cases) + "\n")
    if practice.clauses:
        parts.append("\n".join(f"- {esc(c.text)} ({esc(_cases(c.cases))})" for c in practice.clauses) + "\n")
    if practice.note:
        parts.append('!!! note "' + esc(_("About the study's table")) + f'"\n\n    {esc(practice.note)}\n')
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
        partners = ", ".join(esc(_role_label(result, role)) for role in coverage.partners) or _("none yet")
        lines.append(
            "- **"
            + _("Patient partners required.")
            + "** "
            + _("Co-constructed with or signed by: {partners}.").format(partners=partners)
        )
    if practice.evidence_max_age_days is not None:
        newest = coverage.newest_evidence.isoformat() if coverage.newest_evidence else _("none")
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
        where = _evidence_link(result, page, source, item.link, item.title) if artifact else esc(item.title)
        state = _("valid") if item.valid else _("does not count")
        rows.append(
            [
                item.date.isoformat(),
                where,
                link(page, artifact_path(item.artifact), artifact.model.title if artifact else item.artifact),
                state,
            ]
        )
    return rows


def _destination(result: Result, source: str, raw: str) -> str | None:
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


def _evidence_link(result: Result, page: str, source: str, raw: str, title: str) -> str:
    destination = _destination(result, source, raw)
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
        _front_matter(
            f"{practice.id}: {practice_title(practice)}",
            tags if practice.type in TYPE_TITLES else [],
            search_boost=PRACTICE_BOOST,
        ),
        f"# {esc(practice.id)}: {esc(practice_title(practice))}\n",
        *([translated] if (translated := _translation_note(practice)) else []),
        _("Status: {badge}").format(badge=badge(coverage.status)) + "\n",
        _table(
            [_("Type"), _("Management levels"), _("Supported by")],
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
        _owner_links(result, page, coverage) + "\n",
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
            + html.escape(_("Not applicable (review by {date})").format(date=entry.review_by.isoformat()))
            + '"\n\n'
            + f"    {esc(entry.reason)} "
            + _("Decided by {role}.").format(role=esc(_role_label(result, entry.approved_by)))
            + "\n"
        )
    if coverage.waiver is not None:
        waiver = coverage.waiver.model
        parts.append(
            '!!! warning "'
            + html.escape(_("Waived until {date}").format(date=fmt.long_date(waiver.expires)))
            + '"\n\n'
            + f"    {esc(waiver.reason)} "
            + _("Approved by {role}.").format(role=esc(_role_label(result, waiver.approved_by)))
            + "\n"
        )
    parts.append("## " + _("Evidence") + " { #evidence }\n")
    rows = _evidence_rows(result, page, coverage)
    parts.append(
        _table([_("Date"), _("Evidence"), _("Artifact"), _("Counts?")], rows) if rows else _("No evidence yet.") + "\n"
    )
    parts.append("## " + _("Reviews") + " { #reviews }\n")
    reviews = []
    for artifact in coverage.artifacts:
        model = artifact.model
        history = getattr(model, "reviews", [])
        reviews += [[r.date.isoformat(), esc(model.title), esc(r.summary)] for r in history]
        if model.approved_on:
            reviews.append([model.approved_on.isoformat(), esc(model.title), _("Approved")])
        reviews.append([model.review_by.isoformat(), esc(model.title), _("Next review due")])
    parts.append(
        _table([_("Date"), _("Artifact"), _("Event")], sorted(reviews)) if reviews else _("No review recorded.") + "\n"
    )
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
        else _("None.") + "\n"
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
    return Page(page, _front_matter(title) + f"# {title}\n\n" + _table([_("Id"), _("Practice"), _("Status")], rows))


def _due(result: Result) -> list[LoadedArtifact]:
    horizon = result.today + min(REVIEW_WINDOW, date.max - result.today)  # no later than the last date there is
    return sorted(
        (a for a in result.playbook.artifacts if a.model.status != "retired" and a.model.review_by <= horizon),
        key=lambda a: a.model.review_by,
    )


def level_page(result: Result, level: str) -> Page:
    """What managers at one level do here: their practices, the artifacts they own, what is due."""
    page = level_path(level)
    title = managers_title(level)
    roles = [r for r in result.playbook.roles.values() if r.model.level == level]
    role_ids = {r.model.id for r in roles}
    practices = [c for c in result.coverage if level in c.practice.levels]
    owned = [a for a in result.playbook.artifacts if a.model.owner in role_ids]
    parts = [
        _front_matter(title, [LEVEL_TAGS[level]]),
        f"# {_(WHAT_THEY_DO[level])}\n",
        "## " + _("Their practices") + " { #their-practices }\n",
        _table(
            [_("Id"), _("Practice"), _("Status"), _("Owners")],
            [
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(practice_title(c.practice)),
                    badge(c.status),
                    _owner_links(result, page, c),
                ]
                for c in practices
            ],
        )
        if practices
        else _("No practice of the matrix is at this level.") + "\n",
        "## " + _("Roles at this level") + " { #roles-at-this-level }\n",
        "\n".join(f"- {link(page, 'owners.md#' + _anchor(r.model.id), r.model.title)}" for r in roles) + "\n"
        if roles
        else _("No role at this level in the registry.") + "\n",
        "## " + _("Artifacts they own") + " { #artifacts-they-own }\n",
        _artifact_table(result, page, owned),
        "## " + _("Due in the next 90 days") + " { #due-in-the-next-90-days }\n",
    ]
    due = [a for a in _due(result) if a.model.owner in role_ids]
    parts.append(
        _table(
            [_("Review by"), _("Artifact"), _("Owner")],
            [
                [
                    a.model.review_by.isoformat(),
                    link(page, artifact_path(a.model.id), a.model.title),
                    esc(_role_label(result, a.model.owner)),
                ]
                for a in due
            ],
        )
        if due
        else _("Nothing is due.") + "\n"
    )
    return Page(page, "\n".join(parts))


def levels_index(result: Result) -> Page:
    """A listing of the three management levels."""
    page = "levels/index.md"
    rows = []
    for level in LEVELS:
        practices = [c for c in result.coverage if level in c.practice.levels]
        rows.append([link(page, level_path(level), managers_title(level)), str(len(practices))])
    title = _("Management levels")
    return Page(page, _front_matter(title) + f"# {title}\n\n" + _table([_("Level"), _("Practices")], rows))


def _artifact_table(result: Result, page: str, artifacts: list[LoadedArtifact]) -> str:
    if not artifacts:
        return _("None.") + "\n"
    rows = [
        [
            link(page, artifact_path(a.model.id), a.model.title),
            esc(_(type(a.model).kind_title)),
            esc(artifact_status(a.model.status)),
            a.model.review_by.isoformat(),
            ", ".join(link(page, practice_path(p), p) for p in a.model.implements if result.coverage_of(p)) or "—",
        ]
        for a in sorted(artifacts, key=lambda a: a.model.title.casefold())
    ]
    return _table([_("Artifact"), _("Kind"), _("Status"), _("Review by"), _("Practices")], rows)


def _safe_body(result: Result, artifact: LoadedArtifact, page: str) -> str:
    """The artifact's body without its first `#` title, unsafe raw HTML shown as text, links re-pointed."""
    document = artifact.document
    if markup_overload(document.body, result.playbook.settings.limits) is not None:
        # Over a markup limit (PP110): Python-Markdown would take minutes; shown as it is written, as text.
        return f"<pre>{html.escape(document.body)}</pre>\n"
    body = without_title(neutralize(document.body, list(document.html), first_line=document.body_line))
    return replace_link_targets(body, lambda target: _repoint(result, artifact, page, target))


def without_title(body: str) -> str:
    """A body without its first `#` heading when that is its first line of text: the page shows the title."""
    lines = body.split("\n")
    for index, text in enumerate(lines):
        if text.startswith("# "):
            del lines[index]
            break
        if text.strip():
            break
    return "\n".join(lines)


def _repoint(result: Result, artifact: LoadedArtifact, page: str, target: str) -> str:
    if target.startswith("#"):
        return target
    destination = _destination(result, artifact.path, target)
    if destination is None:
        return "#"
    if "://" in destination:
        return target
    return relative_url(page, destination)


def _label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ").capitalize()


def _value(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return fmt.number(value)
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):  # a list inside a table cell: words, not a Python repr
        return ", ".join(_value(v) for v in value) or "—"
    return esc(value)


def _row(item: BaseModel, threshold: int) -> list[str]:
    cells = []
    for name in type(item).model_fields:
        value = getattr(item, name)
        if isinstance(item, Indicator) and name == "value" and is_small_cell(value, item.unit, threshold):
            cells.append(f"&lt; {threshold}")
        elif isinstance(item, Indicator) and name == "value" and value is not None and item.unit.strip() == "%":
            cells.append(fmt.percent(value))
        elif name == "amount" and isinstance(value, float) and isinstance(getattr(item, "currency", None), str):
            cells.append(fmt.money(value, getattr(item, "currency", "")))
        elif name == "unit" and isinstance(item, Rate):
            cells.append(rate_unit(value))
        else:
            cells.append(_value(value))
    return cells


def details(artifact: LoadedArtifact, threshold: int) -> str:
    """The fields of the artifact's kind (rates, principles, goals, indicators ...), small cells suppressed."""
    model = artifact.model
    parts = []
    for name in type(model).model_fields:
        if name in Artifact.model_fields:
            continue
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            columns = [_label(n) for n in type(value[0]).model_fields]
            parts.append(f"**{_label(name)}**\n\n" + _table(columns, [_row(item, threshold) for item in value]))
        elif isinstance(value, BaseModel):
            parts.append(
                f"**{_label(name)}**\n\n"
                + _table(
                    [_("Field"), _("Value")],
                    [
                        [_label(k), cell]
                        for k, cell in zip(type(value).model_fields, _row(value, threshold), strict=True)
                    ],
                )
            )
        elif isinstance(value, list):
            items = "\n".join(f"- {_value(v)}" for v in value) if value else "—"
            parts.append(f"**{_label(name)}**\n\n{items}\n")
        elif isinstance(model, QIProject) and name == "advisors" and is_small_cell(value, "", threshold):
            # A count of people beside a named team: published in aggregate only, as an indicator's is.
            parts.append(f"**{_label(name)}**: &lt; {threshold}\n")
        else:
            parts.append(f"**{_label(name)}**: {_value(value)}\n")
    if not parts:
        return ""
    return '<div class="pp-details" markdown>\n\n' + "\n".join(parts) + "\n</div>\n"


def artifact_page(result: Result, artifact: LoadedArtifact, language: str | None = None) -> Page:
    """One artifact: a metadata panel (kind, owner, status, dates, practices, evidence) above its body.

    ``language`` is the page's (default: the playbook's); a body in another language says which (WCAG 3.1.2).
    """
    model = artifact.model
    page = artifact_path(model.id)
    role = result.playbook.roles.get(model.owner)
    level = role.model.level if role else None
    tags = [model.kind, model.status, *([LEVEL_TAGS[level]] if level else [])]
    owner = _role_link(result, page, model.owner)
    practices = ", ".join(
        link(page, practice_path(p), p) if result.coverage_of(p) else esc(p) for p in model.implements
    )
    meta = [
        [_("Kind"), esc(_(type(model).kind_title))],
        [_("Owner"), owner + (f" ({level_title(level)})" if level else "")],
        [_("Status"), esc(artifact_status(model.status))],
        [_("Approved on"), model.approved_on.isoformat() if model.approved_on else "—"],
        [_("Review by"), model.review_by.isoformat()],
        [_("Practices implemented"), practices or _("— (supporting document)")],
        [_("Source"), f"`{esc(artifact.path)}`"],
    ]
    if model.approved_by:
        meta.insert(4, [_("Approved by"), _role_link(result, page, model.approved_by)])
    if model.co_constructed_with:
        meta.append(
            [_("Co-constructed with"), ", ".join(_role_link(result, page, r) for r in model.co_constructed_with)]
        )
    if model.engagement is not None:
        meta.append(
            [
                _("Engagement"),
                _("{achieved} achieved (target: {target})").format(
                    achieved=esc(model.engagement.achieved), target=esc(model.engagement.target)
                ),
            ]
        )
    evidence = [
        [
            item.date.isoformat(),
            _evidence_link(result, page, artifact.path, item.link, item.title)
            + (
                " — "
                + _("signed by {roles}").format(roles=", ".join(_role_link(result, page, r) for r in item.signed_by))
                if item.signed_by
                else ""
            ),
        ]
        for item in model.evidence
    ]
    parts = [
        _front_matter(model.title, tags),
        f"# {esc(model.title)}\n",
        # Out of the search index: a result's snippet starts with the page's own text, not "Field Value Kind".
        '<div class="pp-meta" markdown data-search-exclude>\n\n'
        + _table([_("Field"), _("Value")], meta)
        + "\n</div>\n",
    ]
    editing = edit_links(result, artifact, page)
    if editing:
        parts.append(editing)
    if model.summary:
        parts.append(f"*{esc(model.summary)}*\n")
    parts.append(details(artifact, result.playbook.settings.privacy.small_cell_threshold))
    if evidence:
        parts.append(
            '<div class="pp-meta" markdown>\n\n**'
            + _("Evidence")
            + "**\n\n"
            + _table([_("Date"), _("Evidence")], evidence)
            + "\n</div>\n"
        )
    settings = result.playbook.settings
    written_in = language_of(artifact.path, settings) if is_multilingual(settings) else model.lang
    if written_in != (language or settings.default_language):
        parts.append(f'<div lang="{esc(written_in)}" markdown>\n\n{_safe_body(result, artifact, page)}\n</div>\n')
    else:
        parts.append(_safe_body(result, artifact, page))
    return Page(page, "\n".join(parts) + "\n")


def edit_links(result: Result, artifact: LoadedArtifact, page: str) -> str:
    """The links to edit an artifact: its form in the editor, then the Git host's own editor ("" without an editor)."""
    editor = result.playbook.settings.editor
    if editor is None:
        return ""
    host = "GitLab" if editor.backend == "gitlab" else "GitHub"
    links = []
    entry = entry_url(result.playbook, artifact.path)
    if entry is not None:
        links.append(f"[in the editor]({relative_url(page, f'{ADMIN_DIR}/index.html')}{quote(entry, safe='#/')})")
    links.append(f"[on {host}](<{quote(host_edit_url(editor, artifact.path), safe=':/')}>)")
    return '<p class="pp-edit" markdown>**Edit this page**: ' + " · ".join(links) + "</p>\n"


def artifacts_index(result: Result) -> Page:
    """Every artifact, grouped by kind: the navigation lists this page, not each artifact."""
    page = "artifacts/index.md"
    title = _("Policies and artifacts")
    parts = [_front_matter(title), f"# {title}\n"]
    for kind, model in KINDS.items():
        of_kind = [a for a in result.playbook.artifacts if a.model.kind == kind]
        if of_kind:
            parts.append(f"## {esc(_(model.kind_title))}\n")
            parts.append(_artifact_table(result, page, of_kind))
    return Page(page, "\n".join(parts))


def owners_page(result: Result) -> Page:
    """Every role: its level, deputy, and the practices and artifacts it owns."""
    page = "owners.md"
    title = _("Owners")
    parts = [_front_matter(title), f"# {title}\n", _("Roles, not people: the registry names positions only.") + "\n"]
    for loaded in sorted(
        result.playbook.roles.values(),
        key=lambda r: (LEVELS.index(r.model.level) if r.model.level else len(LEVELS), r.model.type, r.model.title),
    ):
        role = loaded.model
        owned = [a for a in result.playbook.artifacts if a.model.owner == role.id]
        practices = sorted({p for a in owned if a.model.status != "retired" for p in a.model.implements})
        parts.append(f"## {esc(role.title)} {{ #{_anchor(role.id)} }}\n")
        deputy = _role_link(result, page, role.deputy) if role.deputy else "—"
        parts.append(
            _table(
                [_("Level"), _("Deputy"), _("Practices")],
                [
                    [
                        level_title(role.level) if role.level else _(ROLE_TYPE_TITLES[role.type]),
                        deputy,
                        ", ".join(link(page, practice_path(p), p) for p in practices if result.coverage_of(p)) or "—",
                    ]
                ],
            )
        )
        parts.append(_artifact_table(result, page, owned))
    return Page(page, "\n".join(parts))


def _diagnostic_row(page: str, diagnostic: Diagnostic) -> list[str]:
    where = f"`{esc(diagnostic.path)}:{diagnostic.line}`"
    practice = link(page, practice_path(diagnostic.practice), diagnostic.practice) if diagnostic.practice else "—"
    return [esc(diagnostic.code), esc(diagnostic.message), where, practice]


def gaps_page(result: Result) -> Page:
    """Every error and warning in plain language, waivers, and the reviews due in the next 90 days."""
    page = "gaps.md"
    errors = [d for d in result.diagnostics if d.is_error]
    warnings = [d for d in result.diagnostics if not d.is_error]
    title = _("Gaps and reviews")
    parts = [
        _front_matter(title),
        f"# {title}\n",
        _("As of {date}.").format(date=fmt.long_date(result.today)) + "\n",
    ]
    parts.append("## " + _("Errors ({count})").format(count=len(errors)) + "\n")
    header = [_("Rule"), _("Problem"), _("Where"), _("Practice")]
    parts.append(_table(header, [_diagnostic_row(page, d) for d in errors]) if errors else _("No errors.") + "\n")
    parts.append("## " + _("Warnings ({count})").format(count=len(warnings)) + "\n")
    parts.append(_table(header, [_diagnostic_row(page, d) for d in warnings]) if warnings else _("No warnings.") + "\n")
    parts.append("## " + _("Waivers") + " { #waivers }\n")
    waivers = result.playbook.waivers
    parts.append(
        _table(
            [_("Practice"), _("Reason"), _("Approved by"), _("Expires")],
            [
                [
                    link(page, practice_path(w.model.practice), w.model.practice)
                    if result.coverage_of(w.model.practice)
                    else esc(w.model.practice),
                    esc(w.model.reason),
                    esc(_role_label(result, w.model.approved_by)),
                    w.model.expires.isoformat(),
                ]
                for w in waivers
            ],
        )
        if waivers
        else _("No waivers.") + "\n"
    )
    not_applicable = result.playbook.not_applicable
    if not_applicable:
        parts.append("## " + _("Practices that do not apply") + "\n")
        parts.append(
            _table(
                [_("Practice"), _("Reason"), _("Decided by"), _("Review by")],
                [
                    [
                        link(page, practice_path(n.model.practice), n.model.practice)
                        if result.coverage_of(n.model.practice)
                        else esc(n.model.practice),
                        esc(n.model.reason),
                        esc(_role_label(result, n.model.approved_by)),
                        n.model.review_by.isoformat() + (_(" (overdue)") if n.model.review_by < result.today else ""),
                    ]
                    for n in not_applicable
                ],
            )
        )
    parts.append("## " + _("Reviews due in the next 90 days") + " { #reviews-due-in-the-next-90-days }\n")
    parts.append(
        _(
            "Every review date and waiver expiry, for Outlook, Google Calendar or Thunderbird: {link} (iCalendar)."
        ).format(link=f"[{CALENDAR_FILE}]({CALENDAR_FILE})")
        + "\n"
    )
    due = _due(result)
    parts.append(
        _table(
            [_("Review by"), _("Artifact"), _("Owner")],
            [
                [
                    a.model.review_by.isoformat() + (_(" (overdue)") if a.model.review_by < result.today else ""),
                    link(page, artifact_path(a.model.id), a.model.title),
                    esc(_role_label(result, a.model.owner)),
                ]
                for a in due
            ],
        )
        if due
        else _("No review is due.") + "\n"
    )
    return Page(page, "\n".join(parts))


def evidence_backlinks(result: Result, site_path: str) -> str:
    """For a published file that artifacts cite as evidence: which artifacts and practices it proves, linked.

    Empty for any other page: an evidence page is no dead end, the reader goes back to what it proves.
    """
    proves: dict[str, set[str]] = {}
    for coverage in result.coverage:
        for evidence in coverage.evidence:
            if evidence.target is not None and file_path(evidence.target) == site_path:
                proves.setdefault(evidence.artifact, set()).add(coverage.practice.id)
    if not proves:
        return ""
    artifacts = {a.model.id: a for a in result.playbook.artifacts}
    lines = ["", "", "## " + _("What this document proves") + " { #what-this-document-proves }", ""]
    for artifact_id in sorted(proves, key=lambda i: artifacts[i].model.title.casefold() if i in artifacts else i):
        artifact = artifacts.get(artifact_id)
        title = artifact.model.title if artifact else artifact_id
        practices = ", ".join(
            link(site_path, practice_path(p), f"{p} ({practice_title(c.practice)})")
            if (c := result.coverage_of(p))
            else esc(p)
            for p in sorted(proves[artifact_id])
        )
        lines.append(f"- {link(site_path, artifact_path(artifact_id), title)}: {practices}")
    return "\n".join(lines) + "\n"


def published_files(result: Result) -> dict[str, str]:
    """Playbook files that artifacts link to and the site publishes: site path → playbook-relative source path."""
    return {f.site_path: f.source for f in result.playbook.publication.files if not f.content_page}


def glossary_page(result: Result) -> Page:
    """The abbreviations and words of the playbook and of the study, with the types, levels and statuses."""
    page = "glossary.md"
    title = _("Glossary")
    terms = [
        (_("PP (in the study)"), _("Patient partnership: the partnership between an organization and its patients.")),
        (
            _("PA, patient advisor"),
            _(
                "A patient, or a relative, who takes part in quality improvement teams and committees with "
                "their experiential knowledge; also called a patient partner."
            ),
        ),
        (_("QI"), _("Quality improvement.")),
        (_("HCO"), _("Healthcare organization.")),
        (_("Artifact"), _("A governance document of the playbook: a policy, a charter, terms of reference ...")),
        (_("Evidence"), _("What proves that a practice is done: minutes, a report, a budget line.")),
    ]
    parts = [
        _front_matter(title),
        f"# {title}\n",
        _(
            "The words of this playbook and of the study behind its matrix (Clavel, Pomey and Ghadiri, 2019). "
            "The study abbreviates patient partnership as PP; this site writes the words out."
        )
        + "\n",
        _table([_("Term"), _("Meaning")], [[f"**{esc(term)}**", esc(meaning)] for term, meaning in terms]),
        "## " + _("Types of practice") + "\n",
        _table(
            [_("Type"), _("Purpose")],
            [[link(page, f"matrix.md#type-{key}", type_title(key)), esc(_(TYPE_PURPOSES[key]))] for key in TYPE_TITLES],
        ),
        "## " + _("Management levels") + "\n",
        _table(
            [_("Level"), _("Who")],
            [
                [link(page, level_path("top"), managers_title("top")), _("The executive team of the organization.")],
                [link(page, level_path("mid"), managers_title("mid")), _("Directors and managers of programmes.")],
                [link(page, level_path("front"), managers_title("front")), _("Managers of a service or unit.")],
            ],
        ),
        "## " + _("Statuses of a practice") + "\n",
        _table(
            [_("Status"), _("Meaning")],
            [
                [badge("covered"), _("An approved artifact with an owner and evidence proves it.")],
                [badge("stale"), _("Covered, but every artifact that proves it is past its review date.")],
                [badge("waived"), _("Not covered, and a valid waiver exempts it for a while.")],
                [badge("not-applicable"), _("An approved decision says it does not apply here, until a review date.")],
                [badge("missing"), _("No current artifact implements it.")],
                [badge("no-owner"), _("No artifact that implements it has an owner of the roles registry.")],
                [badge("no-evidence"), _("No approved artifact that implements it has evidence that counts.")],
                [
                    badge("no-patient-partner"),
                    _("It requires patient partners, and none co-constructed or signed its proof."),
                ],
            ],
        ),
    ]
    return Page(page, "\n".join(parts))


INDEX_PAGES = (
    "index.md",
    "matrix.md",
    "practices/index.md",
    "levels/index.md",
    "artifacts/index.md",
    "owners.md",
    "gaps.md",
    "glossary.md",
)
"""The generated pages that are not one per practice, level or artifact: the navigation lists these."""


def generated_paths(playbook: Playbook) -> frozenset[str]:
    """The source path of every page :func:`site_pages` generates, known before the check ends.

    The publication needs them to refuse a content file that would take a generated page's place.
    """
    return frozenset(
        {
            *INDEX_PAGES,
            *(practice_path(practice.id) for practice in playbook.matrix.practices),
            *(level_path(level) for level in LEVELS),
            *(artifact_path(artifact.model.id) for artifact in playbook.artifacts),
        }
    )


def site_pages(result: Result, language: str | None = None) -> list[Page]:
    """Every generated page of the playbook's site (of its tree in ``language``, default: the playbook's)."""
    return [
        home_page(result),
        matrix_page(result),
        practices_index(result),
        *(practice_page(result, c) for c in result.coverage),
        levels_index(result),
        *(level_page(result, level) for level in LEVELS),
        artifacts_index(result),
        *(artifact_page(result, a, language) for a in result.playbook.artifacts),
        owners_page(result),
        gaps_page(result),
        glossary_page(result),
    ]
