"""IMS QTI question banks: QTI 1.2 (Canvas, Blackboard and other ``questestinterop``
exports) and QTI 2.1/2.2 (``assessmentItem``), as bare XML files or zip packages.

QTI 1.2: each ``item`` is a question (id = ``ident``, title = ``title``). The stem is the
item's ``presentation`` material outside the response elements, plus the labels of the
responses (the premises of a matching question); options are the ``response_label``s with
text, lettered by order (repeated labels, as in matching and dropdown questions, appear
once); the correct answer comes from ``resprocessing``: the ``varequal`` values of
conditions that set a positive score (not those under ``<not>``), mapped to options, or
kept as the answer text (short answer, numeric); every ``itemfeedback`` is feedback.

QTI 2.x: each ``assessmentItem`` is a question. The stem is the ``itemBody`` without
choices and feedback; options are ``simpleChoice``, ``simpleAssociableChoice``,
``gapText`` and ``inlineChoice`` in order; the answer is ``correctResponse``; feedback
is ``modalFeedback``, ``feedbackInline``, ``feedbackBlock`` and ``rubricBlock``. An
``assessmentTest`` only references items: alone it yields a notice; in a package its
``assessmentItemRef`` order decides the order of the items.

Packages (``.zip``/``.imscc``): the archive is checked first (``check_zip``), then every
member whose root element is QTI is read, with ``member`` set to its path; ``__MACOSX/``,
manifests and other XML are passed over. Canvas puts each quiz in a package twice (the
Common Cartridge copy and ``non_cc_assessments/``): an item already read is not repeated.
All XML goes through ``safety.parse_xml`` (no entity declarations, no external
references).
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from curriclint.extract import ExtractError
from curriclint.extract.bank import (
    Question, clean, element_text, html_to_text, local, looks_like_html, question_segments,
)
from curriclint.extract.safety import ZIP_MEMBER_ERRORS, check_zip, parse_xml
from curriclint.extract.sniff import xml_root
from curriclint.model import Notice, Segment

QTI_ROOTS = ("questestinterop", "assessmentitem", "assessmenttest", "assessmentsection")
_MAT_TEXT = {"mattext", "mat_formattedtext", "matemtext"}


def extract_as(path: Path, shown: str, fmt: str) -> Iterator[Segment | Notice]:
    if fmt == "qti-package" or zipfile.is_zipfile(path):
        return _package(path, shown)
    return _bare(path, shown)


def extract(path: Path, shown: str) -> Iterator[Segment | Notice]:
    return extract_as(path, shown, "qti")


# --- files and packages ------------------------------------------------------------------

def _bare(path: Path, shown: str) -> Iterator[Segment | Notice]:
    root = parse_xml(path.read_bytes())
    name = local(root.tag)
    if name not in QTI_ROOTS:
        raise ExtractError(f"not a QTI file: root element <{name}> (expected questestinterop "
                           "or assessmentItem)")
    if name in ("assessmenttest", "assessmentsection"):
        refs = _item_refs(root)
        yield Notice(f"QTI assessment {name[10:]}: it only references {len(refs)} item file(s); "
                     "lint the item files or the whole package")
        return
    questions = list(_questions(root, None))
    if not questions:
        yield Notice("no QTI items with text found in this file")
    for position, question in enumerate(questions, start=1):
        yield from question_segments(shown, position, question)


def _package(path: Path, shown: str) -> Iterator[Segment | Notice]:
    notices: list[str] = []
    items: dict[str, list[Question]] = {}
    order: list[str] = []
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, "QTI package")
            for info in zf.infolist():
                name = info.filename
                lowered = name.lower()
                base = posixpath.basename(lowered)
                if info.is_dir() or lowered.startswith("__macosx/") or base.startswith("._") \
                        or base == "imsmanifest.xml" or not lowered.endswith((".xml", ".qti")):
                    continue
                data = zf.read(info)
                head = data[:4096].decode("utf-8", "ignore").lstrip("\ufeff")
                if xml_root(head)[0] not in QTI_ROOTS:
                    continue
                try:
                    root = parse_xml(data)
                except ExtractError as exc:
                    if "malformed" not in str(exc):
                        raise ExtractError(f"{name}: {exc}") from None
                    notices.append(f"{name}: skipped, {exc}")
                    continue
                if local(root.tag) in ("assessmenttest", "assessmentsection"):
                    folder = posixpath.dirname(name)
                    order += [posixpath.normpath(posixpath.join(folder, href))
                              for href in _item_refs(root)]
                    continue
                items[name] = list(_questions(root, name))
    except zipfile.BadZipFile:
        raise ExtractError("corrupt or truncated zip package: it cannot be read; re-export it") \
            from None
    except ZIP_MEMBER_ERRORS as exc:
        raise ExtractError(f"unreadable zip package ({exc}); re-export it") from None
    members = [m for m in dict.fromkeys(order) if m in items] + \
              [m for m in items if m not in set(order)]
    seen: set[tuple] = set()
    position = 0
    for member in members:
        for question in items[member]:
            key = (question.qid, clean(question.stem))
            if question.qid and key in seen:
                continue
            seen.add(key)
            position += 1
            yield from question_segments(shown, position, question)
    for notice in notices:
        yield Notice(notice)
    if position == 0:
        reason = f" ({notices[0]})" if notices else ""
        raise ExtractError(f"no QTI items found in package: {Path(shown).name}{reason}")


def _item_refs(root) -> list[str]:
    return [el.get("href") for el in root.iter()
            if local(el.tag) == "assessmentitemref" and el.get("href")]


def _questions(root, member: str | None) -> Iterator[Question]:
    name = local(root.tag)
    if name == "questestinterop":
        for el in root.iter():
            if local(el.tag) == "item":
                question = _qti1_item(el, member)
                if question is not None:
                    yield question
    elif name == "assessmentitem":
        question = _qti2_item(root, member)
        if question is not None:
            yield question


def _has_text(question: Question) -> bool:
    return bool(clean(question.stem) or any(clean(t) for _, t in question.options)
                or any(clean(f) for f in question.feedback))


# --- QTI 1.2 -------------------------------------------------------------------------------

def _mattext(el) -> str:
    if len(el):
        return element_text(el)
    text = el.text or ""
    if "html" in (el.get("texttype") or "").lower() or looks_like_html(text):
        return html_to_text(text)
    return clean(text)


def _material(el) -> str:
    """Text of every mattext under ``el``, one per line."""
    texts = [_mattext(m) for m in el.iter() if local(m.tag) in _MAT_TEXT]
    return "\n".join(t for t in texts if t)


def _qti1_item(item, member: str | None) -> Question | None:
    question = Question(qid=item.get("ident"), title=item.get("title"), member=member)
    stem: list[str] = []
    premises: list[str] = []
    by_ident: dict[str, str] = {}
    by_text: dict[str, str] = {}
    presentation = next((c for c in item if local(c.tag) == "presentation"), None)

    def walk(el) -> None:
        for child in el:
            name = local(child.tag)
            if name.startswith("response_"):
                _response(child)
            elif name == "material":
                text = _material(child)
                if text:
                    stem.append(text)
            elif name in _MAT_TEXT:
                text = _mattext(child)
                if text:
                    stem.append(text)
            else:
                walk(child)

    def _response(response) -> None:
        ident = response.get("ident") or ""
        for child in response:
            if local(child.tag) == "material":
                label = _material(child)
                bare = ident.lower().removeprefix("response_")
                if label and label.lower() not in (ident.lower(), bare):
                    premises.append(label)
        for label in response.iter():
            if local(label.tag) != "response_label":
                continue
            text = _material(label)
            if not text:
                continue
            letter = by_text.get(text)
            if letter is None:
                letter = question.add_options([text])[0]
                by_text[text] = letter
            if label.get("ident"):
                by_ident.setdefault(label.get("ident"), letter)

    if presentation is not None:
        walk(presentation)
    question.stem = "\n".join(stem + premises)

    answers: list[str] = []
    for condition in item.iter():
        if local(condition.tag) != "respcondition" or not _scores(condition):
            continue
        for value in _positive_values(condition):
            if value in by_ident:
                question.correct.append(by_ident[value])
            elif value:
                answers.append(value)
    if answers and not question.correct:
        question.answer_text = "; ".join(dict.fromkeys(answers))
    for feedback in item.iter():
        if local(feedback.tag) == "itemfeedback":
            text = _material(feedback)
            if text:
                question.feedback.append(text)
    return question if _has_text(question) else None


def _scores(condition) -> bool:
    for setvar in condition:
        if local(setvar.tag) != "setvar":
            continue
        if (setvar.get("action") or "Set").lower() not in ("set", "add"):
            continue
        try:
            if float((setvar.text or "0").strip()) > 0:
                return True
        except ValueError:
            continue
    return False


def _positive_values(condition) -> list[str]:
    values: list[str] = []

    def walk(el) -> None:
        for child in el:
            name = local(child.tag)
            if name == "not":
                continue
            if name == "varequal":
                values.append((child.text or "").strip())
            else:
                walk(child)

    for child in condition:
        if local(child.tag) == "conditionvar":
            walk(child)
    return values


# --- QTI 2.x -------------------------------------------------------------------------------

_CHOICES = {"simplechoice", "simpleassociablechoice", "gaptext", "inlinechoice"}
_FEEDBACK = {"feedbackinline", "feedbackblock", "modalfeedback", "rubricblock"}


def _is_feedback(el) -> bool:
    """Feedback elements, except a rubric block shown to the candidate (instructions) and
    feedback blocks that hold interactions (the stages of an adaptive item): those are
    part of the stem."""
    name = local(el.tag)
    if name not in _FEEDBACK:
        return False
    if name == "rubricblock" and "candidate" in (el.get("view") or "candidate"):
        return False
    return not any(local(d.tag).endswith("interaction") for d in el.iter())


def _not_stem(el) -> bool:
    return local(el.tag) in _CHOICES or _is_feedback(el)


def _qti2_item(item, member: str | None) -> Question | None:
    question = Question(qid=item.get("identifier"), title=item.get("title"), member=member)
    body = next((c for c in item if local(c.tag) == "itembody"), None)
    by_ident: dict[str, str] = {}
    if body is not None:
        question.stem = element_text(body, _not_stem)
        for el in body.iter():
            name = local(el.tag)
            if name in _CHOICES:
                text = element_text(el, _FEEDBACK)
                if text:
                    letter = question.add_options([text])[0]
                    if el.get("identifier"):
                        by_ident.setdefault(el.get("identifier"), letter)
    for el in item.iter():
        if _is_feedback(el):
            text = element_text(el, _FEEDBACK - {"rubricblock"})
            if text:
                question.feedback.append(text)

    option_text = dict(question.options)
    answers: list[str] = []
    for declaration in item:
        if local(declaration.tag) != "responsedeclaration":
            continue
        base = (declaration.get("baseType") or "").lower()
        for correct in declaration:
            if local(correct.tag) != "correctresponse":
                continue
            for value in correct:
                if local(value.tag) != "value":
                    continue
                text = (value.text or "").strip()
                if text in by_ident:
                    question.correct.append(by_ident[text])
                elif base in ("pair", "directedpair"):
                    ends = [e for e in text.split() if e in by_ident]
                    if len(ends) == 2:
                        answers.append(" → ".join(option_text[by_ident[e]] for e in ends))
                    elif len(ends) == 1:  # a choice placed in a gap or hotspot
                        question.correct.append(by_ident[ends[0]])
                elif text and base not in ("identifier", "file", "uri"):
                    answers.append(text)
    if answers and not question.correct:
        question.answer_text = "; ".join(answers)
    return question if _has_text(question) else None
