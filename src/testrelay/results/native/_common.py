"""Helpers the native C/C++ result parsers share: element access, numbers, and the read loop.

Every parser streams its file through `read_xml` and gets (event, element) pairs.
The consume function may run twice (see xmlsource.read_xml), so each one builds
all of its state inside the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError
from ..model import ResultFile, TestCase, TestSuite
from ..xmlsource import DEFAULT_MAX_BYTES, read_xml

Events = Iterator[tuple[str, Any]]


def local(tag: object) -> str:
    """The local name of an element tag, without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el: Any, name: str) -> Iterator[Any]:
    for item in el:
        if local(item.tag) == name:
            yield item


def child(el: Any, name: str) -> Any | None:
    return next(children(el, name), None)


def text_of(el: Any | None) -> str:
    """All text inside an element, its descendants included, stripped."""
    if el is None:
        return ""
    return "".join(el.itertext()).strip()


def child_text(el: Any, name: str) -> str:
    return text_of(child(el, name))


def line_number(value: str | None) -> int | None:
    """A source line number; None when missing, unreadable or 0 (runners write 0 for "unknown")."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def to_float(value: str | None) -> float:
    """A non-negative number of seconds (or other unit); 0.0 when missing or unreadable."""
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return 0.0
    return number if number > 0 and number == number and number != float("inf") else 0.0


def release(el: Any) -> None:
    """Free an element already read, and the siblings before it, to keep memory flat."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def first_of_many(message: str, count: int) -> str:
    """The message of a case's first failed check, saying how many more checks failed after it."""
    return message if count == 1 else f"{message} (and {count - 1} more)"


def location(file: str | None, line: int | None) -> str:
    if not file:
        return ""
    return f"{file}:{line}" if line else file


class SuitePath:
    """The names of the open nested suites; a case is filed under them joined with "/"."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def step(self, event: str, el: Any) -> bool:
        """Open the suite on its start event, close it on its end; True when one was opened."""
        if event == "start":
            self.names.append(el.get("name", ""))
            return True
        self.names.pop()
        return False

    @property
    def path(self) -> str:
        return "/".join(self.names)


@dataclass
class Parsed:
    """What a consume function returns: suites in file order, plus anything odd it met."""

    suites: list[TestSuite] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dialect: str | None = None


class SuiteBuilder:
    """Collects cases into leaf suites by name, keeping the order suites first appear in."""

    def __init__(self) -> None:
        self._cases: dict[str, list[TestCase]] = {}
        self._extra: dict[str, dict[str, object]] = {}

    def add(self, suite: str, case: TestCase) -> None:
        self._cases.setdefault(suite, []).append(case)

    def declare(self, suite: str, **extra: object) -> None:
        self._cases.setdefault(suite, [])
        self._extra.setdefault(suite, {}).update({k: v for k, v in extra.items() if v is not None})

    def suites(self, keep_empty: bool = False) -> list[TestSuite]:
        return [
            TestSuite.of(name, cases, **self._extra.get(name, {}))
            for name, cases in self._cases.items()
            if cases or keep_empty
        ]


def expect_root(path: str, events: Events, roots: Iterable[str], what: str) -> tuple[Any, Events]:
    """Read up to the root element and check its name; returns it and the remaining events."""
    for event, el in events:
        if event == "start":
            name = local(el.tag)
            if name not in roots:
                raise InputError(
                    f"{path}: root element <{name}> is not {what}",
                    hint="pass the file with the right format, or let testrelay detect it",
                )
            return el, events
    raise InputError(f"{path}: no root element, not {what}", hint="regenerate the file")


def parse_with(
    path: str,
    format_name: str,
    consume: Callable[[Events], Parsed],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    events: tuple[str, ...] = ("start", "end"),
) -> ResultFile:
    parsed, warnings = read_xml(path, consume, events=events, max_bytes=max_bytes)
    return ResultFile.of(
        path,
        format_name,
        parsed.suites,
        dialect=parsed.dialect,
        warnings=(*warnings, *parsed.warnings),
    )
