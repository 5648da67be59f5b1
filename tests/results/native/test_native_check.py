from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import check


def cases_of(path):
    return {case.name: case for case in check.parse(path).cases()}


def test_results_map_to_passed_failed_error(fixture):
    parsed = check.parse(fixture("check.xml"))
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed, parsed.totals.errors) == (5, 2, 2, 1)
    cases = cases_of(fixture("check.xml"))
    assert cases["test_money_free"].result is Result.ERROR
    assert cases["test_money_free"].message == "Received signal 11 (Segmentation fault)"
    assert cases["test_money_create"].message == ""  # Check writes "Passed" for every pass


def test_location_duration_and_tcase(fixture):
    cases = cases_of(fixture("check.xml"))
    added = cases["test_money_add"]
    assert (added.file, added.line, added.classname) == ("tests/check_money.c", 31, "Money")
    assert added.duration == 0.000112
    assert added.stdout == "tcase: Core"
    assert cases["test_money_free"].duration == 0.0  # -1: not timed


def test_loop_iterations_are_kept_apart(fixture):
    cases = cases_of(fixture("check.xml"))
    assert cases["test_money_currency[0]"].result is Result.PASSED
    assert cases["test_money_currency[1]"].result is Result.FAILED
