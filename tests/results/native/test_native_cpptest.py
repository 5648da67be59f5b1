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
