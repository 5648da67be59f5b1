"""Generate large JUnit XML inputs: one big file, or a directory of many small ones.

    python benchmarks/gen_junit.py big OUT.xml [--cases 1000000]
    python benchmarks/gen_junit.py many OUT_DIR [--files 5000] [--cases-per-file 20]

The shape follows Maven Surefire's merged reports: <testsuites>, one <testsuite> per
class with its counts, <testcase classname name time>, one case in ten failing with a
<failure message type> holding a 2 KB stack trace, one in fifty skipped.
Output is deterministic for a given size.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import FAIL_EVERY, class_name, escape, generator_main, quoteattr, stack_trace

SKIP_EVERY = 50
CASES_PER_SUITE = 500


def _case(rng: random.Random, i: int, owner: str) -> str:
    head = f'<testcase name="test_{i:07d}" classname="{owner}" time="{rng.random() * 0.2:.3f}"'
    if i % FAIL_EVERY == FAIL_EVERY - 1:
        message = quoteattr(f"expected: <{rng.randint(100, 599)}> but was: <500>")
        trace = escape(stack_trace(rng, owner))
        return f'{head}>\n<failure message={message} type="org.opentest4j.AssertionFailedError">{trace}</failure>\n' \
               "</testcase>\n"
    if i % SKIP_EVERY == 0:
        return f"{head}>\n<skipped/>\n</testcase>\n"
    return f"{head}/>\n"


def _suites(rng: random.Random, first: int, cases: int, per_suite: int) -> Iterator[str]:
    for start in range(first, first + cases, per_suite):
        stop = min(start + per_suite, first + cases)
        owner = class_name(start // per_suite)
        body = "".join(_case(rng, i, owner) for i in range(start, stop))
        failures = sum(1 for i in range(start, stop) if i % FAIL_EVERY == FAIL_EVERY - 1)
        skipped = sum(1 for i in range(start, stop) if i % SKIP_EVERY == 0 and i % FAIL_EVERY != FAIL_EVERY - 1)
        yield (
            f'<testsuite name="{owner}" tests="{stop - start}" failures="{failures}" errors="0" '
            f'skipped="{skipped}" time="{(stop - start) * 0.1:.3f}" timestamp="2026-11-26T14:03:00" '
            f'hostname="ci-runner-7">\n{body}</testsuite>\n'
        )


def write_big(path: str, cases: int, seed: int = 1) -> int:
    """One file of `cases` test cases; returns its size in bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="all">\n')
        for chunk in _suites(rng, 0, cases, CASES_PER_SUITE):
            out.write(chunk)
        out.write("</testsuites>\n")
    return os.path.getsize(path)


def write_many(directory: str, files: int, cases_per_file: int = 20, seed: int = 2) -> int:
    """`files` small files (one suite each) under `directory`, 100 per subdirectory; returns total bytes."""
    rng = random.Random(seed)
    total = 0
    for n in range(files):
        sub = os.path.join(directory, f"module{n // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"TEST-{n:05d}.xml")
        with open(path, "w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            for chunk in _suites(rng, n * cases_per_file, cases_per_file, cases_per_file):
                out.write(chunk)
        total += os.path.getsize(path)
    return total


def main(argv: list[str] | None = None) -> int:
    return generator_main(__doc__, write_big, write_many, argv)


if __name__ == "__main__":
    sys.exit(main())
