"""JUnit parsing semantics, each against a small fixture written for it."""

from __future__ import annotations

import pytest

from support.junit_fixtures import FIXTURES, case, load
from testrelay.results.formats import head_of
from testrelay.results.junit import FORMAT, parse
from testrelay.results.junit_values import DETAILS_CAP, OUTPUT_CAP, parse_seconds
from testrelay.results.model import Result
from testrelay.results.xmlsource import MalformedXML


def test_sniff_claims_junit_roots_only():
    assert FORMAT.name == "junit"
    assert FORMAT.sniff(head_of(str(FIXTURES / "pytest.xml")))
    assert FORMAT.sniff(head_of(str(FIXTURES / "surefire.xml")))  # bare <testsuite> with xsi attributes
    assert not FORMAT.sniff(head_of(str(FIXTURES / "check_ns.xml")))
    assert not FORMAT.sniff(head_of(str(FIXTURES / "not_junit.xml")))


def test_pytest_case_fields_and_errors_outside_tests():
    rf = load("pytest.xml")
    assert (rf.totals.tests, rf.totals.passed, rf.totals.failed, rf.totals.errors, rf.totals.skipped) == (6, 2, 1, 2, 1)
    login = case(rf, "test_login")
    where = (login.classname, login.suite, login.file, login.line)
    assert where == ("tests.test_api", "pytest", "tests/test_api.py", 11)
    assert login.duration == pytest.approx(0.12)
    assert login.result is Result.FAILED
    assert login.message.startswith("AssertionError: expected 200, got 500")
    assert "tests/test_api.py:13: AssertionError" in login.details
    assert "INFO login attempt" in login.stdout
    collection = case(rf, "tests.test_broken")
    assert collection.classname == "" and collection.result is Result.ERROR
    assert collection.message == "collection failure"
    teardown = case(rf, "test_migrate")
    assert teardown.result is Result.ERROR and "failed on teardown" in teardown.message
    skipped = case(rf, "test_vacuum")
    assert skipped.result is Result.SKIPPED and skipped.message == "needs postgres"
    assert rf.warnings == ()


def test_pytest_rerunfailures_repeated_records_fold_into_one_case():
    rf = load("pytest_rerunfailures.xml")
    assert rf.totals.tests == 3
    flaky = case(rf, "test_flaky_socket")
    assert flaky.result is Result.PASSED and flaky.flaky
    assert [a.result for a in flaky.attempts] == [Result.FAILED]
    down = case(rf, "test_always_down")
    assert down.result is Result.FAILED and not down.flaky
    assert len(down.attempts) == 2 and down.message == "ConnectionError: host unreachable"
    assert rf.totals.flaky == 1
    assert rf.warnings == ()  # pytest's tests="6" counts the records, which is not a contradiction


def test_surefire_flaky_rerun_and_multiple_failures():
    rf = load("surefire.xml")
    assert rf.dialect == "surefire"
    flaky = case(rf, "appliesDiscount")
    assert flaky.result is Result.PASSED and flaky.flaky
    (attempt,) = flaky.attempts
    assert attempt.result is Result.FAILED and attempt.message.startswith("expected: <90>")
    assert "CartTest.java:41" in attempt.details
    rerun = case(rf, "checksOut")
    assert rerun.result is Result.FAILED and not rerun.flaky
    assert [a.message for a in rerun.attempts] == ["timeout after 100 ms", "timeout after 100 ms (second rerun)"]
    double = case(rf, "rejectsNegative")
    assert double.message == "first assertion"
    assert "first trace" in double.details and "second trace" in double.details
    err = case(rf, "loadsFixtures")
    assert err.result is Result.ERROR
    assert err.stdout == "looking in src/test/resources" and err.stderr == "WARN no fixtures"
    assert case(rf, "exportsCsv").message == "CSV export disabled on CI"
    assert rf.totals.flaky == 1
    assert rf.warnings == ()


def test_phpunit_nested_suites_flatten_to_distinct_leaves():
    rf = load("phpunit.xml")
    names = sorted(s.name for s in rf.suites)
    assert names == ["Unit > App\\Tests\\MathTest", "Unit > App\\Tests\\MathTest::testAdd"]
    provider = next(s for s in rf.suites if s.name.endswith("::testAdd"))
    assert provider.totals.tests == 3 and provider.totals.failed == 1
    assert case(rf, 'testAdd with data set "negative"').suite == provider.name
    assert case(rf, "testSubtract").classname == "App.Tests.MathTest"
    assert rf.warnings == ()


def test_cases_directly_under_testsuites():
    rf = load("top_level_cases.xml")
    assert rf.totals.tests == 2 and rf.totals.errors == 1
    assert {c.suite for c in rf.cases()} == {"smoke"}


def test_durations_in_every_spelling():
    rf = load("times.xml")
    got = {c.name: c.duration for c in rf.cases()}
    assert got == {
        "plain": 1.5,
        "thousands": 1234.5,
        "decimal_comma": 0.25,
        "missing": 0.0,
        "garbage": 0.0,
        "european": 1234.5,
    }
    assert len(rf.warnings) == 1 and "about 3s" in rf.warnings[0] and "times.xml" in rf.warnings[0]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0.5", 0.5), ("1,234", 1234.0), ("0,123", 0.123), ("12,5", 12.5), ("nan", None), ("-1", None), ("x", None)],
)
def test_parse_seconds(text, seconds):
    assert parse_seconds(text) == seconds


def test_every_way_of_saying_skipped():
    rf = load("skips.xml")
    assert rf.totals.skipped == 5 and rf.totals.tests == 5
    assert case(rf, "skip_with_text").message == "flag off"


def test_googletest_status_and_result_attributes():
    rf = load("googletest.xml")
    assert case(rf, "DISABLED_Resizes").result is Result.SKIPPED
    assert case(rf, "NeedsNetwork").result is Result.SKIPPED
    assert case(rf, "IsEmptyInitially").result is Result.PASSED
    assert case(rf, "DequeueWorks").file == "queue_test.cc"
    assert rf.warnings == ()


@pytest.mark.parametrize(
    ("fixture", "name"),
    [
        ("mocha-junit-reporter.xml", 'API users "before all" hook for "deletes a user"'),
        ("node-test.xml", "after"),
        ("jest-junit.xml", "src/broken.test.js"),
        ("bazel.xml", "//server/auth:token_test"),
    ],
)
def test_hook_and_suite_failures_count_as_errors(fixture, name):
    assert case(load(fixture), name).result is Result.ERROR


def test_jest_junit_suite_that_failed_to_run_is_named_by_its_file_and_not_declared_as_a_test():
    rf = load("jest-junit.xml")
    broken = case(rf, "src/broken.test.js")
    assert broken.classname == "Test suite failed to run"
    assert broken.message == "Cannot find module './missing' from 'src/broken.test.js'"
    assert rf.warnings == ()  # the file declares tests="0" errors="1" for it, as jest-junit writes


def test_suite_level_error_element_becomes_an_error_case():
    rf = load("suite_level_error.xml")
    assert rf.totals.tests == 2 and rf.totals.errors == 1
    err = case(rf, "(suite error)")
    assert err.message == "Container startup failed" and "DbIT.java:12" in err.details
    assert rf.warnings == ()


def test_suite_that_failed_before_any_test_is_not_dropped():
    rf = load("vitest.xml")
    broken = next(s for s in rf.suites if s.name == "src/setup-fails.test.ts")
    assert broken.totals.errors == 1
    assert "does-not-exist" in broken.cases[0].details  # the suite's stderr is the only trace there is
    assert rf.totals.tests == 3


def test_declared_counts_that_contradict_the_cases_warn():
    rf = load("counts_mismatch.xml")
    assert rf.totals.tests == 2 and rf.totals.failed == 1
    text = "\n".join(rf.warnings)
    assert "counts_mismatch.xml" in text
    assert "suite 'liar' declares tests=4 but holds 2" in text
    assert "suite 'liar' declares failures=3 but holds 1" in text
    assert "<testsuites> declares tests=10 but holds 2" in text


def test_suite_output_is_kept():
    rf = load("gradle.xml")
    assert rf.suites[0].stdout.startswith("Parser warmed up")
    assert rf.suites[0].hostname == "gradle-worker"


def test_empty_file_parses_to_zero_tests():
    rf = load("empty.xml")
    assert rf.totals.tests == 0 and rf.format == "junit"


def test_malformed_xml_names_the_file_and_line():
    with pytest.raises(MalformedXML) as info:
        load("malformed.xml")
    assert "malformed.xml" in str(info.value) and info.value.line is not None


def test_huge_output_and_traces_are_bounded(tmp_path):
    out = "o" * (OUTPUT_CAP * 4)
    trace = "t" * (DETAILS_CAP * 2)
    path = tmp_path / "big.xml"
    path.write_text(
        f'<testsuite name="s"><testcase name="c" classname="k"><failure message="m">{trace}</failure>'
        f"<system-out>{out}</system-out><system-err>{out}</system-err></testcase>"
        f"<system-out>{out}</system-out></testsuite>"
    )
    rf = parse(str(path))
    (c,) = rf.cases()
    assert len(c.stdout) < OUTPUT_CAP + 100 and "truncated" in c.stdout
    assert len(c.stderr) < OUTPUT_CAP + 100
    assert len(c.details) < DETAILS_CAP + 100 and "truncated" in c.details
    assert len(rf.suites[0].stdout) < OUTPUT_CAP + 100


def test_namespaced_junit_is_read(tmp_path):
    path = tmp_path / "ns.xml"
    path.write_text(
        '<testsuites xmlns="urn:example:junit"><testsuite name="s">'
        '<testcase name="a" classname="k"><failure message="boom"/></testcase>'
        '<testcase name="b" classname="k"/></testsuite></testsuites>'
    )
    rf = parse(str(path))
    assert (rf.totals.tests, rf.totals.failed) == (2, 1)


def test_same_name_in_different_classes_are_different_tests(tmp_path):
    path = tmp_path / "dup.xml"
    path.write_text(
        '<testsuite name="s"><testcase name="test_init" classname="a"/>'
        '<testcase name="test_init" classname="b"><failure message="x"/></testcase>'
        '<testcase name="test_init" classname="b"/></testsuite>'
    )
    rf = parse(str(path))
    assert rf.totals.tests == 2
    assert rf.totals.flaky == 1
