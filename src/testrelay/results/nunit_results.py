"""How NUnit 2 and NUnit 3 result attributes map onto a case's result (table in nunit.py)."""

from __future__ import annotations

from typing import Any

from .dotnet_fields import child_text
from .model import Result

_V3_ERROR_LABELS = frozenset({"error", "cancelled", "invalid"})
# Labels that only classify a result; any other label is a reason NUnit gives nowhere else (a timeout's).
_V3_PLAIN_LABELS = _V3_ERROR_LABELS | {"ignored", "explicit"}

_V2_RESULTS: dict[str, Result] = {
    "success": Result.PASSED,
    "failure": Result.FAILED,
    "error": Result.ERROR,
    "cancelled": Result.ERROR,
    "notrunnable": Result.ERROR,
    "ignored": Result.SKIPPED,
    "skipped": Result.SKIPPED,
    "inconclusive": Result.SKIPPED,
}

_SITES = {"SetUp": "SetUp", "TearDown": "TearDown", "Parent": "OneTimeSetUp"}


def nunit3_result(elem: Any) -> tuple[Result, str]:
    """The result of an NUnit 3 <test-case>, and a message when the site adds to the written one."""
    result = elem.get("result") or ""
    label = (elem.get("label") or "").lower()
    site = elem.get("site") or ""
    if result == "Passed" or result == "Warning":
        return Result.PASSED, ""
    if result in ("Skipped", "Inconclusive"):
        return Result.SKIPPED, ""
    if result == "Failed":
        if site == "Parent":
            # The fixture's OneTimeSetUp failed; the case never ran.
            return Result.ERROR, _with_site(elem, site)
        outcome = Result.ERROR if label in _V3_ERROR_LABELS else Result.FAILED
        return outcome, _with_site(elem, site) if site in ("SetUp", "TearDown") else ""
    # An unknown or missing result: the case did not report a clean pass.
    return Result.ERROR, f"NUnit result {result!r}" if result else "no result recorded"


def nunit2_result(elem: Any) -> tuple[Result, str]:
    """The result of an NUnit 2 <test-case>: `result` (2.5+), else `executed` and `success` (2.2, 2.4)."""
    result = (elem.get("result") or "").lower()
    if result in _V2_RESULTS:
        return _V2_RESULTS[result], ""
    # .NET writes "True"/"False"; older and hand-rolled writers write them in lower case.
    if (elem.get("executed") or "").lower() == "false":
        return Result.SKIPPED, ""
    success = (elem.get("success") or "").lower()
    if success == "true":
        return Result.PASSED, ""
    if success == "false":
        return Result.FAILED, ""
    return Result.ERROR, f"NUnit result {elem.get('result')!r}" if elem.get("result") else "no result recorded"


def nunit3_label_reason(elem: Any) -> str:
    """The reason a failed NUnit 3 case carries in its label alone, e.g. "Test exceeded Timeout value 250ms."."""
    label = (elem.get("label") or "").strip()
    return "" if label.lower() in _V3_PLAIN_LABELS else label


def _with_site(elem: Any, site: str) -> str:
    written = child_text(elem, "failure", "message").strip()
    where = _SITES.get(site, site)
    if written.startswith(where):
        return written
    return f"{where}: {written}" if written else f"{where} failed"
