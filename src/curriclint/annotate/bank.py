"""Question banks: a review workbook instead of a copy, since GIFT, QTI, Moodle XML and the
rest have no place a reviewer could see a comment. Sheet "Questions" has one row per
question of the bank (read again, so clean questions are listed too) with its findings and
what to write instead; sheet "Bank statistics" has who the bank's patients are.

The workbook's keywords carry ``ANNOTATION_MARK``, and the spreadsheet extractor passes
such a workbook over with a notice instead of reading it as a bank.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from curriclint.annotate.describe import Note
from curriclint.extract import ANNOTATION_MARK, extract_path
from curriclint.model import FileResult

STEM_CHARS = 300
QUESTION_COLUMNS = [("Question", 10), ("Id", 14), ("Title", 28), ("Stem (excerpt)", 60),
                    ("Findings", 60), ("Instead", 60), ("References", 40)]
_HEADER_FILL = PatternFill("solid", fgColor="DDE6EE")
_FLAGGED_FILL = PatternFill("solid", fgColor="FDECC8")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write(source: Path, result: FileResult, notes: list[Note], target: Path) -> None:
    workbook = Workbook()
    properties = workbook.properties
    properties.title = f"curriclint review of {source.name}"
    properties.subject = "Findings per question and bank statistics"
    properties.creator = ANNOTATION_MARK
    properties.keywords = ANNOTATION_MARK
    _questions_sheet(workbook.active, source, result, notes)
    _statistics_sheet(workbook.create_sheet("Bank statistics"), result.bank or {})
    workbook.save(target)


def _questions_sheet(sheet, source: Path, result: FileResult, notes: list[Note]) -> None:
    sheet.title = "Questions"
    sheet.append([name for name, _ in QUESTION_COLUMNS])
    for column, (_, width) in enumerate(QUESTION_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    by_question: dict[int, list[Note]] = {}
    elsewhere: list[Note] = []  # text around the questions (a Word bank's introduction)
    for note in notes:
        if note.finding.location["unit"] == "question":
            by_question.setdefault(note.finding.location["index"], []).append(note)
        else:
            elsewhere.append(note)
    for index, question in _questions(source, result).items():
        flagged = by_question.pop(index, [])
        sheet.append(_row(index, question, flagged))
        _style_row(sheet, sheet.max_row, bool(flagged))
    # A question the bank no longer has (changed since it was checked) keeps its findings too.
    elsewhere = [note for flagged in by_question.values() for note in flagged] + elsewhere
    for note in elsewhere:
        loc = note.finding.location
        sheet.append(_row(f"{loc['unit']} {loc['index']}", {
            "id": loc.get("question_id"), "title": loc.get("question_title"),
            "stem": note.finding.context}, [note]))
        _style_row(sheet, sheet.max_row, True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _questions(source: Path, result: FileResult) -> dict[int, dict]:
    """Each question of the bank by its index: id, title and stem."""
    questions: dict[int, dict] = {}
    for segment in extract_path(source, result.path, result.format).segments:
        if segment.unit != "question":
            continue
        entry = questions.setdefault(segment.index, {"id": segment.question_id,
                                                     "title": segment.question_title, "stem": ""})
        if segment.part == "stem" and not entry["stem"]:
            entry["stem"] = segment.text
    return questions


def _row(index: int | str, question: dict, notes: list[Note]) -> list:
    stem = " ".join(question["stem"].split())
    if len(stem) > STEM_CHARS:
        stem = stem[:STEM_CHARS - 1].rstrip() + "…"
    findings = "\n".join(f"{n.headline} (in the {_part(n.finding.location)})\n  {n.flagged}"
                         for n in notes)
    instead = "\n\n".join(dict.fromkeys(n.finding.suggestion for n in notes))
    references = "\n".join(dict.fromkeys(r.line.removeprefix("Reference: ")
                                         for n in notes for r in n.references))
    return [index, question["id"] or "", question["title"] or "", stem, findings, instead,
            references]


def _part(location: dict) -> str:
    part = location["part"]
    return f"option {location['option']}" if part == "option" and location.get("option") else part


def _style_row(sheet, row: int, flagged: bool) -> None:
    for cell in sheet[row]:
        cell.alignment = _WRAP
        if flagged:
            cell.fill = _FLAGGED_FILL


def _statistics_sheet(sheet, bank: dict) -> None:
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 16
    sheet.append(["Statistic", "Value"])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for label, value, share in _statistics(bank):
        sheet.append([label, value])
        if share:
            sheet.cell(row=sheet.max_row, column=2).number_format = "0%"


def _statistics(bank: dict) -> list[tuple[str, object, bool]]:
    """(label, value, is a share) rows, in the order of the report's bank summary; keys the
    report gains later are listed after these, as they are."""
    rows: list[tuple[str, object, bool]] = [
        ("Questions", bank.get("questions", 0), False),
        ("Questions with a patient vignette", bank.get("vignettes"), False),
        ("Questions stating race or ethnicity", bank.get("stating_race", 0), False),
    ]
    rows += [(f"Questions stating race, by group: {group.replace('_', ' ')}", count, False)
             for group, count in (bank.get("by_group") or {}).items()]
    rows.append(("Questions naming only a nationality or migration",
                 bank.get("national_origin_or_immigration", 0), False))
    rows += [(f"Race stated in the {part}", count, False)
             for part, count in (bank.get("mention_location") or {}).items()]
    rows += [("Unmarked share (vignettes stating no race)", bank.get("unmarked_share"), True),
             ("Non-white share of questions stating race", bank.get("nonwhite_share_of_marked"), True)]
    for group, conditions in (bank.get("conditions_by_group") or {}).items():
        rows += [(f"Correct answer, {group.replace('_', ' ')}: {condition}", count, False)
                 for condition, count in sorted(conditions.items(), key=lambda c: (-c[1], c[0]))]
    known = {"path", "questions", "vignettes", "stating_race", "by_group",
             "national_origin_or_immigration", "mention_location", "unmarked_share",
             "nonwhite_share_of_marked", "conditions_by_group"}
    rows += [(key.replace("_", " ").capitalize(), value, False) for key, value in bank.items()
             if key not in known and isinstance(value, (int, float, str))]
    return [(label, "n/a" if value is None else value, share and value is not None)
            for label, value, share in rows]
