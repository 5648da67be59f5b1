from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import gtester


def test_paths_status_and_skips(fixture):
    parsed = gtester.parse(fixture("gtester.xml"))
    (suite,) = parsed.suites
    assert suite.name == "./test-list" and suite.duration == 0.012
    cases = {case.id: case for case in parsed.cases()}
    assert cases["list::append"].result is Result.PASSED
    assert cases["list::unicode"].result is Result.SKIPPED
    failed = cases["list/sort::stable"]
    assert failed.result is Result.FAILED
    assert failed.message.startswith("ERROR:test-list.c:88:test_sort_stable: assertion failed (a[i] <= a[i+1])")
    assert (failed.file, failed.line) == ("test-list.c", 88)
    assert failed.stdout == "sorting 1000 items"


def test_failed_status_without_error_text_reports_exit_status(write_xml):
    path = write_xml(
        "log.xml",
        '<gtester><testbinary path="./t"><testcase path="/a/b"><duration>0.1</duration>'
        '<status exit-status="1" n-forks="0" result="failed"/></testcase>'
        '<testcase path="/a/crash"><duration>0.0</duration></testcase></testbinary></gtester>',
    )
    cases = {case.name: case for case in gtester.parse(path).cases()}
    assert cases["b"].message == "exit status 1" and cases["b"].result is Result.FAILED
    assert cases["crash"].result is Result.ERROR
