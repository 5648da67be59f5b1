"""Every fixture is detected as its own format, and foreign files with the same roots are not ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results import formats
from testrelay.results.native import FORMATS
from testrelay.results.xmlsource import MalformedXML

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "native"
EXPECTED = {
    "boosttest_log.xml": "boosttest",
    "boosttest_report.xml": "boosttest",
    "cppunit.xml": "cppunit",
    "qtest.xml": "qtest",
    "cunit.xml": "cunit",
    "ctest.xml": "ctest",
    "check.xml": "check",
    "unittestpp.xml": "unittestpp",
    "utpp.xml": "unittestpp",
    "gtester.xml": "gtester",
    "cpptest.xml": "cpptest",
    "cpptest10_unit.xml": "cpptest",
    "cpptest_datasource_rows.xml": "cpptest",
    "valgrind.xml": "valgrind",
}
NATIVE = {fmt.name for fmt in FORMATS}


def test_every_fixture_is_listed():
    assert {p.name for p in FIXTURES.glob("*.xml")} - {"malformed_qtest.xml"} == set(EXPECTED)


@pytest.mark.parametrize(("name", "format_name"), sorted(EXPECTED.items()))
def test_fixture_is_detected_as_its_own_format(name, format_name):
    path = str(FIXTURES / name)
    fmt = formats.detect(path)
    assert fmt is not None and fmt.name == format_name
    head = formats.head_of(path)
    claimed = [f.name for f in FORMATS if f.sniff(head)]
    assert claimed == [format_name]
    registry = formats.formats()
    position = [f.name for f in registry].index(format_name)
    # Formats sniffed before ours must not take the file (later, more general ones never see it).
    assert [f.name for f in registry[:position] if f.sniff(head)] == []
    assert formats.parse_file(path).format == format_name


FOREIGN = {
    "trx.xml": '<?xml version="1.0"?><TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">'
    "<Results/></TestRun>",
    "junit.xml": '<testsuites><testsuite name="a" tests="1"><testcase name="t"/></testsuite></testsuites>',
    "gtest.xml": '<testsuites tests="1" name="AllTests"><testsuite name="Math" tests="1">'
    '<testcase name="Add" status="run" result="completed" classname="Math"/></testsuite></testsuites>',
    "junit_suite.xml": '<testsuite name="a" tests="0"></testsuite>',
    "ctest_build.xml": '<Site BuildName="b"><Build><StartDateTime>x</StartDateTime></Build></Site>',
    "other_testcase.xml": '<TestCase id="3"><Step/></TestCase>',
    "plain.txt": "ok 1 - not xml",
}


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_foreign_files_are_not_claimed(tmp_path, name):
    path = tmp_path / name
    path.write_text(FOREIGN[name], encoding="utf-8")
    head = formats.head_of(str(path))
    assert [f.name for f in FORMATS if f.sniff(head)] == []


def test_registry_loads_the_native_package():
    names = [f.name for f in formats.formats()]
    assert set(names) >= NATIVE


def test_malformed_file_names_file_and_position():
    path = str(FIXTURES / "malformed_qtest.xml")
    fmt = formats.detect(path)
    assert fmt is not None and fmt.name == "qtest"
    with pytest.raises(MalformedXML) as caught:
        fmt.parse(path)
    assert caught.value.path == path and caught.value.line is not None
    assert str(caught.value).startswith(f"{path}:")


def test_wrong_root_is_a_clear_input_error(tmp_path):
    path = tmp_path / "log.xml"
    path.write_text("<gtester/>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        formats.by_name("valgrind").parse(str(path))
    assert str(path) in str(caught.value) and "<gtester>" in str(caught.value)


@pytest.mark.parametrize(("name", "format_name"), sorted(EXPECTED.items()))
def test_truncated_file_is_malformed_for_every_format(tmp_path, name, format_name):
    # What a runner killed mid-write leaves: the first part of a real file.
    data = (FIXTURES / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(MalformedXML) as caught:
        formats.by_name(format_name).parse(str(path))
    assert str(path) in str(caught.value)


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text('<!DOCTYPE x [<!ENTITY e "boom">]><unittest-results>&e;</unittest-results>', encoding="utf-8")
    with pytest.raises(MalformedXML):
        formats.by_name("unittestpp").parse(str(path))


def test_control_characters_in_output_are_removed_with_a_warning(tmp_path):
    # The parser runs a second time over the cleaned stream; its counts must not double.
    path = tmp_path / "qt.xml"
    path.write_text(
        '<TestCase name="tst_X"><TestFunction name="f"><Message type="qdebug" file="" line="0">'
        '<Description>bell \x07 rang</Description></Message><Incident type="pass" file="" line="0"/>'
        "</TestFunction></TestCase>",
        encoding="utf-8",
    )
    parsed = formats.parse_file(str(path))
    assert parsed.totals.tests == 1 and parsed.totals.passed == 1
    (case,) = parsed.cases()
    assert case.stdout == "QDEBUG: bell  rang"
    assert len(parsed.warnings) == 1 and "control characters" in parsed.warnings[0]
