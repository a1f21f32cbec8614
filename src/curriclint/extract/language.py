"""A cheap check that text is mostly English, since the built-in rules are English.

Text counts as not English when most of its letters are in a non-Latin script, or when
the function words of other European languages outnumber English ones. Comparing the two
(rather than using a fixed share) keeps terse English bullet slides, which have few
function words, from being mistaken for another language. No language model is needed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_ENGLISH = frozenset(
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were their one all we can her has there been if more when "
    "will would who so no she other its may these than into some could them only also most "
    "should after such any what how why our your".split()
)
# Frequent function words of French, Spanish, Portuguese, Italian, German and Dutch that
# are not English words.
_OTHER = frozenset(
    "le la les des est et une du dans pour sur pas qui avec au aux ce cette sont ou "
    "el los las del y que por para con una es su se lo como pero sus "
    "não um uma os das dos em com mais foi ser "
    "il di che è della gli delle nel sono per non "
    "der die das und ist nicht mit den dem ein eine zu von sich auf für auch werden "
    "het een van en ook zijn voor niet met dat".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_WORDS = 60


def english_notice(texts: Iterable[str]) -> str | None:
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    letters = "".join(words)
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F) / len(letters)
    english = sum(1 for w in words if w in _ENGLISH)
    other = sum(1 for w in words if w in _OTHER)
    if non_latin > 0.5:
        reason = f"{non_latin:.0%} of letters are not Latin script"
    elif other > english and other / len(words) > 0.05:
        reason = "function words of another language outnumber English ones"
    else:
        return None
    return (f"text is mostly not English ({reason}): the built-in rules are English, "
            "so findings may be missed")
