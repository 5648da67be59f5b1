from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import cpptest


def test_details_with_failure_reasons_from_violations(fixture):
    parsed = cpptest.parse(fixture("cpptest.xml"))
    assert parsed.dialect == "details"
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed) == (3, 2, 1)
    cases = {case.name: case for case in parsed.cases()}
    failed = cases["test_removeItem_1"]
    assert failed.result is Result.FAILED
    assert failed.classname == "TestSuite_Stock_cpp"
    assert failed.message == "Assertion failed: expected: 0, actual: 2"
    assert "at /Inventory/src/Stock.cpp:88" in failed.details
    assert (failed.file, failed.line) == ("/Inventory/tests/TestSuite_Stock_cpp.cpp", 37)
    assert cases["test_count_1"].duration == 1.5
    assert cases["test_addItem_1"].result is Result.PASSED  # an outcome record is not a failure
    assert {case.suite for case in parsed.cases()} == {"tests/TestSuite_Stock_cpp"}


def test_seconds():
    assert cpptest.seconds("0:00:01.500") == 1.5
    assert cpptest.seconds("1:02:03") == 3723
    assert cpptest.seconds("") == 0.0
    assert cpptest.seconds("n/a") == 0.0


def test_without_details_cases_come_from_violations(write_xml):
    path = write_xml(
        "report.xml",
        '<ResultsSession toolName="C++test"><Exec time="0:00:02"><ExecViols>'
        '<ExecViol cat="6" testCaseId="1" testId="CPP://1" testName="S::test_ok"><Thr><ThrPart clName="Outcome" '
        'detMsg="Outcome: int r=1"/></Thr></ExecViol>'
        '<ExecViol cat="2" testCaseId="2" testId="CPP://2" testName="S::test_bad" ln="9" locFile="/p/t.cpp">'
        '<Thr><ThrPart clName="Exception" detMsg="access violation"><Trace fileName="/p/a.cpp" ln="4"/>'
        "</ThrPart></Thr></ExecViol></ExecViols></Exec></ResultsSession>",
    )
    parsed = cpptest.parse(path)
    assert parsed.dialect == "violations"
    cases = {case.name: case for case in parsed.cases()}
    assert cases["test_ok"].result is Result.PASSED
    assert cases["test_bad"].result is Result.FAILED and cases["test_bad"].message == "access violation"
    assert (cases["test_bad"].file, cases["test_bad"].line) == ("/p/t.cpp", 9)


def test_testing_process_problem_is_an_error(write_xml):
    path = write_xml(
        "report.xml",
        '<ResultsSession toolName="C++test"><Exec><TestingProcessProblems><CppAnalysisProblem><ErrorList>'
        '<Error val="Linker failed: undefined reference to Stock::count"/></ErrorList></CppAnalysisProblem>'
        "</TestingProcessProblems></Exec></ResultsSession>",
    )
    (case,) = cpptest.parse(path).cases()
    assert case.result is Result.ERROR and "Linker failed" in case.message


def test_version_10_status_details_and_incomplete_tests(fixture):
    # C++test 10.x / DTP engine: ExecutedTestsDetails inside Exec, status="pass|fail|err", Detail per assertion.
    parsed = cpptest.parse(fixture("cpptest10_unit.xml"))
    t = parsed.totals
    assert (t.tests, t.passed, t.failed, t.errors) == (4, 2, 1, 1)
    cases = {case.name: case for case in parsed.cases()}
    failed = cases["ParsesCommaDecimal"]
    assert (failed.classname, failed.suite) == ("AmountTest", "AmountTest")
    assert (failed.file, failed.line) == ("Amount_test.cpp", 27)
    assert failed.message == 'Value of: parse("1,50") (and 1 more)'
    assert "Amount_test.cpp:28" in failed.details and "Expected: 0.05" in failed.details
    incomplete = cases["DISABLED_ReconcilesMonth"]
    assert (incomplete.result, incomplete.message) == (Result.ERROR, "incomplete")


def test_data_source_rows_are_cases_of_their_own(fixture):
    # C++test counts every <TestCase params="Data source row: N"> under a <Test> as one test (6 here, not 3).
    parsed = cpptest.parse(fixture("cpptest_datasource_rows.xml"))
    t = parsed.totals
    assert (t.tests, t.passed, t.failed, t.errors) == (6, 4, 2, 0)
    cases = {case.name: case for case in parsed.cases()}
    assert set(cases) == {
        "test_setpoint [Data source row: 1]",
        "test_setpoint [Data source row: 2]",
        "test_setpoint [Data source row: 3]",
        "test_clamp [Data source row: 1]",
        "test_clamp [Data source row: 2]",
        "test_reset",
    }
    assert len({case.id for case in parsed.cases()}) == 6  # rows stay apart across runs
    assert cases["test_setpoint [Data source row: 1]"].result is Result.PASSED  # an outcome record is not a failure
    assert cases["test_setpoint [Data source row: 1]"].duration == 0.001
    assert all(cases[f"test_clamp [Data source row: {n}]"].result is Result.PASSED for n in (1, 2))


def test_data_source_row_keeps_its_own_failure(fixture):
    cases = {case.name: case for case in cpptest.parse(fixture("cpptest_datasource_rows.xml")).cases()}
    assertion = cases["test_setpoint [Data source row: 2]"]
    assert assertion.result is Result.FAILED
    assert assertion.message == "Assertion failed: 30 == _return [ expected: 30 but was: 28 ]"
    assert (assertion.file, assertion.line) == ("Thermostat/tests/TestSuite_Controller_cpp.cpp", 42)
    assert assertion.duration == 0.002
    assert "Access violation" not in assertion.details
    crash = cases["test_setpoint [Data source row: 3]"]
    assert crash.result is Result.FAILED
    assert crash.message == "Access violation exception [CPPTEST_ACCESS_VIOLATION]"
    assert (crash.file, crash.line) == ("Thermostat/src/Controller.cpp", 17)
    assert "at Thermostat/tests/TestSuite_Controller_cpp.cpp:44" in crash.details
    assert crash.classname == "TestSuite_Controller_cpp" and crash.suite == "tests/TestSuite_Controller_cpp"


def test_data_source_row_failure_found_by_its_params_without_a_case_id(write_xml):
    path = write_xml(
        "report.xml",
        '<ResultsSession toolName="C++test"><ExecutedTestsDetails><Total><Project name="P"><TestSuite name="S">'
        '<Test id="CPP://9" name="S::test_div" pass="1" fail="1" total="2">'
        '<TestCase params="Data source row: 1" pass="1" fail="0" testId="CPP://9"/>'
        '<TestCase params="Data source row: 2" pass="0" fail="1" testId="CPP://9"/>'
        "</Test></TestSuite></Project></Total></ExecutedTestsDetails><Exec><ExecViols>"
        '<ExecViol cat="1" testId="CPP://9" testName="S::test_div" testParams="Data source row: 2" ln="8">'
        '<Thr><ThrPart clName="Assertion failed" detMsg="Assertion failed: 0 != d"/></Thr></ExecViol>'
        "</ExecViols></Exec></ResultsSession>",
    )
    cases = {case.name: case for case in cpptest.parse(path).cases()}
    assert cases["test_div [Data source row: 1]"].result is Result.PASSED
    assert cases["test_div [Data source row: 2]"].message == "Assertion failed: 0 != d"


def test_a_test_passed_by_all_its_rows_counts_them_as_passes(write_xml):
    # pass/fail on <Test> are counts: pass="3" fail="0" is a test whose three runs all passed.
    path = write_xml(
        "report.xml",
        '<ResultsSession toolName="C++test"><ExecutedTestsDetails><Total><Project name="P"><TestSuite name="S">'
        '<Test id="CPP://5" name="S::test_many" pass="3" fail="0" total="3"/>'
        "</TestSuite></Project></Total></ExecutedTestsDetails></ResultsSession>",
    )
    (case,) = cpptest.parse(path).cases()
    assert case.result is Result.PASSED


def test_without_details_data_source_rows_keep_their_row_in_the_name(write_xml):
    path = write_xml(
        "report.xml",
        '<ResultsSession toolName="C++test"><Exec><ExecViols>'
        '<ExecViol cat="1" testCaseId="71" testId="CPP://4" testName="S::test_rate" testParams="Data source row: 1">'
        '<Thr><ThrPart clName="Assertion failed" detMsg="Assertion failed: rate &gt; 0"/></Thr></ExecViol>'
        '<ExecViol cat="1" testCaseId="72" testId="CPP://4" testName="S::test_rate" testParams="Data source row: 2">'
        '<Thr><ThrPart clName="Assertion failed" detMsg="Assertion failed: rate &lt; 1"/></Thr></ExecViol>'
        "</ExecViols></Exec></ResultsSession>",
    )
    cases = {case.name: case for case in cpptest.parse(path).cases()}
    assert cases["test_rate [Data source row: 1]"].message == "Assertion failed: rate > 0"
    assert cases["test_rate [Data source row: 2]"].message == "Assertion failed: rate < 1"
