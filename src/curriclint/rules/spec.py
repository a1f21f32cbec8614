"""What a loaded rule pack is made of, after validation and term-list resolution.

These objects are plain data: the engine compiles them into spaCy matchers, the docs and
`explain` render them, the tests read their examples.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from curriclint.model import Severity


UNSCOPED_PARTS = frozenset({"comment"})


@dataclass(frozen=True)
class Terms:
    """A resolved phrase list, with the matches that mean another sense of its words."""

    words: tuple[str, ...]
    exclude: tuple["MatchSpec", ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class MatchSpec:
    """One way a rule can match (phrases, pattern, near, coefficient, regex or model)."""

    kind: str
    line: int
    terms: Terms | None = None  # phrases; near: the anchor terms
    to: Terms | None = None  # near/coefficient: the other terms
    within: int = 0
    same: str = "sentence"  # near: both terms in the same sentence, or anywhere in the segment
    pattern: tuple | None = None  # spaCy Matcher token pattern (lists resolved)
    values: tuple[str, ...] = ()  # coefficient values
    regex: str | None = None
    label: str | None = None  # model: the confirmer's category that must score highly
    threshold: float = 0.0  # model: the score it must reach
    # Word tuples, one of which any match contains in full (folded words of a phrase).
    triggers: frozenset[tuple[str, ...]] = frozenset()
    substring_triggers: frozenset[str] = frozenset()  # literals tested as substrings (numbers)
    needs_model: bool = False  # uses POS/TAG/DEP/MORPH/LEMMA/SENT_START from a trained pipeline


@dataclass
class Rule:
    id: str
    name: str
    category: str
    severity: Severity
    message: str
    rationale: str
    suggestion: str
    pack: str
    source: str
    line: int
    match: list[MatchSpec]
    examples_flag: list[str]
    examples_pass: list[str]
    references: list[dict] = field(default_factory=list)
    evidence: str = "verified"
    scope: frozenset[str] | None = None
    level: str = "sentence"
    vignettes_only: bool = False
    unless_context: frozenset[str] = frozenset()
    unless_terms: Terms | None = None
    unless_within: int = 0
    unless_segment: Terms | None = None
    unless_stem: Terms | None = None
    unless_bank: frozenset[str] = frozenset()
    downgrade_context: frozenset[str] = frozenset()
    downgrade_to: Severity = Severity.INFO

    @property
    def needs_model(self) -> bool:
        return any(spec.needs_model for spec in self.match)

    @property
    def is_learned(self) -> bool:
        """A model rule: it reports what the learned confirmer scores, not a rule's match."""
        return any(spec.kind == "model" for spec in self.match)

    def applies_to(self, part: str) -> bool:
        """Rules without a scope read every part except comments: Word comments and GIFT
        ``//`` lines are reviewers' and authors' notes, not taught content."""
        if self.scope is None:
            return part not in UNSCOPED_PARTS
        return part in self.scope


@dataclass(frozen=True)
class ContextCues:
    name: str
    before: Terms | None = None
    after: Terms | None = None
    sentence: Terms | None = None
    previous: Terms | None = None
    quotes: bool = False
    window: int = 8


@dataclass
class PackInfo:
    name: str
    version: str
    path: str
    description: str = ""
    maintainers: list[str] = field(default_factory=list)
    license: str = ""
    references: dict = field(default_factory=dict)


@dataclass
class RuleSet:
    """Everything loaded for a run: the packs, their rules, the shared lists and cues."""

    packs: list[PackInfo]
    rules: list[Rule]
    terms: dict[str, Terms]  # qualified name ("terms.black", "race-based-algorithms.tools") -> list
    term_groups: dict[str, str]  # qualified list name -> population group (bank statistics)
    term_kinds: dict[str, str]  # qualified list name -> kind (race, national_origin, ...)
    contexts: dict[str, ContextCues]
    terminators: Terms | None = None
    concessives: Terms | None = None  # open a clause whose claim is conceded ("although")
    digest: str = ""  # hash of every pack file's bytes: part of the cache key

    def rule(self, key: str) -> Rule | None:
        lowered = key.lower()
        for rule in self.rules:
            if rule.id.lower() == lowered or rule.name == lowered:
                return rule
        return None
