from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import qtest


def cases_of(path):
    return {case.name: case for case in qtest.parse(path).cases()}


def test_each_data_row_is_a_case(fixture):
    cases = cases_of(fixture("qtest.xml"))
    assert cases["addition(positive)"].result is Result.PASSED
    assert cases["addition(zero)"].result is Result.PASSED
    failed = cases["addition(negative)"]
    assert failed.result is Result.FAILED
    assert failed.message == "Compared values are not the same"
    assert "Expected (expected)      : -5" in failed.details
    assert (failed.file, failed.line) == ("tst_calculator.cpp", 41)
    assert "QDEBUG: adding -2 and -3" in failed.stdout


def test_incident_types(fixture):
    cases = cases_of(fixture("qtest.xml"))
    assert cases["division"].result is Result.PASSED  # xfail is an expected failure
    assert "XFAIL: tst_calculator.cpp:55: rounding is not implemented yet" in cases["division"].stdout
    assert cases["overflow"].result is Result.FAILED  # xpass
    assert cases["overflow"].message.startswith("XPASS: ")
    assert cases["networkRates"].result is Result.SKIPPED
    assert cases["networkRates"].message == "no network in the sandbox"
    assert cases["flakyTimer"].result is Result.SKIPPED  # blacklisted failure
    assert cases["flakyTimer"].message.startswith("blacklisted (bfail)")


def test_totals_and_durations(fixture):
    parsed = qtest.parse(fixture("qtest.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed, parsed.totals.skipped) == (9, 5, 2, 2)
    suite = parsed.suites[0]
    assert suite.name == "tst_Calculator" and abs(suite.duration - 0.0061) < 1e-9
    rows = [c for c in parsed.cases() if c.name.startswith("addition(")]
    assert abs(sum(c.duration for c in rows) - 0.0015) < 1e-9


def test_qt6_skip_incident_and_qfatal(write_xml):
    path = write_xml(
        "qt6.xml",
        '<TestCase name="tst_Io"><Environment><QtVersion>6.6.0</QtVersion></Environment>'
        '<TestFunction name="readAll"><Incident type="skip" file="tst_io.cpp" line="9">'
        "<Description>no device</Description></Incident></TestFunction>"
        '<TestFunction name="crash"><Message type="qfatal" file="" line="0">'
        "<Description>ASSERT: index out of range</Description></Message></TestFunction>"
        '<TestFunction name="bless"><Incident type="bpass" file="" line="0"/></TestFunction></TestCase>',
    )
    cases = cases_of(path)
    assert cases["readAll"].result is Result.SKIPPED and cases["readAll"].line == 9
    assert cases["crash"].result is Result.ERROR and cases["crash"].message == "ASSERT: index out of range"
    assert cases["bless"].result is Result.PASSED


def test_failure_before_rows_stays_on_the_function(write_xml):
    path = write_xml(
        "untagged.xml",
        '<TestCase name="tst_T"><TestFunction name="f"><Incident type="fail" file="t.cpp" line="3">'
        "<Description>setup failed</Description></Incident>"
        '<Incident type="pass" file="" line="0"><DataTag>a</DataTag></Incident></TestFunction></TestCase>',
    )
    cases = cases_of(path)
    assert cases["f"].result is Result.FAILED and cases["f(a)"].result is Result.PASSED
