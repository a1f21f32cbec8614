"""The learned confirmer: a small spaCy text classifier beside the rules.

It scores a segment for the three finding categories and for "critical" (the text
discusses race-based medicine critically or historically). The engine consults it only for
segments the trigger gate passed: to confirm (a rule finding in text the model judges
critical becomes info) and to propose (a model rule reports a sentence no rule flagged).
Both uses are switched in configuration; the weights ship in ``weights/`` and are rebuilt
bit for bit by ``curriclint rules train-confirmer``.
"""
from __future__ import annotations

import string
from pathlib import Path

LABELS = ("biologized_race", "stereotyped_vignette", "race_based_algorithm", "critical")
WEIGHTS = Path(__file__).parent / "weights"
_REMEMBERED = 2048  # scored texts kept in memory: more than one file asks about
CONFIG = Path(__file__).parent / "config.cfg"
_CACHED_CHUNKS = 100_000  # whitespace-separated chunks whose tokenization is remembered


def segment_text(text: str, frame: str | None = None, whole: str | None = None) -> str:
    """What the confirmer reads for a segment: its whole question (stem, keyed answer and
    explanation) for question parts, otherwise the segment after the text that frames it
    (slide title, table headers). Training reads corpus items the same way."""
    if whole:
        return whole
    return f"{frame}\n{text}" if frame else text


class Confirmer:
    """Scores texts with the trained classifier, loaded on first use (~0.2 s)."""

    def __init__(self, weights: Path = WEIGHTS):
        self.weights = Path(weights)
        self._nlp = None
        self._known: dict[str, tuple[tuple[str, float], ...]] = {}
        self._chunks: set[str] = set()  # chunks already given to the tokenizer's cache

    @property
    def available(self) -> bool:
        return (self.weights / "config.cfg").is_file()

    @property
    def version(self) -> str:
        meta = self.weights / "meta.json"
        if not meta.is_file():
            return "none"
        import json

        data = json.loads(meta.read_text(encoding="utf-8"))
        return f"{data.get('name', 'confirmer')} {data.get('version', '')}".strip()

    def load(self) -> None:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(self.weights)
            self._nlp.tokenizer.max_cache_size = _CACHED_CHUNKS

    def scores(self, text: str) -> dict[str, float]:
        found = self._known.get(text)
        if found is None:
            self.score_all([text])
            found = self._known[text]
        return dict(found)

    def score_all(self, texts: list[str]) -> None:
        """Score many texts in one batch (much faster than one by one); ``scores`` then
        answers from memory. The memory is bounded: it is cleared when it grows large."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._known))
        if not todo:
            return
        self.load()
        if len(self._known) + len(todo) > _REMEMBERED:
            self._known.clear()
        self._teach_tokenizer(todo)
        for text, doc in zip(todo, self._nlp.pipe(todo, batch_size=64)):
            self._known[text] = tuple((label, float(doc.cats.get(label, 0.0))) for label in LABELS)

    def _teach_tokenizer(self, texts: list[str]) -> None:
        """Tokenize the texts' new chunks once, on their own, before the texts.

        spaCy remembers how each whitespace-separated chunk splits, except in a text that
        holds a special case ("cannot", "e.g.", "don't"): there nothing after it is
        remembered. A long page read before the short texts that would fill the cache is
        then split afresh, and so is the next one (5x the tokenizer's time when a run
        starts with the PDFs, as a parallel run does). The chunks that are or hide a
        special case are left out, so the rest are all remembered.
        """
        new = {chunk for text in texts for chunk in text.split()} - self._chunks
        if len(self._chunks) + len(new) > _CACHED_CHUNKS:
            return  # the tokenizer's cache is full: nothing more would be remembered
        self._chunks |= new
        rules = self._nlp.tokenizer.rules
        plain = [c for c in new if c not in rules and c.strip(string.punctuation) not in rules]
        # A chunk split inside ("cannot/won't") may still hide one: those come last.
        plain.sort(key=lambda chunk: not chunk.strip(string.punctuation).isalnum())
        if plain:
            self._nlp.tokenizer(" ".join(plain))
