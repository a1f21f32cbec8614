"""What every question-bank extractor shares: the ``Question`` record, the segments it
becomes, and one way of turning HTML (or XHTML elements) into plain text.

A question becomes segments of unit ``question`` with ``index`` = its 1-based position in
the file (or package), and parts:

- ``stem``: the question text;
- ``option``: one per option, ``option`` = ``"A"``, ``"B"``, … (in order when the bank has
  no letters of its own);
- ``answer``: the text of the correct option(s) joined with ``"; "`` and ``option`` = their
  letters joined with ``","``; or, for short-answer and numeric questions, the answer text.
  Only when the bank marks a correct answer;
- ``feedback``: each general, correct/incorrect, per-option feedback or explanation;
- ``comment``: comments written before the question (GIFT ``//`` lines), which may carry
  ``curriclint: ignore …`` suppressions.

Empty texts give no segment.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from curriclint.model import Segment


@dataclass
class Question:
    stem: str = ""
    qid: str | None = None
    title: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    answer_text: str | None = None
    feedback: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    member: str | None = None

    def add_options(self, texts: Iterable[str]) -> list[str]:
        """Append options lettered by order; return the letters given."""
        given = []
        for text in texts:
            letter = letter_for(len(self.options))
            self.options.append((letter, text))
            given.append(letter)
        return given


def letter_for(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def clean(text: str | None) -> str:
    """Collapse runs of spaces inside lines, drop blank lines, strip."""
    if not text:
        return ""
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def question_segments(shown: str, position: int, question: Question) -> Iterator[Segment]:
    def seg(part: str, text: str, option: str | None = None) -> Segment:
        return Segment(path=shown, unit="question", index=position, part=part, text=text,
                       question_id=question.qid or None, option=option,
                       question_title=clean(question.title) or None, member=question.member)

    for comment in question.comments:
        if clean(comment):
            yield seg("comment", clean(comment))
    if clean(question.stem):
        yield seg("stem", clean(question.stem))
    texts = {}
    for letter, text in question.options:
        texts[letter] = clean(text)
        if texts[letter]:
            yield seg("option", texts[letter], letter)
    correct = [letter for letter in dict.fromkeys(question.correct) if letter in texts]
    answer = "; ".join(texts[letter] for letter in correct if texts[letter])
    if answer:
        yield seg("answer", answer, ",".join(correct))
    elif not correct and clean(question.answer_text):
        yield seg("answer", clean(question.answer_text))
    for feedback in question.feedback:
        if clean(feedback):
            yield seg("feedback", clean(feedback))


def bank_segments(shown: str, questions: Iterable[Question]) -> Iterator[Segment]:
    """Segments of questions numbered 1, 2, … in the order given."""
    for position, question in enumerate(questions, start=1):
        yield from question_segments(shown, position, question)


# --- HTML and XHTML to text -------------------------------------------------------------

BLOCK_TAGS = frozenset(
    "p div li ul ol td th tr table h1 h2 h3 h4 h5 h6 blockquote pre dt dd dl caption "
    "figcaption figure section article header footer br hr title tbody thead address "
    # QTI 2 block-level elements
    "prompt modalfeedback feedbackblock rubricblock choiceinteraction orderinteraction "
    "matchinteraction associateinteraction gapmatchinteraction extendedtextinteraction "
    "hottextinteraction uploadinteraction sliderinteraction".split())
# QTI 2 places where the candidate fills in a blank: shown as "___" in the stem.
_BLANKS = frozenset({"gap", "textentryinteraction", "inlinechoiceinteraction"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_FILENAME = re.compile(r"^[\w.\- ]+\.(png|jpe?g|gif|svg|bmp|webp|tiff?)$", re.IGNORECASE)
_LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][\w:-]*[^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);")


def _alt_text(alt: str | None) -> str:
    alt = (alt or "").strip()
    return "" if not alt or _FILENAME.match(alt) else alt


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        if tag == "img" and not self._skipping:
            alt = _alt_text(dict(attrs).get("alt"))
            if alt:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIP_TAGS and self._skipping:
            self._skipping -= 1

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            if self._skipping:
                self._skipping -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def html_to_text(html: str | None) -> str:
    """Visible text of an HTML fragment: block elements on their own lines, entities decoded."""
    if not html:
        return ""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never lose the text over it
        return clean(re.sub(r"<[^>]*>", " ", html))
    return clean("".join(collector.parts))


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text or ""))


def maybe_html_to_text(text: str | None) -> str:
    """HTML to text when the text holds tags or entities, else the text itself."""
    if not text:
        return ""
    return html_to_text(text) if looks_like_html(text) else clean(text)


def local(tag) -> str:
    """An XML element's local name, lower case (namespaces and prefixes dropped)."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def element_text(element, skip: Callable[[object], bool] | frozenset | set = frozenset()) -> str:
    """Plain text of an XHTML-like element tree; elements whose local name is in ``skip``
    (or for which ``skip(element)`` is true) are left out, their tails kept."""
    parts: list[str] = []
    skipping = skip if callable(skip) else (lambda el: local(el.tag) in skip)

    def walk(el, top: bool) -> None:
        name = local(el.tag)
        if not top and (skipping(el) or name in SKIP_TAGS):
            return
        if name and name in BLOCK_TAGS:
            parts.append("\n")
        if name == "img":
            alt = _alt_text(el.get("alt"))
            if alt:
                parts.append(f" {alt} ")
        if name in _BLANKS:
            parts.append(" ___ ")
        if el.text and name:
            parts.append(_flat(el.text))
        for child in el:
            walk(child, False)
            if child.tail:
                parts.append(_flat(child.tail))
        if name and name in BLOCK_TAGS:
            parts.append("\n")

    walk(element, True)
    return clean("".join(parts))


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
