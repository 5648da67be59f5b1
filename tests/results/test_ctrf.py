"""CTRF: statuses, retries and flaky cases, suites, output arrays, encodings, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results import ctrf
from testrelay.results.formats import detect, head_of
from testrelay.results.jsonsource import MalformedJSON
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ctrf"


def parse(name: str):
    return ctrf.parse(str(FIXTURES / name))


def by_name(result_file):
    return {c.name: c for c in result_file.cases()}


def test_statuses_count_as_ctrf_tools_count_them():
    rf = parse("playwright.json")
    assert rf.format == "ctrf"
    assert rf.dialect == "playwright"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.skipped, t.errors) == (6, 3, 1, 1, 1)
    cases = by_name(rf)
    assert cases["upload a large file"].result is Result.ERROR  # "other" is not a pass
    assert cases["upload a large file"].message == "Test was interrupted."
    assert rf.warnings == ()


def test_failure_fields_duration_location_and_output():
    case = by_name(parse("playwright.json"))["login rejects a wrong password"]
    assert case.result is Result.FAILED
    assert case.duration == pytest.approx(3.02)
    assert case.message.startswith("Error: expect(locator).toHaveText(expected)")
    assert case.details == "at tests/auth.spec.ts:31:45"
    assert (case.file, case.line) == ("tests/auth.spec.ts", 27)
    assert case.stderr == "warning: slow network"
    assert case.suite == "auth.spec.ts > login"
    passed = by_name(parse("playwright.json"))["login shows the dashboard"]
    assert passed.stdout == "navigating to /login\nlogged in as demo"


def test_retry_attempts_make_a_flaky_case():
    rf = parse("playwright.json")
    case = by_name(rf)["checkout applies a coupon"]
    assert case.result is Result.PASSED and case.flaky
    # attempt 3 is the final run (retries=2 -> 3 runs), so two earlier tries remain
    assert [a.result for a in case.attempts] == [Result.FAILED, Result.FAILED]
    assert case.attempts[0].message == "Timeout 5000ms exceeded"
    assert case.attempts[0].duration == pytest.approx(0.9)
    assert case.attempts[0].details == "at cart.spec.ts:40:5"
    assert rf.totals.flaky == 2


def test_retries_count_alone_gives_failed_attempts():
    case = by_name(parse("playwright.json"))["cart survives a reload"]
    assert len(case.attempts) == 1 and case.flaky


def test_suites_group_cases_in_order_of_first_appearance():
    names = [s.name for s in parse("playwright.json").suites]
    assert names == ["auth.spec.ts > login", "cart.spec.ts > checkout", "export.spec.ts", "upload.spec.ts"]


def test_older_writers_string_suite_and_pending():
    rf = parse("legacy-string-suite.json")
    cases = by_name(rf)
    assert cases["divides by zero"].result is Result.SKIPPED
    assert cases["adds numbers"].suite == "math"
    assert cases["no suite given"].suite == "jest"  # the tool's name when no suite is given
    assert rf.totals.skipped == 1


@pytest.mark.parametrize("name", ["utf16-bom.json", "utf8-bom.json"])
def test_byte_order_marks(name):
    rf = parse(name)
    assert [c.name for c in rf.cases()] == ["Überprüfung ✓"]
    assert detect(str(FIXTURES / name)) is ctrf.FORMAT


def test_truncated_document_names_file_line_and_column():
    with pytest.raises(MalformedJSON) as info:
        parse("truncated.json")
    err = info.value
    assert isinstance(err, InputError)
    assert "truncated.json:8:1: malformed JSON" in str(err)
    assert (err.line, err.column) == (8, 1)
    assert "truncated?" in str(err)


def test_malformed_document_points_at_the_fault():
    with pytest.raises(MalformedJSON) as info:
        parse("trailing-comma.json")
    assert (info.value.line, info.value.column) == (6, 55)
    assert "trailing-comma.json:6:55:" in str(info.value)
    assert "truncated?" not in str(info.value)


def test_wrong_shapes_give_clear_messages():
    with pytest.raises(InputError, match=r"tests-not-list.json: expected `results.tests` to be a JSON array"):
        parse("tests-not-list.json")
    with pytest.raises(InputError, match=r"top-level-array.json: expected the CTRF document to be a JSON object"):
        parse("top-level-array.json")


def test_output_and_trace_are_bounded(tmp_path):
    doc = {
        "results": {
            "tool": {"name": "vitest"},
            "summary": {"tests": 1},
            "tests": [
                {
                    "name": "huge",
                    "status": "failed",
                    "duration": 1,
                    "trace": "frame\n" * 30000,
                    "stdout": [f"line {i}" for i in range(20000)],
                }
            ],
        }
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    case = next(ctrf.parse(str(path)).cases())
    assert len(case.details) < 70_000 and "characters cut by testrelay" in case.details
    assert case.stdout.startswith("line 0\n") and case.stdout.endswith("line 19999")
    assert "characters cut by testrelay" in case.stdout


def test_summary_mismatch_is_a_warning(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"results": {"tool": {"name": "t"}, "summary": {"tests": 5},
                                            "tests": [{"name": "a", "status": "passed", "duration": 1}]}}))
    rf = ctrf.parse(str(path))
    assert rf.totals.tests == 1
    assert any("summary says 5 tests" in w for w in rf.warnings)


def test_sniff_claims_ctrf_and_not_other_json(tmp_path):
    assert ctrf.sniff(head_of(str(FIXTURES / "playwright.json")))
    assert ctrf.sniff(head_of(str(FIXTURES / "legacy-string-suite.json")))
    sarif = tmp_path / "x.sarif"
    sarif.write_text(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}))
    assert not ctrf.sniff(head_of(str(sarif)))
    assert detect(str(FIXTURES / "playwright.json")) is ctrf.FORMAT


def test_parse_stage_keeps_line_and_column_of_malformed_json():
    from testrelay.results.parse import parse_one

    result, problems = parse_one(str(FIXTURES / "trailing-comma.json"))
    assert result is None
    (problem,) = problems
    assert (problem.line, problem.column, problem.fatal) == (6, 55, True)
    assert problem.message.startswith("malformed JSON: ")
