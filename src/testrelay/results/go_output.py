"""What a Go test's printed output says went wrong, and where.

Shared by `go test -json` and the JUnit files Go tools write (gotestsum, go-junit-report),
which carry the same output as the body of a failure or as a skip message.
"""

from __future__ import annotations

import re

FRAMING = re.compile(r"^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\s|--- (?:PASS|FAIL|SKIP):\s|(?:PASS|FAIL)$)")
_SOURCE_LINE = re.compile(r"^\s+(?:Error Trace:\s+)?([\w./\\-]+\.go):(\d+):\s*(.*)$")


def failure_message(output: str) -> tuple[str, str | None, int | None]:
    """The first `file_test.go:N: text` line of the output, as (text, file, line); ("", None, None) if none."""
    if "WARNING: DATA RACE" in output:
        return "data race detected", None, None
    lines = output.splitlines()
    for i, line in enumerate(lines):
        m = _SOURCE_LINE.match(line)
        if not m:
            continue
        text = m.group(3).strip()
        if not text:
            # testify puts the message on the lines below: "Error Trace:", "Error: ..."
            rest = [ln.strip() for ln in lines[i + 1 : i + 12] if ln.strip()]
            text = next((ln.split(":", 1)[1].strip() for ln in rest if ln.startswith("Error:")), "")
            text = text or (rest[0] if rest else line.strip())
        return text, m.group(1), int(m.group(2))
    for line in lines:
        if line.strip().startswith("panic:"):
            return line.strip(), None, None
    return "", None, None


def skip_reason(output: str) -> str:
    """The text of the last line a skipped test printed (`t.Skip("why")` prints last), without its place."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip() and not FRAMING.match(ln)]
    if not lines:
        return ""
    m = _SOURCE_LINE.match("    " + lines[-1])
    return m.group(3).strip() if m else lines[-1]
