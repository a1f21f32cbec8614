"""Turn a short text (a rule example, a corpus item) into the segments an extractor would
produce for it, so examples and corpora are linted exactly as real files are.

Kinds: ``slide`` (first line is the title, the rest the body), ``notes`` (a slide's
speaker notes), ``paragraph`` (a prose paragraph), ``vignette`` (a question stem) and
``question`` (a stem, lettered options, then optional ``Answer:`` and ``Explanation:`` lines).
"""
from __future__ import annotations

import re

from curriclint.model import Segment

KINDS = ("slide", "notes", "paragraph", "vignette", "question")
_OPTION = re.compile(r"^\s*\(?([A-Ja-j])[).:]\s+(.+)$")
_ANSWER = re.compile(r"^\s*(?:correct answer|answer|ans|key)\s*[:.-]\s*\(?([A-Ja-j])\b\)?(.*)$", re.IGNORECASE)
_FEEDBACK = re.compile(r"^\s*(?:explanation|rationale|feedback|discussion)\s*[:.-]\s*(.*)$", re.IGNORECASE)


def segments_for_text(text: str, kind: str, path: str = "<example>") -> list[Segment]:
    if kind == "slide":
        title, _, body = text.strip().partition("\n")
        segments = [Segment(path, "slide", 1, "title", title.strip())]
        if body.strip():
            segments.append(Segment(path, "slide", 1, "body", body.strip(),
                                    context=f"Slide title: {title.strip()}"))
        return segments
    if kind == "notes":
        return [Segment(path, "slide", 1, "notes", text.strip())]
    if kind == "paragraph":
        return [Segment(path, "paragraph", 1, "body", text.strip())]
    if kind == "vignette":
        return [Segment(path, "question", 1, "stem", text.strip(), question_id="1")]
    if kind == "question":
        return question_segments(text, path)
    raise ValueError(f"unknown kind '{kind}' (expected one of {', '.join(KINDS)})")


def question_segments(text: str, path: str, index: int = 1) -> list[Segment]:
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    feedback: list[str] = []
    answer: str | None = None
    in_feedback = False
    for line in text.strip().splitlines():
        if in_feedback:
            feedback.append(line)
            continue
        if (m := _ANSWER.match(line)) and options:
            answer = m.group(1).upper()
            if m.group(2).strip():
                feedback.append(m.group(2).strip(" .:-"))
        elif m := _FEEDBACK.match(line):
            in_feedback = True
            feedback.append(m.group(1))
        elif (m := _OPTION.match(line)) and (options or stem):
            options.append((m.group(1).upper(), m.group(2).strip()))
        elif options:
            letter, previous = options[-1]
            options[-1] = (letter, f"{previous} {line.strip()}")
        else:
            stem.append(line)
    qid = str(index)
    segments = [Segment(path, "question", index, "stem", "\n".join(stem).strip(), question_id=qid)]
    segments += [Segment(path, "question", index, "option", body, question_id=qid, option=letter)
                 for letter, body in options]
    if answer:
        body = next((b for letter, b in options if letter == answer), "")
        if body:
            segments.append(Segment(path, "question", index, "answer", body, question_id=qid, option=answer))
    if "".join(feedback).strip():
        segments.append(Segment(path, "question", index, "feedback", "\n".join(feedback).strip(),
                                question_id=qid))
    return [s for s in segments if s.text]


def example_kind(scope: frozenset[str] | None, level: str) -> str:
    """How a rule's examples are linted: as questions for question-level or question-part
    rules, otherwise as a prose paragraph."""
    if level == "question":
        return "question"
    if scope is not None and "body" not in scope and scope & {"stem", "option", "answer", "feedback"}:
        return "question"
    return "paragraph"
