from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import boosttest


def by_name(result_file):
    return {case.name: case for case in result_file.cases()}


def test_log_counts_error_as_failure_and_fatal_error_or_exception_as_error(fixture):
    parsed = boosttest.parse(fixture("boosttest_log.xml"))
    assert parsed.format == "boosttest" and parsed.dialect == "log"
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed) == (5, 1, 1)
    assert (parsed.totals.errors, parsed.totals.skipped) == (2, 1)
    cases = by_name(parsed)
    assert cases["normalize_zero"].result is Result.FAILED
    assert cases["parse_vector"].result is Result.ERROR
    assert cases["matrix_inverse"].result is Result.ERROR


def test_log_nested_suites_are_joined_with_slashes(fixture):
    parsed = boosttest.parse(fixture("boosttest_log.xml"))
    assert [s.name for s in parsed.suites] == ["geometry_tests", "geometry_tests/vector_suite"]
    assert by_name(parsed)["add_vectors"].id == "geometry_tests/vector_suite::add_vectors"


def test_log_message_location_context_and_output(fixture):
    case = by_name(boosttest.parse(fixture("boosttest_log.xml")))["normalize_zero"]
    assert case.message == "check n.length() == 1.0 has failed [0 != 1]"
    assert (case.file, case.line) == ("test_vector.cpp", 24)
    assert "context: input vector is (0, 0)" in case.details
    assert "[Message] test_vector.cpp:25: zero vector stays zero" in case.stdout


def test_log_testing_time_is_microseconds(fixture):
    cases = by_name(boosttest.parse(fixture("boosttest_log.xml")))
    assert abs(cases["normalize_zero"].duration - 0.00221) < 1e-9
    assert abs(cases["add_vectors"].duration - 0.000143) < 1e-9


def test_log_exception_keeps_last_checkpoint(fixture):
    case = by_name(boosttest.parse(fixture("boosttest_log.xml")))["parse_vector"]
    assert "std::invalid_argument: bad coordinate" in case.message
    assert "last checkpoint: test_vector.cpp:32" in case.details


def test_log_skipped_case_keeps_reason(fixture):
    case = by_name(boosttest.parse(fixture("boosttest_log.xml")))["slow_projection"]
    assert case.result is Result.SKIPPED and case.message == "disabled"


def test_report_maps_results(fixture):
    parsed = boosttest.parse(fixture("boosttest_report.xml"))
    assert parsed.dialect == "report"
    cases = by_name(parsed)
    assert cases["add_vectors"].result is Result.PASSED
    assert cases["normalize_zero"].result is Result.FAILED
    assert cases["normalize_zero"].message == "1 assertion(s) failed"
    assert cases["parse_vector"].result is Result.ERROR
    assert cases["slow_projection"].result is Result.SKIPPED
    assert (parsed.totals.tests, parsed.totals.failed, parsed.totals.errors) == (5, 2, 1)


def test_report_nested_suites_are_joined_with_slashes(fixture):
    parsed = boosttest.parse(fixture("boosttest_report.xml"))
    assert [s.name for s in parsed.suites] == ["geometry_tests/vector_suite", "geometry_tests"]
    assert by_name(parsed)["slow_projection"].suite == "geometry_tests"


def test_log_without_cases_is_empty(write_xml):
    parsed = boosttest.parse(write_xml("empty.xml", '<TestLog><TestSuite name="m"></TestSuite></TestLog>'))
    assert parsed.totals.tests == 0 and parsed.suites == ()


def test_failing_suite_fixture_is_an_error_case(write_xml):
    path = write_xml(
        "fixture.xml",
        '<TestLog><TestSuite name="db"><Exception file="db_test.cpp" line="8"><![CDATA[cannot open database]]>'
        '</Exception><TestCase name="query" skipped="yes" reason="fixture failed"/></TestSuite></TestLog>',
    )
    cases = by_name(boosttest.parse(path))
    fixture = cases["suite fixture"]
    assert fixture.result is Result.ERROR and fixture.message == "cannot open database"
    assert (fixture.suite, fixture.file, fixture.line) == ("db", "db_test.cpp", 8)
    assert cases["query"].result is Result.SKIPPED
