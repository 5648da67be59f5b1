"""Small hand-built runs for the report, render, template and budget tests."""

from __future__ import annotations

from datetime import UTC, datetime

from testrelay.report import ReportMeta
from testrelay.results.model import Attempt, Result, ResultFile, TestCase, TestRun, TestSuite

AT = datetime(2026, 11, 26, 14, 3, tzinfo=UTC)
META = ReportMeta(
    run_url="https://ci.example.com/runs/123",
    run_label="run #123",
    report_url="https://ci.example.com/runs/123/report.md",
    commit="abc1234def5678900000",
    branch="feature/login",
    baseline_label="main",
    generated_at=AT,
    comment_key="default",
)


def run_of(*cases: TestCase, files: int = 1) -> TestRun:
    """Cases grouped into suites by their `suite`, spread over `files` result files."""
    by_suite: dict[str, list[TestCase]] = {}
    for case in cases:
        by_suite.setdefault(case.suite, []).append(case)
    suites = [TestSuite.of(name, cs) for name, cs in by_suite.items()]
    groups = [suites[i::files] for i in range(files)]
    return TestRun.of(ResultFile.of(f"results/junit-{i}.xml", "junit", g) for i, g in enumerate(groups))


def passing(name: str, suite: str = "api", duration: float = 0.1, **kw: object) -> TestCase:
    return TestCase(name=name, classname="tests/test_api.py", suite=suite, duration=duration, **kw)  # type: ignore[arg-type]


def failing(name: str, suite: str = "api", message: str = "AssertionError: expected 200, got 500",
            details: str = "Traceback (most recent call last):\n  File \"tests/test_api.py\", line 42\nAssertionError",
            result: Result = Result.FAILED, **kw: object) -> TestCase:
    return TestCase(name=name, classname="tests/test_api.py", suite=suite, result=result, message=message,
                    details=details, file="tests/test_api.py", line=42, **kw)  # type: ignore[arg-type]


def flaky(name: str, suite: str = "ui", tries: int = 3) -> TestCase:
    return TestCase(name=name, classname="tests/test_ui.py", suite=suite,
                    attempts=tuple(Attempt(Result.FAILED, message="timeout") for _ in range(tries - 1)))


def green_run(n: int = 1204) -> TestRun:
    cases = [passing(f"test_{i}", suite=f"suite{i % 3}", duration=0.2) for i in range(n)]
    cases += [passing(f"test_skip_{i}", result=Result.SKIPPED) for i in range(12)]
    return run_of(*cases, files=3)


def baseline_and_current() -> tuple[TestRun, TestRun]:
    """main: login passes, cart fails, legacy exists. This run: login and search fail, cart fixed, legacy gone."""
    common = [passing(f"test_{i}") for i in range(1200)]
    base = run_of(*common, passing("test_login"), failing("test_cart"), passing("test_legacy"), failing("test_db"))
    now = run_of(*common, failing("test_login"), passing("test_cart"), failing("test_search", suite="search"),
                 failing("test_db", result=Result.ERROR, message="ConnectionError: refused"), flaky("test_button"))
    return base, now
