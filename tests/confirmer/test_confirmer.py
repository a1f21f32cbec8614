"""The learned confirmer: its weights rebuild bit for bit, it confirms critique, proposes
what the rules miss, and keeps prose that criticises race-based medicine clean."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from curriclint.cli import main
from curriclint.config import CONFIRMER_DEFAULTS
from curriclint.confirmer import WEIGHTS
from curriclint.confirmer.train import train, tree_digest
from curriclint.engine.linter import ConfirmerUse, Linter
from curriclint.engine.samples import segments_for_text
from curriclint.evaluate import load_corpus
from curriclint.rules.loader import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULESET = load_rules()
DEFAULT = Linter(RULESET, confirmer=ConfirmerUse.from_settings(CONFIRMER_DEFAULTS))
BOTH = Linter(RULESET, confirmer=ConfirmerUse(confirm=True, propose=True))
RULES_ONLY = Linter(RULESET)

# Written for this test, in the manner of published essays on race in medical education.
CRITICAL_PARAGRAPHS = [
    "For two decades, laboratories reported a second, higher eGFR for patients recorded as Black, "
    "the product of a 1.159 multiplier justified by claims about muscle mass. The claim was never "
    "measured in the patients it adjusted, and the higher number postponed referral, dialysis "
    "planning and transplant listing. When the task force replaced the equation in 2021 it did not "
    "find a better coefficient; it concluded that race had no place in the calculation at all.",
    "Nineteenth-century anatomists measured skulls and lungs to rank the peoples they had already "
    "decided to rule, and the spirometer arrived in American medicine carrying that purpose: a "
    "planter-physician used it to argue that enslaved people needed forced labour to breathe. The "
    "race-specific reference values that survived into modern pulmonary function software descend "
    "from that history, which is why the 2023 statement asks laboratories to drop them.",
    "Students often meet race first as a shortcut on a question stem: the young Black man whose "
    "back pain is supposed to mean sickle cell crisis, the Ashkenazi infant who must have Tay-Sachs. "
    "Such items teach that identity is a diagnosis. Reviewers of our bank now ask for the smear, the "
    "electrophoresis or the enzyme assay instead, and we describe ancestry only when a named variant "
    "makes it matter.",
]


def flags(linter, text, kind="paragraph"):
    return [f for f in linter.lint(segments_for_text(text, kind)) if f.severity.is_flag]


@pytest.mark.parametrize("text", CRITICAL_PARAGRAPHS)
def test_prose_that_criticises_race_based_medicine_raises_no_flag(text):
    assert flags(DEFAULT, text) == []
    assert flags(BOTH, text) == []


def test_confirm_turns_a_flag_in_critical_history_into_info_with_the_score():
    text = ("When our laboratory still printed two eGFR values, the second one multiplied the result "
            "by 1.159 for Black patients. The committee that reviewed it found that the higher value "
            "delayed nephrology referral and transplant listing, and the lab stopped reporting it.")
    assert flags(RULES_ONLY, text)  # the rule matches the coefficient
    confirmed = [f for f in BOTH.lint(segments_for_text(text, "paragraph")) if f.rule_id.startswith("RBA")]
    assert confirmed and all(f.severity.value == "info" and f.context_kind == "critical" for f in confirmed)
    assert confirmed[0].confirmer["critical"] >= 0.9
    assert confirmed[0].to_dict()["confirmer"] == confirmed[0].confirmer


def test_propose_reports_the_sentence_with_the_race_term_and_the_score():
    text = "We discussed the clinic schedule. Black patients tolerate blood loss better, their marrow is just more robust."
    assert not flags(RULES_ONLY, text)
    proposed = [f for f in flags(BOTH, text) if f.rule_id == "BR-M"]
    assert len(proposed) == 1
    finding = proposed[0]
    assert finding.context == finding.text == "Black patients tolerate blood loss better, their marrow is just more robust."
    assert finding.confirmer["biologized_race"] >= 0.8
    assert finding.suggestion and finding.severity.value == "warning"


def test_model_rules_stay_silent_when_the_confirmer_does_not_propose():
    text = "Black patients tolerate blood loss better, their marrow is just more robust."
    assert not [f for f in RULES_ONLY.lint(segments_for_text(text, "paragraph")) if f.rule_id.endswith("-M")]


def test_shipped_weights_rebuild_bit_for_bit_from_the_tune_corpus(tmp_path):
    """The documented command, `curriclint rules train-confirmer corpora/tune`, rebuilds the
    weights in the package byte for byte."""
    assert tree_digest(WEIGHTS) == train(load_corpus(ROOT / "corpora" / "tune"), tmp_path / "weights")
    size = (WEIGHTS / "textcat_multilabel" / "model").stat().st_size
    assert size < 20 * 1024 * 1024


def _tiny_corpus(folder: Path) -> Path:
    items = {
        "alpha": [("Risk factors for CKD: diabetes, Black race.", ["biologized_race"], "Positive: race as a risk factor."),
                  ("Black stools suggest an upper GI bleed.", [], "Hard negative: non-race sense of black.")],
        "beta": [("eGFR × 1.159 if African American.", ["race_based_algorithm"], "Positive: eGFR coefficient."),
                 ("The 2021 equation removed the race coefficient.", [], "Hard negative: replacement.")],
    }
    for author, rows in items.items():
        with (folder / f"{author}-paragraphs.jsonl").open("w", encoding="utf-8") as out:
            for number, (text, labels, note) in enumerate(rows, start=1):
                out.write(json.dumps({"id": f"{author}-{number}", "kind": "paragraph", "text": text,
                                      "labels": labels, "note": note}) + "\n")
    return folder


def test_eval_by_author_reports_each_author_and_the_minimum(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus = _tiny_corpus(tmp_path)
    result = CliRunner().invoke(main, ["rules", "eval", str(corpus), "--summary", "--by-author",
                                       "--leave-one-author-out", "--confirmer", "rules",
                                       "--confirmer", "both", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"rules", "both"}
    for mode in data.values():
        assert set(mode["authors"]) == {"alpha", "beta"}
        assert mode["authors"]["alpha"]["categories"]["biologized_race"]["tp"] == 1
    # one fold model per author, trained without that author's items
    assert len(list((tmp_path / "cache" / "curriclint" / "confirmer-folds").iterdir())) == 2


# Written for this test: items keyed to the race-free equation. In the first the explanation
# still states the muscle-mass claim; in the second it criticises it.
CLAIM_IN_KEYED_ITEM = (
    "Which equation should the laboratory use to report eGFR from serum creatinine?\n"
    "A. The 2021 CKD-EPI creatinine equation without a race term\nB. The 2009 CKD-EPI equation "
    "with a race term\nC. The MDRD equation\nAnswer: A\nExplanation: Black patients do have more "
    "muscle mass and so a higher creatinine, yet the 2021 equation is used for everyone because "
    "race is a social category.")
CRITIQUE_ITEM = (
    "Why was the race coefficient removed from the eGFR equation?\nA. The claim that Black "
    "patients have more muscle mass was never measured, and the coefficient delayed referral\n"
    "B. It was hard to compute\nAnswer: A\nExplanation: The 1.159 multiplier rested on an "
    "unmeasured muscle-mass claim and delayed referral and transplant listing for Black patients.")


def test_a_claim_in_an_item_keyed_to_the_race_free_tool_is_not_confirmed_away():
    """A question is scored whole, so one keyed to the replacement reads critical; the claim in
    its explanation still flags because its own sentence does not read critical."""
    assert [f.rule_id for f in flags(DEFAULT, CLAIM_IN_KEYED_ITEM, "question")] == ["BR018"]
    found = DEFAULT.lint(segments_for_text(CRITIQUE_ITEM, "question"))
    assert found and all(f.severity.value == "info" and f.context_kind == "critical" for f in found)


def test_teaching_the_tokenizer_its_chunks_changes_no_score():
    """The confirmer tokenizes a batch's new chunks on their own first, so that spaCy
    remembers them even after a special case ("cannot", "e.g."); the scores must be those
    of the plain pipeline."""
    import spacy

    from curriclint.confirmer import LABELS, Confirmer

    texts = ["The old equation cannot be used: e.g. a Black patient's eGFR was multiplied by 1.159.",
             "Students don't need race to read a smear; the variant, not the label, matters.",
             *CRITICAL_PARAGRAPHS]
    confirmer = Confirmer()
    confirmer.score_all(texts)
    plain = spacy.load(WEIGHTS)
    for text, doc in zip(texts, plain.pipe(texts)):
        assert confirmer.scores(text) == {label: float(doc.cats[label]) for label in LABELS}
