"""Train the confirmer from a labelled corpus with spaCy's own training loop.

Each corpus item becomes one training text, read as the engine reads the segment that
carries it (see ``segment_text``), with the item's categories as labels and "critical"
for hard negatives that discuss race-based medicine critically or historically. The
seed is fixed and training runs on the CPU, so the same corpus gives the same weights,
byte for byte (tested).
"""
from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from curriclint.confirmer import CONFIG, LABELS, segment_text
from curriclint.engine.linter import question_documents
from curriclint.engine.samples import segments_for_text

# Hard-negative kinds (the note's first words, corpora/README.md) that are critical or
# historical discussion of race-based medicine rather than other senses of race words.
_CRITICAL_KINDS = re.compile(
    r"^hard negative\W+[\w /-]*?(critique|critic|histor|negation|replacement|racism|structural|contested|"
    r"myth|anti-?racis|policy)", re.IGNORECASE)
DEV_EVERY = 10  # every tenth item is also spaCy's dev set (progress display only)


def item_text(text: str, kind: str) -> str:
    """The text the confirmer reads for a corpus item."""
    segments = segments_for_text(text, kind)
    if kind in ("question", "vignette"):
        _, whole, _ = next(question_documents(segments))
        return whole.text
    body = segments[-1]
    return segment_text(body.text, body.context)


def item_cats(labels: list[str], note: str) -> dict[str, float]:
    cats = {label: float(label in labels) for label in LABELS}
    cats["critical"] = float(not labels and bool(_CRITICAL_KINDS.match(note.strip())))
    return cats


def train(items, output: Path) -> str:
    """Train on ``items`` (corpus items) and write the pipeline to ``output``; returns a
    digest of the written files."""
    import spacy
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    work = Path(tempfile.mkdtemp(prefix="curriclint-train-"))
    try:
        train_bin, dev_bin = DocBin(), DocBin()
        for number, item in enumerate(items):
            doc = nlp.make_doc(item_text(item.text, item.kind))
            doc.cats = item_cats(item.labels, item.note)
            train_bin.add(doc)
            if number % DEV_EVERY == 0:
                dev_bin.add(doc)
        train_bin.to_disk(work / "train.spacy")
        dev_bin.to_disk(work / "dev.spacy")
        overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")}
        spacy_train(CONFIG, work / "out", overrides=overrides, use_gpu=-1)
        model = work / "out" / "model-last"
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(model, output)
        _forget_paths(output / "config.cfg")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tree_digest(output)


def _forget_paths(config: Path) -> None:
    """The saved config names the temporary training files; blank them so the output
    depends on the corpus alone."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^(train|dev) = ".*"$', r"\1 = null", text)
    config.write_text(text, encoding="utf-8")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
