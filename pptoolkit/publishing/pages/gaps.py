"""The gaps page: each problem in a manager's words (what is wrong, who must act, what to do, where), the
waivers, the practices that do not apply and the reviews due.

Rule codes, file names and lines stay on the page for editors, folded under each row (``For editors``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptoolkit.checking.checker import Result
from pptoolkit.checking.coverage import PracticeCoverage
from pptoolkit.i18n import N_, _
from pptoolkit.i18n import formats as fmt
from pptoolkit.loading.playbook import LoadedArtifact
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.publishing.pages.common import (
    Page,
    artifact_path,
    esc,
    front_matter,
    level_path,
    link,
    managers_title,
    practice_path,
    practice_title,
    role_label,
    role_link,
    table,
)
from pptoolkit.publishing.pages.levels import due_for_review
from pptoolkit.reporting.calendar import CALENDAR_FILE

WHAT_TO_DO: dict[str, str] = {
    "PP1": N_("Have the file repaired: the site cannot read it as it is written."),
    "PP2": N_("Correct the document's fields."),
    "PP202": N_("Fill in the document's missing field."),
    "PP205": N_("Give each document its own identifier."),
    "PP208": N_("Replace the placeholders (TODO) with the organization's text, or keep the document as a draft."),
    "PP3": N_("Correct the link or the reference."),
    "PP301": N_("Name practices of the matrix in the document."),
    "PP302": N_("Name an owner from the roles registry, or add the role to the registry."),
    "PP303": N_("Give the document an owner at one of the practice's levels, or confirm the choice."),
    "PP304": N_("Fix the evidence link, or add the missing file."),
    "PP305": N_("Copy the file into the playbook and link to the copy."),
    "PP306": N_("Correct the date of the evidence."),
    "PP307": N_("Review the document, then set its next review date."),
    "PP308": N_("Link to the secure (https) address of the page."),
    "PP310": N_("Link to a file of a type the site publishes, or remove the link."),
    "PP312": N_("Correct the approval date."),
    "PP313": N_("Fix the link, or add the missing file."),
    "PP4": N_("Cover the practice: an approved document, with an owner and evidence."),
    "PP401": N_("Write a document that implements the practice and have it approved, or record a waiver."),
    "PP402": N_("Name as the owner of a document a manager at one of the practice's levels."),
    "PP403": N_("Add evidence (minutes, a report, a budget line) to an approved document."),
    "PP404": N_("Renew the review of its documents, or add recent evidence."),
    "PP405": N_("Co-construct a document with patient partners, or have them sign its evidence."),
    "PP5": N_("Correct the decision."),
    "PP501": N_("Cover the practice, or have a new waiver approved."),
    "PP502": N_("Cover the practice before the waiver expires, or renew the waiver."),
    "PP504": N_("Remove the waiver: the practice is covered without it."),
    "PP506": N_("Review the decision and set its next review date."),
    "PP6": N_("Correct the roles registry or the matrix of practices."),
    "PP7": N_("Remove the personal information: it must not be published."),
    "PP701": N_("Remove the HTML that the site does not allow."),
    "PP707": N_("Nothing: the site shows the value only as below the threshold."),
    "PP708": N_("Read the file and make sure it holds no personal information."),
    "PP8": N_("Involve patient partners as the playbook requires."),
    "PP801": N_("Name a role of the roles registry."),
    "PP802": N_("Have the document approved by another role than its owner."),
    "PP803": N_("Involve the patient advisors from the start of the project, not only at its approval."),
    "PP804": N_("Use a level of the playbook's engagement scale."),
    "PP9": N_("Update the translation."),
    "PP904": N_("Translate the document."),
}
"""What to do about a problem, in one sentence: by rule code, else by family (``PP4`` for PP4xx)."""

EDITORS = N_("The playbook's editors")
PRACTICE_GAPS: dict[str, str] = {
    "PP401": N_("No current document implements {practice}."),
    "PP402": N_("No document of {practice} is owned by a manager at one of its levels."),
    "PP403": N_("No approved document of {practice} has evidence that counts."),
    "PP404": N_("The proof of {practice} is out of date: a review is overdue or its evidence is too old."),
    "PP405": N_("No patient partner co-constructed or signed the proof of {practice}."),
    "PP501": N_("The waiver for {practice} has expired."),
    "PP502": N_("The waiver for {practice} expires soon."),
    "PP504": N_("The waiver for {practice} is no longer needed."),
    "PP506": N_("The decision that {practice} does not apply is past its review date."),
}
"""The gaps of a practice in words, by rule code (the practice, linked, replaces ``{practice}``)."""
PROBLEMS: dict[str, str] = {
    "PP1": N_("The site cannot read the file as it is written."),
    "PP101": N_("The file is not saved as plain text the site can read (its encoding or its name)."),
    "PP102": N_("The document is empty."),
    "PP103": N_("The document does not start with its fields."),
    "PP105": N_("The file is larger than the site accepts."),
    "PP106": N_("The document's fields are too deeply nested or too many."),
    "PP108": N_("A line of the file is longer than the site accepts."),
    "PP109": N_("The file or folder cannot be opened."),
    "PP110": N_("The text holds more markup than the site can show quickly."),
    "PP2": N_("A field of the document has a value the site cannot use."),
    "PP202": N_("A required field of the document is missing."),
    "PP204": N_("The document has a field that its kind does not have (often a typo)."),
    "PP205": N_("Two documents have the same identifier."),
    "PP206": N_("The document lacks a section that its kind requires."),
    "PP207": N_("The document lists more evidence than the site accepts."),
    "PP208": N_("An approved document still holds placeholders (TODO)."),
    "PP3": N_("A link or a reference of the document is broken."),
    "PP301": N_("The document names a practice that is not in the matrix."),
    "PP303": N_("The document's owner is not at one of the levels of the practices it implements."),
    "PP304": N_("A piece of evidence points to a file that does not exist or to an address that is not valid."),
    "PP305": N_("A link leads outside the playbook."),
    "PP306": N_("A piece of evidence is dated in the future."),
    "PP307": N_("The document is past its review date."),
    "PP308": N_("A link uses an address that is not secure (http)."),
    "PP309": N_("A link uses a kind of address that the site does not allow."),
    "PP310": N_("A file cannot be published as it is."),
    "PP311": N_("A page chooses its own layout, which the site does not allow."),
    "PP312": N_("The document's approval date is in the future."),
    "PP313": N_("A link in the text points to a file that does not exist or to an address that is not valid."),
    "PP4": N_("A practice is not covered."),
    "PP5": N_("A waiver or a decision that a practice does not apply is incomplete or incorrect."),
    "PP6": N_("The roles registry or the matrix of practices is incomplete or incorrect."),
    "PP701": N_("The text holds HTML that the site does not allow."),
    "PP707": N_("An indicator's value is small enough to identify people: the site shows it as below the threshold."),
    "PP708": N_("The site cannot look inside a published file for personal information."),
    "PP801": N_("The document names a role that is not in the roles registry."),
    "PP802": N_("The document is approved by its own owner, or names no approver."),
    "PP803": N_("The patient advisors joined the project only at its approval."),
    "PP804": N_("The document names a level of engagement that the playbook's scale does not have."),
    "PP901": N_("The file's name ends with a language that the playbook does not publish."),
    "PP902": N_("The translation gives a shared field another value than its original."),
    "PP903": N_("The translation does not follow the current text of its original."),
    "PP904": N_("The document is not translated into every language of the playbook."),
    "PP905": N_("The translation has no original that the site can read."),
}
"""A problem in plain words, with no file path, field name or value: by rule code, else by family."""
PERSONAL_DATA: dict[str, str] = {
    "PP702": N_("an e-mail address"),
    "PP703": N_("a phone number"),
    "PP704": N_("a health insurance number"),
    "PP705": N_("a street address or a postal code"),
    "PP706": N_("a person's name"),
}
"""The kind of personal information each privacy rule finds: the gaps page names the kind, never the value."""
WITHOUT_MESSAGE = frozenset({"PP201", "PP302", *PERSONAL_DATA})
"""Rules whose message lists identifiers (every kind, every role) or quotes personal information: the editors'
details leave it out."""


@dataclass(frozen=True)
class _Context:
    """What a diagnostic is about: its practice's coverage and its artifact, when it has them."""

    coverage: PracticeCoverage | None
    artifact: LoadedArtifact | None


def what_to_do(code: str) -> str:
    """The one sentence that tells a manager what to do about a problem of rule ``code``."""
    message = WHAT_TO_DO.get(code) or WHAT_TO_DO.get(code[:3])
    return _(message) if message else _("Ask the playbook's editors to correct it.")


def _practice_words(page: str, coverage: PracticeCoverage) -> str:
    practice = coverage.practice
    return link(page, practice_path(practice.id), f"{practice.id} ({practice_title(practice)})")


def _artifact_words(page: str, artifact: LoadedArtifact) -> str:
    return link(page, artifact_path(artifact.model.id), artifact.model.title)


def gap_sentence(page: str, diagnostic: Diagnostic, context: _Context) -> str:
    """The problem in plain words, with its practice or document linked; never the checker's own sentence, which
    names files, keys and values (and may quote personal information)."""
    coverage, artifact = context.coverage, context.artifact
    if coverage is not None and diagnostic.code in PRACTICE_GAPS:
        return _(PRACTICE_GAPS[diagnostic.code]).format(practice=_practice_words(page, coverage))
    if artifact is not None:
        model = artifact.model
        if diagnostic.code == "PP302":
            return _("The owner named in {artifact} is not in the {registry}.").format(
                artifact=_artifact_words(page, artifact), registry=link(page, "owners.md", _("roles registry"))
            )
        if diagnostic.code == "PP307":
            return _("{artifact} was due for review on {date}.").format(
                artifact=_artifact_words(page, artifact), date=fmt.long_date(model.review_by)
            )
    if diagnostic.code == "PP201":  # the checker's message lists every kind by its identifier
        return _("The document {file} is of a kind the playbook does not know.").format(
            file=_file_name(diagnostic.path)
        )
    return esc(plain_problem(diagnostic.code))


def plain_problem(code: str) -> str:
    """The problem of rule ``code`` in plain words, without the checker's paths, keys and values: for personal
    information, its kind, never the value."""
    if code in PERSONAL_DATA:
        return _("Personal information is published: {what}.").format(what=_(PERSONAL_DATA[code]))
    problem = PROBLEMS.get(code) or PROBLEMS.get(code[:3])
    return _(problem) if problem else _("The playbook's editors must correct a problem of this document.")


def _level_managers(page: str, levels: Sequence[str]) -> str:
    return ", ".join(link(page, level_path(level), managers_title(level)) for level in dict.fromkeys(levels))


def who_must_act(result: Result, page: str, context: _Context) -> str:
    """The roles that must act, linked: the owners of the practice or of the document, else the practice's level
    managers, else the playbook's editors."""
    coverage, artifact = context.coverage, context.artifact
    roles = result.playbook.roles
    if artifact is not None and artifact.model.owner in roles:
        return role_link(result, page, artifact.model.owner)
    if coverage is not None:
        levels = list(coverage.practice.levels)
        owners = [o.role for o in coverage.owners if o.role in roles and o.level in levels]
        if owners:
            return ", ".join(role_link(result, page, role) for role in dict.fromkeys(owners))
        if levels:
            return _level_managers(page, levels)
    if artifact is not None:
        matrix = {p.id: p for p in result.playbook.matrix.practices}
        levels = [lv for p in artifact.model.implements if p in matrix for lv in matrix[p].levels]
        if levels:
            return _level_managers(page, levels)
    return _(EDITORS)


def where_to_fix(result: Result, page: str, diagnostic: Diagnostic, context: _Context) -> str:
    """The documents to fix, linked; a file that has no page of its own, named in words."""
    coverage, artifact = context.coverage, context.artifact
    if artifact is not None:
        return _artifact_words(page, artifact)
    if coverage is not None and diagnostic.code.startswith("PP4"):
        documents = [_artifact_words(page, a) for a in coverage.artifacts]
        return ", ".join(documents) if documents else _("No document yet")
    settings = result.playbook.settings
    files = {
        settings.matrix: _("the matrix of practices"),
        settings.roles: link(page, "owners.md", _("the roles registry")),
        settings.waivers: link(page, "gaps.md#waivers", _("the waivers")),
        settings.applicability: _("the list of practices that do not apply"),
        "mkdocs.yml": _("the site's settings"),
    }
    if diagnostic.path in files:
        return files[diagnostic.path]
    published = [f.site_path for f in result.playbook.publication.files if f.source == diagnostic.path]
    if published:  # an evidence file or a content page the site publishes: its own page, linked
        return link(page, published[0], diagnostic.path.rsplit("/", 1)[-1])
    return _("the file {name} (not published)").format(name=_file_name(diagnostic.path))


def _file_name(path: str) -> str:
    """A file's name without its folders, kept whole on a narrow screen."""
    return f'<span class="pp-file">{esc(path.rsplit("/", 1)[-1])}</span>'


def for_editors(diagnostic: Diagnostic) -> str:
    """The rule, the file, the line and the checker's own sentence (unless it quotes personal information or
    lists identifiers): folded, for the playbook's editors."""
    where = _("{path}, line {line}").format(path=_path(diagnostic.path), line=diagnostic.line)
    message = f" · {esc(diagnostic.message)}" if diagnostic.code not in WITHOUT_MESSAGE else ""
    return (
        '<details class="pp-editors"><summary>'
        + esc(_("Rule, file and line"))
        + f"</summary><code>{esc(diagnostic.code)}</code> {esc(diagnostic.name)} · {where}{message}</details>"
    )


def _path(path: str) -> str:
    """A file's path that breaks after a slash on a narrow screen, never in the middle of a name."""
    return '<span class="pp-file">' + "/<wbr>".join(esc(part) for part in path.split("/")) + "</span>"


def _artifacts_by_path(result: Result) -> dict[str, LoadedArtifact]:
    """Each artifact file (an original or a translation) → the artifact as this page's readers see it: in another
    language's tree, an original's diagnostics name the translation shown there."""
    shown = {a.model.id: a for a in result.playbook.artifacts}
    paths = {a.path: a for a in result.playbook.artifacts}
    for translation in result.playbook.translations:
        artifact = shown.get(translation.artifact.model.id)
        if artifact is not None:
            paths.setdefault(translation.original, artifact)
            paths.setdefault(translation.path, artifact)
    return paths


def _diagnostic_rows(result: Result, page: str, diagnostics: list[Diagnostic]) -> list[list[str]]:
    coverage = {c.practice.id: c for c in result.coverage}
    artifacts = _artifacts_by_path(result)
    rows = []
    for diagnostic in diagnostics:
        context = _Context(
            coverage.get(diagnostic.practice) if diagnostic.practice else None, artifacts.get(diagnostic.path)
        )
        gap = gap_sentence(page, diagnostic, context)
        rows.append(
            [
                gap,
                who_must_act(result, page, context),
                esc(what_to_do(diagnostic.code)),
                where_to_fix(result, page, diagnostic, context),
                for_editors(diagnostic),
            ]
        )
    return rows


def _decision_cells(result: Result, page: str, practice: str, reason: str, approved_by: str) -> list[str]:
    """A waiver's or a not-applicable decision's first cells: the practice (linked if the matrix has it), why, who."""
    shown = link(page, practice_path(practice), practice) if result.coverage_of(practice) else esc(practice)
    return [shown, esc(reason), esc(role_label(result, approved_by))]


def gaps_page(result: Result) -> Page:
    """Every error and warning in plain language, waivers, and the reviews due in the next 90 days."""
    page = "gaps.md"
    errors = [d for d in result.diagnostics if d.is_error]
    warnings = [d for d in result.diagnostics if not d.is_error]
    title = _("Gaps and reviews")
    parts = [
        front_matter(title),
        f"# {title}\n",
        _("As of {date}.").format(date=fmt.long_date(result.today)) + "\n",
    ]
    header = [_("Gap"), _("Who must act"), _("What to do"), _("Where to fix it"), _("For editors")]
    parts.append("## " + _("Errors ({count})").format(count=len(errors)) + "\n")
    parts.append(table(header, _diagnostic_rows(result, page, errors)) if errors else _("No errors.") + "\n")
    parts.append("## " + _("Warnings ({count})").format(count=len(warnings)) + "\n")
    parts.append(table(header, _diagnostic_rows(result, page, warnings)) if warnings else _("No warnings.") + "\n")
    parts.append("## " + _("Waivers") + " { #waivers }\n")
    waivers = result.playbook.waivers
    parts.append(
        table(
            [_("Practice"), _("Reason"), _("Approved by"), _("Expires")],
            [
                [
                    *_decision_cells(result, page, w.model.practice, w.model.reason, w.model.approved_by),
                    fmt.long_date(w.model.expires),
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
            table(
                [_("Practice"), _("Reason"), _("Decided by"), _("Review by")],
                [
                    [
                        *_decision_cells(result, page, n.model.practice, n.model.reason, n.model.approved_by),
                        fmt.long_date(n.model.review_by)
                        + (_(" (overdue)") if n.model.review_by < result.today else ""),
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
    due = due_for_review(result)
    parts.append(
        table(
            [_("Review by"), _("Artifact"), _("Owner")],
            [
                [
                    fmt.long_date(a.model.review_by) + (_(" (overdue)") if a.model.review_by < result.today else ""),
                    link(page, artifact_path(a.model.id), a.model.title),
                    role_link(result, page, a.model.owner),
                ]
                for a in due
            ],
        )
        if due
        else _("No review is due.") + "\n"
    )
    return Page(page, "\n".join(parts))
