"""The ``curriclint`` command line. Commands are thin: they parse options, call the runner
or the rule tools, and hand results to a reporter. Heavy modules are imported inside the
commands so ``--help``, ``--version`` and ``extract`` stay fast and never load spaCy."""
from __future__ import annotations

import json
import os
import sys

import click

from curriclint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# Set by ``entry``, the console script: the process is the command's own, not a host's (a
# test runner, a notebook), so a command may end it at once.
_OWN_PROCESS = False


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


def entry() -> None:
    """The ``curriclint`` console script and ``python -m curriclint``."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    # The classifier's matrices are small: OpenBLAS's extra threads would only spin between
    # its calls, taking a core from the process reading ahead or from the other worker.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main(prog_name="curriclint")


def _leave(code: int):
    """End a batch command once its report is written. In its own process the command
    ends at once: freeing spaCy's vocabularies and models object by object as the
    interpreter shuts down costs about 0.15 s, which a pre-commit hook pays on every
    commit. Commands with clean-up to do at exit (``serve``) end normally."""
    if _OWN_PROCESS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


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
    _leave(EXIT_ERROR if failed else EXIT_OK)


def _load_ruleset(rules: tuple[str, ...], extend: tuple[str, ...], config, pack_cache=None):
    from curriclint.rules.loader import PackError, load_rules

    selected = list(rules) or list(config.get("packs") or []) or None
    extra = list(extend) + list(config.get("extend-packs") or [])
    try:
        return load_rules(selected, extra, pack_cache)
    except PackError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(EXIT_ERROR)


def _confirmer_stamp() -> list:
    """Size and modification time of the shipped weights: a retrained model re-lints."""
    from curriclint.confirmer import WEIGHTS

    model = WEIGHTS / "textcat_multilabel" / "model"
    stat = model.stat() if model.is_file() else None
    return [stat.st_size, stat.st_mtime_ns] if stat else []


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _prepare(paths, rules, extend, select, ignore, config_file, no_cache=False, cache_dir=None):
    """Config, packs, linter and cache for a run (shared by check and baseline)."""
    from pathlib import Path

    from curriclint.cache import Cache, default_cache_dir, settings_digest
    from curriclint.config import ConfigError, confirmer_settings, load_config
    from curriclint.runner import LintSettings

    try:
        config = load_config(paths, config_file)
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    from curriclint.engine.linter import ConfirmerUse

    folder = cache_dir or config.get("cache-dir")
    folder = Path(folder) if folder else default_cache_dir()
    if not folder.is_absolute() and config.source is not None and not cache_dir:
        folder = config.root / folder
    settings = LintSettings(
        confirmer=ConfirmerUse.from_settings(confirmer_settings(config)),
        rules=tuple(rules) or tuple(config.get("packs") or ()),
        extend=tuple(extend) + tuple(config.get("extend-packs") or ()),
        pipeline=config.get("pipeline"),
        select=tuple(_split(select) or config.get("select") or ()),
        ignore=tuple(_split(ignore) or config.get("ignore") or ()),
        # compiled packs are keyed by the packs' bytes, so even --no-cache reuses them
        pack_cache=folder / "packs",
    )
    ruleset = _load_ruleset(settings.rules, settings.extend, config, settings.pack_cache)
    linter = settings.build(ruleset)
    cache = None
    if not no_cache:
        per_file = {"formats": config.get("formats"), "bank-columns": config.get("bank-columns"),
                    "select": settings.select, "ignore": settings.ignore,
                    "confirmer": [settings.confirmer.confirm, settings.confirmer.propose,
                                  settings.confirmer.critical_threshold, _confirmer_stamp()]}
        cache = Cache(folder, settings_digest(ruleset.digest, per_file, settings.pipeline))
    return config, settings, ruleset, linter, cache


def _pack_options(function):
    """The options that choose the packs and rules, shared by check and annotate."""
    for option in reversed([
        click.option("--rules", "rules", multiple=True, metavar="PACK",
                     help="Use only these packs: a built-in name or a path to a YAML pack (repeatable)."),
        click.option("--extend-rules", "extend", multiple=True, metavar="PACK",
                     help="Add these packs to the built-in ones (repeatable)."),
        click.option("--select", multiple=True, metavar="ID,...",
                     help="Run only these rule ids, names or categories."),
        click.option("--ignore", multiple=True, metavar="ID,...",
                     help="Skip these rule ids, names or categories."),
    ]):
        function = option(function)
    return function


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "html", "csv", "github", "junit"]),
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@_pack_options
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]),
              help="Exit 1 when a finding is at least this severe.  [default: warning]")
@click.option("--jobs", default=None, metavar="N|auto",
              help="Worker processes; auto uses the cores only for large inputs.  [default: auto]")
@click.option("--no-cache", is_flag=True, help="Read and lint every file, ignoring cached results (compiled packs are still reused).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder (default: the user cache folder).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Show only findings not in this baseline; list stale entries.")
@click.option("--skip-unsupported", is_flag=True,
              help="Skip named files of unsupported types instead of failing (for pre-commit).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this config file instead of discovering one.")
def check(paths, fmt, output, rules, extend, select, ignore, fail_on, jobs, no_cache, cache_dir,
          baseline_file, skip_unsupported, config_file) -> None:
    """Lint files and folders; exit 1 on findings, 2 on errors."""
    from curriclint.report import render
    from curriclint.runner import check_paths, exit_code

    config, settings, ruleset, linter, cache = _prepare(paths, rules, extend, select, ignore,
                                                        config_file, no_cache, cache_dir)
    baseline = _baseline_or_fail(baseline_file) if baseline_file else None
    jobs = _jobs(jobs) if jobs is not None else config.get("jobs", "auto")
    run = check_paths(list(paths), config, linter, settings, jobs=jobs, cache=cache,
                      progress=sys.stderr.isatty(), baseline=baseline,
                      skip_unsupported=skip_unsupported)
    report = render(fmt, run, ruleset)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        click.echo(report, nl=False)
    _leave(exit_code(run, fail_on or config.get("fail-on") or "warning"))


def _baseline_or_fail(path: str) -> dict:
    from curriclint.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as exc:
        raise UserError(str(exc)) from None


def _jobs(value) -> str | int:
    if str(value) == "auto":
        return "auto"
    try:
        number = int(value)
    except ValueError:
        raise UserError(f"--jobs must be a number or 'auto' (got '{value}')") from None
    if number < 1:
        raise UserError("--jobs must be at least 1")
    return number


@main.command("annotate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False),
              help="Write the copies into this folder (default: next to each input).")
@_pack_options
@click.option("--no-cache", is_flag=True, help="Read and lint every file, ignoring cached results (compiled packs are still reused).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this config file instead of discovering one.")
def annotate_command(files, output_dir, rules, extend, select, ignore, no_cache, config_file) -> None:
    """Check files and write a copy of each with its findings where a reader meets them.

    Word files get comments on the flagged words (NAME.curriclint.docx), decks a comment on
    each flagged slide and the findings in its speaker notes (NAME.curriclint.pptx), PDFs
    sticky notes beside the flagged text (NAME.curriclint.pdf), and question banks a review
    workbook (NAME.curriclint-review.xlsx). The inputs are never changed. A file without
    findings gets no copy. Exit 2 if a file cannot be read or annotated, else 0."""
    from pathlib import Path

    from curriclint.annotate import AnnotateError, annotate_file
    from curriclint.runner import check_paths

    config, settings, ruleset, linter, cache = _prepare(files, rules, extend, select, ignore,
                                                        config_file, no_cache)
    run = check_paths(list(files), config, linter, settings, jobs="auto", cache=cache,
                      progress=sys.stderr.isatty())
    failed = False
    for result in run.files:
        active = sum(1 for f in result.findings if f.suppressed is None)
        if result.status == "error":
            failed = True
            click.echo(f"{result.path}: error: {result.error}", err=True)
        elif not active:
            click.echo(f"{result.path}: no findings; no copy written")
        else:
            source = Path(result.path)
            try:
                copy = annotate_file(source, result, Path(output_dir) if output_dir else source.parent,
                                     ruleset=ruleset)
            except AnnotateError as exc:
                failed = True
                click.echo(f"{result.path}: error: {exc}", err=True)
                continue
            click.echo(f"wrote {copy} ({active} finding{'s' if active != 1 else ''})")
    for notice in run.notices:
        click.echo(f"notice: {notice}", err=True)
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


@main.group()
def baseline() -> None:
    """Accept today's findings so later runs show only new ones."""


def _baseline_command(paths, baseline_file, reason, reviewer, rules, extend, config_file, update,
                      no_cache, cache_dir):
    from curriclint.baseline import build_entries, write_baseline
    from curriclint.runner import check_paths

    config, settings, ruleset, linter, cache = _prepare(paths, rules, extend, (), (), config_file,
                                                        no_cache, cache_dir)
    previous = _baseline_or_fail(baseline_file) if update else None
    run = check_paths(list(paths), config, linter, settings, jobs="auto", cache=cache)
    entries = build_entries(run, config, reason, reviewer, previous)
    write_baseline(baseline_file, entries)
    click.echo(f"wrote {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} to {baseline_file}")


def _baseline_options(function):
    for option in reversed([
        click.argument("paths", nargs=-1, required=True),
        click.option("--baseline", "baseline_file", default="curriclint-baseline.json", show_default=True,
                     type=click.Path(dir_okay=False), help="Baseline file to write."),
        click.option("--reason", default="accepted when the baseline was created", show_default=True,
                     help="Why these findings are accepted (recorded in each new entry)."),
        click.option("--reviewer", help="Who accepted them (default: git user.name)."),
        click.option("--rules", "rules", multiple=True, metavar="PACK"),
        click.option("--extend-rules", "extend", multiple=True, metavar="PACK"),
        click.option("--no-cache", is_flag=True, help="Read and lint every file, ignoring cached results (compiled packs are still reused)."),
        click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False)),
    ]):
        function = option(function)
    return function


@baseline.command("create")
@_baseline_options
def baseline_create(paths, baseline_file, reason, reviewer, rules, extend, no_cache, cache_dir,
                    config_file) -> None:
    """Write a baseline of every current finding."""
    _baseline_command(paths, baseline_file, reason, reviewer, rules, extend, config_file, False,
                      no_cache, cache_dir)


@baseline.command("update")
@_baseline_options
def baseline_update(paths, baseline_file, reason, reviewer, rules, extend, no_cache, cache_dir,
                    config_file) -> None:
    """Re-write the baseline: keep reasons of entries still found, add new, drop stale."""
    _baseline_command(paths, baseline_file, reason, reviewer, rules, extend, config_file, True,
                      no_cache, cache_dir)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but this computer's own lets others on the network reach the page.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the link; do not open a browser.")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=200, show_default=True,
              help="Largest upload, in MB.")
@click.option("--max-files", type=click.IntRange(min=1), default=500, show_default=True,
              help="Most files in one upload (each file in a zip counts).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this config file instead of discovering one.")
def serve(host, port, no_browser, max_upload_mb, max_files, config_file) -> None:
    """Open a page in the browser where files can be dropped and their report read."""
    from importlib.util import find_spec

    if any(find_spec(name) is None for name in ("flask", "waitress")):
        raise UserError("curriclint serve needs Flask and waitress: pip install 'curriclint[web]'")
    from curriclint.web.checker import Checker
    from curriclint.web.gate import is_loopback
    from curriclint.web.server import LocalServer
    from curriclint.web.uploads import Limits

    config, _, ruleset, linter, _ = _prepare((), (), (), (), (), config_file, no_cache=True)
    if not is_loopback(host):
        click.echo(f"curriclint: warning: listening on {host}: anyone who can reach this computer "
                   "and has the link can send files and read their reports", err=True)
    try:
        server = LocalServer(Checker(config, ruleset, linter), host, port,
                             Limits(max_upload_mb * 2**20, max_files))
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                        "choose another --port or --host") from None
    click.echo(f"curriclint is ready at {server.url}")
    click.echo("Open that link to check files; press Ctrl+C here to stop.")
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    server.run()


@main.command()
@click.option("--format", "fmt", type=click.Choice(["yaml", "toml"]), default="yaml", show_default=True,
              help="Write .curriclint.yaml, or print a [tool.curriclint] table for pyproject.toml.")
@click.option("--force", is_flag=True, help="Overwrite an existing .curriclint.yaml.")
def init(fmt: str, force: bool) -> None:
    """Write a commented starter config in the current folder."""
    from pathlib import Path

    from curriclint.config import starter_config

    text = starter_config(fmt)
    if fmt == "toml":
        click.echo(text, nl=False)
        return
    target = Path(".curriclint.yaml")
    if target.exists() and not force:
        raise UserError(f"{target} exists (use --force to overwrite)")
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}")


@main.group()
def rules() -> None:
    """List, explain, validate, test, document and evaluate rule packs."""


def _ruleset_for(packs: tuple[str, ...]):
    """Built-in packs, or exactly the given pack files/names (plus the shared terms)."""
    from curriclint.config import load_config

    return _load_ruleset(tuple(packs), (), load_config([]))


@rules.command("list")
@click.option("--pack", "packs", multiple=True, metavar="PACK", help="Only these packs.")
def rules_list(packs) -> None:
    """One line per rule: id, category, severity, pack, message."""
    ruleset = _ruleset_for(packs)
    for rule in ruleset.rules:
        message = rule.message.replace("{match}", "…")
        click.echo(f"{rule.id:<8} {rule.category:<22} {rule.severity.value:<8} {rule.pack:<24} {message}")


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """Everything about one rule (same as `curriclint explain`)."""
    _explain(rule_id)


@main.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> None:
    """Rationale, suggestion, examples and references of a rule."""
    _explain(rule_id)


def _explain(rule_id: str) -> None:
    from curriclint.rules.docs import explain

    ruleset = _ruleset_for(())
    rule = ruleset.rule(rule_id)
    if rule is None:
        raise UserError(f"no rule '{rule_id}' (see `curriclint rules list`)")
    click.echo(explain(rule), nl=False)


@rules.command("schema")
def rules_schema() -> None:
    """Print the path of the rule-pack JSON Schema (for editors' yaml-language-server)."""
    from importlib import resources

    click.echo(str(resources.files("curriclint.rules") / "pack.schema.json"))


@rules.command("validate")
@click.argument("packs", nargs=-1, required=True)
def rules_validate(packs) -> None:
    """Check pack files against the schema and the loader's rules; exit 2 on errors."""
    ruleset = _ruleset_for(packs)
    names = ", ".join(p.name for p in ruleset.packs) or "the shared terms pack"
    click.echo(f"ok: {names}: {len(ruleset.rules)} rules, {len(ruleset.terms)} term lists")


@rules.command("test")
@click.argument("packs", nargs=-1)
@click.option("--pipeline", help="spaCy pipeline to use ('none' for the blank tokenizer).")
@click.option("-v", "--verbose", is_flag=True, help="Show every example, not only failures.")
def rules_test(packs, pipeline, verbose) -> None:
    """Run every rule's examples: flag examples must flag, pass examples must not."""
    from curriclint.engine.linter import Linter
    from curriclint.rules.testing import test_rules

    from curriclint.engine.linter import ConfirmerUse

    ruleset = _ruleset_for(packs)
    # Model rules are tested too: their examples check the shipped confirmer.
    linter = Linter(ruleset, pipeline=pipeline, confirmer=ConfirmerUse(propose=True))
    results = test_rules(linter, ruleset.rules)
    per_rule: dict[str, list] = {}
    for result in results:
        per_rule.setdefault(result.rule.id, []).append(result)
    click.echo(f"{'rule':<8} {'pack':<24} {'flag':>6} {'pass':>6}  status")
    for rule in ruleset.rules:
        entries = per_rule.get(rule.id, [])
        flags = [e for e in entries if e.expected == "flag"]
        passes = [e for e in entries if e.expected == "pass"]
        bad = [e for e in entries if not e.ok]
        status = "ok" if not bad else f"FAILED ({len(bad)})"
        click.echo(f"{rule.id:<8} {rule.pack:<24} {sum(e.ok for e in flags)}/{len(flags):<4} "
                   f"{sum(e.ok for e in passes)}/{len(passes):<4}  {status}")
        for entry in entries:
            if verbose or not entry.ok:
                mark = "ok  " if entry.ok else "FAIL"
                click.echo(f"    {mark} expected {entry.expected}, got {entry.got}: {entry.text}")
    for notice in linter.notices:
        click.echo(f"notice: {notice}")
    failed = sum(not r.ok for r in results)
    click.echo(f"{len(results) - failed} of {len(results)} examples as expected"
               f"{'' if not failed else f'; {failed} failed'}.")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@rules.command("docs")
@click.option("--output", "output_dir", default="docs/rules", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the Markdown reference to.")
def rules_docs(output_dir: str) -> None:
    """Write a Markdown reference of the built-in packs (one file per pack)."""
    from pathlib import Path

    from curriclint.rules.docs import index_markdown, pack_markdown

    ruleset = _ruleset_for(())
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(index_markdown(ruleset), encoding="utf-8")
    for pack in ruleset.packs:
        (folder / f"{pack.name}.md").write_text(pack_markdown(ruleset, pack.name), encoding="utf-8")
    click.echo(f"wrote {len(ruleset.packs) + 1} files to {folder}")


@rules.command("eval")
@click.argument("corpus", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--pack", "packs", multiple=True, metavar="PACK", help="Evaluate only these packs.")
@click.option("--pipeline", help="spaCy pipeline to use ('none' for the blank tokenizer).")
@click.option("--summary", "summary_only", is_flag=True, help="Omit the list of misses and false alarms.")
@click.option("--confirmer", "modes", multiple=True, default=("default",), show_default=True,
              type=click.Choice(["default", "rules", "model", "confirm", "propose", "both"]),
              help="How the learned confirmer takes part: the built-in default, rules alone, the "
                   "model alone, confirm, propose, or both (repeatable: an ablation).")
@click.option("--by-author", is_flag=True, help="Scores per author (file-name prefix) and their minimum.")
@click.option("--leave-one-author-out", "loao", is_flag=True,
              help="With --by-author: score each author with a confirmer trained without that "
                   "author's items (the rules are not refitted).")
def rules_eval(corpus, fmt, packs, pipeline, summary_only, modes, by_author, loao) -> None:
    """Precision, recall and F1 of the packs on a labelled corpus (.jsonl file or folder)."""
    from pathlib import Path

    from curriclint.evaluate import CorpusError, evaluation_runs, load_corpus

    ruleset = _ruleset_for(packs)
    try:
        items = load_corpus(Path(corpus))
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    if loao and not by_author:
        raise UserError("--leave-one-author-out needs --by-author")
    categories = sorted({r.category for r in ruleset.rules} | {l for i in items for l in i.labels})
    runs = evaluation_runs(ruleset, items, categories, modes, pipeline, by_author, loao)
    if fmt == "json":
        data = {}
        for mode, (overall, per_author, pipeline_version) in runs.items():
            entry = overall.as_dict()
            if summary_only:
                entry.pop("misses"), entry.pop("false_alarms")
            if per_author:
                entry["authors"] = {a: {k: v for k, v in e.as_dict().items() if k not in ("misses", "false_alarms")}
                                    for a, e in per_author.items()}
            entry["pipeline"] = pipeline_version
            data[mode] = entry
        click.echo(json.dumps(data if len(modes) > 1 else data[modes[0]], indent=2, ensure_ascii=False))
        return
    from curriclint.evaluate import render_authors, render_text

    for mode, (overall, per_author, pipeline_version) in runs.items():
        click.echo(f"== confirmer: {mode}; pipeline: {pipeline_version}")
        click.echo(render_text(overall, show_items=not summary_only), nl=False)
        if per_author:
            click.echo("")
            click.echo(render_authors(per_author, categories), nl=False)
        click.echo("")


@rules.command("train-confirmer")
@click.argument("corpus", default="corpora/tune", type=click.Path(exists=True))
@click.option("--output", type=click.Path(file_okay=False),
              help="Folder for the trained pipeline (default: the weights shipped in the package).")
def rules_train_confirmer(corpus, output) -> None:
    """Train the learned confirmer on a labelled corpus with `spacy train` (fixed seed)."""
    from pathlib import Path

    from curriclint.confirmer import WEIGHTS
    from curriclint.confirmer.train import train
    from curriclint.evaluate import CorpusError, load_corpus

    try:
        items = load_corpus(Path(corpus))
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    target = Path(output) if output else WEIGHTS
    digest = train(items, target)
    click.echo(f"trained on {len(items)} items; wrote {target} (sha256 of its files {digest})")
