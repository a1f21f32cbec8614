"""GIFT, Moodle's plain-text question format.

Questions are separated by blank lines (a block whose ``{`` is still open continues past
a blank line when the next block closes it). Lines starting with ``//`` are comments: those written before a question
(in its block, or in comment-only blocks just above it) become its ``comment`` segments,
so ``// curriclint: ignore …`` works, and ``// [id:…]`` gives the question id.
``$CATEGORY:`` lines are passed over.

A question: optional ``::title::``, optional format tag (``[html]``, ``[moodle]``,
``[plain]``, ``[markdown]``), the text, and an answer block ``{…}``; text after the block
belongs to the stem (the block shows as ``___``). In the block:

- ``=right``, ``~wrong``, ``~%50%partial`` → options A, B, … (the answer: the ``=`` ones,
  else the positively weighted ones); ``#feedback`` after an answer, ``####general
  feedback`` at the end → feedback;
- only ``=`` answers → short answer (the answer text); ``=a -> b`` → matching (options
  "a → b"); ``T``/``F``/``TRUE``/``FALSE`` → options True/False; ``#…`` → numerical
  (the answer text: ``1822:5``, ``1..5``); ``{}`` → essay (stem only).

Escapes ``\\: \\= \\~ \\# \\{ \\} \\\\ \\n`` are decoded. HTML (``[html]``, or tags in the
default format) is turned into text. A block that cannot be parsed still yields its text
as the stem.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from curriclint.extract.bank import (
    Question, clean, html_to_text, looks_like_html, question_segments,
)
from curriclint.extract.text import read_text
from curriclint.model import Notice, Segment

_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPABLE = set(":=~#{}\\")
_TF = re.compile(r"^(TRUE|FALSE|T|F)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_WEIGHT = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_ID = re.compile(r"\[id:([^\]]+)\]")


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    questions = parse(read_text(path))
    if not questions:
        yield Notice("no GIFT questions found in this file")
    for position, question in enumerate(questions, start=1):
        yield from question_segments(shown, position, question)


def parse(text: str) -> list[Question]:
    """Questions of a GIFT text, in order. Never raises on odd input."""
    questions: list[Question] = []
    pending: list[str] = []
    for block in _blocks(text.replace("\r\n", "\n").replace("\r", "\n")):
        comments = [line.lstrip()[2:].strip() for line in block if line.lstrip().startswith("//")]
        body = "\n".join(line for line in block
                         if not line.lstrip().startswith("//")
                         and not line.lstrip().startswith("$CATEGORY:")).strip()
        pending += comments
        if not body:
            continue
        try:
            question = _question(body)
        except Exception:  # noqa: BLE001 - a block we cannot parse still has text to lint
            question = Question(stem=_plain(body, None))
        question.comments = [c for c in pending if c]
        for comment in pending:
            found = _ID.search(comment)
            if found and not question.qid:
                question.qid = found.group(1).strip()
        pending = []
        questions.append(question)
    return questions


def _blocks(text: str) -> list[list[str]]:
    """Blocks of lines between blank lines. A block whose answer block is still open
    continues into the next one only when that one closes it (``}`` before any ``{``), so
    one unclosed brace cannot swallow the rest of the file."""
    blocks: list[list[str]] = []
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    merged: list[list[str]] = []
    for block in blocks:
        if merged and _brace_state(merged[-1]) == "{" and _first_brace(block) == "}":
            merged[-1] = merged[-1] + [""] + block
        else:
            merged.append(block)
    return merged


def _code_lines(block: list[str]) -> Iterator[str]:
    return (line for line in block if not line.lstrip().startswith("//"))


def _brace_state(block: list[str]) -> str:
    """The last unescaped brace of the block ('{' means an answer block left open)."""
    last = ""
    for line in _code_lines(block):
        for ch in _unescaped_chars(line):
            if ch in "{}":
                last = ch
    return last


def _first_brace(block: list[str]) -> str:
    for line in _code_lines(block):
        for ch in _unescaped_chars(line):
            if ch in "{}":
                return ch
    return ""


def _unescaped_chars(text: str) -> Iterator[str]:
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        yield ch


def _find(text: str, target: str, start: int = 0) -> int:
    """Index of the first unescaped ``target`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def _split(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: [(separator or '', piece), …]."""
    pieces: list[tuple[str, str]] = []
    sep, start, i = "", 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in separators:
            pieces.append((sep, text[start:i]))
            sep, start = text[i], i + 1
        i += 1
    pieces.append((sep, text[start:]))
    return pieces


def _cut(text: str, separator: str) -> tuple[str, str]:
    """Text before and after the first unescaped separator ('' after when there is none)."""
    at = _find(text, separator)
    return (text, "") if at < 0 else (text[:at], text[at + len(separator):])


def _unescape(text: str) -> str:
    def repl(match: re.Match) -> str:
        ch = match.group(1)
        if ch == "n":
            return "\n"
        return ch if ch in _ESCAPABLE else match.group(0)
    return _ESCAPE.sub(repl, text)


def _plain(raw: str, fmt: str | None) -> str:
    """Escaped GIFT text → plain text, HTML decoded when the format allows HTML."""
    local_fmt = _FORMAT.match(raw)
    if local_fmt:
        fmt = local_fmt.group(1).lower()
        raw = raw[local_fmt.end():]
    text = _unescape(raw)
    if fmt == "html" or (fmt in (None, "moodle") and looks_like_html(text)):
        return html_to_text(text.replace("\n", "<br>") if fmt != "html" else text)
    return clean(text)


def _question(body: str) -> Question:
    question = Question()
    rest = body
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end >= 0:
            question.title = clean(_unescape(rest[2:end]))
            rest = rest[end + 2:]
    fmt = None
    found = _FORMAT.match(rest)
    if found:
        fmt = found.group(1).lower()
        rest = rest[found.end():]
    open_at = _find(rest, "{")
    close_at = _find(rest, "}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 or close_at < 0:
        question.stem = _plain(rest, fmt)
        return question
    before, inside, after = rest[:open_at], rest[open_at + 1:close_at], rest[close_at + 1:]
    stem = before + (" ___ " + after if after.strip() else "")
    question.stem = _plain(stem, fmt)
    _answers(question, inside.strip(), fmt)
    return question


def _answers(question: Question, inside: str, fmt: str | None) -> None:
    if not inside:
        return  # essay
    inside, general = _cut(inside, "####")
    inside = inside.strip()
    try:
        _answer_block(question, inside, fmt)
    finally:
        if general.strip():
            question.feedback.append(_plain(general, fmt))


def _answer_block(question: Question, inside: str, fmt: str | None) -> None:
    if inside.startswith("#"):
        _numerical(question, inside[1:].strip(), fmt)
        return
    tf = _TF.match(inside)
    if tf:
        value = tf.group(1).upper().startswith("T")
        question.add_options(["True", "False"])
        question.correct.append("A" if value else "B")
        for _, feedback in _split(tf.group(2) or "", "#")[1:]:
            question.feedback.append(_plain(feedback, fmt))
        return
    answers = []  # (kind, weight, text, feedback)
    for kind, piece in _split(inside, "=~"):
        if not kind:
            continue  # text before the first answer marker
        weight = _WEIGHT.match(piece.strip())
        piece = piece.strip()[weight.end():] if weight else piece
        text, feedback = _cut(piece, "#")
        answers.append((kind, float(weight.group(1)) if weight else (100.0 if kind == "=" else 0.0),
                        text, feedback))
    for *_, feedback in answers:
        if feedback.strip():
            question.feedback.append(_plain(feedback, fmt))
    if any(kind == "=" and _find(text, "->") >= 0 for kind, _, text, _ in answers):
        for _, _, text, _ in answers:
            at = _find(text, "->")
            if at >= 0:
                question.add_options([f"{_plain(text[:at], fmt)} → {_plain(text[at + 2:], fmt)}"])
            else:
                question.add_options([_plain(text, fmt)])
        return
    best = max((w for _, w, _, _ in answers), default=0.0)
    chosen = [i for i, (_, w, _, _) in enumerate(answers)
              if (w >= 100 if best >= 100 else w > 0)]
    if answers and all(kind == "=" for kind, *_ in answers):
        question.answer_text = "; ".join(_plain(answers[i][2], fmt) for i in chosen)
        return
    for i, (_, _, text, _) in enumerate(answers):
        letter = question.add_options([_plain(text, fmt)])[0]
        if i in chosen:
            question.correct.append(letter)


def _numerical(question: Question, inside: str, fmt: str | None) -> None:
    pieces = _split(inside, "=~")
    if len(pieces) == 1:
        value, feedback = _cut(pieces[0][1], "#")
        question.answer_text = clean(_unescape(value))
        if feedback.strip():
            question.feedback.append(_plain(feedback, fmt))
        return
    values = []
    for kind, piece in pieces:
        if not kind:
            continue
        piece = piece.strip()
        weight = _WEIGHT.match(piece)
        score = float(weight.group(1)) if weight else (100.0 if kind == "=" else 0.0)
        piece = piece[weight.end():] if weight else piece
        value, feedback = _cut(piece, "#")
        values.append((score, clean(_unescape(value))))
        if feedback.strip():
            question.feedback.append(_plain(feedback, fmt))
    best = max((s for s, _ in values), default=0.0)
    if best > 0:
        question.answer_text = "; ".join(v for s, v in values if s == best and v)
