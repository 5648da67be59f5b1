"""Parasoft C++test report (`cpptestcli -report ...`, report.xml): root ResultsSession.

With test details (C++test 7.x with "-showdetails", and later versions),
ExecutedTestsDetails/Total/Project holds nested TestSuites of
`<Test id=".." name="Suite::test" pass="1|0" fail=".." time="h:mm:ss.fff"/>`;
the reasons a test failed are the Exec/ExecViols/ExecViol entries with the same
testId: Thr/ThrPart (clName, detMsg) with Trace (fileName, ln). Violations of
category 6 are recorded outcomes (values seen), not failures.
Without details, only tests that left violations are known: each testCaseId is a case.
When C++test could not run the tests, Exec/TestingProcessProblems says why.

C++test 10.x (and the DTP engine, e.g. for GoogleTest) writes ExecutedTestsDetails inside
Exec, after the violations: each `<Test status="pass|fail|err">` holds a `<Detail msg=..>`
per failed assertion ("file:line" and the text), and its violations are UnitViol elements
whose ThrPart carries `msg`. C++test counts "err" apart from passed and failed (shown as
"Incomplete"); it is an error here.

A test parameterized with a data source runs once per row: its `<Test>` (whose pass and fail
are counts) holds one `<TestCase id=.. params="Data source row: N" pass fail time>` per row,
and the row's violations name it with testCaseId (and testParams). C++test counts each row as
a test, so each row is a case here, named "test [Data source row: N]".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    SuitePath,
    expect_root,
    first_of_many,
    line_number,
    local,
    location,
    parse_with,
    release,
)

NAME = "cpptest"
_OUTCOME = "6"
_STATUS = {"pass": Result.PASSED, "fail": Result.FAILED, "err": Result.ERROR}
_VIOLATIONS = frozenset({"ExecViol", "UnitViol"})
_DETAIL_PLACE = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+)$")


def sniff(head: Head) -> bool:
    return head.root == "ResultsSession"


def seconds(value: str | None) -> float:
    """'h:mm:ss.fff' (or 'mm:ss', 'ss') as seconds."""
    total = 0.0
    try:
        for part in (value or "").strip().split(":"):
            total = total * 60 + float(part)
    except ValueError:
        return 0.0
    return max(total, 0.0)


@dataclass
class _Violation:
    test_id: str
    case_id: str
    test_name: str
    outcome_only: bool
    message: str
    details: str
    file: str | None
    line: int | None
    params: str = ""


@dataclass
class _Row:
    """One data-source row of a parameterized test: a test of its own for C++test."""

    case_id: str
    params: str
    result: Result
    duration: float
    details: list[str] = field(default_factory=list)


@dataclass
class _Test:
    name: str
    suite: str
    test_id: str
    result: Result
    duration: float
    details: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)


@dataclass
class _State:
    tests: list[_Test] = field(default_factory=list)
    violations: list[_Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _violation(el: Any) -> _Violation:
    messages: list[str] = []
    lines: list[str] = []
    file, line = el.get("locFile") or el.get("loc") or None, line_number(el.get("ln") or el.get("locStartln"))
    for part in el.iter():
        if local(part.tag) == "ThrPart":
            kind = part.get("clName", "")
            text = part.get("detMsg", "") or part.get("prnMsg", "") or part.get("msg", "")
            messages.append(text)
            lines.append(f"{kind}: {text}" if kind else text)
        elif local(part.tag) == "Trace":
            lines.append(f"    at {location(part.get('fileName'), line_number(part.get('ln')))}")
    return _Violation(
        test_id=el.get("testId", ""),
        case_id=el.get("testCaseId", ""),
        test_name=el.get("testName", ""),
        outcome_only=el.get("cat") == _OUTCOME,
        message=next((m for m in messages if m), el.get("msg", "")),
        details="\n".join(lines),
        file=file,
        line=line,
        params=el.get("testParams", ""),
    )


def _split(name: str, suite: str) -> tuple[str, str]:
    head, sep, tail = name.partition("::")
    if sep:
        return head, tail
    return suite, name


def _detailed(state: _State) -> list[TestCase]:
    failures: dict[str, list[_Violation]] = defaultdict(list)
    by_row: dict[str, list[_Violation]] = defaultdict(list)
    for v in state.violations:
        if not v.outcome_only:
            failures[v.test_id].append(v)
            if v.case_id:
                by_row[v.case_id].append(v)
    cases = []
    for test in state.tests:
        classname, name = _split(test.name, test.suite)
        if not test.rows:
            cases.append(_case(test, name, classname, failures.get(test.test_id, [])))
            continue
        for number, row in enumerate(test.rows, 1):
            label = row.params or f"row {number}"
            found = by_row.get(row.case_id, []) if row.case_id else []
            if not found and row.params:
                # Without a testCaseId, the row's violations are the test's ones naming the same row.
                found = [v for v in failures.get(test.test_id, []) if v.params == row.params]
            as_test = _Test(
                name=f"{name} [{label}]",
                suite=test.suite,
                test_id=test.test_id,
                result=row.result,
                duration=row.duration,
                details=row.details,
            )
            cases.append(_case(as_test, as_test.name, classname, found))
    return cases


def _case(test: _Test, name: str, classname: str, found: list[_Violation]) -> TestCase:
    if test.result is Result.PASSED:
        return TestCase(name=name, classname=classname, suite=test.suite, duration=test.duration)
    if test.details:
        return _from_details(test, name, classname)
    first = found[0] if found else None
    fallback = "failed" if test.result is Result.FAILED else "incomplete"
    return TestCase(
        name=name,
        classname=classname,
        suite=test.suite,
        file=first.file if first else None,
        line=first.line if first else None,
        duration=test.duration,
        result=test.result,
        message=first.message if first else fallback,
        details="\n".join(v.details for v in found),
    )


def _from_details(test: _Test, name: str, classname: str) -> TestCase:
    """A test with Detail entries: the first names the place ("file:line") and the assertion."""
    place, _, text = test.details[0].partition("\n")
    m = _DETAIL_PLACE.match(place.strip())
    file, line = (m["file"], line_number(m["line"])) if m else (None, None)
    message = text.strip().splitlines()[0] if m and text.strip() else test.details[0].strip().splitlines()[0]
    return TestCase(
        name=name,
        classname=classname,
        suite=test.suite,
        file=file,
        line=line,
        duration=test.duration,
        result=test.result,
        message=first_of_many(message, len(test.details)),
        details="\n\n".join(test.details),
    )


def _result_of(el: Any) -> Result:
    status = _STATUS.get(el.get("status", ""))
    if status is not None:
        return status
    # pass and fail are counts: a test run over several data-source rows passes with pass="N" fail="0".
    return Result.PASSED if _count(el.get("pass")) > 0 and _count(el.get("fail")) == 0 else Result.FAILED


def _count(value: str | None) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def _rows(test: Any) -> list[_Row]:
    return [
        _Row(
            case_id=row.get("id", ""),
            params=row.get("params", ""),
            result=_result_of(row),
            duration=seconds(row.get("time")),
            details=[d.get("msg", "") for d in row if local(d.tag) == "Detail" and d.get("msg")],
        )
        for row in test
        if local(row.tag) == "TestCase"
    ]


def _from_violations(state: _State, project: str) -> list[TestCase]:
    by_case: dict[str, list[_Violation]] = {}
    for v in state.violations:
        by_case.setdefault(v.case_id or v.test_id, []).append(v)
    cases = []
    for found in by_case.values():
        classname, name = _split(found[0].test_name, project)
        if found[0].params:
            name = f"{name} [{found[0].params}]"
        failed = [v for v in found if not v.outcome_only]
        if not failed:
            cases.append(TestCase(name=name, classname=classname, suite=project))
            continue
        cases.append(
            TestCase(
                name=name,
                classname=classname,
                suite=project,
                file=failed[0].file,
                line=failed[0].line,
                result=Result.FAILED,
                message=failed[0].message,
                details="\n".join(v.details for v in failed),
            )
        )
    return cases


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        root, events = expect_root(path, events, ("ResultsSession",), "a Parasoft C++test report")
        state = _State()
        suites = SuitePath()
        project = ""
        details = False
        for event, el in events:
            kind = local(el.tag)
            if kind == "TestSuite":
                suites.step(event, el)
            elif event == "start" and kind == "Project" and not project:
                project = el.get("name", "")
            elif event != "end":
                continue
            elif kind == "ExecutedTestsDetails":
                details = True
            elif kind == "Test" and suites.names:
                state.tests.append(
                    _Test(
                        name=el.get("name", ""),
                        suite=suites.path,
                        test_id=el.get("id", ""),
                        result=_result_of(el),
                        duration=seconds(el.get("time")),
                        details=[d.get("msg", "") for d in el if local(d.tag) == "Detail" and d.get("msg")],
                        rows=_rows(el),
                    )
                )
                release(el)
            elif kind in _VIOLATIONS:
                state.violations.append(_violation(el))
                el.clear(keep_tail=True)
            elif kind == "Error" and any(local(a.tag) == "TestingProcessProblems" for a in el.iterancestors()):
                state.problems.append(el.get("val", "") or "".join(el.itertext()).strip())
        project = project or root.get("toolName", "") or "C++test"
        suite_builder = SuiteBuilder()
        cases = _detailed(state) if details else _from_violations(state, project)
        for case in cases:
            suite_builder.add(case.suite, case)
        for problem in state.problems:
            suite_builder.add(
                project,
                TestCase(
                    name="testing process", classname=project, suite=project, result=Result.ERROR, message=problem
                ),
            )
        return Parsed(suite_builder.suites(), dialect="details" if details else "violations")

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
