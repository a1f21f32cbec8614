"""A content-hash cache of per-file results, so an unchanged file is never extracted or
parsed twice and a fully cached run never imports spaCy.

The key is the hash of the file's bytes inside a folder named by a hash of everything
else that can change findings: the pack files, the effective configuration, the tool
version and the spaCy and pipeline versions (read from package metadata, without
importing spaCy). Entries are JSON; a corrupt entry is simply a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from curriclint import __version__
from curriclint.config import DEFAULT_PIPELINES
from curriclint.model import FileResult, Finding

_FORMAT = 1


def default_cache_dir() -> Path:
    """Outside the scanned tree: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "curriclint"


def installed_version(name: str) -> str:
    """A distribution's version from its metadata, without importing it ("-" if absent)."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def settings_digest(pack_digest: str, settings: dict, pipeline: str | None) -> str:
    """Hash of everything but the file bytes that decides a file's findings."""
    names = [pipeline] if pipeline else list(DEFAULT_PIPELINES)
    versions = {"curriclint": __version__, "cache-format": _FORMAT, "spacy": installed_version("spacy"),
                "pipelines": {n: installed_version(n.replace("_", "-")) for n in names}}
    raw = json.dumps({"packs": pack_digest, "settings": settings, "versions": versions},
                     sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Cache:
    def __init__(self, folder: Path, settings: str):
        self.folder = folder / settings
        self.hits = 0
        self.misses = 0

    def _entry(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.json"

    def load(self, digest: str, shown: str) -> FileResult | None:
        try:
            data = json.loads(self._entry(digest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        result = FileResult(shown, data["format"], data["status"], data["error"], data["segments"],
                            data["notices"], bank=data.get("bank"))
        for item in data["findings"]:
            finding = Finding.from_dict({**item, "path": shown})
            result.findings.append(finding)
        if result.bank:
            result.bank = {**result.bank, "path": shown}
        return result

    def store(self, digest: str, result: FileResult) -> None:
        data = {"format": result.format, "status": result.status, "error": result.error,
                "segments": result.segments, "notices": result.notices, "bank": result.bank,
                "findings": [f.to_dict() for f in result.findings]}
        entry = self._entry(digest)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, entry)
        except OSError:
            pass  # a read-only or full cache folder must not fail the lint
