"""Bounding messages and stack traces so one huge failure cannot crowd out the rest."""

from __future__ import annotations

MARKER_RESERVE = 40  # room for the "… N lines left out …" line


def first_line(text: str) -> str:
    """The first non-blank line, whitespace trimmed."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line
    return ""


def _marker(n: int) -> str:
    return f"… {n:,} line{'s' if n != 1 else ''} left out …"


def trim_trace(text: str, *, max_lines: int, max_chars: int) -> str:
    """At most max_lines lines and max_chars characters, keeping the head and the tail.

    The head holds where it was raised (Java, .NET), the tail where it failed (Python),
    so both ends are kept and the middle gives way, with a line saying how much went.
    """
    if max_lines <= 0 or max_chars <= 0:
        return ""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if len(lines) <= max_lines and sum(len(x) + 1 for x in lines) - 1 <= max_chars:
        return "\n".join(lines)

    line_budget = max(max_lines - 1, 1)  # one line goes to the marker
    char_budget = max(max_chars - MARKER_RESERVE, 1)
    head_lines = max((line_budget * 2 + 2) // 3, 1)
    tail_lines = line_budget - head_lines
    head_chars = (char_budget * 2 + 2) // 3
    tail_chars = char_budget - head_chars

    head: list[str] = []
    used = 0
    for line in lines[:head_lines]:
        if used + len(line) + 1 > head_chars:
            break
        head.append(line)
        used += len(line) + 1
    if not head:  # one very long first line (minified code, a JSON blob): cut inside it
        head.append(lines[0][: max(head_chars - 2, 1)] + "…")
        used = len(head[0]) + 1
    tail: list[str] = []
    tail_room = tail_chars + (head_chars - used)
    for line in reversed(lines[len(head):][-tail_lines:] if tail_lines else []):
        if len(line) + 1 > tail_room:
            break
        tail.append(line)
        tail_room -= len(line) + 1
    tail.reverse()
    left_out = len(lines) - len(head) - len(tail)
    out = head + ([_marker(left_out)] if left_out > 0 else []) + tail
    result = "\n".join(out)
    return result if len(result) <= max_chars else result[: max_chars - 1] + "…"
