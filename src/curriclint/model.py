"""The data that flows through curriclint: files become segments, segments become findings.

Everything here is plain data with a stable dictionary form, because these shapes are
public contracts (`curriclint extract` lines, the JSON report, the cache).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import Enum

UNITS = ("slide", "page", "question", "paragraph", "line")
PARTS = (
    "title", "body", "table", "notes", "alt_text", "chart", "smartart", "header", "footer",
    "footnote", "endnote", "comment", "textbox", "stem", "option", "answer", "feedback",
)
# "critical" is the learned confirmer's judgement of the whole segment; the others come
# from cue phrases around the match.
CONTEXT_KINDS = ("asserted", "negated", "historical", "hypothetical", "quoted", "criticised", "critical")
_OPTIONAL_SEGMENT_KEYS = ("row", "col", "option", "question_title", "member", "hidden", "context")


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 1, "warning": 2, "error": 3}[self.value]

    @property
    def is_flag(self) -> bool:
        """A flag is a finding of severity warning or error."""
        return self.rank >= 2


@dataclass(frozen=True)
class Segment:
    """A piece of text and exactly where a reader finds it."""

    path: str
    unit: str
    index: int
    part: str
    text: str
    question_id: str | None = None
    row: int | None = None
    col: int | None = None
    option: str | None = None
    question_title: str | None = None
    member: str | None = None
    hidden: bool | None = None
    # Text that frames this segment without belonging to it: a table cell's row and
    # headers, the slide title. Proximity rules look here too.
    context: str | None = None

    def location(self) -> dict:
        loc = {"unit": self.unit, "index": self.index, "part": self.part,
               "question_id": self.question_id}
        for key in ("row", "col", "option", "question_title", "member", "hidden"):
            value = getattr(self, key)
            if value is not None:
                loc[key] = value
        return loc

    def to_dict(self) -> dict:
        data = {"path": self.path, "unit": self.unit, "index": self.index, "part": self.part,
                "question_id": self.question_id, "text": self.text}
        for key in _OPTIONAL_SEGMENT_KEYS:
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Segment":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Notice:
    """Something the reader of a report should know about a file that is still usable."""

    text: str


@dataclass
class Finding:
    rule_id: str
    rule: str
    pack: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    path: str
    location: dict
    span: tuple[int, int]
    text: str
    context: str
    context_span: tuple[int, int]
    context_kind: str = "asserted"
    fingerprint: str = ""
    suppressed: dict | None = None
    # The learned confirmer's scores behind this finding ({"critical": 0.97} for a confirmed
    # critique, {"biologized_race": 0.88} for a model rule's proposal).
    confirmer: dict | None = None
    # The index of the segment the finding is in (for text files, the paragraph's first
    # line); inline suppressions cover units by this index. Not part of the report.
    unit_index: int | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        loc = self.location
        return (self.path, loc.get("member") or "", _UNIT_ORDER.get(loc["unit"], 9), loc["index"],
                loc.get("question_id") or "", _PART_ORDER.get(loc["part"], 99), loc.get("row") or 0,
                loc.get("col") or 0, loc.get("option") or "", self.span[0], self.span[1], self.rule_id)

    def to_dict(self) -> dict:
        data = {
            "rule_id": self.rule_id, "rule": self.rule, "pack": self.pack,
            "category": self.category, "severity": self.severity.value,
            "message": self.message, "suggestion": self.suggestion, "path": self.path,
            "location": self.location,
            "span": {"start": self.span[0], "end": self.span[1]},
            "text": self.text, "context": self.context,
            "context_span": {"start": self.context_span[0], "end": self.context_span[1]},
            "context_kind": self.context_kind, "fingerprint": self.fingerprint,
        }
        if self.suppressed is not None:
            data["suppressed"] = self.suppressed
        if self.confirmer is not None:
            data["confirmer"] = self.confirmer
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(
            rule_id=data["rule_id"], rule=data["rule"], pack=data["pack"],
            category=data["category"], severity=Severity(data["severity"]),
            message=data["message"], suggestion=data["suggestion"], path=data["path"],
            location=data["location"], span=(data["span"]["start"], data["span"]["end"]),
            text=data["text"], context=data["context"],
            context_span=(data["context_span"]["start"], data["context_span"]["end"]),
            context_kind=data.get("context_kind", "asserted"),
            fingerprint=data.get("fingerprint", ""), suppressed=data.get("suppressed"),
            confirmer=data.get("confirmer"),
        )


_UNIT_ORDER = {unit: i for i, unit in enumerate(UNITS)}
_PART_ORDER = {part: i for i, part in enumerate(PARTS)}


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    format: str | None
    status: str = "ok"  # "ok" or "error"
    error: str | None = None
    segments: int = 0
    notices: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    bank: dict | None = None

    def to_dict(self) -> dict:
        data = {"path": self.path, "format": self.format, "segments": self.segments,
                "status": self.status, "error": self.error}
        if self.notices:
            data["notices"] = list(self.notices)
        return data


def _normalise_sentence(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def assign_fingerprints(findings: list[Finding], project_path_of) -> None:
    """Give each finding a hash that survives moving a slide or changing the command line.

    It uses the rule id, the path relative to the project root, and the normalised
    sentence around the match, but not the unit index; an ordinal separates identical
    matches in one file.
    """
    seen: dict[tuple, int] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        rel = project_path_of(finding.path)
        key = (finding.rule_id, rel, _normalise_sentence(finding.context), finding.text.lower())
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        raw = "\x1f".join([finding.rule_id, rel, key[2], key[3], str(ordinal)])
        finding.fingerprint = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
