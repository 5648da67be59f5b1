"""One measurement in a fresh process; prints one JSON line. Run by run.py and crossover.py.

    python benchmarks/measure.py TOOL PATH... [--jobs N]

TOOL is one of:
  iterparse        lxml's iterparse over each file, building nothing (the floor any lxml parser stands on)
  junitparser      junitparser reading each file and touching every case's name, class, time and result
  testrelay        testrelay.results.formats.parse_file on each file, one after the other
  testrelay-pure   the same with TESTRELAY_PURE_PYTHON=1: JUnit without the compiled fast path
  testrelay-parse  testrelay.results.parse.parse() over all files, with --jobs processes

Time is the work alone, after the imports; memory is the peak resident size of
this process and of any worker it started.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable


def _iterparse(paths: list[str], jobs: int) -> int | None:
    from lxml import etree

    for path in paths:
        for _, el in etree.iterparse(path):
            el.clear()
    return None


def _junitparser(paths: list[str], jobs: int) -> int | None:
    from junitparser import JUnitXml, TestSuite

    cases = 0
    for path in paths:
        xml = JUnitXml.fromfile(path)
        suites = [xml] if isinstance(xml, TestSuite) else list(xml)
        for suite in suites:
            for case in suite:
                # What a reporter reads of each case.
                _ = (case.name, case.classname, case.time, case.result)
                cases += 1
    return cases


def _testrelay(paths: list[str], jobs: int) -> int | None:
    from testrelay.results.formats import formats, parse_file

    formats()  # the format modules load on first use
    return sum(parse_file(path).totals.tests for path in paths)


def _testrelay_pure(paths: list[str], jobs: int) -> int | None:
    # Before testrelay is first imported: the reader is chosen when `results.accelerated` loads.
    os.environ["TESTRELAY_PURE_PYTHON"] = "1"
    return _testrelay(paths, jobs)


def _testrelay_parse(paths: list[str], jobs: int) -> int | None:
    from testrelay.results.formats import formats
    from testrelay.results.parse import parse

    formats()
    if not paths:
        return None
    # A directory is handed over as a glob, the way users name their result files.
    patterns = [os.path.join(p, "**", "*") if os.path.isdir(p) else p for p in paths]
    run = parse(patterns, jobs=jobs, progress=False)
    fatal = [p for p in run.problems if p.fatal]
    if fatal:
        raise SystemExit(f"problems: {fatal[:3]}")
    return run.totals.tests


TOOLS: dict[str, Callable[[list[str], int], int | None]] = {
    "iterparse": _iterparse,
    "junitparser": _junitparser,
    "testrelay": _testrelay,
    "testrelay-pure": _testrelay_pure,
    "testrelay-parse": _testrelay_parse,
}


def _expand(paths: list[str]) -> list[str]:
    """A directory stands for every file under it, in sorted order."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
        else:
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    paths = _expand(args.paths)
    work = TOOLS[args.tool]
    targets = args.paths if args.tool == "testrelay-parse" else paths
    # Import what the tool needs before the clock starts: startup is not parsing.
    work([], args.jobs)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    cases = work(targets, args.jobs)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "tool": args.tool,
        "files": len(paths),
        "bytes": sum(os.path.getsize(p) for p in paths),
        "cases": cases,
        "seconds": seconds,
        "rss_before_kb": before,  # kilobytes on Linux
        "peak_rss_kb": max(own, workers),
        "workers_peak_rss_kb": workers,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
