"""CSV and XLSX question banks: one question per row.

**With a header row** (the first row is a header when at least two of its cells are known
column names, or one names the question text), columns are mapped by name, ignoring case,
spaces, underscores and punctuation:

=====================================  ==========================================
header                                 part
=====================================  ==========================================
question, questiontext, stem, prompt   ``stem``
questionname, title, name              question title
id, questionid, qid                    question id
A … J, option a / optiona, choice a,   ``option`` (in column order; a one-letter
choice1, option1, answer1 … answer9    header gives the letter)
answer, correct, correct answer, key,  the correct answer: a letter, a number (1 =
answer key, correct option             first option) or the option text; "A,B" for
                                       several
feedback, explanation, rationale,      ``feedback``
generalfeedback, (partially)correct-
feedback, incorrectfeedback
=====================================  ==========================================

``answerN`` columns whose every value is an option letter or number (as in Moodle's
qformat_csv: ``Answer 1``, ``Answer 2``) are correct-answer columns, not options. Other
columns are ignored.

**Without a header**: column 1 is the stem (or the id, when it looks like one — ``Q1``,
``12`` — and column 2 is the stem); the columns after it are options, except the last,
which is the correct answer when it is a letter or number naming an option. Options given
as label/text pairs (``a, yes, b, no``) are read as such.

``rows_questions(rows, columns=…)`` takes an explicit mapping header → part (``stem``,
``title``, ``id``, ``option``, ``answer``, ``feedback``, ``ignore``), which overrides the
defaults for the headers it names (meant for the ``bank-columns`` config key).

The question's index is its order in the file; ``row`` is its row number in the sheet.
XLSX files are read with openpyxl (values, not formulas), every worksheet in turn. A review
workbook written by ``curriclint annotate`` (its keywords say so) holds findings, not
questions: it is passed over with a notice.
"""
from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from curriclint.extract import ANNOTATION_MARK, ExtractError
from curriclint.extract.bank import Question, letter_for, maybe_html_to_text, question_segments
from curriclint.extract.text import read_text
from curriclint.model import Notice, Segment

_ROLE_BY_HEADER = {
    **{h: "stem" for h in ("question", "questiontext", "stem", "prompt", "questionstem",
                           "questionbody", "item")},
    **{h: "title" for h in ("questionname", "title", "name", "questiontitle")},
    **{h: "id" for h in ("id", "questionid", "qid", "itemid", "questionnumber")},
    **{h: "answer" for h in ("answer", "correct", "correctanswer", "key", "answerkey",
                             "correctoption", "correctanswers", "rightanswer", "correctchoice")},
    **{h: "feedback" for h in ("feedback", "explanation", "rationale", "generalfeedback",
                               "correctfeedback", "partiallycorrectfeedback",
                               "incorrectfeedback", "answerexplanation")},
}
_OPTION_HEADER = re.compile(r"^(?:(?:option|choice|answer|opt|distractor)([a-j]|\d{1,2})|([a-j]))$")
_ID_LIKE = re.compile(r"^(?:q(?:uestion)?\s*)?\d{1,6}[.)]?$|^[a-z]{1,3}\d{1,6}$", re.IGNORECASE)
_LABEL = re.compile(r"^\(?([a-jA-J]|\d{1,2})[.):]?$")
PARTS = ("stem", "title", "id", "option", "answer", "feedback", "ignore")
REVIEW_WORKBOOK_NOTICE = "review workbook written by curriclint annotate: not a question bank, not checked"


def extract_as(path: Path, shown: str, fmt: str,
               columns: dict[str, str] | None = None) -> Iterator[Segment | Notice]:
    if fmt == "xlsx":
        sheets = _xlsx_rows(path)
        if sheets is None:
            yield Notice(REVIEW_WORKBOOK_NOTICE)
            return
    else:
        sheets = [("", _csv_rows(path))]
    position = 0
    for _, rows in sheets:
        for row_number, question in rows_questions(rows, columns):
            position += 1
            for segment in question_segments(shown, position, question):
                yield dataclasses.replace(segment, row=row_number)
    if position == 0:
        yield Notice("no questions found: no row has question text")


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    fmt = "xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    return extract_as(path, shown, fmt)


def _csv_rows(path: Path) -> list[list[str]]:
    text = read_text(path)
    sample = text[:8192]
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    try:
        return [row for row in csv.reader(text.splitlines(), delimiter=delimiter)]
    except csv.Error as exc:
        raise ExtractError(f"malformed CSV: {exc}") from None


def _xlsx_rows(path: Path) -> list[tuple[str, list[list[str]]]] | None:
    """(sheet title, rows) of every worksheet; None for a curriclint review workbook."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExtractError(f"unreadable Excel workbook ({type(exc).__name__}): re-save it as "
                           ".xlsx") from None
    try:
        if workbook.properties.keywords == ANNOTATION_MARK:
            return None
        sheets = []
        for sheet in workbook.worksheets:
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.:#()/]+", "", header.strip().lower())


def _role(header: str, columns: dict[str, str] | None) -> str | None:
    if columns:
        for name, part in columns.items():
            if _norm(name) == _norm(header):
                return None if part == "ignore" else part
    key = _norm(header)
    if key in _ROLE_BY_HEADER:
        return _ROLE_BY_HEADER[key]
    if _OPTION_HEADER.match(key):
        return "option"
    return None


def _is_header(row: list[str], columns: dict[str, str] | None) -> bool:
    cells = [cell for cell in row if cell.strip()]
    known = [r for cell in cells if (r := _role(cell, columns))]
    # One-letter headers (A, B, C) alone are no evidence: "a, yes, b, no" is data.
    strong = [r for cell in cells if (r := _role(cell, columns)) and len(_norm(cell)) > 1]
    return "stem" in known or len(strong) >= 2 or (len(strong) >= 1 and len(known) >= 3)


def rows_questions(rows: Iterable[list[str]],
                   columns: dict[str, str] | None = None) -> list[tuple[int, Question]]:
    """(row number, question) for each row of a sheet that holds a question."""
    numbered = [(n, [c if isinstance(c, str) else _cell(c) for c in row])
                for n, row in enumerate(rows, start=1)]
    numbered = [(n, row) for n, row in numbered if any(c.strip() for c in row)]
    if not numbered:
        return []
    if _is_header(numbered[0][1], columns):
        return _with_header(numbered[0][1], numbered[1:], columns)
    return [(n, q) for n, row in numbered if (q := _headerless(row)) is not None]


def _letter_header(header: str) -> str | None:
    key = _norm(header)
    match = _OPTION_HEADER.match(key)
    if match and (match.group(2) or (match.group(1) and match.group(1).isalpha())):
        return (match.group(2) or match.group(1)).upper()
    return None


def _with_header(header: list[str], rows: list[tuple[int, list[str]]],
                 columns: dict[str, str] | None) -> list[tuple[int, Question]]:
    roles = [_role(h, columns) for h in header]
    # answerN columns holding only letters/numbers are answer keys, not options.
    option_cols = [i for i, r in enumerate(roles) if r == "option"]
    named = {_norm(k) for k in (columns or {})}
    for i in option_cols:
        if _norm(header[i]).startswith("answer") and _norm(header[i]) not in named:
            others = [j for j in option_cols if not _norm(header[j]).startswith("answer")]
            ordered = [_letter_header(header[j]) or letter_for(k) for k, j in enumerate(others)]
            values = [row[i].strip() for _, row in rows if i < len(row) and row[i].strip()]
            if others and values and all(_key_letters(v, ordered) for v in values):
                roles[i] = "answer"
    option_cols = [i for i, r in enumerate(roles) if r == "option"]
    questions = []
    for number, row in rows:
        cell = lambda i: row[i].strip() if i < len(row) else ""  # noqa: E731
        question = Question()
        stems = [cell(i) for i, r in enumerate(roles) if r == "stem" and cell(i)]
        question.stem = "\n".join(maybe_html_to_text(s) for s in stems)
        title = [cell(i) for i, r in enumerate(roles) if r == "title" and cell(i)]
        question.title = title[0] if title else None
        qid = [cell(i) for i, r in enumerate(roles) if r == "id" and cell(i)]
        question.qid = qid[0] if qid else None
        for k, i in enumerate(option_cols):
            letter = _letter_header(header[i]) or letter_for(k)
            if cell(i):
                question.options.append((letter, maybe_html_to_text(cell(i))))
        for i, r in enumerate(roles):
            if r == "answer" and cell(i):
                _mark(question, cell(i))
            elif r == "feedback" and cell(i):
                question.feedback.append(maybe_html_to_text(cell(i)))
        if question.stem or question.options:
            questions.append((number, question))
    return questions


def _key_letters(value: str, ordered: list[str]) -> list[str] | None:
    """The option letters an answer-key cell names ("B", "2", "A,C", "AC"), or None.

    ``ordered`` holds the option letters in order; a number n names the n-th option."""
    value = value.strip()
    letters = set(ordered)
    if re.fullmatch(r"[A-Z]{2,}", value) and len(set(value)) == len(value) \
            and all(ch in letters for ch in value):
        return list(value)
    found = []
    for part in re.split(r"[\s,;/&]+", value):
        part = part.strip("().")
        if not part:
            continue
        if len(part) == 1 and part.upper() in letters:
            found.append(part.upper())
        elif part.isdigit() and 1 <= int(part) <= len(ordered):
            found.append(ordered[int(part) - 1])
        else:
            return None
    return found or None


def _mark(question: Question, value: str) -> None:
    keys = _key_letters(value, [letter for letter, _ in question.options])
    if keys:
        question.correct += keys
        return
    for letter, text in question.options:
        if text.strip().lower() == value.strip().lower():
            question.correct.append(letter)
            return
    question.answer_text = value if not question.answer_text else f"{question.answer_text}; {value}"


def _sequence(labels: list[str]) -> bool:
    """True for option labels in order: a, b, c… or 1, 2, 3… (with optional "." or ")")."""
    found = [m.group(1).lower() if (m := _LABEL.match(label)) else None for label in labels]
    return found in ([letter_for(i).lower() for i in range(len(found))],
                     [str(i + 1) for i in range(len(found))])


def _headerless(row: list[str]) -> Question | None:
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        return None
    question = Question()
    rest = cells
    if len(cells) >= 2 and _ID_LIKE.match(cells[0]) and any(ch.isalpha() for ch in cells[1]):
        question.qid, rest = cells[0], cells[1:]
    if not any(ch.isalpha() for ch in rest[0]):
        return None  # numbers, not a question
    question.stem = maybe_html_to_text(rest[0])
    tail = rest[1:]
    if len(tail) >= 4 and len(tail) % 2 == 0 and _sequence(tail[0::2]):
        for i in range(0, len(tail), 2):
            label = _LABEL.match(tail[i]).group(1)
            letter = label.upper() if label.isalpha() else letter_for(i // 2)
            question.options.append((letter, maybe_html_to_text(tail[i + 1])))
        return question
    if len(tail) >= 3:
        options, last = tail[:-1], tail[-1]
        keys = _key_letters(last, [letter_for(k) for k in range(len(options))])
        if keys:
            question.add_options(maybe_html_to_text(o) for o in options)
            question.correct += keys
            return question
    question.add_options(maybe_html_to_text(o) for o in tail)
    return question
