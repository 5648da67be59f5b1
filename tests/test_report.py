import json

import pytest

from report_samples import META, baseline_and_current, failing, flaky, green_run, passing, run_of
from testrelay.errors import InputError
from testrelay.report import Report, ReportMeta, Verdict, build, from_document, to_document
from testrelay.report_trim import first_line, trim_trace
from testrelay.results.model import Result, TestRun


def test_green_run_verdict_and_totals():
    r = build(green_run(), meta=META)
    assert r.verdict is Verdict.PASSED
    assert r.totals.passed == 1204 and r.totals.skipped == 12
    assert r.failures == () and r.failures_omitted == 0
    assert r.files == 3 and r.suite_count == 4
    assert r.baseline is None and r.delta is None


def test_no_tests_verdict():
    assert build(TestRun()).verdict is Verdict.NO_TESTS


def test_failures_hold_first_message_line_location_and_trace():
    run = run_of(failing("test_a", message="\n  ValueError: bad value   \nsecond line", details="line1\nline2"))
    (f,) = build(run).failures
    assert f.id == "tests/test_api.py::test_a"
    assert f.suite == "api" and f.file == "tests/test_api.py" and f.line == 42
    assert f.location == "tests/test_api.py:42"
    assert f.message == "ValueError: bad value"
    assert f.trace == "line1\nline2"
    assert f.new is False


def test_message_falls_back_to_the_trace_and_is_capped():
    run = run_of(failing("a", message="", details="\nKeyError: 'x'\n  at y"), failing("b", message="m" * 500))
    a, b = build(run).failures
    assert a.message == "KeyError: 'x'"
    assert len(b.message) == 200 and b.message.endswith("…")


def test_failures_capped_with_count_left_out_and_errors_included():
    run = run_of(*(failing(f"t{i}") for i in range(30)), failing("e", result=Result.ERROR))
    r = build(run, max_failures=20)
    assert len(r.failures) == 20 and r.failures_omitted == 11
    assert r.verdict is Verdict.FAILED and r.failing == 31


def test_delta_against_baseline():
    base, now = baseline_and_current()
    r = build(now, baseline=base, meta=META)
    d = r.delta
    assert d is not None and r.baseline == base.totals
    assert {c.id.split("::")[1] for c in d.newly_failing} == {"test_login", "test_search"}
    assert [c.id.split("::")[1] for c in d.fixed] == ["test_cart"]
    assert {c.id.split("::")[1] for c in d.added} == {"test_search", "test_button"}
    assert [c.id.split("::")[1] for c in d.removed] == ["test_legacy"]
    # test_db failed before and errors now: still failing, so not new.
    assert d.failed == now.totals.failed - base.totals.failed
    assert d.tests == now.totals.tests - base.totals.tests
    assert r.new_failures == 2


def test_failures_sorted_new_first_then_by_suite():
    base, now = baseline_and_current()
    r = build(now, baseline=base)
    assert [(f.id.split("::")[1], f.new) for f in r.failures] == [
        ("test_login", True), ("test_search", True), ("test_db", False),
    ]
    without = build(now)
    assert [f.suite for f in without.failures] == ["api", "api", "search"]
    assert not any(f.new for f in without.failures)


def test_same_id_in_other_suite_is_another_case():
    base = run_of(passing("t", suite="a"))
    now = run_of(passing("t", suite="b"))
    d = build(now, baseline=base).delta
    assert d.added.total == 1 and d.removed.total == 1


def test_long_change_lists_keep_exact_counts():
    base = run_of(passing("x"))
    now = run_of(*(passing(f"n{i}") for i in range(250)))
    d = build(now, baseline=base).delta
    assert d.added.total == 250 and len(d.added.items) == 100 and d.added.more == 150


def test_flaky_and_slowest():
    run = run_of(flaky("test_button", tries=3), *(passing(f"t{i}", duration=i) for i in range(20)))
    r = build(run, slowest=3)
    assert [(f.id, f.attempts) for f in r.flaky] == [("tests/test_ui.py::test_button", 3)]
    assert [s.id.rsplit("::")[-1] for s in r.slowest] == ["t19", "t18", "t17"]
    assert build(run, slowest=0).slowest == ()


def test_problems_become_strings():
    from testrelay.results.model import Problem

    run = TestRun.of([], [Problem("a.xml", "not well-formed", line=3, column=7)])
    assert build(run).problems == ("a.xml:3:7: not well-formed",)


def test_generated_at_filled_in_utc():
    r = build(green_run(3))
    assert r.meta.generated_at is not None and r.meta.generated_at.utcoffset().total_seconds() == 0


def test_report_json_round_trip():
    base, now = baseline_and_current()
    r = build(now, baseline=base, meta=META, show_table=True)
    doc = json.loads(json.dumps(to_document(now, r)))
    assert doc["results"]["schema"] == "testrelay/results"
    back = from_document(doc)
    # Durations are stored to the microsecond, so compare what is stored.
    assert back.to_dict() == r.to_dict()
    assert back.failures == r.failures and back.flaky == r.flaky and back.delta.fixed == r.delta.fixed
    assert isinstance(back, Report) and back.meta.generated_at == META.generated_at


def test_from_document_rejects_other_files():
    with pytest.raises(InputError, match="no \"report\" object"):
        from_document({"results": {}}, source="x.json")
    with pytest.raises(InputError, match="malformed report"):
        from_document({"report": {"title": "t"}}, source="x.json")


def test_meta_round_trip_without_time():
    assert ReportMeta.from_dict(ReportMeta().to_dict()) == ReportMeta()


def test_first_line():
    assert first_line("\n\n  hello  \nworld") == "hello"
    assert first_line("") == ""


def test_trim_trace_keeps_head_and_tail():
    text = "\n".join(f"frame {i}" for i in range(100))
    out = trim_trace(text, max_lines=10, max_chars=10_000)
    lines = out.splitlines()
    assert len(lines) <= 10
    assert lines[0] == "frame 0" and lines[-1] == "frame 99"
    assert any("lines left out" in line for line in lines)


def test_trim_trace_bounds_characters_even_for_one_long_line():
    out = trim_trace("x" * 50_000, max_lines=40, max_chars=4000)
    assert len(out) <= 4000 and out.startswith("xxx")
    big = "\n".join("y" * 300 for _ in range(200))
    assert len(trim_trace(big, max_lines=40, max_chars=4000)) <= 4000
    assert trim_trace(big, max_lines=0, max_chars=4000) == ""


def test_short_trace_unchanged_except_blank_edges():
    assert trim_trace("\n a\r\nb  \n\n", max_lines=5, max_chars=100) == " a\nb"
