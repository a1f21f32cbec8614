"""The trigger gate: its fast RE2 pre-check must never turn away a text that splitting and
folding every word would let through, whatever sits next to the word."""
from __future__ import annotations

import random

import pytest

from curriclint.engine.linter import Linter
from curriclint.engine.normalize import WORD, TriggerIndex, fold
from curriclint.rules.loader import load_rules

GATE = Linter(load_rules()).gate


def every_word_folded(gate: TriggerIndex, text: str) -> frozenset:
    """The gate's answer worked out the slow way: every word of the text, folded."""
    lowered = text.lower()
    hits = {s for s in gate.substrings if s in lowered}
    words = set(WORD.findall(lowered))
    words |= {fold(w) for w in words}
    for word in words & gate.keys:
        hits.update(t for t in gate.by_word[word] if words.issuperset(t))
    return frozenset(hits)


@pytest.mark.parametrize("text, expected", [
    ("Blacks had higher rates", {("black",)}),
    ("their ancestries were", {("ancestry",)}),
    ("_black and (white)", {("black",), ("white",)}),
    ("the blackboard", set()),
    ("eGFR x1.159", {"1.159"}),
    ("1.5black", {("black",)}),
    ("5black", set()),
])
def test_small_index(text, expected):
    gate = TriggerIndex({("black",), ("white",), ("ancestry",), ("donor", "kidney")}, {"1.159"})
    assert gate.found(text) == frozenset(expected) == every_word_folded(gate, text)


def test_built_in_gate_agrees_with_folding_every_word_on_words_in_any_surrounding():
    rnd = random.Random(20241203)
    words = [w for key in sorted(GATE.keys) for w in (key, key + "s", key[:-1] + "ies")]
    words += ["the", "patient", "1.5", "5", "2.5", "é", "x"]
    joints = [" ", ",", ".", "_", "-", "\n", "1.", "5", "'s ", "(", "é", "/", ""]
    for _ in range(5000):
        text = "".join(rnd.choice(words) + rnd.choice(joints) for _ in range(rnd.randint(1, 8)))
        text = "".join(c.upper() if rnd.random() < 0.1 else c for c in text)
        assert GATE.found(text) == every_word_folded(GATE, text), text


def test_an_empty_index_finds_nothing():
    assert TriggerIndex(set()).found("Black patients") == frozenset()

