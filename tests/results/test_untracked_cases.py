"""Cases that hold only strings, numbers, None and a Result stay out of the cycle collector's lists.

The first collection after a large parse otherwise visits every case read: the fast path and the
worker transport take such records off the lists when they build them (as CPython does for tuples).
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from testrelay.results import accelerated
from testrelay.results.junit import parse as parse_junit
from testrelay.results.model import Attempt, Result, TestCase, TestSuite

pytestmark = pytest.mark.skipif(accelerated.FastParser is None, reason="the compiled module is not built")

DOC = """<?xml version="1.0"?>
<testsuite name="unit" tests="4" failures="1">
  <testcase name="a" classname="app.T" time="0.5"/>
  <testcase name="b" classname="app.T" time="1" file="t.py" line="3"/>
  <testcase name="c" classname="app.T"><failure message="no">trace</failure></testcase>
  <testcase name="d" classname="app.T" status="run"/>
</testsuite>
"""


def test_plain_cases_read_by_the_fast_path_are_not_tracked(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(DOC)
    suite = parse_junit(str(path)).suites[0]
    tracked = {c.name: gc.is_tracked(c) for c in suite.cases}
    assert tracked["a"] is False and tracked["b"] is False
    # The failing case and the one with a status are built in Python and left as Python leaves them.
    assert tracked["c"] is True and tracked["d"] is True
    assert gc.is_tracked(suite.cases)  # one of its cases is tracked, so the tuple must be


def test_a_suite_of_untracked_cases_holds_an_untracked_tuple(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text('<testsuite name="s"><testcase name="a"/><testcase name="b" time="2"/></testsuite>')
    suite = parse_junit(str(path)).suites[0]
    assert not gc.is_tracked(suite.cases)
    assert [c.name for c in suite.cases] == ["a", "b"]


def test_settle_cases_keeps_a_tuple_tracked_while_any_item_is() -> None:
    plain = accelerated.unpack_cases(accelerated.pack_cases([TestCase("x"), TestCase("y", line=4)]))
    assert not any(gc.is_tracked(c) for c in plain)
    assert not gc.is_tracked(plain)
    assert not gc.is_tracked(accelerated.settle_cases(list(plain)))
    retried = TestCase("z", result=Result.PASSED, attempts=(Attempt(Result.FAILED),))
    assert gc.is_tracked(retried)
    mixed = accelerated.settle_cases([*plain, retried])
    assert gc.is_tracked(mixed) and mixed == (*plain, retried)


def test_rows_with_attempts_build_tracked_cases() -> None:
    attempts = (Attempt(Result.FAILED, 0.5, "timeout"),)
    plain, retried = accelerated.build_cases([
        ("a", "", "", None, None, 0.0, Result.PASSED, "", "", "", "", ()),
        ("b", "", "", None, None, 0.0, Result.PASSED, "", "", "", "", attempts),
    ])
    assert not gc.is_tracked(plain) and gc.is_tracked(retried)
    assert retried.attempts == attempts


def test_untracked_records_still_collect_and_compare() -> None:
    cases = accelerated.unpack_cases(accelerated.pack_cases([TestCase("x", classname="k", duration=1.5)]))
    suite = TestSuite.of("s", cases)
    gc.collect()
    assert suite.cases[0] == TestCase("x", classname="k", duration=1.5)
    assert hash(suite.cases[0]) == hash(TestCase("x", classname="k", duration=1.5))
