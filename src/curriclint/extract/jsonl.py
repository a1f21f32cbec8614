"""JSON Lines question banks (one question object per line, as in MedQA).

Keys (case-insensitive): ``question`` (or ``stem``/``prompt``) → stem; ``options`` (or
``choices``): an object letter → text, or a list (lettered A, B, … by order); MedMCQA's
``opa``…``opd`` also work; ``answer_idx`` / ``answer`` / ``cop`` → the correct answer (a
letter, a 0-based or, for ``cop``, 1-based number, or the option text; text matching no
option is kept as the answer text); ``explanation`` / ``feedback`` / ``rationale`` /
``exp`` → feedback; ``id`` / ``qid`` / ``question_id`` → id; ``title`` → title.

The question's index is its line number. A line that is not valid JSON stops the file with
an error naming the line; blank lines are passed over.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from curriclint.extract import ExtractError
from curriclint.extract.bank import Question, letter_for, maybe_html_to_text, question_segments
from curriclint.extract.text import read_text
from curriclint.model import Notice, Segment

_STEM = ("question", "stem", "prompt")
_OPTIONS = ("options", "choices")
_FEEDBACK = ("explanation", "feedback", "rationale", "exp")
_ID = ("id", "qid", "question_id")


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    found = skipped = 0
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ExtractError(f"line {number} is not valid JSON ({str(exc).split(':')[0]}): "
                               "fix or remove that line") from None
        if not isinstance(record, dict):
            skipped += 1
            continue
        question = record_question(record)
        if question is None:
            skipped += 1
            continue
        found += 1
        yield from question_segments(shown, number, question)
    if skipped:
        yield Notice(f"{skipped} line(s) hold no question object and were passed over")
    if not found:
        yield Notice("no questions found in this JSON Lines file")


def _get(record: dict, keys: tuple[str, ...]):
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return value
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v) for v in value)
    return maybe_html_to_text(str(value))


def record_question(record: dict) -> Question | None:
    stem = _get(record, _STEM)
    if stem is None:
        return None
    question = Question(stem=_text(stem))
    qid = _get(record, _ID)
    question.qid = str(qid) if qid is not None else None
    title = _get(record, ("title",))
    question.title = str(title) if title is not None else None

    options = _get(record, _OPTIONS)
    if options is None and _get(record, ("opa",)) is not None:
        options = [record.get(k) for k in ("opa", "opb", "opc", "opd", "ope") if k in record]
    if isinstance(options, dict):
        for key, value in options.items():
            letter = str(key).strip().upper()
            if not (letter.isalpha() and len(letter) <= 2):
                letter = letter_for(len(question.options))
            question.options.append((letter, _text(value)))
    elif isinstance(options, list):
        question.add_options(_text(v) for v in options)

    letters = [letter for letter, _ in question.options]
    cop = _get(record, ("cop",))
    answer = _get(record, ("answer_idx", "answer", "correct", "correct_answer", "key"))
    if isinstance(cop, int) and 1 <= cop <= len(letters) and answer is None:
        question.correct.append(letters[cop - 1])
    elif answer is not None:
        question.correct, question.answer_text = _resolve(answer, question.options)
    feedback = _get(record, _FEEDBACK)
    if feedback is not None:
        question.feedback.append(_text(feedback))
    return question


def _resolve(answer, options: list[tuple[str, str]]) -> tuple[list[str], str | None]:
    """Letters of the options an answer names, or the answer text when it names none."""
    letters = [letter for letter, _ in options]
    values = answer if isinstance(answer, list) else [answer]
    found: list[str] = []
    for value in values:
        if isinstance(value, bool):
            break
        if isinstance(value, int):
            if 0 <= value < len(letters):
                found.append(letters[value])
                continue
            break
        text = str(value).strip()
        if text.upper() in letters:
            found.append(text.upper())
            continue
        match = [letter for letter, option in options if option.strip().lower() == text.lower()]
        if match:
            found.append(match[0])
            continue
        break
    else:
        if found:
            return found, None
    return [], _text(answer)
