"""MSTest / VSTest TRX files (`dotnet test --logger trx`, vstest.console, Microsoft.Testing.Platform).

A TRX file lists the results first and the test definitions (which carry the class
name) after them, so the class of a result is known only at the end. The file is
streamed: each result becomes one compact pending record as soon as it ends, the
definitions fill in a small testId -> (className, codeBase) map, and the cases are
built once the file is read.

How outcomes count (the TRX schema's TestOutcome values):

| TRX outcome          | counted as | why                                                        |
|----------------------|------------|------------------------------------------------------------|
| Passed               | passed     |                                                            |
| PassedButRunAborted  | passed     | the test itself passed; the run broke later                |
| Completed            | passed     | a finished non-unit test (generic, ordered) without fault  |
| Warning              | passed     | passed with a warning; the message is kept                 |
| Failed               | failed     |                                                            |
| Timeout              | failed     | the test ran past its time limit: its own fault            |
| Error                | error      | an exception outside the test's assertions                 |
| Aborted              | error      | started and never finished                                 |
| Disconnected         | error      | the test host went away during the test                    |
| NotRunnable          | error      | could not be run (bad signature, missing data source)      |
| InProgress           | error      | still running when the run ended: it never reported        |
| NotExecuted          | skipped    | not run (ignored, filtered, or the run stopped first)      |
| Inconclusive         | skipped    | MSTest's Assert.Inconclusive; `dotnet test` lists it as skipped |
| Pending              | skipped    | queued and never started                                   |
| anything else        | error      | with a warning naming the value                            |

Data-driven tests write a parent result whose InnerResults hold one result per data
row; each row is a case and the parent is not counted. Retry tools that merge their
attempts into one file (dotnet-test-rerun, merged TRX files) repeat a result with the
same testId and testName; the repeats in file order are the attempts of one case, the
last one its result, so a case that failed and then passed is flaky.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import Any

from .dotnet_fields import bounded, child_text, count, local, mismatch, span_between, timespan
from .formats import Format, Head
from .model import Attempt, Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES, read_xml

NS = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
_Q = "{" + NS + "}"

OUTCOMES: dict[str, Result] = {
    "passed": Result.PASSED,
    "passedbutrunaborted": Result.PASSED,
    "completed": Result.PASSED,
    "warning": Result.PASSED,
    "failed": Result.FAILED,
    "timeout": Result.FAILED,
    "error": Result.ERROR,
    "aborted": Result.ERROR,
    "disconnected": Result.ERROR,
    "notrunnable": Result.ERROR,
    "inprogress": Result.ERROR,
    "notexecuted": Result.SKIPPED,
    "inconclusive": Result.SKIPPED,
    "pending": Result.SKIPPED,
}

# Every kind of result a TRX file can hold; the unit-test one is by far the most common.
_RESULT_TAGS = ("UnitTestResult", "TestResultAggregation", "GenericTestResult", "ManualTestResult", "WebTestResult")
_DEFINITION_TAGS = ("UnitTest", "OrderedTest", "GenericTest", "ManualTest", "WebTest")
_TAGS = tuple(_Q + t for t in (*_RESULT_TAGS, *_DEFINITION_TAGS, "TestEntry", "TestList", "Counters", "RunInfo"))
_RESULTS = frozenset(_Q + t for t in _RESULT_TAGS)
_DEFINITIONS = frozenset(_Q + t for t in _DEFINITION_TAGS)

_ROOT_TAG = re.compile(r"<(?:[\w.-]+:)?TestRun\b[^>]*>")
_MAX_RUN_INFOS = 20

# Slots of a pending record (a list, so a retry or a late definition can fill it in place).
_ID, _NAME, _RESULT, _DURATION, _MESSAGE, _DETAILS, _STDOUT, _STDERR, _CLASS, _ATTEMPTS = range(10)


def sniff(head: Head) -> bool:
    if head.root != "TestRun":
        return False
    # CppUnit writes a <TestRun> root too, without the Visual Studio namespace.
    m = _ROOT_TAG.search(head.text)
    return bool(m and NS in m.group(0))


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.pending: list[list[Any]] = []
        self.first_of: dict[str, int] = {}  # testId -> index of its first pending record
        self.by_name: dict[tuple[str, str], int] = {}  # (testId, name) for ids shared by several cases
        self.classes: dict[str, tuple[str, str]] = {}  # testId -> (className, codeBase), for definitions seen first
        self.interned: dict[tuple[str, str], tuple[str, str]] = {}
        self.top_level = 0
        self.declared: int | None = None
        self.warnings: list[str] = []
        self.unknown: set[str] = set()
        self.run_infos = 0
        self.run_name = ""

    def __call__(self, events: Iterator[tuple[str, Any]]) -> _Reader:
        for _, elem in events:
            tag = elem.tag
            parent = elem.getparent()
            if tag in _RESULTS:
                if parent is None or local(parent.tag) != "Results":
                    continue  # a data row: read with its parent
                self.top_level += 1
                self._result(elem)
            elif tag in _DEFINITIONS:
                self._definition(elem)
            elif tag == _Q + "Counters":
                self.declared = count(elem.get("total"))
            elif tag == _Q + "RunInfo":
                self._run_info(elem)
            elif parent is not None and parent.getparent() is None:
                continue  # a direct child of TestRun with one of our tag names: nothing to free
            # Free what has been read; earlier siblings were read already.
            elem.clear()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        return self

    # results

    def _result(self, elem: Any) -> None:
        test_id = elem.get("testId") or ""
        name = elem.get("testName") or ""
        rows = _inner_results(elem)
        if not rows:
            self._add(test_id, name, elem)
            return
        # A data-driven parent: each row is a case, named apart when the rows share a name.
        seen: set[str] = set()
        for i, row in enumerate(rows, 1):
            row_id = row.get("testId") or test_id
            row_name = row.get("testName") or name
            if (row_name == name and row_id == test_id) or row_name in seen:
                row_name = f"{row_name} (row {row.get('dataRowInfo') or i})"
            seen.add(row_name)
            self._add(row_id, row_name, row)

    def _add(self, test_id: str, name: str, elem: Any) -> None:
        record = self._record(test_id, name, elem)
        index = self.first_of.get(test_id)
        if index is not None and self.pending[index][_NAME] != name:
            index = self.by_name.get((test_id, name))
        if index is None:
            if test_id in self.first_of:
                self.by_name[(test_id, name)] = len(self.pending)
            else:
                self.first_of[test_id] = len(self.pending)
            self.pending.append(record)
            return
        # The same test again: an earlier attempt of a retried case.
        earlier = self.pending[index]
        record[_ATTEMPTS] = [*(earlier[_ATTEMPTS] or ()), _attempt(earlier)]
        record[_CLASS] = record[_CLASS] or earlier[_CLASS]
        self.pending[index] = record

    def _record(self, test_id: str, name: str, elem: Any) -> list[Any]:
        outcome = elem.get("outcome") or ""
        result = OUTCOMES.get(outcome.lower())
        if result is None:
            result = Result.ERROR
            if outcome not in self.unknown:
                self.unknown.add(outcome)
                self.warnings.append(f"{self.path}: unknown TRX outcome {outcome!r}, counted as an error")
        duration = timespan(elem.get("duration"))
        if duration is None:
            duration = span_between(elem.get("startTime"), elem.get("endTime")) or 0.0
        message = details = stdout = stderr = ""
        for child in elem:
            if child.tag == _Q + "Output":
                stdout = bounded(child_text(child, "StdOut"))
                stderr = bounded(child_text(child, "StdErr"))
                message = bounded(_laid_out(child_text(child, "ErrorInfo", "Message")).replace("\r\n", "\n"))
                details = bounded(_laid_out(child_text(child, "ErrorInfo", "StackTrace")))
                break
        if not message and outcome.lower() == "timeout":
            message = "timed out"
        return [test_id, name, result, duration, message, details, stdout, stderr, self.classes.get(test_id), None]

    # definitions and summary

    def _definition(self, elem: Any) -> None:
        test_id = elem.get("id") or ""
        class_name = code_base = ""
        for child in elem:
            if child.tag == _Q + "TestMethod":
                # Old MSTest writes an assembly-qualified name: "Ns.Class, Assembly, Version=...".
                class_name = (child.get("className") or "").split(",", 1)[0].strip()
                code_base = child.get("codeBase") or ""
                break
        if not class_name and not code_base:
            return
        key = (class_name, code_base)
        value = self.interned.setdefault(key, key)
        index = self.first_of.get(test_id)
        if index is not None:
            self.pending[index][_CLASS] = value
        else:
            self.classes[test_id] = value

    def _run_info(self, elem: Any) -> None:
        outcome = (elem.get("outcome") or "").lower()
        if outcome not in ("error", "failed", "warning") or self.run_infos >= _MAX_RUN_INFOS:
            return
        self.run_infos += 1
        text = bounded(child_text(elem, "Text"), 500).replace("\n", " ")
        where = elem.get("computerName") or ""
        self.warnings.append(f"{self.path}: run {outcome}{' on ' + where if where else ''}: {text}")

    # building the file

    def cases_by_suite(self, default_suite: str) -> dict[str, list[TestCase]]:
        pending = self.pending
        # Rows and retries share their testId; the definition filled in only the first record.
        for record in pending:
            if record[_CLASS] is None:
                record[_CLASS] = pending[self.first_of[record[_ID]]][_CLASS] or ("", "")
        suites: dict[str, list[TestCase]] = {}
        for i, record in enumerate(pending):
            class_name, code_base = record[_CLASS]
            suite = _basename(code_base) or default_suite
            suites.setdefault(suite, []).append(_case(record, class_name, suite))
            pending[i] = None  # type: ignore[call-overload]  # one record per case at any time
        self.pending = []
        return suites


def _inner_results(elem: Any) -> list[Any]:
    for child in elem:
        if child.tag == _Q + "InnerResults":
            return [row for row in child if row.tag in _RESULTS]
    return []


def _attempt(record: list[Any]) -> Attempt:
    return Attempt(result=record[_RESULT], duration=record[_DURATION], message=record[_MESSAGE],
                   details=record[_DETAILS])


def _case(record: list[Any], class_name: str, suite: str) -> TestCase:
    name = record[_NAME]
    # VSTest writes xUnit and NUnit names fully qualified; the class is shown apart.
    if class_name and name.startswith(class_name + ".") and len(name) > len(class_name) + 1:
        name = name[len(class_name) + 1 :]
    return TestCase(
        name=name,
        classname=class_name,
        suite=suite,
        duration=record[_DURATION],
        result=record[_RESULT],
        message=record[_MESSAGE],
        details=record[_DETAILS],
        stdout=record[_STDOUT],
        stderr=record[_STDERR],
        attempts=tuple(record[_ATTEMPTS] or ()),
    )


def _laid_out(text: str) -> str:
    """Text without the indentation of a pretty-printed element (older MSTest starts it on its own line)."""
    if text[:1] in ("\n", "\r") and text.strip():
        return textwrap.dedent(text.replace("\r\n", "\n")).strip()
    return text


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] if path else ""


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    reader, read_warnings = read_xml(path, lambda events: _Reader(path)(events), tag=_TAGS, max_bytes=max_bytes)
    warnings = [*read_warnings, *reader.warnings]
    if reader.declared is not None and reader.declared != reader.top_level:
        warnings.append(mismatch(path, "results", reader.declared, reader.top_level))
    suites = [TestSuite.of(name, cases) for name, cases in reader.cases_by_suite(_basename(path)).items()]
    return ResultFile.of(path, "trx", suites, warnings=tuple(warnings))


FORMAT = Format(name="trx", sniff=sniff, parse=parse)
