"""Dart and Flutter `--reporter json` (also `flutter test --machine`): one event per line.

The protocol is asynchronous: an error may arrive after its test's `testDone`, so
results are settled only once the stream ends. The runner's own virtual tests
(`loading <file>`, `(setUpAll)`, `(tearDownAll)`) are hidden when they pass and are
left out; when they fail (a file that does not compile, a failing `setUpAll`) they
are errors. Times are milliseconds since the run started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .formats import Format, Head
from .jsonsource import TextBuffer, Warnings, clip, head_json_lines, iter_json_lines
from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "dart-json"

TYPES = frozenset(
    {"start", "allSuites", "suite", "debug", "group", "testStart", "print", "error", "testDone", "done"}
)
_VIRTUAL = ("(setUpAll)", "(tearDownAll)")


@dataclass(slots=True)
class _Test:
    id: int
    name: str
    suite_id: int | None
    line: int | None
    url: str | None
    start: float
    virtual: bool
    end: float | None = None
    result: str | None = None  # success, failure, error
    skipped: bool = False
    hidden: bool = False
    failure: bool = False  # an error event that was a TestFailure
    error: bool = False  # an error event that was anything else
    errors: list[str] = field(default_factory=list)
    output: TextBuffer = field(default_factory=TextBuffer)
    skip_reason: str = ""


def sniff(head: Head) -> bool:
    if head.root is not None:
        return False
    for value in head_json_lines(head.text, limit=4):
        if isinstance(value, list):
            continue  # `flutter test --machine` interleaves daemon-style [{"event": ...}] lines
        if not isinstance(value, dict):
            return False
        return value.get("type") in TYPES and "time" in value and "Action" not in value
    return False


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ms(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


_DRIVE = re.compile(r"/[A-Za-z]:/")


def _path_of(url: str | None) -> str | None:
    if not url:
        return None
    if not url.startswith("file://"):
        return url
    path = unquote(url[len("file://") :])
    # file:///C:/x is the Windows path C:/x, not /C:/x.
    return path[1:] if _DRIVE.match(path) else path


class _Reader:
    def __init__(self, warnings: Warnings) -> None:
        self.warnings = warnings
        self.suites: dict[int, str] = {}
        self.tests: dict[int, _Test] = {}
        self.done: bool | None = None
        self.seen_done = False

    def event(self, number: int, event: Any) -> None:
        if isinstance(event, list):
            return
        if not isinstance(event, dict):
            self.warnings.add("not a JSON reporter event (not an object), skipped", number)
            return
        kind = event.get("type")
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is not None:
            handler(event, number)

    def _on_suite(self, event: dict[str, Any], number: int) -> None:
        suite = event.get("suite")
        if isinstance(suite, dict) and _int(suite.get("id")) is not None:
            self.suites[suite["id"]] = str(suite.get("path") or f"suite {suite['id']}")

    def _on_testStart(self, event: dict[str, Any], number: int) -> None:
        test = event.get("test")
        if not isinstance(test, dict) or _int(test.get("id")) is None:
            self.warnings.add("testStart without a test id, skipped", number)
            return
        name = str(test.get("name") or "")
        groups = test.get("groupIDs")
        virtual = name in _VIRTUAL or (name.startswith("loading ") and not groups)
        self.tests[test["id"]] = _Test(
            id=test["id"],
            name=name or f"test {test['id']}",
            suite_id=_int(test.get("suiteID")),
            line=_int(test.get("root_line")) or _int(test.get("line")),
            url=test.get("root_url") or test.get("url"),
            start=_ms(event.get("time")),
            virtual=virtual,
        )

    def _test(self, event: dict[str, Any], number: int) -> _Test | None:
        test = self.tests.get(_int(event.get("testID")))  # type: ignore[arg-type]
        if test is None:
            self.warnings.add(f"{event.get('type')} event for a test that never started, skipped", number)
        return test

    def _on_print(self, event: dict[str, Any], number: int) -> None:
        test = self._test(event, number)
        if test is not None:
            message = str(event.get("message") or "")
            if event.get("messageType") == "skip":
                test.skip_reason = message
            else:
                test.output.append(message + "\n")

    def _on_error(self, event: dict[str, Any], number: int) -> None:
        test = self._test(event, number)
        if test is None:
            return
        if event.get("isFailure") is True:
            test.failure = True
        else:
            test.error = True
        text = str(event.get("error") or "").rstrip()
        stack = str(event.get("stackTrace") or "").rstrip()
        test.errors.append(text + ("\n" + stack if stack else ""))

    def _on_testDone(self, event: dict[str, Any], number: int) -> None:
        test = self._test(event, number)
        if test is None:
            return
        test.end = _ms(event.get("time"))
        test.result = str(event.get("result") or "")
        test.skipped = event.get("skipped") is True
        test.hidden = event.get("hidden") is True

    def _on_done(self, event: dict[str, Any], number: int) -> None:
        self.seen_done = True
        success = event.get("success")
        self.done = success if isinstance(success, bool) else None


def _result(test: _Test) -> Result | None:
    """The final result, or None for a runner-internal test that passed (left out)."""
    if test.result is None:
        return Result.ERROR  # started, never done: the runner died or the stream was cut
    if test.result == "error" or (test.result == "success" and test.error):
        result = Result.ERROR
    elif test.result == "failure" or (test.result == "success" and test.failure):
        result = Result.FAILED
    elif test.skipped:
        result = Result.SKIPPED
    else:
        result = Result.PASSED
    if test.virtual:
        # A runner-internal test that fails is not a test failing: the file or setup broke.
        return None if result in (Result.PASSED, Result.SKIPPED) else Result.ERROR
    if test.hidden and result is Result.PASSED:
        return None
    return result


def _case(test: _Test, result: Result, suite: str) -> TestCase:
    errors = "\n\n".join(test.errors)
    message = ""
    if result in (Result.FAILED, Result.ERROR):
        first = test.errors[0].strip().splitlines() if test.errors else []
        message = first[0] if first else ("did not finish: no testDone event" if test.result is None else "")
        if message.endswith(":") and len(first) > 1:
            message += " " + first[1].strip()  # "Failed to load "x":" says little without the next line
    elif result is Result.SKIPPED:
        message = test.skip_reason.removeprefix("Skip:").strip()
    duration = (test.end - test.start) / 1000.0 if test.end is not None and test.end >= test.start else 0.0
    output = test.output.value()
    return TestCase(
        name=test.name,
        classname=suite,
        suite=suite,
        file=_path_of(test.url) or (suite if suite != "dart" else None),
        line=test.line,
        duration=duration,
        result=result,
        message=message,
        details=clip(errors),
        stdout=output,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    reader = _Reader(warnings)
    for number, event in iter_json_lines(path, max_bytes, warnings):
        reader.event(number, event)
    groups: dict[str, list[TestCase]] = {}
    for test in reader.tests.values():
        result = _result(test)
        if result is None:
            continue
        suite = reader.suites.get(test.suite_id, "dart") if test.suite_id is not None else "dart"
        groups.setdefault(suite, []).append(_case(test, result, suite))
    if not reader.seen_done:
        warnings.add("the stream ends without the `done` event; the run was cut short or is incomplete")
    elif reader.done is False and not any(
        c.result in (Result.FAILED, Result.ERROR) for cases in groups.values() for c in cases
    ):
        # The runner says the run failed and no test shows it: keep that failure visible.
        groups.setdefault("dart", []).append(
            TestCase(
                name="[run failed]",
                suite="dart",
                result=Result.ERROR,
                message="the test runner reported failure, but no test failed (see the job log)",
            )
        )
    suites = [TestSuite.of(name, cases) for name, cases in groups.items()]
    return ResultFile.of(path, NAME, suites, warnings=warnings.as_tuple())


FORMAT = Format(NAME, sniff, parse)
