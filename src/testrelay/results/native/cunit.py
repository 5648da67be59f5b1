"""CUnit's automated interface (`CU_automated_run_tests`, file "*-Results.xml"):
root CUNIT_TEST_RUN_REPORT.

Each suite that ran is a CUNIT_RUN_SUITE_SUCCESS with one CUNIT_RUN_TEST_RECORD per
passed test and one per failed *assertion*: a test with three failed asserts has three
CUNIT_RUN_TEST_FAILURE records with the same TEST_NAME, and is one failed case here.
A suite whose init or cleanup function failed is a CUNIT_RUN_SUITE_FAILURE with a
FAILURE_REASON; its tests did not run, so it becomes one error case. CUnit pads
every value with spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    child_text,
    expect_root,
    first_of_many,
    line_number,
    local,
    parse_with,
    release,
)

NAME = "cunit"


def sniff(head: Head) -> bool:
    return head.root == "CUNIT_TEST_RUN_REPORT"


@dataclass
class _Test:
    name: str
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)

    def case(self, suite: str) -> TestCase:
        if not self.failures:
            return TestCase(name=self.name, classname=suite, suite=suite)
        file, line, condition = self.failures[0]
        details = "\n".join(f"{f}:{n}: {c}" if n else f"{f}: {c}" for f, n, c in self.failures)
        return TestCase(
            name=self.name,
            classname=suite,
            suite=suite,
            file=file or None,
            line=line,
            result=Result.FAILED,
            message=first_of_many(condition, len(self.failures)),
            details=details,
        )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        expect_root(path, events, ("CUNIT_TEST_RUN_REPORT",), "a CUnit automated report")
        builder = SuiteBuilder()
        tests: dict[str, _Test] = {}
        suite = ""
        for event, el in events:
            if event != "end":
                continue
            kind = local(el.tag)
            if kind == "SUITE_NAME":
                suite = (el.text or "").strip()
            elif kind in ("CUNIT_RUN_TEST_SUCCESS", "CUNIT_RUN_TEST_FAILURE"):
                name = child_text(el, "TEST_NAME")
                test = tests.setdefault(name, _Test(name))
                if kind == "CUNIT_RUN_TEST_FAILURE":
                    test.failures.append(
                        (
                            child_text(el, "FILE_NAME"),
                            line_number(child_text(el, "LINE_NUMBER")),
                            child_text(el, "CONDITION"),
                        )
                    )
            elif kind == "CUNIT_RUN_SUITE_SUCCESS":
                for test in tests.values():
                    builder.add(suite, test.case(suite))
                tests = {}
                release(el)
            elif kind == "CUNIT_RUN_SUITE_FAILURE":
                reason = child_text(el, "FAILURE_REASON") or "suite failed"
                builder.add(
                    suite, TestCase(name=reason, classname=suite, suite=suite, result=Result.ERROR, message=reason)
                )
                release(el)
        return Parsed(builder.suites())

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
