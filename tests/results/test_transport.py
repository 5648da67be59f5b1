from __future__ import annotations

import pickle

from testrelay.results import transport
from testrelay.results.model import Attempt, Problem, Result, ResultFile, TestCase, TestSuite


def sample() -> list:
    flaky = TestCase(
        name="retries", classname="app.NetTest", suite="net", file="tests/net.py", line=12, duration=1.5,
        result=Result.PASSED, stdout="out", attempts=(Attempt(Result.FAILED, 0.5, "timeout", "trace"),),
    )
    failed = TestCase(name="breaks", result=Result.FAILED, message="expected 1", details="at x\nat y")
    suite = TestSuite.of("net", [flaky, failed], timestamp="2026-11-26T14:03:00", hostname="ci")
    rf = ResultFile.of("r.xml", "junit", [suite], dialect="pytest", warnings=("odd",))
    return [(rf, [Problem("r.xml", "odd", line=3, column=4, fatal=False)]), (None, [Problem("x.xml", "bad")])]


def test_round_trip_keeps_every_field_and_type() -> None:
    data = sample()
    back = transport.loads(transport.dumps(data))
    assert back == data
    case = back[0][0].suites[0].cases[0]
    assert case.flaky and case.result is Result.PASSED and case.attempts[0].result is Result.FAILED
    assert back[0][0].totals.flaky == 1


def test_plain_pickle_is_left_as_it_was() -> None:
    case = sample()[0][0].suites[0].cases[0]
    # The reducers live in transport's own table: ordinary pickling still uses the dataclass's own state.
    assert b"_rebuild" not in pickle.dumps(case)
    assert b"_rebuild" in transport.dumps(case)


def test_round_trip_without_the_compiled_builder(monkeypatch) -> None:
    from testrelay.results import accelerated

    monkeypatch.setattr(accelerated, "build_cases", None)
    data = sample()
    assert transport.loads(transport.dumps(data)) == data


def test_a_suite_sends_each_case_once() -> None:
    # Cases travel as rows beside the suite's other fields, not also inside them.
    case = TestCase(name="a-name-sent-once", details="x" * 100)
    suite = TestSuite.of("s", [case])
    assert transport.dumps(suite).count(b"a-name-sent-once") == 1
    assert transport.loads(transport.dumps(suite)) == suite
