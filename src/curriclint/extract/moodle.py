"""Moodle XML question banks (``<quiz><question type="…">``).

Each ``question`` except ``category`` entries is a question, numbered in file order;
id = ``idnumber`` when present, else the position; title = ``name/text``; stem =
``questiontext/text`` (HTML turned into text unless the format is ``plain_text`` or
``markdown``).

- ``answer`` elements become options (``fraction="100"`` marks the correct ones; with no
  full-credit answer, the positive fractions do), each ``answer/feedback`` a feedback; for
  short-answer, numerical and calculated questions the correct answers are the answer text.
- ``matching``: each ``subquestion`` is an option "premise → answer".
- drag-and-drop and select types: ``dragbox``/``selectoption`` texts are options.
- ``cloze`` (multianswer): the embedded ``{1:MULTICHOICE:…}`` answers become options (their
  ``=`` or ``%100%`` choices the answer) and are shown as ``___`` in the stem.
- Every other element with a ``text`` child whose name ends in ``feedback`` (general,
  correct, partially correct, incorrect, STACK's true/false feedback, …), plus ``hint``,
  ``graderinfo`` and STACK's ``prtcorrect``… messages, is feedback. Plugin types not
  listed above (stack, gapfill…) give at least their stem and feedback; gapfill answers
  are options like multichoice.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from curriclint.extract import ExtractError
from curriclint.extract.bank import Question, clean, html_to_text, local, question_segments
from curriclint.extract.safety import parse_xml
from curriclint.model import Notice, Segment

_TEXT_ANSWER_TYPES = {"shortanswer", "numerical", "calculated", "calculatedsimple",
                      "regexp", "shortanswerwiris"}
_FEEDBACK_EXTRA = {"hint", "graderinfo", "prtcorrect", "prtpartiallycorrect", "prtincorrect"}
# Elements whose <text> is not human-readable prose (code, settings).
_NOT_FEEDBACK = {"feedbackvariables", "feedbackstyle"}
_CLOZE = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}")


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    root = parse_xml(path.read_bytes())
    if local(root.tag) != "quiz":
        raise ExtractError(f"not a Moodle XML file: root element <{local(root.tag)}> "
                           "(expected <quiz>)")
    position = 0
    for element in root:
        if local(element.tag) != "question":
            continue
        qtype = (element.get("type") or "").lower()
        if qtype == "category":
            continue
        position += 1
        yield from question_segments(shown, position, _question(element, qtype, position))
    if position == 0:
        yield Notice("no questions in this Moodle XML file (only categories, or empty)")


def _child(el, name: str):
    return next((c for c in el if local(c.tag) == name), None)


def _text_of(el, fmt: str | None = None) -> str:
    """Text of a Moodle text holder (an element with a ``<text>`` child and a format)."""
    if el is None:
        return ""
    holder = _child(el, "text")
    raw = (holder.text if holder is not None else el.text) or ""
    fmt = (fmt or el.get("format") or "html").lower()
    if fmt in ("plain_text", "markdown"):
        return clean(raw)
    return html_to_text(raw)


def _question(element, qtype: str, position: int) -> Question:
    id_el = _child(element, "idnumber")
    idnumber = clean(id_el.text) if id_el is not None else ""
    question = Question(qid=idnumber or str(position),
                        title=_text_of(_child(element, "name"), "plain_text"))
    text_el = _child(element, "questiontext")
    fmt = (text_el.get("format") if text_el is not None else None) or "html"
    raw = ""
    if text_el is not None:
        holder = _child(text_el, "text")
        raw = (holder.text if holder is not None else text_el.text) or ""
    if qtype in ("cloze", "multianswer"):
        raw = _cloze(raw, question)
    question.stem = clean(raw) if fmt.lower() in ("plain_text", "markdown") else html_to_text(raw)

    answers = [a for a in element if local(a.tag) == "answer"]
    if answers and qtype in _TEXT_ANSWER_TYPES:
        correct = [a for a in answers if _fraction(a) >= 100] or \
                  [a for a in answers if _fraction(a) > 0]
        question.answer_text = "; ".join(t for t in (_text_of(a, a.get("format") or "plain_text")
                                                     for a in correct) if t)
    elif answers and qtype not in ("cloze", "multianswer"):
        full = any(_fraction(a) >= 100 for a in answers)
        for answer in answers:
            text = _text_of(answer, answer.get("format") or "moodle_auto_format")
            letter = question.add_options([text])[0]
            if (_fraction(answer) >= 100) if full else (_fraction(answer) > 0):
                question.correct.append(letter)
    for answer in answers:
        question.feedback.append(_text_of(_child(answer, "feedback")))

    for sub in element:
        name = local(sub.tag)
        if name == "subquestion":
            premise = _text_of(sub)
            match = _text_of(_child(sub, "answer"), "plain_text")
            text = f"{premise} → {match}" if premise and match else premise or match
            if text:
                question.add_options([text])
        elif name in ("dragbox", "selectoption", "drag"):
            text = _text_of(sub, "plain_text") or _text_of(_child(sub, "text"), "plain_text")
            if text:
                question.add_options([text])

    done = {id(_child(answer, "feedback")) for answer in answers}  # read above
    for el in element.iter():
        name = local(el.tag)
        if el is element or name in _NOT_FEEDBACK or id(el) in done:
            continue
        is_feedback = name.endswith("feedback") or name in _FEEDBACK_EXTRA
        if is_feedback and _child(el, "text") is not None:
            question.feedback.append(_text_of(el))
    return question


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction") or 0)
    except ValueError:
        return 0.0


def _cloze(raw: str, question: Question) -> str:
    """Turn embedded cloze answers into options and feedback; leave ``___`` in the text."""

    def replace(match: re.Match) -> str:
        kind = match.group(2).upper()
        body = match.group(3)
        parts = re.split(r"(?<!\\)~", body)
        for part in parts:
            part = part.strip()
            if not part:
                continue
            answer, _, feedback = part.partition("#")
            right = answer.startswith("=")
            weight = re.match(r"=?%(-?\d+(?:\.\d+)?)%", answer)
            answer = re.sub(r"^=?(%-?\d+(?:\.\d+)?%)?", "", answer)
            answer = answer.replace("\\", "")
            if weight:
                right = float(weight.group(1)) >= 100
            if feedback.strip():
                question.feedback.append(html_to_text(feedback.replace("\\", "")))
            if kind.startswith(("MULTICHOICE", "MC", "MULTIRESPONSE", "MR")):
                letter = question.add_options([html_to_text(answer)])[0]
                if right:
                    question.correct.append(letter)
            elif right and answer.strip():
                found = html_to_text(answer)
                question.answer_text = f"{question.answer_text}; {found}" \
                    if question.answer_text else found
        return " ___ "

    return _CLOZE.sub(replace, raw)
