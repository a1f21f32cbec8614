"""Compile the match kinds of every rule once, and run them over a document.

One PhraseMatcher holds every phrase list (rule terms, word-sense exclusions, context
cues), matched on the folded NORM so case, plurals and hyphenation do not matter. Token
patterns go to a Matcher; coefficients and regexes run over the text. Each kind returns
character spans; proximity and sense exclusion are resolved here too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from curriclint.engine.nlp import BULLETS, fold_norms, text_of
from curriclint.engine.normalize import fold, hyphen_variants
from curriclint.rules.spec import MatchSpec, RuleSet, Terms

_GENERATION = "#generation"  # in a ``hits`` dict: the phrase lists it was matched against
_SENSE_WINDOW = 8  # tokens either side of a hit in which its other senses are looked for
_MODEL_KEYS = {"POS", "TAG", "DEP", "MORPH", "LEMMA", "SENT_START", "IS_SENT_START", "ENT_TYPE"}
# How a coefficient is written as a multiplier: "× 1.25", "x1.25", "* 1.25", "times 1.25",
# "multiply by 1.25", or followed by a condition ("1.25 if <group>", in a flattened table
# "1.25 | if <group>").
_OPERATOR = r"(?:[×xX*✕·]\s*|\btimes\s+|\bby\s+|=\s*)"
_CONDITION = r"(?=\s*[|(\[]?\s*(?:if|for|when|in)\b)"


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the document text
    end: int
    # Where the match is anchored (a proximity item's `terms` occurrence); its context is
    # judged there, so a cue between the two terms of a long match does not decide it.
    anchor: tuple[int, int] | None = None


class CompiledPacks:
    """The matchers for a RuleSet, bound to one spaCy vocabulary.

    A match item is compiled the first time a rule consults it (a deck that triggers five
    rules does not pay for tokenizing six thousand phrases); ``compile_all`` compiles
    everything at once, before worker processes fork or threads share the engine. A phrase
    list added after a doc's ``term_hits`` is caught up on that doc when first asked for.
    """

    def __init__(self, ruleset: RuleSet, nlp, *, reduced: bool):
        self.ruleset = ruleset
        self.nlp = nlp
        self.reduced = reduced  # strip model-only attributes from token patterns
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._matchers: dict[str, Matcher] = {}
        self._term_keys: dict[tuple, str] = {}
        self._key_of: dict[int, str] = {}
        self._kept: list[Terms] = []
        self._specs: set[int] = set()
        self._pattern_keys: dict[int, str] = {}
        # By list key: a Matcher of all the list's sense-exclusion patterns, and its name
        # (lists that exclude the same patterns share one, and its matches in a document).
        self._senses: dict[str, tuple[str, Matcher]] = {}
        self._sense_sets: dict[tuple[int, ...], tuple[str, Matcher]] = {}
        self._coefficients: dict[int, tuple[tuple[str, ...], re.Pattern]] = {}  # digits, pattern
        self._regexes: dict[int, object] = {}
        self._pending: dict[str, list[str]] = {}
        self._phrase_docs: dict[str, Doc] = {}  # many phrases recur in several lists
        self._generation = 0  # bumped whenever phrase lists are added
        self._compiled = False
        for cues in ruleset.contexts.values():
            for terms in (cues.before, cues.after, cues.sentence, cues.previous):
                if terms is not None:
                    self.term_key(terms)
        for terms in (ruleset.terminators, ruleset.concessives):
            if terms is not None:
                self.term_key(terms)
        self._flush()
        self._compiled = True

    def compile_all(self) -> None:
        for rule in self.ruleset.rules:
            self.compile_rule(rule)
        for terms in self.ruleset.terms.values():
            self.term_key(terms)

    def compile_rule(self, rule) -> None:
        for spec in rule.match:
            self._add_spec(spec)
        for terms in (rule.unless_terms, rule.unless_segment, rule.unless_stem):
            if terms is not None:
                self.term_key(terms)

    def _flush(self) -> None:
        if not self._pending:
            return
        for key, texts in self._pending.items():
            self.phrases.add(key, [self._phrase_doc(text) for text in texts])
        self._pending.clear()
        self._generation += 1

    def _phrase_doc(self, text: str) -> Doc:
        doc = self._phrase_docs.get(text)
        if doc is None:
            # Tokenizer and folding only: pattern docs never need a trained pipeline.
            doc = self._phrase_docs[text] = fold_norms(self.nlp.make_doc(text))
        return doc

    # compilation --------------------------------------------------------------------------
    def term_key(self, terms: Terms) -> str:
        key = self._key_of.get(id(terms))  # hashing the word tuple costs more than matching
        if key is not None:
            return key
        ident = (terms.words, tuple(id(spec) for spec in terms.exclude))
        key = self._term_keys.get(ident)
        if key is None:
            key = f"T{len(self._term_keys)}"
            self._term_keys[ident] = key
            variants = sorted({v for w in terms.words for v in hyphen_variants(w)})
            self._pending[key] = variants
            senses = tuple(spec for spec in terms.exclude if spec.kind == "pattern")
            if senses:  # one Matcher for them all: a list may exclude fifty other senses
                self._senses[key] = self._sense_matcher(senses)
            for spec in terms.exclude:
                if spec.kind != "pattern":
                    self._add_spec(spec)
            if self._compiled:  # a list first seen after compilation: add it now
                self._flush()
        self._key_of[id(terms)] = key
        self._kept.append(terms)  # keeps id(terms) from being reused by another list
        return key

    def _sense_matcher(self, senses: tuple[MatchSpec, ...]) -> tuple[str, Matcher]:
        ident = tuple(id(spec) for spec in senses)
        found = self._sense_sets.get(ident)
        if found is None:
            name = f"S{len(self._sense_sets)}"
            matcher = Matcher(self.nlp.vocab)
            matcher.add(name, [self._pattern_for_vocab(spec.pattern) for spec in senses])
            found = self._sense_sets[ident] = (name, matcher)
        return found

    def _add_spec(self, spec: MatchSpec) -> None:
        if id(spec) in self._specs:
            return
        self._specs.add(id(spec))
        if spec.terms is not None:
            self.term_key(spec.terms)
        if spec.to is not None:
            self.term_key(spec.to)
        if spec.kind == "pattern" and id(spec) not in self._pattern_keys:
            key = f"P{len(self._pattern_keys)}"
            self._pattern_keys[id(spec)] = key
            self._matchers[key] = Matcher(self.nlp.vocab)
            self._matchers[key].add(key, [self._pattern_for_vocab(spec.pattern)])
        elif spec.kind == "coefficient" and id(spec) not in self._coefficients:
            digits = tuple(v.lstrip("0") or v for v in spec.values)  # as every match writes them
            values = "|".join(re.escape(v).replace(r"\.", r"\.") for v in digits)
            number = rf"(?<![\d.])0?(?:{values})0*(?![\d])"
            self._coefficients[id(spec)] = (digits, re.compile(
                rf"{_OPERATOR}({number})|({number}){_CONDITION}", re.IGNORECASE))
        elif spec.kind == "regex" and id(spec) not in self._regexes:
            import re2

            options = re2.Options()
            options.case_sensitive = False
            options.log_errors = False
            self._regexes[id(spec)] = re2.compile(spec.regex, options)

    def _pattern_for_vocab(self, pattern) -> list[dict]:
        out = []
        for token in pattern:
            new = {}
            for attr, value in token.items():
                if self.reduced and attr in _MODEL_KEYS:
                    continue
                if attr == "NORM":
                    value = _fold_value(value)
                elif attr == "LOWER":
                    value = _lower_value(value)
                new[attr] = value
            out.append(new)  # a token left empty in reduced mode matches any token
        return out

    # matching -----------------------------------------------------------------------------
    def term_hits(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Token spans of every phrase list in a doc, in one PhraseMatcher pass (before
        sense exclusion). Token patterns are added to the same dict when first consulted."""
        hits: dict = {_GENERATION: self._generation}
        strings = doc.vocab.strings
        for match_id, start, end in self.phrases(doc):
            hits.setdefault(strings[match_id], []).append((start, end))
        return hits

    def _catch_up(self, doc: Doc, hits) -> None:
        """Add the hits of phrase lists compiled since ``hits`` was made."""
        known = set(hits)
        strings = doc.vocab.strings
        for match_id, start, end in self.phrases(doc):
            key = strings[match_id]
            if key not in known:
                hits.setdefault(key, []).append((start, end))
        hits[_GENERATION] = self._generation

    def terms_in(self, doc: Doc, hits, terms: Terms) -> list[tuple[int, int]]:
        """Occurrences of a phrase list, minus those that are another sense of the words."""
        key = self.term_key(terms)
        if hits.get(_GENERATION) != self._generation:
            self._catch_up(doc, hits)
        found = hits.get(key, [])
        if not found or not terms.exclude:
            return sorted(found)
        kept = hits.get(key + "!")  # the same list is consulted by many rules: exclude once
        if kept is None:
            blocked = [s for spec in terms.exclude if spec.kind != "pattern"
                       for s in self.spec_token_spans(doc, hits, spec)]
            if key in self._senses:
                blocked += self._senses_near(doc, hits, *self._senses[key], found)
            kept = hits[key + "!"] = sorted(h for h in found
                                             if not any(h[0] < b[1] and b[0] < h[1] for b in blocked))
        return list(kept)

    @staticmethod
    def _senses_near(doc: Doc, hits, name: str, senses: Matcher, found) -> list[tuple[int, int]]:
        """A list's sense-exclusion patterns, matched within a few tokens of its hits only:
        another sense of a word lies next to it, and a long page need not be walked for it.
        Each stretch is matched once per document, however many lists look there."""
        windows: list[list[int]] = []
        for start, end in sorted(found):
            low, high = max(0, start - _SENSE_WINDOW), min(len(doc), end + _SENSE_WINDOW)
            if windows and low <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], high)
            else:
                windows.append([low, high])
        blocked = []
        for low, high in windows:
            matched = hits.get((name, low, high))
            if matched is None:
                matched = hits[(name, low, high)] = [(low + s, low + e) for _, s, e in senses(doc[low:high])]
            blocked += matched
        return blocked

    def spec_token_spans(self, doc: Doc, hits, spec: MatchSpec) -> list[tuple[int, int]]:
        """Token spans for phrases and patterns (used for exclusions)."""
        if spec.kind == "phrases":
            return self.terms_in(doc, hits, spec.terms)
        if spec.kind == "pattern":
            self._add_spec(spec)
            # spaCy's Matcher is the costly stage, so each pattern runs only when a rule
            # consults it, once per document (the result is kept in ``hits``).
            key = self._pattern_keys[id(spec)]
            if key not in hits:
                hits[key] = [(start, end) for _, start, end in self._matchers[key](doc)]
            return hits[key]
        spans = self.spans(doc, hits, spec, frame=None)
        return [(_tok_at(doc, s.start), _tok_at(doc, s.end - 1) + 1) for s in spans]

    def spans(self, doc: Doc, hits, spec: MatchSpec, frame=None, frame_hits=None) -> list[Span]:
        """Character spans where one match item matches.

        ``frame`` is a doc of the segment's context (table row and headers, slide title):
        proximity and coefficient items accept their other term there too.
        """
        self._add_spec(spec)
        if spec.kind == "phrases":
            return [_char_span(doc, s, e) for s, e in self.terms_in(doc, hits, spec.terms)]
        if spec.kind == "pattern":
            return [_char_span(doc, s, e) for s, e in self.spec_token_spans(doc, hits, spec)]
        if spec.kind == "near":
            return self._near(doc, hits, spec, frame, frame_hits)
        if spec.kind == "coefficient":
            return self._coefficient(doc, hits, spec, frame, frame_hits)
        regex = self._regexes[id(spec)]
        return [Span(m.start(), m.end()) for m in regex.finditer(text_of(doc)) if m.end() > m.start()]

    def _near(self, doc, hits, spec, frame, frame_hits) -> list[Span]:
        anchors = self.terms_in(doc, hits, spec.terms)
        if not anchors:
            return []
        others = self.terms_in(doc, hits, spec.to)
        if spec.same == "heading":
            return self._under_heading(doc, anchors, others)
        in_frame = frame is not None and bool(self.terms_in(frame, frame_hits, spec.to))
        # In a question document the keyed answer is linked to the stem however long the
        # stem is: a term there counts as next to an anchor in the stem.
        key_start = doc._.key_start if spec.same == "segment" else None
        spans = []
        for start, end in anchors:
            sent = doc[start].sent
            best = None
            for o_start, o_end in others:
                if (spec.same == "sentence" and doc[o_start].sent.start != sent.start) \
                        or (o_start < end and start < o_end):
                    continue
                gap = o_start - end if o_start >= end else start - o_end
                if key_start is not None and doc[o_start].idx >= key_start > doc[start].idx:
                    gap = 0
                if gap <= spec.within and (best is None or gap < best[0]):
                    best = (gap, min(start, o_start), max(end, o_end))
            if best is not None:
                whole, anchor = _char_span(doc, best[1], best[2]), _char_span(doc, start, end)
                spans.append(Span(whole.start, whole.end, (anchor.start, anchor.end)))
            elif in_frame:
                spans.append(_char_span(doc, start, end))
        return spans

    def _under_heading(self, doc, anchors, others) -> list[Span]:
        """Anchors in a list item whose heading holds one of the other terms: "Risk
        factors:" over a bullet "Black race", or "Risk factors: age, smoking, ... race"."""
        if not others:
            return []
        raw = doc._.raw_text or doc.text
        places = [doc[start].idx for start, _ in others]
        spans = []
        for start, end in anchors:
            heading = heading_of(raw, doc[start].idx)
            if heading is not None and any(heading[0] <= p < heading[1] for p in places):
                spans.append(_char_span(doc, start, end))
        return spans

    def _coefficient(self, doc, hits, spec, frame, frame_hits) -> list[Span]:
        digits, pattern = self._coefficients[id(spec)]
        text = text_of(doc)
        if not any(value in text for value in digits):  # far cheaper than the pattern
            return []
        others = self.terms_in(doc, hits, spec.to)
        in_frame = frame is not None and bool(self.terms_in(frame, frame_hits, spec.to))
        if not others and not in_frame:  # a coefficient counts only beside its group
            return []
        spans = []
        for m in pattern.finditer(text):
            start_char, end_char = m.span()
            token = _tok_at(doc, start_char)
            sent = doc[token].sent
            near = any(doc[s].sent.start == sent.start and
                       min(abs(s - token), abs(e - 1 - token)) <= spec.within for s, e in others)
            if near or in_frame:
                spans.append(Span(start_char, end_char))
        return spans


_BULLET = re.compile(rf"^\s*(?:[{re.escape(''.join(sorted(BULLETS)))}>]|\(?\d{{1,2}}[.)]|\(?[a-z][.)])\s+|^\s+\S")
_LIST_ITEM_WORDS = 12  # a line this short without a full stop reads as a list item


def heading_of(raw: str, char: int) -> tuple[int, int] | None:
    """Character range of the heading that frames the list item holding ``char``.

    A heading is the text before a colon on the item's own line ("Risk factors: age,
    smoking, race"), or the nearest line above that ends with a colon, or the line that
    opens a run of bullets or of short list-like lines (a slide body's first paragraph).
    Prose lines have no heading.
    """
    line_start = raw.rfind("\n", 0, char) + 1
    colon = raw.rfind(":", line_start, char)
    if colon != -1:
        return line_start, colon
    line_end = raw.find("\n", char)
    line = raw[line_start: len(raw) if line_end == -1 else line_end]
    if not _is_list_item(line):
        return None
    pos = line_start - 1
    while pos > 0:
        prev_start = raw.rfind("\n", 0, pos) + 1
        prev = raw[prev_start:pos]
        if prev.strip():
            if prev.rstrip().endswith(":") or not _is_list_item(prev) or prev_start == 0:
                return (prev_start, pos) if len(prev.split()) <= _LIST_ITEM_WORDS * 2 else None
            if _BULLET.match(line) and not _BULLET.match(prev):
                return prev_start, pos
        pos = prev_start - 1
    return None


def sibling_items(raw: str, earlier: int, later: int) -> bool:
    """Two list items side by side: the characters ``earlier`` and ``later`` sit on
    different lines that are both list items, and the earlier line is not the heading
    of the later one. A framing cue in one bullet ("removed for equity reasons") does not
    frame the next bullet's claim."""
    earlier_start = raw.rfind("\n", 0, earlier) + 1
    later_start = raw.rfind("\n", 0, later) + 1
    if earlier_start == later_start:
        return False
    earlier_end = raw.find("\n", earlier)
    earlier_line = raw[earlier_start: len(raw) if earlier_end == -1 else earlier_end]
    later_end = raw.find("\n", later)
    later_line = raw[later_start: len(raw) if later_end == -1 else later_end]
    if not (_is_list_item(earlier_line) and _is_list_item(later_line)):
        return False
    if earlier_line.rstrip().endswith(":"):
        return False
    heading = heading_of(raw, later)
    return heading is None or heading[0] != earlier_start


def _is_list_item(line: str) -> bool:
    text = line.strip()
    if not text:
        return False
    if _BULLET.match(line):
        return True
    return len(text.split()) <= _LIST_ITEM_WORDS and not text.endswith((".", "?", "!"))


def _fold_value(value):
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, dict):
        return {op: [fold(v) for v in vals] if isinstance(vals, list) else vals
                for op, vals in value.items()}
    return value


def _lower_value(value):
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, dict):
        return {op: [v.lower() for v in vals] if isinstance(vals, list) else vals
                for op, vals in value.items()}
    return value


def _char_span(doc: Doc, start: int, end: int) -> Span:
    return Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _tok_at(doc: Doc, char: int) -> int:
    """Index of the token containing (or following) a character offset."""
    lo, hi = 0, len(doc) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if doc[mid].idx <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo
