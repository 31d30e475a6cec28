"""The checker's settings, read from the `pptoolkit` plugin entry of the playbook's `mkdocs.yml`.

`mkdocs.yml` often holds tags such as `!ENV` or `!!python/name:`; they are read
as plain placeholders and never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from pptoolkit.i18n import _


class ConfigError(Exception):
    """The playbook's configuration cannot be used (exit code 2).

    ``keys`` is where in the plugin entry the problem is (``("rules", "PP999")``), when it is known,
    so that the error can be located in `mkdocs.yml`; ``on_key`` says it is the key, not its value.
    """

    def __init__(self, message: str, keys: tuple[str, ...] = (), on_key: bool = False) -> None:
        super().__init__(message)
        self.keys = keys
        self.on_key = on_key


@dataclass(frozen=True)
class Limits:
    """Bounds on the input, each documented in the README's "Limits and safety"."""

    max_file_bytes: int = 1_048_576
    max_line_length: int = 10_000
    max_yaml_depth: int = 32
    max_yaml_nodes: int = 20_000
    max_evidence_items: int = 200
    max_markup_openers: int = 1_000
    max_unclosed_tags: int = 3


@dataclass(frozen=True)
class Privacy:
    """What the privacy rules allow: organizational contacts and the small-cell threshold."""

    allowed_contacts: tuple[str, ...] = ()
    small_cell_threshold: int = 5


GIT_HOSTS = {"github": "https://github.com", "gitlab": "https://gitlab.com"}
"""The Git hosts the editor saves to, each with its public address (``host`` names a self-hosted one)."""
NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
"""What a part of a repository's path or of a branch's name may hold here."""
HOST = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?\Z")


@dataclass(frozen=True)
class Editor:
    """Where the editors' forms (``admin/``) save: a Git host, a repository and its main branch.

    Each save is a branch and a pull (merge) request to ``branch``; ``local_port`` is the port of
    the CMS's local proxy (``npx decap-server``) when the site is previewed on 127.0.0.1.
    """

    backend: str
    repo: str
    branch: str = "main"
    host: str = ""
    app_id: str = ""
    auth_url: str = ""
    local_port: int = 8081


@dataclass(frozen=True)
class Settings:
    """Where the playbook's parts live, relative to its root, and its limits."""

    policies_dir: str = "policies"
    matrix: str = "checks/matrix.yml"
    roles: str = "checks/roles.yml"
    waivers: str = "checks/waivers.yml"
    baseline: str = "checks/baseline.yml"
    """The accepted coverage gaps (optional): with it, those gaps fail neither a check nor a strict build."""
    site_name: str = "Patient partnership playbook"
    docs_dir: str = "docs"
    limits: Limits = field(default_factory=Limits)
    privacy: Privacy = field(default_factory=Privacy)
    rules: tuple[tuple[str, str], ...] = ()
    """The rule settings: (code, "error" | "warning" | "off"), by code."""
    languages: tuple[str, ...] = ("en",)
    """The playbook's languages, the default (the language of the originals) first."""
    editor: Editor | None = None
    """Where the editors' forms save their pull requests; None: the site has no editor."""
    optional_translations: tuple[str, ...] = ()
    """Languages of the playbook whose missing translations are not reported (PP904)."""
    site_names: tuple[tuple[str, str], ...] = ()
    """The site's name in the playbook's other languages: (language, name); ``site_name`` is the default's."""
    site_descriptions: tuple[tuple[str, str], ...] = ()
    """The site's description in the other languages: (language, text); ``site_description`` is the default's."""

    applicability: str = "checks/applicability.yml"
    """The practices that do not apply, each with its reason, approver and review date (optional file)."""
    engagement_scale: tuple[str, ...] = ("information", "consultation", "collaboration", "partnership")
    """The levels of engagement an artifact's `engagement:` may name, lowest first."""
    independent_approval: tuple[str, ...] = ()
    """The kinds that a role other than their owner must approve (`approved_by`)."""

    @property
    def default_language(self) -> str:
        """The language of the originals: the first of ``languages``."""
        return self.languages[0]

    def site_name_in(self, language: str) -> str:
        """The site's name for readers of ``language``: its ``site_names`` entry, else ``site_name``."""
        return dict(self.site_names).get(language, self.site_name)

    def site_description_in(self, language: str) -> str | None:
        """The site's description for readers of ``language``: its ``site_descriptions`` entry (None: the default's)."""
        return dict(self.site_descriptions).get(language)

    @property
    def rule_settings(self) -> dict[str, str]:
        """The rule settings as a mapping of rule code to "error", "warning" or "off"."""
        return dict(self.rules)


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads any unknown tag as ``None`` instead of failing or executing it."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """The node's value; a value its tag cannot read (``2025-02-30``, ``!!float abc``) is a located error."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid value ({error})", node.start_mark
            ) from None


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def plugin_entry(mkdocs_config: dict[str, Any]) -> dict[str, Any]:
    """Return the options of the `pptoolkit` plugin entry in a parsed `mkdocs.yml` (empty if absent)."""
    plugins = mkdocs_config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if isinstance(entry, dict) and "pptoolkit" in entry:
            options = entry["pptoolkit"]
            return options if isinstance(options, dict) else {}
    return {}


def _section(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: " + _("expected 'name: value' settings, got {value}").format(value=repr(value)))
    return value


def _build(cls: type[Any], options: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in _section(options, where).items():
        if key not in known:
            raise ConfigError(
                f"{where}: "
                + _("unknown option '{key}' (known: {options})").format(key=key, options=", ".join(sorted(known)))
            )
        default = known[key].default
        if key == "limits":
            values[key] = _build(Limits, _section(value, f"{where}.limits"), f"{where}.limits")
        elif key == "privacy":
            privacy = dict(_section(value, f"{where}.privacy"))
            contacts = privacy.get("allowed_contacts", [])
            if not isinstance(contacts, list) or not all(isinstance(c, (str, int)) for c in contacts):
                raise ConfigError(
                    f"{where}.privacy.allowed_contacts: "
                    + _("expected a list of contacts (one '- contact' per line), got {value}").format(
                        value=repr(contacts)
                    )
                )
            privacy["allowed_contacts"] = tuple(str(c) for c in contacts)
            values[key] = _build(Privacy, privacy, f"{where}.privacy")
        elif key == "allowed_contacts":
            values[key] = value
        elif key == "rules":
            values[key] = _rule_settings(value, f"{where}.rules")
        elif key == "languages":
            values[key] = _languages(value, f"{where}.languages")
        elif key == "optional_translations":
            values[key] = _languages(value, f"{where}.optional_translations", empty=True)
        elif key == "site_names":
            values[key] = _by_language(
                value, f"{where}.site_names", key, _("expected the site's name, one line of text, got {value}")
            )
        elif key == "site_descriptions":
            values[key] = _by_language(
                value,
                f"{where}.site_descriptions",
                key,
                _("expected the site's description, one line of text, got {value}"),
            )
        elif key in TEXT_LISTS:
            values[key] = _text_list(value, f"{where}.{key}", allow_empty=key != "engagement_scale")
            if key == "independent_approval":
                _known_kinds(values[key], f"{where}.{key}")
        elif key == "editor":
            values[key] = _editor(value, f"{where}.editor")
        elif isinstance(default, int) and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise ConfigError(
                f"{where}.{key}: " + _("expected a positive whole number, got {value}").format(value=repr(value))
            )
        elif isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"{where}.{key}: " + _("expected text, got {value}").format(value=repr(value)))
        elif key in PLAYBOOK_PATHS:
            values[key] = _playbook_path(value, f"{where}.{key}")
        else:
            values[key] = value
    return cls(**values)


PLAYBOOK_PATHS = ("policies_dir", "matrix", "roles", "waivers", "applicability", "baseline")
"""The options that name a file or folder of the playbook: relative paths that stay inside it."""


def _playbook_path(value: str, where: str) -> str:
    """``value`` when it is a relative path inside the playbook; ConfigError for an absolute path or '..'."""
    if not value.strip() or "\0" in value:
        raise ConfigError(
            f"{where}: " + _("expected a path relative to mkdocs.yml, got {value}").format(value=repr(value))
        )
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive:
        raise ConfigError(
            f"{where}: "
            + _("{value} is an absolute path; give a path relative to mkdocs.yml").format(value=repr(value))
        )
    if ".." in PureWindowsPath(value).parts:
        raise ConfigError(
            f"{where}: "
            + _("{value} leaves the playbook through '..'; give a path inside it").format(value=repr(value))
        )
    return value


TEXT_LISTS = ("engagement_scale", "independent_approval")
"""The options that are a list of distinct names."""


def _text_list(value: Any, where: str, allow_empty: bool) -> tuple[str, ...]:
    """A list option of the plugin entry: distinct, non-empty names."""
    if not isinstance(value, list) or not (value or allow_empty):
        raise ConfigError(
            f"{where}: " + _("expected a list (one '- name' per line), got {value}").format(value=repr(value)),
            (where.split(".")[-1],),
        )
    names: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(
                f"{where}: " + _("{value} is not a name").format(value=repr(name)), (where.split(".")[-1],)
            )
        if name in names:
            raise ConfigError(
                f"{where}: " + _("{value} is listed twice").format(value=repr(name)), (where.split(".")[-1],)
            )
        names.append(name.strip())
    return tuple(names)


def _known_kinds(kinds: tuple[str, ...], where: str) -> None:
    """ConfigError when one of ``kinds`` is not a kind of artifact."""
    from pptoolkit.model.artifacts import KINDS

    for kind in kinds:
        if kind not in KINDS:
            raise ConfigError(
                f"{where}: "
                + _("{value} is not a kind of artifact (kinds: {kinds})").format(
                    value=repr(kind), kinds=", ".join(KINDS)
                ),
                (where.split(".")[-1],),
            )


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}\Z")
"""A language as an ISO 639 code in lower case (``fr``, ``en``, ``iu``): the suffix of its files."""


def _languages(value: Any, where: str, empty: bool = False) -> tuple[str, ...]:
    """``languages:`` of the plugin entry: distinct ISO 639 codes, the default first (maybe none when ``empty``)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not (value or empty):
        raise ConfigError(
            f"{where}: "
            + _("expected a list of languages, the default first (such as [fr, en]), got {value}").format(
                value=repr(value)
            )
        )
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            raise ConfigError(
                f"{where}: "
                + _("{value} is not a language code such as fr or en (two or three lower-case letters)").format(
                    value=repr(code)
                )
            )
        if code in codes:
            raise ConfigError(f"{where}: " + _("{value} is listed twice").format(value=repr(code)))
        codes.append(code)
    return tuple(codes)


def _by_language(value: Any, where: str, key: str, expected: str) -> tuple[tuple[str, str], ...]:
    """``site_names:`` or ``site_descriptions:`` of the plugin entry: a text by language code (``{en: ...}``), each
    one line of text; ``expected`` says what, with a ``{value}`` placeholder for what was found."""
    names: list[tuple[str, str]] = []
    if value is not None and not isinstance(value, dict):  # located at the option's line
        raise ConfigError(
            f"{where}: " + _("expected 'name: value' settings, got {value}").format(value=repr(value)), (key,)
        )
    for code, name in _section(value, where).items():
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            raise ConfigError(
                f"{where}: "
                + _("{value} is not a language code such as fr or en (two or three lower-case letters)").format(
                    value=repr(code)
                ),
                (key, str(code)),
                on_key=True,
            )
        if not isinstance(name, str) or not name.strip() or "\n" in name.strip():
            raise ConfigError(f"{where}.{code}: " + expected.format(value=repr(name)), (key, code))
        names.append((code, name.strip()))
    return tuple(names)


def _path_of_names(text: str, parts: int) -> bool:
    """True when ``text`` is at least ``parts`` names joined by ``/``, each of letters, digits, ``_``, ``.``, ``-``."""
    names = text.split("/")
    return len(names) >= parts and all(name and NAME_CHARACTERS.issuperset(name) for name in names)


def _editor(value: Any, where: str) -> Editor:
    """``editor:`` of the plugin entry: a known Git host, an ``owner/name`` repository, https addresses."""
    options = dict(_section(value, where))
    for key in ("backend", "repo"):
        if key not in options:
            raise ConfigError(f"{where}: '{key}' is required (such as backend: github, repo: owner/name)", ("editor",))
    editor: Editor = _build(Editor, options, where)
    if not isinstance(editor.backend, str) or editor.backend not in GIT_HOSTS:
        raise ConfigError(
            f"{where}.backend: expected one of {', '.join(GIT_HOSTS)}, got {editor.backend!r}", ("editor", "backend")
        )
    if not isinstance(editor.repo, str) or not _path_of_names(editor.repo, parts=2) or ".." in editor.repo:
        raise ConfigError(
            f"{where}.repo: expected the repository as owner/name, got {editor.repo!r}", ("editor", "repo")
        )
    if not _path_of_names(editor.branch, parts=1) or ".." in editor.branch:
        raise ConfigError(f"{where}.branch: {editor.branch!r} is not a branch name", ("editor", "branch"))
    for key in ("host", "auth_url"):
        address = getattr(editor, key)
        if address and not HOST.match(address.rstrip("/")):
            raise ConfigError(
                f"{where}.{key}: expected an https:// address with no path, such as https://gitlab.example.org, "
                f"got {address!r}",
                ("editor", key),
            )
    if editor.local_port > 65535:
        raise ConfigError(f"{where}.local_port: expected a port number up to 65535, got {editor.local_port}")
    host = (editor.host or GIT_HOSTS[editor.backend]).rstrip("/")
    return replace(editor, host=host, auth_url=editor.auth_url.rstrip("/"), app_id=str(editor.app_id))


def _rule_settings(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``rules:`` of the plugin entry, each rule by code or name set to error, warning or off; by code."""
    from pptoolkit.checking.rules import (  # the rules import the loader, which imports the settings
        OFF,
        RULE_SETTINGS,
        find,
    )

    settings: dict[str, str] = {}
    for key, wanted in _section(value, where).items():
        wanted = OFF if wanted is False else wanted  # YAML 1.1 reads a bare `off` as false
        rule = find(str(key))
        if rule is None:
            raise ConfigError(
                f"{where}: "
                + _("{value} is not the code or name of a rule ('pptoolkit rules' lists them)").format(
                    value=repr(str(key))
                ),
                ("rules", str(key)),
                on_key=True,
            )
        if wanted not in RULE_SETTINGS:
            raise ConfigError(
                f"{where}.{key}: "
                + _("expected one of {values}, got {value}").format(
                    values=", ".join(RULE_SETTINGS), value=repr(wanted)
                ),
                ("rules", str(key)),
            )
        if rule.code in settings:
            raise ConfigError(
                f"{where}.{key}: " + _("{code} is set twice (by code and by name)").format(code=rule.code),
                ("rules", str(key)),
            )
        settings[rule.code] = wanted
    return tuple(sorted(settings.items()))


PLUGIN_OPTIONS: dict[str, str] = {
    "policies_dir": "Folder whose Markdown files are the artifacts.",
    "matrix": "The matrix of practices.",
    "roles": "The roles registry.",
    "waivers": "The waivers file (optional).",
    "baseline": "The accepted coverage gaps (optional; written by 'pptoolkit baseline'): they fail no check or build.",
    "limits": 'Bounds on input sizes; see the README\'s "Limits and safety".',
    "privacy": "Allowed organizational contacts and the small-cell threshold.",
    "today": "Check as of this date (YYYY-MM-DD) instead of the real date, for reproducible builds.",
    "rules": "Each rule's severity, by code or name: error, warning or off.",
    "languages": "The playbook's languages as ISO 639 codes, the default (the originals' language) first.",
    "optional_translations": "Languages whose missing translations are not reported (PP904).",
    "site_names": "The site's name in the other languages, {en: ...}; the default language's is site_name.",
    "site_descriptions": "The site's description in the other languages, {en: ...}; the default's is site_description.",
    "applicability": "The practices that do not apply, with reason, approver and review date (optional).",
    "engagement_scale": "The engagement levels artifacts may name, lowest first (default: the Montreal continuum).",
    "independent_approval": "The kinds that must be approved (`approved_by`) by a role other than their owner.",
    "editor": "The editors' forms at admin/: {backend: github|gitlab, repo: owner/name, branch: main} (optional).",
}
"""The options of the `pptoolkit` plugin entry, with what each means: the one schema of the entry.

The command line reads `mkdocs.yml` through :func:`validate_entry`; the MkDocs plugin's config is
made from this mapping and validates through the same function, so both accept and refuse alike.
Each option's values are checked by the field of :class:`Settings` of its name (``today`` by
:func:`build_date`).
"""


def validate_entry(options: dict[str, Any], config_file: Path | None = None) -> tuple[Settings, date | None]:
    """The settings and the build date of a plugin entry; ConfigError, located when it can be, if it is wrong."""
    return settings_from_options(options, config_file=config_file), build_date(options.get("today"))


def settings_from_options(
    options: dict[str, Any],
    site_name: str | None = None,
    docs_dir: str | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build settings from the plugin entry's options; raise ConfigError on a bad option.

    With ``config_file`` (the `mkdocs.yml` the options come from), an error is located in it where it can be.
    """
    options = dict(_section(options, "plugins.pptoolkit"))
    for key in options:
        if key not in PLUGIN_OPTIONS:
            error = ConfigError(
                "plugins.pptoolkit: "
                + _("unknown option '{key}' (known: {options})").format(
                    key=key, options=", ".join(sorted(PLUGIN_OPTIONS))
                ),
                (str(key),),
                on_key=True,
            )
            raise _located(error, config_file) from None
    try:
        build_date(options.pop("today", None))  # the build's date: read by load_build_date, refused here too
    except ConfigError as error:
        raise _located(ConfigError(str(error), ("today",)), config_file) from None
    try:
        settings: Settings = _build(Settings, options, "plugins.pptoolkit")
        for language in settings.optional_translations:
            if language not in settings.languages[1:]:
                raise ConfigError(
                    "plugins.pptoolkit.optional_translations: "
                    + _(
                        "{language} is not a language of the playbook other than the default (languages: {languages})"
                    ).format(language=repr(language), languages=", ".join(settings.languages)),
                    ("optional_translations",),
                )
        for key, by_language, message in (
            (
                "site_names",
                settings.site_names,
                _(
                    "{language} is not a language of the playbook other than the default (languages: {languages});"
                    " the default language's name is mkdocs.yml's site_name"
                ),
            ),
            (
                "site_descriptions",
                settings.site_descriptions,
                _(
                    "{language} is not a language of the playbook other than the default (languages: {languages});"
                    " the default language's description is mkdocs.yml's site_description"
                ),
            ),
        ):
            for language, _value in by_language:
                if language not in settings.languages[1:]:
                    raise ConfigError(
                        f"plugins.pptoolkit.{key}.{language}: "
                        + message.format(language=repr(language), languages=", ".join(settings.languages)),
                        (key, language),
                        on_key=True,
                    )
    except ConfigError as error:
        raise _located(error, config_file) from None
    if site_name:
        settings = replace(settings, site_name=site_name)
    if docs_dir:
        settings = replace(settings, docs_dir=docs_dir)
    return settings


def _located(error: ConfigError, config_file: Path | None) -> ConfigError:
    """``error``, prefixed with its line and column in ``config_file`` when they can be found."""
    where = _position(config_file, error.keys, error.on_key) if config_file and error.keys else None
    if where is None:
        return error
    return ConfigError(f"'mkdocs.yml':{where[0]}:{where[1]}: {error}", error.keys, error.on_key)


def build_date(value: object) -> date | None:
    """The `today` option of the plugin entry (a date, quoted or not), or None; ConfigError when malformed."""
    if isinstance(value, datetime):
        raise ConfigError(
            "plugins.pptoolkit.today: "
            + _("expected a date without a time, got {value}").format(value=value.isoformat())
        )
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(
            "plugins.pptoolkit.today: " + _("expected a date such as 2026-03-14, got {value}").format(value=repr(value))
        ) from None


def _read_config(config_file: Path) -> Any:
    """The parsed `mkdocs.yml`; ConfigError, located when the YAML says where, when it cannot be read."""
    try:
        return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as error:
        raise ConfigError(
            "'mkdocs.yml': " + _("cannot be read: {reason}").format(reason=error.strerror or error)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("'mkdocs.yml': " + _("cannot be read: it is not UTF-8 text")) from None
    except RecursionError:  # deep nesting
        raise ConfigError("'mkdocs.yml': " + _("cannot be read: it nests too deeply")) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"'mkdocs.yml':{mark.line + 1}:{mark.column + 1}" if mark else "'mkdocs.yml'"
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise ConfigError(f"{where}: " + _("cannot be read: {reason}").format(reason=reason)) from None
    except yaml.YAMLError as error:
        raise ConfigError("'mkdocs.yml': " + _("cannot be read: {reason}").format(reason=error)) from None


def _position(config_file: Path, keys: tuple[str, ...], on_key: bool) -> tuple[int, int] | None:
    """The line and column in `mkdocs.yml` of an option of the plugin entry (its key, or its value), or None."""
    try:
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError):
        return None
    plugins = _value_of(node, "plugins")
    entry = None
    if isinstance(plugins, yaml.SequenceNode):
        entry = next((found for item in plugins.value if (found := _value_of(item, "pptoolkit")) is not None), None)
    elif isinstance(plugins, yaml.MappingNode):
        entry = _value_of(plugins, "pptoolkit")
    for index, key in enumerate(keys):
        if not isinstance(entry, yaml.MappingNode):
            return None
        pair = next(((k, v) for k, v in entry.value if isinstance(k, yaml.ScalarNode) and str(k.value) == key), None)
        if pair is None:
            return None
        entry = pair[0] if index == len(keys) - 1 and on_key else pair[1]
    if entry is None:
        return None
    return entry.start_mark.line + 1, entry.start_mark.column + 1


def _value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def load_build_date(root: Path) -> date | None:
    """The date the playbook's site is built as of (`today` in the plugin entry), or None for the real date."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        return None
    raw = _read_config(config_file)
    return build_date(plugin_entry(raw).get("today")) if isinstance(raw, dict) else None


def load_settings(root: Path) -> Settings:
    """Read the settings of the playbook at ``root``; defaults when it has no `mkdocs.yml`."""
    if not root.is_dir():
        raise ConfigError(f"'{root}': " + _("no such playbook directory"))
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        return Settings()
    raw = _read_config(config_file)
    if not isinstance(raw, dict):
        raise ConfigError("'mkdocs.yml': " + _("expected a mapping of settings"))
    site_name = raw.get("site_name")
    docs_dir = raw.get("docs_dir")
    return settings_from_options(
        plugin_entry(raw),
        site_name if isinstance(site_name, str) else None,
        docs_dir if isinstance(docs_dir, str) else None,
        config_file,
    )
