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


def _load_ruleset(rules: tuple[str, ...], extend: tuple[str, ...], config):
    from curriclint.rules.loader import PackError, load_rules

    selected = list(rules) or list(config.get("packs") or []) or None
    extra = list(extend) + list(config.get("extend-packs") or [])
    try:
        return load_rules(selected, extra)
    except PackError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(EXIT_ERROR)


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "html", "csv", "github", "junit"]),
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--rules", "rules", multiple=True, metavar="PACK",
              help="Use only these packs: a built-in name or a path to a YAML pack (repeatable).")
@click.option("--extend-rules", "extend", multiple=True, metavar="PACK",
              help="Add these packs to the built-in ones (repeatable).")
@click.option("--select", multiple=True, metavar="ID,...", help="Run only these rule ids, names or categories.")
@click.option("--ignore", multiple=True, metavar="ID,...", help="Skip these rule ids, names or categories.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]),
              help="Exit 1 when a finding is at least this severe.  [default: warning]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this config file instead of discovering one.")
def check(paths, fmt, output, rules, extend, select, ignore, fail_on, config_file) -> None:
    """Lint files and folders; exit 1 on findings, 2 on errors."""
    from curriclint.config import ConfigError, load_config
    from curriclint.engine.linter import Linter
    from curriclint.report import render
    from curriclint.runner import check_paths, exit_code

    try:
        config = load_config(paths, config_file)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    ruleset = _load_ruleset(rules, extend, config)
    linter = Linter(ruleset, pipeline=config.get("pipeline"),
                    select=_split(select) or config.get("select"),
                    ignore=_split(ignore) or config.get("ignore"))
    run = check_paths(list(paths), config, linter)
    report = render(fmt, run, ruleset)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        click.echo(report, nl=False)
    sys.exit(exit_code(run, fail_on or config.get("fail-on") or "warning"))
