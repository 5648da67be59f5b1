from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import unittestpp


def test_failures_parse_file_line_and_text(fixture):
    parsed = unittestpp.parse(fixture("unittestpp.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed) == (4, 2, 2)
    cases = {case.id: case for case in parsed.cases()}
    split = cases["StringUtils::SplitOnComma"]
    assert split.result is Result.FAILED
    assert (split.file, split.line) == ("string_utils_test.cpp", 27)
    assert split.message == "Expected 3 but was 2 (and 1 more)"
    assert "string_utils_test.cpp(28) : Expected b but was c" in split.details
    assert cases["DefaultSuite::ParsesEmptyInput"].duration == 0.0004


def test_message_without_location_is_kept_whole(write_xml):
    path = write_xml(
        "r.xml",
        '<unittest-results tests="1"><test suite="" name="T"><failure message="boom"/></test></unittest-results>',
    )
    (case,) = unittestpp.parse(path).cases()
    assert (case.suite, case.message, case.file) == ("DefaultSuite", "boom", None)


def test_utpp_suites_and_milliseconds(fixture):
    # UTPP groups tests in <suite name=..> and writes time_ms instead of time.
    parsed = unittestpp.parse(fixture("utpp.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed) == (3, 2, 1)
    cases = {case.id: case for case in parsed.cases()}
    failed = cases["Geometry::PerimeterOfCircle"]
    assert (failed.suite, failed.file, failed.line) == ("Geometry", "geometry_test.cpp", 58)
    assert failed.duration == 0.041
    assert cases["Units::MetresToFeet"].duration == 0.002
