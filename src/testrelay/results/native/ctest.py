"""CTest's dashboard file Testing/<tag>/Test.xml (`ctest -T Test`): root Site, then Testing.

Testing first lists every test in TestList (bare `<Test>` names, skipped here), then
one `<Test Status="passed|failed|notrun">` per test with Name, Path, FullName,
FullCommandLine and Results: NamedMeasurements ("Execution Time" in seconds,
"Exit Code" such as Failed/Timeout/SEGFAULT, "Exit Value", "Completion Status")
and the captured output in Measurement/Value, which CTest may deflate and base64
encode. "notrun" (disabled, or its executable was missing) counts as skipped.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    child,
    child_text,
    children,
    expect_root,
    local,
    parse_with,
    release,
    to_float,
)

NAME = "ctest"
_STATUS = {"passed": Result.PASSED, "failed": Result.FAILED, "notrun": Result.SKIPPED}


def sniff(head: Head) -> bool:
    return head.root == "Site" and "<Testing" in head.text


def _output(results: Any, path: str, warnings: list[str]) -> str:
    value = child(results, "Measurement")
    value = child(value, "Value") if value is not None else None
    if value is None:
        return ""
    text = value.text or ""
    if value.get("encoding") == "base64":
        try:
            raw = base64.b64decode(text)
            if value.get("compression"):
                raw = zlib.decompress(raw)
            return raw.decode("utf-8", errors="replace")
        except (binascii.Error, zlib.error):
            warnings.append(f"{path}: could not decode the compressed output of a test; kept as written")
    return text


def _case(el: Any, suite: str, path: str, warnings: list[str]) -> TestCase:
    status = el.get("Status", "")
    results = child(el, "Results")
    measured: dict[str, str] = {}
    output = ""
    if results is not None:
        for item in children(results, "NamedMeasurement"):
            measured[item.get("name", "")] = child_text(item, "Value")
        output = _output(results, path, warnings)
    result = _STATUS.get(status, Result.ERROR)
    message = ""
    if result is Result.FAILED:
        code, value = measured.get("Exit Code", ""), measured.get("Exit Value", "")
        message = code or "Failed"
        if value and code in ("", "Failed"):
            message += f" (exit value {value})"
    elif result is Result.SKIPPED:
        message = measured.get("Completion Status", "") or "not run"
    elif result is Result.ERROR:
        message = f"unknown status {status!r}"
    classname = child_text(el, "Path").removeprefix("./").removeprefix(".")
    return TestCase(
        name=child_text(el, "Name"),
        classname=classname,
        suite=suite,
        duration=to_float(measured.get("Execution Time")),
        result=result,
        message=message,
        details=output if result is Result.FAILED else "",
        stdout=output,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        site, events = expect_root(path, events, ("Site",), "a CTest Test.xml")
        suite = site.get("BuildName") or "CTest"
        builder = SuiteBuilder()
        builder.declare(suite, hostname=site.get("Hostname") or site.get("Name"))
        warnings: list[str] = []
        for event, el in events:
            if event != "end" or local(el.tag) != "Test":
                continue
            parent = el.getparent()
            if parent is not None and local(parent.tag) == "Testing":
                builder.add(suite, _case(el, suite, path, warnings))
                release(el)
        return Parsed(builder.suites(), warnings)

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
