"""The compiled-pack cache: a hit gives the same rules as a full load without parsing YAML;
an edited pack, a corrupt entry or an unreadable folder falls back to a full load."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from curriclint.rules import compiled
from curriclint.rules.loader import builtin_rules_dir, load_pack_files, load_rules

PACK = """\
pack: school
version: 1.0.0
description: A school's own pack.
rules:
  - id: SCH001
    name: old-term
    category: biologized_race
    severity: warning
    message: "Outdated term ({match})"
    rationale: The term is outdated.
    suggestion: Use the current term.
    match:
      - phrases: [{word}]
    examples:
      flag: ["The {word} was noted."]
      pass: ["Nothing here."]
"""


def _pack(folder: Path, word: str) -> Path:
    path = folder / "school.yaml"
    path.write_text(PACK.replace("{word}", word), encoding="utf-8")
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_hit_equals_full_load_and_skips_parsing(tmp_path, monkeypatch):
    pack = _pack(tmp_path, "mongoloid")
    cache = tmp_path / "cache"
    first = load_rules(["biologized-race"], [str(pack)], cache_dir=cache)
    assert len(_entries(cache)) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cache hit must not load the packs")

    monkeypatch.setattr("curriclint.rules.loader.load_pack_files", no_parsing)
    second = load_rules(["biologized-race"], [str(pack)], cache_dir=cache)
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert second.digest == first.digest
    assert second.terms.keys() == first.terms.keys()


def test_pack_edit_is_a_new_entry_with_the_new_rule(tmp_path):
    pack = _pack(tmp_path, "mongoloid")
    cache = tmp_path / "cache"
    before = load_rules([], [str(pack)], cache_dir=cache)
    _pack(tmp_path, "negroid")
    after = load_rules([], [str(pack)], cache_dir=cache)
    assert before.digest != after.digest
    assert len(_entries(cache)) == 2
    rule = after.rule("SCH001")
    assert "negroid" in str(rule.match)


def test_corrupt_entry_is_rebuilt_silently(tmp_path, capsys):
    cache = tmp_path / "cache"
    load_rules(cache_dir=cache)
    (entry,) = _entries(cache)
    entry.write_bytes(b"not a pickle")
    ruleset = load_rules(cache_dir=cache)
    assert ruleset.rules
    assert entry.read_bytes() != b"not a pickle"
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_entry_of_another_type_is_a_miss(tmp_path):
    import pickle

    cache = tmp_path / "cache"
    load_rules(cache_dir=cache)
    (entry,) = _entries(cache)
    entry.write_bytes(pickle.dumps({"rules": []}))
    assert load_rules(cache_dir=cache).rules


def test_version_change_is_a_new_key(tmp_path, monkeypatch):
    paths = [builtin_rules_dir() / "terms.yaml"]
    key = compiled.cache_key(paths)
    monkeypatch.setattr(compiled, "__version__", "0.0.0-other")
    assert compiled.cache_key(paths) != key


def test_unwritable_cache_folder_still_loads(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert load_rules(cache_dir=blocked / "packs").rules


def test_old_entries_are_pruned(tmp_path):
    cache = tmp_path / "cache"
    for i in range(compiled.KEEP_ENTRIES + 3):
        load_rules([], [str(_pack(tmp_path, f"word{i}"))], cache_dir=cache)
    assert len(_entries(cache)) == compiled.KEEP_ENTRIES


def test_cli_reuses_compiled_packs_and_a_pack_edit_takes_effect(tmp_path):
    """End to end: the second run is served from the cache; after an edit the new term is
    found at once."""
    pack = _pack(tmp_path, "mongoloid")
    text = tmp_path / "slide.txt"
    text.write_text("The negroid facies was noted.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "curriclint", "check", "--no-cache", "--cache-dir", str(cache),
            "--rules", str(pack), "--format", "json", str(text)]
    first = subprocess.run(args, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert _entries(cache / "packs")
    _pack(tmp_path, "negroid")
    second = subprocess.run(args, capture_output=True, text=True)
    assert second.returncode == 1, second.stderr
    assert "SCH001" in second.stdout


def test_moved_packs_are_a_new_key_with_the_same_digest(tmp_path):
    """Copying the built-in packs elsewhere changes the paths, hence the key."""
    copy = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), copy)
    assert compiled.cache_key([copy / "terms.yaml"]) != compiled.cache_key([builtin_rules_dir() / "terms.yaml"])
    assert load_pack_files([copy / "terms.yaml"]).digest == load_pack_files([builtin_rules_dir() / "terms.yaml"]).digest
