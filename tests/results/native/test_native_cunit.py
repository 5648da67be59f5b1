from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import cunit


def test_failed_assertions_of_one_test_are_one_case(fixture):
    parsed = cunit.parse(fixture("cunit.xml"))
    cases = {case.id: case for case in parsed.cases()}
    failed = cases["queue_suite::test_dequeue_empty"]
    assert failed.result is Result.FAILED
    assert (failed.file, failed.line) == ("test_queue.c", 42)
    assert failed.message == "CU_ASSERT_PTR_NULL(queue_pop(q)) (and 1 more)"
    assert failed.details.splitlines() == [
        "test_queue.c:42: CU_ASSERT_PTR_NULL(queue_pop(q))",
        "test_queue.c:43: CU_ASSERT_EQUAL(queue_size(q),0)",
    ]
    assert cases["queue_suite::test_enqueue"].result is Result.PASSED


def test_suite_init_failure_is_an_error_case(fixture):
    parsed = cunit.parse(fixture("cunit.xml"))
    storage = next(s for s in parsed.suites if s.name == "storage_suite")
    (case,) = storage.cases
    assert case.result is Result.ERROR and case.message == "Suite Initialization Failed"
    assert (parsed.totals.tests, parsed.totals.passed, parsed.totals.failed, parsed.totals.errors) == (3, 1, 1, 1)


def test_doctype_with_system_id_is_read_without_fetching(fixture):
    # The fixture names CUnit-Run.dtd, which does not exist: nothing may try to load it.
    assert cunit.parse(fixture("cunit.xml")).warnings == ()
