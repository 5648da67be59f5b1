"""What a test's printed output says went wrong, for the JUnit files `ctest --output-junit` writes.

CTest runs any program as a test. Its <failure> names only how the program ended
("Failed" for a non-zero exit, "Timeout", "SEGFAULT", "Child aborted", ...) and its
<system-out> holds what the program printed, where the framework inside said why:
googletest's `file:line: Failure` and the expectation below it, Catch2's
`file:line: FAILED:` and the assertion below it, a compiler-style `file:line: error:`
(googletest and doctest on MSVC, Boost.Test), a C `assert`, or the lines of a CTest
run inside the test. The first such line gives the message, and its place where it names one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .junit_values import MESSAGE_CAP

BARE_REASONS = frozenset({"Failed", ""})  # what CTest says of a test that exited non-zero: nothing of why
_FOLLOW_MAX = 6  # lines below a heading that still belong to its message (expectation, expansion)

# `file:line` or MSVC's `file(line)` before the framework's word for a failed check.
_PLACE = r"(?P<file>\S.*?)(?::(?P<line>\d+)(?::\d+)?|\((?P<pline>\d+)\))"
_HEADING = re.compile(r"^(?P<file>\S.*?)(?::(?P<line>\d+)|\((?P<pline>\d+)\))?: (?:Failure|FAILED:)(?P<text>.*)$")
_ERROR_AT = re.compile(r"^" + _PLACE + r": (?:fatal )?(?i:error):\s*(?P<text>.*)$")
_ERROR = re.compile(r"^(?:fatal )?(?i:error):\s*\S")
# glibc: "prog: file:line: function: Assertion `x' failed."; BSD/macOS and MSVC: "... file F, line N";
# musl: "Assertion failed: x (file: function: N)".
_ASSERT_GLIBC = re.compile(r"^(?:[^\s:]+: )?(?P<file>[^:\s][^:]*?):(?P<line>\d+): (?P<text>.*Assertion\b.*failed.*)$")
_ASSERT_FILE_LINE = re.compile(r"\bfile (?P<file>.+?), line (?P<line>\d+)")
_ASSERT_MUSL = re.compile(r"\((?P<file>[^\s:()]+): [^:()]*: (?P<line>\d+)\)\s*$")
# A CTest run inside the test: "2/3 Test #2: name ......***Failed  0.02 sec", or a bare "***Timeout".
_CTEST_LINE = re.compile(
    r"^(?:\d+/\d+\s+)?(?:Test\s+#\d+:\s+(?P<name>\S+)\s*\.*\s*)?\*{3}"
    r"(?P<reason>(?:Failed|Timeout|Exception:|Not Run)(?:.*?))\s*(?:\d+(?:\.\d+)? sec)?$"
)
_TEST_FAILED = re.compile(r"^Test [Ff]ailed\b")
_FRAME = re.compile(r"^(?:\[|-{3}|={3}|\.{3})")  # googletest's [ RUN ]/[  FAILED  ], Catch2's rules
# Words a failure line holds, as written; only lines with one reach the patterns above. str.find runs
# through a large output much faster than one regex (a passing test's output can be megabytes).
_NEEDLES = ("fail", "Fail", "FAIL", "error", "Error", "ERROR", "assert", "Assert", "***")


def failure_message(output: str) -> tuple[str, str | None, int | None]:
    """The failure the output reports, as (message, file, line); ("", None, None) when it names none.

    A framework's failure line wins over an earlier plain `error:` or CTest line: a program
    often logs an error it recovers from before the check that fails.
    """
    placeless = ""
    for start, end in _candidate_lines(output):
        line = output[start:end].strip()
        found = _with_place(output, end, line)
        if found is not None:
            text, file, number = found
            if text or file:
                return text[:MESSAGE_CAP] or placeless or line[:MESSAGE_CAP], file, number
        if not placeless:
            placeless = _without_place(line)
    return placeless[:MESSAGE_CAP], None, None


def _candidate_lines(output: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding one of the needles, in order."""
    find = output.find
    ahead = {needle: find(needle) for needle in _NEEDLES}
    while True:
        at = min((p for p in ahead.values() if p >= 0), default=-1)
        if at < 0:
            return
        start = output.rfind("\n", 0, at) + 1
        end = find("\n", at)
        if end < 0:
            end = len(output)
        yield start, end
        for needle, p in ahead.items():
            if 0 <= p < end:
                ahead[needle] = find(needle, end)


def explain(reason: str, output: str) -> tuple[str, str | None, int | None]:
    """The message for a test CTest gave `reason` for, and the place the output names, as (message, file, line).

    CTest's bare "Failed" gives way to what the output says (and stays when it says nothing);
    a crash or a timeout keeps CTest's word, followed by what the output adds.
    """
    found, file, line = failure_message(output)
    if reason in BARE_REASONS:
        return found or "Failed", file, line
    return (f"{reason}: {found}"[:MESSAGE_CAP] if found else reason), file, line


def _with_place(output: str, end: int, line: str) -> tuple[str, str | None, int | None] | None:
    m = _HEADING.match(line)
    if m:
        text = _joined([m.group("text").strip(), *_following(output, end)])
        return (text, *_place(m))
    m = _ERROR_AT.match(line)
    if m:
        text = _joined([m.group("text").strip(), *_following(output, end)])
        return (text, *_place(m))
    if "Assert" in line:
        return _assertion(line)
    return None


def _without_place(line: str) -> str:
    if _ERROR.match(line) or _TEST_FAILED.match(line):
        return line
    m = _CTEST_LINE.match(line)
    if m:
        reason = " ".join(m.group("reason").split())
        return f"{m.group('name')}: {reason}" if m.group("name") else reason
    return ""


def _assertion(line: str) -> tuple[str, str | None, int | None] | None:
    if line.startswith("AssertionError"):  # Python's last traceback line: its own message
        return line, None, None
    if "failed" not in line:
        return None
    m = _ASSERT_GLIBC.match(line)
    if m:
        text = m.group("text")
        return text[text.find("Assertion") :], m.group("file"), int(m.group("line"))
    if not line.startswith("Assertion failed"):
        return None
    m = _ASSERT_FILE_LINE.search(line) or _ASSERT_MUSL.search(line)
    if m:
        return line, m.group("file"), int(m.group("line"))
    return line, None, None


def _following(output: str, end: int) -> list[str]:
    """The lines after `end` (a line's end) up to a blank line, the next framework line or the next heading."""
    out: list[str] = []
    for raw in output[end + 1 :].split("\n", _FOLLOW_MAX)[:_FOLLOW_MAX]:
        line = raw.strip()
        if not line or _FRAME.match(line) or _HEADING.match(line) or _ERROR_AT.match(line):
            break
        out.append(line)
    return out


def _joined(parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def _place(m: re.Match[str]) -> tuple[str | None, int | None]:
    number = m.group("line") or m.group("pline")
    if number is None:
        return None, None  # googletest's "unknown file: Failure" (an exception thrown outside a check)
    return m.group("file"), int(number)
