"""frozen_twin.totals_of counts exactly as Totals.of does, on any mix of results, times and retries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testrelay.results.frozen_twin import totals_of
from testrelay.results.model import Attempt, Result, TestCase, Totals

_attempt = st.builds(Attempt, st.sampled_from(list(Result)), st.floats(0, 100))
_case = st.builds(
    TestCase,
    name=st.text(max_size=3),
    duration=st.one_of(st.floats(0, 1e6), st.sampled_from([0.1, 0.2, 0.3, 1e-9, 0.0])),
    result=st.sampled_from(list(Result)),
    attempts=st.lists(_attempt, max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_case, max_size=30))
def test_equals_the_model_count(cases: list[TestCase]) -> None:
    made = totals_of(tuple(cases))
    assert made == Totals.of(cases)
    assert type(made) is Totals
    # The same float additions in the same order: equal to the last bit, not only approximately.
    assert made.duration.hex() == Totals.of(cases).duration.hex()


def test_a_flaky_case_and_plain_strings_count_as_in_the_model() -> None:
    flaky = TestCase("a", result=Result.PASSED, attempts=(Attempt(Result.FAILED),))
    spelled = TestCase("b", result="skipped")  # type: ignore[arg-type]
    cases = (flaky, spelled, TestCase("c", result=Result.ERROR, duration=0.5))
    assert totals_of(cases) == Totals.of(cases) == Totals(3, 1, 0, 1, 1, 0.5, 1)


def test_a_result_outside_the_four_fails_as_in_the_model() -> None:
    cases = (TestCase("a"), TestCase("b", result="exploded"))  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        Totals.of(cases)
    with pytest.raises(KeyError):
        totals_of(cases)


_totals = st.builds(
    Totals,
    st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6),
    st.integers(0, 10**6), st.floats(0, 1e9), st.integers(0, 10**3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_totals, max_size=20))
def test_sum_adds_as_the_plus_operator_does(parts: list[Totals]) -> None:
    expected = Totals()
    for part in parts:
        expected = expected + part
    made = Totals.sum(iter(parts))
    assert made == expected and made.duration.hex() == expected.duration.hex()
