"""What a JUnit document adds up to beyond its cases: suites, their declared counts, retries, clues.

The streaming handlers in `junit.py` build the cases; everything that happens once
per suite, per failing case or per odd value lives here, so the per-case path stays short.
Nested suites are flattened into leaf suites whose names keep the outer names;
retries (Surefire's flaky/rerun elements, repeated records of one test) fold into
one case with its attempts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from .ctest_output import explain
from .frozen_twin import new_suite, settled, totals_of
from .go_output import FRAMING, failure_message, skip_reason
from .junit_case_factory import CaseTwin, new_case
from .junit_dialect import SAMPLE, Clues, ctest_failure
from .junit_spec_file import ROOT_SUITE
from .junit_values import (
    DETAILS_CAP,
    MESSAGE_CAP,
    OUTPUT_CAP,
    bounded,
    first_line,
    parse_int,
    parse_seconds,
)
from .model import Attempt, Result, TestCase, TestSuite

_PASSED, _FAILED, _ERROR, _SKIPPED = Result.PASSED, Result.FAILED, Result.ERROR, Result.SKIPPED
_SKIP_STATUS = frozenset({"notrun", "disabled", "skipped", "skip", "suppressed", "pending", "ignored"})
_FAIL_STATUS = frozenset({"fail", "failed", "failure"})
_ERROR_STATUS = frozenset({"error", "errored", "broken"})
_TRUE = frozenset({"true", "1", "yes"})
RETRY_TAGS = {"flakyFailure": _FAILED, "flakyError": _ERROR, "rerunFailure": _FAILED, "rerunError": _ERROR}
# Hook and suite-level failures that runners report as a failed "test": they are errors of the run.
_HOOK = re.compile(r'"(?:before|after)(?: all| each)?" hook|^Test suite failed to run')
_HOOK_TYPES = frozenset({"hookFailed"})
_SCRIPT_FILE = re.compile(r"\.(?:[cm]?[jt]sx?|vue|svelte)$")  # a classname that is a JS/TS test file
_SUITE_ERROR = "(suite error)"  # the name of a case standing for an error outside any test
# jest-junit's stand-in case for a test file that failed to load: it counts it as an error, not as a test.
_JEST_UNRUN = "Test suite failed to run"
_JEST_HEADER = "\u25cf " + _JEST_UNRUN
_GO_FAILED = "Failed"  # the whole message gotestsum and go-junit-report give a failing Go test
_GO_RUN = "=== RUN "
_TEST_MAIN = "TestMain"
_RERUN_NOTE = "failed, then rerun (the runner kept no details of this attempt)"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_XML_LANG = "{" + _XML_NS + "}lang"
PROPERTIES_CAP = 200  # properties kept as dialect clues


_name_of = attrgetter("name")


def local(tag: str) -> str:
    """A tag without its namespace prefix (expat reports `ns:testcase` as written)."""
    return tag.rpartition(":")[2] if ":" in tag else tag


class Frame:
    """A suite element being read: its cases so far and what it declared."""

    __slots__ = (
        "attrs",
        "by_id",
        "cases",
        "errors",
        "extra_start",
        "failed",
        "has_suites",
        "is_suite",
        "merged",
        "name",
        "own",
        "prefix",
        "records",
        "rerun_is_failure",
        "saved",
        "skipped",
        "stderr",
        "stdout",
        "suite_errors",
        "tests",
    )

    def __init__(self, attrs: dict[str, str], is_suite: bool, own: str, prefix: str) -> None:
        self.attrs = attrs
        self.is_suite = is_suite
        self.own = own
        self.prefix = prefix
        self.name = prefix + own
        self.cases: list[TestCase] = []
        self.by_id: dict[str, int] = {}
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.suite_errors: list[tuple[Result, str, str]] = []
        self.has_suites = False
        self.rerun_is_failure = False
        self.merged = 0  # records folded into an earlier case of the same test
        self.saved: Any = None  # the reader's state outside this suite, restored when it ends
        # Counts over this suite and its nested suites, for checking what the suite declares.
        self.records = 0
        self.tests = 0
        self.failed = 0
        self.errors = 0
        self.skipped = 0
        self.extra_start = 0  # the document's extra failure elements when this suite opened


class Document:
    """The suites read so far, the dialect clues and the warnings of one JUnit file."""

    # One per file, its attributes read on every suite and failing case: slots make both cheaper.
    __slots__ = (
        "bad_times",
        "clues",
        "extra_failures",
        "namespaces",
        "path",
        "records",
        "rerun_is_failure",
        "rooted",
        "spec_starts",
        "strings",
        "suites",
        "synthetic",
        "uncounted",
        "warnings",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.suites: list[TestSuite] = []
        self.warnings: list[str] = []
        self.strings: dict[str, str] = {}
        self.clues = Clues()
        self.rooted = False
        self.namespaces: dict[str, str] = {"xml": _XML_NS}
        self.bad_times: list[str] = []
        self.rerun_is_failure = False
        self.records = 0
        self.synthetic = 0
        self.uncounted = 0  # failed cases the runner lists but leaves out of its counts (gotestsum's TestMain)
        self.extra_failures = 0  # <failure> elements past a case's first (jasmine-reporters counts each)
        self.spec_starts: list[tuple[int, str]] = []  # (index of the next suite, file) of each mocha Root Suite

    # -- clues --------------------------------------------------------------

    def note_root(self, tag: str, attrs: dict[str, str]) -> bool:
        """The root element's clues; True when its attributes are plain (no namespace), the clue a copy of them."""
        self.rooted = True
        clues = self.clues
        clues.root_tag = local(tag) if ":" in tag else tag
        if "xmlns" not in attrs and ":" not in "".join(attrs):
            clues.root = attrs  # no namespace to learn or name to rewrite, so no xml:lang either (see clue_attrs)
            return True
        self.learn_namespaces(attrs)
        root = self.clue_attrs(attrs)
        root.pop(_XML_LANG, None)
        clues.root = root
        return False

    def learn_namespaces(self, attrs: dict[str, str]) -> None:
        if ":" not in "".join(attrs):
            return
        for key, value in attrs.items():
            if key.startswith("xmlns:"):
                self.namespaces[key[6:]] = value

    def clue_attrs(self, attrs: dict[str, str]) -> dict[str, str]:
        """Attributes as lxml names them, which the dialect rules expect: `{uri}local`, no xmlns.

        Plain attributes are returned as they are, not copied: the parser builds a new dict for
        every element, and neither the reader nor the dialect rules ever change one.
        """
        if "xmlns" not in attrs and ":" not in "".join(attrs):
            return attrs
        out = {}
        for key, value in attrs.items():
            if key == "xmlns" or key.startswith("xmlns:"):
                continue
            prefix, colon, name = key.partition(":")
            if colon and prefix in self.namespaces:
                key = "{" + self.namespaces[prefix] + "}" + name
            out[key] = value
        return out

    def add_property(self, name: str, value: str) -> None:
        props = self.clues.properties
        if len(props) < PROPERTIES_CAP:
            props.setdefault(name, value)

    # -- suites -------------------------------------------------------------

    def open_frame(self, tag: str, attrs: dict[str, str], outer: Frame | None) -> Frame:
        is_suite = tag == "testsuite"
        plain_root = False
        if not self.rooted:
            plain_root = self.note_root(tag, attrs)  # learns the root's namespaces too
        elif is_suite:
            self.learn_namespaces(attrs)
        own = attrs.get("name") or ""
        prefix = ""
        if is_suite:
            clues = self.clues
            if len(clues.suites) < SAMPLE:
                # A plain root's clue is what clue_attrs would give again; no rule changes a clue, so it is shared.
                clues.add_suite(clues.root if plain_root else self.clue_attrs(attrs))
            if outer is not None and outer.is_suite:
                outer.has_suites = True
                if outer.own and own.startswith(outer.own):
                    prefix = outer.prefix  # PHPUnit repeats the outer name: "Class" > "Class::method"
                elif outer.name:
                    prefix = outer.name + " > "
            if own == "pytest":
                self.rerun_is_failure = True
            elif own == ROOT_SUITE and "file" in attrs:
                # Cypress names the spec only here; the cases of the suites that follow get it once Cypress is detected.
                self.spec_starts.append((len(self.suites), attrs["file"]))
        else:  # <testsuites>, or no suite at all: cases directly under the root
            own = own or "(top level)"
        intern = self.strings.setdefault
        frame = Frame(attrs, is_suite, intern(own, own), prefix)
        frame.name = intern(frame.name, frame.name)
        frame.rerun_is_failure = self.rerun_is_failure
        frame.extra_start = self.extra_failures
        return frame

    def extra(self, frame: Frame, tag: str, attrs: dict[str, str], text: str) -> None:
        """A suite's child that is neither case nor suite: output, suite-level errors."""
        if tag == "system-out":
            frame.stdout.append(text)
        elif tag == "system-err":
            frame.stderr.append(text)
        else:  # error or failure outside any test: an error of the suite
            frame.suite_errors.append((_ERROR, attrs.get("message") or first_line(text), text))

    def close_frame(self, frame: Frame, outer: Frame | None, root: bool) -> None:
        """The suite element has ended: its suite if it holds cases; its counts checked and added to the outer."""
        if not frame.is_suite and not frame.cases and not frame.merged:
            # A <testsuites> holds suites; only cases directly under it make a suite of its own.
            frame.suite_errors.clear()
        cases = frame.cases
        names = set(map(_name_of, cases))
        if len(names) != len(cases):  # a test recorded twice: not the usual file
            self._fold_repeats(frame)
            cases = frame.cases
        real = len(cases)
        records = real + frame.merged
        get = frame.attrs.get
        is_suite = frame.is_suite
        stdout = "".join(frame.stdout) if frame.stdout else ""
        stderr = "".join(frame.stderr) if frame.stderr else ""
        for kind, message, text in frame.suite_errors:
            cases.append(_suite_error(frame, kind, message, text))
        if is_suite and not cases and not frame.has_suites:
            declared_bad = (parse_int(get("errors")) or 0) + (parse_int(get("failures")) or 0)
            if declared_bad:
                # A suite that failed before any test ran (import error, a crash in a class-level hook).
                message = f"the runner reports {declared_bad} failure(s) or error(s) in this suite but no test case"
                cases.append(_suite_error(frame, _ERROR, message, stderr or stdout))
        if cases or (is_suite and not frame.has_suites):
            time = get("time")
            held = settled(tuple(cases))
            suite = new_suite(
                frame.name,
                held,
                totals_of(held),
                parse_seconds(time) if time else None,
                get("timestamp"),
                get("hostname"),
                bounded(stdout, OUTPUT_CAP) if stdout else "",
                bounded(stderr, OUTPUT_CAP) if stderr else "",
            )
            self.suites.append(suite)
            t = suite.totals
            synthetic = len(cases) - real  # not tests the runner counted, but errors it did
            if not synthetic and t.errors:
                synthetic = sum(1 for c in cases if c.classname == _JEST_UNRUN and c.result is _ERROR)
            uncounted = _uncounted_test_main(cases) if t.failed and _TEST_MAIN in names else 0
            frame.tests += t.tests - synthetic - uncounted
            self.synthetic += synthetic
            self.uncounted += uncounted
            frame.failed += t.failed - uncounted
            frame.errors += t.errors
            frame.skipped += t.skipped
        frame.records += records
        self.records += records
        if frame.by_id:
            frame.by_id = {}
        frame.cases = []
        if is_suite:
            self._check_declared(get, frame, None, self.extra_failures - frame.extra_start)
        if outer is not None and outer.is_suite:
            outer.records += frame.records
            outer.tests += frame.tests
            outer.failed += frame.failed
            outer.errors += frame.errors
            outer.skipped += frame.skipped
        if root and not is_suite:
            self._root_end(frame)

    def _fold_repeats(self, frame: Frame) -> None:
        """Fold the records of one test into one case with attempts, in the order they came."""
        cases = frame.cases
        frame.cases = []
        by_id = frame.by_id
        for case in cases:
            index = by_id.get(case.name)
            if index is None:
                by_id[case.name] = len(frame.cases)
                frame.cases.append(case)
            else:
                self.repeat(frame, index, case)

    def _root_end(self, frame: Frame) -> None:
        summary = Frame({}, False, "", "")
        for s in self.suites:
            t = s.totals
            summary.tests += t.tests
            summary.failed += t.failed
            summary.errors += t.errors
            summary.skipped += t.skipped
        summary.tests -= self.synthetic + self.uncounted
        summary.failed -= self.uncounted
        summary.records = self.records
        self._check_declared(frame.attrs.get, summary, "<testsuites>", self.extra_failures)

    def _check_declared(self, get: Callable[[str], str | None], frame: Frame, where: str | None, extra: int) -> None:
        """Warn where declared counts contradict the cases; `extra` counts failure elements past a case's first.

        `where` names the element in a warning; None: the suite of `frame`, named only when a warning needs it.
        """
        declared = parse_int(get("tests"))
        if declared is not None and declared != frame.tests and declared != frame.records:
            self._mismatch(where, "tests", declared, frame.tests, frame)
        failures, errors = parse_int(get("failures")), parse_int(get("errors"))
        if failures is not None or errors is not None:
            f, e = failures or 0, errors or 0
            # Runners disagree on failure versus error (pytest counts a teardown error apart),
            # so only a difference in their sum is a contradiction. jasmine-reporters counts
            # failed expectations, one <failure> each, rather than failed specs.
            if f + e not in (frame.failed + frame.errors, frame.failed + extra + frame.errors):
                if failures is not None and f not in (frame.failed, frame.failed + extra):
                    self._mismatch(where, "failures", f, frame.failed, frame)
                if errors is not None and e != frame.errors:
                    self._mismatch(where, "errors", e, frame.errors, frame)
        skipped = parse_int(get("skipped"))
        if skipped is None:
            skipped = parse_int(get("skip"))
        if skipped is not None and frame.skipped != skipped:
            disabled = parse_int(get("disabled")) or 0
            if frame.skipped != skipped + disabled:
                self._mismatch(where, "skipped", skipped, frame.skipped, frame)

    def _mismatch(self, where: str | None, what: str, declared: int, found: int, frame: Frame) -> None:
        if where is None:
            where = f"suite {frame.name!r}"
        self.warnings.append(
            f"{self.path}: {where} declares {what}={declared} but holds {found}; the cases are counted"
        )

    # -- cases beyond the plain passing one --------------------------------

    def odd_time(self, text: str) -> float:
        value = parse_seconds(text)
        if value is None:
            self.bad_times.append(text)
            return 0.0
        return value

    def full_case(
        self,
        attrs: dict[str, str],
        kids: list[list[Any]],
        name: str,
        classname: str,
        suite: str,
        file: str | None,
        line: int | None,
        duration: float,
    ) -> TestCase:
        """A case with result, output or retry children; `kids` holds them as [tag, attrs, text parts, ...].

        The usual case, one failure, error or skip and nothing else, is read here as `_many_children`
        would read it, without its loop; records are built as `new_case` builds them, without the call.
        """
        if len(kids) == 1:
            kid = kids[0]
            tag, child = kid[0], kid[1]
            if tag == "failure" or tag == "error":
                text = "".join(kid[2])
                result = _FAILED if tag == "failure" else _ERROR
                ftype = child.get("type")
                if ftype:
                    types = self.clues.failure_types
                    if len(types) < 8:
                        types.add(ftype)
                    if ftype in _HOOK_TYPES:
                        result = _ERROR
                message = (child.get("message") or "")[:MESSAGE_CAP] or _first_line(text)
                if file is None and line is None and "file" in child:
                    file, line = child["file"], parse_int(child.get("line"))
                if result is _FAILED and ("hook" in name or _JEST_UNRUN in name) and _HOOK.search(name):
                    result = _ERROR
                details = ""
                if text and not text.isspace():
                    details = bounded(text, DETAILS_CAP)
                    if message == _GO_FAILED:
                        message, file, line = _go_failure(text, file, line)
                    if file:
                        if line is None:
                            line = _line_in((text,), file)
                    elif file is None and _is_script_file(classname):
                        line = _line_in((text,), classname)
                        if line is not None:
                            file = classname
                record = CaseTwin(name, classname, suite, file, line, duration, result, message, details)
                record.__class__ = TestCase
                return settled(record)
            if tag == "skipped" or tag == "disabled":
                message = child.get("message") or "".join(kid[2]).strip()
                if message.startswith(_GO_RUN):
                    message = skip_reason(message)  # gotestsum writes the test's whole output here
                record = CaseTwin(name, classname, suite, file, line, duration, _SKIPPED, message[:MESSAGE_CAP])
                record.__class__ = TestCase
                return settled(record)
        return self._many_children(attrs, kids, name, classname, suite, file, line, duration)

    def _many_children(
        self,
        attrs: dict[str, str],
        kids: list[list[Any]],
        name: str,
        classname: str,
        suite: str,
        file: str | None,
        line: int | None,
        duration: float,
    ) -> TestCase:
        """`full_case` for any mix of children: results, output, retries."""
        result = None
        message = ""
        details: list[str] = []
        skipped = False
        skip_message = ""
        stdout: list[str] = []
        stderr: list[str] = []
        attempts: list[Attempt] = []
        reruns = False
        failures = 0
        clues = self.clues
        for kid in kids:
            tag, child = kid[0], kid[1]
            if tag == "failure" or tag == "error":
                failures += tag == "failure"
                kind = _FAILED if tag == "failure" else _ERROR
                text = "".join(kid[2])
                ftype = child.get("type")
                if ftype:
                    if len(clues.failure_types) < 8:
                        clues.failure_types.add(ftype)
                    if ftype in _HOOK_TYPES:
                        kind = _ERROR
                if result is None:
                    result = kind
                    message = (child.get("message") or "")[:MESSAGE_CAP] or _first_line(text)
                    if file is None and line is None and "file" in child:
                        # Some writers (Catch2-style, ut) give the failing assertion's place only here.
                        file, line = child["file"], parse_int(child.get("line"))
                if text and not text.isspace():
                    details.append(text)
            elif tag == "skipped" or tag == "disabled":
                skipped = True
                skip_message = skip_message or child.get("message") or "".join(kid[2]).strip()
            elif tag == "system-out":
                stdout.append("".join(kid[2]))
            elif tag == "system-err":
                stderr.append("".join(kid[2]))
            else:  # a retry element: [tag, attrs, own text parts, stackTrace text parts or None, has children]
                attempts.append(_attempt(kid, RETRY_TAGS[tag]))
                reruns = reruns or tag.startswith("rerun")
                clues.child_tags.add(tag)
        if failures > 1:
            self.extra_failures += failures - 1
        if result is None:
            if reruns:
                # Surefire writes the final failure beside its reruns; if it is missing, the last rerun stands for it.
                last = attempts.pop()
                result, message, details = last.result, last.message, [last.details]
            elif skipped:
                if skip_message.startswith(_GO_RUN):
                    skip_message = skip_reason(skip_message)  # gotestsum writes the test's whole output here
                result, message = _SKIPPED, skip_message[:MESSAGE_CAP]
            else:
                result = status_result(attrs.get) or _PASSED
        elif result is _FAILED and ("hook" in name or _JEST_UNRUN in name) and _HOOK.search(name):
            result = _ERROR
        if message == _GO_FAILED and details:
            # gotestsum and go-junit-report say only "Failed"; the test's output in the body says what failed.
            message, file, line = _go_failure(details[0], file, line)
        elif result is _FAILED and stdout and not details and ctest_failure(clues, attrs.get("status")):
            # CTest says only how the test ended ("Failed", "Timeout"); the output it keeps says why.
            output = "".join(stdout)
            if not output.isspace():
                message, file, line = _ctest_failure(message, output, file, line)
                details = [output]
        if file and line is None and details and result is not _PASSED and result is not _SKIPPED:
            line = _line_in(details, file)
        elif file is None and details and result is not _SKIPPED and _is_script_file(classname):
            # vitest's classname is the test file, and its trace names "<file>:<line>:<col>".
            line = _line_in(details, classname)
            if line is not None:
                file = classname
        return new_case(
            name,
            classname,
            suite,
            file,
            line,
            duration,
            result,
            message,
            bounded("\n\n".join(details), DETAILS_CAP) if details else "",
            bounded("".join(stdout), OUTPUT_CAP) if stdout else "",
            bounded("".join(stderr), OUTPUT_CAP) if stderr else "",
            tuple(attempts),
        )

    def repeat(self, frame: Frame, index: int, case: TestCase) -> None:
        """A test recorded again in the same suite: a rerun, unless the class differs."""
        earlier = frame.cases[index]
        frame.merged += 1
        if earlier.classname != case.classname:
            key = f"{case.classname}\x00{case.name}"
            index = frame.by_id.get(key, -1)
            if index < 0:
                frame.by_id[key] = len(frame.cases)
                frame.cases.append(case)
                frame.merged -= 1
                return
            earlier = frame.cases[index]
        result = earlier.result
        message = earlier.message
        if result is _PASSED and frame.rerun_is_failure:
            # pytest-rerunfailures writes each rerun attempt as an empty record before the final one.
            result, message = _FAILED, _RERUN_NOTE
        attempt = Attempt(result, earlier.duration, message, earlier.details)
        frame.cases[index] = TestCase(
            case.name,
            case.classname,
            case.suite,
            case.file or earlier.file,
            case.line if case.line is not None else earlier.line,
            case.duration,
            case.result,
            case.message,
            case.details,
            case.stdout,
            case.stderr,
            (*earlier.attempts, attempt, *case.attempts),
        )

    def finish_warnings(self) -> list[str]:
        if self.bad_times:
            shown = ", ".join(repr(t) for t in self.bad_times[:3])
            self.warnings.append(
                f"{self.path}: {len(self.bad_times):,} test case(s) have an unreadable time ({shown}); counted as 0 s"
            )
        return self.warnings


def _is_script_file(classname: str) -> bool:
    # Asked once per failing case, and a file holds thousands of cases of a few classes. A dict
    # look-up costs less than lru_cache's; past the cap, a class not seen yet is searched each time.
    known = _SCRIPT_FILES.get(classname)
    if known is None:
        known = _SCRIPT_FILE.search(classname) is not None
        if len(_SCRIPT_FILES) < _SCRIPT_FILES_CAP:
            _SCRIPT_FILES[classname] = known
    return known


_SCRIPT_FILES: dict[str, bool] = {}
_SCRIPT_FILES_CAP = 1024


def _attempt(kid: list[Any], result: Result) -> Attempt:
    attrs, own_text, trace_parts, has_children = kid[1], kid[2], kid[3], kid[4]
    trace = "".join(trace_parts) if trace_parts else ""
    if not trace and not has_children:
        trace = "".join(own_text)
    duration = parse_seconds(attrs.get("time") or "") or 0.0
    message = (attrs.get("message") or "")[:MESSAGE_CAP] or first_line(trace)
    return Attempt(result, duration, message, bounded(trace, DETAILS_CAP))


def _uncounted_test_main(cases: list[TestCase]) -> int:
    """gotestsum's stand-in for a package that failed outside its tests: listed, but in no declared count."""
    return sum(1 for c in cases if c.name == _TEST_MAIN and not c.classname and c.result is _FAILED)


def _go_failure(output: str, file: str | None, line: int | None) -> tuple[str, str | None, int | None]:
    message, go_file, go_line = failure_message(output)
    if message:
        return message[:MESSAGE_CAP], file or go_file, line if file else go_line
    # No source line (a TestMain or a package that failed to start): its first own line says why.
    own = [ln.strip() for ln in output.splitlines() if ln.strip() and not FRAMING.match(ln)]
    return (own[0][:MESSAGE_CAP] if own else _GO_FAILED), file, line


def _ctest_failure(reason: str, output: str, file: str | None, line: int | None) -> tuple[str, str | None, int | None]:
    message, at_file, at_line = explain(reason, output)
    if file is None and at_file is not None:
        return message, at_file, at_line
    return message, file, line


def _line_in(details: Sequence[str], file: str) -> int | None:
    """The line a trace gives for the case's own file ("<file>:<line>"), as PHPUnit's .phpt cases need."""
    marker = file + ":"
    for text in details:
        at = text.find(marker)
        if at >= 0:
            digits = re.match(r"\d+", text[at + len(marker) :])
            if digits and int(digits.group()) > 0:
                return int(digits.group())
    return None


def _first_line(text: str) -> str:
    """The message a trace gives, past jest's "Test suite failed to run" heading."""
    message = first_line(text)
    if message == _JEST_HEADER:
        rest = first_line(text[text.find(_JEST_HEADER) + len(_JEST_HEADER) :])
        return rest or message
    return message


def _suite_error(frame: Frame, kind: Result, message: str, text: str) -> TestCase:
    return TestCase(
        _SUITE_ERROR,
        frame.own,
        frame.name,
        result=kind,
        message=message[:MESSAGE_CAP] or first_line(text),
        details=bounded(text, DETAILS_CAP),
    )


def status_result(get: Callable[[str], str | None]) -> Result | None:
    """googletest, CTest and Bazel say in attributes what other writers say with child elements."""
    result = get("result")
    if result in ("skipped", "suppressed"):
        return _SKIPPED
    status = get("status")
    if status is not None:
        status = status.lower()
        if status in _SKIP_STATUS:
            return _SKIPPED
        if status in _FAIL_STATUS:
            return _FAILED
        if status in _ERROR_STATUS:
            return _ERROR
    if (get("disabled") or "").lower() in _TRUE:
        return _SKIPPED
    return None
