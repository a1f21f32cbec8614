"""The compiled-pack cache: what loading the packs produces (validated rules, resolved term
lists, trigger words), kept in the user cache folder so a run whose packs have not changed
skips YAML parsing, JSON Schema validation and compiling.

An entry is keyed by the packs' bytes and paths, the curriclint, spaCy and Python versions:
any edit, upgrade or different pack selection is a new key. Entries are pickles written by
this user into this user's cache folder; one that cannot be read or is not a rule set is a
miss, rebuilt without a word to the user. Only the newest few entries are kept.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from curriclint import __version__
from curriclint.cache import installed_version
from curriclint.rules.spec import RuleSet

KEEP_ENTRIES = 8
FORMAT = 2  # bump when RuleSet's shape changes in a way the versions above would not show


def cache_key(paths: list[Path]) -> str | None:
    """None when a pack cannot be read: the full load then reports why."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, installed_version("spacy"), sys.version):
        digest.update(part.encode() + b"\0")
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(str(path.resolve()).encode() + b"\0" + _shown(path).encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]


def load_cached(paths: list[Path], folder: Path, build: Callable[[], RuleSet]) -> RuleSet:
    """The rule set for ``paths`` from the cache, or built (and stored) on a miss."""
    key = cache_key(paths)
    if key is None:
        return build()
    entry = folder / f"{key}.pickle"
    ruleset = _read(entry)
    if ruleset is None:
        ruleset = build()
        _write(entry, ruleset)
    return ruleset


def _read(entry: Path) -> RuleSet | None:
    try:
        with entry.open("rb") as handle:
            ruleset = pickle.load(handle)
    except Exception:  # missing, truncated, or written by another shape of the code: a miss
        return None
    return ruleset if isinstance(ruleset, RuleSet) else None


def _write(entry: Path, ruleset: RuleSet) -> None:
    """Atomically, so a concurrent run never reads half an entry; a read-only cache folder
    only costs the speed-up."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(ruleset, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        _prune(entry.parent)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink(missing_ok=True)


def _shown(path: Path) -> str:
    """Messages name a pack relative to the current folder, so that folder is in the key."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
