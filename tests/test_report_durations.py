"""The report shows times as the runners declare them; cases run in parallel add up to more."""

from testrelay.report import build
from testrelay.results.model import ResultFile, TestCase, TestRun, TestSuite
from testrelay.results.schema import run_from_dict, run_to_dict


def xdist_run(declared: float | None) -> TestRun:
    # Eight workers: forty 1-second cases in about five seconds of wall time.
    cases = [TestCase(name=f"t{i}", classname="tests.test_api", duration=1.0) for i in range(40)]
    declared_suite = TestSuite.of("pytest", cases, duration=declared)
    other = TestSuite.of("undeclared", [TestCase(name="u", duration=2.0)])
    return TestRun.of([ResultFile.of("r.xml", "junit", [declared_suite, other])])


def test_declared_suite_times_win_over_case_sums():
    run = xdist_run(5.0)
    assert run.totals.duration == 42.0  # the parse keeps what the cases say
    assert run.wall_duration == 7.0
    report = build(run)
    assert report.totals.duration == 7.0
    assert [row.totals.duration for row in report.suites] == [5.0, 2.0]


def test_without_a_declared_time_the_cases_add_up():
    assert build(xdist_run(None)).totals.duration == 42.0


def test_the_baseline_and_the_delta_use_the_same_clock():
    report = build(xdist_run(5.0), baseline=xdist_run(9.0))
    assert report.baseline.duration == 11.0 and report.delta.duration == -4.0


def test_declared_times_survive_report_json():
    again = run_from_dict(run_to_dict(xdist_run(5.0), cases=True))
    assert again.wall_duration == 7.0
