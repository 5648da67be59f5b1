"""Each dialect fixture (a small file shaped like the tool's documented output) is recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results.junit import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "junit"

# fixture -> (dialect, tests, failed, errors, skipped, flaky)
EXPECTED = {
    "surefire.xml": ("surefire", 6, 2, 1, 1, 1),
    "gradle.xml": ("gradle", 3, 1, 0, 1, 0),
    "pytest.xml": ("pytest", 6, 1, 2, 1, 0),
    "phpunit.xml": ("phpunit", 4, 1, 0, 0, 0),
    "jest-junit.xml": ("jest-junit", 4, 1, 1, 1, 0),
    "mocha-junit-reporter.xml": ("mocha-junit-reporter", 3, 1, 1, 0, 0),
    "vitest.xml": ("vitest", 3, 0, 1, 0, 0),
    "node-test.xml": ("node-test", 5, 1, 1, 1, 0),
    "jasmine.xml": ("jasmine", 3, 1, 0, 1, 0),
    "go-junit-report.xml": ("go-junit-report", 3, 1, 0, 1, 0),
    "gotestsum.xml": ("gotestsum", 2, 1, 0, 0, 0),
    "cypress.xml": ("cypress", 2, 1, 0, 0, 0),
    "playwright.xml": ("playwright", 3, 1, 0, 0, 1),
    "karma.xml": ("karma", 2, 1, 0, 0, 0),
    "ctest.xml": ("ctest", 4, 1, 0, 2, 0),
    "bazel.xml": ("bazel", 1, 0, 1, 0, 0),
    "googletest.xml": ("googletest", 4, 1, 0, 2, 0),
    "android.xml": ("android", 2, 1, 0, 0, 0),
    "unittest-xml-reporting.xml": ("unittest-xml-reporting", 3, 0, 1, 1, 0),
    "times.xml": ("junit", 6, 0, 0, 0, 0),
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_dialect_and_totals(fixture):
    rf = parse(str(FIXTURES / fixture))
    dialect, tests, failed, errors, skipped, flaky = EXPECTED[fixture]
    t = rf.totals
    assert rf.dialect == dialect
    assert (t.tests, t.failed, t.errors, t.skipped, t.flaky) == (tests, failed, errors, skipped, flaky)
    assert t.passed == tests - failed - errors - skipped


def test_karma_keeps_suite_output_and_browser_classnames():
    rf = parse(str(FIXTURES / "karma.xml"))
    assert "app booted" in rf.suites[0].stdout
    assert all(c.classname.startswith("Chrome_Headless") for c in rf.cases())


def test_ctest_keeps_per_case_output():
    rf = parse(str(FIXTURES / "ctest.xml"))
    by_name = {c.name: c for c in rf.cases()}
    assert "REQUIRE( sock.ok() )" in by_name["unit_network"].stdout
    assert by_name["legacy_io"].message == "Disabled"
    assert rf.warnings == ()


def test_playwright_flaky_attempt_carries_the_trace():
    rf = parse(str(FIXTURES / "playwright.xml"))
    flaky = next(c for c in rf.cases() if c.flaky)
    assert flaky.name == "checkout › shows receipt"
    assert "checkout.spec.ts:18:5" in flaky.attempts[0].details
