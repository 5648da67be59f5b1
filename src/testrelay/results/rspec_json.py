"""RSpec's `--format json`: `{"version", "messages", "examples": [...], "summary": {...}}`.

Counted as RSpec counts: `failed` is a failure whatever the exception class,
`pending` (and skipped examples, which RSpec also calls pending) is skipped.
Errors outside of examples (a spec file that does not load, a failing
`before(:suite)` hook) are in no example; RSpec puts their text in `messages` and
their number in `summary.errors_outside_of_examples_count`. Each becomes an error
case, so a suite that could not even load never reads as green.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from .formats import Format, Head
from .jsonsource import Warnings, clip, load_json, outer_title, require_list, require_object
from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "rspec-json"

STATUS = {"passed": Result.PASSED, "failed": Result.FAILED, "pending": Result.SKIPPED}

_HEAD = re.compile(r'\A\s*\{\s*"version"\s*:\s*"\d+\.\d+[^"]*"\s*,\s*"(?:messages|seed|examples|summary)"\s*:')
_OUTSIDE = re.compile(r"^\s*(An error occurred|While loading)", re.I)
_LOADING = re.compile(r"while loading (\S+?)\.?\s*$", re.I | re.M)
_EXCEPTION_CLASS = re.compile(r"^([A-Z]\w*(?:::[A-Z]\w*)*):\s*$")
_BACKTRACE = re.compile(r"^#\s*(\S+?):(\d+)")


def sniff(head: Head) -> bool:
    return head.root is None and _HEAD.match(head.text) is not None


def _example(example: dict[str, Any], index: int, warnings: Warnings) -> TestCase:
    status = example.get("status")
    result = STATUS.get(status) if isinstance(status, str) else None
    if result is None:
        warnings.add(f"example #{index + 1} has unknown status {status!r}; counted as an error")
        result = Result.ERROR
    message, details = "", ""
    exception = example.get("exception")
    if result is not Result.PASSED and isinstance(exception, dict):
        cls = str(exception.get("class") or "")
        text = str(exception.get("message") or "").strip()
        message = text or cls
        backtrace = exception.get("backtrace")
        trace = "\n".join(str(b) for b in backtrace) if isinstance(backtrace, list) else ""
        details = clip("\n".join(part for part in (f"{cls}: {text}" if cls else text, trace) if part))
    if result is Result.SKIPPED:
        pending = example.get("pending_message")
        message = str(pending).strip() if pending else "pending"
    file = example.get("file_path")
    line = example.get("line_number")
    run_time = example.get("run_time")
    description = example.get("description") or example.get("full_description")
    return TestCase(
        name=str(description) if description else f"example #{index + 1}",
        classname=outer_title(example, "full_description", "description"),
        suite=str(file) if isinstance(file, str) and file else "rspec",
        file=file if isinstance(file, str) and file else None,
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        duration=float(run_time) if isinstance(run_time, int | float) and not isinstance(run_time, bool) else 0.0,
        result=result,
        message=message,
        details=details,
    )


def _outside_error(text: str) -> TestCase:
    lines = text.strip().splitlines()
    header = lines[0].strip() if lines else "error outside of examples"
    loading = _LOADING.search(header)
    file = loading.group(1) if loading else None
    message = header
    for i, line in enumerate(lines):
        m = _EXCEPTION_CLASS.match(line.strip())
        if m and i + 1 < len(lines):
            message = f"{m.group(1)}: {lines[i + 1].strip()}"
            break
    line_number = None
    if file:
        for line in lines:
            bt = _BACKTRACE.match(line.strip())
            if bt and bt.group(1).lstrip("./") == file.lstrip("./"):
                line_number = int(bt.group(2))
                break
    return TestCase(
        name=header,
        suite=file or "rspec",
        file=file,
        line=line_number,
        result=Result.ERROR,
        message=message,
        details=clip(text.strip()),
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    doc = require_object(path, load_json(path, max_bytes, warnings), "the RSpec JSON report")
    if "examples" not in doc and "summary" not in doc:
        raise InputError(f"{path}: not an RSpec JSON report: no `examples` and no `summary`")
    examples = require_list(path, doc.get("examples", []), "`examples`")
    cases: list[TestCase] = []
    for index, example in enumerate(examples):
        if not isinstance(example, dict):
            warnings.add(f"example #{index + 1} is not an object; skipped")
            continue
        cases.append(_example(example, index, warnings))

    messages = doc.get("messages")
    outside = [m for m in messages if isinstance(m, str) and _OUTSIDE.match(m)] if isinstance(messages, list) else []
    cases.extend(_outside_error(m) for m in outside)
    summary = doc.get("summary") if isinstance(doc.get("summary"), dict) else {}
    declared = summary.get("errors_outside_of_examples_count")
    if isinstance(declared, int) and declared > len(outside):
        missing = declared - len(outside)
        warnings.add(f"{declared} errors outside of examples, {len(outside)} with their text in `messages`")
        cases.extend(
            TestCase(
                name=f"error outside of examples #{len(outside) + n + 1}",
                suite="rspec",
                result=Result.ERROR,
                message="RSpec reported an error outside of examples without its text; see the job log",
            )
            for n in range(missing)
        )
    count = summary.get("example_count")
    if isinstance(count, int) and count != len(examples):
        warnings.add(f"summary says {count} examples, the file lists {len(examples)}; the listed ones are reported")

    groups: dict[str, list[TestCase]] = {}
    for case in cases:
        groups.setdefault(case.suite, []).append(case)
    suites = [TestSuite.of(name, group) for name, group in groups.items()]
    return ResultFile.of(path, NAME, suites, warnings=warnings.as_tuple())


FORMAT = Format(NAME, sniff, parse)
