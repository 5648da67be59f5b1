"""The typed result model every parser produces and every later stage reads.

Values are frozen, slotted dataclasses: cheap enough to hold a million cases,
comparable in tests, and impossible to change behind a reader's back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


_ALL_RESULTS = tuple(Result)  # iterating the enum class itself is slow, and Totals.of runs once per suite


@dataclass(frozen=True, slots=True)
class Attempt:
    """One earlier try of a case that a runner retried (rerun, flaky failure)."""

    result: Result
    duration: float = 0.0
    message: str = ""
    details: str = ""


@dataclass(frozen=True, slots=True)
class TestCase:
    __test__ = False  # keep pytest from collecting the model as a test class

    name: str
    classname: str = ""
    suite: str = ""
    file: str | None = None
    line: int | None = None
    duration: float = 0.0
    result: Result = Result.PASSED
    message: str = ""
    details: str = ""
    stdout: str = ""
    stderr: str = ""
    attempts: tuple[Attempt, ...] = ()

    @property
    def flaky(self) -> bool:
        """Passed in the end after at least one failing attempt."""
        return self.result is Result.PASSED and any(
            a.result in (Result.FAILED, Result.ERROR) for a in self.attempts
        )

    @property
    def id(self) -> str:
        """Stable identity used to match a case across runs."""
        return f"{self.classname}::{self.name}" if self.classname else self.name


@dataclass(frozen=True, slots=True)
class Totals:
    tests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    duration: float = 0.0
    flaky: int = 0

    @classmethod
    def of(cls, cases: Iterable[TestCase]) -> Totals:
        counts = dict.fromkeys(_ALL_RESULTS, 0)
        duration = 0.0
        flaky = 0
        n = 0
        for case in cases:
            n += 1
            counts[case.result] += 1
            duration += case.duration
            if case.attempts and case.flaky:
                flaky += 1
        return cls(
            tests=n,
            passed=counts[Result.PASSED],
            failed=counts[Result.FAILED],
            errors=counts[Result.ERROR],
            skipped=counts[Result.SKIPPED],
            duration=duration,
            flaky=flaky,
        )

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            tests=self.tests + other.tests,
            passed=self.passed + other.passed,
            failed=self.failed + other.failed,
            errors=self.errors + other.errors,
            skipped=self.skipped + other.skipped,
            duration=self.duration + other.duration,
            flaky=self.flaky + other.flaky,
        )

    @classmethod
    def sum(cls, parts: Iterable[Totals]) -> Totals:
        # Field by field in the order of `+`, without a frozen record per part (a run holds thousands of files).
        tests = passed = failed = errors = skipped = flaky = 0
        duration = 0.0
        for part in parts:
            tests += part.tests
            passed += part.passed
            failed += part.failed
            errors += part.errors
            skipped += part.skipped
            duration += part.duration
            flaky += part.flaky
        return cls(tests, passed, failed, errors, skipped, duration, flaky)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.errors == 0


@dataclass(frozen=True, slots=True)
class TestSuite:
    """A leaf suite: nested suites are flattened, the outer names joined into `name`."""

    __test__ = False

    name: str
    cases: tuple[TestCase, ...] = ()
    totals: Totals = field(default_factory=Totals)
    duration: float | None = None  # as declared by the runner, when it declares one
    timestamp: str | None = None
    hostname: str | None = None
    stdout: str = ""  # output captured for the suite as a whole (JUnit's suite-level system-out)
    stderr: str = ""

    @classmethod
    def of(cls, name: str, cases: Iterable[TestCase], **extra: object) -> TestSuite:
        cases = tuple(cases)
        return cls(name=name, cases=cases, totals=Totals.of(cases), **extra)  # type: ignore[arg-type]

    @property
    def wall_duration(self) -> float:
        """The suite's time as its runner declares it, else the sum of its cases' times.

        They differ: tests run in parallel (pytest-xdist, Surefire forks) sum to more than the run took,
        and hooks (Cypress, mocha) take time no case carries.
        """
        return self.duration if self.duration else self.totals.duration


@dataclass(frozen=True, slots=True)
class ResultFile:
    """What one result file held, and what was odd about it."""

    path: str
    format: str  # e.g. "junit", "trx", "nunit3", "tap"
    suites: tuple[TestSuite, ...] = ()
    totals: Totals = field(default_factory=Totals)
    dialect: str | None = None  # e.g. "surefire", "pytest", "jest-junit"
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, path: str, format: str, suites: Iterable[TestSuite], **extra: object) -> ResultFile:
        suites = tuple(suites)
        return cls(
            path=path,
            format=format,
            suites=suites,
            totals=Totals.sum(s.totals for s in suites),
            **extra,  # type: ignore[arg-type]
        )

    def cases(self) -> Iterator[TestCase]:
        for suite in self.suites:
            yield from suite.cases


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be read, or could only be read in part."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    fatal: bool = True  # False: the file was read, with a warning

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class TestRun:
    """Everything one parse produced: the files read, and the problems met."""

    __test__ = False

    files: tuple[ResultFile, ...] = ()
    problems: tuple[Problem, ...] = ()
    totals: Totals = field(default_factory=Totals)

    @classmethod
    def of(cls, files: Iterable[ResultFile], problems: Iterable[Problem] = ()) -> TestRun:
        files = tuple(files)
        return cls(files=files, problems=tuple(problems), totals=Totals.sum(f.totals for f in files))

    @property
    def suites(self) -> Iterator[TestSuite]:
        for f in self.files:
            yield from f.suites

    @property
    def wall_duration(self) -> float:
        """The run's time as the runners declare it, suite by suite (see TestSuite.wall_duration)."""
        return sum(s.wall_duration for s in self.suites)

    def cases(self) -> Iterator[TestCase]:
        for f in self.files:
            yield from f.cases()
