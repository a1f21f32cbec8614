"""The learned confirmer: a small spaCy text classifier beside the rules.

It scores a segment for the three finding categories and for "critical" (the text
discusses race-based medicine critically or historically). The engine consults it only for
segments the trigger gate passed: to confirm (a rule finding in text the model judges
critical becomes info) and to propose (a model rule reports a sentence no rule flagged).
Both uses are switched in configuration; the weights ship in ``weights/`` and are rebuilt
bit for bit by ``curriclint rules train-confirmer``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LABELS = ("biologized_race", "stereotyped_vignette", "race_based_algorithm", "critical")
WEIGHTS = Path(__file__).parent / "weights"
CONFIG = Path(__file__).parent / "config.cfg"


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

    def scores(self, text: str) -> dict[str, float]:
        return dict(self._scores(text))

    @lru_cache(maxsize=4096)
    def _scores(self, text: str) -> tuple[tuple[str, float], ...]:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(self.weights)
        cats = self._nlp(text).cats
        return tuple((label, float(cats.get(label, 0.0))) for label in LABELS)
