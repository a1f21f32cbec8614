"""Engine semantics, tested with a small pack written here so the tests do not depend on
the wording of the built-in packs."""
from __future__ import annotations

import textwrap

import pytest

from curriclint.engine.linter import Linter
from curriclint.engine.samples import segments_for_text
from curriclint.rules.loader import builtin_rules_dir, load_pack_files

PACK = textwrap.dedent("""\
    pack: test-engine
    version: 1.0.0
    terms:
      people: ["@terms.black", "@terms.white"]
    defaults:
      unless: {context: [negated, historical, criticised]}
      downgrade: {context: [quoted, hypothetical], to: info}
    rules:
      - id: TE001
        name: coefficient
        category: race_based_algorithm
        severity: error
        message: "coefficient ({match})"
        rationale: Because.
        suggestion: Use the race-free equation.
        match:
          - coefficient: {values: ["1.159"], near: [egfr], within: 20}
        unless:
          context: [negated, historical, criticised]
          segment: [race-free equation]
        examples: {flag: ["eGFR x 1.159 if Black."], pass: ["eGFR with the race-free equation."]}
      - id: TE002
        name: near-phrase
        category: biologized_race
        severity: warning
        message: "near ({match})"
        rationale: Because.
        suggestion: Name the mechanism.
        match:
          - near: {terms: "@people", to: [risk factor], within: 6}
        examples: {flag: ["Black race is a risk factor."], pass: ["Age is a risk factor."]}
      - id: TE003
        name: keyed
        category: stereotyped_vignette
        severity: warning
        message: "keyed ({match})"
        rationale: Because.
        suggestion: Give the findings.
        level: question
        scope: [stem]
        vignettes_only: true
        match:
          - near: {terms: "@people", to: [sickle cell], within: 400, same: segment}
        unless:
          stem: [electrophoresis shows]
        examples:
          flag: ["A 20-year-old Black man has bone pain. Which diagnosis?\\nA. Gout\\nB. Sickle cell disease\\nAnswer: B"]
          pass: ["A 20-year-old man has bone pain. Which diagnosis?\\nA. Gout\\nB. Sickle cell disease\\nAnswer: B"]
      - id: TE004
        name: keyed-tool
        category: race_based_algorithm
        severity: warning
        message: "keyed tool ({match})"
        rationale: Because.
        suggestion: Use the race-free tool.
        level: question
        scope: [stem, answer, feedback]
        match:
          - near: {terms: [frax], to: "@people", within: 80, same: segment}
        examples:
          flag: ["Which FRAX model?\\nA. UK\\nB. FRAX US-Black model\\nAnswer: B"]
          pass: ["Which FRAX model?\\nA. FRAX US-Black model\\nB. UK\\nAnswer: B"]
    """)


@pytest.fixture(scope="module")
def linter(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "test-engine.yaml"
    path.write_text(PACK, encoding="utf-8")
    return Linter(load_pack_files([builtin_rules_dir() / "terms.yaml", path]))


def flags(linter, text, kind="paragraph"):
    return [(f.rule_id, f.context_kind) for f in linter.lint(segments_for_text(text, kind))
            if f.severity.is_flag]


@pytest.mark.parametrize("text", [
    "eGFR × 1.159 if African American", "eGFR x1.159 (Black)", "eGFR * 1.159 for Black patients",
    "multiply eGFR by 1.159", "eGFR times 1.159 if Black", "eGFR: 1.159 if the patient is Black",
    "eGFR × 01.159 if Black", "eGFR × 1.1590 if Black",
])
def test_coefficient_written_as_a_multiplier(linter, text):
    assert flags(linter, text) == [("TE001", "asserted")]


@pytest.mark.parametrize("text", ["eGFR fell from 11.159 to 9", "The p value was 1.159", "1.1592 mg"])
def test_coefficient_needs_the_exact_number_and_its_topic(linter, text):
    assert flags(linter, text) == []


@pytest.mark.parametrize("text", [
    "Black race is a risk factor.", "BLACK RACE is a RISK FACTOR.", "African-American race: a risk factor",
    "African\nAmerican race is a risk factor", "Blacks: risk factors include race",
])
def test_phrases_ignore_case_hyphens_line_breaks_and_plurals(linter, text):
    assert ("TE002", "asserted") in flags(linter, text)


@pytest.mark.parametrize("text", [
    "White matter lesions are a risk factor for falls.",
    "A black box warning is a risk factor for litigation.",
    "White JM et al. described risk factors for falls.",
])
def test_other_senses_of_race_words_do_not_match(linter, text):
    assert flags(linter, text) == []


def test_single_quotes_mark_a_quotation_but_apostrophes_do_not(linter):
    quoted = "The 2004 slide read 'Black race is a risk factor' in its summary."
    assert flags(linter, quoted) == []
    assert [f.context_kind for f in linter.lint(segments_for_text(quoted, "paragraph"))] == ["quoted"]
    assert flags(linter, "Black patients' race is a risk factor.") == [("TE002", "asserted")]


def test_table_cell_finds_its_topic_in_the_header(linter):
    from curriclint.model import Segment

    cell = Segment("deck.pptx", "slide", 4, "table", "× 1.159 if Black", row=2, col=2,
                   context="Slide title: Kidney function | Column: eGFR equation | Row: CKD-EPI | × 1.159 if Black")
    assert [f.rule_id for f in linter.lint([cell])] == ["TE001"]


def test_question_level_rule_pairs_stem_and_keyed_answer(linter):
    question = ("A 20-year-old Black man has bone pain. Which diagnosis?\nA. Gout\n"
                "B. Sickle cell disease\nAnswer: {}")
    assert flags(linter, question.format("B"), "question") == [("TE003", "asserted")]
    assert flags(linter, question.format("A"), "question") == []  # the key is gout


def test_question_level_match_only_in_the_key_is_reported_in_the_key(linter):
    question = ("A 68-year-old woman has a T-score of -1.9. Which tool is most appropriate?\n"
                "A. Garvan calculator\nB. FRAX US-Black model\nAnswer: B")
    [finding] = linter.lint(segments_for_text(question, "question"))
    assert (finding.rule_id, finding.location["part"], finding.text) == ("TE004", "answer", "FRAX US-Black")
    assert question.split("Answer")[0].count(finding.text) == 1  # the option, not the stem
    # a rule scoped to the stem needs the race stated there, not only in the key
    keyed_race = ("A 20-year-old man has bone pain. Which diagnosis?\nA. Gout\n"
                  "B. Sickle cell disease in a Black man\nAnswer: B")
    assert flags(linter, keyed_race, "question") == []


def test_stem_exemption_reads_only_the_stem(linter):
    exempt = ("A 20-year-old Black man has bone pain; hemoglobin electrophoresis shows HbSS. Which "
              "diagnosis?\nA. Gout\nB. Sickle cell disease\nAnswer: B")
    assert flags(linter, exempt, "question") == []
    keyed = ("A 20-year-old Black man has bone pain. Which test?\nA. Uric acid\n"
             "B. Sickle cell disease: electrophoresis shows HbSS\nAnswer: B")
    assert flags(linter, keyed, "question") == [("TE003", "asserted")]


def test_vignettes_only_rules_skip_text_without_a_patient(linter):
    assert flags(linter, "Black patients and sickle cell disease: an overview.", "slide") == []


def test_segment_exemption_sees_the_whole_question(linter):
    stem_only = "An old lab sheet reads eGFR × 1.159 if Black. What changed?\nA. Nothing\nB. The equation\nAnswer: B"
    assert flags(linter, stem_only, "question") == [("TE001", "asserted")]
    explained = stem_only + "\nExplanation: labs now use the race-free equation."
    assert flags(linter, explained, "question") == []


def test_context_of_a_long_match_is_judged_at_its_ends(linter):
    # a cue between the race in the stem and the keyed answer does not decide the match
    keyed = ("A 20-year-old Black man has bone pain and no fever. Which diagnosis?\nA. Gout\n"
             "B. Sickle cell disease\nAnswer: B")
    assert flags(linter, keyed, "question") == [("TE003", "asserted")]
    # but a cue next to either end does
    assert flags(linter, "Black race is not a risk factor.") == []
    assert flags(linter, "It is a myth that Black race is a risk factor.") == []


def test_one_finding_per_rule_per_sentence_with_the_widest_span(linter):
    text = "For eGFR, multiply by 1.159 if Black, and × 1.159 again if Black. Then eGFR × 1.159 if Black."
    found = [f for f in linter.lint(segments_for_text(text, "paragraph")) if f.rule_id == "TE001"]
    assert len(found) == 2  # two sentences
    first = found[0]
    assert first.text == "by 1.159 if Black, and × 1.159"
    assert first.context.startswith("For eGFR") and first.context[slice(*first.context_span)] == first.text


def test_lists_compiled_on_first_use_are_caught_up_on_a_parsed_doc():
    """Match items compile when a rule first consults them; a phrase list compiled after a
    doc was matched is matched on that doc too, not silently empty."""
    from curriclint.engine.matchers import CompiledPacks
    from curriclint.engine.nlp import blank_pipeline, make_doc
    from curriclint.rules.loader import load_rules

    ruleset = load_rules()
    compiled = CompiledPacks(ruleset, blank_pipeline(), reduced=True)
    text = "A 40-year-old Black man has flank pain."
    doc = make_doc(compiled.nlp, text, text)
    hits = compiled.term_hits(doc)
    found = compiled.terms_in(doc, hits, ruleset.terms["terms.black"])
    assert [doc[s:e].text for s, e in found] == ["Black"]


def test_compiling_everything_first_changes_no_finding():
    """Linter.prepare (used before forking workers and by the web page) compiles all packs
    up front; the findings are those of compiling on first use."""
    text = ("Risk factors for CKD: diabetes, hypertension, African American race.\n\n"
            "eGFR is multiplied by 1.159 if the patient is Black.\n\n"
            "A 30-year-old noncompliant man presents with chest pain.")
    segments = segments_for_text(text, "paragraph")
    from curriclint.rules.loader import load_rules

    lazy = Linter(load_rules())
    eager = Linter(load_rules())
    eager.prepare()
    as_tuples = lambda findings: sorted((f.rule_id, f.span, f.severity) for f in findings)  # noqa: E731
    assert as_tuples(lazy.lint(segments)) == as_tuples(eager.lint(segments))
    assert {f.rule_id for f in lazy.lint(segments)} >= {"BR001", "RBA001", "SV001"}
