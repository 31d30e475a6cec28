"""`pptoolkit pdf`: the paper edition for the board and accreditation visits.

The PDF is read back with pypdf: its text, its bookmarks and its page labels, as a reader
(or a search in a PDF viewer) would find them.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from click.testing import CliRunner, Result
from hardening_support import TODAY
from playbook_support import REPO_ROOT, PlaybookBuilder, artifact_text
from pypdf import PdfReader

from pptoolkit.cli import cli
from pptoolkit.publishing.paper import render_pdf

pytestmark = pytest.mark.slow  # each test lays out a PDF


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def words(pdf: Path) -> str:
    """The PDF's text with runs of white space (line breaks inside a title) made one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def outline_titles(reader: PdfReader) -> list[str]:
    def walk(items: list[object]) -> Iterator[str]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield str(item.title)  # type: ignore[attr-defined]

    return list(walk(reader.outline))


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("paper") / "playbook.pdf"
    result = run("pdf", str(REPO_ROOT), "-o", str(output), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    return output


def test_the_sample_prints_every_practice_and_every_approved_artifact(sample_pdf: Path) -> None:
    text = words(sample_pdf)
    matrix = yaml.safe_load((REPO_ROOT / "checks/matrix.yml").read_text(encoding="utf-8"))
    ids = [practice["id"] for practice in matrix["practices"]]
    assert len(ids) == 25
    missing_ids = [practice_id for practice_id in ids if not re.search(rf"\b{practice_id}\b", text)]
    assert not missing_ids
    approved = []
    for path in sorted((REPO_ROOT / "policies").rglob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if front.get("status") == "approved":
            approved.append(" ".join(str(front["title"]).split()))
    assert len(approved) > 10
    assert [title for title in approved if title not in text] == []


PARTS = {
    "fr": ("Table des matières", "Sommaire de la couverture", "Matrice des pratiques", "Politiques et documents",
           "Index des preuves"),
    "en": ("Contents", "Coverage summary", "Practice matrix", "Policies and artifacts", "Index of evidence"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_paper_edition_has_a_cover_contents_bookmarks_and_page_numbers(
    sample_pdf: Path, tmp_path: Path, language: str
) -> None:
    """In the sample's language (French, its default) and in English with --lang en."""
    if language == "fr":
        pdf = sample_pdf
    else:
        pdf = tmp_path / "playbook.en.pdf"
        result = run("pdf", str(REPO_ROOT), "-o", str(pdf), "--today", TODAY.isoformat(), "--lang", "en")
        assert result.exit_code == 0, result.output
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "CISSS de la Vallée-des-Érables" in first
    contents_title, matrix = PARTS[language][0], PARTS[language][2]
    contents = " ".join(reader.pages[1].extract_text().split())
    assert contents.startswith(contents_title)
    assert re.search(rf"{matrix} \.+ \d+", contents), "the contents give page numbers"
    assert f"Page 2 / {pages}" in contents
    titles = outline_titles(reader)
    assert set(PARTS[language]) <= set(titles)
    vision = {"fr": "Notre vision du partenariat avec les usagers", "en": "Our vision of patient partnership"}
    assert vision[language] in titles  # one bookmark per artifact, in the language of the edition
    assert vision["en" if language == "fr" else "fr"] not in titles
    site_name = {"fr": "Partenariat avec les usagers", "en": "Patient partnership"}  # site_name, site_names: {en: ...}
    assert site_name[language] in first and site_name["en" if language == "fr" else "fr"] not in first
    approved = {"fr": "Approuvé le 18 juin 2025", "en": "Approved on June 18, 2025"}  # the vision's, in words
    assert approved[language] in words(pdf)
    assert f"Page {pages} / {pages}" in reader.pages[-1].extract_text()


def test_a_practice_without_its_patient_partners_is_printed_as_a_gap(playbook: PlaybookBuilder, tmp_path: Path) -> None:
    """no-patient-partner is a gap like missing, no-owner and no-evidence (the baseline's gaps): it stops nothing."""
    playbook.artifact("evaluation.md", kind="evaluation")  # E1 requires patient partners; none here
    output = tmp_path / "out.pdf"
    result = run("pdf", str(playbook.root), "-o", str(output), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "No patient partner" in words(output)


def test_gaps_are_printed_and_other_errors_stop_the_paper_edition(playbook: PlaybookBuilder, tmp_path: Path) -> None:
    playbook.artifact("vision.md")
    output = tmp_path / "out.pdf"
    result = run("pdf", str(playbook.root), "-o", str(output), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    text = words(output)
    assert "Missing" in text  # the practices without an artifact are shown as gaps

    playbook.artifact("unsafe.md", artifact_text(body="# Unsafe\n\n<script>alert(1)</script>\n", id="unsafe"))
    output.unlink()
    result = run("pdf", str(playbook.root), "-o", str(output), "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert "PP701" in result.output and "stop the paper edition" in result.output
    assert not output.exists()


def test_an_existing_file_is_kept_without_force(playbook: PlaybookBuilder, tmp_path: Path) -> None:
    playbook.artifact("vision.md")
    output = tmp_path / "board.pdf"
    output.write_bytes(b"the last edition")
    result = run("pdf", str(playbook.root), "-o", str(output), "--today", TODAY.isoformat())
    assert result.exit_code == 1 and "use --force" in result.output
    assert output.read_bytes() == b"the last edition"
    result = run("pdf", str(playbook.root), "-o", str(output), "--force", "--today", TODAY.isoformat())
    assert result.exit_code == 0 and output.read_bytes().startswith(b"%PDF-")


def test_values_are_printed_as_text_never_as_markup(playbook: PlaybookBuilder, tmp_path: Path) -> None:
    playbook.artifact("vision.md", artifact_text(title="Vision <b>bold</b> & co"))
    output = tmp_path / "out.pdf"
    assert run("pdf", str(playbook.root), "-o", str(output), "--today", TODAY.isoformat()).exit_code == 0
    assert "Vision <b>bold</b> & co" in words(output)


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_engine_fetches_nothing(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.txt"
    secret.write_text("do not print me", encoding="utf-8")
    here = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = render_pdf(
            f'<html><head><link rel="stylesheet" href="{here}/style.css"><style>@import "{here}/more.css";'
            f'body {{ background: url("{here}/bg.png") }}</style></head><body><p>Text</p>'
            f'<img src="{here}/image.png"><img src="{secret.as_uri()}"><object data="{secret.as_uri()}"></object>'
            f'<embed src="{secret.as_uri()}"></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert _Counting.requests == []
    output = tmp_path / "out.pdf"
    output.write_bytes(pdf)
    assert "do not print me" not in words(output)
