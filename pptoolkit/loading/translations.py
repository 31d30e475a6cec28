"""Artifacts in several languages: ``vision.md`` (the original, in the default language) and ``vision.en.md``.

Only a playbook that declares several ``languages`` has translations; in any other, every file is
an artifact of its own, as before. A translation is one artifact with its original: it shares every
field that holds no prose (``id``, ``kind``, ``owner``, ``status``, dates, ``implements``,
``evidence``, numbers and choices of its kind), which it may leave out (they come from the original)
or repeat (they must agree, PP902); its ``title``, ``summary``, body and the fields of its kind that
hold text are its own. ``translation_of: {hash: ...}`` records which version of the original it
translates: the :func:`fingerprint` of the original's translated parts, so that the check needs no
history (a shallow clone will do).
"""

from __future__ import annotations

import hashlib
import json
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from pptoolkit.checking.rules.front_matter import INVALID_VALUE, MISSING_FIELD
from pptoolkit.checking.rules.translations import TRANSLATION_DISAGREES, TRANSLATION_ORPHAN, UNKNOWN_LANGUAGE
from pptoolkit.i18n import _
from pptoolkit.model.artifacts import Artifact
from pptoolkit.model.diagnostics import Diagnostic, Location
from pptoolkit.model.settings import Limits, Settings
from pptoolkit.reading.documents import FileProblem, MarkdownDocument, parse_markdown

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import LoadedArtifact, Playbook

STAMP_KEY = "translation_of"
"""The front matter key of a translation that records the version of the original it translates."""
TRANSLATED_COMMON_FIELDS = frozenset({"title", "summary", "lang"})
"""The fields every artifact has that a translation writes in its own language."""
_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3})\.md$")


@dataclass(frozen=True)
class Translation:
    """A translation of an artifact: the artifact as the translation tells it, its language and original."""

    artifact: LoadedArtifact
    """The original's shared fields with the translation's own: its model; its document is the translation's file."""
    original: str
    """The original's path."""
    language: str
    stamp: str | None
    """The fingerprint of the original it says it translates (``translation_of: {hash: ...}``), or None."""
    stamp_at: Location | None = None

    @property
    def path(self) -> str:
        """The translation file's path."""
        return self.artifact.path


def is_multilingual(settings: Settings) -> bool:
    """True when the playbook declares more than one language: only then do file names carry languages."""
    return len(settings.languages) > 1


def split_language(relative: str, settings: Settings) -> tuple[str, str | None]:
    """``policies/vision.en.md`` → (``policies/vision``, ``en``); a name with no language suffix → (stem, None).

    The language is any suffix of two or three lower-case letters, declared or not (the caller says which).
    """
    match = _SUFFIX.match(relative) if is_multilingual(settings) else None
    if match is None:
        return relative.removesuffix(".md"), None
    return match["stem"], match["lang"]


def translation_path(original: str, language: str) -> str:
    """Where the translation of the artifact file ``original`` into ``language`` is: ``vision.en.md``."""
    match = _SUFFIX.match(original)
    stem = match["stem"] if match else original.removesuffix(".md")
    return f"{stem}.{language}.md"


def language_of(relative: str, settings: Settings) -> str:
    """The language a file of the playbook is written in, by its name: its suffix, else the default language."""
    language = split_language(relative, settings)[1]
    return language if language in settings.languages else settings.default_language


def is_translation(relative: str, settings: Settings) -> bool:
    """True for an artifact file whose name says it is a translation (or in a language not declared)."""
    language = split_language(relative, settings)[1]
    return language is not None and language != settings.default_language


def unknown_language(relative: str, settings: Settings) -> Diagnostic | None:
    """PP901 for a file whose name ends with a language the playbook does not declare, else None."""
    language = split_language(relative, settings)[1]
    if language is None or language in settings.languages:
        return None
    return UNKNOWN_LANGUAGE.at(
        Location(relative),
        _(
            "'{language}' is not a language of this playbook (languages: {languages}): rename the file, "
            "or add '{language}' to the plugin entry's 'languages'; it is not checked until then"
        ).format(language=language, languages=", ".join(settings.languages)),
    )


def holds_prose(annotation: Any) -> bool:
    """True when values of this type hold text a translator translates (not ids, choices, numbers or dates)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return holds_prose(get_args(annotation)[0])
    if origin is Literal:
        return False
    if origin in (list, tuple, Union, types.UnionType):
        return any(holds_prose(arg) for arg in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(holds_prose(field.annotation) for field in annotation.model_fields.values())
    return annotation is str


def translated_fields(model: type[Artifact]) -> tuple[str, ...]:
    """The fields of a kind that a translation writes in its own language; every other one is shared."""
    return tuple(
        name
        for name, field in model.model_fields.items()
        if name in TRANSLATED_COMMON_FIELDS or (name not in Artifact.model_fields and holds_prose(field.annotation))
    )


def shared_part(value: Any, annotation: Any) -> Any:
    """What a value holds that is not prose (numbers, dates, choices), for a field translated as a whole.

    A translation may word the rates of a compensation policy in its language, never change their amounts.
    """
    origin = get_origin(annotation)
    if origin is Annotated:
        return shared_part(value, get_args(annotation)[0])
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return tuple(shared_part(getattr(value, name), field.annotation) for name, field in fields.items())
    if isinstance(value, (list, tuple)):
        inner = next((arg for arg in get_args(annotation) if arg is not type(None)), Any)
        return tuple(shared_part(item, inner) for item in value)
    return None if isinstance(value, str) and holds_prose(annotation) else value


def fingerprint(artifact: LoadedArtifact) -> str:
    """A hash of what a translator translates in an artifact: its prose fields and its body.

    Shared fields are left out: a new review date does not make a translation stale.
    """
    model = artifact.model
    prose = {name: model.model_dump(mode="json", include={name})[name] for name in translated_fields(type(model))}
    prose.pop("lang", None)
    text = json.dumps({"fields": prose, "body": artifact.document.body.strip()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_translation(
    text: str, relative: str, limits: Limits, original: LoadedArtifact, language: str
) -> tuple[Translation | None, list[Diagnostic]]:
    """A translation file read against its original: the translation, or None, and what is wrong with it."""
    from pptoolkit.loading.playbook import LoadedArtifact, validation_diagnostics

    try:
        document = parse_markdown(text, relative, limits)
    except FileProblem as problem:
        return None, [problem.diagnostic]
    own = dict(document.front_matter.value)
    stamp, stamp_at, problems = _stamp(own.pop(STAMP_KEY, None), document, relative)
    model_type = type(original.model)
    if "title" not in own:
        start = document.front_matter.start
        problems.append(
            MISSING_FIELD.at(
                Location(relative, start.line, start.column),
                _("a translation needs its own 'title' (the other fields may come from the original)"),
            )
        )
    if "lang" not in own and language in ("fr", "en"):
        own["lang"] = language
    merged = {**original.model.model_dump(exclude_unset=True), **own}
    try:
        model = model_type.model_validate(merged)
    except ValidationError as error:
        return None, [*problems, *validation_diagnostics(error, document.front_matter, relative)]
    translated = translated_fields(model_type)
    for key in own:
        if key not in model_type.model_fields or key in TRANSLATED_COMMON_FIELDS:
            continue
        mine, theirs = getattr(model, key), getattr(original.model, key)
        if key in translated:
            annotation = model_type.model_fields[key].annotation
            mine, theirs = shared_part(mine, annotation), shared_part(theirs, annotation)
            if mine == theirs:
                continue
            message = _(
                "'{key}' differs from the original '{original}' in what is not text (a number, a date, a choice)"
            )
        elif mine == theirs:
            continue
        else:
            message = _(
                "'{key}' differs from the original '{original}', and a translation shares it: leave it out here "
                "(it comes from the original) or make it agree"
            )
        mark = document.front_matter.mark((key,))
        problems.append(
            TRANSLATION_DISAGREES.at(
                Location(relative, mark.line, mark.column), message.format(key=key, original=original.path)
            )
        )
    artifact = LoadedArtifact(model, document.without_front_matter_values())
    return Translation(artifact, original.path, language, stamp, stamp_at), problems


def _stamp(
    value: Any, document: MarkdownDocument, relative: str
) -> tuple[str | None, Location | None, list[Diagnostic]]:
    """The hash of a ``translation_of: {hash: ...}`` stamp, where it is, and a diagnostic when it is malformed."""
    if value is None:
        return None, None, []
    mark = document.front_matter.mark((STAMP_KEY,))
    where = Location(relative, mark.line, mark.column)
    if isinstance(value, dict) and set(value) == {"hash"} and isinstance(value["hash"], str):
        return value["hash"], where, []
    message = _("'{key}' must be 'hash: ...' as 'pptoolkit translate --stamp' writes it").format(key=STAMP_KEY)
    return None, where, [INVALID_VALUE.at(where, message)]


def attach_translations(playbook: Playbook, files: Sequence[tuple[str, str]]) -> None:
    """Read each translation file (path, text) against its original and add it to ``playbook.translations``."""
    settings = playbook.settings
    originals = {split_language(a.path, settings)[0]: a for a in playbook.artifacts}
    for relative, text in files:
        stem, language = split_language(relative, settings)
        assert language is not None
        original = originals.get(stem)
        if original is None:
            playbook.diagnostics.append(_orphan(playbook, relative, stem))
            continue
        translation, problems = load_translation(text, relative, settings.limits, original, language)
        playbook.diagnostics.extend(problems)
        if translation is not None:
            playbook.translations.append(translation)


def _orphan(playbook: Playbook, relative: str, stem: str) -> Diagnostic:
    candidates = [f"{stem}.md", f"{stem}.{playbook.settings.default_language}.md"]
    for candidate in candidates:
        playbook.cache.trace.status(playbook.root / candidate)
    if any((playbook.root / candidate).is_file() for candidate in candidates):
        message = _(
            "'{path}' is a translation, but its original '{original}' does not load (see its errors): "
            "it is not checked until it does"
        )
    else:
        message = _(
            "'{path}' is a translation, but there is no original '{original}' beside it: write the original, "
            "or rename this file"
        )
    return TRANSLATION_ORPHAN.at(Location(relative), message.format(path=relative, original=f"{stem}.md"))


def translated(playbook: Playbook, language: str) -> dict[str, LoadedArtifact]:
    """The artifacts as readers of ``language`` see them: original path → its translation (or the original)."""
    found = {t.original: t.artifact for t in playbook.translations if t.language == language}
    return {a.path: found.get(a.path, a) for a in playbook.artifacts}
