"""The glossary page: the abbreviations and words of the playbook and of the study."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _
from pptoolkit.model.matrix import TYPE_PURPOSES, TYPE_TITLES
from pptoolkit.publishing.pages.common import (
    Page,
    badge,
    esc,
    front_matter,
    level_path,
    link,
    managers_title,
    table,
    type_title,
)


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
        (
            _("CISSS, CIUSSS"),
            _(
                "Integrated (university) health and social services centre: in Quebec, the public establishment "
                "that runs a region's hospitals, clinics and social services."
            ),
        ),
        (_("Artifact"), _("A governance document of the playbook: a policy, a charter, terms of reference ...")),
        (_("Evidence"), _("What proves that a practice is done: minutes, a report, a budget line.")),
    ]
    parts = [
        front_matter(title),
        f"# {title}\n",
        _(
            "The words of this playbook and of the study behind its matrix (Clavel, Pomey and Ghadiri, 2019). "
            "The study abbreviates patient partnership as PP; this site writes the words out."
        )
        + "\n",
        table([_("Term"), _("Meaning")], [[f"**{esc(term)}**", esc(meaning)] for term, meaning in terms]),
        "## " + _("Types of practice") + "\n",
        table(
            [_("Type"), _("Purpose")],
            [[link(page, f"matrix.md#type-{key}", type_title(key)), esc(_(TYPE_PURPOSES[key]))] for key in TYPE_TITLES],
        ),
        "## " + _("Management levels") + "\n",
        table(
            [_("Level"), _("Who")],
            [
                [link(page, level_path("top"), managers_title("top")), _("The executive team of the organization.")],
                [link(page, level_path("mid"), managers_title("mid")), _("Directors and managers of programmes.")],
                [link(page, level_path("front"), managers_title("front")), _("Managers of a service or unit.")],
            ],
        ),
        "## " + _("Statuses of a practice") + "\n",
        table(
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
