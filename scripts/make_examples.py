"""Generate the bundled example curriculum files in ``examples/``.

    python scripts/make_examples.py [OUTPUT_DIR]

The content is fixed (no randomness) and the document dates are pinned, so running the
script twice gives the same text in every file. Each file mixes content curriclint should
flag (race taught as biology, race-based algorithms, stereotyped vignettes) with clean and
critical content it must leave alone, so ``curriclint check examples/`` shows real
findings, and no false ones, in all four formats.
"""
from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

FIXED_DATE = dt.datetime(2024, 1, 15, 9, 0, 0)
AUTHOR = "curriclint examples"
ZIP_DATE = (2024, 1, 15, 9, 0, 0)


def _normalise_zip(path: Path) -> None:
    """Rewrite an OOXML package with fixed member timestamps and order-preserving entries,
    so the bytes do not change from one run to the next."""
    with zipfile.ZipFile(path) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def _set_core(props, title: str, subject: str) -> None:
    props.title = title
    props.subject = subject
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1
    props.keywords = "curriclint example"


# --------------------------------------------------------------------------- PowerPoint

def make_pptx(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    title_layout, content_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[1], prs.slide_layouts[5]

    def bullets(title: str, lines: list[str], notes: str | None = None):
        slide = prs.slides.add_slide(content_layout)
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        frame.text = lines[0]
        for line in lines[1:]:
            frame.add_paragraph().text = line
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    # 1. title
    slide = prs.slides.add_slide(title_layout)
    slide.shapes.title.text = "Renal Physiology: Measuring Kidney Function"
    slide.placeholders[1].text = "Year 2 Renal Block, Lecture 4"
    slide.notes_slide.notes_text_frame.text = (
        "Welcome. Today we cover filtration, clearance and how glomerular filtration rate "
        "is estimated in the clinic.")

    # 2. clean
    bullets("Learning objectives", [
        "Describe the determinants of glomerular filtration",
        "Explain why creatinine clearance approximates GFR",
        "Calculate an estimated GFR from serum creatinine",
        "Stage chronic kidney disease using eGFR and albuminuria",
    ])

    # 3. clean
    bullets("Glomerular filtration", [
        "GFR = Kf × (net filtration pressure)",
        "Afferent arteriole constriction lowers GFR; efferent constriction raises it",
        "Normal GFR is about 125 mL/min (180 L/day)",
        "Autoregulation: myogenic response and tubuloglomerular feedback",
    ], notes="Draw the Starling forces across the glomerular capillary on the board.")

    # 4. table with the CKD-EPI 2009 race coefficient (flag)
    slide = prs.slides.add_slide(title_only)
    slide.shapes.title.text = "Estimating GFR from serum creatinine"
    rows = [
        ("Equation", "Inputs", "Adjustment"),
        ("Cockcroft-Gault", "Age, weight, sex, creatinine", "× 0.85 if female"),
        ("CKD-EPI 2009", "Age, sex, creatinine", "eGFR × 1.159 if African American"),
        ("CKD-EPI 2021", "Age, sex, creatinine", "None"),
    ]
    table = slide.shapes.add_table(len(rows), 3, Inches(0.5), Inches(1.8), Inches(9),
                                   Inches(2.4)).table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(16)

    # 5. MDRD with the coefficient in the speaker notes (flag)
    bullets("The MDRD study equation", [
        "Derived from 1,628 patients with chronic kidney disease",
        "Less accurate at GFR above 60 mL/min/1.73 m²",
        "Still printed on some older laboratory reports",
    ], notes=("When you calculate eGFR with MDRD, multiply the result by 1.212 for Black "
              "patients because they have more muscle mass."))

    # 6. race as a risk factor (flag)
    bullets("Risk factors for CKD", [
        "Risk factors for CKD: diabetes, hypertension, African American race",
        "Family history of kidney failure",
        "Age over 60 years",
    ])

    # 7. critical slide (must not be flagged)
    bullets("Why the race coefficient was removed in 2021", [
        "The 2009 CKD-EPI equation multiplied eGFR by 1.159 for Black patients; this was abandoned in 2021",
        "The coefficient overestimated kidney function and delayed referral and transplant listing",
        "Race is a social category, not a measure of muscle mass or kidney biology",
        "The NKF-ASN Task Force recommended the race-free CKD-EPI 2021 equation for all laboratories",
    ], notes=("Ask students how a race-based equation could delay transplant waitlisting, and "
              "what the race-free equation changes for their patients."))

    # 8. clean summary
    bullets("Summary", [
        "Use the race-free CKD-EPI 2021 creatinine equation to estimate GFR",
        "Confirm with cystatin C when creatinine is unreliable",
        "Stage CKD by eGFR (G1–G5) and albuminuria (A1–A3)",
    ])

    _set_core(prs.core_properties, "Renal Physiology: Measuring Kidney Function",
              "Example lecture deck for curriclint")
    prs.save(path)
    _normalise_zip(path)


# --------------------------------------------------------------------------- PDF

def make_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE.replace(tzinfo=dt.timezone.utc))
    pdf.set_title("Pulmonary Function Testing")
    pdf.set_author(AUTHOR)
    pdf.set_subject("Example handout for curriclint")
    pdf.set_creator("scripts/make_examples.py")
    pdf.set_producer("fpdf2")
    font_dir = Path("/usr/share/fonts/truetype/dejavu")
    times = "×"
    if (font_dir / "DejaVuSans.ttf").is_file() and (font_dir / "DejaVuSans-Bold.ttf").is_file():
        pdf.add_font("DejaVu", "", str(font_dir / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
        family = "DejaVu"
    else:  # core fonts only cover Latin-1: spell the symbols plainly
        family, times = "Helvetica", "x"

    def heading(text: str) -> None:
        pdf.set_font(family, "B", 14)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def para(text: str) -> None:
        pdf.set_font(family, "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    # page 1: clean physiology
    pdf.add_page()
    heading("Pulmonary Function Testing: Spirometry")
    para("Spirometry measures how much air a patient can exhale and how fast. The forced vital "
         "capacity (FVC) is the total volume exhaled after a maximal inspiration; the forced "
         "expiratory volume in one second (FEV1) is the volume exhaled in the first second.")
    para("An FEV1/FVC ratio below the lower limit of normal indicates airflow obstruction, as in "
         "asthma and chronic obstructive pulmonary disease. A reduced FVC with a normal or high "
         "ratio suggests restriction and should be confirmed with lung volumes.")
    para("Acceptable manoeuvres: a rapid start, no cough in the first second, and at least six "
         "seconds of exhalation. Repeat until two FVC values agree within 150 mL.")

    # page 2: race correction taught as current practice (flag)
    pdf.add_page()
    heading("Interpreting the results")
    para("Compare each measured value with the predicted value for the patient's age, height and "
         "sex, and report it as a percentage of predicted.")
    para("For Black patients, multiply the predicted FVC by 0.88 before you calculate the "
         f"percentage of predicted. Example: predicted FVC 4.0 L {times} 0.88 = 3.52 L.")
    para("Bronchodilator response: an increase of more than 10% of the predicted value in FEV1 "
         "or FVC after salbutamol.")

    # page 3: critical paragraph (must not be flagged)
    pdf.add_page()
    heading("Race and lung function: changing practice")
    para("In 2023 the American Thoracic Society recommended replacing race-specific reference "
         "equations with the race-neutral GLI Global equations. Historically, race correction "
         "treated lower lung function as normal for Black patients, so impairment was "
         "under-recognised and disability and surgical decisions were affected; the practice "
         "was abandoned in 2023.")
    para("Interpret every patient's spirometry with the GLI Global reference equations, and "
         "consider social and environmental exposures (occupation, housing, air pollution) "
         "when you explain differences in lung function between groups.")
    pdf.output(str(path))


# --------------------------------------------------------------------------- Word

def make_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Clinical Reasoning: Teaching Cases, Week 6", level=1)
    doc.add_paragraph("Read each case before the small-group session. For each, list your "
                      "differential diagnosis and the first investigations you would order.")

    doc.add_heading("Case 1: Bone pain", level=2)
    case1 = doc.add_paragraph(
        "A 22-year-old African American man presents with severe bone pain in his back and "
        "thighs. His temperature is 37.4 °C. The most likely diagnosis is sickle cell crisis.")
    doc.add_paragraph("Discussion: what analgesia would you start in the emergency department?")

    doc.add_heading("Case 2: Poorly controlled diabetes", level=2)
    case2 = doc.add_paragraph(
        "A 58-year-old man with type 2 diabetes returns to clinic with an HbA1c of 10.2%. He is "
        "noncompliant with his metformin and misses most appointments.")
    doc.add_paragraph("Discussion: how would you adjust his treatment plan?")

    doc.add_heading("Case 3: Chest pain", level=2)
    doc.add_paragraph(
        "A 64-year-old woman presents with 40 minutes of central chest pressure radiating to "
        "her left arm, with sweating and nausea. She has hypertension and smokes ten cigarettes "
        "a day. ECG shows ST elevation in leads II, III and aVF.")
    doc.add_paragraph("Discussion: which coronary artery is most likely occluded?")

    doc.add_heading("Laboratory values for the cases", level=2)
    rows = [("Case", "Test", "Result"),
            ("1", "Haemoglobin", "8.1 g/dL"),
            ("2", "HbA1c", "10.2%"),
            ("3", "Troponin I", "2.4 ng/mL")]
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text

    if hasattr(doc, "add_comment"):  # python-docx >= 1.2
        from docx.oxml.ns import qn

        comments = [
            doc.add_comment(case1.runs, text="Reviewer: why is race the first thing we say "
                            "about this patient? Sickle cell trait occurs in many ancestries.",
                            author="Curriculum reviewer", initials="CR"),
            doc.add_comment(case2.runs, text="Consider describing the barriers to taking "
                            "metformin instead of labelling the patient.",
                            author="Curriculum reviewer", initials="CR"),
        ]
        for comment in comments:  # pin the timestamp python-docx sets to "now"
            comment._comment_elm.set(qn("w:date"), FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ"))

    _set_core(doc.core_properties, "Clinical Reasoning: Teaching Cases",
              "Example case book for curriclint")
    doc.save(path)
    _normalise_zip(path)


# --------------------------------------------------------------------------- GIFT

GIFT = """\
// Renal and haematology question bank (example for curriclint)
// Each question has a title (::...::), options, and feedback after #.

$CATEGORY: $course$/Year 2/Renal and Haematology

// Q1: clean
::Q1 Nephron physiology::Which segment of the nephron reabsorbs the largest fraction of filtered sodium?{
  =Proximal convoluted tubule#Correct: about two thirds of filtered sodium is reabsorbed here.
  ~Thick ascending limb#About 25% of filtered sodium is reabsorbed here.
  ~Distal convoluted tubule#Only about 5% is reabsorbed here.
  ~Collecting duct#Fine tuning under aldosterone; a small fraction.
}

// Q2: stereotyped vignette (race given as the cue to the diagnosis)
::Q2 Bone pain::A 19-year-old African American man presents with severe bone pain in his chest and back. What is the most likely diagnosis?{
  =Sickle cell crisis#Correct.
  ~Osteomyelitis#Fever and a focal lesion would be expected.
  ~Multiple myeloma#Unlikely at this age.
  ~Ankylosing spondylitis#Pain would be chronic and inflammatory.
}

// Q3: estimating kidney function (the feedback teaches an outdated equation)
::Q3 Estimating GFR::A 50-year-old man has a serum creatinine of 1.4 mg/dL. Which equation do most laboratories use to estimate his GFR?{
  =CKD-EPI#Correct. When you report eGFR with CKD-EPI, multiply by 1.159 if the patient is Black.
  ~Cockcroft-Gault#This estimates creatinine clearance and is used for drug dosing.
  ~24-hour urine urea#Urea is partly reabsorbed and underestimates GFR.
}

// Q4: clean, with a true/false format
::Q4 Cystatin C::Cystatin C is less affected by muscle mass than creatinine.{TRUE#Correct: it is produced by all nucleated cells.}

// Q5: clean vignette
::Q5 Nephrotic syndrome::A 6-year-old boy presents with periorbital oedema, heavy proteinuria and a serum albumin of 1.9 g/dL. What is the most likely finding on electron microscopy?{
  =Effacement of podocyte foot processes#Correct: minimal change disease.
  ~Subepithelial immune deposits#Seen in membranous nephropathy.
  ~Basement membrane splitting#Seen in Alport syndrome.
}

// Q6: stigmatizing descriptor in the stem
::Q6 Hyperkalaemia::A 45-year-old man on haemodialysis who is noncompliant with his diet and skipped his last dialysis session presents with weakness. Which ECG change is expected?{
  =Peaked T waves#Correct: the first sign of hyperkalaemia.
  ~U waves#Seen in hypokalaemia.
  ~Prolonged QT#Seen in hypocalcaemia.
}
"""


def make_gift(path: Path) -> None:
    path.write_text(GIFT, encoding="utf-8", newline="\n")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "examples"
    out.mkdir(parents=True, exist_ok=True)
    makers = [("renal-physiology.pptx", make_pptx), ("pulmonary-function.pdf", make_pdf),
              ("case-vignettes.docx", make_docx), ("question-bank.gift", make_gift)]
    for name, maker in makers:
        target = out / name
        maker(target)
        print(f"wrote {target} ({target.stat().st_size // 1024 + 1} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
