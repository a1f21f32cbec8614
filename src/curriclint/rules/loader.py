"""Load YAML rule packs, validate them against the published schema, resolve term lists and
report every mistake like a compiler: ``PATH:LINE: rule ID: message``, one line each.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from curriclint.model import Severity
from curriclint.rules.spec import ContextCues, MatchSpec, PackInfo, Rule, RuleSet, Terms

SHARED_PACK = "terms"


@lru_cache(maxsize=1)
def _pack_loader():
    """A safe YAML loader in which only true/false are booleans (as in YAML 1.2), so cue
    words such as ``no``, ``yes``, ``on`` and ``off`` stay words. Built on first use: a run
    served from the compiled-pack cache never imports yaml for the packs."""
    import yaml

    class PackLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    boolean = "tag:yaml.org,2002:bool"
    PackLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != boolean]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    PackLoader.add_implicit_resolver(boolean, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                     list("tTfF"))
    return PackLoader


_MODEL_ATTRS = {"POS", "TAG", "DEP", "MORPH", "LEMMA", "SENT_START", "IS_SENT_START", "ENT_TYPE"}
_LITERAL_ATTRS = ("LOWER", "NORM", "ORTH", "TEXT", "LEMMA")
_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)


class PackError(Exception):
    """One or more pack mistakes; ``lines`` holds the one-line messages."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class _Source:
    path: Path
    shown: str
    data: dict
    lines: dict  # key path tuple -> 1-based line


def builtin_rules_dir() -> Path:
    """Built-in packs: inside the installed wheel, or the repo's top-level rules/ folder."""
    packaged = resources.files("curriclint") / "builtin_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def builtin_pack_names() -> list[str]:
    return sorted(p.stem for p in builtin_rules_dir().glob("*.yaml") if p.stem != SHARED_PACK)


def pack_schema() -> dict:
    return json.loads((resources.files("curriclint.rules") / "pack.schema.json").read_text("utf-8"))


def resolve_pack_paths(selected: list[str] | None, extra: list[str] | None = None) -> list[Path]:
    """Turn --rules/--extend-rules values (built-in names or paths) into pack files."""
    names = list(selected) if selected else builtin_pack_names()
    names += list(extra or [])
    paths: list[Path] = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") or os.sep in name or "/" in name:
            if not candidate.is_file():
                raise PackError([f"{name}: rule pack not found"])
            paths.append(candidate)
            continue
        builtin = builtin_rules_dir() / f"{name}.yaml"
        if not builtin.is_file():
            known = ", ".join(builtin_pack_names())
            raise PackError([f"{name}: no built-in pack of that name (built-in: {known}); "
                             "give a path to use your own"])
        paths.append(builtin)
    unique: list[Path] = []
    for path in paths:
        if path.resolve() not in {p.resolve() for p in unique} and path.stem != SHARED_PACK:
            unique.append(path)
    return unique


def load_rules(selected: list[str] | None = None, extra: list[str] | None = None,
               cache_dir: Path | None = None) -> RuleSet:
    """Load the shared terms pack plus the selected packs; raise PackError on any mistake.

    With ``cache_dir``, unchanged packs come from the compiled-pack cache there."""
    paths = [builtin_rules_dir() / f"{SHARED_PACK}.yaml", *resolve_pack_paths(selected, extra)]
    if cache_dir is None:
        return load_pack_files(paths)
    from curriclint.rules.compiled import load_cached

    return load_cached(paths, cache_dir, lambda: load_pack_files(paths))


def load_pack_files(paths: list[Path]) -> RuleSet:
    errors: list[str] = []
    sources = [_read(path, errors) for path in paths]
    sources = [s for s in sources if s is not None]
    validator = _validator()
    for source in sources:
        found = sorted(validator.iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path)))
        for error in _without_echoes(found):
            errors.append(_schema_message(source, error))
    if errors:
        raise PackError(errors)
    builder = _Builder(errors)
    ruleset = builder.build(sources)
    if errors:
        raise PackError(errors)
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.path.read_bytes())
    ruleset.digest = digest.hexdigest()
    return ruleset


def _shown(path: Path) -> str:
    """A pack's path for messages: relative when it is inside the current folder."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _read(path: Path, errors: list[str]) -> _Source | None:
    import yaml

    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{shown}: cannot read rule pack: {exc}")
        return None
    try:
        data, node = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        errors.append(f"{shown}:{line}: invalid YAML: {problem}")
        return None
    if not isinstance(data, dict):
        errors.append(f"{shown}:1: a rule pack must be a mapping with 'pack', 'version' and 'rules'")
        return None
    lines: dict = {}
    _index_lines(node, (), lines)
    return _Source(path, shown, data, lines)


def _parse(text: str):
    """The pack's data and its node tree (for line numbers), from one parse."""
    loader = _pack_loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def _index_lines(node, path: tuple, lines: dict) -> None:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key, "<key>")] = key_node.start_mark.line + 1
            _index_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(pack_schema())


def _without_echoes(errors: list) -> list:
    """Drop 'missing key' errors that only echo a misspelt key already reported as unknown
    ('severty' is unknown, so 'severity' is missing: say it once)."""
    misspelt: set[tuple] = set()
    for error in errors:
        if error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            for name in set(error.instance) - allowed:
                for close in difflib.get_close_matches(name, allowed, n=1, cutoff=0.6):
                    misspelt.add((tuple(error.absolute_path), close))
    kept = []
    for error in errors:
        if error.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            if missing and (tuple(error.absolute_path), missing[0]) in misspelt:
                continue
        kept.append(error)
    return kept


def _where(source: _Source, path: tuple, key_line: bool = False) -> str:
    path = tuple(path)
    line = None
    if key_line and path:
        line = source.lines.get((*path, "<key>"))
    while line is None and path:
        line = source.lines.get(path)
        if line is None:
            path = path[:-1]
    line = line or source.lines.get((), 1)
    prefix = f"{source.shown}:{line}:"
    rules = source.data.get("rules")
    if len(path) >= 2 and path[0] == "rules" and isinstance(rules, list) and isinstance(path[1], int):
        rule = rules[path[1]] if path[1] < len(rules) else {}
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        prefix += f" rule {rule_id or '#' + str(path[1] + 1)}:"
    return prefix


def _schema_message(source: _Source, error) -> str:
    path = tuple(error.absolute_path)
    key = next((p for p in reversed(path) if isinstance(p, str)), None)
    label = f"key '{key}'" if key else "pack"
    validator = error.validator
    if validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unexpected = sorted(set(error.instance) - allowed)
        name = unexpected[0] if unexpected else "?"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(sorted(allowed))})"
        return f"{_where(source, (*path, name), key_line=True)} unknown key '{name}'{hint}"
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"{_where(source, path)} missing required key '{missing[0] if missing else error.message}'"
    if validator == "enum":
        options = ", ".join(map(str, error.validator_value))
        return f"{_where(source, path, key_line=False)} {label} must be one of {options} (got {error.instance!r})"
    if validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"{_where(source, path)} {label} must be {_article(wanted)} (got {type(error.instance).__name__})"
    if validator == "oneOf" and key in ("phrases", "terms", "to", "near", "triggers", "before", "after",
                                        "sentence", "previous", "segment", "terminators",
                                        "concessives"):
        return f"{_where(source, path)} {label} must be a list of phrases or a @list reference"
    if validator == "oneOf":
        return f"{_where(source, path)} {label} must be a list of words or a mapping with 'words'"
    if validator == "minProperties" and len(path) >= 2 and path[-2] == "pattern":
        return (f"{_where(source, path)} empty pattern token: each token needs at least one "
                "attribute, e.g. {LOWER: race}")
    if validator in ("minItems", "minProperties", "minLength"):
        return f"{_where(source, path)} {label} must not be empty"
    if validator == "pattern":
        return f"{_where(source, path)} {label} {error.instance!r} is not valid (expected a value matching {error.validator_value})"
    return f"{_where(source, path)} {label}: {error.message}"


def _article(word: str) -> str:
    return {"integer": "an integer", "object": "a mapping", "array": "a list",
            "string": "a string", "boolean": "true or false", "number": "a number"}.get(word, word)


class _Builder:
    """Second pass: resolve @lists, compile match items to specs, check cross-references."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        self.terms: dict[str, Terms] = {}
        self.groups: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._raw_terms: dict[str, tuple[_Source, str, object]] = {}

    def build(self, sources: list[_Source]) -> RuleSet:
        packs: list[PackInfo] = []
        for source in sources:
            name = source.data["pack"]
            for list_name, value in (source.data.get("terms") or {}).items():
                self._raw_terms[f"{name}.{list_name}"] = (source, list_name, value)
        for qualified in list(self._raw_terms):
            self._resolve_list(qualified, ())
        contexts, scopes = self._contexts(sources)
        rules: list[Rule] = []
        seen: dict[str, str] = {}
        for source in sources:
            data = source.data
            packs.append(PackInfo(data["pack"], str(data["version"]), source.shown,
                                  data.get("description", ""), list(data.get("maintainers") or []),
                                  data.get("license", ""), dict(data.get("references") or {})))
            for i, raw in enumerate(data.get("rules") or []):
                rule = self._rule(source, i, raw)
                if rule is None:
                    continue
                if rule.id in seen:
                    self.errors.append(f"{_where(source, ('rules', i, 'id'))} duplicate id "
                                       f"(already defined at {seen[rule.id]})")
                    continue
                seen[rule.id] = f"{source.shown}:{rule.line}"
                rules.append(rule)
        return RuleSet([p for p in packs if p.name != SHARED_PACK], rules, self.terms,
                       self.groups, self.kinds, contexts, scopes.get("terminators"),
                       scopes.get("concessives"))

    # term lists -------------------------------------------------------------------------
    def _resolve_list(self, qualified: str, stack: tuple) -> Terms | None:
        if qualified in self.terms:
            return self.terms[qualified]
        if qualified not in self._raw_terms or qualified in stack:
            return None
        source, list_name, value = self._raw_terms[qualified]
        pack = qualified.split(".", 1)[0]
        path = ("terms", list_name)
        if isinstance(value, dict):
            entries, group, kind = value["words"], value.get("group"), value.get("kind")
            excludes = [self._spec(source, (*path, "not", j), item, pack, allow_no_trigger=True)
                        for j, item in enumerate(value.get("not") or [])]
        else:
            entries, group, kind, excludes = value, None, None, []
        words, exclude = self._expand(source, path, entries, pack, (*stack, qualified))
        exclude = [e for e in excludes if e is not None] + exclude
        terms = Terms(tuple(dict.fromkeys(words)), tuple(exclude), qualified)
        self.terms[qualified] = terms
        if group:
            self.groups[qualified] = group
        if kind:
            self.kinds[qualified] = kind
        return terms

    @staticmethod
    def _ref(entry: str, pack: str) -> str:
        name = entry[1:]
        return name if "." in name else f"{pack}.{name}"

    def _phrases(self, source: _Source, path: tuple, value, pack: str) -> Terms | None:
        if isinstance(value, str):
            terms = self._resolve_list(self._ref(value, pack), ())
            if terms is None:
                self.errors.append(f"{_where(source, path)} undefined term list '{value}'")
            return terms
        words, exclude = self._expand(source, path, value, pack, ())
        return Terms(tuple(dict.fromkeys(words)), tuple(exclude))

    def _expand(self, source: _Source, path: tuple, entries, pack: str, stack: tuple):
        """Phrases and the contents of the @lists among them, with those lists' senses."""
        words: list[str] = []
        exclude: list[MatchSpec] = []
        for j, entry in enumerate(entries):
            if not entry.startswith("@"):
                words.append(entry)
                continue
            inner = self._resolve_list(self._ref(entry, pack), stack)
            if inner is None:
                self.errors.append(f"{_where(source, (*path, j))} undefined term list '{entry}'")
                continue
            words += inner.words
            exclude += inner.exclude
        return words, exclude

    def _contexts(self, sources: list[_Source]):
        contexts: dict[str, ContextCues] = {}
        scopes: dict[str, Terms] = {}  # terminators, concessives
        for source in sources:
            pack = source.data["pack"]
            for name, cues in (source.data.get("contexts") or {}).items():
                path = ("contexts", name)
                if name in ("terminators", "concessives"):
                    scopes[name] = self._phrases(source, path, cues, pack)
                    continue
                lists = {key: self._phrases(source, (*path, key), cues[key], pack)
                         for key in ("before", "after", "sentence", "previous") if key in cues}
                contexts[name] = ContextCues(name, quotes=bool(cues.get("quotes")),
                                             window=int(cues.get("window", 8)), **lists)
        return contexts, scopes

    # rules ------------------------------------------------------------------------------
    def _rule(self, source: _Source, i: int, raw: dict) -> Rule | None:
        pack = source.data["pack"]
        defaults = source.data.get("defaults") or {}
        path = ("rules", i)
        before = len(self.errors)
        specs = [self._spec(source, (*path, "match", j), item, pack)
                 for j, item in enumerate(raw["match"])]
        severity = Severity(raw["severity"])
        evidence = raw.get("evidence", "verified")
        if evidence == "unverified" and severity.rank > Severity.WARNING.rank:
            self.errors.append(f"{_where(source, (*path, 'severity'))} severity '{severity.value}' "
                               "is not allowed for evidence 'unverified' (at most 'warning')")
        references = []
        known = source.data.get("references") or {}
        for j, key in enumerate(raw.get("references") or []):
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.errors.append(f"{_where(source, (*path, 'references', j))} unknown reference "
                                   f"'{key}'{hint}: add it to the pack's 'references'")
            else:
                references.append({"key": key, **known[key]})
        unless = raw.get("unless", defaults.get("unless")) or {}
        downgrade = raw.get("downgrade", defaults.get("downgrade")) or {}
        scope = raw.get("scope", defaults.get("scope"))
        unless_terms = self._phrases(source, (*path, "unless", "terms"), unless["terms"], pack) \
            if "terms" in unless else None
        unless_segment = self._phrases(source, (*path, "unless", "segment"), unless["segment"], pack) \
            if "segment" in unless else None
        unless_stem = self._phrases(source, (*path, "unless", "stem"), unless["stem"], pack) \
            if "stem" in unless else None
        if len(self.errors) > before:
            return None
        return Rule(
            id=raw["id"], name=raw["name"], category=raw["category"], severity=severity,
            message=raw["message"].strip(), rationale=raw["rationale"].strip(),
            suggestion=raw["suggestion"].strip(), pack=pack, source=source.shown,
            line=source.lines.get(path, 1), match=specs,
            examples_flag=list(raw["examples"]["flag"]), examples_pass=list(raw["examples"]["pass"]),
            references=references, evidence=evidence, scope=frozenset(scope) if scope else None,
            level=raw.get("level", "sentence"), vignettes_only=bool(raw.get("vignettes_only", False)),
            unless_context=frozenset(unless.get("context") or ()), unless_terms=unless_terms,
            unless_within=int(unless.get("within", 0)), unless_segment=unless_segment,
            unless_stem=unless_stem,
            unless_bank=frozenset(unless.get("bank") or ()),
            downgrade_context=frozenset(downgrade.get("context") or ()),
            downgrade_to=Severity(downgrade.get("to", "info")),
        )

    def _spec(self, source: _Source, path: tuple, item: dict, pack: str,
              allow_no_trigger: bool = False) -> MatchSpec | None:
        line = source.lines.get(path, 1)
        kinds = [k for k in ("phrases", "pattern", "near", "coefficient", "regex", "model") if k in item]
        if len(kinds) != 1:
            self.errors.append(f"{_where(source, path)} a match item needs exactly one of phrases, "
                               f"pattern, near, coefficient, regex, model (got {', '.join(kinds) or 'none'})")
            return None
        kind = kinds[0]
        if "triggers" in item and kind != "regex":
            self.errors.append(f"{_where(source, (*path, 'triggers'), True)} 'triggers' only goes with 'regex'")
            return None
        spec = None
        if kind == "phrases":
            terms = self._phrases(source, (*path, "phrases"), item["phrases"], pack)
            if terms is not None:
                spec = MatchSpec("phrases", line, terms=terms, triggers=word_triggers(terms.words))
        elif kind == "near":
            near = item["near"]
            terms = self._phrases(source, (*path, "near", "terms"), near["terms"], pack)
            to = self._phrases(source, (*path, "near", "to"), near["to"], pack)
            if terms is not None and to is not None:
                spec = MatchSpec("near", line, terms=terms, to=to, within=int(near.get("within", 8)),
                                 same=near.get("same", "sentence"), triggers=word_triggers(terms.words))
        elif kind == "coefficient":
            coef = item["coefficient"]
            to = self._phrases(source, (*path, "coefficient", "near"), coef["near"], pack)
            values = tuple(str(v) for v in coef["values"])
            if to is not None:
                spec = MatchSpec("coefficient", line, to=to, values=values,
                                 within=int(coef.get("within", 12)),
                                 substring_triggers=frozenset(v.lstrip("0") or v for v in values))
        elif kind == "pattern":
            spec = self._pattern(source, (*path, "pattern"), item["pattern"], pack, line)
        elif kind == "model":
            model = item["model"]
            terms = self._phrases(source, (*path, "model", "in"), model["in"], pack)
            if terms is not None:
                spec = MatchSpec("model", line, terms=terms, label=model["label"],
                                 threshold=float(model["threshold"]), triggers=word_triggers(terms.words))
        else:
            spec = self._regex(source, path, item, pack, line)
        if spec is None:
            return None
        if not allow_no_trigger and not spec.triggers and not spec.substring_triggers:
            self.errors.append(f"{_where(source, path)} match item has no literal trigger: every "
                               "match needs at least one literal word (a phrase, a LOWER/ORTH token, "
                               "or 'triggers' for a regex)")
            return None
        return spec

    def _pattern(self, source, path, pattern, pack, line) -> MatchSpec | None:
        resolved = []
        needs_model = False
        triggers: set[str] = set()
        first_required_literal = None
        for j, token in enumerate(pattern):
            if not isinstance(token, dict) or not token:
                self.errors.append(f"{_where(source, (*path, j))} empty pattern token: each token "
                                   "needs at least one attribute, e.g. {LOWER: race}")
                return None
            new_token = {}
            for attr, value in token.items():
                attr_upper = attr.upper() if attr != "OP" else attr
                if attr_upper in _MODEL_ATTRS:
                    needs_model = True
                new_token[attr_upper] = self._pattern_value(source, (*path, j, attr), value, pack)
                if new_token[attr_upper] is None:
                    return None
            resolved.append(new_token)
            literal = _literal_words(new_token)
            if literal and first_required_literal is None and new_token.get("OP") in (None, "+", "1"):
                first_required_literal = literal
        if first_required_literal:
            triggers = {(word,) for word in first_required_literal}
        if not resolved:
            self.errors.append(f"{_where(source, path)} empty pattern")
            return None
        return MatchSpec("pattern", line, pattern=tuple(resolved), triggers=frozenset(triggers),
                         needs_model=needs_model)

    def _pattern_value(self, source, path, value, pack):
        if isinstance(value, str) and value.startswith("@"):
            terms = self._resolve_list(self._ref(value, pack), ())
            if terms is None:
                self.errors.append(f"{_where(source, path)} undefined term list '{value}'")
                return None
            return {"IN": [w.lower() for w in terms.words if " " not in w]}
        if isinstance(value, dict):
            out = {}
            for op, inner in value.items():
                if isinstance(inner, str) and inner.startswith("@"):
                    terms = self._resolve_list(self._ref(inner, pack), ())
                    if terms is None:
                        self.errors.append(f"{_where(source, path)} undefined term list '{inner}'")
                        return None
                    inner = [w.lower() for w in terms.words if " " not in w]
                elif isinstance(inner, list):
                    expanded = []
                    for entry in inner:
                        if isinstance(entry, str) and entry.startswith("@"):
                            terms = self._resolve_list(self._ref(entry, pack), ())
                            if terms is None:
                                self.errors.append(f"{_where(source, path)} undefined term list '{entry}'")
                                return None
                            expanded += [w.lower() for w in terms.words if " " not in w]
                        else:
                            expanded.append(entry)
                    inner = expanded
                out[op] = inner
            return out
        return value

    def _regex(self, source, path, item, pack, line) -> MatchSpec | None:
        import re2

        pattern = item["regex"]
        options = re2.Options()
        options.log_errors = False  # report the error once, as one line, not on stderr too
        try:
            re2.compile(pattern, options)
        except re2.error as exc:
            self.errors.append(f"{_where(source, (*path, 'regex'))} regex cannot be compiled by RE2 "
                               f"(no look-around or backreferences): {_re2_reason(exc)}")
            return None
        if "triggers" not in item:
            self.errors.append(f"{_where(source, path)} match item has no literal trigger: a regex "
                               "needs 'triggers', the literal words every match contains")
            return None
        terms = self._phrases(source, (*path, "triggers"), item["triggers"], pack)
        if terms is None:
            return None
        words = word_triggers(terms.words)
        return MatchSpec("regex", line, regex=pattern, triggers=words)


def _re2_reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _literal_words(token: dict) -> list[str]:
    for attr in _LITERAL_ATTRS:
        value = token.get(attr)
        if isinstance(value, str):
            return [value.lower()]
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            words = [str(v).lower() for v in value["IN"]]
            return words or []
    return []


def word_triggers(phrases) -> frozenset[tuple[str, ...]]:
    """For each phrase and spelling variant, the folded words any match of it contains."""
    from curriclint.engine.normalize import fold, hyphen_variants

    triggers: set[tuple[str, ...]] = set()
    for phrase in phrases:
        for variant in hyphen_variants(phrase):
            words = tuple(sorted({fold(w.lower()) for w in _WORD.findall(variant)}))
            if words:
                triggers.add(words)
    return frozenset(triggers)
