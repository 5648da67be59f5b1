"""The plain-file screen of dialect detection gives the answer every rule, asked in order, would give."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from testrelay.results import junit, junit_dialect
from testrelay.results.expat_source import read_expat
from testrelay.results.junit_dialect import Clues, detect
from testrelay.results.xmlsource import MalformedXML

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "junit").glob("*.xml"))

XSI = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
# Values each key's rules look for, and a few that no rule wants.
VALUES = {
    "name": ["x", "test", "pytest", "AllTests", "jest tests", "vitest tests", "Mocha Tests", "Root Suite", "//pkg:t",
             "suite-20240101120000", "a b", "login.spec.ts"],
    "classname": ["x", "test", "a b"],
    "hostname": ["chromium", "Firefox", "ci-runner-7"],
    "file": ["cypress/e2e/a.cy.ts", "a.spec.ts"],
    "status": ["run", "fail", "notrun", "passed"],
    "result": ["completed", "skipped", "x"],
    XSI: ["surefire.xsd", "other.xsd"],
}
OTHER_KEYS = ["tests", "time", "timestamp", "id", "skipped", "disabled", "assertions", "package"]
PROPERTY_VALUES = st.sampled_from(["go1.22", "surefire"])
PROPERTY_KEYS = ["device", "flavor", "go.version", "browser.fullName", "surefire.version", "sun.java.command", "p"]


def keyed(keys: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({k: st.sampled_from(VALUES.get(k, ["1", "x"])) for k in keys})


attrs = st.lists(st.sampled_from([*VALUES, *OTHER_KEYS]), max_size=5, unique=True).flatmap(keyed)


@st.composite
def clues(draw: st.DrawFn) -> Clues:
    gradle = ["name", "tests", "skipped", "failures", "errors", "timestamp", "hostname", "time"]
    suites = draw(st.lists(attrs | st.just(dict.fromkeys(gradle, "1")), max_size=3))
    return Clues(
        root_tag=draw(st.sampled_from(["testsuite", "testsuite", "testsuites", ""])),
        root=draw(attrs),
        suites=suites,
        properties=draw(st.just({}) | st.dictionaries(st.sampled_from(PROPERTY_KEYS), PROPERTY_VALUES)),
        cases=draw(st.lists(attrs, max_size=3)),
        child_tags=set(draw(st.lists(st.sampled_from(["flakyFailure", "rerunFailure"]), max_size=1))),
        failure_types=set(draw(st.lists(st.sampled_from(["hookFailed", "AssertionError", "x"]), max_size=2))),
    )


def every_rule(c: Clues) -> str:
    view = junit_dialect._View(c)
    for rule in junit_dialect._RULES:
        found = rule(c, view)
        if found:
            return found
    return "junit"


@settings(max_examples=800, deadline=None)
@given(clues())
@example(Clues(root_tag="testsuite", suites=[{"name": "//pkg:t"}]))
@example(Clues(root_tag="testsuite", cases=[{"name": "//pkg:t"}]))
@example(Clues(root_tag="testsuite", root={"name": "Mocha Tests"}))
@example(Clues(root_tag="testsuite", cases=[{"classname": "test"}]))
@example(Clues(root_tag="testsuite", root={"name": "r"}, cases=[{"classname": "test"}]))
@example(Clues(root_tag="testsuite", suites=[{"name": "Root Suite", "file": "cypress/e2e/a.cy.ts"}]))
@example(Clues(root_tag="testsuite", suites=[{"name": "Root Suite"}]))
@example(Clues(root_tag="testsuite", suites=[{"hostname": "WebKit"}]))
@example(Clues(root_tag="testsuite", root={"id": "1", "skipped": "0"}, suites=[{"name": "a.spec.ts"}]))
@example(Clues(root_tag="testsuite", root={"id": "1"}, suites=[{"name": "a.spec.ts"}]))
@example(Clues(root_tag="testsuite", suites=[{"name": "suite-20240101120000"}]))
@example(Clues(root_tag="testsuite", root={"name": "vitest tests"}))
@example(Clues(root_tag="testsuite", failure_types={"hookFailed"}))
# One for each rule the screen leaves out, with the key that lets it claim a <testsuite> file.
@example(Clues(root_tag="testsuite", suites=[{"disabled": "0", "timestamp": "t"}]))
@example(Clues(root_tag="testsuite", suites=[{XSI: "surefire.xsd"}]))
@example(Clues(root_tag="testsuite", suites=[{"assertions": "1"}]))
@example(Clues(root_tag="testsuite", cases=[{"assertions": "1"}]))
@example(Clues(root_tag="testsuite", cases=[{"status": "run"}]))
@example(Clues(root_tag="testsuite", cases=[{"result": "completed", "status": "run"}]))
@example(Clues(root_tag="testsuite", properties={"go.version": "go1.22"}))
def test_screened_detection_equals_every_rule_in_order(c: Clues) -> None:
    assert detect(c) == every_rule(c)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_gets_the_dialect_every_rule_gives(path: Path) -> None:
    seen: list[Clues] = []
    reader = junit._Reader(str(path))
    original = junit.detect
    try:
        junit.detect = lambda c: seen.append(c) or original(c)  # type: ignore[assignment]
        read_expat(str(path), lambda: reader.begin(str(path)), fast=True)
    except MalformedXML:
        pytest.skip("not well-formed")
    finally:
        junit.detect = original
    assert detect(seen[0]) == every_rule(seen[0])


def test_the_plain_rules_keep_the_order_of_all_rules() -> None:
    order = list(junit_dialect._RULES)
    positions = [order.index(rule) for rule in junit_dialect._PLAIN_RULES]
    assert positions == sorted(positions)


def test_a_plain_file_still_gets_its_dialect_from_the_rules_kept() -> None:
    gradle = dict.fromkeys(["name", "tests", "skipped", "failures", "errors", "timestamp", "hostname", "time"], "1")
    assert detect(Clues(root_tag="testsuite", root=gradle, suites=[gradle])) == "gradle"
    plain = {"name": "com.example.AppTest", "tests": "2", "hostname": "ci-runner-7"}
    assert detect(Clues(root_tag="testsuite", root=plain, suites=[plain])) == "junit"
    assert detect(Clues(root_tag="testsuite", root=plain, suites=[{**plain, "name": "pytest"}])) == "pytest"
