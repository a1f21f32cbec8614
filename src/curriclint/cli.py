"""The ``curriclint`` command line. Commands are thin: they parse options, call the runner
or the rule tools, and hand results to a reporter. Heavy modules are imported inside the
commands so ``--help``, ``--version`` and ``extract`` stay fast and never load spaCy."""
from __future__ import annotations

import json
import sys

import click

from curriclint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UserError(click.ClickException):
    """A usage, config or rule-pack error: one line, exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        click.echo(f"curriclint: error: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="curriclint")
def main() -> None:
    """Lint medical curriculum content (slides, PDFs, Word files, question banks) for race
    taught as biology, stereotyped vignettes and race-based clinical algorithms."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this config file instead of discovering one.")
def extract(paths: tuple[str, ...], config_file: str | None) -> None:
    """Print the segments curriclint sees, as JSON lines (one segment per line)."""
    from curriclint.config import ConfigError, load_config
    from curriclint.runner import extract_targets

    try:
        config = load_config(paths, config_file)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    failed = False
    for result, segments in extract_targets(list(paths), config):
        if result.status == "error":
            failed = True
            click.echo(f"{result.path}: error: {result.error}", err=True)
            continue
        for notice in result.notices:
            click.echo(f"{result.path}: notice: {notice}", err=True)
        for segment in segments:
            click.echo(json.dumps(segment.to_dict(), ensure_ascii=False))
    sys.exit(EXIT_ERROR if failed else EXIT_OK)
