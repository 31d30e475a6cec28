"""Helpers for the hardening tests (fuzz, privacy, limits, nothing lost).

``small_playbook_copy(dest)`` copies the small site-test playbook
(``tests/site/playbook``: practices D1, S5, E1; roles ``director-general`` (top)
and ``pp-coordinator`` (mid); artifacts ``policies/vision.md`` and
``policies/logic-model.md``; ``evidence/minutes.md``; ``content/tags.md``) and
gives it a ``mkdocs.yml`` whose ``pptoolkit`` plugin entry builds as of :data:`TODAY`
(``today:``), with the given options. Everything is fictitious.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from pptoolkit.checking.checker import Result
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.publishing.pages import allowed_tags
from pptoolkit.reading.documents import split_lines

TODAY = date(2026, 11, 26)
"""The date every hardening test checks as of."""

SMALL_PLAYBOOK = Path(__file__).resolve().parent / "site" / "playbook"

VISION = "policies/vision.md"
LOGIC_MODEL = "policies/logic-model.md"
MINUTES = "evidence/minutes.md"
ROLES = "checks/roles.yml"
MATRIX = "checks/matrix.yml"
WAIVERS = "checks/waivers.yml"


def mkdocs_yml(options: dict[str, Any] | None = None, site_name: str = "Hardening test playbook") -> str:
    """A ``mkdocs.yml`` like the sample's (material, search, tags) whose pptoolkit entry has ``options``."""
    entry = {"today": TODAY.isoformat(), **(options or {})}
    config = {
        "site_name": site_name,
        "docs_dir": "content",
        "site_dir": "site",
        "use_directory_urls": False,
        "theme": {"name": "material", "language": "en", "font": False},
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "admonition", "toc"],
        "plugins": [
            "search",
            {"tags": {"tags_allowed": allowed_tags()}},
            {"pptoolkit": entry},
        ],
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def small_playbook_copy(dest: Path, options: dict[str, Any] | None = None) -> Path:
    """Copy the small valid playbook to ``dest`` (created) with a fresh ``mkdocs.yml``; return ``dest``."""
    shutil.copytree(SMALL_PLAYBOOK, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("site", ".site-*"))
    (dest / "mkdocs.yml").write_text(mkdocs_yml(options), encoding="utf-8")
    return dest


def set_options(root: Path, options: dict[str, Any]) -> None:
    """Rewrite ``root/mkdocs.yml`` with these pptoolkit plugin options."""
    (root / "mkdocs.yml").write_text(mkdocs_yml(options), encoding="utf-8")


def write(root: Path, relative: str, text: str | bytes) -> Path:
    """Write ``text`` (or bytes) to ``root/relative`` exactly as given, creating folders."""
    file = root / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_bytes(text.encode("utf-8"))
    return file


def line_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based (line, column) of the ``occurrence``-th ``needle`` in ``text`` (lines broken at CR LF, CR, LF)."""
    found = 0
    for number, line in enumerate(split_lines(text), start=1):
        start = 0
        while (index := line.find(needle, start)) >= 0:
            found += 1
            if found == occurrence:
                return number, index + 1
            start = index + 1
    raise AssertionError(f"{needle!r} not found {occurrence} time(s)")


def codes(result: Result, path: str | None = None) -> list[str]:
    """The codes of the diagnostics (of one file when ``path`` is given), in report order."""
    return [d.code for d in result.diagnostics if path is None or d.path == path]


def of(result: Result, code: str, path: str | None = None) -> list[Diagnostic]:
    """The diagnostics of rule ``code`` (in one file when ``path`` is given)."""
    return [d for d in result.diagnostics if d.code == code and (path is None or d.path == path)]


def where(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, str, int, int]]:
    """``(code, path, line, column)`` of each diagnostic."""
    return [(d.code, d.path, d.line, d.column) for d in diagnostics]


def file_lines(file: Path) -> list[str]:
    """The lines of a file as editors count them (CR LF, CR or LF), without a BOM; bytes as Latin-1 if not UTF-8."""
    data = file.read_bytes()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return split_lines(text)


def assert_located(result: Result, root: Path) -> None:
    """Every diagnostic names a file of the playbook and a 1-based line/column inside it (or just past its end)."""
    for d in result.diagnostics:
        assert d.path, d
        assert "\\" not in d.path and not d.path.startswith("/"), d
        file = root / d.path
        assert os.path.lexists(file), f"{d.path} does not exist: {d}"
        assert d.line >= 1 and d.column >= 1, d
        if file.is_file() and not file.is_symlink():
            lines = file_lines(file)
            assert d.line <= len(lines) + 1, f"line {d.line} beyond the {len(lines)} lines of {d.path}: {d}"
            width = len(lines[d.line - 1]) if d.line <= len(lines) else 0
            assert d.column <= width + 1, f"column {d.column} beyond the {width} characters of line {d.line}: {d}"


def tree_state(folder: Path, mtimes: bool = True) -> dict[str, tuple[str, int | None]]:
    """Every file under ``folder``: relative path → (sha256, mtime in ns or None); symlinks by their target."""
    state: dict[str, tuple[str, int | None]] = {}
    if not folder.exists():
        return state
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[relative] = ("link:" + os.readlink(path), None)
        elif path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[relative] = (digest, path.stat().st_mtime_ns if mtimes else None)
        elif path.is_dir():
            state[relative + "/"] = ("dir", None)
    return state


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and content under ``folder`` (mtimes ignored)."""
    digest = hashlib.sha256()
    for relative, (content, _) in tree_state(folder, mtimes=False).items():
        digest.update(f"{relative}\0{content}\n".encode())
    return digest.hexdigest()


class _PageFacts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value or ""))
            if name in ("href", "src", "action", "formaction", "data", "srcdoc") and value is not None:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


@dataclass(frozen=True)
class PageFacts:
    """What a browser would run in a page: script texts, event-handler attributes, URLs, element names."""

    scripts: list[str]
    handlers: list[tuple[str, str, str]]
    urls: list[str]
    tags: list[str]


def page_facts(page: str) -> PageFacts:
    """Parse an HTML page (entities decoded, as a browser would) into :class:`PageFacts`."""
    parser = _PageFacts()
    parser.feed(page)
    parser.close()
    return PageFacts(parser.scripts, parser.handlers, parser.urls, parser.tags)


def dangerous_urls(facts: PageFacts) -> list[str]:
    """The URLs of a page whose scheme runs code or reads local files (``javascript:``, ``data:``, ``file:``...)."""
    bad = []
    for url in facts.urls:
        squeezed = "".join(ch for ch in url if ch > " ").lower()
        if squeezed.startswith(("javascript:", "vbscript:", "data:", "file:")):
            bad.append(url)
    return bad


class Hang(Exception):
    """A call took longer than the guard allows."""


@contextmanager
def no_hang(seconds: float) -> Iterator[None]:
    """Fail with :class:`Hang` instead of hanging when the block runs longer than ``seconds`` (main thread only)."""

    def stop(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


PARAGRAPH = (
    "Each quality improvement team invites patient advisors from the start of a project, prepares them, "
    "and tells them what changed because of their contribution. "
)


def add_visions(root: Path, count: int, folder: str = "policies/many") -> list[Path]:
    """Write ``count`` more valid artifacts (visions implementing D1, owned by ``director-general``)."""
    files = []
    for number in range(count):
        body = "\n\n".join(f"## Part {part}\n\n{PARAGRAPH * 4}" for part in range(3))
        text = (
            f"---\nid: vision-{number:04d}\nkind: vision\ntitle: Vision {number}\nowner: director-general\n"
            "status: approved\napproved_on: 2026-01-15\nreview_by: 2028-06-30\nimplements: [D1]\n"
            "statement: Patients and families are partners.\nevidence:\n  - title: Board minutes\n"
            f"    date: 2026-01-15\n    link: ../../{MINUTES}\n---\n\n# Vision {number}\n\n{body}\n"
        )
        files.append(write(root, f"{folder}/vision-{number:04d}.md", text))
    return files
