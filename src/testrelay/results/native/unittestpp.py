"""UnitTest++'s XmlTestReporter: root `unittest-results` with tests, failedtests,
failures (failed checks) and time; one `<test suite=".." name=".." time=".."/>` per
test, holding a `<failure message="file(line) : text"/>` per failed check.
Tests outside any SUITE belong to "DefaultSuite".

UTPP, a UnitTest++ successor, writes the same root with `time_sec`, groups the tests
in `<suite name="..">` elements and gives each `<test name=".." time_ms=".."/>`.
"""

from __future__ import annotations

import re
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    children,
    expect_root,
    first_of_many,
    line_number,
    local,
    parse_with,
    release,
    to_float,
)

NAME = "unittestpp"
_FAILURE = re.compile(r"^(?P<file>.*?)\((?P<line>\d+)\)\s*:\s*(?P<text>.*)$", re.S)


def sniff(head: Head) -> bool:
    return head.root == "unittest-results"


def _duration(el: Any) -> float:
    if el.get("time") is None and el.get("time_ms") is not None:
        return to_float(el.get("time_ms")) / 1000
    return to_float(el.get("time"))


def _case(el: Any, enclosing: str = "") -> TestCase:
    suite = el.get("suite", "") or enclosing or "DefaultSuite"
    messages = [f.get("message", "") for f in children(el, "failure")]
    case = TestCase(name=el.get("name", ""), classname=suite, suite=suite, duration=_duration(el))
    if not messages:
        return case
    first = _FAILURE.match(messages[0])
    file, line, text = (
        (first["file"], line_number(first["line"]), first["text"]) if first else (None, None, messages[0])
    )
    return TestCase(
        name=case.name,
        classname=suite,
        suite=suite,
        file=file or None,
        line=line,
        duration=case.duration,
        result=Result.FAILED,
        message=first_of_many(text, len(messages)),
        details="\n".join(messages),
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        expect_root(path, events, ("unittest-results",), "a UnitTest++ XML report")
        builder = SuiteBuilder()
        enclosing = ""
        for event, el in events:
            kind = local(el.tag)
            if kind == "suite":
                enclosing = el.get("name", "") if event == "start" else ""
            elif event == "end" and kind == "test":
                case = _case(el, enclosing)
                builder.add(case.suite, case)
                release(el)
        return Parsed(builder.suites())

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
