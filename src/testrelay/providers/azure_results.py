"""Test cases as Azure DevOps test results (`TestCaseResult`), and the batches they are sent in.

Azure's own agent publishes results 1,000 per request (its TestRunPublisher's batch size); we do the
same, and also close a batch early when its messages and traces add up to more than a few MiB, so one
request never grows past what the service takes in one body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..results.model import Result, TestCase

BATCH_SIZE = 1_000
BATCH_CHARS = 8 * 1024 * 1024
# Our own bound per text field: the full trace stays in the report; the Tests tab needs the start of it.
FIELD_CHARS = 32_000

OUTCOMES: dict[Result, str] = {
    Result.PASSED: "Passed",
    Result.FAILED: "Failed",
    Result.ERROR: "Error",
    Result.SKIPPED: "NotExecuted",
}

# What callers of the library may pass as a status word, in Azure's outcome names.
STATUS_WORDS: dict[str, str] = {
    "passed": "Passed", "success": "Passed", "failed": "Failed", "failure": "Failed",
    "error": "Error", "skipped": "NotExecuted", "notexecuted": "NotExecuted",
}


def _cut(text: str, limit: int = FIELD_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def case_result(case: TestCase) -> dict[str, Any]:
    """One `TestCaseResult` as the `POST _apis/test/Runs/{runId}/results` body takes it."""
    full_name = f"{case.classname}.{case.name}" if case.classname else case.name
    result: dict[str, Any] = {
        "testCaseTitle": case.name,
        "automatedTestName": full_name,
        "automatedTestStorage": case.file or case.suite or case.classname or "tests",
        "outcome": OUTCOMES[case.result],
        "durationInMs": round(case.duration * 1000),
        "state": "Completed",
    }
    if case.message:
        result["errorMessage"] = _cut(case.message)
    if case.details:
        result["stackTrace"] = _cut(case.details)
    if case.flaky:
        failed = sum(1 for a in case.attempts if a.result in (Result.FAILED, Result.ERROR))
        result["comment"] = f"passed on retry after {failed} failed attempt{'s' if failed != 1 else ''}"
    return result


def _weight(result: dict[str, Any]) -> int:
    return 200 + sum(len(str(result.get(k, ""))) for k in ("errorMessage", "stackTrace", "automatedTestName"))


def batches(results: Iterable[dict[str, Any]], size: int = BATCH_SIZE,
            max_chars: int = BATCH_CHARS) -> Iterator[list[dict[str, Any]]]:
    """Results in lists of at most `size`, closed early once their text passes `max_chars`."""
    batch: list[dict[str, Any]] = []
    weight = 0
    for result in results:
        w = _weight(result)
        if batch and (len(batch) >= size or weight + w > max_chars):
            yield batch
            batch, weight = [], 0
        batch.append(result)
        weight += w
    if batch:
        yield batch


def from_dict(item: dict[str, Any]) -> dict[str, Any]:
    """A result a library user gave as a plain dict (`name`, `classname`, `status`, `duration`, ...)."""
    if "testCaseTitle" in item or "automatedTestName" in item:
        return {"state": "Completed", **item}
    status = str(item.get("status") or item.get("result") or "passed").lower()
    outcome = STATUS_WORDS.get(status)
    if outcome is None:
        raise ValueError(f"result status {status!r} is not one of {', '.join(sorted(STATUS_WORDS))}")
    name = str(item.get("name") or "unnamed")
    classname = str(item.get("classname") or "")
    result: dict[str, Any] = {
        "testCaseTitle": name,
        "automatedTestName": f"{classname}.{name}" if classname else name,
        "automatedTestStorage": str(item.get("file") or item.get("suite") or classname or "tests"),
        "outcome": outcome,
        "durationInMs": round(float(item.get("duration") or 0) * 1000),
        "state": "Completed",
    }
    if item.get("message"):
        result["errorMessage"] = _cut(str(item["message"]))
    if item.get("details"):
        result["stackTrace"] = _cut(str(item["details"]))
    return result
