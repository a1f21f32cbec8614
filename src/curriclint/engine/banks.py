"""Bank-level statistics: who is given a race in a question bank, where, and with what
diagnosis — the counts curriculum committees publish (Ripp & Braun 2017; Cerdeña et al.
2021). The definitions are the ``banks`` section of the JSON report contract:

- ``stating_race``: questions whose stem, options or feedback describe a patient (or a
  relative) by race, ethnicity or ancestry; a question counts once.
- ``by_group``: each group once per question.
- ``national_origin_or_immigration``: questions whose patient is described only by a
  nationality or a place of birth or migration (no race stated).
- ``mention_location``: among ``stating_race`` questions, how many state it in the stem,
  in an option, in the feedback.
- ``conditions_by_group``: the correct option's text of those questions, per group.
- ``unmarked_share``: vignettes with no race stated / all vignettes;
  ``nonwhite_share_of_marked``: questions naming a group other than white / stating_race.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from curriclint.engine.nlp import make_doc
from curriclint.engine.normalize import TriggerIndex, clean
from curriclint.rules.loader import word_triggers
from curriclint.engine.vignette import VignetteReader
from curriclint.model import Segment

GROUPS = ("black", "white", "asian", "hispanic_latino", "indigenous", "pacific_islander",
          "jewish", "middle_eastern", "multiracial", "other")
_LOCATIONS = {"stem": "stem", "option": "option", "feedback": "feedback"}


def questions_of(segments: list[Segment]) -> dict[tuple, list[Segment]]:
    grouped: dict[tuple, list[Segment]] = defaultdict(list)
    for segment in segments:
        if segment.unit == "question":
            grouped[(segment.member or "", segment.index)].append(segment)
    return grouped


def bank_statistics(path: str, segments: list[Segment], engine) -> dict | None:
    """The ``banks`` entry for one file, or None when it holds no questions."""
    questions = questions_of(segments)
    if not questions:
        return None
    reader = VignetteReader(engine)
    words = set(reader.words) | {w.lower() for name in ("terms.immigration", "terms.countries",
                                                         "terms.national_origin")
                                 if name in engine.ruleset.terms for w in engine.ruleset.terms[name].words}
    gate = TriggerIndex(word_triggers(words))
    stating, national, vignettes, unmarked, nonwhite = 0, 0, 0, 0, 0
    by_group: Counter = Counter()
    locations: Counter = Counter()
    conditions: dict[str, Counter] = defaultdict(Counter)
    for parts in questions.values():
        groups: set[str] = set()
        where: set[str] = set()
        origin = False
        is_vignette = False
        answer = next((s.text for s in parts if s.part == "answer"), None)
        for segment in parts:
            if segment.part not in _LOCATIONS:
                continue
            doc = None
            if segment.part == "stem" or gate.found(segment.text):
                doc = make_doc(engine.blank, clean(segment.text), segment.text)
            if doc is None:
                continue
            patient = reader.read(doc, engine.compiled.term_hits(doc))
            if segment.part == "stem":
                is_vignette = patient.is_vignette
            if patient.groups:
                groups |= patient.groups
                where.add(_LOCATIONS[segment.part])
            elif patient.national_origin and segment.part == "stem":
                origin = True
        vignettes += is_vignette
        if groups:
            stating += 1
            by_group.update(groups)
            locations.update(where)
            if groups - {"white"}:
                nonwhite += 1
            if answer:
                for group in groups:
                    conditions[group][" ".join(answer.split())] += 1
        else:
            national += origin
            unmarked += is_vignette
    return {
        "path": path,
        "questions": len(questions),
        "stating_race": stating,
        "by_group": {g: by_group.get(g, 0) for g in GROUPS},
        "national_origin_or_immigration": national,
        "mention_location": {"stem": locations["stem"], "option": locations["option"],
                             "feedback": locations["feedback"]},
        "conditions_by_group": {g: dict(c.most_common()) for g, c in sorted(conditions.items())},
        "vignettes": vignettes,
        # None when undefined: a bank without patient vignettes, or without any race stated
        "unmarked_share": round(unmarked / vignettes, 4) if vignettes else None,
        "nonwhite_share_of_marked": round(nonwhite / stating, 4) if stating else None,
    }
