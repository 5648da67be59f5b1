"""Where reading files in two processes starts to beat one: the thresholds in results/parse.py.

    python benchmarks/crossover.py [--repeat 3]

Measures parse() with --jobs 1 and --jobs 2, each in a fresh process, over sets of
small JUnit files of growing count, and over pairs of growing files, and prints
a Markdown table with the speed-up. Data goes to benchmarks/data/crossover/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_junit  # noqa: E402

COUNTS = (64, 128, 256, 384, 512, 1024, 2048, 4096)
# (files, cases per file): few large files
LARGE_SETS = ((2, 8_000), (2, 16_000), (4, 8_000), (2, 64_000), (8, 8_000), (16, 8_000), (32, 2_000))


def measure(path: str, jobs: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "measure.py"), "testrelay-parse", path, "--jobs", str(jobs)],
            check=True, capture_output=True, text=True,
        ).stdout
        best = min(best, json.loads(out.splitlines()[-1])["seconds"])
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", default=os.path.join(HERE, "data", "crossover"))
    args = parser.parse_args(argv)
    sets: list[tuple[str, str]] = []
    for n in COUNTS:
        d = os.path.join(args.data, f"small-{n}")
        if not os.path.isdir(d):
            gen_junit.write_many(d, n)
        sets.append((f"{n:,} files of 20 cases", d))
    for files, cases in LARGE_SETS:
        d = os.path.join(args.data, f"large-{files}x{cases}")
        if not os.path.isdir(d):
            os.makedirs(d)
            for i in range(files):
                gen_junit.write_big(os.path.join(d, f"part{i:02d}.xml"), cases, seed=i + 1)
        sets.append((f"{files} files of {cases:,} cases", d))
    print("| input | MB | 1 process (s) | 2 processes (s) | speed-up |")
    print("|---|--:|--:|--:|--:|")
    for label, d in sets:
        size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)
        one, two = measure(d, 1, args.repeat), measure(d, 2, args.repeat)
        print(f"| {label} | {size / 1e6:,.1f} | {one:.3f} | {two:.3f} | {one / two:.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
