"""A single self-contained HTML file a curriculum committee can email: summary charts (inline
SVG), a files table, every finding with its context, rationale, suggestion and references,
filters, and bank statistics.

No network: inline CSS, one small inline script allowed by a hash in the page's Content
Security Policy (``default-src 'none'``), no fonts, images or scripts from elsewhere. No dates,
so the same run gives the same bytes.

Everything taken from documents is untrusted. The template is rendered with autoescaping on,
document text is never marked safe, and data for the script travels in escaped ``data-*``
attributes, never in script literals.
"""
from __future__ import annotations

import base64
import hashlib
from pathlib import PurePosixPath
from urllib.parse import quote

from curriclint import __version__
from curriclint.report import summary
from curriclint.report.text_report import where

TOP_LEVEL = "(top level)"
SEVERITIES = ("error", "warning", "info")
SEVERITY_COLOURS = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3"}
BAR_COLOUR = "#3e6b89"
CHART = {"label_width": 190, "bar_width": 230, "value_width": 48, "row": 22, "bar": 14, "pad": 4,
         "label_chars": 28}


def _parts(path: str) -> list[str]:
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("/", ".", "..")]
    return parts[1:] if parts and parts[0].endswith(":") else parts  # drop a Windows drive


def common_folder(paths: list[str]) -> list[str]:
    """The folder all scanned files share (the program folder a committee scanned)."""
    folders = [_parts(p)[:-1] for p in paths]
    if not folders:
        return []
    common = folders[0]
    for folder in folders[1:]:
        while folder[:len(common)] != common:
            common = common[:-1]
    return common


def course_of(path: str, base: list[str] | None = None) -> str:
    """The top-level folder of a finding's path below the scanned folder, or "(top level)"."""
    parts = _parts(path)
    if base and parts[:len(base)] == base:
        parts = parts[len(base):]
    return parts[0] if len(parts) > 1 else TOP_LEVEL


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, int]], colours: dict | None = None) -> dict:
    """Geometry for a horizontal bar chart; the template draws it as inline SVG."""
    c = CHART
    top = max((value for _, value in items), default=0)
    bars = []
    for i, (label, value) in enumerate(items):
        y = c["pad"] + i * c["row"]
        width = 0 if top == 0 else max(1 if value else 0, round(c["bar_width"] * value / top))
        bars.append({
            "label": label, "short": _shorten(label, c["label_chars"]), "value": value,
            "y": y, "text_y": y + c["bar"] - 3, "x": c["label_width"], "width": width,
            "value_x": c["label_width"] + width + 6,
            "colour": (colours or {}).get(label, BAR_COLOUR),
        })
    return {
        "title": title, "bars": bars, "bar_height": c["bar"],
        "width": c["label_width"] + c["bar_width"] + c["value_width"],
        "height": c["pad"] * 2 + len(items) * c["row"],
        "label_x": c["label_width"] - 6,
    }


def _counted(values) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def reference_view(ref: dict) -> dict:
    citation = str(ref.get("citation") or ref.get("title") or ref.get("key") or "")
    href = label = None
    if ref.get("doi"):
        doi = str(ref["doi"])
        href, label = "https://doi.org/" + quote(doi, safe="/:;()._-~!$&'*+,=@"), f"doi:{doi}"
    elif ref.get("url") and str(ref["url"]).lower().startswith(("https://", "http://")):
        href = label = str(ref["url"])
    return {"citation": citation, "href": href, "label": label}


def highlight(context: str, span) -> dict:
    """The context split around the match; the template escapes each piece and marks the middle."""
    start, end = (span or (0, 0))
    if not (0 <= start <= end <= len(context)):
        return {"before": context, "match": "", "after": ""}
    return {"before": context[:start], "match": context[start:end], "after": context[end:]}


def finding_view(finding, rules: dict, number: int, base: list[str] | None = None) -> dict:
    rule = rules.get(finding.rule_id)
    loc = finding.location
    suppressed = finding.suppressed or {}
    return {
        "anchor": f"finding-{number}",
        "path": finding.path,
        "where": f"line {loc['index']}" if loc["unit"] == "line" else where(loc),
        "course": course_of(finding.path, base),
        "rule_id": finding.rule_id,
        "rule_name": finding.rule,
        "pack": finding.pack,
        "category": finding.category,
        "severity": finding.severity.value,
        "message": finding.message,
        "context": highlight(finding.context, finding.context_span),
        "context_kind": finding.context_kind,
        "question_title": loc.get("question_title"),
        "hidden_slide": bool(loc.get("hidden")),
        "rationale": rule.rationale.strip() if rule else "",
        "suggestion": finding.suggestion or (rule.suggestion if rule else ""),
        "references": [reference_view(r) for r in rule.references] if rule else [],
        "evidence": rule.evidence if rule else None,
        "suppressed_by": suppressed.get("by"),
        "suppression_reason": suppressed.get("reason"),
        "fingerprint": finding.fingerprint,
    }


def _share(value) -> str:
    return "—" if value is None else f"{value:.0%}"


def bank_view(bank: dict) -> dict:
    mention = bank.get("mention_location") or {}
    groups = [(g, n) for g, n in (bank.get("by_group") or {}).items() if n]
    conditions = [
        (group, sorted(((c, n) for c, n in (items or {}).items()), key=lambda x: (-x[1], x[0])))
        for group, items in (bank.get("conditions_by_group") or {}).items() if items
    ]
    return {
        "path": bank.get("path", ""),
        "questions": bank.get("questions", 0),
        "stating_race": bank.get("stating_race", 0),
        "national_origin": bank.get("national_origin_or_immigration", 0),
        "groups": groups,
        "mention": [(part, mention.get(part, 0)) for part in ("stem", "option", "feedback")],
        "conditions": conditions,
        "unmarked_share": _share(bank.get("unmarked_share")),
        "nonwhite_share": _share(bank.get("nonwhite_share_of_marked")),
    }


def context(run, ruleset) -> dict:
    """Everything the template shows, as plain data (strings stay unescaped here)."""
    rules = {rule.id: rule for rule in ruleset.rules}
    counts = summary(run)
    base = common_folder([f.path for f in run.files])
    views = [finding_view(f, rules, i, base) for i, f in enumerate(run.findings, 1)]
    active = [v for v in views if v["suppressed_by"] is None]
    suppressed = [v for v in views if v["suppressed_by"] is not None]

    groups: list[dict] = []
    for view in active:
        if not groups or groups[-1]["path"] != view["path"]:
            groups.append({"path": view["path"], "findings": []})
        groups[-1]["findings"].append(view)

    files = sorted(
        ({"path": f.path, "format": f.format or "", "status": f.status, "error": f.error,
          "notices": list(f.notices), "segments": f.segments,
          "findings": sum(1 for x in f.findings if x.suppressed is None),
          "suppressed": sum(1 for x in f.findings if x.suppressed is not None)} for f in run.files),
        key=lambda row: (-row["findings"], row["status"] != "error", row["path"]),
    )

    by_rule = _counted(f"{v['rule_id']} {v['rule_name']}" for v in active)
    charts = [
        bar_chart("By severity", [(s, counts["by_severity"][s]) for s in SEVERITIES], SEVERITY_COLOURS),
        bar_chart("By category", sorted(counts["by_category"].items(), key=lambda x: (-x[1], x[0]))),
        bar_chart("By course", _counted(v["course"] for v in active)),
        bar_chart("By rule", by_rule),
    ]
    return {
        "version": __version__,
        "packs": [{"name": p.name, "version": p.version} for p in ruleset.packs],
        "summary": counts,
        "charts": charts,
        "files": files,
        "groups": groups,
        "total": len(active),
        "suppressed": suppressed,
        "filters": [
            {"key": "severity", "label": "Severity",
             "options": [s for s in SEVERITIES if any(v["severity"] == s for v in active)]},
            {"key": "category", "label": "Category", "options": sorted({v["category"] for v in active})},
            {"key": "course", "label": "Course", "options": sorted({v["course"] for v in active})},
        ],
        "notices": list(run.notices),
        "banks": [bank_view(b) for b in run.banks],
        "stale_baseline": list(run.stale_baseline),
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("curriclint.report", "templates"),
        autoescape=select_autoescape(["html", "htm", "xml", "j2"], default=True,
                                     default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = _csp_hash
    return env


def render(run, ruleset) -> str:
    return environment().get_template("report.html.j2").render(**context(run, ruleset))
