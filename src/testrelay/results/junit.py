"""JUnit XML, in every dialect runners write, read in one streaming pass.

Only `testcase` and `testsuite` end events reach Python (lxml filters the rest in C).
Each case becomes a TestCase as soon as its element ends; the element is then
cleared and the processed siblings before it deleted, so memory holds about one
compact record per case whatever the file size. Nested suites are flattened into
leaf suites whose names keep the outer names; retries (Surefire's flaky/rerun
elements, repeated records of one test) fold into one case with its attempts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .formats import Format, Head
from .junit_case_factory import CaseTwin, new_case
from .junit_dialect import Clues, detect
from .junit_values import DETAILS_CAP, MESSAGE_CAP, OUTPUT_CAP, bounded, first_line, parse_int, parse_seconds
from .model import Attempt, Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES, read_xml

_CHECK_NS = "http://check.sourceforge.net/ns"  # the C `check` framework: its own module reads it
_TAGS = ("{*}testcase", "{*}testsuite")
_PASSED, _FAILED, _ERROR, _SKIPPED = Result.PASSED, Result.FAILED, Result.ERROR, Result.SKIPPED
_SKIP_STATUS = frozenset({"notrun", "disabled", "skipped", "skip", "suppressed", "pending", "ignored"})
_FAIL_STATUS = frozenset({"fail", "failed", "failure"})
_ERROR_STATUS = frozenset({"error", "errored", "broken"})
_TRUE = frozenset({"true", "1", "yes"})
_RETRY_TAGS = {"flakyFailure": _FAILED, "flakyError": _ERROR, "rerunFailure": _FAILED, "rerunError": _ERROR}
# Hook and suite-level failures that runners report as a failed "test": they are errors of the run.
_HOOK = re.compile(r'"(?:before|after)(?: all| each)?" hook|^Test suite failed to run')
_HOOK_TYPES = frozenset({"hookFailed"})
_SUITE_ERROR = "(suite error)"  # the name of a case standing for an error outside any test
_RERUN_NOTE = "failed, then rerun (the runner kept no details of this attempt)"


def sniff(head: Head) -> bool:
    if head.root not in ("testsuites", "testsuite"):
        return False
    start = head.text.find("<" + head.root) if ":" not in head.text[:200] else _root_start(head.text)
    root_tag = head.text[start : head.text.find(">", start) + 1] if start >= 0 else head.text
    return _CHECK_NS not in root_tag


def _root_start(text: str) -> int:
    m = re.search(r"<(?:[\w.-]+:)?testsuites?\b", text)
    return m.start() if m else -1


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    (suites, dialect, warnings), xml_warnings = read_xml(
        path, lambda events: _Reader(path).run(events), tag=_TAGS, max_bytes=max_bytes
    )
    return ResultFile.of(path, "junit", suites, dialect=dialect, warnings=tuple(xml_warnings + warnings))


FORMAT = Format("junit", sniff, parse)


def _local(tag: Any) -> str:
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


def _text(el: Any) -> str:
    if len(el):
        return "".join(el.itertext())
    return el.text or ""


class _Frame:
    """A suite element being read: its cases so far and what it declared."""

    __slots__ = (
        "by_id",
        "cases",
        "el",
        "errors",
        "failed",
        "has_suites",
        "merged",
        "name",
        "own",
        "prefix",
        "records",
        "rerun_is_failure",
        "skipped",
        "stderr",
        "stdout",
        "suite_errors",
        "tests",
    )

    def __init__(self, el: Any, own: str, prefix: str) -> None:
        self.el = el
        self.own = own
        self.prefix = prefix
        self.name = prefix + own
        self.cases: list[TestCase] = []
        self.by_id: dict[str, int] = {}
        self.stdout = ""
        self.stderr = ""
        self.suite_errors: list[tuple[Result, str, str]] = []
        self.has_suites = False
        self.rerun_is_failure = False
        self.merged = 0  # records folded into an earlier case of the same test
        # Counts over this suite and its nested suites, for checking what the suite declares.
        self.records = 0
        self.tests = 0
        self.failed = 0
        self.errors = 0
        self.skipped = 0


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.frames: dict[Any, _Frame] = {}
        self.suites: list[TestSuite] = []
        self.warnings: list[str] = []
        self.strings: dict[str, str] = {}
        self.clues = Clues()
        self.root: Any = None
        self.bad_times: list[str] = []
        self.rerun_is_failure = False
        self.records = 0
        self.synthetic = 0

    # -- the pass ---------------------------------------------------------

    def run(self, events: Iterator[tuple[str, Any]]) -> tuple[list[TestSuite], str, list[str]]:
        # The per-case path is written out here with local names: it runs once per case,
        # and on large files it is what the parse costs beyond lxml itself.
        intern = self.strings.setdefault
        twin, case_class = CaseTwin, TestCase
        passed = _PASSED
        parent_el: Any = None
        frame: _Frame | None = None
        by_id: dict[str, int] = {}
        cases: list[TestCase] = []
        suite = ""
        for _, el in events:
            tag = el.tag
            if tag[0] == "{":
                tag = tag.rpartition("}")[2]
            if tag != "testcase":
                self._suite_end(el)
                parent_el = None  # the suite's frame is gone; look the next case's parent up again
                continue
            parent = el.getparent()
            if parent is not parent_el:
                parent_el = parent
                frame = self._enter(parent, el)
                by_id, cases, suite = frame.by_id, frame.cases, frame.name
            get = el.get

            name = get("name") or ""
            classname = get("classname")
            if classname is None:
                classname = get("class") or ""
            classname = intern(classname, classname)
            file = get("file")
            if file is not None:
                file = intern(file, file)
            line = get("line")
            if line is not None:
                try:
                    line = int(line)
                except ValueError:
                    line = parse_int(line)
            t = get("time")
            if t is None:
                duration = 0.0
            else:
                try:
                    duration = float(t)
                except ValueError:
                    duration = -1.0
                if not 0.0 <= duration < 1e9:  # also catches nan
                    duration = self._odd_time(t)

            if len(el):
                case = self._full_case(el, name, classname, suite, file, line, duration)
                el.clear()
            else:
                plain = get("status") is None and get("disabled") is None
                result = passed if plain else (_status_result(get) or passed)
                case = twin(name, classname, suite, file, line, duration, result)
                case.__class__ = case_class

            index = by_id.get(name)
            if index is None:
                by_id[name] = len(cases)
                cases.append(case)
            else:
                self._repeat(frame, index, case)  # type: ignore[arg-type]

            prev = el.getprevious()
            while prev is not None:
                if prev.tag != "testcase":
                    self._extra(frame, prev)  # type: ignore[arg-type]
                del parent[0]
                prev = el.getprevious()

        root = getattr(events, "root", None)
        if root is not None and _local(root.tag) == "testsuites":
            self._root_end(root)
        elif root is not None and self.root is None:
            self._note_root(root)
        if self.bad_times:
            shown = ", ".join(repr(t) for t in self.bad_times[:3])
            self.warnings.append(
                f"{self.path}: {len(self.bad_times):,} test case(s) have an unreadable time ({shown}); counted as 0 s"
            )
        return self.suites, detect(self.clues), self.warnings

    def _full_case(
        self, el: Any, name: str, classname: str, suite: str, file: str | None, line: int | None, duration: float
    ) -> TestCase:
        result = None
        message = ""
        details: list[str] = []
        skipped = False
        skip_message = ""
        stdout: list[str] = []
        stderr: list[str] = []
        attempts: list[Attempt] = []
        reruns = False
        for child in el:
            tag = _local(child.tag)
            if tag == "failure" or tag == "error":
                kind = _FAILED if tag == "failure" else _ERROR
                text = _text(child)
                ftype = child.get("type")
                if ftype:
                    if len(self.clues.failure_types) < 8:
                        self.clues.failure_types.add(ftype)
                    if ftype in _HOOK_TYPES:
                        kind = _ERROR
                if result is None:
                    result = kind
                    message = (child.get("message") or "")[:MESSAGE_CAP] or first_line(text)
                if text:
                    details.append(text)
            elif tag == "skipped" or tag == "disabled":
                skipped = True
                skip_message = skip_message or child.get("message") or (child.text or "").strip()
            elif tag == "system-out":
                stdout.append(_text(child))
            elif tag == "system-err":
                stderr.append(_text(child))
            elif tag in _RETRY_TAGS:
                attempts.append(self._attempt(child, _RETRY_TAGS[tag]))
                reruns = reruns or tag.startswith("rerun")
                self.clues.child_tags.add(tag)
        if result is None:
            if reruns:
                # Surefire writes the final failure beside its reruns; if it is missing, the last rerun stands for it.
                last = attempts.pop()
                result, message, details = last.result, last.message, [last.details]
            elif skipped:
                result, message = _SKIPPED, skip_message[:MESSAGE_CAP]
            else:
                result = _status_result(el.get) or _PASSED
        elif result is _FAILED and _HOOK.search(name):
            result = _ERROR
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

    def _attempt(self, el: Any, result: Result) -> Attempt:
        trace = ""
        for child in el:
            if _local(child.tag) == "stackTrace":
                trace = _text(child)
                break
        if not trace and not len(el):
            trace = el.text or ""
        duration = parse_seconds(el.get("time") or "") or 0.0
        message = (el.get("message") or "")[:MESSAGE_CAP] or first_line(trace)
        return Attempt(result, duration, message, bounded(trace, DETAILS_CAP))

    def _repeat(self, frame: _Frame, index: int, case: TestCase) -> None:
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

    def _odd_time(self, text: str) -> float:
        value = parse_seconds(text)
        if value is None:
            self.bad_times.append(text)
            return 0.0
        return value

    # -- suites -----------------------------------------------------------

    def _enter(self, parent: Any, first_case: Any) -> _Frame:
        frame = self.frames.get(parent) or self._frame_for(parent)
        if self.clues.wants_case():
            self.clues.cases.append(dict(first_case.attrib))
        return frame

    def _frame_for(self, el: Any) -> _Frame:
        frame = self.frames.get(el)
        if frame is not None:
            return frame
        if self.root is None:
            self._note_root(el.getroottree().getroot())
        tag = _local(el.tag)
        own = el.get("name") or ""
        prefix = ""
        parent = el.getparent()
        if tag == "testsuite":
            self.clues.add_suite(dict(el.attrib))
            if parent is not None and _local(parent.tag) == "testsuite":
                outer = self._frame_for(parent)
                outer.has_suites = True
                if outer.own and own.startswith(outer.own):
                    prefix = outer.prefix  # PHPUnit repeats the outer name: "Class" > "Class::method"
                elif outer.name:
                    prefix = outer.name + " > "
            if own == "pytest":
                self.rerun_is_failure = True
        else:  # cases directly under <testsuites>
            own = own or "(top level)"
        frame = _Frame(el, self.strings.setdefault(own, own), prefix)
        frame.name = self.strings.setdefault(frame.name, frame.name)
        frame.rerun_is_failure = self.rerun_is_failure
        self.frames[el] = frame
        return frame

    def _note_root(self, root: Any) -> None:
        self.root = root
        self.clues.root_tag = _local(root.tag)
        self.clues.root = {k: v for k, v in root.attrib.items() if k != "{http://www.w3.org/XML/1998/namespace}lang"}

    def _extra(self, frame: _Frame, el: Any) -> None:
        """A suite's child that is neither case nor suite: properties, output, suite-level errors."""
        tag = _local(el.tag)
        if tag == "properties":
            props = self.clues.properties
            if len(props) < 200:
                for prop in el:
                    name = prop.get("name")
                    if name is not None:
                        props.setdefault(name, prop.get("value") or (prop.text or ""))
        elif tag == "system-out":
            frame.stdout += _text(el)
        elif tag == "system-err":
            frame.stderr += _text(el)
        elif tag in ("error", "failure"):
            text = _text(el)
            kind = _ERROR
            frame.suite_errors.append((kind, el.get("message") or first_line(text), text))

    def _suite_end(self, el: Any) -> None:
        frame = self.frames.pop(el, None) or self._frame_for(el)
        self.frames.pop(el, None)
        for child in el:
            tag = _local(child.tag)
            if tag != "testcase" and tag != "testsuite":
                self._extra(frame, child)
        self._close(frame)
        parent = el.getparent()
        el.clear(keep_tail=False)
        if parent is not None:
            outer = self.frames.get(parent) if _local(parent.tag) == "testsuite" else None
            prev = el.getprevious()
            while prev is not None:
                if outer is not None and _local(prev.tag) not in ("testcase", "testsuite"):
                    self._extra(outer, prev)
                del parent[0]
                prev = el.getprevious()
            if outer is not None:
                for attr in ("records", "tests", "failed", "errors", "skipped"):
                    setattr(outer, attr, getattr(outer, attr) + getattr(frame, attr))

    def _close(self, frame: _Frame) -> None:
        cases = frame.cases
        real = len(cases)
        records = real + frame.merged
        suite_el = frame.el
        is_suite = _local(suite_el.tag) == "testsuite"
        for kind, message, text in frame.suite_errors:
            cases.append(_suite_error(frame, kind, message, text))
        declared_bad = (parse_int(suite_el.get("errors")) or 0) + (parse_int(suite_el.get("failures")) or 0)
        if is_suite and not cases and not frame.has_suites and declared_bad:
            # A suite that failed before any test ran (import error, a crash in a class-level hook).
            message = f"the runner reports {declared_bad} failure(s) or error(s) in this suite but no test case"
            cases.append(_suite_error(frame, _ERROR, message, frame.stderr or frame.stdout))
        if cases or (is_suite and not frame.has_suites):
            time = suite_el.get("time")
            suite = TestSuite.of(
                frame.name,
                cases,
                duration=parse_seconds(time) if time else None,
                timestamp=suite_el.get("timestamp"),
                hostname=suite_el.get("hostname"),
                stdout=bounded(frame.stdout, OUTPUT_CAP),
                stderr=bounded(frame.stderr, OUTPUT_CAP),
            )
            self.suites.append(suite)
            t = suite.totals
            synthetic = len(cases) - real  # not tests the runner counted, but errors it did
            frame.tests += t.tests - synthetic
            self.synthetic += synthetic
            frame.failed += t.failed
            frame.errors += t.errors
            frame.skipped += t.skipped
        frame.records += records
        self.records += records
        frame.by_id = {}
        frame.cases = []
        if is_suite:
            self._check_declared(suite_el, frame, f"suite {frame.name!r}")

    def _root_end(self, root: Any) -> None:
        if self.root is None:
            self._note_root(root)
        frame = self.frames.pop(root, None)
        if frame is not None:
            for child in root:
                if _local(child.tag) not in ("testcase", "testsuite"):
                    self._extra(frame, child)
            self._close(frame)
        summary = _Frame(root, "", "")
        for s in self.suites:
            t = s.totals
            summary.tests += t.tests
            summary.failed += t.failed
            summary.errors += t.errors
            summary.skipped += t.skipped
        summary.tests -= self.synthetic
        summary.records = self.records
        self._check_declared(root, summary, "<testsuites>")

    def _check_declared(self, el: Any, frame: _Frame, where: str) -> None:
        get = el.get
        declared = parse_int(get("tests"))
        if declared is not None and declared not in (frame.tests, frame.records):
            self._mismatch(where, "tests", declared, frame.tests)
        failures, errors = parse_int(get("failures")), parse_int(get("errors"))
        if failures is not None or errors is not None:
            f, e = failures or 0, errors or 0
            # Runners disagree on failure versus error (pytest counts a teardown error apart),
            # so only a difference in their sum is a contradiction.
            if f + e != frame.failed + frame.errors:
                if failures is not None and f != frame.failed:
                    self._mismatch(where, "failures", f, frame.failed)
                if errors is not None and e != frame.errors:
                    self._mismatch(where, "errors", e, frame.errors)
        skipped = parse_int(get("skipped"))
        if skipped is None:
            skipped = parse_int(get("skip"))
        if skipped is not None:
            disabled = parse_int(get("disabled")) or 0
            if frame.skipped not in (skipped, skipped + disabled):
                self._mismatch(where, "skipped", skipped, frame.skipped)

    def _mismatch(self, where: str, what: str, declared: int, found: int) -> None:
        self.warnings.append(
            f"{self.path}: {where} declares {what}={declared} but holds {found}; the cases are counted"
        )


def _suite_error(frame: _Frame, kind: Result, message: str, text: str) -> TestCase:
    return TestCase(
        _SUITE_ERROR,
        frame.own,
        frame.name,
        result=kind,
        message=message[:MESSAGE_CAP] or first_line(text),
        details=bounded(text, DETAILS_CAP),
    )


def _status_result(get: Any) -> Result | None:
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
