"""School scale: a generated program of 2,000 files (decks, PDFs, Word banks, GIFT banks in
eight course folders), checked at 1 and 2 jobs for its first 200, 500 and 2,000 files, to
show that time per file stays flat as the program grows and that memory does not grow.

    python bench/school.py [--files 2000] [--program FOLDER] [--out bench/school.md]

Files are smaller than the main corpus's (20-slide decks, 8-page PDFs, 30-question banks)
so that the largest run takes minutes, not an hour; the mix of kinds is the same at every
size because the plan interleaves them. Each run is ``check --no-cache`` in a fresh
process, memory sampled over the whole process tree (run.py's ``measured``).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402
from run import CHECK, CLI, machine, measured  # noqa: E402

SIZES = (200, 500, 2000)
KINDS = ("deck", "pdf", "docx", "gift", "deck", "pdf", "deck", "docx")  # 3 : 2 : 2 : 1


def build_program(out: Path, files: int, seed: int = 20261202) -> list[Path]:
    """The program's files in plan order (kinds interleaved, courses round-robin)."""
    w = make_corpus.Writer(random.Random(seed))
    courses = list(make_corpus.COURSES)
    paths = []
    for i in range(files):
        kind, course = KINDS[i % len(KINDS)], courses[(i // len(KINDS)) % len(courses)]
        w.course_conditions = make_corpus.COURSES[course]
        folder = out / course
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "deck":
            path = folder / f"lecture-{i:04d}.pptx"
            make_corpus.make_deck(path, w, course, 20)
        elif kind == "pdf":
            path = folder / f"reading-{i:04d}.pdf"
            make_corpus.make_pdf(path, w, course, 8)
        elif kind == "docx":
            path = folder / f"bank-{i:04d}.docx"
            make_corpus.make_word_bank(path, w, course, 30)
        else:
            path = folder / f"bank-{i:04d}.gift"
            make_corpus.make_gift(path, w, course, 30)
        paths.append(path)
    (out / "plan.json").write_text(json.dumps([str(p.relative_to(out)) for p in paths]), encoding="utf-8")
    return paths


def program(folder: Path, files: int) -> list[Path]:
    plan = folder / "plan.json"
    if plan.is_file():
        names = json.loads(plan.read_text(encoding="utf-8"))
        if len(names) >= files:
            return [folder / name for name in names[:files]]
    print(f"generating {files} files in {folder}", file=sys.stderr)
    return build_program(folder, files)


def report(rows: list[dict], info: dict, files: int) -> str:
    smallest = min(r["files"] for r in rows)
    base = {r["jobs"]: r for r in rows if r["files"] == smallest}
    lines = [
        "# School-scale benchmark",
        "",
        f"{files} generated files (20-slide decks, 8-page PDFs, 30-question Word and GIFT banks), "
        f"`check --no-cache` in a fresh process per run; {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}.",
        "",
        "\"Marginal\" is the time per file of the files added since the previous size: the cost of one",
        "more file once start-up (interpreter, spaCy, packs, models: a fixed second or two) is paid.",
        "",
        f"| files | jobs | wall | per file | per file ÷ at {smallest:,} | marginal per file | peak memory (tree, PSS) | largest process |",
        "|---|---|---|---|---|---|---|---|",
    ]
    previous: dict[int, dict] = {}
    for r in rows:
        per_file = r["seconds"] / r["files"]
        ratio = per_file / (base[r["jobs"]]["seconds"] / smallest)
        before = previous.get(r["jobs"])
        marginal = (f"{(r['seconds'] - before['seconds']) / (r['files'] - before['files']) * 1000:.0f} ms"
                    if before else "")
        previous[r["jobs"]] = r
        lines.append(f"| {r['files']:,} | {r['jobs']} | {r['seconds']:.1f} s | {per_file * 1000:.0f} ms | "
                     f"{ratio:.2f} | {marginal} | {r['peak_pss_mb']:.0f} MB | {r['largest_process_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=SIZES[-1])
    parser.add_argument("--program", type=Path, default=Path(tempfile.gettempdir()) / "curriclint-school")
    parser.add_argument("--out", type=Path, default=HERE / "school.md")
    args = parser.parse_args()
    sizes = [n for n in SIZES if n < args.files] + [args.files]
    paths = program(args.program, args.files)
    rows = []
    for n in sizes:
        for jobs in ("1", "2"):
            print(f"check {n} files, --jobs {jobs}", file=sys.stderr)
            started = time.perf_counter()
            result = measured(CLI + CHECK + ["--no-cache", "--jobs", jobs, *map(str, paths[:n])])
            rows.append({"files": n, "jobs": int(jobs), **{k: v for k, v in result.items() if k != "samples"}})
            print(f"  {time.perf_counter() - started:.1f} s", file=sys.stderr)
    text = report(rows, machine(), args.files)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
