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
from testrelay.results.model import Attempt, Result, TestCase, TestSuite, Totals

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
    # Plain cases are built in C, the failing one by Python's full_case and settled there.
    assert tracked["a"] is False and tracked["b"] is False and tracked["c"] is False
    # A case with a status goes the general Python way, which leaves it as Python leaves records.
    assert tracked["d"] is True
    assert gc.is_tracked(suite.cases)  # one of its cases is tracked, so the tuple must be


def test_a_suite_of_untracked_cases_holds_an_untracked_tuple(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text('<testsuite name="s"><testcase name="a"/><testcase name="b" time="2"/></testsuite>')
    suite = parse_junit(str(path)).suites[0]
    assert not gc.is_tracked(suite.cases)
    assert [c.name for c in suite.cases] == ["a", "b"]


def test_settle_keeps_a_tuple_tracked_while_any_item_is() -> None:
    plain = accelerated.unpack(accelerated.pack((TestCase("x"), TestCase("y", line=4))))
    assert not any(gc.is_tracked(c) for c in plain)
    assert not gc.is_tracked(plain)
    assert not gc.is_tracked(accelerated.settle(tuple(plain)))
    retried = TestCase("z", result=Result.PASSED, attempts=(Attempt(Result.FAILED),))
    assert gc.is_tracked(retried)
    mixed = accelerated.settle((*plain, retried))
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
    cases = accelerated.unpack(accelerated.pack((TestCase("x", classname="k", duration=1.5),)))
    suite = TestSuite.of("s", cases)
    gc.collect()
    assert suite.cases[0] == TestCase("x", classname="k", duration=1.5)
    assert hash(suite.cases[0]) == hash(TestCase("x", classname="k", duration=1.5))


def test_settle_takes_frozen_records_whose_contents_are_settled() -> None:
    from testrelay.results.frozen_twin import file_of, totals_of

    cases = accelerated.unpack(accelerated.pack((TestCase("x"), TestCase("y", result=Result.FAILED))))
    totals = totals_of(cases)
    assert not gc.is_tracked(totals)
    suite = accelerated.settle(TestSuite("s", cases, totals))
    assert not gc.is_tracked(suite)
    result_file = file_of("r.xml", "junit", [suite], "junit")
    assert not gc.is_tracked(result_file) and not gc.is_tracked(result_file.suites)


def test_settle_leaves_what_could_still_close_a_cycle() -> None:
    holder = [1]
    assert accelerated.settle(holder) is holder and gc.is_tracked(holder)  # mutable: never
    tracked_case = TestCase("z", attempts=(Attempt(Result.FAILED),))
    suite = accelerated.settle(TestSuite("s", (tracked_case,)))
    assert gc.is_tracked(suite) and gc.is_tracked(suite.cases)
    # A tuple field is settled on the way when its items are.
    loose = tuple([accelerated.unpack(accelerated.pack((TestCase("a"),)))[0]])
    assert gc.is_tracked(loose)
    suite = accelerated.settle(TestSuite("t", loose, accelerated.settle(Totals.of(loose))))
    assert not gc.is_tracked(suite) and not gc.is_tracked(loose)


def test_a_parse_leaves_almost_nothing_for_the_collector(tmp_path: Path) -> None:
    from testrelay.results.parse import parse

    body = "".join(
        f'<testcase name="t{i}" classname="app.T" time="0.1">'
        + ("<failure message='m'>trace</failure>" if i % 10 == 0 else "") + "</testcase>"
        for i in range(50)
    )
    for n in range(20):
        (tmp_path / f"r{n}.xml").write_text(f'<testsuite name="s{n}" tests="50">{body}</testsuite>')
    run = parse([str(tmp_path / "*.xml")], jobs=1, progress=False)
    records = [run.files, *run.files, *(s for f in run.files for s in f.suites)]
    records += [c for f in run.files for s in f.suites for c in s.cases]
    assert run.totals.tests == 1000 and run.totals.failed == 100
    assert not any(gc.is_tracked(r) for r in records[1:])
