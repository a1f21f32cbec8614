"""Text normalisation shared by the trigger scan, the matchers and the pack compiler.

Two promises: ``clean`` never changes the length of a text (so spans found in the cleaned
text are spans in the original), and ``fold`` maps a word and its plural or possessive to
the same key, which is what makes phrase matching tolerant of "race"/"races" and
"Black"/"Blacks".
"""
from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)

# Same-length replacements: whitespace of every kind becomes a space, typographic dashes
# and quotes become ASCII, so "X‑ray" (with a non-breaking hyphen) matches "X-ray".
_SAME_LENGTH = str.maketrans({
    "\n": " ", "\r": " ", "\t": " ", "\x0b": " ", "\x0c": " ", "\u00a0": " ", "\u2028": " ",
    "\u2029": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
})


# Words too common to be a useful trigger: a phrase is gated on its longest word that is
# not one of these ("immigrated from" on "immigrated", not "from").
COMMON_WORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being
below between both but by can could did do does down during each few for from further had has
have having he her here him his how i if in into is it its just may me might more most must my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your
people person patient patients man men woman women child children adult adults group groups
model score version reference value values level levels rate rates risk factor factors use used
using test tests result results normal high low higher lower increase increased decrease type
based specific general common less new old first second one two three year years day days time
number percent per case cases study studies data report reported shown show shows known left
right part form forms include includes including given give care health medical clinical
""".split())


def clean(text: str) -> str:
    """Return text of the same length with whitespace, dashes and quotes normalised."""
    return text.translate(_SAME_LENGTH)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower-case a word and strip a possessive or plural ending ("Blacks'" -> "black").
    Cached: the gate and the tokenizer fold the same few thousand words over and over."""
    word = word.lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    elif word.endswith(("s'", "s’")):
        word = word[:-1]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def hyphen_variants(phrase: str) -> list[str]:
    """A phrase as authors write it with spaces, hyphens or nothing between its parts.

    "non-smoker" also matches "non smoker" and "nonsmoker"; "well known" also matches
    "well-known". Phrases of more than four words are kept as written.
    """
    phrase = " ".join(phrase.split())
    parts = re.split(r"[ -]", phrase)
    if len(parts) == 1 or len(parts) > 4:
        return [phrase]
    variants = {phrase, " ".join(parts), "-".join(parts)}
    if len(parts) == 2 and len(parts[0]) <= 4:  # prefixes: non-black -> nonblack
        variants.add("".join(parts))
    return sorted(variants)


_RECENT_TEXTS = 4096  # texts whose gate result is remembered: more than one file holds


class TriggerIndex:
    """The plain-Python gate. A trigger is the tuple of folded words a phrase is made of
    (all of them must occur: "kidney donor risk index" does not open the gate on "kidney"
    alone), or a literal tested as a substring (numbers such as 2.5)."""

    def __init__(self, triggers, substrings=()):
        self.by_word: dict[str, list[tuple[str, ...]]] = {}
        for trigger in set(triggers):
            key = max(trigger, key=lambda w: (w not in COMMON_WORDS, len(w)))
            self.by_word.setdefault(key, []).append(trigger)
        self.substrings = frozenset(substrings)
        self.keys = frozenset(self.by_word)
        self._recent: dict[str, frozenset] = {}
        self._precheck = _word_starts(self.keys, self.substrings)

    def found(self, text: str) -> frozenset:
        """The triggers present in a text (substring literals as themselves). The last
        texts asked about are remembered: the linter, the confirmer and the bank
        statistics each ask about the same segments."""
        hits = self._recent.get(text)
        if hits is None:
            if len(self._recent) >= _RECENT_TEXTS:
                self._recent.clear()
            hits = self._recent[text] = self._scan(text)
        return hits

    def _scan(self, text: str) -> frozenset:
        lowered = text.lower()
        if self._precheck is None or not self._precheck.search(lowered):
            return frozenset()
        hits: set = {s for s in self.substrings if s in lowered}
        words = set(WORD.findall(lowered))
        words |= {fold(w) for w in words if w[-1] == "s"}  # fold changes only words in -s
        for word in words & self.keys:
            for trigger in self.by_word[word]:
                if len(trigger) == 1 or words.issuperset(trigger):
                    hits.add(trigger)
        return frozenset(hits)


def _word_starts(keys, substrings):
    """One RE2 search that finds every text holding a trigger, and passes over most that
    hold none, at a quarter of the cost of splitting and folding their words: a key must
    not follow a letter (no word ``WORD`` splits out does), or a literal occur anywhere.
    A folded key is the start of the word it came from ("ancestr" of "ancestries"), so
    nothing is missed."""
    if not keys and not substrings:
        return None
    import re2

    stems = sorted({key[:-1] if key.endswith("y") and len(key) > 1 else key for key in keys},
                   key=len, reverse=True)
    branches = [rf"(?:^|[^\pL])(?:{'|'.join(re.escape(stem) for stem in stems)})"] if stems else []
    branches += [re.escape(literal) for literal in sorted(substrings)]
    options = re2.Options()
    options.never_capture = True
    return re2.compile("|".join(branches), options)
