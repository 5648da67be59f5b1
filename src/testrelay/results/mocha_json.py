"""Mocha's built-in `json` reporter: `{"stats": {...}, "tests": [...], "passes", "failures", "pending"}`.

`tests` lists every test that ended; `failures` also holds failed hooks
(`"before all" hook for "x"`), which never appear in `tests`: such a hook failure is
an error of its suite, and the tests it kept from running are not in the file at all.
Durations are milliseconds. When tests print to stdout while the reporter writes
there too, the JSON follows their lines; it is found and read with a warning.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import InputError
from .formats import Format, Head
from .jsonsource import (
    MalformedJSON,
    Warnings,
    clip,
    outer_title,
    parse_json_text,
    read_text,
    require_object,
    type_name,
)
from .model import Attempt, Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "mocha-json"

_STATS = re.compile(r'^\{\s*"stats"\s*:\s*\{[^{}]*"(?:suites|tests|passes|pending|failures)"\s*:', re.M)
# Failures that belong to no test: a failed hook, or an error thrown while loading files.
_HOOK = re.compile(r'^(?:"(?:before|after) (?:all|each)" hook\b|Uncaught error outside test suite)')


def sniff(head: Head) -> bool:
    return head.root is None and _STATS.search(head.text) is not None


def _load(path: str, max_bytes: int, warnings: Warnings) -> dict[str, Any]:
    text = read_text(path, max_bytes, warnings)
    try:
        doc = parse_json_text(path, text)
    except MalformedJSON:
        start = _STATS.search(text)
        if start is None or start.start() == 0:
            raise
        try:
            doc, _ = json.JSONDecoder().raw_decode(text, start.start())
        except json.JSONDecodeError:
            raise MalformedJSON(path, "malformed JSON after the lines the tests printed") from None
        printed = text[: start.start()].count("\n")
        warnings.add(f"{printed} lines of test output before the JSON report were passed over")
    return require_object(path, doc, "the Mocha JSON report")


def _key(test: dict[str, Any]) -> tuple[str, str]:
    return str(test.get("fullTitle") or test.get("title") or ""), str(test.get("file") or "")


def _error(test: dict[str, Any]) -> tuple[str, str]:
    err = test.get("err")
    if not isinstance(err, dict) or not err:
        return "", ""
    message = str(err.get("message") or "").strip()
    stack = str(err.get("stack") or "")
    if not message and stack:
        message = stack.splitlines()[0].strip()
    return message, clip(stack)


def _seconds(ms: Any) -> float:
    return float(ms) / 1000.0 if isinstance(ms, int | float) and not isinstance(ms, bool) else 0.0


def _case(test: dict[str, Any], result: Result, default_suite: str) -> TestCase:
    message, details = _error(test) if result in (Result.FAILED, Result.ERROR) else ("", "")
    suite = outer_title(test, "fullTitle", "title")
    retry = test.get("currentRetry")
    attempts: tuple[Attempt, ...] = ()
    if isinstance(retry, int) and not isinstance(retry, bool) and retry > 0:
        # Mocha retries only after a failure; the tries before the last one failed.
        attempts = tuple(Attempt(result=Result.FAILED) for _ in range(retry))
    file = test.get("file")
    return TestCase(
        name=str(test.get("title") or test.get("fullTitle") or "(untitled)"),
        classname=suite,
        suite=suite or default_suite,
        file=file if isinstance(file, str) and file else None,
        duration=_seconds(test.get("duration")),
        result=result,
        message=message,
        details=details,
        attempts=attempts,
    )


def _entries(doc: dict[str, Any], key: str, path: str, warnings: Warnings) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{path}: expected `{key}` to be a JSON array, found {type_name(value)}")
    items = [v for v in value if isinstance(v, dict)]
    if len(items) != len(value):
        warnings.add(f"{len(value) - len(items)} entries of `{key}` are not objects; skipped")
    return items


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    doc = _load(path, max_bytes, warnings)
    if not isinstance(doc.get("stats"), dict):
        raise InputError(f"{path}: not a Mocha JSON report: no `stats` object")
    tests = _entries(doc, "tests", path, warnings)
    passes = {_key(t) for t in _entries(doc, "passes", path, warnings)}
    pending = {_key(t) for t in _entries(doc, "pending", path, warnings)}
    failures = _entries(doc, "failures", path, warnings)
    failed = {_key(t) for t in failures}
    default_suite = "mocha"

    cases: list[TestCase] = []
    listed: set[tuple[str, str]] = set()
    for test in tests if "tests" in doc else [*_entries(doc, "passes", path, warnings), *failures]:
        key = _key(test)
        listed.add(key)
        if key in failed or (test.get("err") and key not in passes and key not in pending):
            result = Result.FAILED
        elif key in pending or test.get("pending") is True:
            result = Result.SKIPPED
        else:
            result = Result.PASSED
        if _HOOK.match(str(test.get("title") or "")):
            result = Result.ERROR
        cases.append(_case(test, result, default_suite))
    for test in failures:
        if _key(test) in listed:
            continue
        listed.add(_key(test))
        # A failed hook: an error of its suite, not of one test.
        cases.append(_case(test, Result.ERROR if _HOOK.match(str(test.get("title") or "")) else Result.FAILED,
                           default_suite))
    if "tests" not in doc:
        for test in _entries(doc, "pending", path, warnings):
            if _key(test) not in listed:
                cases.append(_case(test, Result.SKIPPED, default_suite))

    _check_stats(doc["stats"], cases, warnings)
    groups: dict[str, list[TestCase]] = {}
    for case in cases:
        groups.setdefault(case.suite, []).append(case)
    suites = [TestSuite.of(name, group) for name, group in groups.items()]
    return ResultFile.of(path, NAME, suites, warnings=warnings.as_tuple())


def _check_stats(stats: dict[str, Any], cases: list[TestCase], warnings: Warnings) -> None:
    declared = stats.get("tests")
    tests = sum(1 for c in cases if c.result is not Result.ERROR)
    if isinstance(declared, int) and declared != tests:
        warnings.add(f"stats say {declared} tests, the report lists {tests}; the listed ones are reported")


FORMAT = Format(NAME, sniff, parse)
