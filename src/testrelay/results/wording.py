"""Totals in one line of plain words, for terminals and CI logs."""

from __future__ import annotations

from .model import Totals


def seconds(value: float) -> str:
    if value < 60:
        return f"{value:,.2f}s"
    minutes, secs = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def count(n: int, noun: str) -> str:
    """`1 error`, `2 errors`, `1,204 tests`."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def totals_line(t: Totals) -> str:
    parts = [count(t.tests, "test"), f"{t.passed:,} passed", f"{t.failed:,} failed", count(t.errors, "error"),
             f"{t.skipped:,} skipped"]
    if t.flaky:
        parts.append(f"{t.flaky:,} flaky")
    parts.append(seconds(t.duration))
    return ", ".join(parts)
