"""Artifact store benchmark: store many small artifacts one by one, and time lookups as the store grows.

    .venv/bin/python benchmarks/bench_artifacts.py [--count 10000] [--per-run 100] [--dir PATH]

Each artifact goes through `ArtifactHandler.upload_artifact` (no provider): hash and copy into the store,
fsync, a record file, and that run's index file rewritten, all under the store's file lock. Lookups by run
and by name are timed when the store holds a tenth of the artifacts and again when it holds all of them;
a lookup reads one run's index file, so its time should not grow with the store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from testrelay.artifacts import ArtifactHandler

LOOKUPS = 300


def write_sources(folder: Path, n: int) -> list[Path]:
    """A few hundred bytes each, all different, like small logs and result files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"src-{i}.log"
        path.write_text(f"artifact {i}\n" + "log line with some detail\n" * (5 + i % 20))
        paths.append(path)
    return paths


async def store(handler: ArtifactHandler, sources: list[Path], start: int, stop: int, per_run: int) -> float:
    began = time.perf_counter()
    for i in range(start, stop):
        await handler.upload_artifact(str(sources[i]), f"artifact-{i % per_run}.log", "log", f"run-{i // per_run}")
    return time.perf_counter() - began


def time_lookups(handler: ArtifactHandler, runs: int, per_run: int, rng: random.Random) -> tuple[float, float]:
    """Median seconds of one lookup by run and one by (run, name)."""
    by_run, by_name = [], []
    for _ in range(LOOKUPS):
        run = f"run-{rng.randrange(runs)}"
        t0 = time.perf_counter()
        found = handler.get_artifacts_for_test_run(run)
        t1 = time.perf_counter()
        meta = handler.get_artifact_by_name(run, f"artifact-{rng.randrange(per_run)}.log")
        t2 = time.perf_counter()
        assert len(found) == per_run and meta is not None
        by_run.append(t1 - t0)
        by_name.append(t2 - t1)
    return statistics.median(by_run), statistics.median(by_name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--per-run", type=int, default=100, help="artifacts per test run (default 100)")
    parser.add_argument("--dir", help="where to build the store (default: a temporary folder, removed after)")
    parser.add_argument("--no-fsync", action="store_true",
                        help="turn os.fsync into a no-op, to see how much of the cost is waiting for the disk")
    args = parser.parse_args()
    if args.no_fsync:
        os.fsync = lambda fd: None
    if args.count % 10 or (args.count // 10) % args.per_run:
        parser.error("--count must be a multiple of 10 x --per-run")
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-artifacts-"))
    rng = random.Random(7)
    try:
        sources = write_sources(work / "sources", args.count)
        handler = ArtifactHandler(work / "store")
        tenth = args.count // 10
        rows = []
        spent = asyncio.run(store(handler, sources, 0, tenth, args.per_run))
        rows.append((tenth, spent / tenth, *time_lookups(handler, tenth // args.per_run, args.per_run, rng)))
        spent += asyncio.run(store(handler, sources, tenth, args.count, args.per_run))
        rows.append((args.count, spent / args.count,
                     *time_lookups(handler, args.count // args.per_run, args.per_run, rng)))
        size = sum(p.stat().st_size for p in (work / "store").rglob("*") if p.is_file())
        cpu = time.process_time()
        print(f"stored {args.count:,} artifacts ({args.per_run} per run) in {spent:.2f} s: "
              f"{spent / args.count * 1000:.2f} ms per artifact (CPU of the whole benchmark process: {cpu:.1f} s); "
              f"store on disk {size / 1e6:.1f} MB" + (" [fsync off]" if args.no_fsync else ""))
        print("| artifacts in store | store cost per artifact (cumulative) | lookup by run (median) "
              "| lookup by run and name (median) |")
        print("|--:|--:|--:|--:|")
        for n, per, by_run, by_name in rows:
            print(f"| {n:,} | {per * 1000:.2f} ms | {by_run * 1000:.3f} ms | {by_name * 1000:.3f} ms |")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
