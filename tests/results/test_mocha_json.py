"""Mocha's JSON reporter: results, errors, hook failures, retries, suites, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results import mocha_json
from testrelay.results.formats import detect, head_of
from testrelay.results.jsonsource import MalformedJSON
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mocha"


def parse(name: str):
    return mocha_json.parse(str(FIXTURES / name))


def cases(name: str):
    return {c.name: c for c in parse(name).cases()}


def test_totals_match_what_mocha_printed():
    rf = parse("report.json")
    assert rf.format == "mocha-json"
    t = rf.totals
    # 5 tests (2 passing, 1 pending, 2 failing) plus the failed "before all" hook as an error
    assert (t.tests, t.passed, t.failed, t.skipped, t.errors) == (6, 2, 2, 1, 1)
    assert rf.warnings == ()


def test_failure_message_stack_duration_and_suite():
    case = cases("report.json")["rejects an expired token"]
    assert case.result is Result.FAILED
    assert case.message == "expected 401, got 200"
    assert case.details.startswith("AssertionError [ERR_ASSERTION]: expected 401, got 200\n    at Context")
    assert case.duration == pytest.approx(0.112)
    assert case.classname == case.suite == "API auth"
    assert case.file == "/app/test/api.spec.js"
    assert case.id == "API auth::rejects an expired token"


def test_hook_failure_is_an_error_of_its_suite():
    hook = cases("report.json")['"before all" hook for "writes a row"']
    assert hook.result is Result.ERROR
    assert hook.suite == "DB"
    assert hook.message == "connect ECONNREFUSED 127.0.0.1:5432"


def test_pending_and_retried_tests():
    c = cases("report.json")
    assert c["streams large bodies"].result is Result.SKIPPED
    retried = c["retries a flaky upstream"]
    assert retried.result is Result.PASSED and retried.flaky and len(retried.attempts) == 2


def test_console_output_before_the_report_is_passed_over_with_a_warning():
    rf = parse("console-noise.json")
    assert [c.name for c in rf.cases()] == ["adds"]
    assert rf.warnings == (f"{FIXTURES / 'console-noise.json'}: 2 lines of test output before the JSON report "
                           "were passed over",)
    assert detect(str(FIXTURES / "console-noise.json")) is mocha_json.FORMAT


def test_truncated_report_names_line_and_column():
    with pytest.raises(MalformedJSON) as info:
        parse("truncated.json")
    assert (info.value.line, info.value.column) == (5, 1)
    assert "truncated.json:5:1" in str(info.value)


def test_wrong_shape_is_a_clear_input_error():
    with pytest.raises(InputError, match=r"tests-not-list.json: expected `tests` to be a JSON array, found an object"):
        parse("tests-not-list.json")


def test_uncaught_error_outside_tests_is_an_error(tmp_path):
    failure = {"title": "Uncaught error outside test suite", "fullTitle": "Uncaught error outside test suite",
               "err": {"message": "Cannot find module './missing'", "stack": "Error: Cannot find module"}}
    doc = {"stats": {"suites": 0, "tests": 0, "passes": 0, "pending": 0, "failures": 1},
           "tests": [], "pending": [], "failures": [failure], "passes": []}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, indent=2))
    rf = mocha_json.parse(str(path))
    assert [(c.result, c.message) for c in rf.cases()] == [(Result.ERROR, "Cannot find module './missing'")]


def test_sniff_needs_the_stats_object(tmp_path):
    assert mocha_json.sniff(head_of(str(FIXTURES / "report.json")))
    other = tmp_path / "x.json"
    other.write_text(json.dumps({"status": "ok", "stats": 3}))
    assert not mocha_json.sniff(head_of(str(other)))
