"""Turn the paths on the command line into the files to read.

Folders are walked, honouring ``.gitignore`` and ``.curriclintignore`` files (gitignore
syntax, via pathspec) and the include/exclude globs from config; only extensions curriclint
reads are considered, and the copies ``curriclint annotate`` writes are passed over. A file
named explicitly is always read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from curriclint.extract import COPY_TAG, REVIEW_TAG
from curriclint.extract.sniff import WALK_EXTENSIONS

IGNORE_FILES = (".gitignore", ".curriclintignore")
_ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv",
                                  "venv", ".curriclint_cache"})


@dataclass(frozen=True)
class Target:
    path: Path  # where to read it
    shown: str  # how to report it: as given on the command line, joined with the walk
    explicit: bool  # named on the command line


def discover(paths: list[str], include: list[str] | None = None,
             exclude: list[str] | None = None, skip_unsupported: bool = False) -> tuple[list[Target], int]:
    """Return the files to read and how many walked files were skipped as unsupported.

    With ``skip_unsupported`` files named on the command line are treated like files met
    while walking (a pre-commit hook passes every staged file by name)."""
    targets: list[Target] = []
    skipped = 0
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            walked, walked_skipped = _walk(path, given, include or [], exclude or [])
            skipped += walked_skipped
            for target in walked:
                if target.path.resolve() not in seen:
                    seen.add(target.path.resolve())
                    targets.append(target)
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                targets.append(Target(path, given, explicit=not skip_unsupported))
    return targets, skipped


def _walk(root: Path, shown_root: str, include: list[str], exclude: list[str]):
    import pathspec

    targets: list[Target] = []
    skipped = 0
    specs: dict[Path, pathspec.PathSpec] = {}
    # include/exclude use gitignore glob rules too: "**/*.pptx" also matches top-level decks
    include_spec = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None

    def ignored(path: Path, is_dir: bool) -> bool:
        for base, spec in specs.items():
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        return False

    for dirpath, dirnames, filenames in os.walk(root):
        current = Path(dirpath)
        lines: list[str] = []
        for name in IGNORE_FILES:
            ignore_file = current / name
            if ignore_file.is_file():
                lines += ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        if lines:
            specs[current] = pathspec.GitIgnoreSpec.from_lines(lines)
        dirnames[:] = sorted(d for d in dirnames if d not in _ALWAYS_SKIPPED_DIRS
                             and not ignored(current / d, True))
        for name in sorted(filenames):
            path = current / name
            rel = path.relative_to(root).as_posix()
            if name in IGNORE_FILES or ignored(path, False):
                continue
            if exclude_spec is not None and exclude_spec.match_file(rel):
                continue
            if include_spec is not None and not include_spec.match_file(rel):
                continue
            if path.suffix.lower() not in WALK_EXTENSIONS or is_annotated_copy(path):
                skipped += 1
                continue
            targets.append(Target(path, _join_shown(shown_root, rel), explicit=False))
    return targets, skipped


def is_annotated_copy(path: Path) -> bool:
    """A copy written by ``curriclint annotate``: met while walking, it would report its
    original's findings a second time (named on the command line, it is read)."""
    return path.stem.endswith((COPY_TAG, REVIEW_TAG))


def _join_shown(shown_root: str, rel: str) -> str:
    if shown_root in (".", "./"):
        return rel
    return shown_root.rstrip("/\\") + "/" + rel
