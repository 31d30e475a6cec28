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

from pydantic import BaseModel

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import STATUSES, PracticeCoverage
from pptoolkit.checking.html_safety import neutralize
from pptoolkit.checking.privacy import is_small_cell
from pptoolkit.loading.playbook import LoadedArtifact, Playbook
from pptoolkit.loading.publication import linked_site_path
from pptoolkit.model.artifacts import KINDS, Artifact, Indicator, QIProject
from pptoolkit.model.artifacts import STATUSES as ARTIFACT_STATUSES
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.matrix import CASE_CONTEXTS, LEVEL_TITLES, LEVELS, TYPE_PURPOSES, TYPE_TITLES, Practice
from pptoolkit.reading.documents import markup_overload
from pptoolkit.reading.links import LinkKind, replace_link_targets
from pptoolkit.reporting.calendar import CALENDAR_FILE

REVIEW_WINDOW = timedelta(days=90)
STATUS_LABELS: dict[str, str] = {
    "covered": "Covered",
    "stale": "Review overdue",
    "waived": "Waived",
    "not-applicable": "Not applicable",
    "missing": "Missing",
    "no-owner": "No owner",
    "no-evidence": "No evidence",
    "no-patient-partner": "No patient partner",
}
PRACTICE_BOOST = 4
"""A practice's page comes first in search for its own words, before the artifacts that quote them."""
LEVEL_TAGS: dict[str, str] = {"top": "top-level", "mid": "mid-level", "front": "front-line"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~])")


ROLE_TYPE_TITLES: dict[str, str] = {
    "manager": "Manager",
    "patient-partner": "Patient partner",
    "committee": "Committee",
    "professional": "Professional",
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


def badge(status: str) -> str:
    """A status badge readable without colour: the status in words, styled by class."""
    label = STATUS_LABELS.get(status, status)
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
    return role.model.title if role else f"{role_id} (not in the registry)"


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
    parts = [f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in STATUSES if counts[s]]
    label = f"Practices by status: {', '.join(parts) or 'none'}"
    x = 0.0
    rects = []
    for status in STATUSES:
        if not counts[status]:
            continue
        width = 600 * counts[status] / total
        rects.append(
            f'<rect class="pp-fill-{status}" x="{x:.1f}" y="0" width="{width:.1f}" height="28">'
            f"<title>{counts[status]} {html.escape(STATUS_LABELS[status].lower())}</title></rect>"
        )
        x += width
    return (
        f'<svg class="pp-bar" viewBox="0 0 600 28" width="100%" role="img" aria-label="{html.escape(label)}">'
        f"<title>{html.escape(label)}</title>{''.join(rects)}</svg>\n"
    )


def _chip(page: str, coverage: PracticeCoverage) -> str:
    practice = coverage.practice
    target = relative_url(page, practice_path(practice.id))
    label = f"{practice.id} {STATUS_LABELS[coverage.status].lower()}"
    return f'[{esc(label)}]({target}){{ .pp-chip .pp-{coverage.status} title="{esc(practice.title)}" }}'


def heat_map(result: Result, page: str) -> str:
    """The matrix as a type-by-level table; each cell lists its practices with their status in words."""
    header = ["Type of practice", *(f"{LEVEL_TITLES[level]} managers" for level in LEVELS)]
    rows = []
    for practice_type, title in TYPE_TITLES.items():
        row = [f"**{esc(title)}**"]
        for level in LEVELS:
            cell = [c for c in result.coverage if c.practice.type == practice_type and level in c.practice.levels]
            row.append(" ".join(_chip(page, c) for c in cell) or "—")
        rows.append(row)
    extra = [c for c in result.coverage if c.practice.type not in TYPE_TITLES]
    if extra:
        row = ["**Practices of this organization**"]
        for level in LEVELS:
            row.append(" ".join(_chip(page, c) for c in extra if level in c.practice.levels) or "—")
        rows.append(row)
    return '<div class="pp-heatmap" markdown>\n\n' + _table(header, rows) + "\n</div>\n"


def _counts_table(result: Result, groups: list[tuple[str, list[PracticeCoverage]]], first: str) -> str:
    """Counts by status; each group's name (Markdown, a link) makes the table reachable by keyboard when it
    scrolls on a narrow screen (WCAG: a scrollable region needs focusable content)."""
    header = [first, *(STATUS_LABELS[s] for s in STATUSES), "Total"]
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
        f"**{covered} of {len(result.coverage)}** managerial practices for patient partnership are covered "
        f"as of {result.today.isoformat()}"
        + (f", with {result.errors} problems to fix" if result.errors else "")
        + f". See {link(page, 'gaps.md', 'gaps and reviews')} for what needs attention.\n",
        _status_svg(counts),
        "## The matrix at a glance\n",
        "Each practice of the study's matrix, by type and by management level, with its status in words "
        f"(colours only repeat them). Open the {link(page, 'matrix.md', 'practice matrix')} for owners and evidence.\n",
        heat_map(result, page),
        "## By type of practice\n",
        _counts_table(
            result,
            [
                (link(page, f"matrix.md#type-{key}", t), [c for c in result.coverage if c.practice.type == key])
                for key, t in TYPE_TITLES.items()
            ],
            "Type",
        ),
        "## By management level\n",
        _counts_table(
            result,
            [
                (
                    link(page, level_path(level), f"{LEVEL_TITLES[level]} managers"),
                    [c for c in result.coverage if level in c.practice.levels],
                )
                for level in LEVELS
            ],
            "Level",
        ),
        *([engagement] if (engagement := _engagement_section(result, page)) else []),
        "## Where to go next\n",
        "\n".join(
            [
                f"- {link(page, level_path(level), LEVEL_TITLES[level] + ' managers')}: what they do here"
                for level in LEVELS
            ]
            + [
                f"- {link(page, 'artifacts/index.md', 'Policies and artifacts')}",
                f"- {link(page, 'owners.md', 'Owners')}: every role and what it owns",
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
        "## Patient partners' engagement\n",
        "Approved artifacts by the engagement level they achieved, on this playbook's scale (lowest first).\n",
        _table(["Achieved level", "Artifacts", "Of which at their target"], rows),
    ]
    changes = [
        (a, change) for a in engaged if a.model.kind == "qi-project" for change in getattr(a.model, "changes", [])
    ]
    if changes:
        parts.append("### What changed thanks to patient advisors\n")
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
    parts = [_front_matter("Practice matrix"), "# Practice matrix\n"]
    parts.append(
        "The managerial practices that make patient partnership in quality improvement work "
        "(Clavel, Pomey and Ghadiri, *BMC Health Services Research*, 2019), with how this organization does each.\n"
    )
    groups = list(TYPE_TITLES.items())
    if any(c.practice.type not in TYPE_TITLES for c in result.coverage):
        groups.append(("other", "Practices of this organization"))
    for practice_type, title in groups:
        parts.append(f"## {esc(title)} {{ #type-{practice_type} }}\n")
        if practice_type in TYPE_PURPOSES:
            parts.append(f"*{esc(TYPE_PURPOSES[practice_type])}*\n")
        rows = []
        for c in result.coverage:
            in_group = c.practice.type == practice_type or (
                practice_type == "other" and c.practice.type not in TYPE_TITLES
            )
            if not in_group:
                continue
            levels = ", ".join(LEVEL_TITLES[level] for level in c.practice.levels)
            rows.append(
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(c.practice.title),
                    levels,
                    badge(c.status),
                    _owner_links(result, page, c),
                ]
            )
        parts.append(_table(["Id", "Practice", "Levels", "Status", "Owners"], rows))
    parts.append(_cases_section())
    return Page(page, "\n".join(parts))


def _cases_section() -> str:
    """The context of each of the study's cases (the numbers in a practice's "Supported by")."""
    lines = ["## The study's cases {: #cases }\n"]
    lines += [f"- **Case {n}.** {esc(context)}" for n, context in CASE_CONTEXTS.items()]
    return "\n".join(lines) + "\n"


def _study_section(practice: Practice) -> str:
    """What the study says of the practice beyond its title: its type's purpose, its cases, clauses and note."""
    parts = ["## What the study says\n"]
    if practice.type in TYPE_PURPOSES:
        parts.append(f"**{esc(TYPE_TITLES[practice.type])}.** {esc(TYPE_PURPOSES[practice.type])}\n")
    cases = [f"- **Case {n}.** {esc(CASE_CONTEXTS[n])}" for n in practice.cases if n in CASE_CONTEXTS]
    if cases:
        parts.append("\n".join(cases) + "\n")
    if practice.clauses:
        parts.append(
            "\n".join(f"- {esc(c.text)} ({esc(', '.join(f'case {n}' for n in c.cases))})" for c in practice.clauses)
            + "\n"
        )
    if practice.note:
        parts.append(f'!!! note "About the study\'s table"\n\n    {esc(practice.note)}\n')
    return "\n".join(parts)


def _requirements_section(result: Result, coverage: PracticeCoverage) -> str:
    """What this organization requires to call the practice covered, beyond an owner and evidence."""
    practice = coverage.practice
    lines = []
    if "patient-partner" in practice.requires:
        partners = ", ".join(esc(_role_label(result, role)) for role in coverage.partners) or "none yet"
        lines.append(f"- **Patient partners required.** Co-constructed with or signed by: {partners}.")
    if practice.evidence_max_age_days is not None:
        newest = coverage.newest_evidence.isoformat() if coverage.newest_evidence else "none"
        lines.append(
            f"- **Recurring.** Evidence at most {practice.evidence_max_age_days} days old; newest: {esc(newest)}."
        )
    if not lines:
        return ""
    return "## What this organization requires\n\nThe organization's choice, not the study's:\n\n" + (
        "\n".join(lines) + "\n"
    )


def _evidence_rows(result: Result, page: str, coverage: PracticeCoverage) -> list[list[str]]:
    rows = []
    implementing = {a.model.id: a for a in coverage.artifacts}
    for item in coverage.evidence:
        artifact = implementing.get(item.artifact)
        source = artifact.path if artifact else ""
        where = _evidence_link(result, page, source, item.link, item.title) if artifact else esc(item.title)
        state = "valid" if item.valid else "does not count"
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
        return f"{esc(title)} (link unavailable)"
    if "://" in destination:
        return f"[{esc(title)}](<{destination}>)"
    return link(page, destination, title)


def practice_page(result: Result, coverage: PracticeCoverage) -> Page:
    """One practice: the study's wording and cases, owners, artifacts, evidence, reviews, related practices."""
    practice = coverage.practice
    page = practice_path(practice.id)
    tags = [practice.type, *(LEVEL_TAGS[level] for level in practice.levels), coverage.status]
    cases = ", ".join(f"case {n}" for n in practice.cases) or "—"
    parts = [
        _front_matter(
            f"{practice.id}: {practice.title}",
            tags if practice.type in TYPE_TITLES else [],
            search_boost=PRACTICE_BOOST,
        ),
        f"# {esc(practice.id)}: {esc(practice.title)}\n",
        f"Status: {badge(coverage.status)}\n",
        _table(
            ["Type", "Management levels", "Supported by"],
            [
                [
                    esc(TYPE_TITLES.get(practice.type, practice.type)),
                    ", ".join(link(page, level_path(lv), LEVEL_TITLES[lv]) for lv in practice.levels),
                    esc(cases),
                ]
            ],
        ),
        _study_section(practice),
        *([required] if (required := _requirements_section(result, coverage)) else []),
        "## Owners\n",
        _owner_links(result, page, coverage) + "\n",
        "## Artifacts that implement it\n",
    ]
    if coverage.artifacts:
        parts.append(
            "\n".join(
                f"- {link(page, artifact_path(a.model.id), a.model.title)} ({esc(a.model.kind)}, {esc(a.model.status)})"
                for a in coverage.artifacts
            )
            + "\n"
        )
    else:
        parts.append("No artifact implements this practice yet.\n")
    if coverage.not_applicable is not None:
        entry = coverage.not_applicable.model
        parts.append(
            f'!!! info "Not applicable (review by {entry.review_by.isoformat()})"\n\n'
            f"    {esc(entry.reason)} Decided by {esc(_role_label(result, entry.approved_by))}.\n"
        )
    if coverage.waiver is not None:
        waiver = coverage.waiver.model
        parts.append(
            f'!!! warning "Waived until {waiver.expires.isoformat()}"\n\n'
            f"    {esc(waiver.reason)} Approved by {esc(_role_label(result, waiver.approved_by))}.\n"
        )
    parts.append("## Evidence\n")
    rows = _evidence_rows(result, page, coverage)
    parts.append(_table(["Date", "Evidence", "Artifact", "Counts?"], rows) if rows else "No evidence yet.\n")
    parts.append("## Reviews\n")
    reviews = []
    for artifact in coverage.artifacts:
        model = artifact.model
        history = getattr(model, "reviews", [])
        reviews += [[r.date.isoformat(), esc(model.title), esc(r.summary)] for r in history]
        if model.approved_on:
            reviews.append([model.approved_on.isoformat(), esc(model.title), "Approved"])
        reviews.append([model.review_by.isoformat(), esc(model.title), "Next review due"])
    parts.append(_table(["Date", "Artifact", "Event"], sorted(reviews)) if reviews else "No review recorded.\n")
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
    parts.append("## Related practices\n")
    parts.append(
        "\n".join(
            f"- {link(page, practice_path(c.practice.id), c.practice.id + ': ' + c.practice.title)} {badge(c.status)}"
            for c in related
        )
        + "\n"
        if related
        else "None.\n"
    )
    return Page(page, "\n".join(parts))


def practices_index(result: Result) -> Page:
    """A listing of every practice page."""
    page = "practices/index.md"
    rows = [
        [link(page, practice_path(c.practice.id), c.practice.id), esc(c.practice.title), badge(c.status)]
        for c in result.coverage
    ]
    return Page(page, _front_matter("Practices") + "# Practices\n\n" + _table(["Id", "Practice", "Status"], rows))


def _due(result: Result) -> list[LoadedArtifact]:
    horizon = result.today + min(REVIEW_WINDOW, date.max - result.today)  # no later than the last date there is
    return sorted(
        (a for a in result.playbook.artifacts if a.model.status != "retired" and a.model.review_by <= horizon),
        key=lambda a: a.model.review_by,
    )


def level_page(result: Result, level: str) -> Page:
    """What managers at one level do here: their practices, the artifacts they own, what is due."""
    page = level_path(level)
    title = f"{LEVEL_TITLES[level]} managers"
    roles = [r for r in result.playbook.roles.values() if r.model.level == level]
    role_ids = {r.model.id for r in roles}
    practices = [c for c in result.coverage if level in c.practice.levels]
    owned = [a for a in result.playbook.artifacts if a.model.owner in role_ids]
    parts = [
        _front_matter(title, [LEVEL_TAGS[level]]),
        f"# What {title.lower()} do here\n",
        "## Their practices\n",
        _table(
            ["Id", "Practice", "Status", "Owners"],
            [
                [
                    link(page, practice_path(c.practice.id), c.practice.id),
                    esc(c.practice.title),
                    badge(c.status),
                    _owner_links(result, page, c),
                ]
                for c in practices
            ],
        )
        if practices
        else "No practice of the matrix is at this level.\n",
        "## Roles at this level\n",
        "\n".join(f"- {link(page, 'owners.md#' + _anchor(r.model.id), r.model.title)}" for r in roles) + "\n"
        if roles
        else "No role at this level in the registry.\n",
        "## Artifacts they own\n",
        _artifact_table(result, page, owned),
        "## Due in the next 90 days\n",
    ]
    due = [a for a in _due(result) if a.model.owner in role_ids]
    parts.append(
        _table(
            ["Review by", "Artifact", "Owner"],
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
        else "Nothing is due.\n"
    )
    return Page(page, "\n".join(parts))


def levels_index(result: Result) -> Page:
    """A listing of the three management levels."""
    page = "levels/index.md"
    rows = []
    for level in LEVELS:
        practices = [c for c in result.coverage if level in c.practice.levels]
        rows.append([link(page, level_path(level), f"{LEVEL_TITLES[level]} managers"), str(len(practices))])
    return Page(
        page, _front_matter("Management levels") + "# Management levels\n\n" + _table(["Level", "Practices"], rows)
    )


def _artifact_table(result: Result, page: str, artifacts: list[LoadedArtifact]) -> str:
    if not artifacts:
        return "None.\n"
    rows = [
        [
            link(page, artifact_path(a.model.id), a.model.title),
            esc(type(a.model).kind_title),
            esc(a.model.status),
            a.model.review_by.isoformat(),
            ", ".join(link(page, practice_path(p), p) for p in a.model.implements if result.coverage_of(p)) or "—",
        ]
        for a in sorted(artifacts, key=lambda a: a.model.title.casefold())
    ]
    return _table(["Artifact", "Kind", "Status", "Review by", "Practices"], rows)


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
    return name.replace("_", " ").capitalize()


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
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
                f"**{_label(name)}**\n\n" + _table(["Field", "Value"], [[_label(k), _value(v)] for k, v in value])
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


def artifact_page(result: Result, artifact: LoadedArtifact) -> Page:
    """One artifact: a metadata panel (kind, owner, status, dates, practices, evidence) above its body."""
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
        ["Kind", esc(type(model).kind_title)],
        ["Owner", owner + (f" ({LEVEL_TITLES[level]})" if level else "")],
        ["Status", esc(model.status)],
        ["Approved on", model.approved_on.isoformat() if model.approved_on else "—"],
        ["Review by", model.review_by.isoformat()],
        ["Practices implemented", practices or "— (supporting document)"],
        ["Source", f"`{esc(artifact.path)}`"],
    ]
    if model.approved_by:
        meta.insert(4, ["Approved by", _role_link(result, page, model.approved_by)])
    if model.co_constructed_with:
        meta.append(["Co-constructed with", ", ".join(_role_link(result, page, r) for r in model.co_constructed_with)])
    if model.engagement is not None:
        meta.append(
            ["Engagement", f"{esc(model.engagement.achieved)} achieved (target: {esc(model.engagement.target)})"]
        )
    evidence = [
        [
            item.date.isoformat(),
            _evidence_link(result, page, artifact.path, item.link, item.title)
            + (
                " — signed by " + ", ".join(_role_link(result, page, r) for r in item.signed_by)
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
        '<div class="pp-meta" markdown data-search-exclude>\n\n' + _table(["Field", "Value"], meta) + "\n</div>\n",
    ]
    if model.summary:
        parts.append(f"*{esc(model.summary)}*\n")
    parts.append(details(artifact, result.playbook.settings.privacy.small_cell_threshold))
    if evidence:
        parts.append(
            '<div class="pp-meta" markdown>\n\n**Evidence**\n\n' + _table(["Date", "Evidence"], evidence) + "\n</div>\n"
        )
    parts.append(_safe_body(result, artifact, page))
    return Page(page, "\n".join(parts) + "\n")


def artifacts_index(result: Result) -> Page:
    """Every artifact, grouped by kind: the navigation lists this page, not each artifact."""
    page = "artifacts/index.md"
    parts = [_front_matter("Policies and artifacts"), "# Policies and artifacts\n"]
    for kind, model in KINDS.items():
        of_kind = [a for a in result.playbook.artifacts if a.model.kind == kind]
        if of_kind:
            parts.append(f"## {esc(model.kind_title)}\n")
            parts.append(_artifact_table(result, page, of_kind))
    return Page(page, "\n".join(parts))


def owners_page(result: Result) -> Page:
    """Every role: its level, deputy, and the practices and artifacts it owns."""
    page = "owners.md"
    parts = [_front_matter("Owners"), "# Owners\n", "Roles, not people: the registry names positions only.\n"]
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
                ["Level", "Deputy", "Practices"],
                [
                    [
                        LEVEL_TITLES[role.level] if role.level else ROLE_TYPE_TITLES[role.type],
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
    parts = [_front_matter("Gaps and reviews"), "# Gaps and reviews\n", f"As of {result.today.isoformat()}.\n"]
    parts.append(f"## Errors ({len(errors)})\n")
    header = ["Rule", "Problem", "Where", "Practice"]
    parts.append(_table(header, [_diagnostic_row(page, d) for d in errors]) if errors else "No errors.\n")
    parts.append(f"## Warnings ({len(warnings)})\n")
    parts.append(_table(header, [_diagnostic_row(page, d) for d in warnings]) if warnings else "No warnings.\n")
    parts.append("## Waivers\n")
    waivers = result.playbook.waivers
    parts.append(
        _table(
            ["Practice", "Reason", "Approved by", "Expires"],
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
        else "No waivers.\n"
    )
    not_applicable = result.playbook.not_applicable
    if not_applicable:
        parts.append("## Practices that do not apply\n")
        parts.append(
            _table(
                ["Practice", "Reason", "Decided by", "Review by"],
                [
                    [
                        link(page, practice_path(n.model.practice), n.model.practice)
                        if result.coverage_of(n.model.practice)
                        else esc(n.model.practice),
                        esc(n.model.reason),
                        esc(_role_label(result, n.model.approved_by)),
                        n.model.review_by.isoformat() + (" (overdue)" if n.model.review_by < result.today else ""),
                    ]
                    for n in not_applicable
                ],
            )
        )
    parts.append("## Reviews due in the next 90 days\n")
    parts.append(
        f"Every review date and waiver expiry, for Outlook, Google Calendar or Thunderbird: "
        f"[{CALENDAR_FILE}]({CALENDAR_FILE}) (iCalendar).\n"
    )
    due = _due(result)
    parts.append(
        _table(
            ["Review by", "Artifact", "Owner"],
            [
                [
                    a.model.review_by.isoformat() + (" (overdue)" if a.model.review_by < result.today else ""),
                    link(page, artifact_path(a.model.id), a.model.title),
                    esc(_role_label(result, a.model.owner)),
                ]
                for a in due
            ],
        )
        if due
        else "No review is due.\n"
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
    lines = ["", "", "## What this document proves", ""]
    for artifact_id in sorted(proves, key=lambda i: artifacts[i].model.title.casefold() if i in artifacts else i):
        artifact = artifacts.get(artifact_id)
        title = artifact.model.title if artifact else artifact_id
        practices = ", ".join(
            link(site_path, practice_path(p), f"{p} ({c.practice.title})") if (c := result.coverage_of(p)) else esc(p)
            for p in sorted(proves[artifact_id])
        )
        lines.append(f"- {link(site_path, artifact_path(artifact_id), title)}: {practices}")
    return "\n".join(lines) + "\n"


def published_files(result: Result) -> dict[str, str]:
    """Playbook files that artifacts link to and the site publishes: site path → playbook-relative source path."""
    return {f.site_path: f.source for f in result.playbook.publication.files if not f.content_page}


INDEX_PAGES = (
    "index.md",
    "matrix.md",
    "practices/index.md",
    "levels/index.md",
    "artifacts/index.md",
    "owners.md",
    "gaps.md",
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


def site_pages(result: Result) -> list[Page]:
    """Every generated page of the playbook's site."""
    return [
        home_page(result),
        matrix_page(result),
        practices_index(result),
        *(practice_page(result, c) for c in result.coverage),
        levels_index(result),
        *(level_page(result, level) for level in LEVELS),
        artifacts_index(result),
        *(artifact_page(result, a) for a in result.playbook.artifacts),
        owners_page(result),
        gaps_page(result),
    ]
