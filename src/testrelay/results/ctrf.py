"""CTRF, the Common Test Report Format: `{"results": {"tool", "summary", "tests": [...]}}`.

Statuses map as CTRF's own tools count them: `pending` is a skip, and `other` (a
status the source tool had that CTRF has no word for, e.g. "interrupted") is an
error, since nobody can call it a pass. Durations are milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from .formats import Format, Head
from .jsonsource import Warnings, clip, load_json, require_list, require_object, starts_with_object, type_name
from .model import Attempt, Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "ctrf"

STATUS = {
    "passed": Result.PASSED,
    "failed": Result.FAILED,
    "skipped": Result.SKIPPED,
    "pending": Result.SKIPPED,
    "other": Result.ERROR,
}

_MARKER = re.compile(r'"reportFormat"\s*:\s*"CTRF"')
_RESULTS = re.compile(r'"results"\s*:\s*\{')
_TOOL = re.compile(r'"tool"\s*:\s*\{')
_SHAPE = re.compile(r'"(?:summary|tests)"\s*:\s*[\[{]')


def sniff(head: Head) -> bool:
    text = head.text
    if head.root is not None or not starts_with_object(text):
        return False
    if _MARKER.search(text):
        return True
    return bool(_RESULTS.search(text) and _TOOL.search(text) and _SHAPE.search(text))


def _ms(value: Any) -> float:
    return float(value) / 1000.0 if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _lines(value: Any) -> str:
    """CTRF keeps stdout/stderr as arrays of lines; some writers give one string."""
    if isinstance(value, list):
        return clip("\n".join(str(v) for v in value))
    return clip(value) if isinstance(value, str) else ""


def _suite_name(value: Any) -> str:
    # The spec has `suite` as the path from the top suite down; older writers give a string.
    if isinstance(value, list):
        return " > ".join(str(v) for v in value if v not in (None, ""))
    return value if isinstance(value, str) else ""


def _status(test: dict[str, Any], index: int, warnings: Warnings) -> Result:
    raw = test.get("status")
    result = STATUS.get(raw) if isinstance(raw, str) else None
    if result is None:
        warnings.add(f"test #{index + 1} has unknown status {raw!r}; counted as an error")
        return Result.ERROR
    return result


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _attempts(test: dict[str, Any], final: Result) -> tuple[Attempt, ...]:
    """The earlier tries of a case; the final try is the case itself."""
    retries = _count(test.get("retries"))
    raw = test.get("retryAttempts")
    if isinstance(raw, list) and raw:
        tries = sorted((a for a in raw if isinstance(a, dict)), key=lambda a: _count(a.get("attempt")) or 0)
        attempts = [
            Attempt(
                result=STATUS.get(a.get("status"), Result.ERROR),
                duration=_ms(a.get("duration")),
                message=str(a.get("message") or "").strip(),
                details=clip(str(a.get("trace") or "")),
            )
            for a in tries
        ]
        # Attempt 1 is the first execution; writers differ on whether the last entry is
        # the final execution. `retries` settles it when given, the final status otherwise.
        includes_final = len(attempts) == retries + 1 if retries is not None else attempts[-1].result is final
        return tuple(attempts[:-1] if includes_final else attempts)
    if retries:
        # Only a count is known: a runner retries only after a failure.
        return tuple(Attempt(result=Result.FAILED) for _ in range(retries))
    if test.get("flaky") is True and final is Result.PASSED:
        return (Attempt(result=Result.FAILED),)
    return ()


def _case(test: dict[str, Any], index: int, warnings: Warnings, default_suite: str) -> TestCase:
    name = test.get("name")
    if not isinstance(name, str) or not name:
        warnings.add(f"test #{index + 1} has no name; named by its position")
        name = f"test #{index + 1}"
    result = _status(test, index, warnings)
    message = test.get("message")
    trace = test.get("trace")
    line = test.get("line")
    file = test.get("filePath")
    suite = _suite_name(test.get("suite")) or default_suite
    return TestCase(
        name=name,
        classname=suite if suite != default_suite else "",
        suite=suite,
        file=file if isinstance(file, str) and file else None,
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        duration=_ms(test.get("duration")),
        result=result,
        message=message.strip() if isinstance(message, str) else "",
        details=clip(trace) if isinstance(trace, str) else "",
        stdout=_lines(test.get("stdout")),
        stderr=_lines(test.get("stderr")),
        attempts=_attempts(test, result),
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    doc = require_object(path, load_json(path, max_bytes, warnings), "the CTRF document")
    results = doc.get("results")
    if not isinstance(results, dict):
        raise InputError(
            f"{path}: not a CTRF report: `results` is {type_name(results) if 'results' in doc else 'missing'}",
            hint="a CTRF file looks like {\"results\": {\"tool\": {...}, \"summary\": {...}, \"tests\": [...]}}",
        )
    tests = require_list(path, results.get("tests", []), "`results.tests`")
    tool = results.get("tool") if isinstance(results.get("tool"), dict) else {}
    default_suite = str(tool.get("name") or "ctrf")

    groups: dict[str, list[TestCase]] = {}
    for index, test in enumerate(tests):
        if not isinstance(test, dict):
            warnings.add(f"test #{index + 1} is {type_name(test)}, not an object; skipped")
            continue
        case = _case(test, index, warnings, default_suite)
        groups.setdefault(case.suite, []).append(case)

    _check_summary(results.get("summary"), sum(len(c) for c in groups.values()), warnings)
    suites = [TestSuite.of(name, cases) for name, cases in groups.items()]
    return ResultFile.of(path, NAME, suites, dialect=tool.get("name") or None, warnings=warnings.as_tuple())


def _check_summary(summary: Any, counted: int, warnings: Warnings) -> None:
    if isinstance(summary, dict):
        declared = summary.get("tests")
        if isinstance(declared, int) and declared != counted:
            warnings.add(f"summary says {declared} tests, the file lists {counted}; the listed tests are reported")


FORMAT = Format(NAME, sniff, parse)
