"""A cheap check that text is mostly English, since the built-in rules are English.

Common English function words make up a large share of any English text; in other
languages (or in garbled PDF text layers) they are rare. No language model is needed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were their one all we can her has there been if more when "
    "will would who so no she other its may these than into some could them only also most "
    "should after such any".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_WORDS = 60
_MIN_SHARE = 0.12


def english_notice(texts: Iterable[str]) -> str | None:
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    share = sum(1 for w in words if w in _FUNCTION_WORDS) / len(words)
    if share >= _MIN_SHARE:
        return None
    return (f"text is mostly not English ({share:.0%} English function words): the built-in "
            "rules are English, so findings may be missed")
