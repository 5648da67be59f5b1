"""Check (the C unit test framework) XML log (`srunner_set_xml` or CK_XML_LOG_FILE_NAME):
root `testsuites` in the namespace http://check.sourceforge.net/ns.

Each suite has a title and one `<test result="success|failure|error">` per test run,
with path (the source directory), fn ("file.c:line" of the last check reached), id
(the test function), iteration (loop tests run once per value), duration in seconds
(-1 when Check could not time it), description (the test case, "tcase", it belongs
to) and message. "error" is a test that crashed, exited early or timed out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase, TestSuite
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import Events, Parsed, child_text, expect_root, line_number, local, parse_with, release, to_float

NAME = "check"
NAMESPACE = "http://check.sourceforge.net/ns"
_RESULTS = {"success": Result.PASSED, "failure": Result.FAILED, "error": Result.ERROR}


def sniff(head: Head) -> bool:
    return head.root == "testsuites" and NAMESPACE in head.text


def _case(el: Any, suite: str) -> tuple[TestCase, str]:
    status = el.get("result", "")
    result = _RESULTS.get(status, Result.ERROR)
    file, _, line = child_text(el, "fn").rpartition(":")
    directory = child_text(el, "path")
    if file and directory and directory != ".":
        file = f"{directory}/{file}"
    message = child_text(el, "message")
    if result is Result.PASSED:
        message = ""
    elif status not in _RESULTS:
        message = f"unknown result {status!r}: {message}"
    case = TestCase(
        name=child_text(el, "id"),
        classname=suite,
        suite=suite,
        file=file or None,
        line=line_number(line),
        duration=to_float(child_text(el, "duration")),
        result=result,
        message=message,
        stdout=f"tcase: {child_text(el, 'description')}" if child_text(el, "description") else "",
    )
    return case, child_text(el, "iteration")


def _suite(title: str, cases: list[tuple[TestCase, str]]) -> TestSuite:
    # A loop test appears once per iteration under one id; the iteration keeps them apart.
    seen = Counter(case.name for case, _ in cases)
    named = [
        case if seen[case.name] == 1 else _renamed(case, f"{case.name}[{iteration or 0}]") for case, iteration in cases
    ]
    return TestSuite.of(title, named)


def _renamed(case: TestCase, name: str) -> TestCase:
    return replace(case, name=name)


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        expect_root(path, events, ("testsuites",), "a Check XML log")
        suites: list[TestSuite] = []
        title = ""
        cases: list[tuple[TestCase, str]] = []
        for event, el in events:
            kind = local(el.tag)
            if event == "start":
                if kind == "suite":
                    title, cases = "", []
                continue
            if kind == "title" and local(el.getparent().tag) == "suite":
                title = (el.text or "").strip()
            elif kind == "test":
                cases.append(_case(el, title))
                release(el)
            elif kind == "suite":
                suites.append(_suite(title, cases))
                release(el)
        return Parsed(suites)

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
