"""`testrelay parse PATTERN...`: read result files and print what they hold.

Totals go to stdout (a line per file and a total line, or JSON with --json);
problems go to stderr, one line each, so `--json > out.json` stays clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ..errors import ConfigError, InputError, NoResultsError
from ..results.model import ResultFile, TestRun
from ..results.parse import parse, require_results
from ..results.schema import run_to_dict
from ..results.wording import seconds, totals_line
from ..results.xmlsource import DEFAULT_MAX_BYTES


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "parse",
        help="read test result files and print their totals",
        description=(
            "Read the test result files the patterns match (JUnit, TRX, NUnit, xUnit.net, TAP, ...; "
            "the format is found from each file's content) and print their totals. "
            "Patterns are globs: ** crosses directories, {a,b} expands, a leading ! excludes."
        ),
    )
    p.add_argument("patterns", nargs="+", metavar="PATTERN", help="glob of result files, e.g. 'reports/**/*.xml'")
    p.add_argument("--json", action="store_true", help="print the results JSON (see README, 'Result JSON')")
    p.add_argument("--cases", action="store_true", help="list every test case (in the JSON too, with --json)")
    p.add_argument("--strict", action="store_true",
                   help=f"exit with {InputError.exit_code} when a file cannot be read or is malformed")
    p.add_argument("--allow-empty", action="store_true",
                   help=f"exit with 0 instead of {NoResultsError.exit_code} when no file or no test is found")
    p.add_argument("--base-dir", default=".", metavar="DIR", help="directory the patterns are relative to")
    p.add_argument("--max-file-size", type=_positive_int, default=DEFAULT_MAX_BYTES // 1024**2, metavar="MB",
                   help="refuse files larger than this (default: %(default)s)")
    p.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                   help="processes to read files with (default: chosen by the amount of work)")
    p.set_defaults(handler=run)


def _file_label(f: ResultFile) -> str:
    return f"{f.format}/{f.dialect}" if f.dialect and f.dialect != f.format else f.format


def print_summary(run: TestRun, out: TextIO, *, cases: bool) -> None:
    for f in run.files:
        print(f"{f.path} [{_file_label(f)}]: {totals_line(f.totals)}", file=out)
        if cases:
            for suite in f.suites:
                for case in suite.cases:
                    print(f"  {case.suite or suite.name} :: {case.name}: {case.result.value} "
                          f"({seconds(case.duration)})", file=out)
    n = len(run.files)
    print(f"total ({n:,} file{'' if n == 1 else 's'}): {totals_line(run.totals)}", file=out)


def run(args: argparse.Namespace) -> int:
    if not args.base_dir:
        raise ConfigError("--base-dir is empty", hint="give a directory, or leave the option out")
    test_run = parse(
        args.patterns,
        base_dir=args.base_dir,
        max_bytes=args.max_file_size * 1024**2,
        jobs=args.jobs,
    )
    if args.json:
        json.dump(run_to_dict(test_run, cases=args.cases), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_summary(test_run, sys.stdout, cases=args.cases)
    for problem in test_run.problems:
        level = "error" if problem.fatal else "warning"
        print(f"testrelay: {level}: " + " ".join(str(problem).splitlines()), file=sys.stderr)
    fatal = sum(1 for p in test_run.problems if p.fatal)
    if fatal and args.strict:
        raise InputError(
            f"{fatal:,} result file{'s' if fatal != 1 else ''} could not be read",
            hint="fix the files named above, or drop --strict to report the rest",
        )
    if not args.allow_empty:
        require_results(test_run)
    return 0
