"""The compiled JUnit fast path builds exactly what the pure-Python reader builds.

The suite also runs tests/results once more with TESTRELAY_PURE_PYTHON=1 (scripts/test),
so every JUnit test holds for both readers; these tests compare the two directly.
"""

from __future__ import annotations

import io
import os
import pyexpat
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testrelay.results import accelerated, formats
from testrelay.results.model import TestCase
from testrelay.results.parse import Outcome, parse_one
from testrelay.results.xmlsource import MalformedXML

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PURE = os.environ.get("TESTRELAY_PURE_PYTHON", "") not in ("", "0")
pytestmark = pytest.mark.skipif(PURE, reason="the fast path is switched off in this run")


def both(path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Outcome]:
    """What `parse()` makes of the file (its ResultFile or None, and the problems named), fast and pure."""
    fast = parse_one(path)
    with monkeypatch.context() as m:
        m.setattr(accelerated, "FastParser", None)
        pure = parse_one(path)
    return fast, pure


def test_the_build_made_the_fast_path():
    # The test machine has a compiler and expat's headers: a missing extension is a build fault here.
    assert accelerated.FastParser is not None


def junit_fixtures() -> list[Path]:
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and formats.detect(str(path)) is not None and formats.detect(str(path)).name == "junit":
            found.append(path)
    return found


@pytest.mark.parametrize("path", junit_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_junit_fixture_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch):
    fast, pure = both(str(path), monkeypatch)
    assert fast == pure
    if fast[0] is not None:
        assert [type(c) for c in fast[0].cases()] == [TestCase] * fast[0].totals.tests


# Attribute values chosen to sit on both sides of what the fast path takes as plain.
LINES = [None, "12", "0012", " 7", "-3", "+4", "1_0", "x", "", "99999999999999999999", "\u0663"]
TIMES = [None, "0.5", "1.", ".5", "0", "1e-3", "1,234.5", "-1", "nan", "", "123456789012", " 2", ".", "1.2.3"]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), max_size=12)
CHILDREN = [
    "",
    "<failure message='boom'>trace &amp; more</failure>",
    "<skipped/>",
    "<system-out>out</system-out>",
    "<testcase name='inner'/>",
    "<!-- a comment -->",
    "\n  ",
    "<error><![CDATA[<x>]]></error>",
    "<properties><property name='p' value='v'/></properties>",
    "<rerunFailure message='m'><stackTrace>s</stackTrace></rerunFailure>",
]

case_st = st.fixed_dictionaries(
    {},
    optional={
        "name": TEXT,
        "classname": TEXT,
        "class": TEXT,
        "file": st.sampled_from(["", "a/b.py", "C:\\x\\y.cs", "\u00e9.py"]),
        "line": st.sampled_from([v for v in LINES if v is not None]),
        "time": st.sampled_from([v for v in TIMES if v is not None]),
        "status": st.sampled_from(["run", "skipped", "notrun", "failed"]),
        "disabled": st.sampled_from(["true", "false"]),
        "extra": TEXT,
    },
)
CHILDREN += ["<skipped message='why'>text<b/>after</skipped>", "<failure>a<![CDATA[b]]>c</failure>",
             "<system-err>e</system-err>", "<j:failure message='p'>t</j:failure>", "<other>x</other>"]
children_st = st.lists(st.sampled_from(CHILDREN), max_size=3).map("".join)
testcase_st = st.tuples(case_st, children_st, st.booleans())  # attributes, children, prefixed
suite_extra = st.sampled_from(["", "<system-out>s</system-out>"])
suite_st = st.tuples(TEXT, st.lists(testcase_st, max_size=6), st.booleans(), suite_extra)


def case_xml(attrs: dict[str, str], child: str, prefixed: bool) -> str:
    tag = "j:testcase" if prefixed else "testcase"
    text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{text}>{child}</{tag}>" if child else f"<{tag}{text}/>"


def document(suites: list, loose: list) -> str:
    parts = ["<?xml version='1.0' encoding='UTF-8'?>\n<testsuites xmlns:j='urn:j'>"]
    for name, cases, nested, extra in suites:
        inner = "".join(case_xml(*c) for c in cases)
        if nested:
            inner = f"<testsuite name={quoteattr(name + '#in')}>{inner}</testsuite>"
        parts.append(f"<testsuite name={quoteattr(name)} tests='{len(cases)}'>{extra}{inner}{escape('')}</testsuite>")
    parts.extend(case_xml(*c) for c in loose)
    parts.append("</testsuites>")
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(suite_st, max_size=4), st.lists(testcase_st, max_size=3))
def test_random_documents_read_the_same(suites: list, loose: list) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        path = Path(tmp) / "gen.xml"
        path.write_text(document(suites, loose), encoding="utf-8")
        fast, pure = both(str(path), monkeypatch)
    assert fast == pure


def test_a_large_file_read_in_chunks_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Over 1 MiB the file is fed to the parser in pieces, so cases and text straddle the pieces.
    cases = []
    for i in range(15_000):
        child = f"<failure message='m{i}'>{'x' * (i % 300)}</failure>" if i % 7 == 0 else ""
        cases.append(case_xml({"name": f"t{i}", "classname": f"c{i // 100}", "time": f"{i / 1000}"}, child, False))
    path = tmp_path / "big.xml"
    path.write_text(f"<testsuite name='s'>{''.join(cases)}</testsuite>", encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    fast, pure = both(str(path), monkeypatch)
    assert fast == pure
    assert fast[0] is not None and fast[0].totals.tests == 15_000


@pytest.mark.parametrize(
    "body",
    [
        "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY a 'x'>]><testsuite><testcase name='&a;'/></testsuite>",
        "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><testsuite>&e;</testsuite>",
    ],
)
def test_entity_declarations_are_refused(body: str, tmp_path: Path):
    path = tmp_path / "evil.xml"
    path.write_text(body)
    with pytest.raises(MalformedXML, match="entity and DTD declarations are not allowed"):
        formats.parse_file(str(path))


def test_a_malformed_file_is_named_as_pyexpat_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "cut.xml"
    path.write_text("<testsuite name='s'>\n<testcase name='a'/>\n<testcase name='b'>")
    with pytest.raises(MalformedXML) as fast:
        formats.parse_file(str(path))
    monkeypatch.setattr(accelerated, "FastParser", None)
    with pytest.raises(MalformedXML) as pure:
        formats.parse_file(str(path))
    where = (fast.value.reason, fast.value.line, fast.value.column)
    assert where == (pure.value.reason, pure.value.line, pure.value.column)


def test_a_handler_error_stops_the_parse_and_reaches_the_caller():
    parser = accelerated.FastParser()
    seen = []

    def start(name: str, attrs: dict[str, str]) -> None:
        seen.append(name)
        if name == "b":
            raise KeyError("from the handler")

    parser.StartElementHandler = start
    with pytest.raises(KeyError, match="from the handler"):
        parser.Parse(b"<a><b/><c/></a>", True)
    assert seen == ["a", "b"]


def test_plain_cases_go_to_the_list_and_the_rest_to_the_handlers():
    parser = accelerated.FastParser()
    events: list[tuple] = []
    parser.StartElementHandler = lambda name, attrs: events.append(("start", name, attrs))
    parser.EndElementHandler = lambda name: events.append(("end", name))
    parser.CharacterDataHandler = None
    cases: list[TestCase] = []
    parser.fast_cases(cases, "S", {})
    parser.Parse(
        b"<s><testcase name='a' classname='K' time='1.5' line='3' file='f.py'/>"
        b"<testcase name='b' time='1e3'/><testcase name='c'><skipped/></testcase></s>",
        True,
    )
    assert cases == [TestCase("a", "K", "S", "f.py", 3, 1.5)]
    assert events == [
        ("start", "s", {}),
        ("start", "testcase", {"name": "b", "time": "1e3"}),
        ("end", "testcase"),
        ("start", "testcase", {"name": "c"}),
        ("start", "skipped", {}),
        ("end", "skipped"),
        ("end", "testcase"),
        ("end", "s"),
    ]


def test_text_is_buffered_and_handed_over_whole():
    parser = accelerated.FastParser()
    parts: list[str] = []
    parser.CharacterDataHandler = parts.append
    parser.Parse(b"<a>one &amp; two\nthree<b/>four</a>", True)
    assert parts == ["one & two\nthree", "four"]


@pytest.mark.parametrize("doc", [b"<a><b></a>", b"<a>\n<b x='1' x='2'/></a>", b"<a>&nope;</a>", b"<a/><b/>"])
def test_expat_errors_are_pyexpat_errors_with_its_codes_and_places(doc: bytes):
    with pytest.raises(pyexpat.ExpatError) as ours:
        accelerated.FastParser().Parse(doc, True)
    with pytest.raises(pyexpat.ExpatError) as theirs:
        pyexpat.ParserCreate().Parse(doc, True)
    assert (ours.value.code, ours.value.lineno, ours.value.offset) == (
        theirs.value.code,
        theirs.value.lineno,
        theirs.value.offset,
    )
    assert str(ours.value) == str(theirs.value)


def test_a_handler_cannot_start_a_second_parse_on_the_same_parser():
    parser = accelerated.FastParser()

    def start(name: str, attrs: dict[str, str]) -> None:
        parser.ParseFile(io.BytesIO(b"<x/>"))

    parser.StartElementHandler = start
    with pytest.raises(RuntimeError, match="already parsing"):
        parser.Parse(b"<a/>", True)
