"""Which tool wrote a JUnit file, judged from cheap clues gathered while parsing.

Only the root, the first few suites, their properties and the first few cases are
looked at, so detection costs nothing on large files. The rules go from the most
specific clue (a schema location, a property only one tool writes) to the vaguest
(the shape of names); a file no rule claims is plain "junit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SAMPLE = 5  # suites and cases sampled for clues

_XSI_SCHEMA = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"
_GRADLE_ORDER = ("name", "tests", "skipped", "failures", "errors", "timestamp", "hostname", "time")
_XMLRUNNER_SUITE = re.compile(r"-\d{14}$")  # unittest-xml-reporting appends a YYYYMMDDhhmmss stamp
_SPEC_FILE = re.compile(r"\.(?:spec|test)\.[cm]?[jt]sx?$")
_NODE_FAILURES = frozenset({"testCodeFailure", "hookFailed", "testTimeoutFailure", "cancelledByParent"})
_BROWSERS = frozenset({"chromium", "firefox", "webkit", "chrome", "msedge", "mobile chrome", "mobile safari"})


@dataclass(slots=True)
class Clues:
    root_tag: str = ""
    root: dict[str, str] = field(default_factory=dict)
    suites: list[dict[str, str]] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    cases: list[dict[str, str]] = field(default_factory=list)
    child_tags: set[str] = field(default_factory=set)
    failure_types: set[str] = field(default_factory=set)

    def add_suite(self, attrib: dict[str, str]) -> None:
        if len(self.suites) < SAMPLE:
            self.suites.append(attrib)


class _View:
    """What several rules ask of the clues, worked out once per file.

    Most rules need one attribute name (or a property at all) to be present before they
    can claim a file, so a plain file passes each of them with a set look-up.
    """

    __slots__ = ("case_keys", "names", "suite_keys")

    def __init__(self, c: Clues) -> None:
        self.names = [s["name"] for s in c.suites if "name" in s]
        self.suite_keys: set[str] = set().union(*c.suites)
        self.case_keys: set[str] = set().union(*c.cases)


def detect(c: Clues) -> str:
    if c.root_tag == "testsuite" and not c.properties:
        for suite in c.suites:
            if not _RARE_SUITE_KEYS.isdisjoint(suite):
                break
        else:
            for case in c.cases:
                if not _RARE_CASE_KEYS.isdisjoint(case):
                    break
            else:
                return _plain(c)
    v = _View(c)
    for rule in _RULES:
        found = rule(c, v)
        if found:
            return found
    return "junit"


def _plain(c: Clues) -> str:
    """`detect` for a plain file (see _PLAIN_RULES): those rules, in their order, spelt out in one function.

    Nearly every file is plain, and the calls and the _View cost more than the rules' own work
    (measured: 7 us of a 90 us small file). tests/results/test_junit_dialect_screen.py holds this
    function to the rules it repeats; a change to one of them belongs here too.
    """
    suites, cases, root = c.suites, c.cases, c.root
    names = [s["name"] for s in suites if "name" in s]
    for n in names:  # _bazel
        if n.startswith("//"):
            return "bazel"
    for case in cases:
        if case.get("name", "").startswith("//"):
            return "bazel"
    if "pytest" in names:  # _pytest
        return "pytest"
    for n in names:  # _xmlrunner
        if "-" in n and _XMLRUNNER_SUITE.search(n):
            return "unittest-xml-reporting"
    name = root.get("name", "")  # _by_root_name
    if name == "jest tests":
        return "jest-junit"
    if name == "vitest tests":
        return "vitest"
    if name == "Mocha Tests" or "Root Suite" in names:
        files = " ".join(_suite_values(c, "file"))
        return "cypress" if "cypress" in files or ".cy." in files else "mocha-junit-reporter"
    for suite in suites:  # _playwright
        host = suite.get("hostname")
        if host is not None and host.lower() in _BROWSERS:
            return "playwright"
    if "id" in root and "skipped" in root and any(_SPEC_FILE.search(n) for n in names):
        return "playwright"
    if c.failure_types and c.failure_types & _NODE_FAILURES:  # _node_test
        return "node-test"
    if cases and not root and all(case.get("classname") == "test" for case in cases):
        return "node-test"
    if suites and tuple(suites[0]) == _GRADLE_ORDER:  # _gradle: the root is a <testsuite> here
        return "gradle"
    return "junit"


def _suite_values(c: Clues, key: str) -> list[str]:
    return [s[key] for s in c.suites if key in s]


def _surefire(c: Clues, v: _View) -> str | None:
    if _XSI_SCHEMA in v.suite_keys:
        schema = " ".join(_suite_values(c, _XSI_SCHEMA))
        if "surefire" in schema or "failsafe" in schema:
            return "surefire"
    props = c.properties
    if not props:
        return None
    if any(k.startswith(("surefire.", "maven.")) for k in props) or "failsafe" in props.get("sun.java.command", ""):
        return "surefire"
    if "surefire" in props.get("sun.java.command", ""):
        return "surefire"
    return None


def _android(c: Clues, v: _View) -> str | None:
    props = c.properties
    if "device" in props and ("flavor" in props or "project" in props):
        return "android"
    return None


def _googletest(c: Clues, v: _View) -> str | None:
    if c.root_tag == "testsuites" and c.root.get("name") == "AllTests":
        return "googletest"
    if "result" in v.case_keys and "status" in v.case_keys and any(
        case.get("result") in ("completed", "skipped", "suppressed") and "status" in case for case in c.cases
    ):
        return "googletest"
    return None


def _bazel(c: Clues, v: _View) -> str | None:
    for n in v.names:
        if n.startswith("//"):
            return "bazel"
    for case in c.cases:
        if case.get("name", "").startswith("//"):
            return "bazel"
    return None


def _ctest(c: Clues, v: _View) -> str | None:
    if c.root_tag != "testsuite" or "status" not in v.case_keys:
        return None
    statuses = {case.get("status") for case in c.cases}
    if statuses & {"run", "fail", "notrun", "disabled"}:
        return "ctest"
    return None


def ctest_failure(c: Clues, status: str | None) -> bool:
    """A case CTest marked failed, judged as `_ctest` judges the file: a <testsuite> root, status "fail".

    Asked while the file is read, before the dialect is known, so the case's own status decides.
    """
    return status == "fail" and c.root_tag == "testsuite"


def _phpunit(c: Clues, v: _View) -> str | None:
    if "assertions" in v.case_keys or "assertions" in v.suite_keys:
        return "phpunit"
    return None


def _go(c: Clues, v: _View) -> str | None:
    version = c.properties.get("go.version")
    if version is None:
        return None
    # gotestsum writes "go1.22.1 linux/amd64"; go-junit-report the bare version, plus id/package on v2 suites.
    if "package" in v.suite_keys or "id" in v.suite_keys:
        return "go-junit-report"
    return "gotestsum" if " " in version.strip() else "go-junit-report"


def _karma(c: Clues, v: _View) -> str | None:
    if "browser.fullName" in c.properties:
        return "karma"
    return None


def _pytest(c: Clues, v: _View) -> str | None:
    if "pytest" in v.names:
        return "pytest"
    return None


def _xmlrunner(c: Clues, v: _View) -> str | None:
    for n in v.names:
        if "-" in n and _XMLRUNNER_SUITE.search(n):  # the "-" test spares the regex most names
            return "unittest-xml-reporting"
    return None


def _by_root_name(c: Clues, v: _View) -> str | None:
    name = c.root.get("name", "")
    if name == "jest tests":
        return "jest-junit"
    if name == "vitest tests":
        return "vitest"
    if name == "Mocha Tests" or "Root Suite" in v.names:
        files = " ".join(_suite_values(c, "file"))
        return "cypress" if "cypress" in files or ".cy." in files else "mocha-junit-reporter"
    return None


def _playwright(c: Clues, v: _View) -> str | None:
    if "hostname" in v.suite_keys:
        for host in _suite_values(c, "hostname"):
            if host.lower() in _BROWSERS:
                return "playwright"
    if "id" in c.root and "skipped" in c.root and any(_SPEC_FILE.search(n) for n in v.names):
        return "playwright"
    return None


def _node_test(c: Clues, v: _View) -> str | None:
    if c.failure_types and c.failure_types & _NODE_FAILURES:
        return "node-test"
    if c.cases and not c.root and all(case.get("classname") == "test" for case in c.cases):
        return "node-test"
    return None


def _jasmine(c: Clues, v: _View) -> str | None:
    # jasmine-reporters writes `disabled` on every suite and classnames as dotted describe paths.
    if "disabled" not in v.suite_keys or c.properties:
        return None
    if all("disabled" in s and "timestamp" in s for s in c.suites):
        return "jasmine"
    return None


def _jest_shape(c: Clues, v: _View) -> str | None:
    # jest-junit's default templates make classname and name the same "describe title" string.
    if c.root_tag == "testsuites" and c.cases and all(
        case.get("classname") == case.get("name") and " " in case.get("name", "") for case in c.cases
    ):
        return "jest-junit"
    return None


def _gradle(c: Clues, v: _View) -> str | None:
    if c.root_tag == "testsuite" and c.suites and tuple(c.suites[0]) == _GRADLE_ORDER:
        return "gradle"
    return None


_RULES = (
    _surefire,
    _android,
    _googletest,
    _bazel,
    _ctest,
    _phpunit,
    _go,
    _karma,
    _pytest,
    _xmlrunner,
    _by_root_name,
    _playwright,
    _node_test,
    _jasmine,
    _jest_shape,
    _gradle,
)
# The usual file: a <testsuite> root, no properties and none of these keys. Every rule left out of
# _PLAIN_RULES needs one of them (or a <testsuites> root) to claim a file, so the rules that remain,
# asked in the same order (as `_plain` asks them), give the answer all of them would.
_RARE_SUITE_KEYS = frozenset({_XSI_SCHEMA, "assertions", "disabled"})
_RARE_CASE_KEYS = frozenset({"result", "status", "assertions"})
_PLAIN_RULES = (_bazel, _pytest, _xmlrunner, _by_root_name, _playwright, _node_test, _gradle)
