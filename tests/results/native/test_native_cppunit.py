from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import cppunit


def test_failure_types_and_counts(fixture):
    parsed = cppunit.parse(fixture("cppunit.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed, parsed.totals.errors) == (4, 2, 1, 1)
    cases = {case.id: case for case in parsed.cases()}
    assertion = cases["MoneyTest::testSubtract"]
    assert assertion.result is Result.FAILED
    assert assertion.message == "equality assertion failed"
    assert "- Actual  : 8" in assertion.details
    assert (assertion.file, assertion.line) == ("MoneyTest.cpp", 58)
    error = cases["ledger::LedgerTest::testLoad"]
    assert error.result is Result.ERROR
    assert (error.classname, error.name, error.file) == ("ledger::LedgerTest", "testLoad", None)


def test_suites_follow_the_fixture_class(fixture):
    parsed = cppunit.parse(fixture("cppunit.xml"))
    assert sorted(s.name for s in parsed.suites) == ["MoneyTest", "ledger::LedgerTest"]


def test_skipped_tests_and_names_without_fixture(write_xml):
    path = write_xml(
        "skips.xml",
        "<TestRun><FailedTests/><SuccessfulTests><Test id='1'><Name>plainTest</Name></Test></SuccessfulTests>"
        "<SkippedTests><Test id='2'><Name>Net::testPing</Name></Test></SkippedTests>"
        "<Statistics><Tests>2</Tests></Statistics></TestRun>",
    )
    cases = {case.name: case for case in cppunit.parse(path).cases()}
    assert cases["plainTest"].classname == "" and cases["plainTest"].result is Result.PASSED
    assert cases["testPing"].result is Result.SKIPPED
