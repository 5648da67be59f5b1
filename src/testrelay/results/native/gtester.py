"""GLib's gtester log (`gtester -k -o log.xml ...`): root `gtester`, one `testbinary`
per test program run, each with its `testcase path="/a/b/c"` entries.

A testcase holds its duration in seconds and `<status exit-status=".." result="success|failed"/>`;
a skipped case is written as `<testcase path=".." skipped="1"/>`. `<message>` and
`<error>` children carry what the test logged. The binary is the suite; the case
is named by the last part of its path, the rest being its class.
"""

from __future__ import annotations

import re
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
    line_number,
    local,
    parse_with,
    release,
    text_of,
    to_float,
)

NAME = "gtester"
# g_assert and friends log "ERROR:file.c:88:function: assertion failed ..."
_GLIB_ERROR = re.compile(r"ERROR:(?P<file>[^:\s]+):(?P<line>\d+):")


def sniff(head: Head) -> bool:
    return head.root == "gtester"


def _case(el: Any, suite: str) -> TestCase:
    classname, _, name = el.get("path", "").strip("/").rpartition("/")
    duration = to_float(child_text(el, "duration"))
    output = "\n".join(text_of(m) for m in children(el, "message"))
    if el.get("skipped"):
        return TestCase(name=name, classname=classname, suite=suite, result=Result.SKIPPED, stdout=output)
    status = child(el, "status")
    outcome = status.get("result", "") if status is not None else ""
    errors = [text_of(e) for e in children(el, "error")]
    if outcome == "success" and not errors:
        return TestCase(name=name, classname=classname, suite=suite, duration=duration, stdout=output)
    if status is None:
        message = "no status: the test binary stopped during this case"
    else:
        message = errors[0] if errors else f"exit status {status.get('exit-status', '?')}"
    where = _GLIB_ERROR.search(errors[0]) if errors else None
    return TestCase(
        name=name,
        classname=classname,
        suite=suite,
        file=where["file"] if where else None,
        line=line_number(where["line"]) if where else None,
        duration=duration,
        result=Result.ERROR if status is None else Result.FAILED,
        message=message,
        details="\n".join(errors),
        stdout=output,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        expect_root(path, events, ("gtester",), "a gtester log")
        builder = SuiteBuilder()
        suite = ""
        for event, el in events:
            kind = local(el.tag)
            if kind == "testbinary" and event == "start":
                suite = el.get("path", "")
                builder.declare(suite)
            elif event == "end" and kind == "testcase":
                builder.add(suite, _case(el, suite))
                release(el)
            elif event == "end" and kind == "duration" and local(el.getparent().tag) == "testbinary":
                builder.declare(suite, duration=to_float(el.text))
        return Parsed(builder.suites())

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


FORMAT = Format(NAME, sniff, parse)
