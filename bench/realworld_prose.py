"""Flags on real text nobody here wrote: the OpenStax modules, the PubMedQA abstracts and
the MedQA questions of the shared real-world folder, listed one per line for reading.

    python bench/realworld_prose.py [--confirmer rules|confirm|propose|both] [FOLDER]

FOLDER defaults to $CURRICLINT_REALWORLD. Each abstract (its contexts and long answer) is
one text file's worth of paragraphs; each MedQA item is read by the JSON Lines bank reader.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from curriclint.config import Config
from curriclint.engine.linter import ConfirmerUse, Linter
from curriclint.engine.samples import segments_for_text
from curriclint.evaluate import MODES
from curriclint.runner import read_target
from curriclint.discover import Target
from curriclint.rules.loader import load_rules


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=os.environ.get("CURRICLINT_REALWORLD"))
    parser.add_argument("--confirmer", default="rules", choices=[m for m in MODES if m != "default"])
    args = parser.parse_args()
    if not args.folder:
        sys.exit("give the real-world folder or set CURRICLINT_REALWORLD")
    root = Path(args.folder)
    linter = Linter(load_rules(), confirmer=ConfirmerUse(**MODES[args.confirmer]))
    totals = {}
    for module in sorted((root / "prose" / "openstax").glob("*")):
        text = module.read_text(encoding="utf-8")
        segments = [s for i, p in enumerate(text.split("\n\n"))
                    for s in segments_for_text(p, "paragraph", f"{module.name}#{i}") if p.strip()]
        totals["openstax"] = totals.get("openstax", 0) + _show("openstax", linter.lint(segments))
    for line in (root / "prose" / "pubmedqa_pqal.jsonl").read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        record = json.loads(line)
        paragraphs = [*record["contexts"], record.get("long_answer", "")]
        segments = [s for i, p in enumerate(paragraphs) if p.strip()
                    for s in segments_for_text(p, "paragraph", f"pubmedqa {record['pmid']}")]
        totals["pubmedqa"] = totals.get("pubmedqa", 0) + _show("pubmedqa", linter.lint(segments))
    medqa = root / "questions" / "medqa_usmle_test_5options.jsonl"
    _, segments = read_target(Target(medqa, str(medqa), explicit=True), Config())
    totals["medqa"] = _show("medqa", linter.lint(segments))
    print("flags:", json.dumps(totals))
    return 0


def _show(corpus: str, findings) -> int:
    flags = [f for f in findings if f.severity.is_flag]
    for f in flags:
        where = f.path if corpus != "medqa" else f"question {f.location.get('index')}"
        print(f"{corpus}\t{where}\t{f.rule_id}\t{f.text!r}\t{' '.join(f.context.split())[:220]}")
    return len(flags)


if __name__ == "__main__":
    sys.exit(main())
