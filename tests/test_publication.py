"""One publication: the site publishes exactly the files the checker listed and scanned, and nothing else.

Two module-scoped builds carry most tests (a build takes seconds):

- ``planted``: personal data and active HTML planted in every kind of file the site
  publishes (content pages in Markdown and ``.mkd``, text, CSV, HTML, SVG, evidence
  in each of those types and in PDF, an image and an office document, which the
  checker cannot read and says so, a file linked from a body, files reached through
  symbolic links inside the playbook), built without strict mode once per way a read
  can fail (none, too big, a line too long, not UTF-8);
- ``hostile``: one playbook with every way a file could reach the site from outside
  the allow-list (symbolic links out of the playbook and to ``/proc/self/environ``,
  ``.git/config``, a theme file, ``.shtml``/``.xht``/``.xml``, a latin-1 HTML file,
  a PDF that is not one, an indicators artifact behind a symbolic link), built
  without strict mode.
"""

from __future__ import annotations

import os
import posixpath
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hardening_support import (
    TODAY,
    VISION,
    line_of,
    of,
    page_facts,
    set_options,
    small_playbook_copy,
    where,
    write,
)
from hypothesis import given
from hypothesis import strategies as st
from playbook_support import artifact_text
from site_support import built_name, non_generated_files

from pptoolkit.checking.checker import Result, check
from pptoolkit.loading.publication import (
    MARKDOWN_SUFFIXES,
    Kind,
    PublishedFile,
    _hidden,
    _suffix,
    output_path,
    relative_path,
)
from pptoolkit.publishing import pages
from pptoolkit.publishing.build import BuildFailed, BuildOptions, build_site
from pptoolkit.reading.documents import split_lines
from pptoolkit.reading.pdftext import pdf_text


def pdf_with_text(*lines: str) -> bytes:
    """A one-page PDF whose text is ``lines`` (Helvetica, one line under another), made by hand."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 12 Tf 72 720 Td " + " 0 -16 Td ".join(f"({line}) Tj" for line in escaped) + " ET"
    data = zlib.compress(stream.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_carrying(where: str, secret: str) -> bytes:
    """A one-page PDF ("Minutes") that carries ``secret`` outside its page text, ``where`` says how."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText, Link, Text
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Minutes of the committee"))))
    if where == "metadata":
        writer.add_metadata({"/Author": f"Marie, {secret}", "/Subject": "Minutes"})
    elif where == "free text annotation":
        writer.add_annotation(0, FreeText(text=f"Advisor: {secret}", rect=(50, 550, 400, 600)))
    elif where == "sticky note":
        writer.add_annotation(0, Text(text=f"Call {secret}", rect=(50, 500, 70, 520)))
    elif where == "mailto link":
        writer.add_annotation(0, Link(rect=(50, 50, 200, 70), url=f"mailto:{secret}"))
    elif where == "bookmark":
        parent = writer.add_outline_item(title="Minutes", page_number=0)
        writer.add_outline_item(title=f"Advisor {secret}", page_number=0, parent=parent)
    elif where == "form field":
        field = DictionaryObject(
            {
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("phone"),
                NameObject("/V"): TextStringObject(secret),
            }
        )
        form = DictionaryObject({NameObject("/Fields"): ArrayObject([writer._add_object(field)])})
        writer._root_object[NameObject("/AcroForm")] = form
    elif where == "attachment":
        writer.add_attachment("advisors.csv", f"name,contact\nMarie,{secret}\n".encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_PLACES = ["metadata", "free text annotation", "sticky note", "mailto link", "bookmark", "form field"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def build(root: Path) -> Path:
    """Build the playbook at ``root`` without strict mode (checker errors do not stop it)."""
    return build_site(BuildOptions(root=root, site_dir=root / "site", strict=False))


# Personal data and active HTML in every kind of published file ------------------------------------

# Where each piece is planted: playbook-relative path → how it is reached. Each gets its own e-mail
# address, so that a diagnostic names the file it was found in.
PLANTED = {
    "content/planted.md": "content page",
    "content/planted.mkd": "content page (.mkd)",
    "content/planted.txt": "content text",
    "content/planted.csv": "content table",
    "content/planted.html": "content HTML",
    "content/planted.svg": "content SVG",
    "content/linked/planted.md": "content reached through a symbolic link to a folder inside the playbook",
    "evidence/planted.md": "evidence",
    "evidence/planted.mkd": "evidence (.mkd)",
    "evidence/planted.txt": "evidence",
    "evidence/planted.csv": "evidence",
    "evidence/planted.tsv": "evidence",
    "evidence/planted.html": "evidence",
    "evidence/planted.svg": "evidence",
    "evidence/planted.pdf": "evidence",
    "evidence/body.csv": "linked from a body",
    "evidence/alias.txt": "evidence, a symbolic link to a file inside the playbook",
}
UNREADABLE = {"evidence/planted.png": PNG, "evidence/planted.docx": b"PK\x03\x04" + b"\x00" * 40}
"""Published files whose text the checker cannot read: each is a warning (PP708) that a person must read it."""
REAL_FILES = {"content/linked/planted.md": "library/planted.md", "evidence/alias.txt": "archive/original.txt"}
"""The planted files that are symbolic links: where their real file is."""
ACTIVE_HTML = '<img src="x" onerror="alert(1)"><script>alert(2)</script>'


def email(path: str) -> str:
    return re.sub(r"[^a-z0-9]", "-", path) + "@example.org"


def planted_text(path: str, variant: str) -> str | bytes:
    suffix = os.path.splitext(path)[1]
    sentence = f"Write to {email(path)} or call 514-555-0199."
    if suffix == ".csv":
        text = f"name,contact\nadvisor,{email(path)}\nphone,514-555-0199\n"
    elif suffix == ".tsv":
        text = f"name\tcontact\nadvisor\t{email(path)}\n"
    elif suffix == ".svg":
        text = f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><text>{sentence}</text></svg>\n'
    elif suffix == ".html":
        text = f"<p>{sentence}</p>\n{ACTIVE_HTML}\n"
    else:
        text = f"# Planted\n\n{sentence}\n\n{ACTIVE_HTML}\n"
    if variant == "too-big":
        text += "x" * 3000 + "\n"
    elif variant == "long-line":
        text += "y" * 300 + "\n"
    elif variant == "not-utf8":
        return text.encode("utf-8") + "Montréal\n".encode("latin-1")
    return text


def write_planted(root: Path, variant: str) -> None:
    """Plant every file of ``PLANTED``, link the evidence from the vision, and set the limits of ``variant``."""
    for path in PLANTED:
        real = REAL_FILES.get(path, path)
        if path.endswith(".pdf"):
            padding = b"% padding beyond the size limit\n" * 100 if variant == "too-big" else b""
            write(root, real, pdf_with_text(f"Write to {email(path)}", "or call 514-555-0199") + padding)
        elif path.startswith("content/linked/"):
            write(root, "library/planted.md", planted_text(path, variant))
        else:
            write(root, real, planted_text(path, variant))
    for path, data in UNREADABLE.items():
        write(root, path, data + (b"\x00" * 3000 if variant == "too-big" else b""))
    os.symlink("../library", root / "content" / "linked", target_is_directory=True)
    os.symlink("../archive/original.txt", root / "evidence" / "alias.txt")
    vision = (root / VISION).read_text(encoding="utf-8")
    linked = [p for p in [*PLANTED, *UNREADABLE] if p.startswith("evidence/") and p != "evidence/body.csv"]
    items = "".join(f"  - title: {p}\n    date: 2026-01-15\n    link: ../{p}\n" for p in linked)
    vision = vision.replace("    link: ../evidence/minutes.md\n", "    link: ../evidence/minutes.md\n" + items, 1)
    write(root, VISION, vision + "\nThe [table](../evidence/body.csv) of the body.\n")
    limits = {"too-big": {"max_file_bytes": 2000}, "long-line": {"max_line_length": 250}}.get(variant)
    set_options(root, {"limits": limits} if limits else {})


@dataclass(frozen=True)
class Planted:
    variant: str
    root: Path
    site: Path
    result: Result


@pytest.fixture(scope="module", params=["readable", "too-big", "long-line", "not-utf8"])
def planted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Planted:
    """The planted playbook, built without strict mode, under each limit setting that can make a read fail."""
    root = small_playbook_copy(tmp_path_factory.mktemp(request.param) / "playbook")
    write_planted(root, request.param)
    result = check(root, TODAY)
    return Planted(request.param, root, build(root), result)


def published(result: Result) -> dict[str, PublishedFile]:
    return {file.source: file for file in result.playbook.publication.files}


@pytest.mark.slow  # builds a site
def test_nothing_reaches_the_site_that_is_not_in_the_publication(planted: Planted) -> None:
    publication = {built_name(file.site_path) for file in planted.result.playbook.publication.files}
    assert non_generated_files(planted.root, planted.site, planted.result) == publication


def test_every_published_file_was_scanned_and_its_personal_data_found(planted: Planted) -> None:
    files = published(planted.result)
    found = {(d.path, d.code) for d in planted.result.diagnostics}
    for path, how in PLANTED.items():
        if path in files:
            assert files[path].text is not None, path
            assert email(path)[:3] in files[path].text, f"{path} ({how}): its text was not scanned"
            assert (path, "PP702") in found, f"{path} ({how}): its e-mail address was not found"
    for path in UNREADABLE:
        if path in files:
            assert files[path].text is None
            assert (path, "PP708") in found, f"{path}: published without a warning that a person must read it"
    if planted.variant == "readable":
        assert {*PLANTED, *UNREADABLE} <= set(files)


@pytest.mark.parametrize("path", [*PLANTED, *UNREADABLE])
def test_a_file_that_failed_reading_is_reported_and_not_published(planted: Planted, path: str) -> None:
    files = published(planted.result)
    code = {"too-big": "PP105", "long-line": "PP108", "not-utf8": "PP101"}.get(planted.variant)
    binary = path.endswith((".pdf", ".png", ".docx"))
    if code is None or (binary and planted.variant != "too-big"):
        assert path in files  # bytes: only their size can stop them
        return
    assert path not in files
    assert code in {d.code for d in planted.result.diagnostics if d.path == path}, path
    site_path = files.get(path)
    assert site_path is None
    leaked = [f for f in planted.site.rglob("*") if f.is_file() and email(path).encode() in f.read_bytes()]
    assert leaked == []


def test_active_html_is_found_and_never_published_active(planted: Planted) -> None:
    files = published(planted.result)
    flagged = {d.path for d in planted.result.diagnostics if d.code == "PP701"}
    for file in files.values():
        if file.kind in (Kind.MARKDOWN, Kind.HTML) and file.source in PLANTED:
            assert file.source in flagged, file.source
    for name in non_generated_files(planted.root, planted.site, planted.result):
        if name.endswith((".html", ".svg")):
            facts = page_facts((planted.site / name).read_text(encoding="utf-8"))
            assert facts.handlers == [], name
            assert [script for script in facts.scripts if "alert" in script] == [], name


@pytest.mark.slow  # builds a site
def test_markdown_pages_are_published_from_the_checked_text(tmp_path: Path) -> None:
    """A content page changed between the check and the build is published as it was checked."""
    root = small_playbook_copy(tmp_path / "playbook")
    write(root, "content/about.md", "# About\n\nChecked text.\n")
    checked = check(root, TODAY)
    write(root, "content/about.md", "# About\n\nWrite to changed@example.org.\n")
    site = build_site(BuildOptions(root=root, site_dir=root / "site", checked=checked))
    page = (site / "about.html").read_text(encoding="utf-8")
    assert "Checked text." in page
    assert "changed@example.org" not in page


def test_a_binary_file_changed_after_the_check_is_not_published(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = small_playbook_copy(tmp_path / "playbook")
    write(root, "evidence/report.pdf", pdf_with_text("Minutes of the committee"))
    write(root, VISION, (root / VISION).read_text(encoding="utf-8") + "\nThe [report](../evidence/report.pdf).\n")
    checked = check(root, TODAY)
    assert checked.playbook.publication.file_for("evidence/report.pdf") is not None
    write(root, "evidence/report.pdf", pdf_with_text("Write to jeanne@example.org"))
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, site_dir=root / "site", checked=checked))
    assert "'evidence/report.pdf': the file changed after it was checked" in caplog.text
    assert not (root / "site").exists()


# Every way a file could get past the allow-list ----------------------------------------------------

OUTSIDE_SECRET = "token-ghp-0123456789abcdef"


@dataclass(frozen=True)
class Hostile:
    root: Path
    site: Path
    result: Result
    vision: str


def _evidence_items(links: list[str]) -> str:
    return "".join(f"  - title: Item {n}\n    date: 2026-01-15\n    link: {link}\n" for n, link in enumerate(links))


HOSTILE_LINKS = [
    "../.git/config",
    "../.cache/notes.md",
    "../evidence/page.shtml",
    "../evidence/page.xht",
    "../evidence/styled.xml",
    "../evidence/script.js",
    "../evidence/contact.vcf",
    "../evidence/latin1.html",
    "../evidence/fake.pdf",
    "../evidence/broken.pdf",
    "../evidence/scan.png",
    "../evidence/dashboard.txt",
    "../evidence/dashboard.md",
    "../evidence/report.pdf",
    "../evidence/settings.txt",
    "broken-indicators.md",
    *(f"../evidence/carrying-{place.replace(' ', '-')}.pdf" for place in PDF_PLACES),
    "../evidence/carrying-attachment.pdf",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    root = small_playbook_copy(base / "playbook")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"secret {OUTSIDE_SECRET}\n", encoding="utf-8")
    (outside / "notes.md").write_text(f"# Notes\n\n{OUTSIDE_SECRET}\n", encoding="utf-8")
    os.symlink(outside, root / "content" / "linked-folder", target_is_directory=True)
    os.symlink(outside / "secret.txt", root / "content" / "secret.txt")
    os.symlink("/proc/self/environ", root / "content" / "environ.txt")
    os.symlink("../mkdocs.yml", root / "content" / "mk.txt")
    os.symlink("../mkdocs.yml", root / "evidence" / "settings.txt")
    os.symlink("../evidence/report.pdf", root / "content" / "report.txt")
    os.link(outside / "secret.txt", root / "content" / "hardlink.txt")
    write(root, ".git/config", f'[remote "origin"]\n\turl = https://x:{OUTSIDE_SECRET}@example.org/repo.git\n')
    write(root, ".cache/notes.md", f"# Cached\n\n{OUTSIDE_SECRET}\n")
    os.symlink("../.git", root / "content" / "git-folder", target_is_directory=True)
    write(root, "content/assets/javascripts/bundle.planted.min.js", "alert('replaced')\n")
    write(root, theme_bundle_path(), "alert('replaced')\n")
    write(root, "content/assets/images/favicon.png", PNG)  # not reserved by name: the plugin keeps the theme's
    write(root, "evidence/page.shtml", "<script>alert(1)</script>\n")
    write(root, "evidence/page.xht", '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>\n')
    write(root, "evidence/styled.xml", '<?xml-stylesheet type="text/xsl" href="x.xsl"?><root/>\n')
    write(root, "evidence/script.js", "alert(1)\n")
    write(root, "evidence/contact.vcf", "BEGIN:VCARD\nEMAIL:jeanne@example.org\nEND:VCARD\n")
    write(root, "content/page.shtml", "<script>alert(1)</script>\n")
    (root / "content" / os.fsdecode(b"caf\xe9.md")).write_text("# Café\n", encoding="utf-8")
    write(root, "evidence/latin1.html", "<p>Montréal</p><script>alert(1)</script>\n".encode("latin-1"))
    write(root, "evidence/fake.pdf", "<html><script>alert(1)</script></html>\n")
    write(root, "evidence/broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF\n")
    write(root, "evidence/scan.png", PNG)
    write(root, "evidence/report.pdf", pdf_with_text("Minutes of the committee", "Contact: jeanne@example.org"))
    for place in [*PDF_PLACES, "attachment"]:
        write(root, f"evidence/carrying-{place.replace(' ', '-')}.pdf", pdf_carrying(place, "jean.tremblay@gmail.com"))
    indicators = artifact_text(
        "indicators",
        implements="[E1]",
        indicators="[{id: teams-with-pa, name: Teams with PA, definition: QI teams with an advisor, "
        "unit: teams, period: fiscal 2026, value: 3}]",
    )
    write(root, "policies/indicators.md", indicators)
    broken = indicators.replace("id: indicators", "id: broken-indicators").replace("Teams with PA", "East wing")
    write(root, "policies/broken-indicators.md", broken.replace("kind: indicators\n", "kind: indicators\nbad: [\n"))
    os.symlink("../policies/indicators.md", root / "evidence" / "dashboard.txt")
    os.symlink("../policies/indicators.md", root / "evidence" / "dashboard.md")
    os.symlink("../policies/indicators.md", root / "content" / "dashboard.txt")
    text = (root / VISION).read_text(encoding="utf-8")
    text = text.replace(
        "    link: ../evidence/minutes.md\n", "    link: ../evidence/minutes.md\n" + _evidence_items(HOSTILE_LINKS), 1
    )
    write(root, VISION, text)
    result = check(root, TODAY)
    return Hostile(root, build(root), result, text)


def theme_bundle_path() -> str:
    """``content/`` + the path of mkdocs-material's own JavaScript bundle."""
    import material

    bundle = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))
    return f"content/assets/javascripts/{bundle.name}"


def site_text(site: Path) -> str:
    return "\n".join(f.read_bytes().decode("utf-8", "replace") for f in sorted(site.rglob("*")) if f.is_file())


def link_at(hostile: Hostile, link: str) -> tuple[int, int]:
    return line_of(hostile.vision, f"link: {link}")


@pytest.mark.slow  # builds a site
def test_nothing_from_outside_the_playbook_is_published(hostile: Hostile) -> None:
    assert OUTSIDE_SECRET not in site_text(hostile.site)
    environment = [value for value in os.environ.values() if len(value) > 12 and "/" not in value]
    text = site_text(hostile.site)
    assert [value for value in environment if value in text] == []
    assert not (hostile.site / "linked-folder").exists()
    assert not (hostile.site / "secret.txt").exists()
    assert not (hostile.site / "environ.txt").exists()


def test_a_symlink_in_content_to_outside_is_a_located_error(hostile: Hostile) -> None:
    found = where(of(hostile.result, "PP305"))
    for path in ("content/linked-folder", "content/secret.txt", "content/environ.txt"):
        assert ("PP305", path, 1, 1) in found
    [secret] = of(hostile.result, "PP305", "content/secret.txt")
    assert "not published" in secret.message


@pytest.mark.parametrize("link", ["../.git/config", "../.cache/notes.md"])
def test_evidence_under_a_dot_folder_is_an_error_and_not_published(hostile: Hostile, link: str) -> None:
    [diagnostic] = [d for d in of(hostile.result, "PP310", VISION) if (d.line, d.column) == link_at(hostile, link)]
    assert "hidden" in diagnostic.message
    assert not list(hostile.site.rglob(".git")) and not list(hostile.site.rglob(".cache"))


def test_a_content_symlink_to_a_dot_folder_is_one_error_and_publishes_nothing(hostile: Hostile) -> None:
    assert [d.path for d in of(hostile.result, "PP310") if d.path.startswith("content/git-folder")] == [
        "content/git-folder"
    ]
    assert not (hostile.site / "git-folder").exists()


def test_a_content_file_over_the_theme_javascript_is_an_error_and_the_theme_file_is_intact(hostile: Hostile) -> None:
    import material

    bundle = theme_bundle_path().removeprefix("content/")
    assert ("PP310", theme_bundle_path(), 1, 1) in where(of(hostile.result, "PP310"))
    original = (Path(material.__file__).parent / "templates" / bundle).read_bytes()
    assert (hostile.site / bundle).read_bytes() == original
    assert not (hostile.site / "assets/javascripts/bundle.planted.min.js").exists()
    favicon = Path(material.__file__).parent / "templates" / "assets" / "images" / "favicon.png"
    assert (hostile.site / "assets" / "images" / "favicon.png").read_bytes() == favicon.read_bytes()
    assert "alert('replaced')" not in site_text(hostile.site)


@pytest.mark.parametrize(
    "link", ["../evidence/page.shtml", "../evidence/page.xht", "../evidence/styled.xml", "../evidence/script.js"]
)
def test_evidence_of_a_type_off_the_allow_list_is_an_error_and_not_published(hostile: Hostile, link: str) -> None:
    [diagnostic] = [d for d in of(hostile.result, "PP310", VISION) if (d.line, d.column) == link_at(hostile, link)]
    assert "not a published type" in diagnostic.message
    assert not (hostile.site / pages.file_path(link.removeprefix("../"))).exists()
    assert ("PP310", "content/page.shtml", 1, 1) in where(of(hostile.result, "PP310"))
    assert not (hostile.site / "page.shtml").exists()


def test_a_symlink_is_judged_by_its_target_type(hostile: Hostile) -> None:
    [content] = of(hostile.result, "PP310", "content/mk.txt")
    assert "symbolic link to 'mkdocs.yml'" in content.message and "'.yml' files are not" in content.message
    [evidence] = [
        d
        for d in of(hostile.result, "PP310", VISION)
        if (d.line, d.column) == link_at(hostile, "../evidence/settings.txt")
    ]
    assert "symbolic link to 'mkdocs.yml'" in evidence.message
    [other_type] = of(hostile.result, "PP310", "content/report.txt")
    assert "a file of another type" in other_type.message
    for path in ("mk.txt", "report.txt", "files/evidence/settings.txt"):
        assert not (hostile.site / path).exists()
    assert "site_name" not in site_text(hostile.site)


def test_a_hard_link_is_an_error_and_not_published(hostile: Hostile) -> None:
    [diagnostic] = of(hostile.result, "PP310", "content/hardlink.txt")
    assert "hard link" in diagnostic.message and "copy of the file" in diagnostic.message
    assert not (hostile.site / "hardlink.txt").exists()
    assert OUTSIDE_SECRET not in site_text(hostile.site)


def test_a_content_file_whose_name_is_not_utf8_is_an_error_and_the_build_goes_on(hostile: Hostile) -> None:
    [diagnostic] = of(hostile.result, "PP310", "content/caf\\xe9.md")
    assert "not UTF-8" in diagnostic.message
    assert (hostile.site / "index.html").is_file()
    assert not [f for f in hostile.site.iterdir() if f.name.startswith("caf")]


def test_a_latin1_html_evidence_file_is_reported_and_not_published_raw(hostile: Hostile) -> None:
    assert [d.code for d in hostile.result.diagnostics if d.path == "evidence/latin1.html"] == ["PP101"]
    assert not (hostile.site / "files" / "evidence" / "latin1.html").exists()
    vision = (hostile.site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert "latin1.html" not in vision  # not linked either: "link unavailable"


def test_a_file_whose_content_is_not_its_type_is_an_error(hostile: Hostile) -> None:
    [diagnostic] = of(hostile.result, "PP310", "evidence/fake.pdf")
    assert "is not a PDF file" in diagnostic.message
    assert not (hostile.site / "files" / "evidence" / "fake.pdf").exists()


def test_personal_data_inside_a_pdf_is_found(hostile: Hostile) -> None:
    assert "PP702" in {d.code for d in hostile.result.diagnostics if d.path == "evidence/report.pdf"}
    assert (hostile.site / "files" / "evidence" / "report.pdf").read_bytes() == (
        hostile.root / "evidence" / "report.pdf"
    ).read_bytes()


@pytest.mark.parametrize("place", PDF_PLACES)
def test_personal_data_outside_a_pdf_pages_is_found(hostile: Hostile, place: str) -> None:
    path = f"evidence/carrying-{place.replace(' ', '-')}.pdf"
    [found] = of(hostile.result, "PP702", path)
    published = hostile.result.playbook.publication.file_for(path)
    assert published is not None and published.text is not None
    assert split_lines(published.text)[found.line - 1][found.column - 1 :].startswith("jean.tremblay@gmail.com")


def test_a_pdf_with_an_attachment_is_an_error_and_not_published(hostile: Hostile) -> None:
    [refused] = of(hostile.result, "PP310", "evidence/carrying-attachment.pdf")
    assert "embedded file" in refused.message and "take the attachment out" in refused.message
    assert hostile.result.playbook.publication.file_for("evidence/carrying-attachment.pdf") is None
    assert not (hostile.site / "files" / "evidence" / "carrying-attachment.pdf").exists()


def test_a_pdf_with_a_file_attachment_annotation_is_refused() -> None:
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, RectangleObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Minutes"))))
    writer.add_annotation(
        0,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): RectangleObject([0, 0, 20, 20]),
                NameObject("/FS"): DictionaryObject({NameObject("/Type"): NameObject("/Filespec")}),
            }
        ),
    )
    out = io.BytesIO()
    writer.write(out)
    extracted = pdf_text(out.getvalue())
    assert "file attachment annotation" in extracted.refused and extracted.text == ""


@pytest.mark.parametrize(
    ("path", "reason"), [("evidence/broken.pdf", "pypdf could not read it"), ("evidence/scan.png", "image")]
)
def test_a_file_that_cannot_be_read_as_text_is_a_warning_to_read_it(hostile: Hostile, path: str, reason: str) -> None:
    [diagnostic] = of(hostile.result, "PP708", path)
    assert diagnostic.severity.value == "warning"
    assert reason in diagnostic.message and "a person must read it" in diagnostic.message


def test_a_small_cell_reached_through_a_symlink_is_published_nowhere(hostile: Hostile) -> None:
    [small] = of(hostile.result, "PP707")
    assert small.path == "policies/indicators.md"
    for name in ("dashboard.txt", "dashboard.md", "dashboard.html"):
        assert not (hostile.site / "files" / "evidence" / name).exists()
    assert "value: 3" not in site_text(hostile.site)
    [copy] = of(hostile.result, "PP310", "content/dashboard.txt")
    assert "is an artifact" in copy.message
    assert not (hostile.site / "dashboard.txt").exists()
    vision = (hostile.site / "artifacts" / "vision.html").read_text(encoding="utf-8")
    assert vision.count('href="indicators.html"') == 2  # both links lead to the artifact's page


def test_an_invalid_artifact_linked_as_evidence_is_not_published_raw(hostile: Hostile) -> None:
    assert "PP104" in {d.code for d in hostile.result.diagnostics if d.path == "policies/broken-indicators.md"}
    [refused] = [
        d for d in of(hostile.result, "PP310", VISION) if (d.line, d.column) == link_at(hostile, "broken-indicators.md")
    ]
    assert "is an artifact" in refused.message
    assert not (hostile.site / "files" / "policies").exists()
    assert "East wing" not in site_text(hostile.site)


def test_pp305_and_pp310_agree_with_what_is_published(hostile: Hostile) -> None:
    refused = {d.path for d in hostile.result.diagnostics if d.code in ("PP305", "PP310") and d.path != VISION}
    published_sources = {file.source for file in hostile.result.playbook.publication.files}
    assert refused and not refused & published_sources


# PDF text ------------------------------------------------------------------------------------------


def test_pdf_text_is_extracted() -> None:
    extracted = pdf_text(pdf_with_text("Minutes", "Call 514-555-0199"))
    assert "514-555-0199" in extracted.text and extracted.problem == ""


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-", b"%PDF-1.7\n" + b"\x00" * 500, pdf_with_text("x")[:200], b"%PDF-1.4\n" + b"[" * 50_000]
)
def test_a_broken_pdf_is_a_reason_never_a_traceback(data: bytes) -> None:
    extracted = pdf_text(data)
    assert extracted.text == "" and extracted.problem


IMPOSTORS = {
    "content/gaps.mkd": "gaps.html",
    "content/matrix.markdown": "matrix.html",
    "content/practices/D1.mdown": "practices/D1.html",
    "content/README.md": "index.html",
    "content/owners.html": "owners.html",
    "content/levels/top.mkdn": "levels/top.html",
}


@pytest.mark.slow  # builds a site
def test_a_content_file_over_a_generated_page_is_an_error_and_the_generated_page_wins(tmp_path: Path) -> None:
    """Review F2: another Markdown suffix, or README.md (→ index.html), replaced a generated page without a word."""
    root = small_playbook_copy(tmp_path / "playbook")
    for source in IMPOSTORS:
        write(root, source, "# FAKE: no gaps\n")
    result = check(root, TODAY)
    assert {(d.path, d.line) for d in of(result, "PP310")} == {(source, 1) for source in IMPOSTORS}
    assert not [f for f in result.playbook.publication.files if f.source in IMPOSTORS]
    with pytest.raises(BuildFailed):
        build_site(BuildOptions(root=root, site_dir=tmp_path / "strict", strict=True))
    site = build_site(BuildOptions(root=root, strict=False))
    for published in IMPOSTORS.values():
        assert "FAKE" not in (site / published).read_text(encoding="utf-8"), published
    assert "Gaps and reviews" in (site / "gaps.html").read_text(encoding="utf-8")


def test_the_publication_knows_every_generated_page() -> None:
    result = check(Path(__file__).resolve().parent.parent, TODAY)  # the sample playbook
    assert pages.generated_paths(result.playbook) == {page.path for page in pages.site_pages(result)}


_PARTS = st.sampled_from(
    [
        *("", ".", "..", "a", "b", ".git", "a.md", "..x", "é", "A.PDF", "x.tar.gz", "a.", "..md"),
        *("...md", ".md", "a..md", "README.md", "README.markdown", "x.MD", "x.mkd"),
    ]
)
_PATHS = st.lists(_PARTS, max_size=6).map("/".join)


@given(_PATHS, st.sampled_from(["/", "/p", "/p/q", "/p/"]), st.booleans())
def test_the_quick_relative_path_and_hidden_test_agree_with_pathlib(path: str, root: str, absolute: bool) -> None:
    """The planner's shortcuts for thousands of linked files give ``os.path.relpath``'s and pathlib's answers."""
    from pathlib import PurePosixPath

    real = "/" + path if absolute else root.rstrip("/") + "/" + path
    assert relative_path(real, root) == os.path.relpath(real, root)
    assert _hidden(path) == any(part.startswith(".") for part in PurePosixPath(path).parts)
    assert _suffix(path) == PurePosixPath(path).suffix.lower()
    assert output_path(path) == _output_path_the_long_way(path)


def _output_path_the_long_way(site_path: str) -> str:
    folder, name = posixpath.split(site_path)
    stem, suffix = posixpath.splitext(name)
    if suffix not in MARKDOWN_SUFFIXES:
        return site_path
    return posixpath.join(folder, ("index" if stem == "README" else stem) + ".html")
