"""One JUnit reader serves file after file: nothing a document leaves behind may reach the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results import junit
from testrelay.results.expat_source import new_parser, read_expat
from testrelay.results.frozen_twin import file_of
from testrelay.results.model import ResultFile
from testrelay.results.xmlsource import MalformedXML

FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures" / "junit").glob("*.xml"))

# State a reader could carry over: open properties, a suite-level output, loose cases, nested suites,
# a retry child, a held case with children, a declared count that is wrong, an unreadable time.
BUSY = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="outer" tests="9">
  <testcase name="loose" classname="top" time="oops"/>
  <testsuite name="A" tests="3" failures="1">
    <properties>
      <property name="go.version" value="go1.22.1 linux/amd64"/><property name="p">text</property>
    </properties>
    <testsuite name="A::inner" tests="1">
      <testcase name="t" classname="A" time="0.5">
        <failure message="boom" type="hookFailed">trace A:3</failure>
      </testcase>
    </testsuite>
    <testcase name="r" classname="A"><flakyFailure message="first">
      <stackTrace>at A:9</stackTrace></flakyFailure></testcase>
    <testcase name="r" classname="A" time="0.1"/>
    <system-out>suite output</system-out>
  </testsuite>
"""
PLAIN = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.PlainTest" tests="3" failures="1" skipped="1" time="0.3">
  <testcase name="a" classname="com.example.PlainTest" time="0.1"/>
  <testcase name="b" classname="com.example.PlainTest" time="0.1"><skipped/></testcase>
  <testcase name="c" classname="com.example.PlainTest" time="0.1">
    <failure message="expected 1" type="AssertionError">at PlainTest.c(PlainTest.java:12)</failure>
  </testcase>
</testsuite>
"""


def fresh(path: str) -> ResultFile:
    """The file read by a reader built for it alone."""
    (suites, dialect, warnings), xml_warnings = read_expat(path, lambda: junit._Reader(path), fast=True)
    return file_of(path, "junit", suites, dialect, tuple(xml_warnings + warnings))


def outcome(read: object, path: str) -> object:
    try:
        return read(path)  # type: ignore[operator]
    except MalformedXML as exc:
        return ("malformed", str(exc))


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_every_fixture_reads_the_same_after_any_other(order: str) -> None:
    paths = [str(p) for p in (FIXTURES if order == "forward" else FIXTURES[::-1])]
    assert len(paths) > 20
    expected = {p: outcome(fresh, p) for p in paths}
    junit._idle.clear()
    for p in paths:
        assert outcome(junit.parse, p) == expected[p], p
    # One reader did all of it: the reuse these tests are about really happened.
    assert len(junit._idle) == 1


# Cases under a root that is no suite: the reader keeps them in a frame of their own.
LOOSE = '<results><testcase name="stray" classname="x"/><testcase name="s2"><error message="e"/></testcase></results>'
# A <testsuites> root whose declared count is wrong: only a reader that closes the root itself says so.
OUTER = """<?xml version="1.0"?>
<testsuites tests="7">
  <testsuite name="one" tests="1"><testcase name="a" classname="k"/></testsuite>
  <testsuite name="two" tests="1"><testcase name="b" classname="k"/></testsuite>
</testsuites>
"""


@pytest.mark.parametrize("document", [BUSY + "</testsuites>", LOOSE], ids=["busy", "loose"])
def test_a_file_cut_short_anywhere_leaves_nothing_for_the_next(tmp_path: Path, document: str) -> None:
    plain, outer, cut = tmp_path / "plain.xml", tmp_path / "outer.xml", tmp_path / "cut.xml"
    plain.write_text(PLAIN, encoding="utf-8")
    outer.write_text(OUTER, encoding="utf-8")
    expected = [fresh(str(plain)), fresh(str(outer))]
    assert "declares tests=7" in " ".join(expected[1].warnings)
    for end in range(1, len(document), 7):
        cut.write_text(document[:end], encoding="utf-8")
        junit._idle.clear()
        outcome(junit.parse, str(cut))  # malformed, or read in part: whatever it left must not matter
        assert [junit.parse(str(plain)), junit.parse(str(outer))] == expected, document[:end]


def test_a_busy_file_then_a_plain_one_equal_fresh_reads(tmp_path: Path) -> None:
    busy = tmp_path / "busy.xml"
    busy.write_text(BUSY + "</testsuites>\n", encoding="utf-8")
    plain = tmp_path / "plain.xml"
    plain.write_text(PLAIN, encoding="utf-8")
    junit._idle.clear()
    first, second, third = junit.parse(str(busy)), junit.parse(str(plain)), junit.parse(str(busy))
    assert first == third == fresh(str(busy))
    assert first.dialect == "gotestsum" and first.warnings  # the clues and warnings of this file only
    assert second == fresh(str(plain))
    assert second.dialect == "junit" and not second.warnings


def test_a_parse_meanwhile_gets_a_reader_of_its_own(tmp_path: Path) -> None:
    busy = tmp_path / "busy.xml"
    busy.write_text(BUSY + "</testsuites>\n", encoding="utf-8")
    plain = tmp_path / "plain.xml"
    plain.write_text(PLAIN, encoding="utf-8")
    junit._idle.clear()
    junit._idle.append(junit._Reader())
    taken = junit._idle.pop().begin(str(busy))  # as junit.parse takes it, e.g. in another thread
    parser = new_parser()
    taken.attach(parser)
    data = busy.read_bytes()
    parser.Parse(data[: len(data) // 2], False)
    other = junit.parse(str(plain))  # no reader is idle: this one is built for it
    parser.Parse(data[len(data) // 2 :], True)
    taken.release()
    suites, dialect, warnings = taken.result()
    assert other == fresh(str(plain))
    assert file_of(str(busy), "junit", suites, dialect, tuple(warnings)) == fresh(str(busy))
