"""JUnit shapes met in files real tools wrote, each reproduced in a small fixture of our own."""

from __future__ import annotations

from support.junit_fixtures import FIXTURES, case, load
from testrelay.results.junit import parse
from testrelay.results.model import Result


def test_jest_junit_suite_that_failed_to_run_is_an_error_without_count_warnings():
    # jest-junit writes tests="0" errors="1" and a stand-in case named after the file.
    rf = load("shape-jest-suite-failed-to-run.xml")
    t = rf.totals
    assert (t.tests, t.passed, t.errors) == (3, 2, 1)
    broken = case(rf, "src/ledger.test.ts")
    assert broken.result is Result.ERROR
    assert broken.message.startswith("src/ledger.ts:4:8 - error TS2307")
    assert "Test suite failed to run" in broken.details
    assert rf.warnings == ()


def test_file_and_line_on_the_failure_element_are_used_when_the_case_has_none():
    rf = load("shape-result-element-details.xml")
    square = case(rf, "area of a unit square")
    assert (square.file, square.line) == ("tests/geometry/area.cpp", 27)
    perimeter = case(rf, "perimeter")  # the case's own location wins
    assert (perimeter.file, perimeter.line) == ("tests/geometry/perimeter.cpp", 12)
    assert case(rf, "convex hull").file is None


def test_a_failure_whose_body_is_only_whitespace_has_no_details():
    rf = load("shape-result-element-details.xml")
    empty = case(rf, "empty polygon")
    assert empty.result is Result.FAILED
    assert empty.message == "Expected an empty outline."
    assert empty.details == ""
    assert rf.warnings == ()


def test_line_of_a_failure_comes_from_the_trace_when_only_the_file_is_given():
    # PHPUnit gives a .phpt case its file but no line; the trace names the failing line of that file.
    rf = load("shape-file-without-line-trace.xml")
    failed = case(rf, "export-csv-with-bom.phpt")
    assert (failed.file, failed.line) == ("/build/app/tests/end-to-end/export/export-csv-with-bom.phpt", 19)
    elsewhere = case(rf, "import-rejects-empty.phpt")  # the trace never names its own file
    assert (elsewhere.file, elsewhere.line) == ("/build/app/tests/end-to-end/import/import-rejects-empty.phpt", None)
    assert case(rf, "import-accepts-utf8.phpt").line is None
    assert rf.warnings == ()


def test_go_tools_generic_failed_message_gives_way_to_the_test_output():
    # gotestsum and go-junit-report write message="Failed" and the test's output as the body.
    rf = load("shape-gotestsum-output.xml")
    partial = case(rf, "TestRelease/partial")
    assert partial.message == "released 3 units, want 2"
    assert (partial.file, partial.line) == ("release_test.go", 57)
    assert "--- FAIL: TestRelease/partial" in partial.details
    crash = case(rf, "TestCrash")
    assert crash.message == "panic: runtime error: index out of range [4] with length 4 [recovered]"
    assert crash.file is None
    main = case(rf, "TestMain")  # output with no test framing: the first line says it
    assert main.message == "schema setup: connection refused"


def test_go_tools_skip_message_holding_the_output_becomes_the_skip_reason():
    rf = load("shape-gotestsum-output.xml")
    skipped = case(rf, "TestAudit")
    assert skipped.result is Result.SKIPPED
    assert skipped.message == "needs AUDIT_DSN"


def test_gotestsum_test_main_failure_outside_the_declared_counts_is_no_count_warning():
    # gotestsum adds a failing TestMain case for a package that failed outside its tests, uncounted.
    rf = load("shape-gotestsum-output.xml")
    assert case(rf, "TestMain").result is Result.FAILED
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.skipped) == (5, 1, 3, 1)
    assert rf.warnings == ()


def test_vitest_failure_takes_its_file_from_the_classname_and_its_line_from_the_trace():
    # vitest writes the test file as classname and no file attribute; its trace names "<file>:<line>:<col>".
    rf = load("shape-vitest-file-in-classname.xml")
    rounded = case(rf, "total > rounds half up")
    assert (rounded.file, rounded.line) == ("src/basket/total.test.ts", 23)
    no_frame = case(rf, "total > rejects a negative quantity")  # nothing in the trace names the file
    assert (no_frame.file, no_frame.line) == (None, None)
    passed = case(rf, "total > adds the delivery fee")
    assert passed.file is None


def test_cypress_cases_take_the_spec_file_of_the_root_suite_and_a_failure_its_line():
    # Cypress names the spec only on the empty "Root Suite" (here with Windows backslashes);
    # the describe suites holding the cases carry no file.
    rf = load("shape-cypress-spec-file.xml")
    assert rf.dialect == "cypress"
    failed = case(rf, "Login greets the user after signing in")
    assert failed.result is Result.FAILED
    # The first frame naming the spec is the webpack one; the plain frame after it is not taken.
    assert (failed.file, failed.line) == ("cypress/e2e/login.cy.js", 38)
    for name in ("Login shows the sign-in form", "Login with a locked account explains why"):
        passed = case(rf, name)
        assert (passed.file, passed.line) == ("cypress/e2e/login.cy.js", None)
    assert all("\\" not in c.file for c in rf.cases())
    assert (rf.totals.tests, rf.totals.failed) == (3, 1)
    assert rf.warnings == ()


def test_a_mocha_file_of_the_same_shape_that_is_not_cypress_keeps_its_cases_without_file(tmp_path):
    text = (FIXTURES / "shape-cypress-spec-file.xml").read_text(encoding="utf-8")
    mocha = tmp_path / "mocha.xml"
    mocha.write_text(text.replace("cypress\\e2e\\login.cy.js", "test\\login.spec.js"), encoding="utf-8")
    rf = parse(str(mocha))
    assert rf.dialect == "mocha-junit-reporter"
    assert all((c.file, c.line) == (None, None) for c in rf.cases())
    assert case(rf, "Login greets the user after signing in").result is Result.FAILED


def test_each_root_suite_of_a_merged_cypress_file_names_the_cases_after_it(tmp_path):
    # Reports of several specs merged into one file: each Root Suite starts a new spec.
    text = (FIXTURES / "shape-cypress-spec-file.xml").read_text(encoding="utf-8")
    body = text.split("<testsuites", 1)[1].split(">", 1)[1].rsplit("</testsuites>", 1)[0]
    other = (
        body.replace("cypress\\e2e\\login.cy.js", "cypress/e2e/cart.cy.js")
        .replace('name="Login', 'name="Cart')
        .replace("cypress/e2e/login.cy.js:38:31", "cypress/e2e/cart.cy.js:9:14")
    )
    merged = tmp_path / "merged.xml"
    merged.write_text(f'<testsuites name="Mocha Tests">{body}{other}</testsuites>', encoding="utf-8")
    rf = parse(str(merged))
    assert rf.dialect == "cypress"
    assert {c.file for c in rf.cases() if c.name.startswith("Login")} == {"cypress/e2e/login.cy.js"}
    assert {c.file for c in rf.cases() if c.name.startswith("Cart")} == {"cypress/e2e/cart.cy.js"}
    cart_failure = case(rf, "Cart greets the user after signing in")
    assert (cart_failure.file, cart_failure.line) == ("cypress/e2e/cart.cy.js", 9)


def test_jasmine_reporters_counts_failed_expectations_so_two_in_one_spec_are_no_count_warning():
    # jasmine-reporters writes one <failure> per failed expectation and sums them in `failures`.
    rf = load("shape-jasmine-expectation-failures.xml")
    assert rf.dialect == "jasmine"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.skipped) == (3, 0, 2, 1)
    sums = case(rf, "sums the lines")
    assert sums.message == "Expected 40 to be 42."
    assert "Expected 'EUR' to equal 'USD'." in sums.details
    assert rf.warnings == ()


def test_failures_declared_beyond_the_failure_elements_still_warn(tmp_path):
    path = tmp_path / "over.xml"
    path.write_text(
        '<testsuite name="s" tests="1" failures="3">'
        '<testcase name="a"><failure message="x"/><failure message="y"/></testcase></testsuite>'
    )
    assert parse(str(path)).warnings == (f"{path}: suite 's' declares failures=3 but holds 1; the cases are counted",)
