"""The spec-file helpers for Cypress JUnit files: path normalising and the line a trace gives."""

from __future__ import annotations

from testrelay.results.junit_spec_file import line_in_trace, spec_path

SPEC = "cypress/e2e/login.cy.js"


def test_spec_path_uses_forward_slashes_and_drops_a_leading_dot_slash():
    assert spec_path("cypress\\e2e\\login.cy.js") == SPEC
    assert spec_path("./cypress/e2e/login.cy.js") == SPEC


def test_the_first_frame_naming_the_spec_gives_the_line_not_an_earlier_frame_of_another_file():
    trace = (
        "CypressError: `cy.click()` failed because this element is detached\n"
        "    at Context.login (webpack:///./cypress/support/commands.js:14:8)\n"
        "    at Context.eval (webpack:///./cypress/e2e/login.cy.js:38:31)\n"
        "    at Context.eval (cypress/e2e/login.cy.js:12:5)\n"
    )
    assert line_in_trace(trace, SPEC) == 38


def test_plain_firefox_and_windows_frames_are_read():
    assert line_in_trace("Error: boom\n    at Context.eval (cypress/e2e/login.cy.js:7:3)", SPEC) == 7
    assert line_in_trace("Context.eval@webpack:///./cypress/e2e/login.cy.js:21:9", SPEC) == 21
    assert line_in_trace("at Context.eval (C:\\work\\app\\cypress\\e2e\\login.cy.js:44:2)", SPEC) == 44


def test_a_file_whose_name_only_ends_like_the_spec_is_not_taken():
    assert line_in_trace("at x (cypress/e2e/relogin.cy.js:5:1)", "e2e/login.cy.js") is None
    assert line_in_trace("AssertionError: expected 200, got 500", SPEC) is None
