"""Compare curriclint's context layer with medspaCy's ConText on the context sentence pairs
(tests/engine/context_pairs.yaml): each pair has the same phrase asserted and framed
(negated, historical, quoted, hypothetical or criticised).

    python bench/context_compare.py curriclint          # in curriclint's environment
    python bench/context_compare.py medspacy            # in an environment with medspacy

medspaCy pins its own spaCy version, so it runs in a separate virtual environment. A
pair counts as right when the asserted sentence is judged asserted and the framed one is
not (for medspaCy: the target carries no / some ConText modifier).
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

PAIRS = yaml.safe_load((Path(__file__).resolve().parents[1] / "tests/engine/context_pairs.yaml")
                       .read_text(encoding="utf-8"))


def judge_curriclint():
    from curriclint.engine.linter import Linter
    from curriclint.engine.samples import segments_for_text
    from curriclint.rules.loader import load_rules

    linter = Linter(load_rules())

    def asserted(category: str, text: str) -> bool:
        findings = [f for f in linter.lint(segments_for_text(text, "paragraph")) if f.category == category]
        return any(f.severity.is_flag for f in findings)

    return lambda pair, text: asserted(pair["category"], text)


def judge_medspacy():
    import medspacy
    from medspacy.target_matcher import TargetRule

    nlp = medspacy.load()
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(p["target"], "TARGET") for p in PAIRS])

    def asserted(pair, text: str) -> bool:
        doc = nlp(text)
        targets = [e for e in doc.ents if e.text.lower() == pair["target"].lower()]
        if not targets:
            return False
        ent = targets[0]
        return not (ent._.is_negated or ent._.is_historical or ent._.is_hypothetical
                    or ent._.is_uncertain or ent._.is_family)

    return asserted


def main() -> None:
    engine = sys.argv[1] if len(sys.argv) > 1 else "curriclint"
    judge = judge_medspacy() if engine == "medspacy" else judge_curriclint()
    by_context: dict[str, list[int]] = {}
    asserted_right = 0
    for pair in PAIRS:
        a = judge(pair, pair["asserted"])
        f = not judge(pair, pair["framed"])
        asserted_right += a
        by_context.setdefault(pair["context"], [0, 0])
        by_context[pair["context"]][0] += f
        by_context[pair["context"]][1] += 1
    framed_right = sum(v[0] for v in by_context.values())
    print(f"{engine}: {len(PAIRS)} pairs; asserted sentences judged asserted {asserted_right}/{len(PAIRS)}; "
          f"framed sentences judged not asserted {framed_right}/{len(PAIRS)}")
    for context, (right, total) in sorted(by_context.items()):
        print(f"  {context:<12} {right}/{total}")


if __name__ == "__main__":
    main()
