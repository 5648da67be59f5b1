"""CppUnit's XmlOutputter: root TestRun with FailedTests, SuccessfulTests (and, in
some builds, SkippedTests), then Statistics.

A FailedTest whose FailureType is "Error" threw an unexpected exception (an error);
"Assertion" is a failed check (a failure). Test names are "Fixture::method".
MSTest's TRX files also have a TestRun root, in their own namespace; they are not ours.
"""

from __future__ import annotations

from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    child,
    child_text,
    expect_root,
    line_number,
    local,
    parse_with,
    release,
    to_float,
)

NAME = "cppunit"
TRX_NAMESPACE = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
_SECTIONS = {"FailedTests": Result.FAILED, "SuccessfulTests": Result.PASSED, "SkippedTests": Result.SKIPPED}


def sniff(head: Head) -> bool:
    if head.root != "TestRun" or TRX_NAMESPACE in head.text:
        return False
    return any(f"<{section}" in head.text for section in (*_SECTIONS, "Statistics"))


def _split(name: str) -> tuple[str, str]:
    fixture, sep, method = name.rpartition("::")
    return (fixture, method) if sep else ("", name)


def _case(el: Any, section: Result) -> TestCase:
    classname, name = _split(child_text(el, "Name"))
    suite = classname or NAME
    duration = to_float(child_text(el, "Time"))
    if section is not Result.FAILED:
        return TestCase(name=name, classname=classname, suite=suite, duration=duration, result=section)
    kind = child_text(el, "FailureType")
    where = child(el, "Location")
    file = (child_text(where, "File") or None) if where is not None else None
    line = line_number(child_text(where, "Line")) if where is not None else None
    message = child_text(el, "Message")
    return TestCase(
        name=name,
        classname=classname,
        suite=suite,
        file=file,
        line=line,
        duration=duration,
        result=Result.ERROR if kind == "Error" else Result.FAILED,
        message=message.splitlines()[0] if message else kind,
        details=message,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        _, events = expect_root(path, events, ("TestRun",), "a CppUnit XML report")
        builder = SuiteBuilder()
        section: Result | None = None
        for event, el in events:
            kind = local(el.tag)
            if kind in _SECTIONS:
                section = _SECTIONS[kind] if event == "start" else None
            elif event == "end" and section is not None and kind in ("Test", "FailedTest"):
                case = _case(el, section)
                builder.add(case.suite, case)
                release(el)
        return Parsed(builder.suites())

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
