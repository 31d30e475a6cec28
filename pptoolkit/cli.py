"""The command line: thin click commands over the library; each returns an exit code.

Exit codes: 0 no errors (warnings allowed), 1 errors, 2 usage or configuration error.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from pptoolkit.checker import Result, check
from pptoolkit.reporters import MATRIX_REPORTERS, REPORTERS, step_summary
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


def main() -> None:
    """Entry point of the ``pptoolkit`` command."""
    cli(prog_name="pptoolkit")
