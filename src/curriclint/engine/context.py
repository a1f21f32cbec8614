"""Decide how a match is framed: asserted, negated, historical, hypothetical, quoted or
criticised, in the manner of ConText (Harkema et al. 2009).

Cue phrases come from the shared terms pack. A ``before`` cue governs what follows it
and an ``after`` cue what precedes it, each within a window of tokens that a terminator
("but", "however", ";") cuts short; a ``sentence`` cue frames its whole sentence; a
``previous`` cue frames the next sentence too ("Outdated text, shown for critique:"), but
not the next of two sibling bullets, and also applies from a slide title or table header. The first context found in the order
below wins: critique outranks negation, which outranks the rest.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from curriclint.engine.matchers import CompiledPacks, sibling_items
from curriclint.engine.nlp import text_of
from curriclint.rules.spec import ContextCues

PRECEDENCE = ("criticised", "negated", "historical", "quoted", "hypothetical")


class ContextClassifier:
    def __init__(self, compiled: CompiledPacks, cues: dict[str, ContextCues], terminators,
                 concessives=None):
        self.compiled = compiled
        self.cues = [cues[name] for name in PRECEDENCE if name in cues]
        self.terminators = terminators
        self.concessives = concessives

    def classify(self, doc: Doc, hits, start: int, end: int, frame: Doc | None, frame_hits,
                 anchor: tuple[int, int] | None = None) -> str:
        """Context of the token span [start, end) of ``doc``.

        A proximity match spans two terms, sometimes a whole vignette apart. Cues count
        around its anchor (the first term) and before or after the whole match, but not
        strictly inside it: "no fever" between the race and the keyed diagnosis does not
        negate either.
        """
        a_start, a_end = anchor or (start, end)
        sent = doc[a_start].sent
        previous = doc[sent.start - 1].sent if sent.start > 0 else None
        stops = self._spans(doc, hits, self.terminators)
        clause_end = self._concessive_clause_end(doc, hits, a_start)
        for cues in self.cues:
            if self._applies(cues, doc, hits, sent, previous, a_start, a_end, stops, frame, frame_hits,
                             clause_end):
                return cues.name
            if anchor is not None and self._outside(cues, doc, hits, start, end, stops, clause_end):
                return cues.name
        return "asserted"

    def _concessive_clause_end(self, doc: Doc, hits, start: int) -> int | None:
        """Where a concessive clause holding token ``start`` ends (its comma): in "Although
        Black patients do have more muscle mass, the race term was removed" the claim is
        conceded, and the critique after the comma is about something else. None when the
        token is not in such a clause."""
        sent = doc[start].sent
        openers = [s for s, e in self._spans(doc, hits, self.concessives)
                   if sent.start <= s and e <= start]
        if not openers or any(doc[i].text in (",", ";") for i in range(max(openers), start)):
            return None
        return next((i for i in range(start, sent.end) if doc[i].text in (",", ";")), None)

    def _outside(self, cues, doc, hits, start: int, end: int, stops, clause_end) -> bool:
        """A before-cue just before the whole match, or an after-cue just after it."""
        for cue in self._spans(doc, hits, cues.before):
            if cue[1] <= start and start - cue[1] <= cues.window and \
                    doc[cue[0]].sent.start == doc[start].sent.start and not _blocked(stops, cue[1], start):
                return True
        last = doc[end - 1].sent
        for cue in self._spans(doc, hits, cues.after):
            if cue[0] >= end and cue[0] - end <= cues.window and \
                    doc[cue[0]].sent.start == last.start and not _blocked(stops, end, cue[0]) \
                    and (clause_end is None or cue[0] < clause_end):
                return True
        return False

    def _spans(self, doc, hits, terms):
        return self.compiled.terms_in(doc, hits, terms) if terms is not None else []

    def _applies(self, cues, doc, hits, sent, previous, start, end, stops, frame, frame_hits,
                 clause_end) -> bool:
        def inside(span, s) -> bool:
            return s.start <= span[0] and span[1] <= s.end

        for cue in self._spans(doc, hits, cues.before):
            if inside(cue, sent) and cue[0] < end and cue[1] <= end and start - cue[1] <= cues.window \
                    and not _blocked(stops, cue[1], start):
                return True
        for cue in self._spans(doc, hits, cues.after):
            if inside(cue, sent) and cue[0] >= start and cue[0] - end <= cues.window \
                    and not _blocked(stops, end, cue[0]) and (clause_end is None or cue[0] < clause_end):
                return True
        if any(inside(cue, sent) for cue in self._spans(doc, hits, cues.sentence)):
            return True
        if cues.previous is not None:
            framing = self._spans(doc, hits, cues.previous)
            if previous is not None and any(inside(cue, previous) for cue in framing) \
                    and not sibling_items(doc._.raw_text or doc.text, previous.start_char, sent.start_char):
                return True
            if any(inside(cue, sent) and cue[1] <= start for cue in framing):
                return True
            if frame is not None and self.compiled.terms_in(frame, frame_hits, cues.previous):
                return True
        if cues.quotes and _in_quotes(doc, sent, start, end):
            return True
        return False


def _blocked(stops, left: int, right: int) -> bool:
    """A terminator lies between token positions left and right."""
    return any(left <= s[0] and s[1] <= right for s in stops)


# A single-quoted stretch: the opening quote does not follow a letter (so "patients' notes"
# and "don't" are not quotations), the closing one is not followed by one.
_SINGLE_QUOTED = re.compile(r"(?<![\w])'(?=\S)([^'\n]+?)(?<=\S)'(?![\w])")


def _in_quotes(doc: Doc, sent, start: int, end: int) -> bool:
    text = text_of(doc)
    first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    before = text[sent.start_char: first]
    after = text[last: sent.end_char]
    # The sentence splitter starts a new sentence after "." even when a closing quote follows
    # ('… more fertile." Both are false.'): that quote still closes this sentence's quotation.
    after += text[sent.end_char: sent.end_char + 2].lstrip()[:1]
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    return any(m.start() <= first - sent.start_char and last - sent.start_char <= m.end()
               for m in _SINGLE_QUOTED.finditer(text[sent.start_char: sent.end_char + 1]))
