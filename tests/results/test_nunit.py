"""NUnit 2 and 3: results, labels, sites, hook failures on fixtures, durations, totals, sniffing, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results import nunit
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result
from testrelay.results.xmlsource import MalformedXML

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nunit"


def _write(tmp_path: Path, text: str, name: str = "TestResult.xml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _v3(cases: str, total: int | None = None, fixture_attrs: str = 'result="Passed"') -> str:
    declared = f' total="{total}"' if total is not None else ""
    return (
        f'<test-run id="0"{declared}><test-suite type="Assembly" name="A.dll" fullname="/b/A.dll">'
        f'<test-suite type="TestFixture" name="K" fullname="N.K" classname="N.K" {fixture_attrs}>'
        f"{cases}</test-suite></test-suite></test-run>"
    )


def test_nunit3_fixture_counts_like_nunit() -> None:
    f = nunit.parse_nunit3(str(FIXTURES / "nunit3.xml"))
    assert f.format == "nunit3"
    t = f.totals
    # 14 cases + one OneTimeTearDown error reported on StockTests
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (15, 5, 2, 5, 3)
    assert f.warnings == ()
    assert [s.name for s in f.suites] == ["Shop.Tests.CartTests", "Shop.Tests.PaymentTests", "Shop.Tests.StockTests"]
    cases = {c.name: c for c in f.cases()}
    assert cases["Total_AppliesDiscount"].result is Result.FAILED
    assert "CartTests.cs:line 41" in cases["Total_AppliesDiscount"].details
    assert cases["Checkout_EmptyCart_Throws"].result is Result.ERROR  # label="Error"
    assert cases["Remove_Missing_IsIgnored"].result is Result.SKIPPED
    assert cases["Remove_Missing_IsIgnored"].message == "Flaky on Linux, see #412"
    assert cases["Load_FromDatabase"].result is Result.SKIPPED  # Explicit
    assert cases["Currency_Unknown"].result is Result.SKIPPED  # Inconclusive
    assert cases["Shipping_Estimate"].result is Result.PASSED  # Warning
    assert cases["Shipping_Estimate"].message == "estimate took longer than 5 ms"
    assert cases["Merge_TwoCarts"].result is Result.ERROR and cases["Merge_TwoCarts"].message.startswith("SetUp")
    assert cases["AddItem_IncreasesCount"].stdout == "cart created with 0 items"
    assert cases["AddItem_IncreasesCount"].duration == pytest.approx(0.011234)
    # parameterized cases are folded into their fixture
    assert cases['Tax_ByRegion("US",0.07m)'].suite == "Shop.Tests.CartTests"


def test_nunit3_one_time_setup_failure_counted_once_on_the_cases() -> None:
    f = nunit.parse_nunit3(str(FIXTURES / "nunit3.xml"))
    payment = next(s for s in f.suites if s.name == "Shop.Tests.PaymentTests")
    assert [c.name for c in payment.cases] == ["Charge_Card", "Refund_Card"]
    assert all(c.result is Result.ERROR and c.message.startswith("OneTimeSetUp") for c in payment.cases)


def test_nunit3_one_time_teardown_failure_is_an_error_case() -> None:
    f = nunit.parse_nunit3(str(FIXTURES / "nunit3.xml"))
    stock = next(s for s in f.suites if s.name == "Shop.Tests.StockTests")
    assert [(c.name, c.result) for c in stock.cases] == [
        ("Reserve_Item", Result.PASSED), ("Release_Item", Result.PASSED), ("OneTimeTearDown", Result.ERROR),
    ]
    assert "stock.db" in stock.cases[-1].message
    assert stock.cases[0].duration == pytest.approx(0.05)  # "0,05"


def test_nunit3_one_time_setup_failure_without_cases_is_not_lost(tmp_path: Path) -> None:
    attrs = 'result="Failed" label="Error" site="SetUp"><failure><message>db down</message></failure'
    text = _v3("", fixture_attrs=attrs)
    (case,) = nunit.parse_nunit3(_write(tmp_path, text)).cases()
    assert (case.name, case.classname, case.result, case.message) == ("OneTimeSetUp", "N.K", Result.ERROR, "db down")


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('result="Passed"', Result.PASSED),
        ('result="Failed"', Result.FAILED),
        ('result="Failed" label="Error"', Result.ERROR),
        ('result="Failed" label="Cancelled"', Result.ERROR),
        ('result="Failed" label="Invalid"', Result.ERROR),
        ('result="Failed" site="TearDown"', Result.FAILED),
        ('result="Failed" site="Parent"', Result.ERROR),
        ('result="Skipped" label="Ignored"', Result.SKIPPED),
        ('result="Skipped" label="Explicit"', Result.SKIPPED),
        ('result="Inconclusive"', Result.SKIPPED),
        ('result="Warning"', Result.PASSED),
        ('result="Strange"', Result.ERROR),
    ],
)
def test_nunit3_result_mapping(tmp_path: Path, attrs: str, expected: Result) -> None:
    text = _v3(f'<test-case name="T" fullname="N.K.T" classname="N.K" {attrs} duration="0.5"/>')
    (case,) = nunit.parse_nunit3(_write(tmp_path, text)).cases()
    assert case.result is expected
    assert case.classname == "N.K" and case.name == "T"


def test_nunit3_teardown_site_is_named_in_message(tmp_path: Path) -> None:
    body = '<failure><message>disk full</message></failure>'
    text = _v3(f'<test-case name="T" classname="N.K" result="Failed" label="Error" site="TearDown">{body}</test-case>')
    (case,) = nunit.parse_nunit3(_write(tmp_path, text)).cases()
    assert case.message == "TearDown: disk full" and case.result is Result.ERROR


def test_nunit3_declared_total_mismatch_warns(tmp_path: Path) -> None:
    f = nunit.parse_nunit3(_write(tmp_path, _v3('<test-case name="T" classname="N.K" result="Passed"/>', total=3)))
    assert f.totals.tests == 1
    assert len(f.warnings) == 1 and "TestResult.xml" in f.warnings[0] and "3" in f.warnings[0]


def test_nunit2_fixture_counts_like_nunit() -> None:
    f = nunit.parse_nunit2(str(FIXTURES / "nunit2.xml"))
    assert f.format == "nunit2"
    assert f.warnings == ()  # total 7 run + 3 not run = 10 cases
    t = f.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (11, 3, 2, 3, 3)
    cases = {c.name: c for c in f.cases()}
    assert cases["Withdraw_Overdraft_Fails"].classname == "Ledger.Tests.AccountTests"
    assert cases["Withdraw_Overdraft_Fails"].duration == pytest.approx(0.034)  # "0,034"
    assert cases["Transfer_SameAccount"].result is Result.ERROR
    assert cases["Close_WithBalance"].result is Result.SKIPPED and cases["Close_WithBalance"].message
    assert cases["Interest_Rate"].result is Result.SKIPPED
    assert cases["Statement_Private"].result is Result.ERROR  # NotRunnable
    assert cases["Fee_ForAmount(0m)"].result is Result.FAILED
    assert cases["Fee_ForAmount(0m)"].suite == "Ledger.Tests.AccountTests"
    teardown = cases["TestFixtureTearDown"]
    assert teardown.result is Result.ERROR and teardown.classname == "Ledger.Tests.ExportTests"


def test_nunit24_executed_and_success_attributes() -> None:
    f = nunit.parse_nunit2(str(FIXTURES / "nunit24.xml"))
    assert [s.name for s in f.suites] == ["Parsing.TokenizerTests"]
    assert [(c.name, c.result) for c in f.cases()] == [
        ("EmptyInput", Result.PASSED), ("Unicode", Result.FAILED), ("Escapes", Result.PASSED),
        ("Comments", Result.SKIPPED),
    ]
    assert f.warnings == ()


def test_nunit2_lowercase_booleans_as_older_writers_spell_them() -> None:
    # Hand-rolled and early NUnit 2 writers spell executed/success in lower case.
    f = nunit.parse_nunit2(str(FIXTURES / "nunit2-lowercase-booleans.xml"))
    assert [(c.name, c.result) for c in f.cases()] == [
        ("AddItem", Result.PASSED), ("RemoveItem", Result.FAILED), ("ApplyCoupon", Result.PASSED),
        ("Checkout", Result.SKIPPED),
    ]
    assert f.warnings == ()


def test_nunit2_fixture_setup_failure_carried_by_cases_is_not_doubled(tmp_path: Path) -> None:
    text = (
        '<test-results total="1" not-run="0"><test-suite type="TestFixture" name="K" success="False" result="Failure">'
        "<failure><message>TestFixtureSetUp failed in K</message></failure><results>"
        '<test-case name="K.T" executed="True" result="Failure" success="False">'
        "<failure><message>TestFixtureSetUp failed in K</message></failure></test-case>"
        "</results></test-suite></test-results>"
    )
    f = nunit.parse_nunit2(_write(tmp_path, text))
    assert [(c.name, c.result) for c in f.cases()] == [("T", Result.FAILED)]


def test_sniffing_tells_the_versions_apart() -> None:
    assert detect(str(FIXTURES / "nunit3.xml")).name == "nunit3"
    assert detect(str(FIXTURES / "nunit2.xml")).name == "nunit2"
    assert not nunit.sniff_nunit3(head_of(str(FIXTURES / "nunit2.xml")))


def test_malformed_file_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '<test-run><test-suite type="Assembly" name="A"><test-case name="T"', "broken.xml")
    with pytest.raises(MalformedXML, match=r"broken\.xml"):
        nunit.parse_nunit3(path)


def test_nunit3_timeout_says_so_through_its_label() -> None:
    # NUnit 3 writes a timed-out case as result="Failed" with the reason only in `label` and an empty <failure/>.
    rf = nunit.parse_nunit3(str(FIXTURES / "nunit3-timeout-label.xml"))
    timed_out = next(c for c in rf.cases() if c.name == "FetchesRemoteRates")
    assert timed_out.result is Result.FAILED
    assert timed_out.message == "Test exceeded Timeout value 250ms."
    assert rf.warnings == ()


def test_nunit3_standard_labels_are_not_messages(tmp_path: Path) -> None:
    errored = '<test-case name="T" classname="N.K" result="Failed" label="Error"><failure/></test-case>'
    path = _write(tmp_path, _v3(errored))
    (only,) = nunit.parse_nunit3(path).cases()
    assert only.result is Result.ERROR and only.message == ""
