"""Evidence pages: the links back from a published file to the artifacts and practices it proves."""

from __future__ import annotations

from pptoolkit.checking.checker import Result
from pptoolkit.i18n import _
from pptoolkit.publishing.pages.common import artifact_path, esc, file_path, link, practice_path, practice_title


class EvidenceBacklinks:
    """The section that ends each evidence page (which artifacts and practices it proves, linked), for every
    page of one check, gathered in one pass: an evidence page is no dead end, the reader goes back to what it proves.

    A site has an evidence page per artifact or more: going through the coverage and the artifacts
    again for each page made a build grow with the square of the playbook's size.
    """

    def __init__(self, result: Result) -> None:
        self.result = result
        self.proofs: dict[str, dict[str, set[str]]] = {}
        """For each published file cited as evidence (by site path): the artifacts citing it, with their practices."""
        for coverage in result.coverage:
            for evidence in coverage.evidence:
                if evidence.target is not None:
                    by_artifact = self.proofs.setdefault(file_path(evidence.target), {})
                    by_artifact.setdefault(evidence.artifact, set()).add(coverage.practice.id)
        self.artifacts = {a.model.id: a for a in result.playbook.artifacts}

    def __call__(self, site_path: str) -> str:
        """Which artifacts and practices the file at ``site_path`` proves, linked; empty for any other page."""
        proves = self.proofs.get(site_path)
        if not proves:
            return ""
        artifacts, result = self.artifacts, self.result
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
