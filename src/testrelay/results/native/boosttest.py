"""Boost.Test XML: the log (`--log_format=XML`, root TestLog) and the report
(`--report_format=XML --report_level=detailed`, root TestResult).

The log holds one TestCase per case run, with its assertions: an Error is a failed
check (the case fails), a FatalError or an uncaught Exception stops the case (an
error), Info/Message/Warning are output. TestingTime is in microseconds. A case
Boost did not run is written as `<TestCase name=".." skipped="yes" reason=".."/>`.
An Error logged outside any case (a failing suite fixture) is an error case
"suite fixture". The report has no messages, only each case's result and assertion counts.
Nested suites are joined with "/", the separator of Boost's `--run_test` paths.
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
    SuitePath,
    expect_root,
    line_number,
    local,
    location,
    parse_with,
    release,
    to_float,
)

NAME = "boosttest"
_FAILURES = {"Error": Result.FAILED, "FatalError": Result.ERROR, "Exception": Result.ERROR}
_OUTPUT = ("Info", "Message", "Warning")


def sniff(head: Head) -> bool:
    if head.root == "TestLog":
        return True
    return head.root == "TestResult" and "<TestSuite" in head.text


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        root, events = expect_root(path, events, ("TestLog", "TestResult"), "a Boost.Test log or report")
        if local(root.tag) == "TestLog":
            return _log(events)
        return _report(events)

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


def _entry_text(el: Any) -> str:
    """An entry's own message, without the text of its LastCheckpoint or Context children."""
    text = (el.text or "").strip()
    checkpoint = next((c for c in el if local(c.tag) == "LastCheckpoint"), None)
    if checkpoint is not None:
        where = location(checkpoint.get("file"), line_number(checkpoint.get("line")))
        note = "".join(checkpoint.itertext()).strip()
        text += f"\nlast checkpoint: {where}" + (f": {note}" if note else "")
    for context in (c for c in el if local(c.tag) == "Context"):
        frames = ["".join(frame.itertext()).strip() for frame in context]
        text += "".join(f"\ncontext: {frame}" for frame in frames if frame)
    return text


def _log_case(el: Any, suite: str) -> TestCase:
    name = el.get("name", "")
    case_file = el.get("file") or None
    case_line = line_number(el.get("line"))
    if el.get("skipped") == "yes":
        return TestCase(
            name=name,
            classname=suite,
            suite=suite,
            file=case_file,
            line=case_line,
            result=Result.SKIPPED,
            message=el.get("reason", ""),
        )
    result = Result.PASSED
    message = ""
    file, line = case_file, case_line
    details: list[str] = []
    output: list[str] = []
    duration = 0.0
    for item in el:
        kind = local(item.tag)
        if kind == "TestingTime":
            duration = to_float(item.text) / 1_000_000
        elif kind in _FAILURES:
            text = _entry_text(item)
            where = location(item.get("file"), line_number(item.get("line")))
            details.append(f"{where}: [{kind}] {text}" if where else f"[{kind}] {text}")
            if result is Result.PASSED:
                message = text.splitlines()[0] if text else kind
                file = item.get("file") or case_file
                line = line_number(item.get("line")) or (case_line if file == case_file else None)
            if _FAILURES[kind] is Result.ERROR or result is Result.PASSED:
                result = _FAILURES[kind]
        elif kind in _OUTPUT:
            where = location(item.get("file"), line_number(item.get("line")))
            output.append(f"[{kind}] {where}: {_entry_text(item)}" if where else f"[{kind}] {_entry_text(item)}")
    return TestCase(
        name=name,
        classname=suite,
        suite=suite,
        file=file,
        line=line,
        duration=duration,
        result=result,
        message=message,
        details="\n".join(details),
        stdout="\n".join(output),
    )


def _log(events: Events) -> Parsed:
    builder = SuiteBuilder()
    suites = SuitePath()
    for event, el in events:
        kind = local(el.tag)
        if kind == "TestSuite":
            if suites.step(event, el):
                builder.declare(suites.path)
        elif kind == "TestCase" and event == "end":
            suite = suites.path
            builder.add(suite, _log_case(el, suite))
            release(el)
        elif kind in _FAILURES and event == "end" and local(el.getparent().tag) in ("TestSuite", "TestLog"):
            # A failing suite fixture or global setup is logged outside any case; a run
            # with one must not look green, so it becomes an error case of its own.
            suite = suites.path
            text = _entry_text(el)
            builder.add(
                suite,
                TestCase(
                    name="suite fixture",
                    classname=suite,
                    suite=suite,
                    file=el.get("file") or None,
                    line=line_number(el.get("line")),
                    result=Result.ERROR,
                    message=text.splitlines()[0] if text else kind,
                    details=f"[{kind}] {text}",
                ),
            )
    return Parsed(builder.suites(), dialect="log")


_REPORT_RESULTS = {
    "passed": Result.PASSED,
    "failed": Result.FAILED,
    "aborted": Result.ERROR,
    "skipped": Result.SKIPPED,
}


def _report(events: Events) -> Parsed:
    builder = SuiteBuilder()
    suites = SuitePath()
    warnings: list[str] = []
    for event, el in events:
        kind = local(el.tag)
        if kind == "TestSuite":
            suites.step(event, el)
        elif kind == "TestCase" and event == "end":
            suite = suites.path
            status = el.get("result", "")
            result = _REPORT_RESULTS.get(status, Result.ERROR)
            failed = el.get("assertions_failed", "0")
            message = ""
            if result is Result.FAILED:
                message = f"{failed} assertion(s) failed"
            elif result is Result.ERROR:
                message = "aborted" if status == "aborted" else f"unknown result {status!r}"
            builder.add(
                suite, TestCase(name=el.get("name", ""), classname=suite, suite=suite, result=result, message=message)
            )
            release(el)
    return Parsed(builder.suites(), warnings, dialect="report")


FORMAT = Format(NAME, sniff, parse)
