"""Field readers shared by the .NET result formats (TRX, NUnit, xUnit.net), and the
read that NUnit and xUnit.net share.

Captured output and stack traces can run to megabytes per case; they are cut to a
fixed size with a visible marker so a million-case run stays printable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from typing import Any, Protocol

from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import read_xml

MAX_TEXT = 64 * 1024
TRUNCATED = "\n[... truncated by testrelay: {dropped:,} more characters]"

_TIMESPAN = re.compile(r"^\s*(?:(\d+)\.)?(\d+):(\d+):(\d+(?:[.,]\d+)?)\s*$")


def bounded(text: str | None, limit: int = MAX_TEXT) -> str:
    """`text` stripped of surrounding blank lines, cut to `limit` characters with a marker."""
    if not text:
        return ""
    text = text.strip("\r\n")
    if len(text) <= limit:
        return text
    return text[:limit] + TRUNCATED.format(dropped=len(text) - limit)


def seconds(value: str | None) -> float:
    """A duration in seconds as runners write it: `1.5`, `1,5` (some locales), or empty."""
    if not value:
        return 0.0
    value = value.strip()
    try:
        result = float(value)
    except ValueError:
        # A decimal comma; a comma used as a thousands separator as well is not worth guessing.
        if value.count(",") != 1 or "." in value:
            return 0.0
        try:
            result = float(value.replace(",", "."))
        except ValueError:
            return 0.0
    return result if result >= 0 and result == result and result != float("inf") else 0.0


def timespan(value: str | None) -> float | None:
    """A .NET TimeSpan (`[d.]hh:mm:ss[.fffffff]`) in seconds; None if it is not one."""
    if not value:
        return None
    m = _TIMESPAN.match(value)
    if not m:
        return None
    days, hours, minutes, secs = m.groups()
    return int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(secs.replace(",", "."))


def instant(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as .NET writes it (up to 7 fractional digits); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    # Python reads at most 6 fractional digits; .NET writes 7.
    value = re.sub(r"(\.\d{6})\d+", r"\1", value)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def span_between(start: str | None, end: str | None) -> float | None:
    """Seconds from `start` to `end`, or None when either is missing or they disagree in kind."""
    a, b = instant(start), instant(end)
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return None
    delta = (b - a).total_seconds()
    return delta if delta >= 0 else None


def count(value: str | None) -> int | None:
    """A declared count attribute; None when absent or not a number."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def child_text(elem: Any, *path: str) -> str:
    """The text of the first element down `path` (local names, any namespace), or ''."""
    node = elem
    for name in path:
        for child in node:
            if isinstance(child.tag, str) and local(child.tag) == name:
                node = child
                break
        else:
            return ""
    return node.text or ""


def basename(path: str) -> str:
    """The last part of a Windows or POSIX path, as .NET runners write assembly paths."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] if path else ""


def unknown_result(path: str, what: str, value: str, seen: set[str], warnings: list[str]) -> Result:
    """An unknown result spelling counts as an error, with one warning per spelling in a file."""
    if value not in seen:
        seen.add(value)
        warnings.append(f"{path}: unknown {what} {value!r}, counted as an error")
    return Result.ERROR


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def mismatch(path: str, what: str, declared: int, counted: int) -> str:
    """The warning for a file whose declared total disagrees with the cases it holds."""
    return f"{path}: the file declares {declared:,} {what} but holds {counted:,}; counted the {counted:,} found"


class CountingReader(Protocol):
    """A consume function for read_xml that files cases by suite and counts them against the declared total."""

    suites: dict[str, list[TestCase]]
    warnings: list[str]
    declared: int | None
    counted: int

    def __call__(self, events: Iterator[tuple[str, Any]]) -> CountingReader: ...


def read_counted(
    path: str, format_name: str, new_reader: Callable[[], CountingReader], tags: tuple[str, ...], max_bytes: int
) -> ResultFile:
    """Stream `path` through a fresh reader and build its ResultFile, warning when the declared total is off."""
    reader, read_warnings = read_xml(
        path, lambda events: new_reader()(events), events=("start", "end"), tag=tags, max_bytes=max_bytes
    )
    warnings = [*read_warnings, *reader.warnings]
    if reader.declared is not None and reader.declared != reader.counted:
        warnings.append(mismatch(path, "tests", reader.declared, reader.counted))
    suites = [TestSuite.of(name, cases) for name, cases in reader.suites.items()]
    return ResultFile.of(path, format_name, suites, warnings=tuple(warnings))


def drop_read_siblings(elem: Any, tags: Collection[str]) -> None:
    """Free the siblings before `elem` whose tag is in `tags`, already read; the others wait for their parent."""
    parent = elem.getparent()
    if parent is None:
        return
    prev = elem.getprevious()
    while prev is not None:
        before = prev.getprevious()
        if prev.tag in tags:
            parent.remove(prev)
        prev = before
