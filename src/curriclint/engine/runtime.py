"""The spaCy-backed half of the engine, built the first time a segment triggers."""
from __future__ import annotations

from curriclint.config import DEFAULT_PIPELINES
from curriclint.engine.context import ContextClassifier
from curriclint.engine.linter import make_finding
from curriclint.engine.matchers import CompiledPacks, Span, _tok_at
from curriclint.engine.nlp import blank_pipeline, installed_pipeline, make_doc, trained_pipeline
from curriclint.engine.normalize import TriggerIndex, clean
from curriclint.model import Finding, Segment
from curriclint.rules.spec import Rule, RuleSet


class Engine:
    def __init__(self, ruleset: RuleSet, rules: list[Rule], pipeline: str | None):
        self.ruleset = ruleset
        self.blank = blank_pipeline()
        self.notices: list[str] = []
        needs_model = self.model_rules = [r for r in rules if r.needs_model]
        # The trained pipeline is loaded only when a rule that needs it triggers (~0.5 s).
        self.model_package = installed_pipeline(pipeline) if needs_model else None
        self.model = self.model_name = self._model_compiled = None
        if needs_model and self.model_package is None:
            tried = pipeline or " or ".join(DEFAULT_PIPELINES)
            ids = ", ".join(r.id for r in needs_model)
            self.notices.append(
                f"no trained spaCy pipeline installed ({tried}): rules {ids} run in reduced "
                "mode (pattern tokens needing part-of-speech or a parse are relaxed); "
                "install the model extra: pip install 'curriclint[model]'")
        self.compiled = CompiledPacks(ruleset, self.blank, reduced=self.model_package is None)
        self.context = ContextClassifier(self.compiled, ruleset.contexts, ruleset.terminators,
                                         ruleset.concessives)
        self._whole: tuple = (None, None)  # the current question's whole text, parsed lazily
        self._spec_gates: dict[int, TriggerIndex] = {}  # sentence gates of model-needing items

    def lint_segment(self, segment: Segment, rules: list[Rule], whole: str | None = None,
                     key_start: int | None = None) -> list[Finding]:
        raw = segment.text
        doc = make_doc(self.blank, clean(raw), raw)
        doc._.key_start = key_start
        hits = self.compiled.term_hits(doc)
        frame = frame_hits = None
        if segment.context:
            frame = make_doc(self.blank, clean(segment.context), segment.context)
            frame_hits = self.compiled.term_hits(frame)
        self._whole = (whole, None) if whole and whole != raw else (None, None)
        findings: list[Finding] = []
        model_docs: dict[int, object] = {}
        for rule in rules:
            spans: list[Span] = []
            for spec in rule.match:
                if spec.needs_model and self.model_package is not None:
                    spans += self._model_spans(doc, spec, model_docs)
                else:
                    spans += self.compiled.spans(doc, hits, spec, frame, frame_hits)
            judged = [self._judge(rule, segment, raw, doc, hits, span, frame, frame_hits)
                      for span in _merge(spans)]
            findings += _one_per_sentence(rule, segment, raw, [f for f in judged if f is not None])
        return findings

    def _in_whole_question(self, terms) -> bool:
        """Do the phrases occur anywhere in the question being linted (built once per part)?"""
        text, parsed = self._whole
        if text is None:
            return False
        if parsed is None:
            doc = make_doc(self.blank, clean(text), text)
            parsed = (doc, self.compiled.term_hits(doc))
            self._whole = (text, parsed)
        return bool(self.compiled.terms_in(parsed[0], parsed[1], terms))

    def contains(self, text: str, terms) -> bool:
        """Does the text contain any of these phrases (in their race sense)?"""
        doc = make_doc(self.blank, clean(text), text)
        return bool(self.compiled.terms_in(doc, self.compiled.term_hits(doc), terms))

    def sentence_with(self, text: str, terms) -> tuple[int, int] | None:
        """Character span of the first sentence holding one of these phrases, if any."""
        doc = make_doc(self.blank, clean(text), text)
        found = self.compiled.terms_in(doc, self.compiled.term_hits(doc), terms)
        if not found:
            return None
        sent = doc[found[0][0]].sent
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    @property
    def model_compiled(self) -> CompiledPacks:
        if self._model_compiled is None:
            self.model, self.model_name = trained_pipeline(self.model_package)
            self._model_compiled = CompiledPacks(self.ruleset, self.model, reduced=False)
        return self._model_compiled

    def _model_spans(self, doc, spec, model_docs) -> list[Span]:
        compiled = self.model_compiled  # loads the trained pipeline on first use
        gate = self._spec_gates.get(id(spec))
        if gate is None:
            gate = self._spec_gates[id(spec)] = TriggerIndex(spec.triggers, spec.substring_triggers)
        spans = []
        for sent in doc.sents:
            if not gate.found(sent.text):
                continue
            mdoc = model_docs.get(sent.start_char)
            if mdoc is None:
                raw = doc._.raw_text[sent.start_char:sent.end_char]
                mdoc = model_docs[sent.start_char] = make_doc(self.model, sent.text, raw)
            for s in compiled.spans(mdoc, compiled.term_hits(mdoc), spec):
                spans.append(Span(sent.start_char + s.start, sent.start_char + s.end))
        return spans

    def _judge(self, rule, segment, raw, doc, hits, span, frame, frame_hits) -> Finding | None:
        start = _tok_at(doc, span.start)
        end = _tok_at(doc, span.end - 1) + 1
        anchor_start, anchor_end = start, end
        if span.anchor is not None:
            anchor_start = _tok_at(doc, span.anchor[0])
            anchor_end = _tok_at(doc, span.anchor[1] - 1) + 1
        sent = doc[anchor_start].sent
        if rule.unless_terms is not None:
            for s, e in self.compiled.terms_in(doc, hits, rule.unless_terms):
                same_sentence = doc[s].sent.start == sent.start
                close = not rule.unless_within or min(abs(s - end), abs(start - e)) <= rule.unless_within
                if same_sentence and close:
                    return None
        if rule.unless_segment is not None:
            if self.compiled.terms_in(doc, hits, rule.unless_segment):
                return None
            if frame is not None and self.compiled.terms_in(frame, frame_hits, rule.unless_segment):
                return None
            if self._in_whole_question(rule.unless_segment):
                return None
        anchor = (anchor_start, anchor_end) if span.anchor is not None else None
        kind = self.context.classify(doc, hits, start, end, frame, frame_hits, anchor)
        if kind in rule.unless_context:
            return None
        severity = rule.severity
        if kind in rule.downgrade_context and rule.downgrade_to.rank < severity.rank:
            severity = rule.downgrade_to
        return make_finding(rule, segment, raw, span.start, span.end, sent.start_char,
                            sent.end_char, kind, severity)


def _one_per_sentence(rule: Rule, segment: Segment, raw: str, findings: list[Finding]) -> list[Finding]:
    """A rule reports a sentence once: its matches there ("multiply the predicted FVC …
    by 0.88") become one finding spanning them all, at the gravest severity found."""
    by_sentence: dict[int, list[Finding]] = {}
    for finding in findings:
        by_sentence.setdefault(finding.span[0] - finding.context_span[0], []).append(finding)
    out = []
    for sent_start, group in by_sentence.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        gravest = max(group, key=lambda f: f.severity.rank)
        start, end = min(f.span[0] for f in group), max(f.span[1] for f in group)
        out.append(make_finding(rule, segment, raw, start, end, sent_start,
                                sent_start + len(gravest.context), gravest.context_kind, gravest.severity))
    return out


def _merge(spans: list[Span]) -> list[Span]:
    """One finding per stretch of text: overlapping spans of a rule become the longest."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end, merged[-1].anchor)
            continue
        merged.append(span)
    return merged
