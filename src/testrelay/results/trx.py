"""MSTest / VSTest TRX files (`dotnet test --logger trx`, vstest.console, Microsoft.Testing.Platform).

A TRX file lists the results first and the test definitions (which carry the class
name) after them, so the class of a result is known only at the end. The file is
streamed through pyexpat (`expat_source`, with namespace processing, so only elements
of the TRX namespace count): each result becomes one compact pending record as soon
as it ends, the definitions fill in a small testId -> class map, and the cases are
built once the file is read. A TRX case is five or more elements and over a kilobyte,
so the handlers are kept to as few Python calls as the structure allows (see `_Reader`).

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
row; each row is a case and the parent is not counted. The Counters total of the VSTest
logger counts the parent and its rows alike; a total of the parents alone is accepted too. Retry tools that merge their
attempts into one file (dotnet-test-rerun, merged TRX files) repeat a result with the
same testId and testName; the repeats in file order are the attempts of one case, the
last one its result, so a case that failed and then passed is flaky.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any

from .dotnet_fields import basename, bounded, count, mismatch, span_between, timespan, unknown_result
from .dotnet_trace import trace_place
from .expat_source import NAMESPACE_SEPARATOR, read_expat
from .formats import Format, Head
from .frozen_twin import file_of
from .junit_case_factory import CaseTwin
from .model import Attempt, Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NS = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
_Q = NS + NAMESPACE_SEPARATOR  # how expat names an element of the TRX namespace: "<uri>}<local>"

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
# The outcomes as the schema spells them, looked up before lower-casing: one dict look-up per result.
_SPELLED = {
    "Passed": Result.PASSED, "PassedButRunAborted": Result.PASSED, "Completed": Result.PASSED,
    "Warning": Result.PASSED, "Failed": Result.FAILED, "Timeout": Result.FAILED, "Error": Result.ERROR,
    "Aborted": Result.ERROR, "Disconnected": Result.ERROR, "NotRunnable": Result.ERROR,
    "InProgress": Result.ERROR, "NotExecuted": Result.SKIPPED, "Inconclusive": Result.SKIPPED,
    "Pending": Result.SKIPPED,
}

# Every kind of result a TRX file can hold; the unit-test one is by far the most common.
_RESULT_TAGS = ("UnitTestResult", "TestResultAggregation", "GenericTestResult", "ManualTestResult", "WebTestResult")
_DEFINITION_TAGS = ("UnitTest", "OrderedTest", "GenericTest", "ManualTest", "WebTest")
_RESULTS = frozenset(_Q + t for t in _RESULT_TAGS)
_OUTPUT = _Q + "Output"
_TEST_ENTRIES = _Q + "TestEntries"
_INNER = _Q + "InnerResults"

# What the handler outside <Results> does with a start tag; any other tag costs one failed look-up.
_DEFINITION, _METHOD, _RESULTS_START, _COUNTERS, _RUN_INFO, _ENTRIES, _SECTION = range(7)
_TOP = {
    **{_Q + t: _DEFINITION for t in _DEFINITION_TAGS},
    _Q + "TestMethod": _METHOD,
    _Q + "Results": _RESULTS_START,
    _Q + "Counters": _COUNTERS,
    _Q + "RunInfo": _RUN_INFO,
    _Q + "TestEntries": _ENTRIES,
    # Sections that end the definitions: a TestMethod after them belongs to no definition.
    **{_Q + t: _SECTION for t in ("TestDefinitions", "TestLists", "ResultSummary", "TestSettings")},
}
# Where the text children of a result's <Output> (and of its <ErrorInfo>) go in its texts list.
_OUTPUT_TEXT = {"StdOut": 0, "StdErr": 1}
_ERROR_TEXT = {"Message": 2, "StackTrace": 3}
_SEEN_ERROR = 4

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


def _local(name: str) -> str:
    return name.rpartition(NAMESPACE_SEPARATOR)[2]


class _Reader:
    """The expat handlers for one TRX document, and what they gather.

    Two sets of handlers take turns. Outside <Results> only start tags are watched: a
    definition is its id, then the className of the TestMethod that follows, so the
    hundreds of thousands of definitions and TestEntries cost one call per element.
    Inside <Results> an end handler tracks the depth, which tells a result from its
    data rows and its own output from its rows' output.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.pending: list[list[Any]] = []
        self.first_of: dict[str, int] = {}  # testId -> index of its first pending record
        self.by_name: dict[tuple[str, str], int] = {}  # (testId, name) for ids shared by several cases
        self.classes: dict[str, tuple[str, str, str]] = {}  # testId -> class, for definitions seen first
        self.interned: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.top_level = 0
        self.rows = 0  # data rows under InnerResults, which some writers count in the Counters total
        self.declared: int | None = None
        self.warnings: list[str] = []
        self.unknown: set[str] = set()
        self.run_infos = 0
        self.release: Callable[[], None] = lambda: None  # set by attach

    def result(self) -> _Reader:
        return self

    def attach(self, parser: Any) -> None:
        # Closures over local state: they run once per tag, and a cell is cheaper to reach than an attribute.
        top_kind = _TOP.get
        result_tags = _RESULTS
        add, add_rows = self._add, self._rows
        define = self._definition
        awaited: str | None = None  # the id of the definition whose TestMethod is still to come
        depth = 0  # elements open inside <Results> (or inside a <RunInfo>)
        top: list[Any] | None = None  # the open result directly under <Results>: [attrs, texts]
        owner: list[Any] | None = None  # the result whose <Output> is read: `top` or one of its rows
        owner_depth = 0
        rows: list[list[Any]] | None = None  # the data rows of `top`, once it has <InnerResults>
        inner_depth = out_depth = err_depth = 0  # depths of the open InnerResults, Output, ErrorInfo
        capture = 0  # the depth of the element whose text goes to the CharacterDataHandler
        run_text: list[str] | None = None
        run_attrs: dict[str, str] = {}
        # The handlers switch to one another through this dict, not directly: `release` empties it,
        # which breaks the cycle that would keep every parser alive while the collector is paused.
        modes: dict[str, Any] = {}
        self.release = modes.clear

        def top_start(name: str, attrs: dict[str, str]) -> None:
            nonlocal awaited, depth, top, owner
            kind = top_kind(name)
            if kind is None:
                return
            if kind == _DEFINITION:
                awaited = attrs.get("id") or ""
            elif kind == _METHOD:
                if awaited is not None:
                    define(awaited, attrs)
                    awaited = None
            elif kind == _RESULTS_START:
                awaited = None
                depth = 0
                top = owner = None
                parser.StartElementHandler = modes["result_start"]
                parser.EndElementHandler = modes["result_end"]
            elif kind == _COUNTERS:
                self.declared = count(attrs.get("total"))
            elif kind == _RUN_INFO:
                modes["run_info"](attrs)
            elif kind == _ENTRIES:
                # One TestEntry per result, nothing in them to read: with no start handler expat
                # builds no attribute dicts, and the end handler only waits for </TestEntries>.
                awaited = None
                parser.StartElementHandler = None
                parser.EndElementHandler = modes["entries_end"]
            else:
                awaited = None

        def entries_end(name: str) -> None:
            if name == _TEST_ENTRIES:
                parser.StartElementHandler = modes["top_start"]
                parser.EndElementHandler = None

        def result_start(name: str, attrs: dict[str, str]) -> None:
            nonlocal depth, top, owner, owner_depth, rows, inner_depth, out_depth, err_depth, capture
            depth += 1
            if capture:  # a child inside a text element: the text is what comes before it, as lxml's `.text`
                parser.CharacterDataHandler = None
                capture = 0
            if depth == 1:
                if name in result_tags:
                    top = owner = [attrs, None]
                    owner_depth = 1
                    rows = None
                else:
                    top = owner = None
                return
            if owner is None:
                return
            if depth == owner_depth + 1:
                if name == _OUTPUT:
                    if owner[1] is None:  # only the first Output counts
                        owner[1] = [None, None, None, None, False]
                        out_depth = depth
                elif name == _INNER and owner is top and rows is None:
                    rows = []
                    inner_depth = depth
                return
            if inner_depth and depth == inner_depth + 1:
                if name in result_tags:
                    owner = [attrs, None]
                    rows.append(owner)  # type: ignore[union-attr]
                    owner_depth = depth
                return
            if out_depth:
                texts = owner[1]
                if depth == out_depth + 1:
                    tag = _local(name)
                    if tag == "ErrorInfo":
                        if not texts[_SEEN_ERROR]:
                            texts[_SEEN_ERROR] = True
                            err_depth = depth
                        return
                    slot = _OUTPUT_TEXT.get(tag)
                elif err_depth and depth == err_depth + 1:
                    slot = _ERROR_TEXT.get(_local(name))
                else:
                    return
                if slot is not None and texts[slot] is None:
                    texts[slot] = parts = []
                    parser.CharacterDataHandler = parts.append
                    capture = depth

        def result_end(name: str) -> None:
            nonlocal depth, top, owner, owner_depth, rows, inner_depth, out_depth, err_depth, capture
            d = depth
            depth = d - 1
            if d == 1:
                if top is not None:
                    self.top_level += 1
                    attrs = top[0]
                    if rows:
                        add_rows(attrs, rows)
                    else:
                        add(attrs.get("testId") or "", attrs.get("testName") or "", attrs, top[1])
                    top = owner = None
                return
            if d == 0:  # </Results>
                parser.StartElementHandler = modes["top_start"]
                parser.EndElementHandler = None
            elif d == capture:
                parser.CharacterDataHandler = None
                capture = 0
            elif d == out_depth:
                out_depth = 0
            elif d == err_depth:
                err_depth = 0
            elif d == inner_depth:
                inner_depth = 0
            elif d == owner_depth:  # a data row ended
                owner = top
                owner_depth = 1

        def run_info(attrs: dict[str, str]) -> None:
            nonlocal depth, run_text, run_attrs
            outcome = (attrs.get("outcome") or "").lower()
            if outcome not in ("error", "failed", "warning") or self.run_infos >= _MAX_RUN_INFOS:
                return
            self.run_infos += 1
            depth = 0
            run_text = None
            run_attrs = attrs
            parser.StartElementHandler = modes["run_info_start"]
            parser.EndElementHandler = modes["run_info_end"]

        def run_info_start(name: str, attrs: dict[str, str]) -> None:
            nonlocal depth, run_text, capture
            depth += 1
            if capture:
                parser.CharacterDataHandler = None
                capture = 0
            if depth == 1 and run_text is None and _local(name) == "Text":
                run_text = []
                parser.CharacterDataHandler = run_text.append
                capture = 1

        def run_info_end(name: str) -> None:
            nonlocal depth, capture
            d = depth
            depth = d - 1
            if d == 0:  # </RunInfo>
                parser.StartElementHandler = modes["top_start"]
                parser.EndElementHandler = None
                self._run_info(run_attrs, "".join(run_text or ()))
            elif d == capture:
                parser.CharacterDataHandler = None
                capture = 0

        modes.update(
            top_start=top_start,
            entries_end=entries_end,
            result_start=result_start,
            result_end=result_end,
            run_info=run_info,
            run_info_start=run_info_start,
            run_info_end=run_info_end,
        )
        parser.StartElementHandler = top_start

    # results

    def _rows(self, attrs: dict[str, str], rows: list[list[Any]]) -> None:
        """A data-driven parent: each row is a case, named apart when the rows share a name."""
        test_id = attrs.get("testId") or ""
        name = attrs.get("testName") or ""
        self.rows += len(rows)
        seen: set[str] = set()
        for i, (row, texts) in enumerate(rows, 1):
            row_id = row.get("testId") or test_id
            row_name = row.get("testName") or name
            if (row_name == name and row_id == test_id) or row_name in seen:
                row_name = f"{row_name} (row {row.get('dataRowInfo') or i})"
            seen.add(row_name)
            self._add(row_id, row_name, row, texts)

    def _add(self, test_id: str, name: str, attrs: dict[str, str], texts: list[Any] | None) -> None:
        outcome = attrs.get("outcome") or ""
        result = _SPELLED.get(outcome)
        if result is None:
            result = self._odd_outcome(outcome)
        duration = _timespan(attrs.get("duration"))
        if duration is None:
            duration = span_between(attrs.get("startTime"), attrs.get("endTime")) or 0.0
        if texts is None:
            message = details = stdout = stderr = ""
        else:
            message, details, stdout, stderr = _texts(texts)
        if not message and result is Result.FAILED and outcome.lower() == "timeout":
            message = "timed out"
        record = [test_id, name, result, duration, message, details, stdout, stderr, self.classes.get(test_id), None]
        first_of = self.first_of
        index = first_of.get(test_id)
        if index is None:
            first_of[test_id] = len(self.pending)
            self.pending.append(record)
            return
        if self.pending[index][_NAME] != name:
            index = self.by_name.get((test_id, name))
            if index is None:
                self.by_name[(test_id, name)] = len(self.pending)
                self.pending.append(record)
                return
        # The same test again: an earlier attempt of a retried case.
        earlier = self.pending[index]
        record[_ATTEMPTS] = [*(earlier[_ATTEMPTS] or ()), _attempt(earlier)]
        record[_CLASS] = record[_CLASS] or earlier[_CLASS]
        self.pending[index] = record

    def _odd_outcome(self, outcome: str) -> Result:
        result = OUTCOMES.get(outcome.lower())
        if result is None:
            result = unknown_result(self.path, "TRX outcome", outcome, self.unknown, self.warnings)
        return result

    # definitions and summary

    def _definition(self, test_id: str, method: dict[str, str]) -> None:
        # Old MSTest writes an assembly-qualified name: "Ns.Class, Assembly, Version=...".
        class_name = (method.get("className") or "").split(",", 1)[0].strip()
        code_base = method.get("codeBase") or ""
        if not class_name and not code_base:
            return
        key = (class_name, code_base)
        value = self.interned.get(key)
        if value is None:
            value = self.interned[key] = (class_name, basename(code_base), class_name + "." if class_name else "")
        index = self.first_of.get(test_id)
        if index is not None:
            self.pending[index][_CLASS] = value
        else:
            self.classes[test_id] = value

    def _run_info(self, attrs: dict[str, str], text: str) -> None:
        outcome = (attrs.get("outcome") or "").lower()
        text = bounded(text, 500).replace("\n", " ")
        where = attrs.get("computerName") or ""
        self.warnings.append(f"{self.path}: run {outcome}{' on ' + where if where else ''}: {text}")

    # building the file

    def cases_by_suite(self, default_suite: str) -> dict[str, list[TestCase]]:
        pending = self.pending
        first_of = self.first_of
        no_class = ("", "", "")
        # Rows and retries share their testId; the definition filled in only the first record.
        for record in pending:
            if record[_CLASS] is None:
                record[_CLASS] = pending[first_of[record[_ID]]][_CLASS] or no_class
        suites: dict[str, list[TestCase]] = {}
        twin, case_class = CaseTwin, TestCase
        for i, record in enumerate(pending):
            class_name, suite, prefix = record[_CLASS]
            suite = suite or default_suite
            cases = suites.get(suite)
            if cases is None:
                cases = suites[suite] = []
            name = record[_NAME]
            # VSTest writes xUnit and NUnit names fully qualified; the class is shown apart.
            if prefix and name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix) :]
            details = record[_DETAILS]
            # MSTest and VSTest keep no source position; a failure's trace names it (`dotnet_trace`).
            file, line = trace_place(details) if details and record[_RESULT] in _FAILING else (None, None)
            case = twin(name, class_name, suite, file, line, record[_DURATION], record[_RESULT], record[_MESSAGE],
                        details, record[_STDOUT], record[_STDERR], tuple(record[_ATTEMPTS] or ()))
            case.__class__ = case_class
            cases.append(case)
            pending[i] = None  # type: ignore[call-overload]  # one record per case at any time
        self.pending = []
        return suites


_FAILING = (Result.FAILED, Result.ERROR)


def _timespan(value: str | None) -> float | None:
    """dotnet_fields.timespan, with a fast path for the `hh:mm:ss.fffffff` that writers use (a third of the cost)."""
    if (
        value
        and len(value) == 16
        and value[2] == ":"
        and value[5] == ":"
        and value[8] == "."
        and value.isascii()
        and value.replace(":", "").replace(".", "").isdigit()
    ):
        return int(value[:2]) * 3600 + int(value[3:5]) * 60 + float(value[6:])
    return timespan(value)


def _texts(texts: list[Any]) -> tuple[str, str, str, str]:
    """Message, details, stdout and stderr from a result's captured [StdOut, StdErr, Message, StackTrace]."""
    out, err, msg, trace = ("".join(t) if t else "" for t in texts[:4])
    return bounded(_laid_out(msg).replace("\r\n", "\n")), bounded(_laid_out(trace)), bounded(out), bounded(err)


def _attempt(record: list[Any]) -> Attempt:
    return Attempt(result=record[_RESULT], duration=record[_DURATION], message=record[_MESSAGE],
                   details=record[_DETAILS])


def _laid_out(text: str) -> str:
    """Text without the indentation of a pretty-printed element (older MSTest starts it on its own line)."""
    if text[:1] in ("\n", "\r") and text.strip():
        return textwrap.dedent(text.replace("\r\n", "\n")).strip()
    return text


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    reader, read_warnings = read_expat(path, lambda: _Reader(path), max_bytes=max_bytes, namespaces=True)
    warnings = [*read_warnings, *reader.warnings]
    # The VSTest logger counts a data-driven parent and each of its rows; older writers count the parents only.
    if reader.declared is not None and reader.declared not in (reader.top_level, reader.top_level + reader.rows):
        warnings.append(mismatch(path, "results", reader.declared, reader.top_level + reader.rows))
    suites = [TestSuite.of(name, cases) for name, cases in reader.cases_by_suite(basename(path)).items()]
    return file_of(path, "trx", suites, None, tuple(warnings))


FORMAT = Format(name="trx", sniff=sniff, parse=parse)
