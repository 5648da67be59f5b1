"""`parse()`: from the globs a user wrote to one TestRun, with every problem named.

One unreadable file never stops the others: its fault becomes a Problem and the
rest are still read. Many files (or many bytes in several files) are spread over
worker processes; a few small ones are read in this process, because starting
workers and sending the results back costs more than it saves there.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..errors import ConfigError, InputError, NoResultsError
from ..progress import Progress
from . import formats
from .collect import collect
from .model import Problem, ResultFile, TestRun
from .xmlsource import DEFAULT_MAX_BYTES, MalformedXML

# Where spreading files over processes starts to pay, measured on a 2-core machine
# with benchmarks/crossover.py (see BENCHMARKS.md): below these, one process is faster.
PARALLEL_MIN_FILES = 64
PARALLEL_MIN_BYTES = 8 * 1024**2
# Chunks per worker: enough to even out uneven files, few enough to keep the overhead small.
CHUNKS_PER_WORKER = 4

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
    problems = [Problem(path, _without_prefix(w, path), fatal=False) for w in result.warnings]
    if result.totals.tests == 0:
        problems.append(Problem(path, NO_TESTS, fatal=False))
    return result, problems


def _parse_chunk(paths: Sequence[str], max_bytes: int) -> list[Outcome]:
    return [parse_one(p, max_bytes) for p in paths]


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _sizes(paths: Sequence[str]) -> list[int]:
    sizes = []
    for p in paths:
        try:
            sizes.append(os.path.getsize(p))
        except OSError:
            sizes.append(0)  # parse_one will name the fault
    return sizes


def plan_workers(sizes: Sequence[int], jobs: int | None) -> int:
    """How many processes to use: 1 unless there are many files or many bytes (or `jobs` asks)."""
    if len(sizes) < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(sizes)))
    if len(sizes) < PARALLEL_MIN_FILES and sum(sizes) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(available_cores(), len(sizes)))


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


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds and needs no re-import; other platforms use their default.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _parse_parallel(paths: Sequence[str], sizes: Sequence[int], workers: int, max_bytes: int,
                    progress: Progress) -> list[Outcome]:
    chunks = chunked(paths, sizes, workers * CHUNKS_PER_WORKER)
    outcomes: list[Outcome | None] = [None] * len(paths)
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_pool_context()) as pool:
        pending: dict[Future[list[Outcome]], list[int]] = {
            pool.submit(_parse_chunk, [paths[i] for i in chunk], max_bytes): chunk for chunk in chunks
        }
        with progress:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = pending.pop(future)
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        results = [_crashed(paths[i]) for i in chunk]
                    for i, outcome in zip(chunk, results, strict=True):
                        outcomes[i] = outcome
                    progress.advance(len(chunk))
    return [o for o in outcomes if o is not None]


def _crashed(path: str) -> Outcome:
    return None, [Problem(
        path,
        "not read: the worker process reading this file (or one read with it) stopped unexpectedly, "
        "perhaps out of memory; run with --jobs 1 to find the file at fault",
    )]


def _parse_sequential(paths: Sequence[str], max_bytes: int, progress: Progress) -> list[Outcome]:
    outcomes = []
    with progress:
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
    sizes = _sizes(paths)
    workers = plan_workers(sizes, jobs)
    bar = Progress(len(paths), "parsing result files", enabled=progress if progress is not None else None)
    if workers > 1:
        outcomes = _parse_parallel(paths, sizes, workers, max_bytes, bar)
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
