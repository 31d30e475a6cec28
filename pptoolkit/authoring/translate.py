"""Translations of artifacts: start one from its original (`pptoolkit new --translate`), record what it translates.

A translation starts as a copy of what its original's translator translates (title, summary, the
kind's text fields, the body), to be rewritten in place; the shared fields stay in the original.
Once it is up to date, :func:`stamp_translation` writes ``translation_of: {hash: ...}``, the
fingerprint of the original's current text, so that the check can tell when it falls behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pptoolkit.authoring.new import ScaffoldError
from pptoolkit.i18n import _
from pptoolkit.loading.playbook import Playbook, load_playbook
from pptoolkit.loading.translations import (
    STAMP_KEY,
    fingerprint,
    is_multilingual,
    split_language,
    translated_fields,
    translation_path,
)
from pptoolkit.writing import write_atomically


def _relative(playbook: Playbook, file: Path) -> str:
    """``file`` (relative to the current folder, or absolute) as a path of the playbook; ScaffoldError outside it."""
    resolved = file.resolve() if file.is_absolute() or file.exists() else (playbook.root / file).resolve()
    if not resolved.is_relative_to(playbook.root):
        raise ScaffoldError(
            _("'{file}' is not a file of the playbook at '{root}'").format(file=file, root=playbook.root)
        )
    return resolved.relative_to(playbook.root).as_posix()


def start_translation(root: Path, original: Path, language: str) -> Path:
    """Write the translation of the artifact file ``original`` into ``language``; return its path.

    Raises ScaffoldError (a language or file that cannot be translated) and FileExistsError (never overwrites).
    """
    playbook = load_playbook(root)
    settings = playbook.settings
    if not is_multilingual(settings) or language not in settings.languages[1:]:
        raise ScaffoldError(
            _(
                "'{language}' is not a language to translate into: the playbook's languages are {languages} "
                "(the first is the originals'); declare them with 'languages:' in the pptoolkit entry of mkdocs.yml"
            ).format(language=language, languages=", ".join(settings.languages))
        )
    relative = _relative(playbook, original)
    if split_language(relative, settings)[1] not in (None, settings.default_language):
        raise ScaffoldError(_("'{path}' is itself a translation: translate its original").format(path=relative))
    artifact = playbook.artifact_at(relative)
    if artifact is None:
        raise ScaffoldError(
            _("'{path}' is not a valid artifact of the playbook: run 'pptoolkit check' first").format(path=relative)
        )
    model = artifact.model
    values = {
        name: model.model_dump(mode="json", include={name})[name]
        for name in translated_fields(type(model))
        if name != "lang" and getattr(model, name) is not None
    }
    if language in ("fr", "en"):
        values["lang"] = language
    front = yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=120)
    text = (
        f"---\n# The {language} translation of {relative}: translate the title, the text fields and the body;\n"
        "# the other fields come from the original. Then run 'pptoolkit translate --stamp' on this file.\n"
        f"{front}---\n\n{artifact.document.body.lstrip()}"
    )
    path = playbook.root / translation_path(relative, language)
    try:
        return write_atomically(path, text if text.endswith("\n") else text + "\n")
    except FileExistsError:
        raise FileExistsError(_("'{path}' already exists").format(path=translation_path(relative, language))) from None


_STAMP_LINES = re.compile(rf"^{STAMP_KEY}:[^\n]*\n(?:[ \t][^\n]*\n)*", re.MULTILINE)


def stamp_translation(root: Path, translation: Path) -> tuple[str, str]:
    """Record in ``translation`` that it translates its original as it is now; return (its path, the hash).

    Only the ``translation_of:`` line changes; the rest of the file is kept byte for byte.
    """
    playbook = load_playbook(root)
    relative = _relative(playbook, translation)
    found = next((t for t in playbook.translations if t.path == relative), None)
    if found is None:
        problems = [d.message for d in playbook.diagnostics if d.path == relative]
        if problems:
            raise ScaffoldError(_("'{path}' is not a translation: {reason}").format(path=relative, reason=problems[0]))
        raise ScaffoldError(
            _("'{path}' is not a translation of a valid artifact of the playbook").format(path=relative)
        )
    original = playbook.artifact_at(found.original)
    assert original is not None
    stamp = fingerprint(original)
    text = found.artifact.document.text
    end = text.index("\n---", 3) + 1  # the front matter parsed: its closing line exists
    front = text[:end]
    line = f"{STAMP_KEY}: {{hash: {stamp}}}\n"
    front = _STAMP_LINES.sub(line, front, count=1) if _STAMP_LINES.search(front) else front + line
    write_atomically(playbook.root / relative, front + text[end:], overwrite=True)
    return relative, stamp
