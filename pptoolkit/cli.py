"""The command line: thin click commands over the library; each returns an exit code.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage or configuration error, or an
error of the system (a file that cannot be read or written, the output cannot be written):
never a traceback for those.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

import click

from pptoolkit.checking.baseline import GAP_RULES, Ratchet, baseline_text, gaps_of
from pptoolkit.checking.checker import Result, check, cycle_collection_paused
from pptoolkit.checking.memo import CheckOptions, Memo, memo_for
from pptoolkit.checking.rules import find, rules_markdown
from pptoolkit.i18n import LANGUAGES, _, ngettext, use_language
from pptoolkit.loading.root import find_root
from pptoolkit.model.settings import ConfigError, load_build_date
from pptoolkit.reporting.printable import one_line
from pptoolkit.reporting.reporters import DIFF_REPORTERS, MATRIX_REPORTERS, REPORTERS, report_chunks, step_summary, text

# Commands other than check and matrix import what they need when they run, so that
# `pptoolkit check` never pays for MkDocs, the theme or git (see the README's "Performance").

EXIT_USAGE = 2


def _playbook_root(_context: click.Context, _parameter: click.Parameter, value: Path) -> Path:
    """ROOT, or the playbook above it when ROOT is a folder inside one (as git finds its repository).

    Climbing is said on stderr, so that a user never works on another playbook than they think.
    """
    root = find_root(value)
    if root != value:
        click.echo(
            f"pptoolkit: using the playbook at '{root}' ('{value}' is a folder inside it)",
            err=True,
        )
    return root


root_argument = click.argument(
    "root",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    callback=_playbook_root,
)
today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as of this date (YYYY-MM-DD) instead of the real date.",
)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="The language of what it writes for people (default: the playbook's default language, else English).",
)


def _today(value: datetime | None) -> date:
    return value.date() if value else date.today()


cache_option = click.option(
    "--cache/--no-cache",
    "use_cache",
    default=True,
    show_default=True,
    help="Reuse the work done on files whose content has not changed (kept in ~/.cache/pptoolkit).",
)


def run_check(
    root: Path, today: date, use_cache: bool = True, use_baseline: bool = True, memo: Memo | None = None
) -> Result:
    """Check the playbook or exit with code 2 and a one-line reason (``memo``: recording what the check reads)."""
    try:
        if memo is not None:
            return check(root, today, memo.settings, use_cache=use_cache, use_baseline=use_baseline, trace=memo.trace)
        return check(root, today, use_cache=use_cache, use_baseline=use_baseline)
    except ConfigError as error:
        click.echo(f"pptoolkit: error: {error}", err=True)
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pptoolkit")
def cli() -> None:
    """Governance-as-code for patient partnership in quality improvement."""


@cli.command("check")
@root_argument
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@today_option
@cache_option
@lang_option
def check_command(root: Path, output_format: str, today: datetime | None, use_cache: bool, lang: str | None) -> None:
    """Check that every practice of the matrix has an owner and evidence."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if output_format == "github" else None
    as_of = _today(today)  # once: the memo's key and the check are of one day, even at midnight
    with _collector_paused_then_frozen():
        # The last check's output, if nothing it read has changed (see the README's "Performance"); not when
        # the check also writes the step summary, which each run must append.
        memo = memo_for(root, CheckOptions(output_format, as_of, lang)) if use_cache and not summary_file else None
        if memo is not None and (code := memo.replay(sys.stdout)) is not None:
            sys.exit(code)
        with use_language(lang):
            result = run_check(root, as_of, use_cache, memo=memo)
        if memo is not None:
            memo.seal()  # what the check read is written, and let go of, before the report
        with use_language(lang or result.playbook.settings.default_language):
            try:
                for chunk in report_chunks(output_format, result):
                    click.echo(chunk, nl=False)
                    if memo is not None:
                        memo.output(chunk)
            except BaseException:  # the output cut short (a closed pipe), or stopped: no memo, but the cache is kept
                if memo is not None:
                    memo.discard()
                raise
    with use_language(lang or result.playbook.settings.default_language):
        tightened = bool(result.ratchet and result.ratchet.improvements)
        if result.ratchet:
            _tighten(root, result.ratchet)  # when it rewrites the baseline, no memo: the next check is a full one
        if memo is not None:
            memo.discard() if tightened else memo.keep(result.exit_code)
        if summary_file:
            _append_summary(summary_file, step_summary(result))
    sys.exit(result.exit_code)


@contextlib.contextmanager
def _collector_paused_then_frozen() -> Iterator[None]:
    """Pause the cycle collector while a command checks and reports, then freeze what the check made.

    A check and its report make a million objects and no cycles worth collecting. The command ends soon
    after (``main`` freezes everything before exiting): resumed at once, the collector would walk them all
    at its next collection, since they were all made while it was paused (0.1 s at 5,000 artifacts).
    Frozen, they are still freed when no longer used; only a cycle among them would stay.
    """
    with cycle_collection_paused():
        try:
            yield
        finally:
            gc.freeze()


def _tighten(root: Path, ratchet: Ratchet) -> None:
    """Say what got better than the baseline, and write the smaller baseline for the user to commit."""
    from pptoolkit.writing import write_atomically

    if not ratchet.improvements:
        return
    relative = ratchet.baseline.path
    for improvement in ratchet.improvements:
        click.echo(
            "pptoolkit: " + _("better than the baseline: {change}").format(change=improvement.sentence()), err=True
        )
    try:
        write_atomically(root / relative, baseline_text(ratchet.tightened()), overwrite=True)
    except OSError as error:
        click.echo(f"pptoolkit: warning: cannot update '{relative}': {error.strerror or error}", err=True)
        return
    click.echo(
        "pptoolkit: "
        + _("wrote the tightened {path}: commit it, so that coverage cannot go back.").format(path=relative),
        err=True,
    )


@cli.command("baseline")
@root_argument
@today_option
@lang_option
def baseline_command(root: Path, today: datetime | None, lang: str | None) -> None:
    """Accept today's coverage gaps: write them to the baseline, so that a check fails only on what is new or worse."""
    from pptoolkit.writing import write_atomically

    with use_language(lang):
        result = run_check(root, _today(today), use_baseline=False)  # the way out of a baseline that cannot be read
    relative = result.playbook.settings.baseline
    gaps = gaps_of(result.coverage)
    try:
        write_atomically(root / relative, baseline_text(gaps), overwrite=True)
    except OSError as error:
        _fail(f"'{relative}': {error.strerror or error}", 1)
    with use_language(lang or result.playbook.settings.default_language):
        accepted = ngettext("{count} accepted gap", "{count} accepted gaps", len(gaps)).format(count=len(gaps))
        click.echo(
            _(
                "Wrote {path}: {gaps}{which}. Review it and commit it; "
                "'pptoolkit check' now fails only on what is new or worse."
            ).format(path=relative, gaps=accepted, which=f" ({', '.join(gaps)})" if gaps else ""),
            err=True,
        )
        remaining = sum(
            1 for d in result.diagnostics if d.is_error and not (d.code in GAP_RULES and d.practice in gaps)
        )
        if remaining > 0:
            click.echo(
                "pptoolkit: "
                + ngettext(
                    "{count} other error still fails the check: a baseline accepts only coverage gaps "
                    "('pptoolkit check' lists them).",
                    "{count} other errors still fail the check: a baseline accepts only coverage gaps "
                    "('pptoolkit check' lists them).",
                    remaining,
                ).format(count=remaining),
                err=True,
            )


@cli.command("matrix")
@root_argument
@click.option(
    "--format", "output_format", type=click.Choice(sorted(MATRIX_REPORTERS)), default="text", show_default=True
)
@today_option
@cache_option
@lang_option
def matrix_command(root: Path, output_format: str, today: datetime | None, use_cache: bool, lang: str | None) -> None:
    """Show the matrix of practices with their coverage, by type and level."""
    with _collector_paused_then_frozen():
        with use_language(lang):
            result = run_check(root, _today(today), use_cache)
        with use_language(lang or result.playbook.settings.default_language):
            click.echo(MATRIX_REPORTERS[output_format](result), nl=False)
    sys.exit(result.exit_code)


@cli.command("rules")
@click.argument("code", required=False)
@lang_option
def rules_command(code: str | None, lang: str | None) -> None:
    """List every rule of the checker, or explain one (e.g. 'pptoolkit rules PP302')."""
    with use_language(lang):
        if code is None:
            click.echo(rules_markdown(), nl=False)
            return
        rule = find(code)
        if rule is None:
            click.echo(
                "pptoolkit: error: " + _("no rule '{code}'; 'pptoolkit rules' lists them").format(code=code), err=True
            )
            sys.exit(EXIT_USAGE)
        click.echo(f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.documentation}")


engine_option = click.option(
    "--engine",
    type=click.Choice(["mkdocs", "properdocs"]),
    default="mkdocs",
    show_default=True,
    help="The program that builds the site: MkDocs, or ProperDocs (its maintained drop-in fork, if installed).",
)


def _show_mkdocs_messages(name: str = "mkdocs") -> None:
    """Print the engine's messages (and the plugin's) as ``LEVEL - message`` lines on standard error."""
    import logging  # only the commands that build a site log

    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@cli.command("build")
@root_argument
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: ROOT/site): a new or empty folder, or an earlier site of this playbook.",
)
@click.option(
    "--strict/--no-strict", default=True, show_default=True, help="Fail on checker errors (and MkDocs warnings)."
)
@engine_option
def build_command(root: Path, site_dir: Path | None, strict: bool, engine: str) -> None:
    """Check the playbook, then build its site; the published site is replaced only on success."""
    from pptoolkit.model.settings import load_settings
    from pptoolkit.publishing.build import (
        BuildFailed,
        BuildOptions,
        EngineUnavailable,
        UnsafeSiteDir,
        build_site,
        check_site_dir,
        load_engine,
    )

    try:
        logger = load_engine(engine).logger
        as_of = load_build_date(root) or date.today()
        check_site_dir(root, site_dir or root / "site", load_settings(root))
    except (ConfigError, UnsafeSiteDir, EngineUnavailable) as error:
        click.echo(f"pptoolkit: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    with _collector_paused_then_frozen():  # the build keeps the check: its collections need not walk it again
        result = run_check(root, as_of)
    with use_language(result.playbook.settings.default_language):
        click.echo(text(result), err=True, nl=False)
        if strict and result.new_errors:
            click.echo(
                "pptoolkit: "
                + (
                    ngettext(
                        "not built: the checker found {count} new error (listed above); the published site is "
                        "unchanged. Fix it, or build anyway with --no-strict.",
                        "not built: the checker found {count} new errors (listed above); the published site is "
                        "unchanged. Fix them, or build anyway with --no-strict.",
                        result.new_errors,
                    )
                    if result.baselined
                    else ngettext(
                        "not built: the checker found {count} error (listed above); the published site is unchanged. "
                        "Fix it, or build anyway with --no-strict.",
                        "not built: the checker found {count} errors (listed above); the published site is unchanged. "
                        "Fix them, or build anyway with --no-strict.",
                        result.new_errors,
                    )
                ).format(count=result.new_errors),
                err=True,
            )
            sys.exit(1)
    _show_mkdocs_messages(logger)
    try:
        built = build_site(BuildOptions(root=root, site_dir=site_dir, strict=strict, checked=result, engine=engine))
    except BuildFailed as error:
        with use_language(result.playbook.settings.default_language):
            failed = _("build failed, the published site is unchanged: {reason}").format(reason=error)
        click.echo(f"pptoolkit: {failed}", err=True)
        sys.exit(1)
    except UnsafeSiteDir as error:  # the folder changed during the check
        click.echo(f"pptoolkit: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:  # a file of the playbook that cannot be read or copied, a full disk
        with use_language(result.playbook.settings.default_language):
            failed = _("build failed, the published site is unchanged: {reason}").format(reason=_system_error(error))
        click.echo(f"pptoolkit: {failed}", err=True)
        sys.exit(1)
    with use_language(result.playbook.settings.default_language):
        click.echo(_("Site built in {path}").format(path=built), err=True)


@cli.command("serve")
@root_argument
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve the preview on.")
@engine_option
def serve_command(root: Path, dev_addr: str, engine: str) -> None:
    """Preview the playbook's site, rebuilt whenever a policy, role, waiver or evidence file changes."""
    from pptoolkit.model.settings import load_settings
    from pptoolkit.publishing.build import EngineUnavailable, load_engine

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        click.echo(f"pptoolkit: error: '{config_file}': no mkdocs.yml in the playbook", err=True)
        sys.exit(EXIT_USAGE)
    try:
        load_build_date(root)
        load_settings(root)  # the same messages as `check` for a broken mkdocs.yml or plugin option
        logger = load_engine(engine).logger
    except (ConfigError, EngineUnavailable) as error:
        _fail(str(error), EXIT_USAGE)
    from mkdocs.commands.serve import serve  # the engine's, once load_engine has chosen it
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_messages(logger)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as error:  # a setting MkDocs refuses (theme, docs_dir ...): said above, in its words
        _fail(f"'mkdocs.yml': the preview was not started: {one_line(str(error))}", EXIT_USAGE)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"pptoolkit: error: {message}", err=True)
    sys.exit(code)


def _practice_ids(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@cli.command("new")
@click.argument("kind", required=False)
@root_argument
@click.option("--title", help="The artifact's title (default: the kind's name).")
@click.option("--owner", metavar="ROLE", help="The owner: the id of a role of the roles registry.")
@click.option("--implements", metavar="D1,D3", default="", help="The practices it implements, separated by commas.")
@click.option("--id", "artifact_id", metavar="SLUG", help="The artifact's id and file name (default: from the title).")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Write as of this date (YYYY-MM-DD): the review is due a year later.",
)
@click.option(
    "--translate",
    "original",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start the translation of this artifact file into --lang (instead of a new artifact of KIND).",
)
@click.option(
    "--lang",
    metavar="LANG",
    default=None,
    help="The template's language (default: the playbook's; another than the default writes NAME.LANG.md); "
    "with --translate, the language to translate into.",
)
def new_command(
    kind: str | None,
    root: Path,
    title: str | None,
    owner: str | None,
    implements: str,
    artifact_id: str | None,
    today: datetime | None,
    original: Path | None,
    lang: str | None,
) -> None:
    """Write a new draft artifact of KIND under policies/, from the kind's template, or a translation (--translate)."""
    from pptoolkit.authoring.new import NewArtifact, ScaffoldError, new_artifact
    from pptoolkit.model.settings import load_settings

    if original is not None:
        _start_translation(root if kind is None else Path(kind), original, lang)  # no KIND: ROOT came first
        return
    if kind is None:
        _fail(_("give the KIND of the artifact (or --translate FILE --lang LANG)"), EXIT_USAGE)
    if lang is not None and lang not in LANGUAGES:
        _fail(
            _("--lang: templates exist in {languages}, not {lang}").format(languages=", ".join(LANGUAGES), lang=lang),
            EXIT_USAGE,
        )
    request = NewArtifact(kind, title, owner, _practice_ids(implements), artifact_id, lang)
    try:
        path = new_artifact(root, request, _today(today))
    except (ScaffoldError, ConfigError) as error:
        _fail(str(error), EXIT_USAGE)
    except FileExistsError as error:
        with use_language(lang):
            _fail(_("{reason}; nothing was written").format(reason=error), 1)
    relative = path.relative_to(root.resolve()).as_posix()
    with use_language(lang or load_settings(root.resolve()).default_language):
        click.echo(_("Wrote {path} (a draft): replace each TODO, then run 'pptoolkit check'.").format(path=relative))


def _start_translation(root: Path, original: Path, language: str | None) -> None:
    from pptoolkit.authoring.new import ScaffoldError
    from pptoolkit.authoring.translate import start_translation

    if not language:
        _fail(_("--translate needs --lang, the language to translate into"), EXIT_USAGE)
    try:
        path = start_translation(root, original, language)
    except (ScaffoldError, ConfigError) as error:
        _fail(str(error), EXIT_USAGE)
    except FileExistsError as error:
        _fail(_("{reason}; nothing was written").format(reason=error), 1)
    relative = path.relative_to(root.resolve()).as_posix()
    click.echo(_("Wrote {path}: translate it, then run 'pptoolkit translate --stamp {path}'.").format(path=relative))


@cli.command("translate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", help="The playbook's folder.")
@click.option("--stamp", is_flag=True, help="Record that each translation is up to date (the only action for now).")
def translate_command(files: tuple[Path, ...], root: Path, stamp: bool) -> None:
    """Record in each translation FILE that it translates its original as it is now (translation_of:)."""
    from pptoolkit.authoring.new import ScaffoldError
    from pptoolkit.authoring.translate import stamp_translation

    if not stamp:
        _fail(_("say what to do: --stamp records that each FILE translates its original as it is now"), EXIT_USAGE)
    for file in files:
        try:
            relative, digest = stamp_translation(root, file)
        except (ScaffoldError, ConfigError) as error:
            _fail(str(error), EXIT_USAGE)
        click.echo(_("Stamped {path}: it translates the current original ({hash}).").format(path=relative, hash=digest))


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Add the missing starter files to a folder that is not empty.")
@click.option(
    "--baseline",
    "with_baseline",
    is_flag=True,
    help="Also accept every practice as a gap for now (checks/baseline.yml), so that checks fail only on regressions.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="The playbook's language: its site, its starter pages and comments, and the checker's messages.",
)
def init_command(directory: Path, force: bool, with_baseline: bool, lang: str) -> None:
    """Start a new playbook in DIRECTORY: the study's matrix, empty registries, site, CI and pre-commit."""
    from pptoolkit.authoring.init import NotEmpty, init_playbook

    try:
        with use_language(lang):
            created = init_playbook(directory, force, lang)
    except NotEmpty as error:
        _fail(str(error), 1)
    except OSError as error:
        _fail(f"'{directory}': {error.strerror or error}", 1)
    with use_language(lang):
        for relative in created.written:
            click.echo(_("Wrote {path}").format(path=relative))
        for relative in created.kept:
            click.echo(_("Kept {path} (it exists)").format(path=relative))
        if with_baseline:
            _start_baseline(directory)
        click.echo(
            _(
                "Next: add your roles to checks/roles.yml, then write your first artifact with 'pptoolkit new'. "
                "Every practice is missing until an approved artifact with an owner and evidence covers it."
            )
            if with_baseline
            else _(
                "Next: add your roles to checks/roles.yml, then write your first artifact with 'pptoolkit new'. "
                "Every practice is missing until an approved artifact with an owner and evidence covers it; "
                "to adopt step by step, 'pptoolkit baseline' accepts today's gaps."
            )
        )


def _start_baseline(directory: Path) -> None:
    """Write the new playbook's baseline: every gap it has today, accepted (an existing baseline is kept)."""
    from pptoolkit.writing import write_atomically

    result = run_check(directory, date.today())
    relative = result.playbook.settings.baseline
    try:
        write_atomically(directory / relative, baseline_text(gaps_of(result.coverage)))
    except FileExistsError:
        click.echo(_("Kept {path} (it exists)").format(path=relative))
    except OSError as error:
        _fail(f"'{relative}': {error.strerror or error}", 1)
    else:
        click.echo(
            _("Wrote {path} (every practice accepted as a gap for now: 'pptoolkit check' passes)").format(path=relative)
        )


@cli.command("schema")
@click.argument("kind", required=False)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema to this file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def schema_command(kind: str | None, output: Path | None, force: bool) -> None:
    """Print the JSON Schema of KIND's front matter, or of any artifact's when KIND is omitted."""
    from pptoolkit.authoring.schema import UnknownKind, schema_json

    try:
        text = schema_json(kind)
    except UnknownKind as error:
        _fail(str(error), EXIT_USAGE)
    _emit(text, output, force)


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text`` as is (bytes, so that CRLF line ends survive), or write it atomically to ``output``."""
    if output is None:
        click.echo(text.encode("utf-8"), nl=False)
        return
    _write(output, text, force)


def _write(output: Path, content: str | bytes, force: bool) -> None:
    """Write ``content`` atomically to ``output``; exit 1 with a one-line reason when it cannot be written."""
    from pptoolkit.writing import write_atomically

    try:
        write_atomically(output, content, overwrite=force)
    except FileExistsError:
        _fail(_("'{path}' exists; use --force to replace it").format(path=output), 1)
    except OSError as error:
        _fail(f"'{output}': {error.strerror or error}", 1)
    click.echo(_("Wrote {path}").format(path=output), err=True)


@cli.command("diff")
@click.argument("base")
@click.argument("head", required=False, default="HEAD")
@root_argument
@click.option(
    "--format", "output_format", type=click.Choice(sorted(DIFF_REPORTERS)), default="markdown", show_default=True
)
@today_option
@lang_option
def diff_command(
    base: str, head: str, root: Path, output_format: str, today: datetime | None, lang: str | None
) -> None:
    """Show what the change from git revision BASE to HEAD (default: HEAD) does to coverage.

    With --format github: annotations on the changed lines that cost a practice its coverage, and the
    Markdown report appended to $GITHUB_STEP_SUMMARY.
    """
    from pptoolkit.model.settings import load_settings
    from pptoolkit.reporting.diff import RevisionError, diff_revisions

    if lang is None:  # the language of the playbook in the working tree, which both revisions most likely share
        with contextlib.suppress(ConfigError):
            lang = load_settings(root.resolve()).default_language
    with use_language(lang):
        try:
            diff = diff_revisions(root, base, head, _today(today))
        except RevisionError as error:
            _fail(str(error), EXIT_USAGE)
        click.echo(DIFF_REPORTERS[output_format](diff), nl=False)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if output_format == "github" and summary_file:
            _append_summary(summary_file, DIFF_REPORTERS["markdown"](diff))
    sys.exit(diff.exit_code)


def _append_summary(summary_file: str, markdown: str) -> None:
    """Append ``markdown`` to GitHub's step summary; a warning, not a failure, when it cannot be written."""
    try:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(markdown)
    except OSError as error:
        click.echo(f"pptoolkit: warning: cannot write the step summary '{summary_file}': {error.strerror}", err=True)


@cli.command("calendar")
@root_argument
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the calendar to this file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@today_option
@lang_option
def calendar_command(root: Path, output: Path | None, force: bool, today: datetime | None, lang: str | None) -> None:
    """Write the reviews and waiver expiries as an iCalendar file (.ics) for managers' calendars."""
    from pptoolkit.reporting.calendar import review_calendar

    with use_language(lang):
        result = run_check(root, _today(today))
    with use_language(lang or result.playbook.settings.default_language):
        _emit(review_calendar(result), output, force)


@cli.command("pdf")
@root_argument
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("playbook.pdf"), show_default=True
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@today_option
@lang_option
def pdf_command(root: Path, output: Path, force: bool, today: datetime | None, lang: str | None) -> None:
    """Write the paper edition of the playbook (one PDF, for the board and accreditation visits)."""
    from pptoolkit.publishing.paper import EngineMissing, paper_html, printable, render_pdf

    with use_language(lang):
        result = run_check(root, _today(today))
    blocking = printable(result)
    if blocking:
        click.echo(text(Result(result.playbook, result.today, result.coverage, tuple(blocking))), nl=False, err=True)
        _fail(
            f"{len(blocking)} problems stop the paper edition (only practices not yet covered are printed as gaps); "
            "fix them and run 'pptoolkit pdf' again",
            1,
        )
    try:
        with use_language(lang or result.playbook.settings.default_language):
            document = paper_html(result)
        pdf = render_pdf(document)
    except EngineMissing as error:
        _fail(f"the PDF engine (WeasyPrint) cannot be used: {error}; install it with: pip install 'pptoolkit[pdf]'", 2)
    _write(output, pdf, force)


def main() -> None:
    """Entry point of the ``pptoolkit`` command: a one-line message, never a traceback, when the system fails it."""
    code: int | str | None
    try:
        cli(prog_name="pptoolkit")
        code = 0
    except SystemExit as stop:  # every command ends here
        code = stop.code
    except OSError as error:  # a file that cannot be read or written, a full disk, standard output closed
        code = _failed(_system_error(error), output_lost=error.filename is None)
    except (ValueError, OverflowError, RecursionError) as error:
        code = _failed(f"unexpected error ({type(error).__name__}: {one_line(str(error))}); please report it")
    try:
        sys.stdout.flush()
    except OSError as error:
        code = _failed(_system_error(error), output_lost=True)
    # The process ends: the cycle collector need not walk what a check leaves (0.1 to 0.5 s at exit).
    gc.freeze()
    sys.exit(code)


def _system_error(error: OSError) -> str:
    """What went wrong, in one line: the file and the system's reason (none: the output cannot be written)."""
    reason = one_line(error.strerror or str(error))
    if error.filename is not None:
        return f"'{one_line(os.fsdecode(error.filename))}': {reason}"
    return f"cannot write the output: {reason}"


def _failed(message: str, output_lost: bool = False) -> int:
    """Say ``message`` on standard error; when the output is lost, leave nothing for Python to fail on at exit."""
    if output_lost:
        with contextlib.suppress(OSError, ValueError):  # ValueError: no real standard output (a test runner's)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # what is left of the output goes nowhere
            os.close(devnull)
    with contextlib.suppress(OSError):
        click.echo(f"pptoolkit: error: {message}", err=True)
    return EXIT_USAGE
