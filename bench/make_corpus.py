#!/usr/bin/env python
"""Generate a reproducible benchmark corpus of medical-school teaching material.

    python bench/make_corpus.py --out /tmp/curriclint-corpus [--scale 1.0] [--seed 20240]

At scale 1.0: 40 slide decks x 60 slides (.pptx: titles, bullets, some tables, speaker
notes), 20 PDFs x 30 pages (prose), 12 question banks x 100 questions (6 GIFT files,
6 Word banks with numbered questions, lettered options, "Answer: B" and explanations),
spread over course folders. Every word comes from the templates and word lists below
(nothing is copied from real curricula); one seed gives byte-identical text.

About 3% of sentences carry a race-related trigger term; half of those teach race as
biology or apply a race correction (should be flagged), half criticise or historicise it
(should pass). About 1.5% more are "near misses": sentences with words the trigger gate
knows (creatinine, lung function, white blood cells) but no race. The script prints the
total words, the designed shares, and (if curriclint is importable) the share of
sentences on which the engine's trigger gate actually fires.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

RACE_RATE = 0.03  # share of sentences with a race-related trigger term
NEAR_MISS_RATE = 0.015  # share with gate words but no race

COURSES = {
    "cardiology": ["hypertension", "heart failure", "atrial fibrillation", "aortic stenosis",
                   "acute coronary syndrome", "infective endocarditis", "pericarditis"],
    "renal": ["nephrotic syndrome", "acute kidney injury", "polycystic kidney disease",
              "renal tubular acidosis", "hyperkalaemia", "IgA nephropathy", "nephrolithiasis"],
    "pulmonology": ["asthma", "sarcoidosis", "pulmonary embolism", "pneumothorax",
                    "interstitial lung disease", "community-acquired pneumonia", "bronchiectasis"],
    "endocrinology": ["type 2 diabetes", "hypothyroidism", "Cushing syndrome", "Addison disease",
                      "primary hyperparathyroidism", "diabetic ketoacidosis", "acromegaly"],
    "haematology": ["sickle cell disease", "iron deficiency anaemia", "beta thalassaemia",
                    "immune thrombocytopenia", "haemophilia A", "multiple myeloma", "G6PD deficiency"],
    "dermatology": ["psoriasis", "atopic dermatitis", "melanoma", "vitiligo", "keloid scarring",
                    "pressure injury", "acne vulgaris"],
    "obstetrics": ["pre-eclampsia", "gestational diabetes", "placenta praevia", "postpartum haemorrhage",
                   "ectopic pregnancy", "hyperemesis gravidarum", "preterm labour"],
    "history-of-medicine": ["smallpox vaccination", "the germ theory", "anaesthesia with ether",
                            "antisepsis in surgery", "the discovery of insulin", "penicillin",
                            "the Flexner report"],
}

SYMPTOMS = ["shortness of breath", "chest pain", "fatigue", "palpitations", "ankle swelling",
            "fever", "weight loss", "polyuria", "headache", "joint pain", "a productive cough",
            "abdominal pain", "dizziness", "night sweats", "a painless rash", "blurred vision"]
SIGNS = ["a displaced apex beat", "bibasal crackles", "a raised jugular venous pressure",
         "pitting oedema", "a systolic murmur", "tachycardia", "pallor", "hepatomegaly",
         "a goitre", "bilateral wheeze", "splenomegaly", "a malar rash", "clubbing"]
TESTS = ["an ECG", "a chest radiograph", "an echocardiogram", "a full blood count",
         "serum electrolytes", "urinalysis", "an arterial blood gas", "a CT scan", "HbA1c",
         "thyroid stimulating hormone", "a lipid profile", "a peripheral blood smear", "a biopsy"]
DRUGS = ["an ACE inhibitor", "a loop diuretic", "a beta blocker", "metformin", "insulin",
         "a statin", "a corticosteroid", "hydroxyurea", "levothyroxine", "a calcium channel blocker",
         "low molecular weight heparin", "amoxicillin", "an SGLT2 inhibitor"]
MECHANISMS = ["activation of the renin-angiotensin system", "endothelial dysfunction",
              "immune complex deposition", "insulin resistance", "sodium retention",
              "fibrosis of the interstitium", "haemoglobin polymerisation", "loss of podocytes",
              "sympathetic activation", "oxidative stress", "impaired surfactant production"]
ORGANS = ["the left ventricle", "the glomerulus", "the alveoli", "the pancreatic islets",
          "the bone marrow", "the thyroid", "the adrenal cortex", "the dermis", "the placenta",
          "the proximal tubule", "the myocardium", "the spleen"]
VERBS = ["causes", "leads to", "is associated with", "contributes to", "may present as",
         "is suggested by", "often precedes", "can mimic"]
STUDENT_TASKS = ["summarise", "compare", "explain", "draw", "list", "describe", "outline"]
ADJECTIVES = ["acute", "progressive", "intermittent", "severe", "mild", "recurrent", "sudden",
              "insidious", "persistent"]
YEARS = ["1796", "1846", "1867", "1910", "1921", "1928", "1943", "1955", "1978", "1992"]
# Numbers that do not look like the race coefficients the packs search for.
SAFE_VALUES = ["3.1", "4.6", "5.2", "7.4", "12", "18", "26", "32", "45", "60", "90", "110",
               "135", "140", "2.4", "6.3"]
UNITS = ["mmol/L", "mg/dL", "g/L", "mmHg", "%", "beats per minute", "mL/min"]
AGES = list(range(19, 82))
SEXES = ["man", "woman"]
OCCUPATIONS = ["teacher", "bus driver", "nurse", "farmer", "accountant", "student", "chef",
               "retired engineer", "shop owner", "postal worker"]

FILLER = [
    "{Condition} {verb} {mechanism}.",
    "In {condition}, {mechanism} is the key step that {organ2} cannot compensate for.",
    "Patients with {condition} typically report {symptom} and {symptom2}.",
    "On examination, look for {sign} and {sign2}.",
    "Request {test} and {test2} when {condition} is suspected.",
    "First-line treatment of {condition} is {drug}, with {drug2} as an alternative.",
    "{Drug} reduces mortality in {condition} by limiting {mechanism}.",
    "The typical value is {value} {unit}, and values above {value2} {unit} need review.",
    "{Adjective} {symptom} in a patient with {condition} should prompt {test}.",
    "Damage to {organ} {verb} {symptom}.",
    "Students should {task} how {mechanism} {verb} {condition}.",
    "A common exam trap is to confuse {condition} with {condition2}.",
    "Monitor the response to {drug} with {test} every three months.",
    "In {year}, clinicians first described {condition} in a case series.",
    "The differential diagnosis of {symptom} includes {condition} and {condition2}.",
    "Remember that {sign} is neither sensitive nor decisive for {condition}.",
    "Complications of {condition} include {condition2} and damage to {organ}.",
    "Counsel the patient about side effects of {drug}, such as {symptom}.",
]

# Sentences with gate words but no race: they pass the cheap word gate and reach spaCy.
NEAR_MISS = [
    "Serum creatinine rose from 88 to 140 umol/L over two days.",
    "Chronic kidney disease is staged by filtration rate and albuminuria.",
    "Lung function testing showed an obstructive pattern.",
    "The white blood cell count was {value} x 10^9/L.",
    "Many people with {condition} remain undiagnosed for years.",
    "Smoking is a modifiable risk factor for {condition}.",
    "Cystatin C is useful when muscle mass is unusual.",
]

# Race taught as biology, or a race correction applied: these should be flagged.
ASSERTED = [
    "eGFR is multiplied by 1.159 if the patient is African American.",
    "MDRD: eGFR = 175 x SCr^-1.154 x age^-0.203 x 0.742 [if female] x 1.212 [if Black].",
    "For Black patients, multiply the predicted FVC by 0.88 before interpreting spirometry.",
    "African American race is an independent risk factor for {condition}.",
    "Risk factors for {condition}: age, obesity, African American race.",
    "Black patients have a higher pain tolerance, so they need less analgesia.",
    "African Americans are genetically predisposed to {condition}.",
    "Use the race-specific NHANES III reference equations to interpret FEV1.",
    "Mongoloid facial features include epicanthal folds.",
    "Remember to apply the race coefficient when you calculate eGFR for Black patients.",
    "Asian patients are biologically different in how they handle {drug}.",
]

# Race discussed critically or historically: these should pass.
CRITICISED = [
    "The 2021 CKD-EPI equation removed the 1.159 race coefficient.",
    "Until 2021, many labs multiplied eGFR by 1.159 for Black patients; this practice was abandoned.",
    "Race is not a biological risk factor; racism and unequal access to care drive the disparity in {condition}.",
    "The ATS now recommends race-neutral GLI Global equations instead of race-specific spirometry reference equations.",
    "There is no evidence that Black patients are genetically predisposed to {condition}; the gap reflects structural racism.",
    "Hoffman and colleagues found that many trainees endorsed the false belief that Black people have thicker skin.",
    "The terms Caucasoid and Negroid come from discredited 19th-century racial typology.",
    "Older textbooks listed African American race as a risk factor, a framing that has been criticised.",
    "Historically, spirometers applied a 0.88 correction factor to Black patients' lung function.",
]

GATE_WORDS = re.compile(r"\b(black|white|african|asian|race|racial|caucasoid|negroid|mongoloid)\b", re.I)


@dataclass
class Stats:
    sentences: int = 0
    race: int = 0
    asserted: int = 0
    near_miss: int = 0
    words: int = 0
    files: dict = field(default_factory=dict)


class Writer:
    """Sentence and paragraph generator; every random choice goes through one Random."""

    def __init__(self, rng: random.Random, race_rate: float = RACE_RATE,
                 near_miss_rate: float = NEAR_MISS_RATE):
        self.rng = rng
        self.race_rate = race_rate
        self.near_miss_rate = near_miss_rate
        self.stats = Stats()
        self.conditions = [c for cs in COURSES.values() for c in cs]
        self.course_conditions = self.conditions

    def _fill(self, template: str) -> str:
        r = self.rng
        cond = r.sample(self.course_conditions, 2) if len(self.course_conditions) > 1 else self.course_conditions * 2
        symptom = r.sample(SYMPTOMS, 2)
        sign = r.sample(SIGNS, 2)
        test = r.sample(TESTS, 2)
        drug = r.sample(DRUGS, 2)
        organ = r.sample(ORGANS, 2)
        value = r.sample(SAFE_VALUES, 2)
        values = {
            "condition": cond[0], "condition2": cond[1], "symptom": symptom[0], "symptom2": symptom[1],
            "sign": sign[0], "sign2": sign[1], "test": test[0], "test2": test[1], "drug": drug[0],
            "drug2": drug[1], "organ": organ[0], "organ2": organ[1], "mechanism": r.choice(MECHANISMS),
            "verb": r.choice(VERBS), "task": r.choice(STUDENT_TASKS), "adjective": r.choice(ADJECTIVES),
            "value": value[0], "value2": value[1], "unit": r.choice(UNITS), "year": r.choice(YEARS),
        }
        values.update({k.capitalize(): _cap(v) for k, v in list(values.items())})
        return template.format(**values)

    def sentence(self) -> str:
        r = self.rng
        self.stats.sentences += 1
        roll = r.random()
        if roll < self.race_rate:
            self.stats.race += 1
            if r.random() < 0.5:
                self.stats.asserted += 1
                text = self._fill(r.choice(ASSERTED))
            else:
                text = self._fill(r.choice(CRITICISED))
        elif roll < self.race_rate + self.near_miss_rate:
            self.stats.near_miss += 1
            text = self._fill(r.choice(NEAR_MISS))
        else:
            text = self._fill(r.choice(FILLER))
        self.stats.words += len(text.split())
        return text

    def sentences(self, lo: int, hi: int) -> list[str]:
        return [self.sentence() for _ in range(self.rng.randint(lo, hi))]

    def paragraph(self, lo: int = 4, hi: int = 7) -> str:
        return " ".join(self.sentences(lo, hi))

    def count(self, text: str) -> str:
        """Count words of text that did not come from sentence() (titles, options...)."""
        self.stats.words += len(text.split())
        return text


def _cap(value: str) -> str:
    return value[:1].upper() + value[1:] if value else value


# --- slide decks -------------------------------------------------------------------------

def make_deck(path: Path, w: Writer, course: str, slides: int = 60) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    r = w.rng
    prs = Presentation()
    title_layout, content_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[1], prs.slide_layouts[5]
    for number in range(1, slides + 1):
        topic = r.choice(w.course_conditions)
        if number == 1:
            slide = prs.slides.add_slide(title_layout)
            slide.shapes.title.text = w.count(f"{_cap(course.replace('-', ' '))}: {topic}")
            slide.placeholders[1].text = w.count(f"Lecture {r.randint(1, 30)}, year {r.randint(1, 4)}")
        elif r.random() < 0.12:
            slide = prs.slides.add_slide(title_only)
            slide.shapes.title.text = w.count(f"{_cap(topic)}: key values")
            rows = r.randint(4, 7)
            table = slide.shapes.add_table(rows, 3, Inches(0.5), Inches(1.6), Inches(9), Inches(0.4 * rows)).table
            for col, head in enumerate(["Parameter", "Typical value", "Comment"]):
                table.cell(0, col).text = w.count(head)
            for row in range(1, rows):
                table.cell(row, 0).text = w.count(_cap(r.choice(TESTS)))
                table.cell(row, 1).text = w.count(f"{r.choice(SAFE_VALUES)} {r.choice(UNITS)}")
                table.cell(row, 2).text = w.sentence()
        else:
            slide = prs.slides.add_slide(content_layout)
            slide.shapes.title.text = w.count(_cap(f"{topic}: {r.choice(['overview', 'pathophysiology', 'diagnosis', 'management', 'clinical features', 'case discussion', 'complications'])}"))
            frame = slide.placeholders[1].text_frame
            bullets = w.sentences(3, 6)
            frame.text = bullets[0]
            for bullet in bullets[1:]:
                para = frame.add_paragraph()
                para.text = bullet
                para.level = 1 if r.random() < 0.25 else 0
                para.font.size = Pt(18)
        slide.notes_slide.notes_text_frame.text = " ".join(w.sentences(2, 5))
    prs.save(path)


# --- PDFs ---------------------------------------------------------------------------------

def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def make_pdf(path: Path, w: Writer, course: str, pages: int = 30) -> None:
    from fpdf import FPDF

    r = w.rng
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(f"{course} reading")
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=14)
        heading = w.count(f"{page}. {_cap(r.choice(w.course_conditions))}")
        pdf.multi_cell(0, 8, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for _ in range(r.randint(4, 5)):
            pdf.multi_cell(0, 5.5, _latin1(w.paragraph(4, 6)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


# --- question banks -----------------------------------------------------------------------

RACES_IN_STEM = ["African American", "Black", "white", "Hispanic", "Asian"]


def question(w: Writer) -> tuple[str, list[str], int, str]:
    """Stem, five options, index of the right one, explanation."""
    r = w.rng
    w.stats.sentences += 1
    age, sex = r.choice(AGES), r.choice(SEXES)
    if r.random() < w.race_rate:
        w.stats.race += 1
        who = f"A {age}-year-old {r.choice(RACES_IN_STEM)} {sex}"
    else:
        who = f"A {age}-year-old {sex}"
    intro = w.count(f"{who} who works as a {r.choice(OCCUPATIONS)} presents with "
                    f"{r.choice(ADJECTIVES)} {r.choice(SYMPTOMS)} for {r.randint(2, 14)} days.")
    stem = " ".join([intro, *w.sentences(1, 3),
                     w.count("Which of the following is the most likely diagnosis?")])
    options = r.sample(w.course_conditions, 5) if len(w.course_conditions) >= 5 else r.sample(w.conditions, 5)
    for option in options:
        w.count(option)
    right = r.randrange(5)
    explanation = " ".join(w.sentences(1, 3))
    return stem, [_cap(o) for o in options], right, explanation


def make_gift(path: Path, w: Writer, course: str, questions: int = 100) -> None:
    def esc(text: str) -> str:
        return re.sub(r"([~=#{}:\\])", r"\\\1", text)

    blocks = [f"// {course} question bank, generated for benchmarking", f"$CATEGORY: {course}", ""]
    for number in range(1, questions + 1):
        stem, options, right, explanation = question(w)
        answers = " ".join(("=" if i == right else "~") + esc(o) for i, o in enumerate(options))
        blocks.append(f"::Q{number}:: {esc(stem)} {{{answers} ####{esc(explanation)}}}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")


def make_word_bank(path: Path, w: Writer, course: str, questions: int = 100) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading(w.count(f"{_cap(course.replace('-', ' '))} practice questions"), level=1)
    for number in range(1, questions + 1):
        stem, options, right, explanation = question(w)
        doc.add_paragraph(f"{number}. {stem}")
        for i, option in enumerate(options):
            doc.add_paragraph(f"{'ABCDE'[i]}. {option}")
        doc.add_paragraph(f"Answer: {'ABCDE'[right]}")
        doc.add_paragraph(f"Explanation: {explanation}")
    doc.save(path)


# --- single decks for cold-start measurements ----------------------------------------------

def single_deck(path: Path, seed: int, with_findings: bool, slides: int = 60) -> Stats:
    """A 60-slide deck with no trigger at all (race and near-miss rates 0), or one with the
    usual rates, used by run.py for cold single-file timings."""
    w = Writer(random.Random(seed), race_rate=RACE_RATE * 2 if with_findings else 0.0,
               near_miss_rate=NEAR_MISS_RATE if with_findings else 0.0)
    w.course_conditions = COURSES["renal"] + COURSES["cardiology"]
    make_deck(path, w, "renal", slides)
    return w.stats


def prose(seed: int, words: int, race_rate: float = RACE_RATE,
          near_miss_rate: float = NEAR_MISS_RATE) -> list[str]:
    """Paragraphs totalling at least ``words`` words (engine throughput measurements)."""
    w = Writer(random.Random(seed), race_rate=race_rate, near_miss_rate=near_miss_rate)
    out = []
    while w.stats.words < words:
        out.append(w.paragraph(4, 7))
    return out


# --- the corpus -----------------------------------------------------------------------------

def build(out: Path, scale: float = 1.0, seed: int = 20240, quiet: bool = False) -> Stats:
    rng = random.Random(seed)
    w = Writer(rng)
    n_decks, n_pdfs = max(1, round(40 * scale)), max(1, round(20 * scale))
    n_gift, n_word = max(1, round(6 * scale)), max(1, round(6 * scale))
    courses = list(COURSES)
    plan = ([("deck", i) for i in range(n_decks)] + [("pdf", i) for i in range(n_pdfs)]
            + [("gift", i) for i in range(n_gift)] + [("docx", i) for i in range(n_word)])
    for kind, i in plan:
        course = courses[i % len(courses)]
        w.course_conditions = COURSES[course]
        folder = out / course
        folder.mkdir(parents=True, exist_ok=True)
        number = i // len(courses) + 1
        if kind == "deck":
            path = folder / f"lecture-{number:02d}.pptx"
            make_deck(path, w, course, 60)
        elif kind == "pdf":
            path = folder / f"reading-{number:02d}.pdf"
            make_pdf(path, w, course, 30)
        elif kind == "gift":
            path = folder / f"bank-{number:02d}.gift"
            make_gift(path, w, course, 100)
        else:
            path = folder / f"bank-{number:02d}.docx"
            make_word_bank(path, w, course, 100)
        w.stats.files[kind] = w.stats.files.get(kind, 0) + 1
        if not quiet:
            print(f"  {path.relative_to(out)}", file=sys.stderr)
    return w.stats


def gate_share(out: Path) -> tuple[int, int] | None:
    """(sentences on which curriclint's trigger gate fires, sentences) over the extracted
    corpus, or None when curriclint is not importable."""
    try:
        from curriclint.config import load_config
        from curriclint.engine.linter import Linter
        from curriclint.rules.loader import load_rules
        from curriclint.runner import extract_targets
    except ImportError:
        return None
    linter = Linter(load_rules(None, []))
    fired = total = 0
    for _, segments in extract_targets([str(out)], load_config([str(out)])):
        for segment in segments:
            for sentence in re.split(r"(?<=[.?!])\s+", segment.text):
                if sentence.strip():
                    total += 1
                    fired += linter.triggered(sentence)
    return fired, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the corpus to")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply file counts (default 1.0)")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--no-gate", action="store_true", help="skip measuring the trigger-gate share")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stats = build(args.out, args.scale, args.seed, args.quiet)
    files = ", ".join(f"{n} {k}" for k, n in stats.files.items())
    print(f"corpus: {args.out} ({files})")
    print(f"total words: {stats.words:,}")
    print(f"sentences: {stats.sentences:,}; with a race trigger term: {stats.race:,} "
          f"({stats.race / stats.sentences:.2%}; {stats.asserted:,} asserted, "
          f"{stats.race - stats.asserted:,} criticised/historical or stated in a stem); "
          f"near misses (gate words, no race): {stats.near_miss:,} ({stats.near_miss / stats.sentences:.2%})")
    if not args.no_gate:
        share = gate_share(args.out)
        if share:
            fired, total = share
            print(f"curriclint trigger gate fires on {fired:,} of {total:,} extracted sentences "
                  f"({fired / total:.2%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
