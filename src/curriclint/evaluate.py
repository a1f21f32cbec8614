"""``curriclint rules eval``: measure the packs on a labelled corpus.

Corpus lines are ``{"id", "kind", "text", "labels": [categories], "note"}``. An item is
predicted positive for a category when a warning or error finding of that category is
raised on it (info findings do not count). Reports precision, recall and F1 per category,
what each rule fired on, the false-positive rate on items whose note starts with
"Hard negative", and lists every miss and false alarm.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from curriclint.engine.samples import segments_for_text


class CorpusError(Exception):
    """A corpus file that cannot be read; the message names the file and line."""


@dataclass
class Item:
    id: str
    kind: str
    text: str
    labels: list[str]
    note: str
    source: str


@dataclass
class Evaluation:
    items: int = 0
    categories: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    hard_negatives: int = 0
    hard_negative_flagged: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def as_dict(self) -> dict:
        rate = self.hard_negative_flagged / self.hard_negatives if self.hard_negatives else 0.0
        return {"items": self.items, "categories": self.categories, "rules": self.rules,
                "hard_negatives": {"items": self.hard_negatives, "flagged": self.hard_negative_flagged,
                                   "false_positive_rate": round(rate, 4)},
                "misses": self.misses, "false_alarms": self.false_alarms}


def load_corpus(path: Path) -> list[Item]:
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no .jsonl files")
    items: list[Item] = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                items.append(Item(str(data["id"]), data["kind"], data["text"], list(data["labels"]),
                                  data.get("note", ""), f"{file}:{number}"))
            except (ValueError, KeyError, TypeError) as exc:
                raise CorpusError(f"{file}:{number}: not a corpus line ({exc})") from None
    return items


def evaluate(linter, items: list[Item], categories: list[str]) -> Evaluation:
    result = Evaluation(items=len(items))
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "positives": 0} for c in categories}
    rule_counts: dict[str, dict] = {}
    for item in items:
        findings = [f for f in linter.lint(segments_for_text(item.text, item.kind, item.id))
                    if f.severity.is_flag]
        predicted = {f.category for f in findings}
        hard = item.note.lower().startswith("hard negative")
        if hard:
            result.hard_negatives += 1
            result.hard_negative_flagged += bool(findings)
        for finding in findings:
            stats = rule_counts.setdefault(finding.rule_id, {"category": finding.category,
                                                             "items": set(), "correct": set()})
            stats["items"].add(item.id)
            if finding.category in item.labels:
                stats["correct"].add(item.id)
        for category in categories:
            gold, guess = category in item.labels, category in predicted
            counts[category]["positives"] += gold
            if gold and guess:
                counts[category]["tp"] += 1
            elif guess:
                counts[category]["fp"] += 1
                result.false_alarms.append(_describe(item, category, findings))
            elif gold:
                counts[category]["fn"] += 1
                result.misses.append(_describe(item, category, findings))
    for category, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result.categories[category] = {**c, "precision": round(precision, 4),
                                       "recall": round(recall, 4), "f1": round(f1, 4)}
    for rule_id, stats in sorted(rule_counts.items()):
        fired, correct = len(stats["items"]), len(stats["correct"])
        result.rules[rule_id] = {"category": stats["category"], "fired": fired, "correct": correct,
                                 "precision": round(correct / fired, 4) if fired else 0.0}
    return result


def _describe(item: Item, category: str, findings) -> dict:
    return {"id": item.id, "category": category, "kind": item.kind, "note": item.note,
            "text": item.text, "findings": sorted({f"{f.rule_id} {f.text!r}" for f in findings})}


def render_text(evaluation: Evaluation, show_items: bool = True) -> str:
    data = evaluation.as_dict()
    lines = [f"{data['items']} items", "",
             f"{'category':<24} {'pos':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6} {'f1':>6}"]
    for category, c in data["categories"].items():
        lines.append(f"{category:<24} {c['positives']:>4} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} "
                     f"{c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}")
    hard = data["hard_negatives"]
    lines += ["", f"hard negatives: {hard['flagged']} of {hard['items']} flagged "
                  f"(false-positive rate {hard['false_positive_rate']:.1%})", "",
              f"{'rule':<8} {'category':<24} {'fired':>5} {'correct':>7} {'prec':>6}"]
    for rule_id, r in data["rules"].items():
        lines.append(f"{rule_id:<8} {r['category']:<24} {r['fired']:>5} {r['correct']:>7} {r['precision']:>6.3f}")
    if show_items:
        for title, entries in (("misses", data["misses"]), ("false alarms", data["false_alarms"])):
            lines += ["", f"{title} ({len(entries)}):"]
            for entry in entries:
                found = "; ".join(entry["findings"]) or "no flag"
                lines.append(f"  {entry['id']} [{entry['category']}] {entry['note']}")
                lines.append(f"      text: {' '.join(entry['text'].split())[:300]}")
                lines.append(f"      found: {found}")
    return "\n".join(lines) + "\n"
