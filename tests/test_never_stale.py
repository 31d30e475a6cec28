"""Never a stale answer: after any edit an editor makes, a check with the cache says what a check without it says.

A differential test. A copy of the sample playbook (or a generated one of 60 artifacts), given a few findings, is
edited by a seeded random sequence of the edits editors make (:data:`EDITS`: every kind once in the quick test,
twice in each slow one; most edits go to the files and lines the last report named), each followed by
``pptoolkit check --format json`` with the cache and with ``--no-cache``, run in this process through the command
line's own entry: the two reports must be the same bytes and the exit codes the same (now and then in the text and
SARIF formats too, and now and then a second check with the cache, which reuses everything). The cache lives in a
temporary ``PPTOOLKIT_CACHE_DIR``.

The cache trusts a file's recorded status only when the file last changed a clock step before the check started
(``RACY_NS``, git's "racily clean" entries): the step is a twentieth of a second here, still more than the step of
the clock that stamps a file's times (a jiffy), and nothing edits a file while a check runs.
After an edit, every file's modification time is now and then set back to one instant of the past (so that an
edit of the same size keeps the same size and modification time, and only the change time tells), and the
sequence now and then waits for every change to be a step old, so that the next check takes each unchanged file
from the cache; otherwise the files just changed are read again.

A failure shows the seed, the edits made so far and the first lines where the two reports differ.
"""

from __future__ import annotations

import difflib
import gc
import importlib.util
import itertools
import json
import os
import random
import re
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from playbook_support import REPO_ROOT, TODAY

from pptoolkit.authoring.new import ScaffoldError
from pptoolkit.authoring.translate import start_translation
from pptoolkit.cli import cli
from pptoolkit.loading import cache as cache_module

SETTLED_NS = 50_000_000
"""A file changed this long before a check is taken as known by it here (a check's own margin is 2 s)."""
THE_PAST_NS = 1_767_225_600_000_000_000
"""2026-01-01: the one instant every file's modification time is set back to, as a checkout of old files has it."""
SAMPLE_PARTS = ("mkdocs.yml", "content", "policies", "checks", "evidence")
FICTITIOUS_PERSONAL_DATA = ("Joindre au 514-555-0199.", "Écrire à jane.doe@gmail.com (fictif).")


@pytest.fixture(autouse=True)
def _a_shorter_clock_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", SETTLED_NS)


# The playbook being edited ---------------------------------------------------------------------


class NothingToEdit(Exception):
    """No file of the kind an edit changes is left (all deleted, or in a folder made unreadable)."""


@dataclass
class Editor:
    """A playbook, the folder beside it, and what a sequence of edits has done to them so far."""

    root: Path
    outside: Path
    rng: random.Random
    today: str = TODAY.isoformat()
    lang: str | None = None
    log: list[str] = field(default_factory=list)
    pending_targets: list[Path] = field(default_factory=list)
    locked: list[Path] = field(default_factory=list)
    """Folders made unreadable (by an editor who is not root)."""
    looped: list[tuple[Path, Path]] = field(default_factory=list)
    """Folders replaced by a link to themselves, and where their files were set aside."""
    reported: dict[str, set[int]] = field(default_factory=dict)
    """The files and lines that the last check's report named: most edits go there, to move or change findings."""
    last: tuple[Path, bytes, os.stat_result] | None = None
    """The file changed last, its bytes and its status before: what an undo puts back."""
    made: int = 0

    # What the playbook holds now.

    def files(self, under: str, suffix: str = "") -> list[Path]:
        """The files under ``under`` that an editor can open (regular files, and links to one), in a stable order."""
        found: list[Path] = []
        for folder, folders, names in os.walk(self.root / under):
            folders[:] = sorted(name for name in folders if Path(folder, name) not in self.locked)
            found.extend(Path(folder, name) for name in sorted(names) if name.endswith(suffix))
        return [path for path in found if path.is_file()]

    def artifacts(self, translations: bool = False) -> list[Path]:
        return [p for p in self.files("policies", ".md") if translations or not p.name.endswith(".en.md")]

    def originals_with_a_translation(self) -> list[Path]:
        return [p for p in self.artifacts() if p.with_name(p.stem + ".en.md").exists()]

    def evidence(self) -> list[Path]:
        return self.files("evidence")

    def pick(self, paths: list[Path]) -> Path:
        """One of ``paths``, most often one the last report named."""
        if not paths:
            raise NothingToEdit
        named = [path for path in paths if self.relative(path) in self.reported]
        return self.rng.choice(named if named and self.rng.random() < 0.7 else paths)

    def pick_named(self, paths: list[Path], where: Callable[[int, int], bool]) -> Path:
        """One of ``paths``, most often one that the last report named a line of that ``where(line, closing)``
        accepts (``closing``: the line of the front matter's closing ``---``)."""
        if not paths:
            raise NothingToEdit
        named = []
        for path in paths:
            found = self.front_matter(path) if self.relative(path) in self.reported else None
            if found and any(where(line, found[2] + 1) for line in self.reported[self.relative(path)]):
                named.append(path)
        return self.rng.choice(named if named and self.rng.random() < 0.8 else paths)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else f"(outside)/{path.name}"

    def new_name(self, stem: str) -> str:
        self.made += 1
        return f"{stem}-{self.made}"

    # Reading and writing as editors do.

    def read(self, path: Path) -> str:
        return path.read_bytes().decode("utf-8", "surrogateescape")

    def write(self, path: Path, text: str | bytes, keep_times: bool = False, in_place: bool = False) -> None:
        """Save ``path``, in place or as most editors do (a new file renamed over the old one), taken at random.

        ``keep_times``: then set its access and modification times back to what they were, as ``touch -r`` does.
        """
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
        self.unlock_for(path)
        before = path.stat() if path.exists() else None
        if before is not None and path.is_file():
            self.last = (path, path.read_bytes(), before)
        if in_place or self.rng.random() < 0.5 or path.is_symlink():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)  # in place, through a link
        else:
            temporary = path.with_name(f".{path.name}.swp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        if keep_times and before is not None:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    def unlock_for(self, path: Path) -> None:
        """Make the folders that hold ``path`` readable again, as an editor must to save a file there."""
        for folder in [folder for folder in self.unreadable() if path.is_relative_to(folder)]:
            self.make_readable(folder)
            self.log.append(f"made {self.relative(folder)} readable again, to save a file in it")

    def unreadable(self) -> list[Path]:
        return [*self.locked, *(folder for folder, _ in self.looped)]

    def make_readable(self, folder: Path) -> None:
        """Undo what made ``folder`` unreadable: its permissions, or a link to itself in its place."""
        if folder in self.locked:
            folder.chmod(0o755)
            self.locked.remove(folder)
        for looped, aside in [entry for entry in self.looped if entry[0] == folder]:
            looped.unlink()
            aside.rename(looped)
            self.looped.remove((looped, aside))

    def front_matter(self, path: Path) -> tuple[list[str], int, int] | None:
        """The file's lines and the indexes of its front matter's opening and closing ``---``, if it has one."""
        lines = self.read(path).split("\n")
        if not lines or lines[0] != "---":
            return None
        closing = next((i for i in range(1, len(lines)) if lines[i] == "---"), None)
        return None if closing is None else (lines, 0, closing)


# The edits: each changes the playbook as an editor would, and says what it did ---------------------

Edit = Callable[[Editor], str]


def append_a_paragraph(e: Editor) -> str:
    path = e.pick(e.artifacts(translations=True) + e.files("content", ".md"))
    e.write(path, e.read(path) + "\nUn paragraphe ajouté par une éditrice (fictif).\n")
    return f"appended a paragraph to {e.relative(path)}"


def fix_a_typo(e: Editor) -> str:
    """One letter of an original changed for another, in a front matter value or the body: the same size, the same
    lines, saved in place with the same modification time (``touch -r``), so that only the change time says the
    file changed (the check before it took every file as known: see ``edit_and_check``). Either shows in the
    report: a value as it is, the body through its translation, which no longer translates the original."""
    path = e.pick(e.artifacts())
    lines = e.read(path).split("\n")
    found = e.front_matter(path)
    values = [i for i in range(1, found[2]) if re.search(r": .*[a-z]", lines[i])] if found else []
    body = [i for i in range(found[2] + 1 if found else 0, len(lines)) if re.search(r"[a-z]", lines[i])]
    candidates = values if values and (e.rng.random() < 0.7 or not body) else body
    if not candidates:
        return append_a_paragraph(e)
    index = e.rng.choice(candidates)
    line = lines[index]
    start = line.index(": ") + 2 if candidates is values else 0
    column = e.rng.choice([m.start() for m in re.finditer(r"[a-z]", line) if m.start() >= start])
    letter = e.rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != line[column]])
    lines[index] = line[:column] + letter + line[column + 1 :]
    e.write(path, "\n".join(lines), keep_times=True, in_place=True)
    return f"fixed a typo on line {index + 1} of {e.relative(path)} (same size, modification time kept)"


def insert_a_line_at_the_top_of_a_body(e: Editor) -> str:
    """Two lines inserted after the front matter (most often of a file the last report named a line of the body of,
    whose finding moves)."""
    path = e.pick_named(e.artifacts(translations=True), lambda line, closing: line > closing + 1)
    found = e.front_matter(path)
    lines = e.read(path).split("\n")
    at = found[2] + 1 if found else 0
    lines[at:at] = ["", "*Note de la rédaction : version de travail (fictive).*"]
    e.write(path, "\n".join(lines))
    return f"inserted a line at the top of the body of {e.relative(path)}"


def add_personal_data(e: Editor) -> str:
    path = e.pick(e.artifacts(translations=True) + e.files("content", ".md") + e.evidence())
    if path.suffix != ".md":
        return append_a_paragraph(e)
    e.write(path, e.read(path).rstrip("\n") + f"\n\n{e.rng.choice(FICTITIOUS_PERSONAL_DATA)}\n")
    return f"added a phone number or an e-mail address to {e.relative(path)}"


def _a_date(e: Editor) -> str:
    if e.rng.random() < 0.1:
        return "2027-13-01"
    return (date(2024, 1, 1) + timedelta(days=e.rng.randrange(6 * 365))).isoformat()


def _practice_ids(e: Editor) -> list[str]:
    try:
        matrix = yaml.safe_load((e.root / "checks/matrix.yml").read_text(encoding="utf-8"))
        return [str(practice["id"]) for practice in matrix["practices"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return ["D1", "S5", "E1"]


def _role_ids(e: Editor) -> list[str]:
    return re.findall(r"(?m)^  - id: (\S+)", (e.root / "checks/roles.yml").read_text(encoding="utf-8"))


def change_a_front_matter_value(e: Editor) -> str:
    path = e.pick(e.artifacts())
    text = e.read(path)
    values: dict[str, Callable[[], str]] = {
        "status": lambda: e.rng.choice(["draft", "approved", "retired", "in-review"]),
        "owner": lambda: e.rng.choice([*_role_ids(e), "nobody-known"]),
        "approved_on": lambda: _a_date(e),
        "review_by": lambda: _a_date(e),
        "    date": lambda: _a_date(e),
        "implements": lambda: "[" + ", ".join(sorted(e.rng.sample(_practice_ids(e), e.rng.randint(0, 3)))) + "]",
    }
    keys = [key for key in values if re.search(rf"(?m)^{key}: ", text)]
    if not keys:
        return append_a_paragraph(e)
    key = e.rng.choice(keys)
    occurrences = list(re.finditer(rf"(?m)^{key}: .*$", text))
    chosen = e.rng.choice(occurrences)
    value = values[key]()
    e.write(path, text[: chosen.start()] + f"{key}: {value}" + text[chosen.end() :])
    return f"set {key.strip()} to {value} in {e.relative(path)}"


def _blocks(lines: list[str], opening: int, closing: int) -> list[tuple[int, int]]:
    """The front matter's top-level entries as ranges of lines (a key with its indented lines, or a comment)."""
    blocks: list[tuple[int, int]] = []
    for index in range(opening + 1, closing):
        line = lines[index]
        if blocks and line[:1] in (" ", "-", ""):
            blocks[-1] = (blocks[-1][0], index + 1)
        else:
            blocks.append((index, index + 1))
    return blocks


def reorder_two_front_matter_keys(e: Editor) -> str:
    """Two neighbouring entries swapped: the same model, written on other lines (most often an entry the last
    report named a line of, whose finding moves)."""
    path = e.pick_named(e.artifacts(translations=True), lambda line, closing: 1 < line <= closing)
    found = e.front_matter(path)
    blocks = [b for b in _blocks(*found) if not found[0][b[0]].startswith("#")] if found else []
    pairs = [(a, b) for a, b in itertools.pairwise(blocks) if a[1] == b[0]]
    if found is None or not pairs:
        return append_a_paragraph(e)
    lines = found[0]
    named = e.reported.get(e.relative(path), set())
    moving = [(a, b) for a, b in pairs if any(a[0] < line <= b[1] for line in named)]
    first, second = e.rng.choice(moving if moving and e.rng.random() < 0.8 else pairs)
    lines[first[0] : second[1]] = lines[second[0] : second[1]] + lines[first[0] : first[1]]
    e.write(path, "\n".join(lines))
    return f"swapped the front matter entries on lines {first[0] + 1} and {second[0] + 1} of {e.relative(path)}"


def add_or_remove_a_yaml_comment(e: Editor) -> str:
    """A comment line added to the front matter (most often above a line the last report named) or removed."""
    path = e.pick(e.artifacts(translations=True))
    found = e.front_matter(path)
    if found is None:
        return append_a_paragraph(e)
    lines, opening, closing = found
    comments = [i for i in range(opening + 1, closing) if lines[i].startswith("#")]
    if comments and e.rng.random() < 0.5:
        index = e.rng.choice(comments)
        del lines[index]
        e.write(path, "\n".join(lines))
        return f"removed the comment on line {index + 1} of {e.relative(path)}'s front matter"
    starts = [start for start, _ in _blocks(lines, opening, closing)] + [closing]
    above = [start for start in starts if start < max(e.reported.get(e.relative(path), {0}))]
    index = e.rng.choice(above if above and e.rng.random() < 0.8 else starts)
    lines.insert(index, "# Commentaire d'une éditrice (fictif)")
    e.write(path, "\n".join(lines))
    return f"added a comment on line {index + 1} of {e.relative(path)}'s front matter"


def add_an_artifact(e: Editor) -> str:
    source = e.pick(e.artifacts())
    name = e.new_name("added")
    text = re.sub(r"(?m)^id: .*$", f"id: {name}", e.read(source), count=1)
    target = source.with_name(f"{name}.md")
    e.write(target, text)
    return f"added {e.relative(target)}, a copy of {e.relative(source)} with its own id"


def delete_an_artifact(e: Editor) -> str:
    path = e.pick(e.artifacts(translations=True))
    path.unlink()
    return f"deleted {e.relative(path)}"


def rename_an_artifact(e: Editor) -> str:
    path = e.pick(e.artifacts(translations=True))
    folder = e.pick([p for p in (e.root / "policies").iterdir() if p.is_dir() and p not in e.locked] or [path.parent])
    target = folder / f"{e.new_name(path.name.split('.')[0])}{''.join(path.suffixes[-2:]) or '.md'}"
    path.rename(target)
    return f"renamed {e.relative(path)} to {e.relative(target)}"


def add_a_broken_link(e: Editor) -> str:
    path = e.pick(e.artifacts())
    target = e.root / "evidence" / f"{e.new_name('minutes')}.md"
    link = os.path.relpath(target, path.parent).replace(os.sep, "/")
    e.write(path, e.read(path).rstrip("\n") + f"\n\nVoir [le compte rendu]({link}).\n")
    e.pending_targets.append(target)
    return f"linked {e.relative(path)} to {e.relative(target)}, which does not exist"


def create_a_link_target(e: Editor) -> str:
    if not e.pending_targets:
        add_a_broken_link(e)
    target = e.pending_targets.pop(e.rng.randrange(len(e.pending_targets)))
    e.write(target, "# Compte rendu\n\nUn compte rendu fictif.\n")
    return f"created {e.relative(target)}, the target of a broken link"


def change_or_delete_evidence(e: Editor) -> str:
    path = e.pick(e.evidence())
    choice = e.rng.randrange(3)
    if choice == 0:
        path.unlink()
        return f"deleted {e.relative(path)}"
    added = e.rng.choice(FICTITIOUS_PERSONAL_DATA) if choice == 1 else "Ajout au compte rendu (fictif)."
    e.write(path, e.read(path) + f"\n{added}\n")
    return f"added {added!r} to {e.relative(path)}"


def edit_a_content_page(e: Editor) -> str:
    pages = e.files("content", ".md")
    if not pages:
        e.write(e.root / "content/about.md", "# À propos\n\nUne page fictive.\n")
        return "created content/about.md"
    path = e.pick(pages)
    choice = e.rng.randrange(4)
    text = e.read(path)
    if choice == 3:
        text = text.replace("\n", f"\n\n{e.rng.choice(FICTITIOUS_PERSONAL_DATA)}\n", 1)
    elif choice == 0:
        text = text.replace("\n", "\n\n## Une section ajoutée (fictive)\n", 1)
    elif choice == 1:
        text += "\nVoir [une page absente](absente.md) et [les pratiques](practices/index.md).\n"
    else:
        text = text.replace("e", "é", 1)
    e.write(path, text)
    return f"edited the content page {e.relative(path)}"


def change_the_matrix(e: Editor) -> str:
    path = e.root / "checks/matrix.yml"
    text = path.read_text(encoding="utf-8")
    ages = list(re.finditer(r"(?m)^    evidence_max_age_days: \d+$", text))
    if ages and e.rng.random() < 0.5:
        chosen = e.rng.choice(ages)
        value = e.rng.choice([30, 200, 400, 730, 1500])
        text = text[: chosen.start()] + f"    evidence_max_age_days: {value}" + text[chosen.end() :]
        what = f"set an evidence_max_age_days to {value}"
    else:
        titles = list(re.finditer(r"(?m)^    short_title: .*$", text))
        chosen = e.rng.choice(titles)
        text = text[: chosen.end()] + " (révisé)" + text[chosen.end() :]
        what = f"changed a short title on line {text[: chosen.start()].count(chr(10)) + 1}"
    e.write(path, text)
    return f"checks/matrix.yml: {what}"


def change_the_roles(e: Editor) -> str:
    path = e.root / "checks/roles.yml"
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^  - id: ", text)]
    choice = e.rng.randrange(3)
    if choice == 0 and len(starts) > 3:
        index = e.rng.randrange(len(starts))
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        removed = re.match(r"  - id: (\S+)", text[starts[index] :])
        text = text[: starts[index]] + text[end:]
        what = f"removed the role {removed.group(1) if removed else '?'}"
    elif choice == 1:
        name = e.new_name("coordinator")
        text = text.rstrip("\n") + f"\n\n  - id: {name}\n    title: Coordination (fictive)\n    level: mid\n"
        what = f"added the role {name}"
    else:
        titles = list(re.finditer(r"(?m)^    title: .*$", text))
        chosen = e.rng.choice(titles)
        text = text[: chosen.end()] + " (intérim)" + text[chosen.end() :]
        what = "changed a role's title"
    e.write(path, text)
    return f"checks/roles.yml: {what}"


def _toggle_list(e: Editor, relative: str, key: str, entry: Callable[[], str]) -> str:
    path = e.root / relative
    text = path.read_text(encoding="utf-8") if path.exists() else f"{key}: []\n"
    if f"{key}: []" in text:
        text = text.replace(f"{key}: []", f"{key}:\n{entry()}")
        what = "added an entry"
    elif e.rng.random() < 0.5:
        text = re.sub(rf"(?ms)^{key}:\n.*", f"{key}: []\n", text)
        what = "removed every entry"
    else:
        text = text.rstrip("\n") + "\n" + entry()
        what = "added another entry"
    e.write(path, text)
    return f"{relative}: {what}"


def change_the_waivers(e: Editor) -> str:
    def entry() -> str:
        return (
            f"  - practice: {e.rng.choice(_practice_ids(e))}\n    reason: Under review (fictitious)\n"
            f"    approved_by: {e.rng.choice(_role_ids(e))}\n    expires: {_a_date(e)}\n"
        )

    return _toggle_list(e, "checks/waivers.yml", "waivers", entry)


def change_the_applicability(e: Editor) -> str:
    def entry() -> str:
        return (
            f"  - practice: {e.rng.choice(_practice_ids(e))}\n    reason: Not offered here (fictitious)\n"
            f"    approved_by: {e.rng.choice(_role_ids(e))}\n    review_by: {_a_date(e)}\n"
        )

    return _toggle_list(e, "checks/applicability.yml", "not_applicable", entry)


def add_a_translation(e: Editor) -> str:
    """``pptoolkit new --translate``; when every original has its translation, one is deleted (and made again
    by the next edit of this kind)."""
    untranslated = [p for p in e.artifacts() if not p.with_name(p.stem + ".en.md").exists()]
    if not untranslated:
        path = e.pick([p.with_name(p.stem + ".en.md") for p in e.artifacts()])
        path.unlink()
        return f"deleted the translation {e.relative(path)}"
    original = e.pick(untranslated)
    try:
        made = start_translation(e.root, original, "en")
    except (ScaffoldError, FileExistsError):  # a playbook of one language, or an invalid original: by hand
        made = original.with_name(original.stem + ".en.md")
        found = e.front_matter(original)
        body = "\n".join(found[0][found[2] + 1 :]) if found else e.read(original)
        e.write(
            made,
            f"---\ntitle: A translation (fictitious)\nlang: en\ntranslation_of: {{hash: 0123456789abcdef}}\n"
            f"---\n{body}",
        )
    return f"added the translation {e.relative(made)}"


def edit_a_translated_original(e: Editor) -> str:
    originals = e.originals_with_a_translation()
    if not originals:
        add_a_translation(e)
        originals = e.originals_with_a_translation() or e.artifacts()
    path = e.pick(originals)
    text = e.read(path)
    if re.search(r"(?m)^title: ", text) and e.rng.random() < 0.5:
        text = re.sub(r"(?m)^(title: .*)$", r"\1 (révisé)", text, count=1)
        what = "the title"
    else:
        text += "\nUn paragraphe que la traduction n'a pas encore (fictif).\n"
        what = "the body"
    e.write(path, text)
    return f"edited {what} of {e.relative(path)}, which has a translation"


def _replace_by_a_link(e: Editor, path: Path, target: Path) -> None:
    if path.is_file() and not path.is_symlink():
        e.last = (path, path.read_bytes(), path.lstat())
    path.unlink()
    path.symlink_to(os.path.relpath(target, path.parent))


def replace_a_file_by_a_link_inside(e: Editor) -> str:
    if e.rng.random() < 0.5 and len(e.evidence()) > 1:
        path, target = e.rng.sample([p for p in e.evidence() if not p.is_symlink()] or e.evidence(), 2)
    else:
        path = e.pick(e.artifacts())
        target = e.root / "drafts" / f"{e.new_name(path.stem)}.md"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
    _replace_by_a_link(e, path, target)
    return f"replaced {e.relative(path)} by a symbolic link to {e.relative(target)}"


def replace_a_file_by_a_link_outside(e: Editor) -> str:
    """A file, or most often a link made inside before, made a link to a copy of its file outside the playbook."""
    files = e.artifacts() + e.evidence() + e.files("content", ".md")
    links = [path for path in files if path.is_symlink()]
    path = e.rng.choice(links) if links and e.rng.random() < 0.6 else e.pick(files)
    target = e.outside / f"{e.new_name(path.stem)}{path.suffix}"
    shutil.copyfile(path, target)
    _replace_by_a_link(e, path, target)
    return f"replaced {e.relative(path)} by a symbolic link to a copy outside the playbook"


def make_something_unreadable(e: Editor) -> str:
    """A folder nobody can read, root included (a link to itself in its place, its files set aside), or that an
    editor who is not root cannot read (``chmod 000``); or a file that cannot be read as text (not UTF-8, or larger
    than the limit). Half the time, a folder made unreadable before is made readable again instead."""
    if e.unreadable() and e.rng.random() < 0.5:
        folder = e.rng.choice(e.unreadable())
        e.make_readable(folder)
        return f"made {e.relative(folder)} readable again"
    folders = [
        folder
        for folder in sorted({path.parent for path in e.artifacts() + e.evidence()} - {e.root})
        if not any(folder.is_relative_to(other) or other.is_relative_to(folder) for other in e.unreadable())
    ]
    choice = e.rng.randrange(3)
    if choice == 0 and folders:
        folder = e.pick(folders)
        aside = e.outside / e.new_name("set-aside")
        folder.rename(aside)
        folder.symlink_to(folder.name)
        e.looped.append((folder, aside))
        return f"replaced the folder {e.relative(folder)} by a link to itself, which nobody can read"
    if choice == 1 and folders and os.geteuid() != 0:
        folder = e.pick(folders)
        folder.chmod(0)
        e.locked.append(folder)
        return f"made the folder {e.relative(folder)} unreadable"
    path = e.pick(e.artifacts() + e.evidence())
    if e.rng.random() < 0.5:
        e.write(path, e.read(path).encode("latin-1", "replace"))
        return f"saved {e.relative(path)} as latin-1"
    e.write(path, e.read(path) + "\n" + "Un très long paragraphe (fictif). " * 40_000 + "\n")
    return f"made {e.relative(path)} larger than the limit"


MKDOCS_CHANGES = (
    (
        "      matrix: checks/matrix.yml\n",
        "      matrix: checks/matrix.yml\n      rules: {PP303: off, PP702: warning}\n",
    ),
    ("      policies_dir: policies\n", "      policies_dir: policies\n      limits: {max_evidence_items: 1}\n"),
    (
        "      roles: checks/roles.yml\n",
        "      roles: checks/roles.yml\n      privacy: {allowed_contacts: [jane.doe@gmail.com]}\n",
    ),
    ("independent_approval: [vision, ethics-clause", "independent_approval: [ethics-clause"),
    ("theme:\n", "# The theme (a comment added by an editor).\ntheme:\n"),
    ("site_dir: site\n", "site_dir: site\nrepo_url: https://example.org/playbook\n"),
)


def change_mkdocs_yml(e: Editor) -> str:
    path = e.root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    changes = [change for change in MKDOCS_CHANGES if change[0] in text or change[1] in text]
    before, after = e.rng.choice(changes)
    if after in text:
        text, what = text.replace(after, before, 1), f"undid {after.strip()!r}"
    else:
        text, what = text.replace(before, after, 1), f"made {after.strip()!r}"
    e.write(path, text)
    return f"mkdocs.yml: {what}"


def check_as_of_another_day(e: Editor) -> str:
    e.today = (date(2025, 6, 1) + timedelta(days=e.rng.randrange(4 * 365))).isoformat()
    return f"checks from now on with --today {e.today}"


def check_in_another_language(e: Editor) -> str:
    e.lang = e.rng.choice([language for language in (None, "fr", "en") if language != e.lang])
    return f"checks from now on with --lang {e.lang}" if e.lang else "checks from now on without --lang"


def undo_the_last_change(e: Editor) -> str:
    """The file changed last put back as it was, with its modification time: a state a check has seen before."""
    if e.last is None:
        return append_a_paragraph(e)
    path, data, status = e.last
    e.last = None
    e.unlock_for(path)
    if path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    return f"undid the last change of {e.relative(path)} (modification time put back)"


def accept_todays_gaps(e: Editor) -> str:
    """``pptoolkit baseline``, or the baseline deleted: a check then fails only on gaps that are new or worse, and
    writes a tightened baseline when one is closed."""
    baseline = e.root / "checks/baseline.yml"
    if baseline.exists() and e.rng.random() < 0.4:
        baseline.unlink()
        return "deleted checks/baseline.yml"
    answer = pptoolkit("baseline", str(e.root), "--today", e.today)
    return f"accepted today's gaps with pptoolkit baseline (exit code {answer.exit_code})"


def touch_a_file(e: Editor) -> str:
    path = e.pick(e.artifacts(translations=True) + e.evidence())
    os.utime(path)
    return f"touched {e.relative(path)} (same content)"


EDITS: tuple[Edit, ...] = (
    append_a_paragraph,
    fix_a_typo,
    insert_a_line_at_the_top_of_a_body,
    add_personal_data,
    change_a_front_matter_value,
    reorder_two_front_matter_keys,
    add_or_remove_a_yaml_comment,
    add_an_artifact,
    delete_an_artifact,
    rename_an_artifact,
    add_a_broken_link,
    create_a_link_target,
    change_or_delete_evidence,
    edit_a_content_page,
    change_the_matrix,
    change_the_roles,
    change_the_waivers,
    change_the_applicability,
    add_a_translation,
    edit_a_translated_original,
    replace_a_file_by_a_link_inside,
    replace_a_file_by_a_link_outside,
    make_something_unreadable,
    change_mkdocs_yml,
    check_as_of_another_day,
    check_in_another_language,
    undo_the_last_change,
    accept_todays_gaps,
    touch_a_file,
)


# Checking, with the cache and without --------------------------------------------------------------


def _every_path(root: Path) -> Iterator[Path]:
    for folder, folders, names in os.walk(root):
        for name in [*folders, *names]:
            yield Path(folder, name)


def date_everything_back(root: Path) -> None:
    """Every file's modification time set to one instant of the past, as a fresh checkout of old files has it."""
    for path in _every_path(root):
        os.utime(path, ns=(THE_PAST_NS, THE_PAST_NS), follow_symlinks=False)


def settle(root: Path) -> None:
    """Wait until every change to the playbook is a clock step old, so that the next check takes the unchanged
    files from the cache (a check's racily clean rule would read them all again otherwise)."""
    changed = max((path.lstat().st_ctime_ns for path in _every_path(root)), default=0)
    while (wait := changed + SETTLED_NS + 10_000_000 - time.time_ns()) > 0:
        time.sleep(wait / 1e9)


@dataclass(frozen=True)
class Answer:
    exit_code: int
    stdout: str
    stderr: str
    error: str
    """The traceback, when the command raised an exception."""


_commands_run = itertools.count(1)


def pptoolkit(*args: str) -> Answer:
    """The command's exit code, output and traceback, run in this process as if it were a process of its own.

    The command freezes what it made for the collector, as it would before its process exits: here, what it froze
    is unfrozen and its cycles collected now and then, or hundreds of checks would grow this process by 0.8 MB each.
    """
    result = CliRunner().invoke(cli, list(args))
    gc.unfreeze()
    if next(_commands_run) % 20 == 0:
        gc.collect()
    error = ""
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        error = "".join(traceback.format_exception(*result.exc_info))
    return Answer(result.exit_code, result.stdout, result.stderr, error)


def difference(fresh: Answer, cached: Answer, root: Path) -> str:
    """How ``cached`` differs from ``fresh``: the traceback of a check that raised, or the first lines that differ."""
    if cached.error or fresh.error:
        raised = "with the cache" if cached.error else "without the cache"
        return f"{raised}, the check raised:\n{(cached.error or fresh.error)[-3000:]}"
    stream = "stdout" if cached.stdout != fresh.stdout or cached.stderr == fresh.stderr else "stderr"
    lines = difflib.unified_diff(
        getattr(fresh, stream).replace(str(root), "ROOT").splitlines(),
        getattr(cached, stream).replace(str(root), "ROOT").splitlines(),
        "without the cache (--no-cache)",
        "with the cache",
        n=2,
        lineterm="",
    )
    return (
        f"with the cache, another answer than with --no-cache (exit code {cached.exit_code}, {fresh.exit_code} "
        f"without); the first differences in {stream}:\n" + "\n".join(list(lines)[:40])
    )


def check_both_ways(e: Editor, seed: int, output_format: str = "json", again: bool = False) -> None:
    """``pptoolkit check`` with the cache (twice when ``again``) and without: the same report, the same exit code,
    and never a traceback."""
    arguments = ["check", str(e.root), "--format", output_format, "--today", e.today]
    if e.lang:
        arguments += ["--lang", e.lang]
    baseline = e.root / "checks/baseline.yml"
    accepted = baseline.read_bytes() if baseline.exists() else None
    answers = []
    for command in [arguments] * (2 if again else 1) + [[*arguments, "--no-cache"]]:
        if accepted is not None and baseline.read_bytes() != accepted:
            baseline.write_bytes(accepted)  # tightened by the check before: each check starts from the same baseline
        answers.append(pptoolkit(*command))
    *cached, fresh = answers
    if output_format == "json" and fresh.stdout:
        e.reported = {}
        for diagnostic in json.loads(fresh.stdout)["diagnostics"]:
            e.reported.setdefault(diagnostic["path"], set()).add(diagnostic["line"])
    for number, answer in enumerate(cached):
        if answer != fresh or answer.error:
            edits = "\n".join(f"  {index}. {what}" for index, what in enumerate(e.log, 1)) or "  (none)"
            shown = " ".join(arguments).replace(str(e.root), "ROOT")
            pytest.fail(
                f"{'a traceback' if answer.error or fresh.error else 'a stale answer'} after these edits "
                f"(seed {seed}):\n{edits}\n{'the second check in a row' if number else 'a check'}, "
                f"`pptoolkit {shown}`: {difference(fresh, answer, e.root)}",
                pytrace=False,
            )


def copy_sample(root: Path) -> None:
    root.mkdir()
    for part in SAMPLE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)


def generate(root: Path, count: int) -> None:
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(root, count)


@pytest.fixture
def editor_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, int], Editor]]:
    """Makes the playbook (``sample``, or ``generated``: 60 artifacts) and its editor; makes every folder readable
    again at the end."""
    monkeypatch.setenv("PPTOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    editors: list[Editor] = []

    def make(playbook: str, seed: int) -> Editor:
        root = tmp_path / "playbook"
        copy_sample(root) if playbook == "sample" else generate(root, 60)
        (tmp_path / "outside").mkdir()
        editors.append(Editor(root, tmp_path / "outside", random.Random(seed)))
        return editors[-1]

    yield make
    for editor in editors:
        for folder in editor.unreadable():
            editor.make_readable(folder)


def edit_and_check(e: Editor, seed: int, edits: list[Edit]) -> None:
    """Check, then make each edit and check again both ways, dating files back and settling them at random.

    A typo is fixed right after a check that took every file as known, so that an edit of the same size and
    modification time has a recorded status to be mistaken for.
    """
    for edit in (add_personal_data, add_personal_data, add_a_broken_link, change_a_front_matter_value):
        e.log.append(f"(before the first check) {edit(e)}")  # a playbook with findings, for edits to move
    date_everything_back(e.root)
    settle(e.root)
    check_both_ways(e, seed)
    settled = True
    for edit in edits:
        if edit is fix_a_typo and not settled:
            settle(e.root)
            check_both_ways(e, seed)
        try:
            e.log.append(edit(e))
        except NothingToEdit:
            e.log.append(f"(no file left for {edit.__name__}) {append_a_paragraph(e)}")
        if e.rng.random() < 0.5:
            date_everything_back(e.root)
        settled = e.rng.random() < 0.6
        if settled:
            settle(e.root)
        check_both_ways(e, seed, again=e.rng.random() < 0.15)
        if e.rng.random() < 0.15:
            check_both_ways(e, seed, output_format=e.rng.choice(["text", "sarif"]))


def every_edit(rng: random.Random, times: int) -> list[Edit]:
    edits = list(EDITS) * times
    rng.shuffle(edits)
    return edits


def test_after_each_kind_of_edit_a_check_with_the_cache_says_what_a_check_without_it_says(
    editor_of: Callable[[str, int], Editor],
) -> None:
    """The quick loop's share: every kind of edit once, on the sample playbook."""
    e = editor_of("sample", 0)
    edit_and_check(e, 0, every_edit(e.rng, 1))


@pytest.mark.slow
@pytest.mark.parametrize(("playbook", "seed"), [("sample", 1), ("sample", 2), ("sample", 3), ("generated", 4)])
def test_after_a_random_sequence_of_edits_the_cache_never_gives_a_stale_answer(
    editor_of: Callable[[str, int], Editor], playbook: str, seed: int
) -> None:
    e = editor_of(playbook, seed)
    edit_and_check(e, seed, every_edit(e.rng, 2))
