"""`ctest --output-junit`: a failed test's message and trace come from the output CTest kept, not its bare "Failed"."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.junit_fixtures import case, load
from testrelay.results.ctest_output import explain
from testrelay.results.junit import parse
from testrelay.results.model import Result

FIXTURE = "shape-ctest-output.xml"


def test_the_file_reads_as_ctest_with_its_declared_counts():
    rf = load(FIXTURE)
    assert rf.dialect == "ctest"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (9, 1, 7, 0, 1)
    assert rf.warnings == ()


def test_googletest_failure_gives_the_expectation_and_its_place():
    parser = case(load(FIXTURE), "parser_test")
    assert parser.result is Result.FAILED
    assert parser.message == "Expected equality of these values: result.ok() Which is: true false"
    assert (parser.file, parser.line) == ("/home/runner/work/acme/acme/tests/parser_test.cpp", 42)
    # The whole output is the trace, and stays the case's output as well.
    assert "[  FAILED  ] Parser.RejectsTrailingComma (0 ms)" in parser.details
    assert parser.details == parser.stdout


def test_catch2_failure_gives_the_assertion_with_its_expansion():
    network = case(load(FIXTURE), "network_test")
    assert network.message == 'REQUIRE( sock.connect("127.0.0.1", port) ) with expansion: false'
    assert (network.file, network.line) == ("/home/runner/work/acme/acme/tests/network_test.cpp", 41)
    assert "test cases: 4 | 3 passed | 1 failed" in network.details


def test_an_aborted_assert_keeps_ctests_reason_and_adds_the_assertion():
    io = case(load(FIXTURE), "io_roundtrip")
    assert io.message == "Child aborted: Assertion `n == 4' failed."
    assert (io.file, io.line) == ("/home/runner/work/acme/acme/tests/io_roundtrip.c", 27)


def test_a_timeout_and_a_crash_keep_ctests_word_and_carry_the_output():
    rf = load(FIXTURE)
    timeout = case(rf, "download_retry")
    assert timeout.message == "Timeout"
    assert "attempt 2: connection refused" in timeout.details
    assert timeout.file is None
    crash = case(rf, "cache_evict")
    assert crash.message == "SEGFAULT"
    assert crash.details.endswith("[ RUN      ] Cache.EvictsOldest\n")


def test_a_plain_error_line_is_the_message():
    config = case(load(FIXTURE), "config_load")
    assert config.message == "error: key 'threads' expects an integer, found \"four\""
    assert config.file is None


def test_output_that_names_no_failure_keeps_failed_with_the_output_as_trace():
    usage = case(load(FIXTURE), "cli_usage")
    assert usage.message == "Failed"
    assert usage.details == "usage: acme [--threads N] [--config FILE] INPUT\n"


def test_passing_and_skipped_cases_are_left_alone():
    rf = load(FIXTURE)
    codec = case(rf, "codec_test")
    assert (codec.result, codec.message, codec.details) == (Result.PASSED, "", "")
    assert "[  PASSED  ] 3 tests." in codec.stdout
    gpu = case(rf, "gpu_kernels")
    assert (gpu.result, gpu.message, gpu.details) == (Result.SKIPPED, "SKIP_RETURN_CODE=77", "")


def test_the_older_fixture_gets_catch2s_one_line_failure():
    network = case(load("ctest.xml"), "unit_network")
    assert network.message == "REQUIRE( sock.ok() )"
    assert (network.file, network.line) == ("network_test.cpp", 41)


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "results.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + body, encoding="utf-8")
    return str(path)


def test_a_place_the_case_already_has_is_kept(tmp_path: Path):
    path = _write(
        tmp_path,
        '<testsuite name="b" tests="1" failures="1">'
        '<testcase name="t" classname="t" time="0.1" status="fail" file="tests/t.cpp" line="3">'
        '<failure message="Failed"/><system-out>tests/other.cpp:9: Failure\nValue of: x\n</system-out>'
        "</testcase></testsuite>",
    )
    only = parse(path).suites[0].cases[0]
    assert only.message == "Value of: x"
    assert (only.file, only.line) == ("tests/t.cpp", 3)


def test_a_failure_with_its_own_text_or_another_writers_status_is_not_rewritten(tmp_path: Path):
    path = _write(
        tmp_path,
        '<testsuite name="b" tests="2" failures="2">'
        '<testcase name="own" classname="c" status="fail"><failure message="Timeout">killed after 60 s</failure>'
        "<system-out>x.cpp:3: Failure\nValue of: y\n</system-out></testcase>"
        '<testcase name="other" classname="c" status="run"><failure message="Failed"/>'
        "<system-out>x.cpp:4: Failure\nValue of: z\n</system-out></testcase>"
        "</testsuite>",
    )
    own, other = parse(path).suites[0].cases
    assert (own.message, own.details, own.file) == ("Timeout", "killed after 60 s", None)
    assert (other.message, other.details, other.file) == ("Failed", "", None)


def test_whitespace_only_output_leaves_the_failure_as_ctest_wrote_it(tmp_path: Path):
    path = _write(
        tmp_path,
        '<testsuite name="b" tests="1" failures="1"><testcase name="t" classname="t" status="fail">'
        '<failure message="Failed"/><system-out>\n  \n</system-out></testcase></testsuite>',
    )
    only = parse(path).suites[0].cases[0]
    assert (only.message, only.details) == ("Failed", "")


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        # googletest built with MSVC: "file(line): error:" and the expectation below.
        (
            "[ RUN      ] Io.Reads\nC:\\ci\\src\\io_test.cpp(42): error: Value of: ok\n  Actual: false\n"
            "Expected: true\n[  FAILED  ] Io.Reads (1 ms)\n",
            ("Value of: ok Actual: false Expected: true", "C:\\ci\\src\\io_test.cpp", 42),
        ),
        # googletest: an exception thrown outside any check has no place.
        (
            '[ RUN      ] A.B\nunknown file: Failure\nC++ exception with description "boom" thrown in the test body.\n'
            "[  FAILED  ] A.B (0 ms)\n",
            ('C++ exception with description "boom" thrown in the test body.', None, None),
        ),
        # Catch2: an unexpected exception.
        (
            "/src/t.cpp:12: FAILED:\n  {Unknown expression after the reported line}\n"
            "due to unexpected exception with message:\n  disk full\n\n",
            (
                "{Unknown expression after the reported line} due to unexpected exception with message: disk full",
                "/src/t.cpp",
                12,
            ),
        ),
        # Boost.Test writes "file(line): error:" on every platform.
        (
            'Running 3 test cases...\n/src/m.cpp(12): error: in "s/c": check a == b has failed [1 != 2]\n\n'
            '*** 1 failure is detected in the test module "M"\n',
            ('in "s/c": check a == b has failed [1 != 2]', "/src/m.cpp", 12),
        ),
        # doctest: "ERROR:" and the values below.
        (
            "/src/d.cpp:8: ERROR: CHECK( a == b ) is NOT correct!\n  values: CHECK( 1 == 2 )\n\n",
            ("CHECK( a == b ) is NOT correct! values: CHECK( 1 == 2 )", "/src/d.cpp", 8),
        ),
        # assert() on macOS, musl and in Python.
        (
            "Assertion failed: (n == 4), function main, file io.c, line 27.\n",
            ("Assertion failed: (n == 4), function main, file io.c, line 27.", "io.c", 27),
        ),
        ("Assertion failed: n == 4 (io.c: main: 27)\n", ("Assertion failed: n == 4 (io.c: main: 27)", "io.c", 27)),
        (
            'Traceback (most recent call last):\n  File "/s/t.py", line 3, in <module>\n    assert x == 1\n'
            "AssertionError: x is 2\n",
            ("AssertionError: x is 2", None, None),
        ),
        # A CTest run inside the test (a superbuild's check step).
        (
            "Test project /b/zlib\n    Start 2: example64\n2/2 Test #2: example64 ..........***Failed    0.02 sec\n",
            ("example64: Failed", None, None),
        ),
        ("1/1 Test #1: fuzz_png ....***Exception: SegFault  0.31 sec\n", ("fuzz_png: Exception: SegFault", None, None)),
        ("***Timeout 60.00 sec\n", ("Timeout", None, None)),
        # A framework's line wins over an earlier error the program logged and went on from.
        (
            "error: cache miss, fetching\n/src/t.cpp:5: Failure\nValue of: fetched\n",
            ("Value of: fetched", "/src/t.cpp", 5),
        ),
        ("all 12 checks ran\n", ("Failed", None, None)),
    ],
)
def test_failure_lines_of_the_frameworks_ctest_runs(output: str, expected: tuple[str, str | None, int | None]):
    assert explain("Failed", output) == expected


def test_ctests_own_reason_leads_and_the_output_adds_to_it():
    assert explain("Child killed", "step 3\n/src/w.c:9: error: watchdog fired\n") == (
        "Child killed: watchdog fired",
        "/src/w.c",
        9,
    )
    assert explain("Timeout", "waiting for lock\n") == ("Timeout", None, None)
    assert explain("", "") == ("Failed", None, None)
