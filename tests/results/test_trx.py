"""TRX: outcomes, late class names, data rows, merged retries, declared totals, sniffing, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results import trx
from testrelay.results.dotnet_fields import MAX_TEXT
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result
from testrelay.results.xmlsource import MalformedXML

FIXTURES = Path(__file__).parent.parent / "fixtures" / "trx"


def _trx(results: str, definitions: str = "", summary: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<TestRun id="r" name="n" xmlns="{trx.NS}">'
        f"<Results>{results}</Results><TestDefinitions>{definitions}</TestDefinitions>{summary}</TestRun>"
    )


def _result(test_id: str, name: str, outcome: str, extra: str = "", body: str = "") -> str:
    return f'<UnitTestResult testId="{test_id}" testName="{name}" outcome="{outcome}" {extra}>{body}</UnitTestResult>'


def _write(tmp_path: Path, text: str, name: str = "run.trx") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_mstest_fixture_counts_and_fields() -> None:
    f = trx.parse(str(FIXTURES / "mstest.trx"))
    assert f.format == "trx"
    t = f.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (6, 1, 2, 1, 2)
    cases = {c.name: c for c in f.cases()}
    failed = cases["Divide_ByZero_Throws"]
    assert failed.classname == "Calc.Tests.CalculatorTests"  # from TestDefinitions, after Results
    assert failed.suite == "Calc.Tests.dll"
    assert failed.duration == pytest.approx(1.5)
    assert failed.message.startswith("Assert.ThrowsException failed.")
    assert "CalculatorTests.cs:line 42" in failed.details
    assert failed.stderr == "warning: divisor is zero"
    assert cases["Add_TwoNumbers_ReturnsSum"].stdout == "computing 2 + 3"
    # assembly-qualified class names are cut to the class
    assert cases["Slow_Network_Call"].classname == "Calc.Tests.NetworkTests"
    assert cases["Slow_Network_Call"].result is Result.FAILED
    # no duration attribute: taken from startTime/endTime
    assert cases["Ctor_NullLogger_Throws"].duration == pytest.approx(0.25)
    assert cases["Ctor_NullLogger_Throws"].result is Result.ERROR
    assert any("no binaries were instrumented" in w for w in f.warnings)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("Passed", Result.PASSED), ("PassedButRunAborted", Result.PASSED), ("Completed", Result.PASSED),
        ("Warning", Result.PASSED), ("Failed", Result.FAILED), ("Timeout", Result.FAILED),
        ("Error", Result.ERROR), ("Aborted", Result.ERROR), ("Disconnected", Result.ERROR),
        ("NotRunnable", Result.ERROR), ("InProgress", Result.ERROR), ("NotExecuted", Result.SKIPPED),
        ("Inconclusive", Result.SKIPPED), ("Pending", Result.SKIPPED),
    ],
)
def test_outcome_mapping(tmp_path: Path, outcome: str, expected: Result) -> None:
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", outcome))))
    assert [c.result for c in f.cases()] == [expected]
    assert f.warnings == ()


def test_unknown_outcome_is_an_error_with_one_warning(tmp_path: Path) -> None:
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Exploded") + _result("t2", "B", "Exploded"))))
    assert [c.result for c in f.cases()] == [Result.ERROR, Result.ERROR]
    assert len(f.warnings) == 1 and "'Exploded'" in f.warnings[0]


def test_data_driven_rows_are_cases_and_parent_is_not_counted() -> None:
    f = trx.parse(str(FIXTURES / "datadriven.trx"))
    names = [c.name for c in f.cases()]
    assert names == ["IsPrime (2)", "IsPrime (9)", "IsPrime (13)", "FromCsv (row 1)", "FromCsv (row 2)"]
    assert f.totals.failed == 1 and f.totals.tests == 5
    row = next(c for c in f.cases() if c.name == "IsPrime (9)")
    assert row.classname == "Primes.Tests.PrimeTests" and "9 is not prime" in row.message
    # Counters count the 2 parents; that is what the file holds at the top level.
    assert f.warnings == ()


def test_counters_that_count_parents_and_rows_do_not_warn() -> None:
    # The VSTest TRX logger counts a data-driven parent and each of its rows: 2 parents-or-plain + 2 rows = 4.
    f = trx.parse(str(FIXTURES / "datadriven-rows-counted.trx"))
    assert (f.totals.tests, f.totals.passed, f.totals.failed) == (3, 2, 1)
    assert f.warnings == ()


def test_counters_matching_neither_layout_still_warn(tmp_path: Path) -> None:
    rows = _result("p", "Row (1)", "Passed") + _result("p", "Row (2)", "Passed")
    parent = _result("p", "Row", "Passed", 'resultType="DataDrivenTest"', f"<InnerResults>{rows}</InnerResults>")
    text = _trx(parent, summary='<ResultSummary><Counters total="5"/></ResultSummary>')
    f = trx.parse(_write(tmp_path, text))
    assert len(f.warnings) == 1 and "5" in f.warnings[0]


def test_merged_retries_become_attempts_and_flaky() -> None:
    f = trx.parse(str(FIXTURES / "retried.trx"))
    assert f.totals.tests == 3 and f.totals.flaky == 1 and f.totals.failed == 1
    cases = {c.name: c for c in f.cases()}
    flaky = cases["Checkout_Succeeds"]
    assert flaky.result is Result.PASSED and flaky.flaky
    assert [a.result for a in flaky.attempts] == [Result.FAILED]
    assert "Connection refused" in flaky.attempts[0].message
    assert flaky.classname == "Api.Tests.OrderTests"
    stuck = cases["Refund_RejectsTwice"]
    assert stuck.result is Result.FAILED and len(stuck.attempts) == 1 and not stuck.flaky


def test_same_test_id_with_other_name_is_another_case(tmp_path: Path) -> None:
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A(1)", "Passed") + _result("t1", "A(2)", "Failed"))))
    assert [(c.name, c.result, c.attempts) for c in f.cases()] == [
        ("A(1)", Result.PASSED, ()), ("A(2)", Result.FAILED, ()),
    ]


def test_definitions_before_results_also_give_class(tmp_path: Path) -> None:
    text = (
        f'<TestRun xmlns="{trx.NS}"><TestDefinitions><UnitTest id="t1" name="A">'
        '<TestMethod codeBase="C:\\b\\My.Tests.dll" className="My.Tests.K" name="A"/></UnitTest></TestDefinitions>'
        f'<Results>{_result("t1", "A", "Passed")}</Results></TestRun>'
    )
    (case,) = trx.parse(_write(tmp_path, text)).cases()
    assert (case.classname, case.suite) == ("My.Tests.K", "My.Tests.dll")


def test_declared_total_mismatch_warns_and_counts_cases(tmp_path: Path) -> None:
    text = _trx(_result("t1", "A", "Passed"), summary='<ResultSummary><Counters total="4"/></ResultSummary>')
    f = trx.parse(_write(tmp_path, text))
    assert f.totals.tests == 1
    assert len(f.warnings) == 1 and "run.trx" in f.warnings[0] and "4" in f.warnings[0] and "1" in f.warnings[0]


def test_long_output_is_bounded_with_marker(tmp_path: Path) -> None:
    body = f"<Output><StdOut>{'x' * (MAX_TEXT + 500)}</StdOut></Output>"
    (case,) = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Passed", body=body)))).cases()
    assert case.stdout.startswith("x" * 100) and "truncated" in case.stdout and "500" in case.stdout
    assert len(case.stdout) < MAX_TEXT + 200


def test_sniff_claims_trx_and_not_cppunit() -> None:
    assert trx.sniff(head_of(str(FIXTURES / "mstest.trx")))
    assert not trx.sniff(head_of(str(FIXTURES / "cppunit_testrun.xml")))
    assert detect(str(FIXTURES / "retried.trx")).name == "trx"


def test_truncated_file_is_malformed_with_position() -> None:
    with pytest.raises(MalformedXML) as info:
        trx.parse(str(FIXTURES / "truncated.trx"))
    assert "truncated.trx" in str(info.value)


def test_size_limit_names_the_file() -> None:
    with pytest.raises(InputError, match=r"mstest\.trx"):
        trx.parse(str(FIXTURES / "mstest.trx"), max_bytes=100)


def test_message_written_indented_inside_its_element_is_dedented() -> None:
    # Older MSTest writes Message and StackTrace pretty-printed: the text starts on its own indented line.
    f = trx.parse(str(FIXTURES / "indented-message.trx"))
    failed = next(c for c in f.cases() if c.name == "RefundsPartialOrder")
    assert failed.message == (
        "Test method Billing.Specs.RefundFeature.RefundsPartialOrder threw exception:\n"
        "System.InvalidOperationException: refund exceeds captured amount"
    )
    assert failed.details.startswith("at Billing.Specs.Steps.ThenTheRefundIs")
    assert f.warnings == ()


def test_message_line_ends_are_plain_newlines(tmp_path: Path) -> None:
    body = "<Output><ErrorInfo><Message>Assert.True() Failure&#xD;\nExpected: True</Message></ErrorInfo></Output>"
    path = _write(tmp_path, _trx(_result("t1", "T", "Failed", body=body)))
    (only,) = trx.parse(path).cases()
    assert only.message == "Assert.True() Failure\nExpected: True"


def test_prefixed_namespace_is_read_like_the_default_one(tmp_path: Path) -> None:
    text = (
        f'<t:TestRun xmlns:t="{trx.NS}"><t:Results>'
        '<t:UnitTestResult testId="a" testName="Pk.C.P" outcome="Failed"><t:Output><t:ErrorInfo>'
        "<t:Message>boom</t:Message></t:ErrorInfo></t:Output></t:UnitTestResult></t:Results>"
        '<t:TestDefinitions><t:UnitTest id="a"><t:TestMethod className="Pk.C" codeBase="/b/Pk.dll"/></t:UnitTest>'
        "</t:TestDefinitions></t:TestRun>"
    )
    (case,) = trx.parse(_write(tmp_path, text)).cases()
    assert (case.name, case.classname, case.suite, case.message) == ("P", "Pk.C", "Pk.dll", "boom")


def test_elements_of_another_namespace_are_not_results(tmp_path: Path) -> None:
    other = '<UnitTestResult xmlns="urn:other" testId="x" testName="Other" outcome="Failed"/>'
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Passed") + other)))
    assert [c.name for c in f.cases()] == ["A"]


def test_only_the_first_output_and_the_text_before_a_child_count(tmp_path: Path) -> None:
    body = (
        "<Output><StdOut>before<b>inside</b>after</StdOut><StdOut>second</StdOut>"
        "<StdErr><![CDATA[<raw> & text]]></StdErr></Output><Output><StdOut>other output</StdOut></Output>"
    )
    (case,) = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Passed", body=body)))).cases()
    assert (case.stdout, case.stderr) == ("before", "<raw> & text")


def test_data_row_output_is_the_rows_own(tmp_path: Path) -> None:
    body = (
        "<Output><ErrorInfo><Message>parent message</Message></ErrorInfo></Output><InnerResults>"
        '<UnitTestResult testId="t1" testName="A (1)" outcome="Passed"/>'
        '<UnitTestResult testId="t1" testName="A (2)" outcome="Failed"><Output><ErrorInfo>'
        "<Message>row two</Message><StackTrace>at Row()</StackTrace></ErrorInfo></Output></UnitTestResult>"
        "</InnerResults>"
    )
    summary = '<ResultSummary><Counters total="1"/></ResultSummary>'
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Failed", body=body), summary=summary)))
    assert [(c.name, c.result, c.message, c.details) for c in f.cases()] == [
        ("A (1)", Result.PASSED, "", ""), ("A (2)", Result.FAILED, "row two", "at Row()"),
    ]
    assert f.warnings == ()  # Counters count the parent, not its rows


def test_run_info_text_is_its_own_direct_text_child(tmp_path: Path) -> None:
    summary = (
        '<ResultSummary><RunInfos><RunInfo computerName="agent" outcome="Error"><Other><Text>nested</Text></Other>'
        "<Text>host crashed\nexit code 3</Text></RunInfo></RunInfos></ResultSummary>"
    )
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Passed"), summary=summary)))
    assert f.warnings == (f"{tmp_path / 'run.trx'}: run error on agent: host crashed exit code 3",)


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    body = "<Output><StdOut>bell\x07 rang</StdOut><ErrorInfo><Message>esc &#x1b; code</Message></ErrorInfo></Output>"
    f = trx.parse(_write(tmp_path, _trx(_result("t1", "A", "Failed", body=body))))
    (case,) = f.cases()
    assert (case.stdout, case.message) == ("bell rang", "esc  code")
    assert len(f.warnings) == 1 and "control characters" in f.warnings[0]


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    text = _trx(_result("t1", "&a;", "Passed")).replace(
        "<TestRun", '<!DOCTYPE TestRun [<!ENTITY a "aaaaaaaa">]>\n<TestRun', 1
    )
    with pytest.raises(MalformedXML, match="entity"):
        trx.parse(_write(tmp_path, text))


def test_utf16_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "run.trx"
    path.write_text(_trx(_result("t1", "Ünïcode", "Passed")).replace("utf-8", "utf-16"), encoding="utf-16")
    assert [c.name for c in trx.parse(str(path)).cases()] == ["Ünïcode"]


def test_malformed_file_names_line_and_column() -> None:
    with pytest.raises(MalformedXML) as info:
        trx.parse(str(FIXTURES / "truncated.trx"))
    assert info.value.line == 23 and info.value.column is not None


def test_no_parser_outlives_its_file_while_the_collector_is_paused(tmp_path: Path) -> None:
    # parse() pauses the cycle collector over thousands of files: a reference cycle through the
    # handlers would keep every expat parser (and its 128 KiB text buffer) alive until the end.
    import gc

    def parsers() -> int:
        return sum(1 for o in gc.get_objects() if type(o).__name__ == "xmlparser")

    summary = '<ResultSummary><RunInfos><RunInfo outcome="Error"><Text>x</Text></RunInfo></RunInfos></ResultSummary>'
    path = _write(tmp_path, _trx(_result("t1", "A", "Passed"), summary=summary).replace(
        "</TestDefinitions>", '</TestDefinitions><TestEntries><TestEntry testId="t1"/></TestEntries>'))
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = parsers()
        for _ in range(5):
            trx.parse(path)
        with pytest.raises(MalformedXML):
            trx.parse(str(FIXTURES / "truncated.trx"))
        assert parsers() == before
    finally:
        if was_enabled:
            gc.enable()
