"""`go test -json` (test2json): one event per line, read as a stream.

Counted the way `go test` and gotestsum count: every test that ran is a case, a
parent test and its subtests (`TestA`, `TestA/sub`) alike; `Elapsed` is seconds.
A package that fails with no failing test of its own (a build failure, a panic
outside a test, a failing `TestMain`, a data race reported after the tests) gets one
error case, so the failure is never lost. Tests still running when their package
ended (a panic elsewhere, a timeout) count as errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .formats import Format, Head
from .go_output import FRAMING as _FRAMING
from .go_output import failure_message as _message
from .go_output import skip_reason as _skip_reason
from .jsonsource import TextBuffer, Warnings, head_json_lines, iter_json_lines
from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "go-test-json"

ACTIONS = frozenset(
    {"start", "run", "pause", "cont", "pass", "bench", "fail", "output", "skip", "build-output", "build-fail"}
)
_PACKAGE_SUMMARY = re.compile(r"^(?:ok|FAIL|\?)\s+\S+")


@dataclass(slots=True)
class _Test:
    name: str
    output: TextBuffer = field(default_factory=TextBuffer)
    result: Result | None = None
    elapsed: float = 0.0
    first_line: int = 0


@dataclass(slots=True)
class _Package:
    name: str
    tests: dict[str, _Test] = field(default_factory=dict)
    output: TextBuffer = field(default_factory=TextBuffer)
    result: str | None = None  # "pass", "fail", "skip"
    elapsed: float = 0.0
    failed_build: str | None = None
    cached: bool = False


def sniff(head: Head) -> bool:
    if head.root is not None:
        return False
    for value in head_json_lines(head.text, limit=4):
        if not isinstance(value, dict):
            return False
        action = value.get("Action")
        return action in ACTIONS and ("Package" in value or "ImportPath" in value)
    return False


def _elapsed(event: dict[str, Any]) -> float:
    value = event.get("Elapsed")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


class _Reader:
    def __init__(self, warnings: Warnings) -> None:
        self.warnings = warnings
        self.packages: dict[str, _Package] = {}
        self.builds: dict[str, TextBuffer] = {}  # build output by ImportPath (Go 1.24+)

    def package(self, name: str) -> _Package:
        pkg = self.packages.get(name)
        if pkg is None:
            pkg = self.packages[name] = _Package(name)
        return pkg

    def event(self, number: int, event: Any) -> None:
        if not isinstance(event, dict):
            self.warnings.add("not a test2json event (not an object), skipped", number)
            return
        action = event.get("Action")
        if action not in ACTIONS:
            self.warnings.add(f"unknown action {action!r}, skipped", number)
            return
        if action in ("build-output", "build-fail"):
            path = str(event.get("ImportPath") or "")
            buffer = self.builds.setdefault(path, TextBuffer())
            if action == "build-output":
                buffer.append(str(event.get("Output") or ""))
            return
        package = event.get("Package")
        if not isinstance(package, str):
            self.warnings.add(f"{action!r} event without a package, skipped", number)
            return
        pkg = self.package(package)
        test = event.get("Test")
        if isinstance(test, str) and test:
            self._test_event(pkg, test, action, event, number)
        else:
            self._package_event(pkg, action, event)

    def _test_event(self, pkg: _Package, name: str, action: str, event: dict[str, Any], number: int) -> None:
        case = pkg.tests.get(name)
        if case is None:
            case = pkg.tests[name] = _Test(name, first_line=number)
        if action == "output":
            output = str(event.get("Output") or "")
            if not _FRAMING.match(output):
                case.output.append(output)
        elif action in ("pass", "fail", "skip"):
            case.result = {"pass": Result.PASSED, "fail": Result.FAILED, "skip": Result.SKIPPED}[action]
            case.elapsed = _elapsed(event)
        elif action == "bench":
            case.output.append(str(event.get("Output") or ""))

    def _package_event(self, pkg: _Package, action: str, event: dict[str, Any]) -> None:
        if action == "output":
            output = str(event.get("Output") or "")
            if output.rstrip().endswith("(cached)") and _PACKAGE_SUMMARY.match(output):
                pkg.cached = True
            if not _FRAMING.match(output):
                pkg.output.append(output)
        elif action in ("pass", "fail", "skip"):
            pkg.result = action
            pkg.elapsed = _elapsed(event)
            failed_build = event.get("FailedBuild")
            if isinstance(failed_build, str) and failed_build:
                pkg.failed_build = failed_build


def _cases(pkg: _Package, builds: dict[str, TextBuffer]) -> list[TestCase]:
    cases: list[TestCase] = []
    for test in pkg.tests.values():
        output = test.output.value()
        result = test.result
        message, file, line = "", None, None
        if result is None:
            if pkg.result == "pass":
                result = Result.PASSED  # the package passed, so its tests did; the event got lost
            else:
                result = Result.ERROR
                message = "did not finish: the test binary exited (panic, timeout or os.Exit)"
                found, file, line = _message(output)
                if found:
                    message += f": {found}"
        elif result is Result.FAILED:
            message, file, line = _message(output)
        elif result is Result.SKIPPED:
            message = _skip_reason(output)
        failed = result in (Result.FAILED, Result.ERROR)
        cases.append(
            TestCase(
                name=test.name,
                classname=pkg.name,
                suite=pkg.name,
                file=file,
                line=line,
                duration=test.elapsed,
                result=result,
                message=message,
                details=output if failed else "",
                stdout=output if not failed else "",
            )
        )
    cases = _name_failed_subtests(cases)
    if pkg.result == "fail" and not any(c.result in (Result.FAILED, Result.ERROR) for c in cases):
        cases.append(_package_error(pkg, builds))
    return cases


def _first_line(text: str) -> str:
    """The first line that says something: not a `# pkg` header, not go test's own summary."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and not _FRAMING.match(line) and not _PACKAGE_SUMMARY.match(line):
            return line
    return ""


def _name_failed_subtests(cases: list[TestCase]) -> list[TestCase]:
    """A parent test fails because its subtests did; say which, when it has no message of its own."""
    failing: dict[str, list[str]] = {}
    for case in cases:
        if case.result in (Result.FAILED, Result.ERROR) and "/" in case.name:
            parts = case.name.split("/")
            for i in range(1, len(parts)):
                failing.setdefault("/".join(parts[:i]), []).append(case.name)
    if not failing:
        return cases
    out = []
    for case in cases:
        subs = failing.get(case.name)
        if subs and case.result is Result.FAILED and not case.message:
            shown = ", ".join(subs[:5]) + (f" and {len(subs) - 5} more" if len(subs) > 5 else "")
            case = replace(case, message=f"failed subtests: {shown}")
        out.append(case)
    return out


def _package_error(pkg: _Package, builds: dict[str, TextBuffer]) -> TestCase:
    output = pkg.output.value()
    build = builds.get(pkg.failed_build or "")
    if pkg.failed_build or "[build failed]" in output or "[setup failed]" in output:
        details = build.value() if build else output
        first = _first_line(details)
        return TestCase(
            name="[build failed]",
            classname=pkg.name,
            suite=pkg.name,
            duration=pkg.elapsed,
            result=Result.ERROR,
            message=f"build failed: {first}" if first else "build failed",
            details=details,
        )
    message, file, line = _message(output)
    return TestCase(
        name="[package failed]",
        classname=pkg.name,
        suite=pkg.name,
        file=file,
        line=line,
        duration=pkg.elapsed,
        result=Result.ERROR,
        message=message or _first_line(output) or "the package failed outside its tests (TestMain or init)",
        details=output,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    reader = _Reader(warnings)
    for number, event in iter_json_lines(path, max_bytes, warnings):
        reader.event(number, event)
    suites = []
    for pkg in reader.packages.values():
        if pkg.result is None and pkg.tests:
            warnings.add(f"package {pkg.name} has no final pass/fail event; the stream may be cut short")
        cases = _cases(pkg, reader.builds)
        if cases:
            # A cached package's elapsed time is the lookup, not a run; leave it undeclared.
            suites.append(TestSuite.of(pkg.name, cases, duration=None if pkg.cached else pkg.elapsed or None))
    return ResultFile.of(path, NAME, suites, warnings=warnings.as_tuple())


FORMAT = Format(NAME, sniff, parse)
