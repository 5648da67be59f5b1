"""Reading the loosely typed values JUnit writers put in attributes and text.

Durations arrive as `1.5`, `1,234.5`, `0,5` (a decimal comma from a localised
writer) or garbage; captured output can be megabytes. These helpers turn them
into bounded, typed values without raising.
"""

from __future__ import annotations

import re

OUTPUT_CAP = 64 * 1024  # characters kept of each captured system-out / system-err
DETAILS_CAP = 256 * 1024  # characters kept of a stack trace: larger, it is what people read
MESSAGE_CAP = 4 * 1024  # some writers put the whole trace in the message attribute

_THOUSANDS = re.compile(r"[+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_MAX_SECONDS = 1e9  # about 30 years: anything larger is a unit mix-up or garbage


def parse_seconds(text: str) -> float | None:
    """Seconds from a `time` attribute written any way runners write it; None when unreadable."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        value = _localised(text)
    if value is None or not 0.0 <= value < _MAX_SECONDS:  # also rejects nan
        return None
    return value


def _localised(text: str) -> float | None:
    if "," not in text:
        return None
    if "." in text:
        # Both separators: the last one is the decimal point.
        decimal_comma = text.rfind(",") > text.rfind(".")
        text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
    elif _THOUSANDS.fullmatch(text) and not text.startswith("0"):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".", 1)
    try:
        return float(text)
    except ValueError:
        return None


def bounded(text: str, cap: int) -> str:
    """`text` cut to about `cap` characters, keeping its start and end around a visible marker."""
    if len(text) <= cap:
        return text
    head = cap * 3 // 4
    tail = cap - head
    cut = len(text) - head - tail
    return f"{text[:head]}\n[... {cut:,} characters truncated by testrelay ...]\n{text[-tail:]}"


def first_line(text: str, cap: int = MESSAGE_CAP) -> str:
    """The first non-blank line of a trace, used as the message when a writer gives none."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = text[start:end].strip()
        if line:
            return line[:cap]
        start = end + 1
    return ""


def parse_int(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdecimal():
        return int(text)  # the usual spelling, without the work below
    try:
        return int(text.strip().replace(",", ""))
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
        return int(value) if value == value and value.is_integer() else None
