"""``curriclint rules eval``: measure the packs on a labelled corpus.

Corpus lines are ``{"id", "kind", "text", "labels": [categories], "note"}``. An item is
predicted positive for a category when a warning or error finding of that category is
raised on it (info findings do not count). Reports precision, recall and F1 per category,
what each rule fired on, the false-positive rate on items whose note starts with
"Hard negative", and lists every miss and false alarm.

Each file's author is the part of its name before the first "-" (``round3-slides.jsonl``
is round 3's author); per-author scores show whether a change helps only one writing style.
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
    author: str = ""


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
                                  data.get("note", ""), f"{file}:{number}", author_of(file)))
            except (ValueError, KeyError, TypeError) as exc:
                raise CorpusError(f"{file}:{number}: not a corpus line ({exc})") from None
    return items


def author_of(file: Path) -> str:
    """``round3-slides.jsonl`` -> ``round3``; a file without a "-" -> its folder's name."""
    return file.stem.split("-", 1)[0] if "-" in file.stem else file.parent.name


def predict(linter, items: list[Item]) -> dict[str, list]:
    """The flags (warning and error findings) raised on each item, by item id."""
    return {item.id: [f for f in linter.lint(segments_for_text(item.text, item.kind, item.id))
                      if f.severity.is_flag] for item in items}


def score(items: list[Item], categories: list[str], flags: dict) -> Evaluation:
    """Precision and recall per category, from the flags ``predict`` raised."""
    result = Evaluation(items=len(items))
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "positives": 0} for c in categories}
    rule_counts: dict[str, dict] = {}
    for item in items:
        findings = flags[item.id]
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


def by_author(items: list[Item], categories: list[str], flags: dict) -> dict[str, Evaluation]:
    """One evaluation per author, from flags already predicted."""
    authors = sorted({item.author for item in items})
    return {a: score([i for i in items if i.author == a], categories, flags) for a in authors}


def render_authors(per_author: dict[str, Evaluation], categories: list[str]) -> str:
    """Per-author precision and recall per category, hard-negative rate, and the minimum."""
    head = f"{'author':<10} {'items':>5}" + "".join(f" {c[:14] + ' P/R':>20}" for c in categories) + \
        f" {'hard neg. flagged':>18}"
    lines = [head]
    minimum = {c: [1.0, 1.0] for c in categories}
    worst_rate = 0.0
    for author, evaluation in per_author.items():
        data = evaluation.as_dict()
        row = f"{author:<10} {data['items']:>5}"
        for c in categories:
            cat = data["categories"][c]
            if cat["positives"]:
                minimum[c][1] = min(minimum[c][1], cat["recall"])
            if cat["tp"] + cat["fp"]:
                minimum[c][0] = min(minimum[c][0], cat["precision"])
            row += f" {_pr(cat):>20}"
        hard = data["hard_negatives"]
        worst_rate = max(worst_rate, hard["false_positive_rate"])
        lines.append(row + f" {hard['flagged']:>4}/{hard['items']:<4} {hard['false_positive_rate']:>7.1%}")
    lines.append(f"{'minimum':<10} {'':>5}" + "".join(f" {f'{p:.3f} / {r:.3f}':>20}" for p, r in minimum.values())
                 + f" {'worst':>10} {worst_rate:>7.1%}")
    return "\n".join(lines) + "\n"


def _pr(cat: dict) -> str:
    precision = f"{cat['precision']:.3f}" if cat["tp"] + cat["fp"] else "  -  "
    recall = f"{cat['recall']:.3f}" if cat["positives"] else "  -  "
    return f"{precision} / {recall}"


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


MODES = {  # --confirmer choice -> ConfirmerUse arguments (None: the built-in default)
    "rules": {}, "model": {"alone": True}, "confirm": {"confirm": True},
    "propose": {"propose": True}, "both": {"confirm": True, "propose": True}, "default": None,
}


def evaluation_runs(ruleset, items, categories, modes, pipeline, by_authors: bool, loao: bool) -> dict:
    """For each confirmer mode: the overall evaluation, per-author evaluations (or None)
    and the pipeline used. With ``loao`` each author's items are scored by a confirmer
    trained on the other authors' items."""
    from curriclint.config import CONFIRMER_DEFAULTS
    from curriclint.engine.linter import ConfirmerUse, Linter

    from dataclasses import replace

    runs = {}
    default = ConfirmerUse.from_settings(CONFIRMER_DEFAULTS)
    for mode in modes:
        use = default if MODES[mode] is None else replace(default, **{"confirm": False, "propose": False, **MODES[mode]})
        flags: dict = {}
        version = None
        if loao and use.active:
            for author in sorted({i.author for i in items}):
                weights = fold_weights([i for i in items if i.author != author])
                linter = Linter(ruleset, pipeline=pipeline, confirmer=replace(use, weights=str(weights)))
                flags.update(predict(linter, [i for i in items if i.author == author]))
                version = version or linter.pipeline_version
        else:
            linter = Linter(ruleset, pipeline=pipeline, confirmer=use)
            flags = predict(linter, items)
            version = linter.pipeline_version
        overall = score(items, categories, flags)
        per_author = by_author(items, categories, flags) if by_authors else None
        runs[mode] = (overall, per_author, version or "none (blank tokenizer)")
    return runs


def fold_weights(items: list[Item]) -> Path:
    """A confirmer trained on these items, kept in the user cache folder by their digest."""
    import contextlib
    import hashlib
    import io

    from curriclint.cache import default_cache_dir
    from curriclint.confirmer import CONFIG
    from curriclint.confirmer.train import train

    digest = hashlib.sha256(CONFIG.read_bytes())
    for item in items:
        digest.update(json.dumps([item.id, item.kind, item.text, item.labels, item.note]).encode())
    folder = default_cache_dir() / "confirmer-folds" / digest.hexdigest()[:20]
    if not (folder / "config.cfg").is_file():
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            train(items, folder)
    return folder
