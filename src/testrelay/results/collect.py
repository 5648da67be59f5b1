"""Turning the globs CI users write into the list of result files to read.

Patterns follow the shapes people know from CI configuration: `**` crosses
directories, `{a,b}` expands, a leading `!` excludes, and hidden directories
match like any other (pytest caches and `.build/` trees hold real reports).
Nothing is excluded unless the user says so, not even `node_modules`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from wcmatch import glob

FLAGS = glob.GLOBSTAR | glob.NEGATE | glob.BRACE | glob.DOTMATCH | glob.NODIR


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A pattern that found no file, and why that might be."""

    pattern: str
    reason: str

    def __str__(self) -> str:
        return f"{self.pattern}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Collected:
    files: tuple[str, ...]
    unmatched: tuple[Unmatched, ...] = ()
    # Only exclusions were given (no pattern says what to include).
    nothing_included: bool = False


def split_patterns(patterns: Iterable[str]) -> tuple[list[str], list[str]]:
    """Include and exclude patterns, blank entries dropped (YAML lists often end in one)."""
    include: list[str] = []
    exclude: list[str] = []
    for raw in patterns:
        pattern = raw.strip()
        if not pattern:
            continue
        if pattern.startswith("!") and len(pattern) > 1:
            exclude.append(pattern[1:])
        else:
            include.append(pattern)
    return include, exclude


def _located(base_dir: str, match: str) -> str:
    if base_dir == ".":
        return os.path.normpath(match)  # the same path as joined to ".", without the join: a call per file
    return os.path.normpath(match if os.path.isabs(match) else os.path.join(base_dir, match))


def _why_unmatched(pattern: str, base_dir: str, exclude: list[str]) -> str:
    where = "" if base_dir in ("", ".") else f" under {base_dir}"
    target = pattern if os.path.isabs(pattern) else os.path.join(base_dir, pattern)
    if os.path.isdir(target):
        glob_hint = pattern.rstrip("/\\") + "/**/*.xml"
        return f"this pattern names a directory{where}, not files; to read the files in it, write {glob_hint!r}"
    if exclude and glob.glob(pattern, flags=FLAGS, root_dir=base_dir or None):
        return f"this pattern matches only files that the exclusions ({', '.join('!' + e for e in exclude)}) remove"
    return f"no file matches this pattern{where}"


def collect(patterns: Iterable[str], base_dir: str = ".") -> Collected:
    """Every file the patterns name, sorted and without duplicates, and the patterns that found none."""
    include, exclude = split_patterns(patterns)
    root = base_dir or "."
    found: set[str] = set()
    unmatched: list[Unmatched] = []
    for pattern in include:
        # One pattern at a time, so a pattern that finds nothing can be named. A plain path needs no
        # directory walk: thousands of named files would otherwise cost a walk each.
        plain = not glob.is_magic(pattern, flags=FLAGS) and os.path.isfile(_located(root, pattern))
        if plain and not (exclude and glob.globmatch(pattern, exclude, flags=FLAGS)):
            found.add(_located(root, pattern))
            continue
        # NOUNIQUE: `found` drops repeats anyway, so wcmatch's own check per match would be paid twice.
        matches = glob.glob(pattern, flags=FLAGS | glob.NOUNIQUE, root_dir=root, exclude=exclude or None)
        if not matches:
            unmatched.append(Unmatched(pattern, _why_unmatched(pattern, root, exclude)))
            continue
        found.update(_located(root, m) for m in matches)
    files = tuple(sorted(f for f in found if os.path.isfile(f)))
    return Collected(files=files, unmatched=tuple(unmatched), nothing_included=not include and bool(exclude))


def expand(patterns: Iterable[str], base_dir: str = ".") -> list[str]:
    """The files the patterns name, sorted and de-duplicated; directories are skipped."""
    return list(collect(patterns, base_dir).files)
