"""xUnit.net XML: v2 and later (`<assemblies>` root) and the v1 format (one `<assembly>` root).

| xUnit.net result | counted as | note                                                   |
|------------------|------------|--------------------------------------------------------|
| Pass             | passed     |                                                        |
| Fail             | failed     | xUnit.net has no separate "error" for a test           |
| Skip             | skipped    | the reason is the message                              |
| NotRun           | skipped    | v3: an explicit test that was not asked for            |

Failures outside any test (v2 `<errors>`: assembly, collection, class, method or
test cleanup failures and catastrophic errors; v1 a `<failure>` on a class) are
counted as error cases named after what failed, as xUnit.net's own summary counts
them under "Errors".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .dotnet_fields import (
    basename,
    bounded,
    child_text,
    count,
    drop_read_siblings,
    read_counted,
    seconds,
    unknown_result,
)
from .dotnet_trace import trace_place
from .formats import Format, Head
from .model import Result, ResultFile, TestCase
from .xmlsource import DEFAULT_MAX_BYTES

RESULTS: dict[str, Result] = {
    "pass": Result.PASSED,
    "fail": Result.FAILED,
    "skip": Result.SKIPPED,
    "notrun": Result.SKIPPED,
}

# v1's documented <assembly> attributes; a bare <assembly> root from anything else lacks them.
_V1_ATTRIBUTES = re.compile(r"<assembly\b[^>]*\b(?:run-date|run-time|test-framework)\s*=", re.S)
_CONTAINERS = frozenset({"collection", "class"})
_TAGS = ("assembly", "collection", "class", "test", "error")
# The <errors> and <failure> of an enclosing element are read when it closes; they stay until then.
_DONE = frozenset({"test", "collection", "class", "error"})


class _Reader:
    def __init__(self, path: str, version: int) -> None:
        self.path = path
        self.version = version
        self.suites: dict[str, list[TestCase]] = {}
        self.assembly = ""
        self.declared: int | None = None
        self.counted = 0
        self.warnings: list[str] = []
        self.unknown: set[str] = set()

    def __call__(self, events: Iterator[tuple[str, Any]]) -> _Reader:
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if tag == "assembly":
                    self.assembly = basename(elem.get("name") or "")
                continue
            if tag == "test":
                self._test(elem)
            elif tag == "error" and self.version == 2:
                self._error(elem)
            elif tag in _CONTAINERS:
                if tag == "class":
                    self._class_failure(elem)
            elif tag == "assembly":
                self._assembly(elem)
            else:
                continue
            elem.clear()
            drop_read_siblings(elem, _DONE)
        return self

    def _suite_name(self, elem: Any) -> str:
        parent = elem.getparent()
        container = parent.get("name") if parent is not None and parent.tag in _CONTAINERS else None
        if self.version == 2 and container:
            return f"{self.assembly} / {container}" if self.assembly else container
        return container or self.assembly

    def _test(self, elem: Any) -> None:
        raw = elem.get("result") or ""
        result = RESULTS.get(raw.lower())
        if result is None:
            result = unknown_result(self.path, "xUnit.net result", raw, self.unknown, self.warnings)
        classname = elem.get("type") or ""
        name = elem.get("name") or elem.get("method") or ""
        # xUnit.net names a test "Namespace.Class.Method(args)"; the class is shown apart.
        if classname and name.startswith(classname + ".") and len(name) > len(classname) + 1:
            name = name[len(classname) + 1 :]
        if result is Result.SKIPPED:
            # v2 writes the reason as text, v1 inside a <message>.
            message = child_text(elem, "reason").strip() or child_text(elem, "reason", "message")
        else:
            message = child_text(elem, "failure", "message")
        details = bounded(child_text(elem, "failure", "stack-trace"))
        file, line = elem.get("source-file") or None, count(elem.get("source-line"))
        if file is None and details:
            file, line = trace_place(details)  # v1 and most v2 runs name the place only in the trace
        self.counted += 1
        self._add(TestCase(
            name=name,
            classname=classname,
            suite=self._suite_name(elem),
            file=file,
            line=line if line and line > 0 else None,
            duration=seconds(elem.get("time")),
            result=result,
            message=bounded(message),
            details=details,
            stdout=bounded(child_text(elem, "output")),
        ))

    def _error(self, elem: Any) -> None:
        kind = elem.get("type") or "error"
        name = elem.get("name") or ""
        if kind == "assembly-cleanup":
            name = basename(name)
        self._add(TestCase(
            name=f"{kind}: {name}" if name else kind,
            classname=name if kind == "test-class-cleanup" else "",
            suite=self.assembly,
            result=Result.ERROR,
            message=bounded(child_text(elem, "failure", "message")),
            details=bounded(child_text(elem, "failure", "stack-trace")),
        ))

    def _class_failure(self, elem: Any) -> None:
        # v1 reports a failing fixture (constructor, IUseFixture, Dispose) on the class itself.
        for child in elem:
            if child.tag == "failure":
                name = elem.get("name") or ""
                self._add(TestCase(
                    name="class fixture", classname=name, suite=name or self.assembly, result=Result.ERROR,
                    message=bounded(child_text(child, "message")), details=bounded(child_text(child, "stack-trace")),
                ))
                return

    def _assembly(self, elem: Any) -> None:
        total = count(elem.get("total"))
        if total is not None:
            self.declared = (self.declared or 0) + total

    def _add(self, case: TestCase) -> None:
        self.suites.setdefault(case.suite, []).append(case)


def _parse(path: str, version: int, max_bytes: int) -> ResultFile:
    return read_counted(path, f"xunit{version}", lambda: _Reader(path, version), _TAGS, max_bytes)


def parse_v2(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    return _parse(path, 2, max_bytes)


def parse_v1(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    return _parse(path, 1, max_bytes)


def sniff_v2(head: Head) -> bool:
    return head.root == "assemblies"


def sniff_v1(head: Head) -> bool:
    return head.root == "assembly" and bool(_V1_ATTRIBUTES.search(head.text))


v2 = Format(name="xunit2", sniff=sniff_v2, parse=parse_v2)
v1 = Format(name="xunit1", sniff=sniff_v1, parse=parse_v1)
FORMATS = (v1, v2)
