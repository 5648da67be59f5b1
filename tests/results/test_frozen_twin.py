"""The cheap constructors build records equal to the model's own, and just as frozen."""

from __future__ import annotations

import dataclasses

import pytest

from testrelay.results.frozen_twin import file_of, new_suite, twin_of
from testrelay.results.model import Result, ResultFile, TestCase, TestSuite, Totals


def _suite(name: str, *results: Result) -> TestSuite:
    cases = tuple(TestCase(f"t{i}", "K", name, duration=0.25, result=r) for i, r in enumerate(results))
    return new_suite(name, cases, Totals.of(cases), 1.5, "2024-01-01T00:00:00", "host", "out", "")


def test_new_suite_equals_the_dataclass_and_stays_frozen() -> None:
    suite = _suite("S", Result.PASSED, Result.FAILED)
    expected = TestSuite.of("S", suite.cases, duration=1.5, timestamp="2024-01-01T00:00:00", hostname="host",
                            stdout="out")
    assert type(suite) is TestSuite and suite == expected and hash(suite) == hash(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        suite.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_file_of_equals_result_file_of(count: int) -> None:
    suites = [_suite(f"S{i}", Result.PASSED, Result.SKIPPED, Result.ERROR) for i in range(count)]
    made = file_of("r.xml", "junit", suites, "surefire", ("a warning",))
    assert made == ResultFile.of("r.xml", "junit", suites, dialect="surefire", warnings=("a warning",))
    assert made.totals.tests == 3 * count and type(made.totals) is Totals


def test_a_class_the_twin_cannot_stand_for_is_built_as_usual() -> None:
    @dataclasses.dataclass(frozen=True)  # no slots: the retyping is refused
    class Plain:
        a: int
        b: str = ""

    assert twin_of(Plain, (1, "x")) is Plain
