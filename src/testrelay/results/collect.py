"""Turning the globs CI users write into the list of result files to read.

Patterns follow the shapes people know from CI configuration: `**` crosses
directories, `{a,b}` expands, a leading `!` excludes, and hidden directories
match like any other (pytest caches and `.build/` trees hold real reports).
Nothing is excluded unless the user says so, not even `node_modules`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass

from wcmatch import glob

FLAGS = glob.GLOBSTAR | glob.NEGATE | glob.BRACE | glob.DOTMATCH | glob.NODIR
# The walk itself leaves directories in: NODIR costs a stat per match, and each match is stat'ed
# here anyway to keep regular files only and learn their sizes.
_WALK_FLAGS = (FLAGS & ~glob.NODIR) | glob.NOUNIQUE


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
    # The size of each file in `files`, in bytes, as it was when found.
    sizes: tuple[int, ...] = ()


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


def _regular_size(path: str) -> int | None:
    """The size of a regular file (symbolic links followed); None for anything else or nothing."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def collect(patterns: Iterable[str], base_dir: str = ".") -> Collected:
    """Every file the patterns name, sorted and without duplicates, and the patterns that found none."""
    include, exclude = split_patterns(patterns)
    root = base_dir or "."
    sizes: dict[str, int] = {}  # the regular files found so far
    seen: set[str] = set()  # every path looked at, file or not
    unmatched: list[Unmatched] = []
    for pattern in include:
        # One pattern at a time, so a pattern that finds nothing can be named. A plain path needs no
        # directory walk: thousands of named files would otherwise cost a walk each.
        if not glob.is_magic(pattern, flags=FLAGS):
            path = _located(root, pattern)
            size = sizes.get(path)
            if size is None:
                size = _regular_size(path)
            if size is not None and not (exclude and glob.globmatch(pattern, exclude, flags=FLAGS)):
                sizes[path] = size
                continue
        found_one = False
        for match in glob.glob(pattern, flags=_WALK_FLAGS, root_dir=root, exclude=exclude or None):
            path = _located(root, match)
            if path in seen:
                found_one = found_one or path in sizes
                continue
            seen.add(path)
            size = _regular_size(path)
            if size is not None:
                sizes[path] = size
                found_one = True
        if not found_one:
            unmatched.append(Unmatched(pattern, _why_unmatched(pattern, root, exclude)))
    files = tuple(sorted(sizes))
    return Collected(
        files=files,
        unmatched=tuple(unmatched),
        nothing_included=not include and bool(exclude),
        sizes=tuple(sizes[f] for f in files),
    )


def expand(patterns: Iterable[str], base_dir: str = ".") -> list[str]:
    """The files the patterns name, sorted and de-duplicated; directories are skipped."""
    return list(collect(patterns, base_dir).files)
