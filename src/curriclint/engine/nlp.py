"""spaCy pipelines: a blank English tokenizer for every triggered segment, and a trained
pipeline, when one is installed, only for the sentences whose rules need tags or a parse.

Importing this module imports spaCy (~0.8 s), so the linter imports it only after the
trigger scan found something.
"""
from __future__ import annotations

import spacy
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
    matches); the original text, kept in ``doc._.raw_text``, tells where they were.
    """
    raw = doc._.raw_text or doc.text
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        gap = raw[prev.idx + len(prev.text): token.idx]
        if prev.text in _ENDERS or (prev.text[-1:] in _ENDERS and len(prev.text) > 1 and prev.text[-2:] != ".."
                                    and not prev.text[:-1].replace(".", "").isalpha()):
            token.is_sent_start = True
        elif "\n" in gap and ("\n\n" in gap.replace(" ", "") or prev.text[-1:] in _LINE_ENDERS
                              or token.text[:1] in BULLETS or _is_numbered(doc, i)):
            token.is_sent_start = True
        else:
            token.is_sent_start = False
    return doc


def _is_numbered(doc: Doc, i: int) -> bool:
    return doc[i].like_num and i + 1 < len(doc) and doc[i + 1].text in (".", ")")


def blank_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("curriclint_sentences")
    nlp.add_pipe("curriclint_fold")
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
