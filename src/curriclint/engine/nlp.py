"""spaCy pipelines: a blank English tokenizer for every triggered segment, and a trained
pipeline, when one is installed, only for the sentences whose rules need tags or a parse.

Importing this module imports spaCy (~0.8 s), so the linter imports it only after the
trigger scan found something.
"""
from __future__ import annotations

import bisect

import numpy
import spacy
from spacy.attrs import NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from curriclint.config import DEFAULT_PIPELINES
from curriclint.engine.normalize import fold

# Components no rule needs: dropping them makes the trained pipeline ~1.7x faster.
_EXCLUDED = ["ner"]
BULLETS = frozenset("•◦▪▫‣⁃●○■□–-*·")  # characters that start a bullet line
_ENDERS = frozenset(".!?")
_LINE_ENDERS = frozenset(".!?:;")

# key_start: where a question document's keyed answer begins (None for other texts).
for _name in ("raw_text", "clean_text", "key_start"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("curriclint_fold")
def fold_norms(doc: Doc) -> Doc:
    """Set NORM to the folded form (lower case, singular) that phrase lists match on."""
    for token in doc:
        token.norm_ = fold(token.lower_)
    return doc


@Language.component("curriclint_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after . ! ? and at line breaks that end a line or start a bullet.

    The linted text has its line breaks turned into spaces (so "risk\\nfactor" still
    matches); the original text, kept in ``doc._.raw_text``, tells where they were. The
    starts are set in one array write: per-token attribute writes cost more than the rest.
    """
    raw = doc._.raw_text or doc.text
    texts, places = [], []
    for token in doc:  # each Token object spaCy makes costs more than the test below
        texts.append(token.text)
        places.append(token.idx)
    starts = [-1] * len(texts)  # a list: writing numpy items one by one costs more
    if texts:
        starts[0] = 1
    for i, prev in enumerate(texts[:-1], 1):
        if prev[-1:] in _ENDERS and (len(prev) == 1 or (prev[-2:] != ".."
                                                        and not prev[:-1].replace(".", "").isalpha())):
            starts[i] = 1
    for i in _after_line_breaks(raw, texts, places):
        gap = raw[places[i - 1] + len(texts[i - 1]): places[i]]
        if starts[i] == -1 and ("\n\n" in gap.replace(" ", "") or texts[i - 1][-1:] in _LINE_ENDERS
                                or texts[i][:1] in BULLETS or _is_numbered(doc, texts, i)):
            starts[i] = 1
    column = numpy.array(starts, dtype="int64").reshape(-1, 1)
    doc.from_array([SENT_START], column.astype("uint64"))  # -1 wraps, as to_array gives it
    return doc


def _after_line_breaks(raw: str, texts: list[str], places: list[int]) -> list[int]:
    """The tokens with a line break in the space before them (not inside a token)."""
    found = []
    newline = raw.find("\n")
    while newline != -1:
        i = bisect.bisect_right(places, newline)
        if 0 < i < len(places) and newline >= places[i - 1] + len(texts[i - 1]) \
                and (not found or found[-1] != i):
            found.append(i)
        newline = raw.find("\n", newline + 1)
    return found


def _is_numbered(doc: Doc, texts: list[str], i: int) -> bool:
    return i + 1 < len(texts) and texts[i + 1] in (".", ")") and doc[i].like_num


def blank_pipeline() -> Language:
    """The tokenizer every triggered segment goes through. Its vocabulary folds each word
    once, when the word is first seen (a lexeme's NORM), instead of every token being
    folded again in every document; the tokenizer's special cases ("n't", "'s") keep only
    their text, so their norm is folded like any other word's."""
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters[NORM] = lambda text: fold(text.lower())
    for lexeme in nlp.vocab:
        lexeme.norm_ = fold(lexeme.lower_)
    nlp.tokenizer.rules = {text: [{ORTH: token[ORTH]} for token in tokens]
                           for text, tokens in nlp.tokenizer.rules.items()}
    nlp.add_pipe("curriclint_sentences")
    return nlp


def installed_pipeline(name: str | None) -> str | None:
    """The configured (or first installed default) trained pipeline's package name, found
    without loading it; None when none is installed. Nothing is ever downloaded."""
    if name and name.lower() == "none":
        return None
    for candidate in ([name] if name else list(DEFAULT_PIPELINES)):
        if spacy.util.is_package(candidate):
            return candidate
    return None


def trained_pipeline(name: str) -> tuple[Language, str]:
    """Load an installed trained pipeline without the components no rule needs."""
    nlp = spacy.load(name, exclude=_EXCLUDED)
    nlp.add_pipe("curriclint_fold", last=True)
    return nlp, f"{name} {nlp.meta.get('version', '')}".strip()


def text_of(doc: Doc) -> str:
    """The doc's text, kept from ``make_doc``: ``Doc.text`` joins every token anew on each
    call, and regex and coefficient items ask for it once per rule."""
    return doc._.clean_text if doc._.clean_text is not None else doc.text


def make_doc(nlp: Language, text: str, raw: str) -> Doc:
    """Run a pipeline over cleaned text, remembering the original for line breaks."""
    doc = nlp.make_doc(text)
    doc._.raw_text = raw
    doc._.clean_text = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
