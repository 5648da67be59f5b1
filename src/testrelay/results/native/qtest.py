"""QtTestLib's XML log (`-o file.xml,xml`): root TestCase, one TestFunction per slot.

A data-driven function reports each data row with its own DataTag, so each row is a
case ("func(row)"), as in QtTest's own plain output. Incident types:
pass, fail, xfail (expected failure: counts as passed), xpass (unexpected pass:
counts as failed), skip (Qt 6; Qt 5 writes it as a Message), and the blacklisted
bpass/bfail/bxpass/bxfail that Qt keeps out of its failure count (bpass passes, the
others are reported as skipped). A qfatal message without a fail ends the function:
an error. Other messages (qdebug, qwarn, warn, info, system) are the case's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import (
    Events,
    Parsed,
    SuiteBuilder,
    child_text,
    expect_root,
    line_number,
    local,
    location,
    parse_with,
    release,
    to_float,
)

NAME = "qtest"
_FAIL = {"fail", "xpass"}
_BLACKLISTED = {"bfail", "bxpass", "bxfail"}
_RANK = {Result.PASSED: 0, Result.SKIPPED: 1, Result.ERROR: 2, Result.FAILED: 3}


def sniff(head: Head) -> bool:
    return head.root == "TestCase" and any(tag in head.text for tag in ("<TestFunction", "<Environment"))


@dataclass
class _Row:
    result: Result = Result.PASSED
    message: str = ""
    file: str | None = None
    line: int | None = None
    details: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)

    def mark(self, result: Result, message: str, file: str | None, line: int | None) -> None:
        if _RANK[result] > _RANK[self.result]:
            self.result, self.message, self.file, self.line = result, message, file, line


def _rows(function: Any) -> tuple[dict[str, _Row], float]:
    rows: dict[str, _Row] = {}
    duration = 0.0
    for item in function:
        kind = local(item.tag)
        if kind == "Duration":
            duration = to_float(item.get("msecs")) / 1000
            continue
        if kind not in ("Incident", "Message"):
            continue
        row = rows.setdefault(child_text(item, "DataTag"), _Row())
        kind_type = item.get("type", "")
        file = item.get("file") or None
        line = line_number(item.get("line"))
        text = child_text(item, "Description")
        where = location(file, line)
        entry = f"{where}: {text}" if where else text
        if kind == "Incident" or kind_type == "skip":
            if kind_type in _FAIL:
                message = (
                    text.splitlines()[0] if text else ("unexpectedly passed" if kind_type == "xpass" else "failed")
                )
                row.mark(Result.FAILED, f"XPASS: {message}" if kind_type == "xpass" else message, file, line)
                row.details.append(f"{kind_type.upper()}: {entry}")
            elif kind_type == "skip":
                row.mark(Result.SKIPPED, text, file, line)
            elif kind_type in _BLACKLISTED:
                row.mark(Result.SKIPPED, f"blacklisted ({kind_type}): {text}".rstrip(": "), file, line)
                row.output.append(f"{kind_type.upper()}: {entry}")
            elif kind_type == "xfail":
                row.output.append(f"XFAIL: {entry}")
        elif kind_type == "qfatal":
            row.mark(Result.ERROR, text or "qFatal", file, line)
            row.details.append(f"QFATAL: {entry}")
        else:
            row.output.append(f"{kind_type.upper()}: {entry}")
    return rows, duration


def _cases(function: Any, classname: str) -> list[TestCase]:
    name = function.get("name", "")
    rows, duration = _rows(function)
    untagged = rows.pop("", None)
    if untagged is not None and rows and untagged.result is Result.PASSED:
        # Output logged before the first row (or a bare pass) belongs to the function, not to a row.
        first = next(iter(rows.values()))
        first.output[:0] = untagged.output
        untagged = None
    if untagged is not None:
        rows = {"": untagged, **rows}
    if not rows:
        rows = {"": _Row()}
    # QtTest times the whole function only; the rows share it so the totals still add up.
    share = duration / len(rows)
    return [
        TestCase(
            name=f"{name}({tag})" if tag else name,
            classname=classname,
            suite=classname,
            file=row.file,
            line=row.line,
            duration=share,
            result=row.result,
            message=row.message,
            details="\n".join(row.details),
            stdout="\n".join(row.output),
        )
        for tag, row in rows.items()
    ]


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        root, events = expect_root(path, events, ("TestCase",), "a QtTest XML log")
        classname = root.get("name", "")
        builder = SuiteBuilder()
        builder.declare(classname)
        for event, el in events:
            if event != "end":
                continue
            kind = local(el.tag)
            if kind == "TestFunction":
                for case in _cases(el, classname):
                    builder.add(classname, case)
                release(el)
            elif kind == "Duration" and el.getparent() is root:
                builder.declare(classname, duration=to_float(el.get("msecs")) / 1000)
        return Parsed(builder.suites())

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
