"""NUnit result files: NUnit 3 (`<test-run>`) and NUnit 2 (`<test-results>`).

Cases are counted the way NUnit's own console summary counts them:

| NUnit 3 result / label                 | NUnit 2 result / attributes              | counted as |
|----------------------------------------|------------------------------------------|------------|
| Passed                                 | Success, or success="True"               | passed     |
| Warning (passed with Assert.Warn)      |                                          | passed, message kept |
| Failed (no label)                      | Failure, or success="False"              | failed     |
| Failed + Error / Cancelled / Invalid   | Error, Cancelled, NotRunnable            | error      |
| Skipped (+ Ignored / Explicit / none)  | Ignored, Skipped, or executed="False"    | skipped    |
| Inconclusive                           | Inconclusive                             | skipped    |

A failure in SetUp or TearDown (`site="SetUp"`/`"TearDown"`) is the case's own, and the
message says where it happened. When a fixture's OneTimeSetUp fails, NUnit 3 marks each
case below it `site="Parent"`; they count as errors. A failure reported on a suite
itself that no case below it carries (a OneTimeTearDown failure, or a OneTimeSetUp
failure on a fixture whose cases are not listed) becomes one error case named after
the hook, so a broken fixture is never lost from the counts.

Nested suites are flattened: every case belongs to its nearest fixture, named by the
fixture's full name; parameterized methods and theories are folded into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .dotnet_fields import bounded, child_text, count, drop_read_siblings, read_counted, seconds
from .dotnet_trace import trace_place
from .formats import Format, Head
from .model import Result, ResultFile, TestCase
from .nunit_results import nunit2_result, nunit3_label_reason, nunit3_result
from .xmlsource import DEFAULT_MAX_BYTES

# Suites that group the cases of one method; their cases belong to the fixture around them.
_METHOD_GROUPS = frozenset({"ParameterizedMethod", "ParameterizedTest", "Theory", "GenericMethod"})
# NUnit 2 names a suite by its last part only; these outer suites are not part of a class name.
_V2_OUTSIDE_NAMES = frozenset({"Assembly", "Project", "Test Project", "SetUpFixture"})
_TAGS = ("test-run", "test-results", "test-suite", "test-case")
# Only cases and suites already read are freed; a suite's own <failure> must stay until it closes.
_DONE = frozenset({"test-case", "test-suite"})


@dataclass(slots=True)
class _Suite:
    kind: str
    name: str  # the full name cases are grouped under
    dotted: str = ""  # NUnit 2: the namespace path so far
    cases: list[TestCase] = field(default_factory=list)
    failing_below: bool = False


class _Reader:
    def __init__(self, path: str, version: int) -> None:
        self.path = path
        self.version = version
        self.stack: list[_Suite] = []
        self.suites: dict[str, list[TestCase]] = {}
        self.counted = 0
        self.declared: int | None = None
        self.warnings: list[str] = []

    def __call__(self, events: Iterator[tuple[str, Any]]) -> _Reader:
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if tag == "test-suite":
                    self._open(elem)
                continue
            if tag == "test-case":
                self._case(elem)
            elif tag == "test-suite":
                self._close(elem)
            elif tag in ("test-run", "test-results"):
                self._root(elem)
                continue
            elem.clear()
            drop_read_siblings(elem, _DONE)
        return self

    def _open(self, elem: Any) -> None:
        kind = elem.get("type") or ""
        outer = self.stack[-1] if self.stack else None
        own = elem.get("name") or ""
        dotted = ""
        if self.version == 2 and kind not in _V2_OUTSIDE_NAMES and not (not kind and _is_file(own)):
            dotted = f"{outer.dotted}.{own}" if outer is not None and outer.dotted else own
        if outer is not None and kind in _METHOD_GROUPS:
            name = outer.name
        elif self.version == 2:
            name = dotted or own
        else:
            name = elem.get("fullname") or own
        self.stack.append(_Suite(kind=kind, name=name, dotted=dotted))

    def _leaf(self) -> _Suite | None:
        """The nearest suite that is not a method group, whose name the case is filed under."""
        for suite in reversed(self.stack):
            if suite.kind not in _METHOD_GROUPS:
                return suite
        return self.stack[-1] if self.stack else None

    def _case(self, elem: Any) -> None:
        leaf = self._leaf()
        suite_name = leaf.name if leaf else ""
        if self.version == 3:
            result, message = nunit3_result(elem)
            name = elem.get("name") or elem.get("fullname") or ""
            classname = elem.get("classname") or suite_name
            duration = seconds(elem.get("duration"))
        else:
            result, message = nunit2_result(elem)
            full = elem.get("name") or ""
            classname = suite_name
            # NUnit 2 names a case by its full name; the fixture's name is the class.
            name = full[len(classname) + 1 :] if classname and full.startswith(classname + ".") else full
            duration = seconds(elem.get("time"))
        details = child_text(elem, "failure", "stack-trace")
        if not message:
            message = (
                child_text(elem, "failure", "message")
                or child_text(elem, "reason", "message")
                or child_text(elem, "assertions", "assertion", "message")  # Assert.Warn's text
            )
            if not message and self.version == 3 and result in (Result.FAILED, Result.ERROR):
                message = nunit3_label_reason(elem)
        output = child_text(elem, "output")
        file, line = trace_place(details) if details and result in (Result.FAILED, Result.ERROR) else (None, None)
        case = TestCase(
            name=name,
            classname=classname,
            suite=suite_name,
            file=file,
            line=line,
            duration=duration,
            result=result,
            message=bounded(message),
            details=bounded(details),
            stdout=bounded(output),
        )
        self.counted += 1
        self._file(case, leaf)

    def _file(self, case: TestCase, leaf: _Suite | None) -> None:
        if leaf is not None:
            leaf.cases.append(case)
        else:
            self.suites.setdefault(case.suite, []).append(case)
        if case.result in (Result.FAILED, Result.ERROR):
            for suite in self.stack:
                suite.failing_below = True

    def _close(self, elem: Any) -> None:
        suite = self.stack.pop()
        hook = self._suite_failure(elem, suite)
        if hook is not None:
            name, message, details = hook
            case = TestCase(name=name, classname=suite.name, suite=suite.name, result=Result.ERROR,
                            message=bounded(message), details=bounded(details))
            suite.cases.append(case)
            for outer in self.stack:
                outer.failing_below = True
        elif suite.failing_below and self.stack:
            self.stack[-1].failing_below = True
        if suite.cases:
            if suite.kind in _METHOD_GROUPS and self.stack:
                self.stack[-1].cases.extend(suite.cases)
            else:
                self.suites.setdefault(suite.name, []).extend(suite.cases)

    def _suite_failure(self, elem: Any, suite: _Suite) -> tuple[str, str, str] | None:
        """The hook failure a suite reports on itself that no case below it carries."""
        message = child_text(elem, "failure", "message")
        details = child_text(elem, "failure", "stack-trace")
        if self.version == 3:
            if elem.get("result") != "Failed":
                return None
            site = elem.get("site") or ""
            if site == "TearDown":
                return "OneTimeTearDown", message, details
            if site == "SetUp" and not suite.failing_below:
                return "OneTimeSetUp", message, details
            return None
        # NUnit 2 writes a <failure> on a suite only for its own fault, not its children's.
        if (elem.get("success") or "").lower() == "false" and (message or details) and not suite.failing_below:
            hook = "TestFixtureTearDown" if message.lstrip().startswith("TearDown") else "TestFixtureSetUp"
            return hook, message, details
        return None

    def _root(self, elem: Any) -> None:
        total = count(elem.get("total"))
        if self.version == 2 and total is not None:
            # NUnit 2's total counts the tests run; those not run are counted apart.
            total += count(elem.get("not-run")) or 0
        self.declared = total


def _is_file(name: str) -> bool:
    """NUnit 2.4 and older write no suite types; the assembly and project suites are named by path."""
    return "/" in name or "\\" in name or name.lower().endswith((".dll", ".exe", ".nunit", ".csproj"))


def _parse(path: str, version: int, max_bytes: int) -> ResultFile:
    return read_counted(path, f"nunit{version}", lambda: _Reader(path, version), _TAGS, max_bytes)


def parse_nunit3(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    return _parse(path, 3, max_bytes)


def parse_nunit2(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    return _parse(path, 2, max_bytes)


def sniff_nunit3(head: Head) -> bool:
    return head.root == "test-run"


def sniff_nunit2(head: Head) -> bool:
    return head.root == "test-results"


nunit3 = Format(name="nunit3", sniff=sniff_nunit3, parse=parse_nunit3)
nunit2 = Format(name="nunit2", sniff=sniff_nunit2, parse=parse_nunit2)
FORMATS = (nunit2, nunit3)
