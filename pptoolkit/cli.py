"""The command line: thin click commands over the library; each returns an exit code.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage or configuration error.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from pptoolkit.catalog import ALL, BY_CODE, rules_markdown
from pptoolkit.checker import Result, check
from pptoolkit.publish import BuildFailed, BuildOptions, build_site
from pptoolkit.reporters import MATRIX_REPORTERS, REPORTERS, step_summary, text
from pptoolkit.settings import ConfigError

EXIT_USAGE = 2

root_argument = click.argument("root", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as of this date (YYYY-MM-DD) instead of the real date.",
)


def _today(value: datetime | None) -> date:
    return value.date() if value else date.today()


def run_check(root: Path, today: date) -> Result:
    """Check the playbook or exit with code 2 and a one-line reason."""
    try:
        return check(root, today)
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
def check_command(root: Path, output_format: str, today: datetime | None) -> None:
    """Check that every practice of the matrix has an owner and evidence."""
    result = run_check(root, _today(today))
    click.echo(REPORTERS[output_format](result), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(step_summary(result))
    sys.exit(result.exit_code)


@cli.command("matrix")
@root_argument
@click.option(
    "--format", "output_format", type=click.Choice(sorted(MATRIX_REPORTERS)), default="text", show_default=True
)
@today_option
def matrix_command(root: Path, output_format: str, today: datetime | None) -> None:
    """Show the matrix of practices with their coverage, by type and level."""
    result = run_check(root, _today(today))
    click.echo(MATRIX_REPORTERS[output_format](result), nl=False)
    sys.exit(result.exit_code)


@cli.command("rules")
@click.argument("code", required=False)
def rules_command(code: str | None) -> None:
    """List every rule of the checker, or explain one (e.g. 'pptoolkit rules PP302')."""
    if code is None:
        click.echo(rules_markdown(), nl=False)
        return
    rule = BY_CODE.get(code.upper()) or next((r for r in ALL if r.name == code), None)
    if rule is None:
        click.echo(f"pptoolkit: error: no rule '{code}'; 'pptoolkit rules' lists them", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.doc.strip()}")


def _show_mkdocs_messages() -> None:
    """Print MkDocs's messages (and the plugin's) as ``LEVEL - message`` lines on standard error."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


@cli.command("build")
@root_argument
@click.option(
    "--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site (default: ROOT/site)."
)
@click.option(
    "--strict/--no-strict", default=True, show_default=True, help="Fail on checker errors (and MkDocs warnings)."
)
def build_command(root: Path, site_dir: Path | None, strict: bool) -> None:
    """Check the playbook, then build its site; the published site is replaced only on success."""
    result = run_check(root, date.today())
    click.echo(text(result), err=True, nl=False)
    _show_mkdocs_messages()
    try:
        built = build_site(BuildOptions(root=root, site_dir=site_dir, strict=strict))
    except BuildFailed as error:
        click.echo(f"pptoolkit: build failed, the published site is unchanged: {error}", err=True)
        sys.exit(1)
    click.echo(f"Site built in {built}", err=True)


@cli.command("serve")
@root_argument
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve the preview on.")
def serve_command(root: Path, dev_addr: str) -> None:
    """Preview the playbook's site, rebuilt whenever a policy, role, waiver or evidence file changes."""
    from mkdocs.commands.serve import serve

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        click.echo(f"pptoolkit: error: '{config_file}': no mkdocs.yml in the playbook", err=True)
        sys.exit(EXIT_USAGE)
    _show_mkdocs_messages()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


def main() -> None:
    """Entry point of the ``pptoolkit`` command."""
    cli(prog_name="pptoolkit")
