from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import ctest


def cases_of(path):
    return {case.name: case for case in ctest.parse(path).cases()}


def test_status_mapping_and_test_list_is_not_counted(fixture):
    parsed = ctest.parse(fixture("ctest.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed, parsed.totals.skipped) == (4, 1, 2, 1)
    cases = cases_of(fixture("ctest.xml"))
    assert cases["fuzz_long"].result is Result.SKIPPED and cases["fuzz_long"].message == "Disabled"


def test_measurements(fixture):
    cases = cases_of(fixture("ctest.xml"))
    assert cases["lexer_test"].duration == 0.0423
    assert cases["lexer_test"].classname == "tests"
    assert cases["lexer_test"].stdout == "All 12 lexer checks passed"
    assert cases["parser_test"].message == "Failed (exit value 1)"
    assert cases["network_test"].message == "Timeout"


def test_compressed_output_is_decoded(fixture):
    case = cases_of(fixture("ctest.xml"))["parser_test"]
    assert "expected 3 tokens, got 2" in case.details
    assert case.details == case.stdout


def test_suite_is_the_build_with_its_host(fixture):
    (suite,) = ctest.parse(fixture("ctest.xml")).suites
    assert (suite.name, suite.hostname) == ("Linux-c++", "ci-runner-7")


def test_undecodable_output_is_kept_with_a_warning(write_xml):
    path = write_xml(
        "Test.xml",
        '<Site BuildName="b"><Testing><Test Status="failed"><Name>t</Name><Path>.</Path><Results>'
        '<Measurement><Value encoding="base64" compression="gzip">bm90IGRlZmxhdGVk</Value></Measurement>'
        "</Results></Test></Testing></Site>",
    )
    parsed = ctest.parse(path)
    (case,) = parsed.cases()
    assert case.stdout == "bm90IGRlZmxhdGVk"
    assert any("could not decode" in w for w in parsed.warnings)
