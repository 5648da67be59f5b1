"""`go test -json`: per-test results, subtests, parallel output, package failures, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.results import gotest_json
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "gotest"
CART = "example.com/shop/cart"


def parse(name: str):
    return gotest_json.parse(str(FIXTURES / name))


def cases(name: str):
    return {c.name: c for c in parse(name).cases()}


def test_counts_every_test_and_subtest_like_go_test():
    rf = parse("basic.jsonl")
    assert rf.format == "go-test-json"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.skipped, t.errors) == (9, 5, 3, 1, 0)
    assert [s.name for s in rf.suites] == [CART, "example.com/shop/money"]  # no suite for [no test files]
    assert rf.warnings == ()


def test_failure_message_location_and_output():
    c = cases("basic.jsonl")
    total = c["TestTotal"]
    assert total.result is Result.FAILED and total.classname == CART
    assert total.message == "Total() = 1999, want 2099"
    assert (total.file, total.line) == ("cart_test.go", 42)
    assert total.duration == pytest.approx(0.02)
    assert "=== RUN" not in total.details and "--- FAIL" not in total.details
    assert total.details == "    cart_test.go:42: Total() = 1999, want 2099\n"
    fixed = c["TestDiscount/fixed"]
    assert fixed.message == "Not equal:"  # testify's message lines below the location
    assert c["TestDiscount"].message == "failed subtests: TestDiscount/fixed"
    assert c["TestNeedsDB"].message == "no database in this environment"


def test_interleaved_parallel_output_goes_to_its_own_test():
    c = cases("basic.jsonl")
    assert c["TestSlowA"].stdout == "    slow_test.go:10: A step 1\n"
    assert c["TestSlowB"].stdout == "    slow_test.go:20: B step 1\n    slow_test.go:21: B step 2\n"


def test_cached_package_keeps_its_tests():
    rf = parse("basic.jsonl")
    money = next(s for s in rf.suites if s.name == "example.com/shop/money")
    assert [c.name for c in money.cases] == ["TestRound"]
    assert money.duration is None  # a cached run's time is not a run time


def test_build_failures_are_errors_of_the_package():
    rf = parse("build-failure.jsonl")
    got = [(c.suite, c.name, c.result, c.message) for c in rf.cases()]
    assert got == [
        ("example.com/shop/broken", "[build failed]", Result.ERROR,
         "build failed: broken/broken_test.go:7:9: undefined: NewThing"),
        ("example.com/shop/old", "[build failed]", Result.ERROR, "build failed"),
    ]
    assert "undefined: NewThing" in next(rf.cases()).details


def test_panic_fails_the_test_and_unfinished_tests_are_errors():
    c = cases("panic.jsonl")
    assert c["TestPop"].result is Result.FAILED
    assert c["TestPop"].message.startswith("panic: runtime error: index out of range")
    assert "goroutine 7 [running]" in c["TestPop"].details
    assert c["TestQueue"].result is Result.ERROR
    assert c["TestQueue"].message.startswith("did not finish")


def test_testmain_failure_without_tests_is_one_error():
    rf = parse("testmain-failure.jsonl")
    (case,) = rf.cases()
    assert (case.name, case.result) == ("[package failed]", Result.ERROR)
    assert case.message == "store: setup: dial tcp 127.0.0.1:5432: connect: connection refused"
    assert rf.totals.errors == 1


def test_race_report_is_the_message():
    (case,) = parse("race.jsonl").cases()
    assert case.result is Result.FAILED and case.message == "data race detected"
    assert "WARNING: DATA RACE" in case.details


def test_bad_lines_are_skipped_with_their_line_numbers():
    rf = parse("bad-lines.jsonl")
    assert [c.name for c in rf.cases()] == ["TestDistance", "TestBearing"]
    path = FIXTURES / "bad-lines.jsonl"
    assert rf.warnings == (
        f"{path}: line 1: not a JSON line, skipped: 'go: downloading github.com/stretchr/testify v1.9.0'",
        f"{path}: line 7: line is not valid UTF-8; skipped",
        f"{path}: line 11: truncated JSON line, skipped",
    )


def test_huge_output_is_bounded_and_streamed(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        fh.write(json.dumps({"Action": "run", "Package": "p", "Test": "TestLoud"}) + "\n")
        line = json.dumps({"Action": "output", "Package": "p", "Test": "TestLoud", "Output": "x" * 99 + "\n"})
        fh.write((line + "\n") * 20000)
        fh.write(json.dumps({"Action": "fail", "Package": "p", "Test": "TestLoud", "Elapsed": 1.5}) + "\n")
    (case,) = gotest_json.parse(str(path)).cases()
    assert case.result is Result.FAILED and case.duration == 1.5
    assert 64 * 1024 <= len(case.details) < 66 * 1024
    assert "characters cut by testrelay" in case.details


def test_utf16_stream_from_a_powershell_redirect(tmp_path):
    text = "\n".join(json.dumps(e) for e in (
        {"Action": "run", "Package": "p", "Test": "TestA"},
        {"Action": "pass", "Package": "p", "Test": "TestA", "Elapsed": 0.1},
        {"Action": "pass", "Package": "p", "Elapsed": 0.2},
    )) + "\n"
    path = tmp_path / "win.json"
    path.write_bytes(text.encode("utf-16"))
    assert detect(str(path)) is gotest_json.FORMAT
    assert gotest_json.parse(str(path)).totals.passed == 1


def test_sniff(tmp_path):
    for name in ("basic.jsonl", "build-failure.jsonl", "bad-lines.jsonl"):
        assert detect(str(FIXTURES / name)) is gotest_json.FORMAT, name
    other = tmp_path / "log.jsonl"
    other.write_text('{"level":"info","msg":"started"}\n{"level":"info","msg":"done"}\n')
    assert not gotest_json.sniff(head_of(str(other)))


def test_problems_keep_the_line_numbers_of_skipped_lines():
    from testrelay.results.parse import parse_one

    _, problems = parse_one(str(FIXTURES / "bad-lines.jsonl"))
    assert [p.message for p in problems] == [
        "line 1: not a JSON line, skipped: 'go: downloading github.com/stretchr/testify v1.9.0'",
        "line 7: line is not valid UTF-8; skipped",
        "line 11: truncated JSON line, skipped",
    ]
    assert not any(p.fatal for p in problems)
