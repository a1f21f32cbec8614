"""Recognise the patient in a vignette: age, sex, race or ethnicity, national origin or
immigration, occupation — the introduction a question stem or case opens with.

All vocabulary comes from the shared terms pack; this module only knows the shape of an
introduction: a group term counts as describing a *person* when an ancestry phrase names
it ("of Korean descent") or when it sits beside a patient noun or an age ("a 24-year-old
Korean man", "a 45-year-old Asian"). Plurals about populations ("more common in Asian
Americans") and study designs ("participants did not differ by race") do not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported only once a segment triggers
    from spacy.tokens import Doc

_AGE = (r"\b(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
        r"[- ](?:year|month|week|day|hour)s?[- ]old\b")
_NEAR_NOUN = 4  # tokens between a group term and the patient noun it describes
_WORDS = re.compile(r"[a-z]+")


def age_pattern(shorthand=None) -> re.Pattern:
    """Ages as a vignette states them: "24-year-old", "a 3-month-old", and a number with one
    of the terms pack's case-note shorthands (``terms.age_shorthand``: "62 y/o"); a match
    of the latter has its ``shorthand`` group set."""
    words = sorted(shorthand.words, key=len, reverse=True) if shorthand is not None else []
    spelled = "|".join(map(re.escape, words)) or "(?!)"  # no shorthand: the group never matches
    return re.compile(rf"{_AGE}|\b\d{{1,3}} ?(?P<shorthand>{spelled})(?![\w/])", re.IGNORECASE)


def introduces_patient(text: str, patient_nouns: frozenset[str], ages: re.Pattern) -> bool:
    """Plain-text test (no spaCy) that a text introduces a patient: an age (``ages``, from
    ``age_pattern``) such as "24-year-old" and a patient noun ("man", "infant",
    "patient"), or an age in case-note shorthand ("62 y/o AA M")."""
    found = [m.group("shorthand") for m in ages.finditer(text)]
    if not found:
        return False
    return any(found) or not patient_nouns.isdisjoint(_WORDS.findall(text.lower()))


@dataclass
class Patient:
    """What a vignette's text states about its patient."""

    age: str | None = None
    sex: str | None = None
    groups: set[str] = field(default_factory=set)
    race_phrases: list[str] = field(default_factory=list)
    national_origin: list[str] = field(default_factory=list)
    occupation: list[str] = field(default_factory=list)
    is_vignette: bool = False


class VignetteReader:
    """Reads patient attributes from docs already run through the engine's tokenizer."""

    def __init__(self, engine):
        self.engine = engine
        rs = engine.ruleset
        self.compiled = engine.compiled
        self.group_lists = [(rs.terms[name], group) for name, group in rs.term_groups.items()]
        self.national = [rs.terms[n] for n, kind in rs.term_kinds.items()
                         if kind in ("national_origin", "immigration") and n != "terms.countries"]
        self.countries = rs.terms.get("terms.countries")
        self.lists = {name.split(".", 1)[1]: terms for name, terms in rs.terms.items()
                      if name.startswith("terms.")}
        self.words = frozenset(w.lower() for terms, _ in self.group_lists for w in terms.words)
        self.ages = age_pattern(rs.terms.get("terms.age_shorthand"))

    def spans(self, doc: Doc, hits, name: str) -> list[tuple[int, int]]:
        terms = self.lists.get(name)
        return self.compiled.terms_in(doc, hits, terms) if terms is not None else []

    def read(self, doc: Doc, hits) -> Patient:
        from curriclint.engine.nlp import text_of

        patient = Patient()
        ages = list(self.ages.finditer(text_of(doc)))
        nouns = self.spans(doc, hits, "patient_nouns")
        patient.is_vignette = bool(ages) and (bool(nouns) or any(m.group("shorthand") for m in ages))
        if ages:
            patient.age = ages[0].group(0)
        stated = [(spans[0][0], sex) for sex in ("male", "female")
                  if (spans := self.spans(doc, hits, f"{sex}_nouns"))]
        patient.sex = min(stated)[1] if stated else None  # the first one the text names
        for terms, group in self.group_lists:
            for start, end in self.compiled.terms_in(doc, hits, terms):
                if self._describes_person(doc, hits, start, end, nouns):
                    patient.groups.add(group)
                    patient.race_phrases.append(doc[start:end].text)
        if not patient.groups:
            patient.national_origin = self._national_origin(doc, hits, nouns)
        patient.occupation = [doc[s:e].text for s, e in self.spans(doc, hits, "occupations")]
        return patient

    def _describes_person(self, doc: Doc, hits, start: int, end: int, nouns) -> bool:
        if any(0 <= n_start - end <= _NEAR_NOUN and _same_clause(doc, end, n_start) for n_start, _ in nouns):
            return True
        before = doc[max(0, start - 4):start].text.lower()
        if self.ages.search(before) or "year-old" in before or "month-old" in before:
            return True
        return doc[start:end].text.lower().startswith("of ") and not self._study_sentence(doc, hits, start)

    def _study_sentence(self, doc: Doc, hits, token: int) -> bool:
        sent = doc[token].sent
        for s, _ in self.spans(doc, hits, "study_population_cues"):
            if sent.start <= s < sent.end:
                return True
        return False

    def _national_origin(self, doc: Doc, hits, nouns) -> list[str]:
        found: list[str] = []
        travel = self.spans(doc, hits, "travel_cues")
        for terms in self.national:
            for start, end in self.compiled.terms_in(doc, hits, terms):
                if terms.name == "terms.immigration":
                    if not _in_sentence_with(doc, start, travel):
                        found.append(doc[start:end].text)
                elif any(0 <= n - end <= 2 for n, _ in nouns) and doc[start].text[:1].isupper():
                    found.append(doc[start:end].text)
        if self.countries is not None:
            movers = self.spans(doc, hits, "immigration_verbs")
            for start, end in self.compiled.terms_in(doc, hits, self.countries):
                # "returned from Mexico", "a trip to India": travel, not origin
                if any(0 <= start - t_end <= 3 for _, t_end in travel):
                    continue
                came_from = doc[max(0, start - 1)].lower_ == "from" and (
                    any(0 <= start - n_end <= 4 for _, n_end in nouns) or
                    doc[max(0, start - 2)].lower_ in ("tourist", "visitor", "student"))
                moved = any(0 <= start - m_end <= 6 for _, m_end in movers)
                if came_from or moved:
                    found.append(doc[start:end].text)
        return found


def _same_clause(doc: Doc, left: int, right: int) -> bool:
    return not any(t.text in (".", ";", ":") for t in doc[left:right])


def _in_sentence_with(doc: Doc, token: int, spans) -> bool:
    sent = doc[token].sent
    return any(sent.start <= s < sent.end for s, _ in spans)
