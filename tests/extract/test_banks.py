"""Question-bank extractors on small banks written here: QTI 1.2/2.1 (bare and zipped),
Moodle XML, GIFT, JSON Lines, CSV, XLSX and Word; plus hostile XML and zip input."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from curriclint.config import Config
from curriclint.discover import Target
from curriclint.extract import extract_path
from curriclint.extract.bank import html_to_text, letter_for
from curriclint.extract.sniff import sniff
from curriclint.runner import read_target


def read(path: Path, explicit: bool = False):
    return read_target(Target(path, str(path), explicit=explicit), Config())


def ok_segments(path: Path):
    result, segments = read(path)
    assert result.status == "ok", result.error
    return result, segments


def by_question(segments) -> dict[int, list]:
    questions: dict[int, list] = {}
    for seg in segments:
        if seg.unit == "question":
            questions.setdefault(seg.index, []).append(seg)
    return questions


def parts(segs, part: str) -> list:
    return [s for s in segs if s.part == part]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ helpers

def test_html_to_text_blocks_and_entities():
    assert html_to_text("<div><p>A 45&#8209;year&nbsp;old</p><p>Black&amp;white</p></div>") == \
        "A 45\u2011year old\nBlack&white"
    assert html_to_text("<p>x<br>y<script>bad()</script></p>") == "x\ny"
    assert html_to_text('<img src="a.png" alt="chest X-ray"> <img alt="image.png">') == "chest X-ray"


def test_letters():
    assert [letter_for(i) for i in (0, 4, 25, 26)] == ["A", "E", "Z", "AA"]


# ------------------------------------------------------------------------------ QTI 1.2

QTI12 = """<?xml version="1.0" encoding="UTF-8"?>
<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
  <assessment ident="A1" title="Renal">
    <section ident="root_section">
      <item ident="q1" title="eGFR">
        <presentation>
          <material><mattext texttype="text/html">&lt;p&gt;A 60-year-old Black man&lt;/p&gt;&lt;p&gt;Which equation?&lt;/p&gt;</mattext></material>
          <response_lid ident="response1" rcardinality="Single">
            <render_choice>
              <response_label ident="11"><material><mattext texttype="text/plain">MDRD with race</mattext></material></response_label>
              <response_label ident="12"><material><mattext texttype="text/plain">CKD-EPI 2021</mattext></material></response_label>
            </render_choice>
          </response_lid>
        </presentation>
        <resprocessing>
          <respcondition continue="Yes"><conditionvar><other/></conditionvar>
            <displayfeedback linkrefid="general_fb"/></respcondition>
          <respcondition continue="No"><conditionvar><varequal respident="response1">12</varequal></conditionvar>
            <setvar action="Set" varname="SCORE">100</setvar></respcondition>
        </resprocessing>
        <itemfeedback ident="general_fb"><flow_mat><material>
          <mattext texttype="text/html">&lt;p&gt;Race-free since 2021.&lt;/p&gt;</mattext></material></flow_mat></itemfeedback>
        <itemfeedback ident="11_fb"><flow_mat><material>
          <mattext texttype="text/plain">Outdated.</mattext></material></flow_mat></itemfeedback>
      </item>
      <item ident="q2" title="Multi">
        <presentation>
          <material><mattext texttype="text/html"><div><strong>Pick two</strong></div></mattext></material>
          <response_lid ident="response1" rcardinality="Multiple"><render_choice>
            <response_label ident="a"><material><mattext>one</mattext></material></response_label>
            <response_label ident="b"><material><mattext>two</mattext></material></response_label>
            <response_label ident="c"><material><mattext>three</mattext></material></response_label>
          </render_choice></response_lid>
        </presentation>
        <resprocessing><respcondition continue="No"><conditionvar><and>
          <varequal respident="response1">a</varequal><not><varequal respident="response1">b</varequal></not>
          <varequal respident="response1">c</varequal></and></conditionvar>
          <setvar action="Set" varname="SCORE">100</setvar></respcondition></resprocessing>
      </item>
      <item ident="q3" title="Short">
        <presentation><material><mattext>Name the vessel.</mattext></material>
          <response_str ident="response1"><render_fib><response_label ident="answer1"/></render_fib></response_str>
        </presentation>
        <resprocessing><respcondition continue="No"><conditionvar>
          <varequal respident="response1">aorta</varequal></conditionvar>
          <setvar action="Set" varname="SCORE">100</setvar></respcondition></resprocessing>
      </item>
    </section>
  </assessment>
</questestinterop>
"""


def test_qti12_items(tmp_path):
    path = write(tmp_path, "quiz.xml", QTI12)
    result, segments = ok_segments(path)
    assert result.format == "qti"
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3]
    q1 = questions[1]
    assert parts(q1, "stem")[0].text == "A 60-year-old Black man\nWhich equation?"
    assert [(s.option, s.text) for s in parts(q1, "option")] == [("A", "MDRD with race"),
                                                                ("B", "CKD-EPI 2021")]
    assert [(s.option, s.text) for s in parts(q1, "answer")] == [("B", "CKD-EPI 2021")]
    assert [s.text for s in parts(q1, "feedback")] == ["Race-free since 2021.", "Outdated."]
    assert {(s.question_id, s.question_title) for s in q1} == {("q1", "eGFR")}
    q2 = questions[2]
    assert parts(q2, "stem")[0].text == "Pick two"
    assert [(s.option, s.text) for s in parts(q2, "answer")] == [("A,C", "one; three")]
    assert [(s.option, s.text) for s in parts(questions[3], "answer")] == [(None, "aorta")]


def test_qti_package_members_junk_and_duplicates(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", "<manifest/>")
        zf.writestr("__MACOSX/._quiz.xml", "\x00\x05junk")
        zf.writestr("quiz/assessment_qti.xml", QTI12)
        zf.writestr("non_cc_assessments/quiz.xml.qti", QTI12)  # Canvas's second copy
        zf.writestr("course_settings/settings.xml", "<course><title>x</title></course>")
        zf.writestr("item2.xml", QTI21)
    result, segments = ok_segments(path)
    assert result.format == "qti-package"
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3, 4]
    assert {s.member for s in questions[1]} == {"quiz/assessment_qti.xml"}
    assert {s.member for s in questions[4]} == {"item2.xml"}


def test_qti_package_without_items_is_an_error(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", "<manifest/>")
        zf.writestr("other.xml", "<course/>")
    result, _ = read(path)
    assert result.status == "error"
    assert "no QTI items found in package" in result.error


def test_zip_with_member_outside_package_is_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", "<manifest/>")
        zf.writestr("../evil.xml", QTI12)
    result, _ = read(path)
    assert result.status == "error"
    assert "member outside the package" in result.error and "\n" not in result.error
    with pytest.raises(Exception, match="member outside the package"):
        extract_path(path, str(path), "qti-package")


# ------------------------------------------------------------------------------ QTI 2.1

QTI21 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- <quiz> in a comment must not fool the sniffer -->
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="choice"
    title="Sickle cell" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>ChoiceB</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <p>A 6-year-old boy has painful swelling of the hands.</p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">
      <prompt>What is the most likely diagnosis?</prompt>
      <simpleChoice identifier="ChoiceA">Gout<feedbackInline outcomeIdentifier="FEEDBACK"
          identifier="ChoiceA" showHide="show">Unlikely at six.</feedbackInline></simpleChoice>
      <simpleChoice identifier="ChoiceB">Dactylitis</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="ChoiceB" showHide="show">Correct.</modalFeedback>
</assessmentItem>
"""


def test_qti21_item(tmp_path):
    path = write(tmp_path, "item.xml", QTI21)
    result, segments = ok_segments(path)
    assert result.format == "qti"
    q = by_question(segments)[1]
    assert parts(q, "stem")[0].text == ("A 6-year-old boy has painful swelling of the hands.\n"
                                        "What is the most likely diagnosis?")
    assert [(s.option, s.text) for s in parts(q, "option")] == [("A", "Gout"), ("B", "Dactylitis")]
    assert [(s.option, s.text) for s in parts(q, "answer")] == [("B", "Dactylitis")]
    assert [s.text for s in parts(q, "feedback")] == ["Unlikely at six.", "Correct."]
    assert q[0].question_id == "choice" and q[0].question_title == "Sickle cell"


def test_qti21_assessment_test_alone_gives_a_notice(tmp_path):
    path = write(tmp_path, "test.xml", """<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"
      identifier="t" title="t"><testPart identifier="p" navigationMode="linear" submissionMode="individual">
      <assessmentSection identifier="s" title="s" visible="true">
      <assessmentItemRef identifier="i1" href="item.xml"/></assessmentSection></testPart></assessmentTest>""")
    result, segments = ok_segments(path)
    assert segments == [] and "references 1 item" in result.notices[0]


# ------------------------------------------------------------------------------ Moodle XML

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Renal</text></category></question>
  <question type="multichoice">
    <name><text>Kidney stones</text></name>
    <questiontext format="html"><text><![CDATA[<p>A 40-year-old <b>Hispanic</b> man&nbsp;has flank pain.</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>Stones are common.</p>]]></text></generalfeedback>
    <correctfeedback format="html"><text>Well done.</text></correctfeedback>
    <idnumber>RENAL-7</idnumber>
    <answer fraction="0" format="html"><text>Cystitis</text><feedback format="html"><text>No.</text></feedback></answer>
    <answer fraction="100" format="html"><text><![CDATA[<p>Nephrolithiasis</p>]]></text><feedback format="html"><text>Yes.</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="moodle_auto_format"><text>Race is a biological category.</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name>
    <questiontext format="plain_text"><text>Name the hormone.</text></questiontext>
    <answer fraction="100"><text>renin</text></answer>
  </question>
  <question type="matching">
    <name><text>Match</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
    <subquestion format="html"><text>Kidney</text><answer><text>Urine</text></answer></subquestion>
    <subquestion format="html"><text>Liver</text><answer><text>Bile</text></answer></subquestion>
  </question>
  <question type="cloze">
    <name><text>Cloze</text></name>
    <questiontext format="html"><text>The kidney makes {1:MULTICHOICE:=urine#Right~bile#Wrong}.</text></questiontext>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
    <graderinfo format="html"><text>Look for equity.</text></graderinfo>
  </question>
</quiz>
"""


def test_moodle_question_types(tmp_path):
    path = write(tmp_path, "bank.xml", MOODLE)
    result, segments = ok_segments(path)
    assert result.format == "moodle"
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3, 4, 5, 6]  # the category is not a question
    q1 = questions[1]
    assert parts(q1, "stem")[0].text == "A 40-year-old Hispanic man has flank pain."
    assert [(s.option, s.text) for s in parts(q1, "option")] == [("A", "Cystitis"), ("B", "Nephrolithiasis")]
    assert [(s.option, s.text) for s in parts(q1, "answer")] == [("B", "Nephrolithiasis")]
    assert [s.text for s in parts(q1, "feedback")] == ["No.", "Yes.", "Stones are common.", "Well done."]
    assert q1[0].question_id == "RENAL-7" and q1[0].question_title == "Kidney stones"
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("B", "false")]
    assert [(s.option, s.text) for s in parts(questions[3], "answer")] == [(None, "renin")]
    assert [s.text for s in parts(questions[4], "option")] == ["Kidney → Urine", "Liver → Bile"]
    cloze = questions[5]
    assert parts(cloze, "stem")[0].text == "The kidney makes ___ ."
    assert [(s.option, s.text) for s in parts(cloze, "answer")] == [("A", "urine")]
    assert [s.text for s in parts(questions[6], "feedback")] == ["Look for equity."]


# ------------------------------------------------------------------------------ security

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><questiontext><text>&lol9;</text></questiontext></question></quiz>
"""
XXE_QTI = """<?xml version="1.0"?>
<!DOCTYPE questestinterop [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<questestinterop><item ident="1"><presentation><material><mattext>&x;</mattext></material>
</presentation></item></questestinterop>
"""


@pytest.mark.parametrize("name, text, fmt", [("laughs.xml", BILLION_LAUGHS, "moodle"),
                                             ("xxe.xml", XXE_QTI, "qti")])
def test_entity_declarations_are_refused(tmp_path, name, text, fmt):
    path = write(tmp_path, name, text)
    assert sniff(path).format == fmt
    result, segments = read(path)
    assert result.status == "error" and segments == []
    assert "entities" in result.error and "refused" in result.error
    assert "root:" not in result.error and "\n" not in result.error


@pytest.mark.parametrize("fmt, text", [
    ("moodle", "<quiz>\n<question type='essay'>\n<questiontext><text>x</text></questiontext>\n</quiz>"),
    ("qti", "<questestinterop>\n<item ident='1'>\n</itm>\n</questestinterop>"),
])
def test_malformed_xml_names_the_line(tmp_path, fmt, text):
    path = write(tmp_path, "bad.xml", text)
    result, _ = read(path)
    assert result.status == "error" and result.format == fmt
    assert "line 4" in result.error if fmt == "moodle" else "line 3" in result.error


def test_canvas_quiz_settings_are_not_a_moodle_bank(tmp_path):
    path = write(tmp_path, "assessment_meta.xml", '<?xml version="1.0"?>\n<quiz xmlns='
                 '"http://canvas.instructure.com/xsd/cccv1p0" identifier="i1"><title>Q</title></quiz>')
    assert sniff(path).format is None
    assert read(path)[0].status == "skipped"


# ------------------------------------------------------------------------------ GIFT

GIFT = r"""// Renal bank
$CATEGORY: $course$/Renal

// curriclint: ignore SV001 -- teaching the history of the race coefficient
// [id:R-1]
::eGFR\: history::[html]<p>Which eGFR equation removed race?</p>{
  ~MDRD#Still uses race.
  =CKD-EPI 2021#Yes.
  ~%-50%Cockcroft\=Gault
  ####<p>See the 2021 task force.</p>
}

Sickle cell trait protects against malaria.{TRUE#Not quite.#Right.}

::Numeric::How many kidneys? {#2:0}

::Match::Match organs.{=Kidney -> Urine =Liver -> Bile}

Grant is {=entombed =buried} in Grant's tomb.

::Essay:: Discuss structural racism\{ in medicine\}.{}

::Broken:: This block { never closes
"""


def test_gift_questions(tmp_path):
    path = write(tmp_path, "bank.txt", GIFT)  # recognised by content, not extension
    assert sniff(path).format == "gift"
    result, segments = ok_segments(path)
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3, 4, 5, 6, 7]
    q1 = questions[1]
    assert [s.text for s in parts(q1, "comment")] == [
        "Renal bank", "curriclint: ignore SV001 -- teaching the history of the race coefficient",
        "[id:R-1]"]
    assert q1[0].question_id == "R-1" and q1[0].question_title == "eGFR: history"
    assert parts(q1, "stem")[0].text == "Which eGFR equation removed race?"
    assert [(s.option, s.text) for s in parts(q1, "option")] == [
        ("A", "MDRD"), ("B", "CKD-EPI 2021"), ("C", "Cockcroft=Gault")]
    assert [(s.option, s.text) for s in parts(q1, "answer")] == [("B", "CKD-EPI 2021")]
    assert [s.text for s in parts(q1, "feedback")] == ["Still uses race.", "Yes.",
                                                       "See the 2021 task force."]
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("A", "True")]
    assert [s.text for s in parts(questions[2], "feedback")] == ["Not quite.", "Right."]
    assert [s.text for s in parts(questions[3], "answer")] == ["2:0"]
    assert [s.text for s in parts(questions[4], "option")] == ["Kidney → Urine", "Liver → Bile"]
    assert parts(questions[5], "stem")[0].text == "Grant is ___ in Grant's tomb."
    assert [s.text for s in parts(questions[5], "answer")] == ["entombed; buried"]
    assert parts(questions[6], "stem")[0].text == "Discuss structural racism{ in medicine}."
    assert [s.part for s in questions[6]] == ["stem"]
    assert "never closes" in parts(questions[7], "stem")[0].text


@pytest.mark.parametrize("text", ["{", "}", "::", "::a", "{#}", "{=}", "{~%x%a}", "\\", "a{b->}",
                                  "::t::[html]{=<p>}", "{####}", "x{=a#b#c~d}y{=e}"])
def test_gift_odd_input_never_crashes(tmp_path, text):
    from curriclint.extract import gift

    gift.parse(text)
    path = write(tmp_path, "odd.gift", text)
    assert read(path)[0].status == "ok"


# ------------------------------------------------------------------------------ JSON Lines

def test_jsonl_bank_and_malformed_line(tmp_path):
    rows = [{"question": "A 30-year-old Asian woman has fatigue.", "options": {"A": "Iron", "B": "B12"},
             "answer": "B12", "answer_idx": "B", "explanation": "Diet.", "id": "m1"},
            {"question": "Pick one.", "options": ["x", "y", "z"], "answer": 2}]
    path = write(tmp_path, "bank.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    result, segments = ok_segments(path)
    questions = by_question(segments)
    assert sorted(questions) == [1, 2]  # line numbers
    assert [(s.option, s.text) for s in parts(questions[1], "answer")] == [("B", "B12")]
    assert [s.text for s in parts(questions[1], "feedback")] == ["Diet."]
    assert questions[1][0].question_id == "m1"
    assert [s.option for s in parts(questions[2], "option")] == ["A", "B", "C"]
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("C", "z")]
    bad = write(tmp_path, "bad.jsonl", json.dumps(rows[0]) + "\n{not json\n")
    result, _ = read(bad)
    assert result.status == "error" and "line 2" in result.error


# ------------------------------------------------------------------------------ CSV / XLSX

def test_csv_with_header(tmp_path):
    path = write(tmp_path, "bank.csv",
                 "ID,Question,Option A,Option B,Option C,Correct Answer,Explanation\n"
                 'q1,"A 50-year-old African American man, hypertensive",ACE inhibitor,Thiazide,'
                 "Beta blocker,B,Race-based guideline\n"
                 "q2,Second question,one,two,three,one,\n"
                 "q3,Third question,one,two,three,3,\n")
    result, segments = ok_segments(path)
    assert result.format == "csv"
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3]
    q1 = questions[1]
    assert parts(q1, "stem")[0].text == "A 50-year-old African American man, hypertensive"
    assert [s.option for s in parts(q1, "option")] == ["A", "B", "C"]
    assert [(s.option, s.text) for s in parts(q1, "answer")] == [("B", "Thiazide")]
    assert [s.text for s in parts(q1, "feedback")] == ["Race-based guideline"]
    assert q1[0].question_id == "q1" and q1[0].row == 2
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("A", "one")]
    assert [(s.option, s.text) for s in parts(questions[3], "answer")] == [("C", "three")]


def test_csv_moodle_answer_columns_are_keys(tmp_path):
    path = write(tmp_path, "bank.csv", "questionname,questiontext,A,B,C,D,Answer 1,Answer 2\n"
                 "Q1,First,a,b,c,d,C,\nQ2,Second,a,b,c,d,A,B\n")
    questions = by_question(ok_segments(path)[1])
    assert questions[1][0].question_title == "Q1"
    assert [s.option for s in parts(questions[1], "option")] == ["A", "B", "C", "D"]
    assert [s.option for s in parts(questions[2], "answer")] == ["A,B"]


def test_csv_without_header(tmp_path):
    path = write(tmp_path, "bank.csv", "What is 2+2?,3,4,5,B\nName a vessel.,aorta,vein,artery\n"
                 "Q3,Which?,a,yes,b,no\n")
    questions = by_question(ok_segments(path)[1])
    assert sorted(questions) == [1, 2, 3]
    assert [(s.option, s.text) for s in parts(questions[1], "option")] == [("A", "3"), ("B", "4"), ("C", "5")]
    assert [(s.option, s.text) for s in parts(questions[1], "answer")] == [("B", "4")]
    assert [s.text for s in parts(questions[2], "option")] == ["aorta", "vein", "artery"]
    assert parts(questions[2], "answer") == []
    assert questions[3][0].question_id == "Q3"
    assert [(s.option, s.text) for s in parts(questions[3], "option")] == [("A", "yes"), ("B", "no")]


def test_csv_column_mapping_override(tmp_path):
    from curriclint.extract.tabular import rows_questions

    rows = [["Vignette", "Distractor 1", "Distractor 2", "Key"], ["Stem text", "x", "y", "2"]]
    [(row, question)] = rows_questions(rows, columns={"Vignette": "stem", "Distractor 1": "option",
                                                      "Distractor 2": "option", "Key": "answer"})
    assert row == 2 and question.stem == "Stem text" and question.correct == ["B"]


def test_xlsx_bank(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Question", "A", "B", "C", "D", "Answer", "Rationale"])
    sheet.append(["A 25-year-old Ashkenazi Jewish woman…", "Tay-Sachs", "CF", "SMA", "Gaucher", "A", "Screening"])
    sheet.append(["Second", 1, 2, 3, 4, 4, None])
    second = workbook.create_sheet("More")
    second.append(["Question", "A", "B", "Answer"])
    second.append(["Third", "yes", "no", "b"])
    path = tmp_path / "bank.xlsx"
    workbook.save(path)
    result, segments = ok_segments(path)
    assert result.format == "xlsx"
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3]
    assert [s.option for s in parts(questions[1], "option")] == ["A", "B", "C", "D"]
    assert [(s.option, s.text) for s in parts(questions[1], "answer")] == [("A", "Tay-Sachs")]
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("D", "4")]
    assert [(s.option, s.text) for s in parts(questions[3], "answer")] == [("B", "no")]


# ------------------------------------------------------------------------------ Word banks

WORD_BANK = ["Renal block — practice questions", "",
             "1. A 62-year-old Black man has CKD.", "Which eGFR equation should be used?",
             "A. MDRD with race coefficient", "B) CKD-EPI 2021", "(C) Cockcroft-Gault",
             "Answer: B", "Explanation: The 2021 equation has no race term.", "",
             "Question 2: Which test confirms sickle cell disease?",
             "a) Hemoglobin electrophoresis", "b) Peripheral smear", "Correct answer: a",
             "Q3. Essay: discuss race in clinical algorithms."]


def test_word_bank_paragraphs():
    from curriclint.extract.wordbank import bank_segments

    segments = bank_segments(WORD_BANK, "bank.docx")
    assert segments is not None
    assert [(s.unit, s.index, s.text) for s in segments if s.unit == "paragraph"] == [
        ("paragraph", 1, "Renal block — practice questions")]
    questions = by_question(segments)
    assert sorted(questions) == [1, 2, 3]
    q1 = questions[1]
    assert parts(q1, "stem")[0].text == "A 62-year-old Black man has CKD.\nWhich eGFR equation should be used?"
    assert [s.option for s in parts(q1, "option")] == ["A", "B", "C"]
    assert [(s.option, s.text) for s in parts(q1, "answer")] == [("B", "CKD-EPI 2021")]
    assert [s.text for s in parts(q1, "feedback")] == ["The 2021 equation has no race term."]
    assert [(s.option, s.text) for s in parts(questions[2], "answer")] == [("A", "Hemoglobin electrophoresis")]
    assert bank_segments(["1. Objectives", "2. Describe the kidney", "Some prose."], "x") is None
    assert bank_segments(["Intro", "1. Only one", "A. x", "B. y"], "x") is None


def test_word_bank_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in WORD_BANK:
        document.add_paragraph(text)
    path = tmp_path / "bank.docx"
    document.save(path)
    from curriclint.extract.wordbank import bank_segments

    texts = [p.text for p in docx.Document(path).paragraphs]
    questions = by_question(bank_segments(texts, str(path)))
    assert sorted(questions) == [1, 2, 3]
    assert [s.option for s in parts(questions[1], "option")] == ["A", "B", "C"]
    result, segments = ok_segments(path)  # docx.py hands the body text to wordbank
    assert result.format == "docx"
    assert sorted(by_question(segments)) == [1, 2, 3]
    assert [s.option for s in segments if s.part == "answer"] == ["B", "A"]


def test_word_prose_is_not_a_bank(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in ["Learning objectives", "1. Describe the kidney.", "2. Explain eGFR.",
                 "A. Note: this is a heading-like line", "The end."]:
        document.add_paragraph(text)
    path = tmp_path / "notes.docx"
    document.save(path)
    result, segments = ok_segments(path)
    assert segments and all(s.unit == "paragraph" for s in segments)


def test_gift_unclosed_brace_does_not_swallow_the_rest():
    from curriclint.extract import gift

    questions = gift.parse("::A:: first { =x\n\n~y }\n\n::B:: broken { never closes\n\n"
                           "::C:: third {=ok ~no}\n")
    assert [q.title for q in questions] == ["A", "B", "C"]
    assert questions[0].options == [("A", "x"), ("B", "y")]
    assert "never closes" in questions[1].stem
    assert questions[2].correct == ["A"]
