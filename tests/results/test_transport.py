from __future__ import annotations

import contextlib
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testrelay.results import accelerated, transport
from testrelay.results.model import Attempt, Problem, Result, ResultFile, TestCase, TestSuite

compiled = pytest.mark.skipif(accelerated.pack is None, reason="the compiled module is not built")


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


def test_plain_pickle_is_left_as_it_was(monkeypatch) -> None:
    monkeypatch.setattr(accelerated, "pack", None)  # the pickle way, as without the compiled module
    case = sample()[0][0].suites[0].cases[0]
    # The reducers live in transport's own table: ordinary pickling still uses the dataclass's own state.
    assert b"_rebuild" not in pickle.dumps(case)
    assert b"_rebuild" in transport.dumps(case)


def test_round_trip_without_the_compiled_builder(monkeypatch) -> None:
    monkeypatch.setattr(accelerated, "build_cases", None)
    monkeypatch.setattr(accelerated, "pack", None)
    data = sample()
    assert transport.loads(transport.dumps(data)) == data


def test_a_suite_sends_each_case_once(monkeypatch) -> None:
    # Through pickle, cases travel as rows beside the suite's other fields, not also inside them.
    monkeypatch.setattr(accelerated, "pack", None)
    case = TestCase(name="a-name-sent-once", details="x" * 100)
    suite = TestSuite.of("s", [case])
    assert transport.dumps(suite).count(b"a-name-sent-once") == 1
    assert transport.loads(transport.dumps(suite)) == suite


def plain_cases() -> list[TestCase]:
    return [
        TestCase(name="passes", classname="app.UnitTest", suite="unit", duration=0.25),
        TestCase(name="fails", classname="app.UnitTest", suite="unit", file="tests/unit.py", line=40,
                 duration=1.0, result=Result.FAILED, message="expected 1", details="at x\nat y", stdout="log"),
        TestCase(name="errs \u00e9\u4e2d\U0001f600", classname="app.UnitTest", suite="unit", result=Result.ERROR,
                 stderr="boom", line=-3),
        TestCase(name="", classname="", suite="unit", result=Result.SKIPPED, message="not on this OS"),
    ]


@compiled
def test_a_chunk_of_results_travels_packed_and_comes_back_equal() -> None:
    data = sample()
    packed = transport.dumps(data)
    assert packed.startswith(accelerated.PACKED_PREFIX)  # written by the compiled packer, not pickle
    back = transport.loads(packed)
    assert back == data
    flaky = back[0][0].suites[0].cases[0]
    assert type(flaky) is TestCase and flaky.result is Result.PASSED and flaky.attempts[0].result is Result.FAILED
    assert back[1][1][0].fatal is True and back[0][1][0].fatal is False
    assert type(back) is list and type(back[0]) is tuple and type(back[0][1]) is list


@compiled
def test_packed_cases_keep_their_types_and_shared_strings() -> None:
    suite = TestSuite.of("unit", plain_cases())
    back = transport.loads(transport.dumps(suite))
    assert back == suite
    for was, now in zip(suite.cases, back.cases, strict=True):
        assert type(now) is TestCase and now.result is was.result
        assert type(now.line) is type(was.line) and type(now.duration) is float
    # A class name repeated in a suite arrives as one string, as the reader interned it.
    assert back.cases[0].classname is back.cases[1].classname


@compiled
@pytest.mark.parametrize(
    "odd",
    [
        TestCase(name="lone surrogate \udc80 from a broken file"),
        TestCase(name="huge line", line=2**70),
    ],
    ids=["surrogate", "huge-int"],
)
def test_what_the_packer_does_not_carry_goes_through_pickle(odd: TestCase) -> None:
    suite = TestSuite.of("unit", [*plain_cases(), odd])
    assert accelerated.pack(suite) is None
    data = transport.dumps([(ResultFile.of("r.xml", "junit", [suite]), [])])
    assert not data.startswith(accelerated.PACKED_PREFIX)
    assert transport.loads(data) == [(ResultFile.of("r.xml", "junit", [suite]), [])]


@compiled
def test_an_exception_from_a_worker_goes_through_pickle() -> None:
    back = transport.loads(transport.dumps(ValueError("reader fault in r.xml")))
    assert type(back) is ValueError and str(back) == "reader fault in r.xml"


@compiled
def test_values_nested_deeper_than_results_are_not_packed() -> None:
    deep: object = ()
    for _ in range(40):
        deep = (deep, 1)
    assert accelerated.pack(deep) is None
    assert transport.loads(transport.dumps(deep)) == deep


@compiled
def test_unpacking_damaged_data_raises_instead_of_reading_past_it() -> None:
    packed = accelerated.pack(sample())
    for cut in range(len(packed)):
        with pytest.raises(ValueError):
            accelerated.unpack(packed[:cut])
    with pytest.raises(ValueError, match="left over"):
        accelerated.unpack(packed + b"\x00")
    for at in range(4, len(packed)):  # past the header: any byte changed reads as some value or a ValueError
        damaged = bytearray(packed)
        damaged[at] ^= 0xFF
        with contextlib.suppress(ValueError):  # UnicodeDecodeError is one
            accelerated.unpack(bytes(damaged))


@compiled
def test_unpack_refuses_what_pack_did_not_write() -> None:
    with pytest.raises(ValueError, match="not data from pack"):
        accelerated.unpack(b"XXXX\x00")
    # A count the data cannot hold is refused before anything is allocated for it.
    with pytest.raises(ValueError, match="ends early"):
        accelerated.unpack(accelerated.PACKED_PREFIX + b"\x08\xff\xff\xff\xff")
    # Nesting deeper than pack() writes is refused before the stack runs out.
    with pytest.raises(ValueError, match="nest deeper"):
        accelerated.unpack(accelerated.PACKED_PREFIX + b"\x09\x01\x00\x00\x00" * 100_000 + b"\x00")


texts = st.text(max_size=30) | st.sampled_from(["", "app.Test", "tests/a.py"])
cases = st.builds(
    TestCase,
    name=texts,
    classname=texts,
    suite=st.sampled_from(["", "unit", "int\u00e9gration"]),
    file=st.none() | texts,
    line=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    duration=st.floats(allow_nan=False) | st.just(-0.0),
    result=st.sampled_from(list(Result)),
    message=texts,
    details=texts,
    stdout=texts,
    stderr=texts,
    attempts=st.lists(st.builds(Attempt, st.sampled_from(list(Result)), st.floats(allow_nan=False), texts),
                      max_size=2).map(tuple),
)


@compiled
@settings(max_examples=150, deadline=None)
@given(st.lists(cases, max_size=12), texts)
def test_any_results_round_trip_through_the_packer(sample_cases: list[TestCase], path: str) -> None:
    data = [(ResultFile.of(path, "junit", [TestSuite.of("s", sample_cases)]), [Problem(path, "odd", fatal=False)])]
    packed = accelerated.pack(data)
    if packed is None:  # only for what the packer leaves out: lone surrogates in a string
        texts_sent = [path, *(t for c in sample_cases for t in (c.name, c.classname, c.suite, c.file or "", c.message,
                                                               c.details, c.stdout, c.stderr))]
        texts_sent += [a.message for c in sample_cases for a in c.attempts]
        assert any("\ud800" <= ch <= "\udfff" for t in texts_sent for ch in t)
        return
    back = accelerated.unpack(packed)
    assert back == data
    cases_back = back[0][0].suites[0].cases
    assert [repr(c.duration) for c in cases_back] == [repr(c.duration) for c in sample_cases]  # -0.0, inf kept
