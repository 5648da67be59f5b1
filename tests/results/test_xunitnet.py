"""xUnit.net v1 and v2: results, cleanup errors, suites, totals, sniffing, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results import xunitnet
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result
from testrelay.results.xmlsource import MalformedXML

FIXTURES = Path(__file__).parent.parent / "fixtures" / "xunitnet"


def _one(test: str, assembly_attrs: str = "") -> str:
    return (
        f'<assemblies><assembly name="A.dll"{assembly_attrs}><collection name="C">{test}</collection>'
        "</assembly></assemblies>"
    )


def _write(tmp_path: Path, text: str, name: str = "results.xml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_v2_fixture_counts_tests_and_cleanup_errors() -> None:
    f = xunitnet.parse_v2(str(FIXTURES / "xunit2.xml"))
    assert f.format == "xunit2"
    t = f.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (8, 3, 1, 2, 2)
    assert f.warnings == ()  # total="6" counts the tests, not the cleanup errors
    cases = {c.name: c for c in f.cases()}
    failed = cases["Ship_MoreThanStock_Throws(quantity: 11)"]
    assert failed.classname == "Inventory.Tests.WarehouseTests"
    assert failed.suite == "Inventory.Tests.dll / Test collection for Inventory.Tests.WarehouseTests"
    assert failed.message.startswith("Assert.Throws() Failure")
    assert "WarehouseTests.cs:line 44" in failed.details
    assert failed.stdout == "stock before: 10"
    assert failed.duration == pytest.approx(0.015)
    passed = cases["Receive_AddsStock"]
    assert passed.file and passed.file.endswith("WarehouseTests.cs") and passed.line == 18
    assert cases["Audit_Nightly"].message == "Runs only in the nightly pipeline"
    assert cases["Benchmark_Parse"].result is Result.SKIPPED  # NotRun
    cleanup = cases["test-class-cleanup: Inventory.Tests.WarehouseTests"]
    assert cleanup.result is Result.ERROR and "disposed object" in cleanup.message
    assert cases["assembly-cleanup: Inventory.Tests.dll"].result is Result.ERROR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Pass", Result.PASSED), ("Fail", Result.FAILED), ("Skip", Result.SKIPPED), ("NotRun", Result.SKIPPED)],
)
def test_v2_result_mapping(tmp_path: Path, raw: str, expected: Result) -> None:
    text = _one(f'<test name="N.K.T" type="N.K" result="{raw}" time="1,5"/>')
    (case,) = xunitnet.parse_v2(_write(tmp_path, text)).cases()
    assert (case.result, case.name, case.classname, case.duration) == (expected, "T", "N.K", 1.5)


def test_v2_unknown_result_is_error_with_warning(tmp_path: Path) -> None:
    text = _one('<test name="T" result="Weird"/>')
    f = xunitnet.parse_v2(_write(tmp_path, text))
    assert [c.result for c in f.cases()] == [Result.ERROR] and "'Weird'" in f.warnings[0]


def test_v2_declared_total_mismatch_warns(tmp_path: Path) -> None:
    text = _one('<test name="T" result="Pass"/>', ' total="5"')
    f = xunitnet.parse_v2(_write(tmp_path, text))
    assert f.totals.tests == 1
    assert len(f.warnings) == 1 and "results.xml" in f.warnings[0] and "5" in f.warnings[0]


def test_v1_fixture_with_class_failure() -> None:
    f = xunitnet.parse_v1(str(FIXTURES / "xunit1.xml"))
    assert f.format == "xunit1"
    t = f.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (5, 2, 1, 1, 1)
    assert f.warnings == ()
    cases = {(c.classname, c.name): c for c in f.cases()}
    assert cases[("Billing.Tests.InvoiceTests", "Pdf_Render")].message == "needs the print server"
    assert cases[("Billing.Tests.InvoiceTests", "Total_RoundsHalfUp")].stdout == "rounding mode: ToEven"
    fixture = cases[("Billing.Tests.TaxTests", "class fixture")]
    assert fixture.result is Result.ERROR and "rates.db" in fixture.message
    assert [s.name for s in f.suites] == ["Billing.Tests.InvoiceTests", "Billing.Tests.TaxTests"]


def test_sniffing(tmp_path: Path) -> None:
    assert detect(str(FIXTURES / "xunit2.xml")).name == "xunit2"
    assert detect(str(FIXTURES / "xunit1.xml")).name == "xunit1"
    # an <assembly> root without v1's attributes is not claimed
    other = _write(tmp_path, '<assembly name="x"><member name="M:Foo"/></assembly>', "doc.xml")
    assert not xunitnet.sniff_v1(head_of(other))


def test_malformed_file_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '<assemblies><assembly name="A.dll"><collection', "cut.xml")
    with pytest.raises(MalformedXML, match=r"cut\.xml"):
        xunitnet.parse_v2(path)
