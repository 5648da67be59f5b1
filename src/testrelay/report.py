"""The Report: what a reader of a comment or summary needs, built once from a TestRun.

Templates see only this value. It holds no cases beyond the few it lists, so it stays
small for a million-case run, and it round-trips through report.json, so
`testrelay render` can rebuild it without the result files.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .report_delta import CaseRef, Changes, Delta, compare
from .report_trim import first_line, trim_trace
from .results import schema
from .results.model import Result, TestCase, TestRun, Totals

__all__ = [
    "Annotation",
    "CaseRef",
    "Changes",
    "Delta",
    "Failure",
    "FlakyTest",
    "Report",
    "ReportMeta",
    "SlowTest",
    "SuiteRow",
    "Verdict",
    "build",
    "from_document",
    "to_document",
]

MESSAGE_CHARS = 200
TRACE_LINES = 40
TRACE_CHARS = 4000
MAX_LISTED = 100  # names kept per list (flaky, fixed, added, ...); the counts stay exact
# Annotations point at the failing line in a diff view; past a thousand nobody reads them, and each 50
# cost GitHub one more request.
MAX_ANNOTATIONS = 1000


class Verdict(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NO_TESTS = "no tests"


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What the templates show that the parse cannot know."""

    run_url: str | None = None
    run_label: str = "run"  # the link text of run_url, e.g. "run #123"
    report_url: str | None = None
    commit: str | None = None
    branch: str | None = None
    baseline_label: str | None = None  # e.g. "main"
    generated_at: datetime | None = None  # UTC
    comment_key: str = "default"

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__slots__}
        d["generated_at"] = self.generated_at.isoformat() if self.generated_at else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReportMeta:
        at = d.get("generated_at")
        return cls(
            run_url=d.get("run_url"),
            run_label=str(d.get("run_label") or "run"),
            report_url=d.get("report_url"),
            commit=d.get("commit"),
            branch=d.get("branch"),
            baseline_label=d.get("baseline_label"),
            generated_at=datetime.fromisoformat(at) if at else None,
            comment_key=str(d.get("comment_key") or "default"),
        )


@dataclass(frozen=True, slots=True)
class Failure:
    id: str
    suite: str
    result: Result  # failed or error
    message: str  # first line, trimmed
    trace: str  # trimmed
    file: str | None = None
    line: int | None = None
    duration: float = 0.0
    new: bool = False  # failing now, not failing in the baseline (False without a baseline)

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True, slots=True)
class Annotation:
    """A failing case that names its source file: where a code view can point at it."""

    file: str
    line: int | None
    title: str  # the case id
    message: str
    result: Result

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "title": self.title, "message": self.message,
                "result": self.result.value}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Annotation:
        return cls(file=str(d["file"]), line=d.get("line"), title=str(d.get("title", "")),
                   message=str(d.get("message", "")), result=Result(d.get("result", "failed")))


@dataclass(frozen=True, slots=True)
class SlowTest:
    id: str
    suite: str
    duration: float
    result: Result


@dataclass(frozen=True, slots=True)
class FlakyTest:
    id: str
    suite: str
    attempts: int  # tries in all, the final passing one included


@dataclass(frozen=True, slots=True)
class SuiteRow:
    name: str
    totals: Totals


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    verdict: Verdict
    totals: Totals
    baseline: Totals | None = None
    failures: tuple[Failure, ...] = ()
    failures_omitted: int = 0
    slowest: tuple[SlowTest, ...] = ()
    suites: tuple[SuiteRow, ...] = ()
    flaky: tuple[FlakyTest, ...] = ()
    files: int = 0
    suite_count: int = 0
    problems: tuple[str, ...] = ()
    delta: Delta | None = None
    meta: ReportMeta = field(default_factory=ReportMeta)
    show_table: bool = False  # all green still gets the full table
    left_out: tuple[str, ...] = ()  # what size budgeting dropped, said in one line at the end
    # Every failing case with a source file (up to MAX_ANNOTATIONS), not only the ones listed in full.
    annotations: tuple[Annotation, ...] = ()
    annotations_omitted: int = 0

    @property
    def failing(self) -> int:
        return self.totals.failed + self.totals.errors

    @property
    def new_failures(self) -> int:
        return self.delta.newly_failing.total if self.delta else 0

    @property
    def baseline_label(self) -> str:
        return self.meta.baseline_label or "baseline"

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "verdict": self.verdict.value,
            "totals": schema.totals_to_dict(self.totals),
            "baseline": schema.totals_to_dict(self.baseline) if self.baseline else None,
            "failures": [_failure_to_dict(f) for f in self.failures],
            "failures_omitted": self.failures_omitted,
            "slowest": [
                {"id": s.id, "suite": s.suite, "duration": round(s.duration, 6), "result": s.result.value}
                for s in self.slowest
            ],
            "suites": [{"name": s.name, **schema.totals_to_dict(s.totals)} for s in self.suites],
            "flaky": [{"id": f.id, "suite": f.suite, "attempts": f.attempts} for f in self.flaky],
            "files": self.files,
            "suite_count": self.suite_count,
            "problems": list(self.problems),
            "delta": self.delta.to_dict() if self.delta else None,
            "meta": self.meta.to_dict(),
            "show_table": self.show_table,
            "left_out": list(self.left_out),
            "annotations": [a.to_dict() for a in self.annotations],
            "annotations_omitted": self.annotations_omitted,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        return cls(
            title=str(d.get("title", "Test results")),
            verdict=Verdict(d["verdict"]),
            totals=schema.totals_from_dict(d["totals"]),
            baseline=schema.totals_from_dict(d["baseline"]) if d.get("baseline") else None,
            failures=tuple(_failure_from_dict(f) for f in d.get("failures", ())),
            failures_omitted=int(d.get("failures_omitted", 0)),
            slowest=tuple(
                SlowTest(id=s["id"], suite=s.get("suite", ""), duration=float(s.get("duration", 0.0)),
                         result=Result(s.get("result", "passed")))
                for s in d.get("slowest", ())
            ),
            suites=tuple(SuiteRow(name=s["name"], totals=schema.totals_from_dict(s)) for s in d.get("suites", ())),
            flaky=tuple(
                FlakyTest(id=f["id"], suite=f.get("suite", ""), attempts=int(f.get("attempts", 2)))
                for f in d.get("flaky", ())
            ),
            files=int(d.get("files", 0)),
            suite_count=int(d.get("suite_count", 0)),
            problems=tuple(str(p) for p in d.get("problems", ())),
            delta=Delta.from_dict(d["delta"]) if d.get("delta") else None,
            meta=ReportMeta.from_dict(d.get("meta") or {}),
            show_table=bool(d.get("show_table", False)),
            left_out=tuple(str(x) for x in d.get("left_out", ())),
            annotations=tuple(Annotation.from_dict(a) for a in d.get("annotations", ())),
            annotations_omitted=int(d.get("annotations_omitted", 0)),
        )


def _failure_to_dict(f: Failure) -> dict[str, Any]:
    return {
        "id": f.id, "suite": f.suite, "result": f.result.value, "message": f.message, "trace": f.trace,
        "file": f.file, "line": f.line, "duration": round(f.duration, 6), "new": f.new,
    }


def _failure_from_dict(d: dict[str, Any]) -> Failure:
    return Failure(
        id=str(d["id"]), suite=str(d.get("suite", "")), result=Result(d.get("result", "failed")),
        message=str(d.get("message", "")), trace=str(d.get("trace", "")), file=d.get("file"),
        line=d.get("line"), duration=float(d.get("duration", 0.0)), new=bool(d.get("new", False)),
    )


def _verdict(totals: Totals) -> Verdict:
    if totals.tests == 0:
        return Verdict.NO_TESTS
    return Verdict.PASSED if totals.ok else Verdict.FAILED


def _failure(case: TestCase, new: bool) -> Failure:
    message = first_line(case.message) or first_line(case.details)
    return Failure(
        id=case.id,
        suite=case.suite,
        result=case.result,
        message=message if len(message) <= MESSAGE_CHARS else message[: MESSAGE_CHARS - 1] + "…",
        trace=trim_trace(case.details, max_lines=TRACE_LINES, max_chars=TRACE_CHARS),
        file=case.file,
        line=case.line,
        duration=case.duration,
        new=new,
    )


def build(
    run: TestRun,
    *,
    baseline: TestRun | None = None,
    max_failures: int = 20,
    slowest: int = 10,
    title: str = "Test results",
    meta: ReportMeta | None = None,
    show_table: bool = False,
) -> Report:
    """Everything the templates show, in one pass over the run's cases."""
    meta = meta or ReportMeta()
    if meta.generated_at is None:
        meta = replace(meta, generated_at=datetime.now(UTC).replace(microsecond=0))
    delta = compare(run, baseline, max_listed=MAX_LISTED) if baseline is not None else None
    newly_failing = delta.failing_keys if delta else frozenset()

    failing: list[TestCase] = []
    flaky: list[FlakyTest] = []
    slow_heap: list[tuple[float, int, TestCase]] = []
    for n, case in enumerate(run.cases()):
        if case.result in (Result.FAILED, Result.ERROR):
            failing.append(case)
        elif case.attempts and case.flaky and len(flaky) < MAX_LISTED:
            flaky.append(FlakyTest(id=case.id, suite=case.suite, attempts=len(case.attempts) + 1))
        if slowest > 0:
            item = (case.duration, -n, case)
            if len(slow_heap) < slowest:
                heapq.heappush(slow_heap, item)
            elif item[:2] > slow_heap[0][:2]:
                heapq.heapreplace(slow_heap, item)

    def is_new(case: TestCase) -> bool:
        return (case.suite, case.id) in newly_failing

    # New first, then by suite; the run's own order within a suite.
    failing.sort(key=lambda c: (not is_new(c), c.suite))
    kept = [_failure(c, is_new(c)) for c in failing[: max(max_failures, 0)]]
    located = [c for c in failing if c.file]
    annotations = tuple(_annotation(c) for c in located[:MAX_ANNOTATIONS])
    slow = [
        SlowTest(id=c.id, suite=c.suite, duration=c.duration, result=c.result)
        for _, _, c in sorted(slow_heap, key=lambda item: item[:2], reverse=True)
    ]
    return Report(
        title=title,
        verdict=_verdict(run.totals),
        # Times as the runners declare them: a parallel run's cases add up to more than it took.
        totals=replace(run.totals, duration=run.wall_duration),
        baseline=replace(baseline.totals, duration=baseline.wall_duration) if baseline is not None else None,
        failures=tuple(kept),
        failures_omitted=len(failing) - len(kept),
        slowest=tuple(slow),
        suites=tuple(SuiteRow(name=s.name, totals=replace(s.totals, duration=s.wall_duration)) for s in run.suites),
        flaky=tuple(flaky),
        files=len(run.files),
        suite_count=sum(len(f.suites) for f in run.files),
        problems=tuple(str(p) for p in run.problems),
        delta=delta,
        meta=meta,
        show_table=show_table,
        annotations=annotations,
        annotations_omitted=len(located) - len(annotations),
    )


def _annotation(case: TestCase) -> Annotation:
    message = case.message or first_line(case.details) or case.result.value
    return Annotation(file=case.file or "", line=case.line, title=case.id, result=case.result,
                      message=message if len(message) <= 4 * MESSAGE_CHARS else message[: 4 * MESSAGE_CHARS - 1] + "…")


def to_document(run: TestRun, report: Report) -> dict[str, Any]:
    """The content of report.json."""
    return {"results": schema.run_to_dict(run, cases=True), "report": report.to_dict()}


def from_document(d: Any, *, source: str = "report.json") -> Report:
    """The Report stored in report.json; a clear InputError when the file is not one."""
    from .errors import InputError

    if not isinstance(d, dict) or not isinstance(d.get("report"), dict):
        raise InputError(f"{source}: no \"report\" object in it; pass a report.json written by testrelay")
    try:
        return Report.from_dict(d["report"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: malformed report ({exc.__class__.__name__}: {exc})") from None
