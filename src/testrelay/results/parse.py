"""`parse()`: from the globs a user wrote to one TestRun, with every problem named.

One unreadable file never stops the others: its fault becomes a Problem and the
rest are still read. Many files (or many bytes in several files) are spread over
worker processes; a few small ones are read in this process, because starting
workers and sending the results back costs more than it saves there.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from ..errors import ConfigError, InputError, NoResultsError
from ..progress import Progress
from . import formats
from .chunk_workers import read_chunks, unclaimed_or_lost
from .collect import collect
from .model import Problem, ResultFile, TestRun
from .xmlsource import DEFAULT_MAX_BYTES, MalformedXML

# Where reading in more than one process starts to pay, measured on a 2-core machine with
# benchmarks/crossover.py (see BENCHMARKS.md): from about 384 small files (1.11x; 256: 0.96x), or from
# two files holding 8 MiB or more (10 MB in 2 or 4 files: 1.10-1.26x; 5 MB: 0.90x). Below that,
# starting a worker and sending its cases back costs about what it saves; a single file is never split.
PARALLEL_MIN_FILES = 384
PARALLEL_MIN_LARGE_FILES = 2
PARALLEL_MIN_BYTES = 8 * 1024**2
# Chunks per worker: enough that the parent unpacks one chunk while the workers parse the next
# and that uneven files even out, few enough that the per-chunk overhead stays small.
CHUNKS_PER_WORKER = 16

NO_TESTS = "contains no test cases"

Outcome = tuple[ResultFile | None, list[Problem]]


def _without_prefix(message: str, path: str) -> str:
    """Messages name their file for standalone use; a Problem names it already."""
    for sep in (": ", ":"):
        if message.startswith(path + sep):
            rest = message[len(path) + len(sep):]
            # MalformedXML puts line:column after the path.
            head, _, tail = rest.partition(": ")
            if tail and head.replace(":", "").isdigit():
                return tail
            return rest
    return message


def parse_one(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Outcome:
    """Read one file: its ResultFile (or None) and the problems met on the way."""
    try:
        result = formats.parse_file(path, max_bytes=max_bytes)
    except MalformedXML as exc:
        return None, [Problem(path, exc.reason, line=exc.line, column=exc.column)]
    except InputError as exc:
        message = _without_prefix(exc.message, path)
        if exc.hint:
            message += f" ({exc.hint})"
        return None, [Problem(path, message)]
    except OSError as exc:
        return None, [Problem(path, f"cannot read: {exc.strerror or exc}")]
    warnings = result.warnings
    # Most files have no warning: no comprehension (a call of its own) for them.
    problems = [Problem(path, _without_prefix(w, path), fatal=False) for w in warnings] if warnings else []
    if result.totals.tests == 0:
        problems.append(Problem(path, NO_TESTS, fatal=False))
    return result, problems


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cycle collector while building many objects that hold no cycles.

    Each collection walks every object alive, so with hundreds of thousands of cases
    built it costs more the further the parse gets; this saves 10-15% of a parse.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_workers(sizes: Sequence[int], jobs: int | None) -> int:
    """How many processes to read with (this one included): 1 unless there is enough work (or `jobs` asks)."""
    files = len(sizes)
    if files < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_MIN_LARGE_FILES or (files < PARALLEL_MIN_FILES and sum(sizes) < PARALLEL_MIN_BYTES):
        return 1
    return max(1, min(available_cores(), files))


def chunked(paths: Sequence[str], sizes: Sequence[int], chunks: int) -> list[list[int]]:
    """Split indexes into runs of consecutive files of about equal bytes (at least one file each)."""
    target = max(1, sum(sizes) // max(1, chunks))
    out: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for i, size in enumerate(sizes):
        current.append(i)
        # Every file costs something even when empty: opening it, sniffing it.
        weight += size + 4096
        if weight >= target:
            out.append(current)
            current, weight = [], 0
    if current:
        out.append(current)
    return out


def _read_chunk(chunk: tuple[list[str], int]) -> list[Outcome]:
    paths, max_bytes = chunk
    return [parse_one(p, max_bytes) for p in paths]


def _parse_parallel(paths: Sequence[str], sizes: Sequence[int], processes: int, max_bytes: int,
                    progress: Progress) -> list[Outcome]:
    """Read the files in this process and `processes - 1` workers (`chunk_workers`), in chunks of consecutive files."""
    index_chunks = chunked(paths, sizes, processes * CHUNKS_PER_WORKER)
    chunks = [([paths[i] for i in chunk], max_bytes) for chunk in index_chunks]
    outcomes: list[Outcome | None] = [None] * len(paths)

    def place(k: int, results: list[Outcome]) -> None:
        for i, outcome in zip(index_chunks[k], results, strict=True):
            outcomes[i] = outcome
        progress.advance(len(index_chunks[k]))

    with progress, _gc_paused():
        done = read_chunks(chunks, processes, _read_chunk, place)
    # Chunks a worker claimed but never sent back: it died reading one of them.
    for k in unclaimed_or_lost(len(chunks), done):
        place(k, [_crashed(p) for p in chunks[k][0]])
    return [o for o in outcomes if o is not None]


def _crashed(path: str) -> Outcome:
    return None, [Problem(
        path,
        "not read: the worker process reading this file (or one read with it) stopped unexpectedly, "
        "perhaps out of memory; run with --jobs 1 to find the file at fault",
    )]


def _parse_sequential(paths: Sequence[str], max_bytes: int, progress: Progress) -> list[Outcome]:
    outcomes = []
    with progress, _gc_paused():
        for path in paths:
            outcomes.append(parse_one(path, max_bytes))
            progress.advance()
    return outcomes


def parse(
    patterns: Iterable[str] | str,
    *,
    base_dir: str = ".",
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    progress: bool | None = None,
) -> TestRun:
    """Read every file the patterns match into one TestRun.

    `jobs`: None picks by the amount of work, 1 reads in this process, N uses up to N processes.
    `progress`: None shows a bar on an interactive stderr when the work takes over a second.
    Raises ConfigError when no pattern is given; every other fault is a Problem in the TestRun.
    """
    if isinstance(patterns, str):
        patterns = [patterns]
    patterns = [p for p in patterns if p and p.strip()]
    if not patterns:
        raise ConfigError(
            "no result file pattern given",
            hint="name the files to read, e.g. 'build/test-results/**/*.xml'",
        )
    if jobs is not None and jobs < 1:
        raise ConfigError(f"jobs must be 1 or more, got {jobs}")
    found = collect(patterns, base_dir)
    if found.nothing_included:
        raise ConfigError(
            "only exclusion patterns (starting with '!') were given",
            hint="add a pattern that names the files to read, e.g. '**/*.xml'",
        )
    problems = [Problem(u.pattern, u.reason, fatal=False) for u in found.unmatched]
    paths = found.files
    workers = plan_workers(found.sizes, jobs)
    bar = Progress(len(paths), "parsing result files", enabled=progress if progress is not None else None)
    if workers > 1:
        outcomes = _parse_parallel(paths, found.sizes, workers, max_bytes, bar)
    else:
        outcomes = _parse_sequential(paths, max_bytes, bar)
    files = []
    for result, found_problems in outcomes:
        if result is not None:
            files.append(result)
        problems.extend(found_problems)
    return TestRun.of(files, problems)


def require_results(run: TestRun) -> None:
    """Raise NoResultsError, with the reason, when the run holds no test at all."""
    if run.totals.tests:
        return
    if not run.files and not any(p.fatal for p in run.problems):
        # No file was read and none failed: every problem is a pattern that found nothing.
        patterns = ", ".join(repr(p.path) for p in run.problems) or "the patterns"
        raise NoResultsError(
            f"no result file found: {patterns} matched no file",
            hint="check the paths, or pass --allow-empty if no results are expected",
        )
    unread = sum(1 for p in run.problems if p.fatal)
    if not run.files:
        raise NoResultsError(
            f"no test case was read: none of the {unread:,} matched files could be read",
            hint="see the problems above",
        )
    raise NoResultsError(
        f"no test case found in the {len(run.files):,} result file{'s' if len(run.files) != 1 else ''} read",
        hint="did the tests run? pass --allow-empty if no tests are expected",
    )
