"""The spec file of Cypress JUnit cases, which only the empty "Root Suite" names.

mocha-junit-reporter, as Cypress runs it, writes the spec path on the first suite of
each spec (`<testsuite name="Root Suite" file="cypress/e2e/login.cy.js">`) and none on
the describe suites after it that hold the cases. The reader notes where each Root
Suite starts; once the file is known to be Cypress's, the cases of the suites up to the
next Root Suite get that file, and a failing case the line its trace gives for it.
This runs once per file after parsing, so the per-case path pays nothing for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from .junit_case_factory import new_case
from .model import Result, TestCase, TestSuite

ROOT_SUITE = "Root Suite"
_PLACED = frozenset({Result.FAILED, Result.ERROR})


def spec_path(raw: str) -> str:
    """A spec path as annotations want it: forward slashes (Cypress on Windows writes backslashes), no "./"."""
    path = raw.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@lru_cache(maxsize=64)
def _frame_of(spec: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.-])" + re.escape(spec) + r":(\d+)")


def line_in_trace(trace: str, spec: str) -> int | None:
    """The line of the first frame naming `spec`, as `webpack:///./<spec>:38:31` or `<spec>:38:31` write it."""
    if "\\" in trace:
        trace = trace.replace("\\", "/")  # frames of a run on Windows
    # The spec must start at a path boundary, so "e2e/login.cy.js" is not found inside "e2e/relogin.cy.js".
    for m in _frame_of(spec).finditer(trace):
        line = int(m.group(1))
        if line > 0:
            return line
    return None


def with_spec_files(suites: Sequence[TestSuite], starts: Sequence[tuple[int, str]]) -> list[TestSuite]:
    """`suites` with each Root Suite's file given to its cases; `starts` holds (first suite index, raw file)."""
    out = list(suites)
    for n, (first, raw) in enumerate(starts):
        spec = spec_path(raw)
        if not spec:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(out)
        for i in range(first, min(end, len(out))):
            suite = out[i]
            if any(c.file is None for c in suite.cases):
                out[i] = replace(suite, cases=tuple(_placed(c, spec) for c in suite.cases))
    return out


def _placed(case: TestCase, spec: str) -> TestCase:
    if case.file is not None:
        return case  # a file the writer gave the case itself wins
    line = case.line
    if line is None and case.result in _PLACED and case.details:
        line = line_in_trace(case.details, spec)
    # new_case, not dataclasses.replace: a merged report of many specs rebuilds every case.
    c = case
    return new_case(
        c.name,
        c.classname,
        c.suite,
        spec,
        line,
        c.duration,
        c.result,
        c.message,
        c.details,
        c.stdout,
        c.stderr,
        c.attempts,
    )
