"""The engine as a pipeline of small stages: trigger → match → exemptions → context →
finding.

The trigger stage is plain Python over the raw text, built from the packs' literal
vocabulary; only segments that trigger reach spaCy, and a run in which nothing triggers
never imports it. A trained pipeline, when installed, runs only on the triggered
sentences of rules whose token patterns need tags or a parse.
"""
from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from curriclint.engine.normalize import TriggerIndex
from curriclint.engine.vignette import age_pattern, introduces_patient
from curriclint.model import Finding, Segment, Severity
from curriclint.rules.spec import Rule, RuleSet


def select_rules(rules: list[Rule], select: Iterable[str] | None, ignore: Iterable[str] | None) -> list[Rule]:
    """Filter rules by id, name or category (``--select``/``--ignore``)."""
    def matches(rule: Rule, keys: set[str]) -> bool:
        return bool({rule.id.lower(), rule.name.lower(), rule.category.lower(), rule.pack.lower()} & keys)

    chosen = list(rules)
    if select:
        keys = {k.strip().lower() for k in select if k.strip()}
        chosen = [r for r in chosen if matches(r, keys)]
    if ignore:
        keys = {k.strip().lower() for k in ignore if k.strip()}
        chosen = [r for r in chosen if not matches(r, keys)]
    return chosen


# A finding in a question the confirmer reads as critical is confirmed as critique unless
# its own sentence reads as plainly not critical (below this score).
_OWN_SENTENCE_CRITICAL = 0.5


@dataclass(frozen=True)
class ConfirmerUse:
    """How the learned confirmer takes part (config ``confirmer:``; ``rules eval --confirmer``).

    ``confirm``: a flag in a unit the model scores ``critical`` at or above
    ``critical_threshold`` becomes info with context "critical". ``propose``: model rules
    report units no rule of their category flagged. ``alone`` (an ablation, not a user
    setting): only the model rules report, the other rules' findings are dropped.
    """

    confirm: bool = False
    propose: bool = False
    alone: bool = False
    critical_threshold: float = 0.9
    weights: str | None = None  # another trained model (leave-one-author-out folds)

    @classmethod
    def from_settings(cls, values: dict) -> "ConfirmerUse":
        """From the config's ``confirmer:`` mapping (keys as in ``CONFIRMER_DEFAULTS``)."""
        return cls(confirm=values["confirm"], propose=values["propose"],
                   critical_threshold=float(values["critical-threshold"]))

    @property
    def active(self) -> bool:
        return self.confirm or self.propose or self.alone


class Linter:
    def __init__(self, ruleset: RuleSet, pipeline: str | None = None,
                 select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 confirmer: ConfirmerUse | None = None):
        self.ruleset = ruleset
        chosen = select_rules(ruleset.rules, select, ignore)
        self.use = confirmer or ConfirmerUse()
        self.rules = [r for r in chosen if not r.is_learned]
        self.learned = [r for r in chosen if r.is_learned] if self.use.propose or self.use.alone else []
        self.pipeline = pipeline
        self.notices: list[str] = []
        gated = self.rules + self.learned
        self._triggers = {r.id: frozenset().union(*(s.triggers | s.substring_triggers for s in r.match))
                          for r in gated}
        self.gate = _gate_of([s for r in gated for s in r.match])
        model_items = [s for r in self.rules for s in r.match if s.needs_model]
        # Texts that would make the engine load the trained pipeline (None: no rule needs it).
        self.model_gate = _gate_of(model_items) if model_items else None
        self._confirmer = None
        nouns = ruleset.terms.get("terms.patient_nouns")
        self._patient_nouns = frozenset(w.lower() for w in nouns.words) if nouns else frozenset()
        self._ages = age_pattern(ruleset.terms.get("terms.age_shorthand"))
        self._engine = None

    @property
    def pipeline_version(self) -> str | None:
        if self._engine is None:
            return None
        return self._engine.model_name or self._engine.model_package

    def triggered(self, text: str) -> bool:
        return bool(self.gate.found(text))

    def lint(self, segments: list[Segment]) -> list[Finding]:
        sentence_rules = [r for r in self.rules if r.level == "sentence"]
        question_rules = [r for r in self.rules if r.level == "question"]
        vignettes = self._vignette_questions(segments)
        questions = list(question_documents(segments))
        wholes = {_question_key(stem): whole.text for stem, whole, _ in questions}
        # Findings by unit: a question (all its parts), or any other segment on its own.
        by_unit: dict[tuple, list[Finding]] = {}
        for position, segment in enumerate(segments):
            if segment.unit == "question":
                key = _question_key(segment)
                found = self._lint_one(segment, sentence_rules, vignettes, wholes.get(key))
            else:
                key = ("segment", position)
                found = self._lint_one(segment, self.rules, vignettes)
            by_unit.setdefault(key, []).extend(found)
        if question_rules:
            by_id = {r.id: r for r in question_rules}
            for stem, whole, parts in questions:
                key_start = len(stem.text) + len(_PART_JOIN) if len(parts) > 1 and parts[1].part == "answer" else None
                for finding in self._lint_one(whole, question_rules, vignettes, key_start=key_start):
                    rule = by_id[finding.rule_id]
                    part, offset = _part_at(parts, finding.span[0])
                    # Rules scoped to the stem need the race stated there; others may find
                    # it all in the keyed answer or explanation, and are reported there.
                    if not rule.applies_to(part.part):
                        continue
                    if rule.unless_stem is not None and self._get_engine().contains(stem.text, rule.unless_stem):
                        continue
                    by_unit.setdefault(_question_key(stem), []).append(_clip_to(finding, part, offset))
        if self.use.active:
            self._consult_confirmer(segments, questions, by_unit)
        return [finding for found in by_unit.values() for finding in found]

    def _consult_confirmer(self, segments: list[Segment], questions, by_unit: dict) -> None:
        """Confirm and propose with the learned confirmer, on units the trigger gate passed."""
        from curriclint.confirmer import segment_text

        units = [(("segment", i), segment_text(s.text, s.context), s, None)
                 for i, s in enumerate(segments) if s.unit != "question"]
        units += [(_question_key(stem), whole.text, whole, parts) for stem, whole, parts in questions]
        units = [(key, text, segment, parts) for key, text, segment, parts in units
                 if (by_unit.get(key) or self.learned)
                 and self.gate.found(segment.text if parts is None else text)]
        confirmer = self._get_confirmer()
        confirmer.score_all([text for _, text, _, _ in units])
        proposed: set[tuple] = set()  # one proposal per rule per slide, page or question
        for key, text, segment, parts in units:
            found = by_unit.setdefault(key, [])
            scores = confirmer.scores(text)
            critical = scores["critical"] >= self.use.critical_threshold
            if self.use.confirm and critical:
                flagged = [f for f in found if f.severity.is_flag]
                if parts is not None:
                    confirmer.score_all([f.context for f in flagged])
                for finding in flagged:
                    # A question is scored whole, and one keyed to the race-free tool reads
                    # critical even when its explanation states a claim ("Black people have
                    # smaller lungs, but…"): there the claim's own sentence must not read
                    # plainly uncritical.
                    own = confirmer.scores(finding.context)["critical"] if parts is not None else 1.0
                    if own >= _OWN_SENTENCE_CRITICAL:
                        finding.severity, finding.context_kind = Severity.INFO, "critical"
                        finding.confirmer = {"critical": round(scores["critical"], 3)}
            if self.use.alone:
                found.clear()
            if critical:
                continue
            flagged = {f.category for f in found if f.severity.is_flag}
            for rule in self.learned:
                spec = rule.match[0]
                place = (rule.id, segment.path, segment.member, segment.unit, segment.index)
                if rule.category in flagged or scores[spec.label] < spec.threshold or place in proposed:
                    continue
                finding = self._propose(rule, spec, segment, parts, text, scores[spec.label])
                if finding is not None:
                    proposed.add(place)
                    found.append(finding)

    def _propose(self, rule: Rule, spec, segment: Segment, parts, text: str, score: float) -> Finding | None:
        """A model rule's finding: the first sentence of the unit that holds one of its terms."""
        sentence = self._get_engine().sentence_with(text if parts else segment.text, spec.terms)
        if sentence is None:
            return None
        start, end = sentence
        if parts is None:
            if not rule.applies_to(segment.part):
                return None
            finding = make_finding(rule, segment, segment.text, start, end, start, end, "asserted", rule.severity)
        else:
            part, offset = _part_at(parts, start)
            if not rule.applies_to(part.part):
                return None
            finding = _clip_to(make_finding(rule, segment, text, start, end, start, end, "asserted",
                                            rule.severity), part, offset)
        finding.confirmer = {spec.label: round(score, 3)}
        return finding

    def _get_confirmer(self):
        if self._confirmer is None:
            from pathlib import Path

            from curriclint.confirmer import WEIGHTS, Confirmer

            self._confirmer = Confirmer(Path(self.use.weights) if self.use.weights else WEIGHTS)
        return self._confirmer

    def _lint_one(self, segment: Segment, rules: list[Rule], vignettes: set,
                  whole: str | None = None, key_start: int | None = None) -> list[Finding]:
        """Lint one segment; ``whole`` is its question's stem, keyed answer and feedback, which
        a rule's ``unless.segment`` exemptions read (a critique in the explanation counts)."""
        found = self.gate.found(segment.text)
        if not found:
            return []
        rules = [r for r in rules if r.applies_to(segment.part) and not self._triggers[r.id].isdisjoint(found)]
        if any(r.vignettes_only for r in rules) and not self._is_vignette(segment, vignettes):
            rules = [r for r in rules if not r.vignettes_only]
        return self._get_engine().lint_segment(segment, rules, whole, key_start) if rules else []

    def _is_vignette(self, segment: Segment, vignettes: set) -> bool:
        if segment.unit == "question":
            return (segment.path, segment.member, segment.index) in vignettes
        return introduces_patient(segment.text, self._patient_nouns, self._ages)

    def _vignette_questions(self, segments: list[Segment]) -> set:
        """Questions whose stem introduces a patient (for rules that read only vignettes)."""
        if not any(r.vignettes_only for r in self.rules):
            return set()
        return {(s.path, s.member, s.index) for s in segments
                if s.unit == "question" and s.part == "stem"
                and introduces_patient(s.text, self._patient_nouns, self._ages)}

    @property
    def engine_built(self) -> bool:
        return self._engine is not None

    def engine(self):
        """The spaCy-backed engine (imports spaCy on first use)."""
        return self._get_engine()

    def prepare(self, model_needed=lambda: True) -> None:
        """Load now everything a large run will need (engine, confirmer and, if
        ``model_needed()`` says some text will need it, the trained pipeline), so that
        forked worker processes share it instead of each loading its own copy. Without it
        a worker loads the trained pipeline itself, if and when a segment needs it."""
        engine = self._get_engine()
        with _collector_paused():
            engine.compiled.compile_all()
            if self.use.active and self._get_confirmer().available:
                self._get_confirmer().load()
            if engine.model_package is not None and model_needed():
                for rule in engine.model_rules:  # loads the trained pipeline on the first
                    engine.model_compiled.compile_rule(rule)

    def _get_engine(self):
        if self._engine is None:
            with _collector_paused():
                from curriclint.engine.runtime import Engine

                self._engine = Engine(self.ruleset, self.rules, self.pipeline)
            self.notices += self._engine.notices
        return self._engine


def _gate_of(items) -> TriggerIndex:
    """The trigger gate of these match items: any of their triggers opens it."""
    return TriggerIndex(frozenset().union(*(s.triggers for s in items)),
                        frozenset().union(*(s.substring_triggers for s in items)))


@contextmanager
def _collector_paused():
    """Importing spaCy and building the engine make about a million objects that live as
    long as the process: the garbage collector's full passes over them while they are
    being made free nothing and cost about 0.15 s."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _question_key(segment: Segment) -> tuple:
    return ("question", segment.path, segment.member, segment.index)


def question_documents(segments: list[Segment]):
    """For each question: its stem, one segment holding the stem, the keyed answer and the
    feedback (so question-level rules can pair what the stem says with what is keyed), and
    those parts in that order. Distractor options are left out: only the keyed answer says
    what the item teaches."""
    from dataclasses import replace

    grouped: dict[tuple, list[Segment]] = {}
    for segment in segments:
        if segment.unit == "question":
            grouped.setdefault((segment.path, segment.member, segment.index), []).append(segment)
    for parts in grouped.values():
        stem = next((p for p in parts if p.part == "stem"), None)
        if stem is None:
            continue
        joined = [stem, *(p for p in parts if p.part in ("answer", "feedback"))]
        yield stem, replace(stem, text=_PART_JOIN.join(p.text for p in joined)), joined


_PART_JOIN = "\n\n"


def _part_at(parts: list[Segment], offset: int) -> tuple[Segment, int]:
    """The part of a question document holding a character offset, and where it starts."""
    start = 0
    for part in parts[:-1]:
        end = start + len(part.text) + len(_PART_JOIN)
        if offset < end:
            return part, start
        start = end
    return parts[-1], start


def _clip_to(finding: Finding, part: Segment, offset: int) -> Finding:
    """Report a question-level finding in the part of the question where it starts."""
    start, end = finding.span[0] - offset, min(finding.span[1] - offset, len(part.text))
    finding.span = (start, end)
    finding.text = part.text[start:end]
    finding.location = part.location()
    finding.unit_index = part.index
    context_end = min(len(finding.context), finding.context_span[0] + (end - start))
    finding.context_span = (finding.context_span[0], context_end)
    return finding


def _elide(text: str, limit: int = 70) -> str:
    """A long match (a race in the stem paired with the keyed answer) shown by its two ends
    in the one-line message; the finding's text and context keep all of it."""
    if len(text) <= limit:
        return text
    head = text[: limit // 2].rsplit(" ", 1)[0]
    tail = text[-(limit // 3):]
    if not text[-(limit // 3) - 1].isspace():  # start the tail at a word
        tail = tail.split(" ", 1)[-1]
    return f"{head} … {tail}"


def make_finding(rule: Rule, segment: Segment, raw: str, start: int, end: int,
                 sent_start: int, sent_end: int, context_kind: str, severity: Severity) -> Finding:
    """A finding for the character span [start, end) of the segment's text."""
    while sent_start < sent_end and raw[sent_start].isspace():
        sent_start += 1
    while sent_end > sent_start and raw[sent_end - 1].isspace():
        sent_end -= 1
    location = segment.location()
    if segment.unit == "line":
        location["index"] = segment.index + raw.count("\n", 0, start)
    matched = raw[start:end]
    return Finding(
        rule_id=rule.id, rule=rule.name, pack=rule.pack, category=rule.category,
        severity=severity, message=rule.message.replace("{match}", _elide(" ".join(matched.split()))),
        suggestion=rule.suggestion, path=segment.path, location=location, span=(start, end),
        text=matched, context=raw[sent_start:sent_end],
        context_span=(start - sent_start, end - sent_start), context_kind=context_kind,
        unit_index=segment.index,
    )

