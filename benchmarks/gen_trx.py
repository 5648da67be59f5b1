"""Generate large TRX (VSTest / MSTest) inputs: one big file, or a directory of many small ones.

    python benchmarks/gen_trx.py big OUT.trx [--cases 1000000]
    python benchmarks/gen_trx.py many OUT_DIR [--files 5000] [--cases-per-file 20]

The layout is the one `dotnet test --logger trx` writes: Times, TestSettings, all
UnitTestResults, then the UnitTest definitions (which carry the class names),
TestEntries, TestLists and the ResultSummary counters. One case in ten fails with
an ErrorInfo Message and a 2 KB StackTrace, one in fifty is NotExecuted.
Output is deterministic for a given size.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from collections.abc import Iterator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import FAIL_EVERY, class_name, escape, generator_main, stack_trace

SKIP_EVERY = 50
NS = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
UNIT_TEST_TYPE = "13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b"
LIST_NOT_IN_LIST = "8c84fa94-04c1-424b-9868-57a2d4851a1d"
LIST_ALL = "19431567-8539-422a-85d7-44ee4e166bda"
STORAGE = "/home/runner/work/shop/shop/tests/shop.tests/bin/release/net8.0/shop.tests.dll"


def _ids(seed: int, i: int) -> tuple[str, str]:
    """testId and executionId of case i: stable GUIDs, as VSTest derives them from the test's name."""
    return str(uuid.UUID(int=(seed << 96) | (i << 1))), str(uuid.UUID(int=(seed << 96) | (i << 1) | 1))


def _outcome(i: int) -> str:
    if i % FAIL_EVERY == FAIL_EVERY - 1:
        return "Failed"
    if i % SKIP_EVERY == 0:
        return "NotExecuted"
    return "Passed"


def _duration(rng: random.Random) -> str:
    return f"00:00:00.{rng.randrange(10_000_000):07d}"


def _results(rng: random.Random, seed: int, first: int, cases: int) -> Iterator[str]:
    for i in range(first, first + cases):
        test_id, exec_id = _ids(seed, i)
        outcome = _outcome(i)
        head = (
            f'<UnitTestResult executionId="{exec_id}" testId="{test_id}" testName="Test_{i:07d}" '
            f'computerName="ci-runner-7" duration="{_duration(rng)}" startTime="2026-11-26T14:03:00.1000000+00:00" '
            f'endTime="2026-11-26T14:03:00.2000000+00:00" testType="{UNIT_TEST_TYPE}" outcome="{outcome}" '
            f'testListId="{LIST_NOT_IN_LIST}" relativeResultsDirectory="{exec_id}"'
        )
        if outcome == "Failed":
            owner = class_name(i // 500)
            message = escape(f"Assert.AreEqual failed. Expected:<{rng.randint(100, 599)}>. Actual:<500>.")
            trace = escape(stack_trace(rng, owner))
            yield (f"{head}>\n<Output>\n<ErrorInfo>\n<Message>{message}</Message>\n<StackTrace>{trace}</StackTrace>\n"
                   "</ErrorInfo>\n</Output>\n</UnitTestResult>\n")
        elif outcome == "NotExecuted":
            yield f"{head}>\n<Output>\n<StdOut>Test ignored: flaky on CI</StdOut>\n</Output>\n</UnitTestResult>\n"
        else:
            yield f"{head} />\n"


def _definitions(seed: int, first: int, cases: int) -> Iterator[str]:
    for i in range(first, first + cases):
        test_id, exec_id = _ids(seed, i)
        owner = class_name(i // 500)
        yield (
            f'<UnitTest name="Test_{i:07d}" storage="{STORAGE}" id="{test_id}">\n'
            f'<Execution id="{exec_id}" />\n'
            f'<TestMethod codeBase="{STORAGE}" adapterTypeName="executor://mstestadapter/v2" '
            f'className="{owner}" name="Test_{i:07d}" />\n</UnitTest>\n'
        )


def _entries(seed: int, first: int, cases: int) -> Iterator[str]:
    for i in range(first, first + cases):
        test_id, exec_id = _ids(seed, i)
        yield f'<TestEntry testId="{test_id}" executionId="{exec_id}" testListId="{LIST_NOT_IN_LIST}" />\n'


def _write_run(path: str, rng: random.Random, seed: int, first: int, cases: int) -> int:
    outcomes = [_outcome(i) for i in range(first, first + cases)]
    failed, skipped = outcomes.count("Failed"), outcomes.count("NotExecuted")
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<TestRun id="{uuid.UUID(int=seed)}" name="runner@ci-runner-7 2026-11-26 14:03:00" runUser="runner" '
            f'xmlns="{NS}">\n'
            '<Times creation="2026-11-26T14:03:00.0000000+00:00" queuing="2026-11-26T14:03:00.0000000+00:00" '
            'start="2026-11-26T14:03:00.0000000+00:00" finish="2026-11-26T14:07:12.0000000+00:00" />\n'
            f'<TestSettings name="default" id="{uuid.UUID(int=seed + 1)}">\n'
            '<Deployment runDeploymentRoot="runner_ci-runner-7_2026-11-26_14_03_00" />\n</TestSettings>\n<Results>\n'
        )
        for part in _results(rng, seed, first, cases):
            out.write(part)
        out.write("</Results>\n<TestDefinitions>\n")
        for part in _definitions(seed, first, cases):
            out.write(part)
        out.write("</TestDefinitions>\n<TestEntries>\n")
        for part in _entries(seed, first, cases):
            out.write(part)
        out.write(
            "</TestEntries>\n<TestLists>\n"
            f'<TestList name="Results Not in a List" id="{LIST_NOT_IN_LIST}" />\n'
            f'<TestList name="All Loaded Results" id="{LIST_ALL}" />\n</TestLists>\n'
            f'<ResultSummary outcome="{"Failed" if failed else "Completed"}">\n'
            f'<Counters total="{cases}" executed="{cases - skipped}" passed="{cases - failed - skipped}" '
            f'failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" '
            f'notRunnable="0" notExecuted="{skipped}" disconnected="0" warning="0" completed="0" inProgress="0" '
            'pending="0" />\n</ResultSummary>\n</TestRun>\n'
        )
    return os.path.getsize(path)


def write_big(path: str, cases: int, seed: int = 1) -> int:
    """One file of `cases` test results; returns its size in bytes."""
    return _write_run(path, random.Random(seed), seed, 0, cases)


def write_many(directory: str, files: int, cases_per_file: int = 20, seed: int = 2) -> int:
    """`files` small files under `directory`, 100 per subdirectory; returns total bytes."""
    rng = random.Random(seed)
    total = 0
    for n in range(files):
        sub = os.path.join(directory, f"project{n // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        total += _write_run(os.path.join(sub, f"results-{n:05d}.trx"), rng, seed, n * cases_per_file, cases_per_file)
    return total


def main(argv: list[str] | None = None) -> int:
    return generator_main(__doc__, write_big, write_many, argv)


if __name__ == "__main__":
    sys.exit(main())
