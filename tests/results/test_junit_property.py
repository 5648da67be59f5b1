"""Random well-formed JUnit documents parse back to exactly the totals they were written with."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from testrelay.results.junit import parse

# XML 1.0 allows no control characters; surrogates cannot be encoded. Everything else is fair game.
xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=30,
)
outcomes = st.sampled_from(["passed", "failure", "error", "skipped"])
case_st = st.tuples(xml_text, outcomes, st.floats(min_value=0, max_value=1e5, allow_nan=False), xml_text)
suite_st = st.tuples(xml_text, st.lists(case_st, max_size=8), st.booleans())


def write(suites, path: Path) -> dict[str, int]:
    totals = dict.fromkeys(("tests", "passed", "failure", "error", "skipped"), 0)
    duration = 0.0
    root = etree.Element("testsuites")
    for s_index, (s_name, cases, nested) in enumerate(suites):
        suite = etree.SubElement(root, "testsuite", name=s_name)
        holder = etree.SubElement(suite, "testsuite", name=f"{s_name}#inner") if nested else suite
        for c_index, (name, outcome, seconds, message) in enumerate(cases):
            # The index keeps names unique, so no case is taken for a rerun of another.
            tc = etree.SubElement(
                holder, "testcase", name=f"{name}#{s_index}.{c_index}", classname=name, time=repr(seconds)
            )
            if outcome != "passed":
                child = etree.SubElement(tc, outcome, message=message)
                child.text = message
            totals["tests"] += 1
            totals[outcome] += 1
            duration += seconds
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    totals["duration"] = duration  # type: ignore[assignment]
    return totals


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(suite_st, max_size=5))
def test_generated_documents_round_trip_totals(suites):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gen.xml"
        expected = write(suites, path)
        rf = parse(str(path))
    t = rf.totals
    assert t.tests == expected["tests"]
    assert t.passed == expected["passed"]
    assert t.failed == expected["failure"]
    assert t.errors == expected["error"]
    assert t.skipped == expected["skipped"]
    assert abs(t.duration - expected["duration"]) <= 1e-6 * max(1.0, expected["duration"])
    messages = {c.message for c in rf.cases() if c.result != "passed" and c.result != "skipped"}
    for _, cases, _ in suites:
        for _, outcome, _, message in cases:
            if outcome in ("failure", "error") and message.strip():
                assert message in messages or message.strip().splitlines()[0] in messages
