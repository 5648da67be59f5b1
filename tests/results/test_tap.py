"""TAP 12-14: plans, directives, YAML diagnostics, subtests, bail out, mismatches, sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results import tap
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "tap"


def parse(name: str):
    return tap.parse(str(FIXTURES / name))


def cases(name: str):
    return {c.name: c for c in parse(name).cases()}


def test_tap13_points_directives_and_yaml():
    rf = parse("tap13-yaml.tap")
    assert rf.format == "tap" and rf.dialect == "tap13"
    t = rf.totals
    # a failing TODO is skipped, a passing TODO passes, SKIP is skipped
    assert (t.tests, t.passed, t.failed, t.skipped, t.errors) == (6, 3, 1, 2, 0)
    c = cases("tap13-yaml.tap")
    failed = c["First line of the input valid"]
    assert failed.message == "First line invalid"
    assert (failed.file, failed.line) == ("test/input.js", 17)
    assert failed.duration == pytest.approx(0.0125)
    assert "got: 'Flirble'" in failed.details
    assert c["Summarized correctly"].result is Result.SKIPPED
    assert c["Summarized correctly"].message.startswith("TODO: Not written yet")
    assert c["Handles unicode"].result is Result.PASSED
    assert c["test 6"].result is Result.SKIPPED and c["test 6"].message == "SKIP: no network on CI"
    assert rf.warnings == ()


def test_tap14_subtests_count_their_leaves():
    rf = parse("tap14-subtests.tap")
    assert rf.dialect == "tap14"
    c = cases("tap14-subtests.tap")
    assert "parser.test.js" not in c and "io.test.js" not in c  # the closing points are not cases
    assert c["parses numbers"].suite == "parser.test.js"
    assert c["parses numbers"].duration == pytest.approx(0.0015)
    assert c["opens a file"].classname == "io.test.js > reading"
    dates = c["parses dates"]
    assert dates.result is Result.FAILED
    assert (dates.file, dates.line) == ("test/parser.test.js", 43)
    assert dates.message == "wanted 'an error', found '2024-13-01'"
    t = rf.totals
    assert (t.passed, t.failed, t.errors) == (4, 1, 2)


def test_subtest_plan_mismatch_counts_missing_tests_as_errors():
    rf = parse("tap14-subtests.tap")
    missing = [c for c in rf.cases() if c.result is Result.ERROR]
    assert [c.name for c in missing] == ["test 2 (missing)", "test 3 (missing)"]
    assert all(c.suite == "crash.test.js" for c in missing)
    assert any("plan of 3 tests in subtest 'crash.test.js', but 1 ran" in w for w in rf.warnings)


def test_node_test_runner_output():
    rf = parse("node-test-runner.tap")
    c = cases("node-test-runner.tap")
    assert c["sums"].duration == pytest.approx(0.00072)
    divides = c["divides"]
    assert divides.result is Result.FAILED
    assert divides.message.startswith("Expected values to be strictly equal:")
    assert (divides.file, divides.line) == ("/app/test/math.test.mjs", 8)
    assert rf.totals.tests == 2 and rf.warnings == ()  # summary comments are not tests


def test_perl_diagnostics_in_comments():
    c = cases("perl-prove.t.out")
    weighs = c["widget weighs 10 kg"]
    assert weighs.message == "Failed test 'widget weighs 10 kg'"
    assert (weighs.file, weighs.line) == ("t/widget.t", 14)
    assert "expected: '10'" in weighs.details
    assert "Looks like you failed" not in c["widget is shiny"].details


def test_plan_mismatch_counts_missing_as_errors_with_warning():
    rf = parse("plan-mismatch.tap")
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.errors) == (5, 2, 1, 2)
    assert rf.warnings == (f"{FIXTURES / 'plan-mismatch.tap'}: line 2: plan of 5 tests in the file, but 3 ran; "
                           "2 missing counted as errors",)


def test_bail_out_is_one_error_and_stops_reading():
    rf = parse("bail-out.tap")
    c = cases("bail-out.tap")
    assert "never reported" not in c
    assert c["Bail out!"].result is Result.ERROR
    assert c["Bail out!"].message == "Cannot continue without a schema; 8 planned tests did not run"
    assert rf.totals.errors == 1 and rf.totals.tests == 3
    assert any(": line 5: Bail out!" in w for w in rf.warnings)


def test_skip_all_plan_and_missing_plan():
    assert parse("skip-all.tap").totals.tests == 0
    assert parse("skip-all.tap").warnings == ()
    rf = parse("no-plan.tap")
    assert rf.totals.passed == 2
    assert any("no plan" in w for w in rf.warnings)


def test_escaped_hash_is_not_a_directive():
    c = cases("escaped-hash.tap")
    assert c["issue #42 is fixed"].result is Result.PASSED
    assert c["path a\\b"].result is Result.SKIPPED


def test_unterminated_yaml_block_warns_and_keeps_reading():
    rf = parse("unterminated-yaml.tap")
    assert [c.result for c in rf.cases()] == [Result.FAILED, Result.PASSED]
    assert next(rf.cases()).message == "no closing marker"
    assert any("has no closing `...`" in w for w in rf.warnings)


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_line():
    rf = parse("latin1-byte.tap")
    assert rf.totals.tests == 2
    path = FIXTURES / "latin1-byte.tap"
    assert rf.warnings == (f"{path}: line 3: bytes that are not valid UTF-8 were replaced with U+FFFD",)


@pytest.mark.parametrize(
    "name", ["tap13-yaml.tap", "tap14-subtests.tap", "node-test-runner.tap", "perl-prove.t.out", "skip-all.tap"]
)
def test_sniff_claims_tap(name):
    assert tap.sniff(head_of(str(FIXTURES / name)))
    assert detect(str(FIXTURES / name)) is tap.FORMAT


@pytest.mark.parametrize(
    "text",
    [
        "Release notes\nok so this is a list\n1..3 of these are done\n",
        "ok\n",  # one word is not a stream
        "ok 1 - looks like TAP\nbut then a lot of prose\nand more prose\nand more\nand still more\n",
        "1..0\nsome text after\n",
        "# just a comment\n",
    ],
)
def test_sniff_leaves_plain_text_alone(tmp_path, text):
    path = tmp_path / "notes.txt"
    path.write_text(text)
    assert not tap.sniff(head_of(str(path)))


def test_large_stream_is_read_line_by_line(tmp_path):
    path = tmp_path / "big.tap"
    with path.open("w") as fh:
        fh.write("TAP version 13\n1..20000\n")
        for i in range(1, 20001):
            fh.write(f"ok {i} - case {i}\n" if i % 1000 else f"not ok {i} - case {i}\n  ---\n  message: m{i}\n  ...\n")
    rf = tap.parse(str(path))
    assert (rf.totals.tests, rf.totals.failed) == (20000, 20)


def test_node_names_every_test_with_a_subtest_comment_at_its_own_level():
    # node's runner writes "# Subtest: <name>" before every test, leaves included, so the
    # first comment inside a suite names that leaf, while the suite's own name came one level up.
    rf = parse("node-nested-describe.tap")
    c = cases("node-nested-describe.tap")
    assert c["adds an item"].classname == "cart"
    assert c["with tax"].classname == "cart > totals"
    assert c["with tax"].result is Result.FAILED
    assert (c["with tax"].file, c["with tax"].line) == ("/srv/shop/test/cart.test.mjs", 14)
    assert c["health"].result is Result.PASSED
    t = rf.totals
    assert (t.tests, t.passed, t.failed) == (3, 2, 1) and rf.warnings == ()
