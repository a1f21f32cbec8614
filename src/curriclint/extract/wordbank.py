"""Question banks written in Word: recognised from the body paragraphs' text.

Two layouts are recognised:

- **Numbered questions**: a question starts with ``1.``, ``1)``, ``Q1.``, ``Q1:`` or
  ``Question 1:``; its options are lines starting with ``A.``, ``a)``, ``(A)`` or ``A:``
  (letters A–J); ``Answer: B`` / ``Correct answer: B`` / ``Ans: B`` / ``Key: B`` marks the
  answer (or gives the answer text); ``Explanation:`` / ``Feedback:`` / ``Rationale:``
  start feedback, which continues over the following lines until the next marker. Lines
  after the question number and before the first option belong to the stem.
- **GIFT typed into Word** (``::title::`` and ``{=right ~wrong}`` answer blocks), read
  with the GIFT parser.

A document is a bank only with at least two questions having at least two options each
(or, for GIFT, two answer blocks), and when those are at least half of its numbered
items; otherwise ``bank_segments`` returns None and the document is read as prose. Text
before the first question stays as ``paragraph`` segments. Word's automatic list
numbering is not part of the paragraph text, so a bank numbered that way is not
recognised.
"""
from __future__ import annotations

import re

from curriclint.extract.bank import Question, clean, question_segments
from curriclint.model import Segment

_QUESTION = re.compile(r"^\s*(?:(?:Q|Question)\s*)?(\d{1,4})\s*[.):]\s*(\S.*)?$|"
                       r"^\s*Question\s+(\d{1,4})\s*$", re.IGNORECASE)
_OPTION = re.compile(r"^\s*(?:\(([A-Ja-j])\)|([A-Ja-j])\s*[.):])\s*(\S.*)$")
_ANSWER = re.compile(r"^\s*(?:correct\s+answer|answer\s+key|answer|ans|key)\s*[:.\-–]\s*(.*)$",
                     re.IGNORECASE)
_FEEDBACK = re.compile(r"^\s*(?:explanation|feedback|rationale)\s*[:.\-–]\s*(.*)$", re.IGNORECASE)
_KEY = re.compile(r"^\(?([A-Ja-j])\)?(?:[.):]|\s|$)(.*)$")


def bank_segments(paragraphs: list[str], shown: str) -> list[Segment] | None:
    """Segments of a Word question bank, or None when the text does not look like one."""
    lines = [(number, line) for number, text in enumerate(paragraphs, start=1)
             for line in (text or "").split("\n")]
    found = _numbered(lines)
    if found is None:
        found = _gift([line for _, line in lines])
    if found is None:
        return None
    preamble, questions = found
    by_paragraph: dict[int, list[str]] = {}
    for number, line in preamble:
        by_paragraph.setdefault(number, []).append(line)
    segments = [Segment(path=shown, unit="paragraph", index=number, part="body",
                        text=clean("\n".join(texts)))
                for number, texts in by_paragraph.items() if clean("\n".join(texts))]
    for position, question in enumerate(questions, start=1):
        segments.extend(question_segments(shown, position, question))
    return segments


def _numbered(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[Question]] | None:
    preamble: list[tuple[int, str]] = []
    questions: list[Question] = []
    stem: list[str] = []
    mode = "stem"  # where a plain line goes: stem, option, feedback
    current: Question | None = None

    def finish() -> None:
        if current is not None:
            current.stem = "\n".join(stem)

    for number, raw in lines:
        line = raw.strip()
        if not line:
            continue
        question = _QUESTION.match(line)
        option = _OPTION.match(line)
        # "A." after a question is an option; a number starts a question unless we are
        # reading a stem that has no options yet and the number is inside the text.
        if question and not option:
            finish()
            current = Question(qid=question.group(1) or question.group(3))
            questions.append(current)
            stem = [question.group(2)] if question.group(2) else []
            mode = "stem"
            continue
        if current is None:
            preamble.append((number, line))
            continue
        if option and mode in ("stem", "option"):
            letter = (option.group(1) or option.group(2)).upper()
            current.options.append((letter, option.group(3)))
            mode = "option"
            continue
        answer = _ANSWER.match(line)
        if answer:
            key = _KEY.match(answer.group(1).strip())
            letters = {letter for letter, _ in current.options}
            if key and key.group(1).upper() in letters:
                current.correct.append(key.group(1).upper())
            elif answer.group(1).strip():
                current.answer_text = answer.group(1).strip()
            mode = "answer"
            continue
        feedback = _FEEDBACK.match(line)
        if feedback:
            current.feedback.append(feedback.group(1))
            mode = "feedback"
            continue
        if mode == "stem":
            stem.append(line)
        elif mode == "option":
            letter, text = current.options[-1]
            current.options[-1] = (letter, f"{text}\n{line}")
        else:
            if current.feedback:
                current.feedback[-1] = f"{current.feedback[-1]}\n{line}"
            else:
                current.feedback.append(line)
            mode = "feedback"
    finish()
    with_options = [q for q in questions if len(q.options) >= 2]
    if len(with_options) < 2 or len(with_options) * 2 < len(questions):
        return None
    return preamble, questions


def _gift(lines: list[str]) -> tuple[list[tuple[int, str]], list[Question]] | None:
    from curriclint.extract import gift
    from curriclint.extract.sniff import _looks_like_gift

    text = "\n".join(line.rstrip() for line in lines)  # empty paragraphs: GIFT's blank lines
    if not _looks_like_gift(text):
        return None
    questions = gift.parse(text)
    answered = [q for q in questions if q.options or q.answer_text]
    if len(answered) < 2:
        return None
    return [], questions
