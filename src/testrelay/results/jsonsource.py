"""Reading JSON and line-oriented result files: whole documents, NDJSON streams, text lines.

Whole documents are small enough to load at once (the size limit sees to that).
Streams (`go test -json`, Dart's JSON reporter, TAP) are read line by line, so a
multi-gigabyte log never sits in memory; one bad line costs a warning, not the file.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import deque
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from .xmlsource import MalformedXML, check_size

OUTPUT_LIMIT = 64 * 1024  # characters kept per case for output and for details
MAX_WARNINGS = 50


def _marker(cut: int) -> str:
    return f"\n[… {cut:,} characters cut by testrelay …]\n"


def clip(text: str, limit: int = OUTPUT_LIMIT) -> str:
    """`text` bounded to about `limit` characters: its head and tail around a visible marker.

    Both ends matter: the head says what was run, the tail how it ended.
    """
    half = limit // 2
    if len(text) <= 2 * half:
        return text
    return text[:half] + _marker(len(text) - 2 * half) + text[-half:]


class TextBuffer:
    """Output gathered piece by piece, bounded like `clip` without ever holding more."""

    __slots__ = ("_cut", "_head", "_head_len", "_limit", "_tail", "_tail_len")

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        self._limit = limit
        self._head: list[str] = []
        self._head_len = 0
        self._tail: deque[str] | None = None  # made on overflow only: most tests print little
        self._tail_len = 0
        self._cut = 0

    def append(self, text: str) -> None:
        if not text:
            return
        half = self._limit // 2
        if self._head_len < half:
            room = half - self._head_len
            self._head.append(text[:room])
            self._head_len += min(room, len(text))
            text = text[room:]
            if not text:
                return
        if self._tail is None:
            self._tail = deque()
        self._tail.append(text)
        self._tail_len += len(text)
        while self._tail_len > half:
            excess = self._tail_len - half
            first = self._tail[0]
            if len(first) <= excess:
                self._tail.popleft()
                self._tail_len -= len(first)
                self._cut += len(first)
            else:
                self._tail[0] = first[excess:]
                self._tail_len -= excess
                self._cut += excess

    def __bool__(self) -> bool:
        return self._head_len > 0

    def value(self) -> str:
        head = "".join(self._head)
        tail = "".join(self._tail) if self._tail else ""
        return head + _marker(self._cut) + tail if self._cut else head + tail


class Warnings:
    """A file's warnings, capped so a stream of bad lines cannot flood the report."""

    def __init__(self, path: str, limit: int = MAX_WARNINGS) -> None:
        self.path = path
        self._limit = limit
        self._items: list[str] = []
        self._dropped = 0

    def add(self, message: str, line: int | None = None) -> None:
        if len(self._items) >= self._limit:
            self._dropped += 1
            return
        # "line N:" in words, not "path:N:", so the line survives when the path is cut off later.
        self._items.append(f"{self.path}: {message}" if line is None else f"{self.path}: line {line}: {message}")

    def extend(self, messages: list[str]) -> None:
        for message in messages:
            if len(self._items) >= self._limit:
                self._dropped += 1
            else:
                self._items.append(message)

    def __len__(self) -> int:
        return len(self._items) + self._dropped

    def as_tuple(self) -> tuple[str, ...]:
        if self._dropped:
            return (*self._items, f"{self.path}: … and {self._dropped:,} more warnings like these")
        return tuple(self._items)


def _document_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of a JSON file by its BOM or first bytes, and the BOM's length."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return name, len(bom)
    # JSON text starts with an ASCII character, so NUL bytes give UTF-16 away (RFC 8259 §8.1).
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return "utf-16-be", 0
    if len(data) >= 2 and data[0] != 0 and data[1] == 0:
        return "utf-16-le", 0
    return "utf-8", 0


def read_text(path: str, max_bytes: int, warnings: Warnings) -> str:
    """The whole file as text: BOM-aware, undecodable bytes replaced with a warning."""
    check_size(path, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    encoding, skip = _document_encoding(data)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[skip : skip + exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        warnings.add(f"bytes that are not valid {encoding.upper()} were replaced with U+FFFD", line)
        return data[skip:].decode(encoding, errors="replace")


class MalformedJSON(MalformedXML):
    """A JSON result file that does not parse; carries the position of the fault.

    A kind of MalformedXML only so that every stage that keeps a fault's line and
    column for malformed XML (the parse stage's Problem) keeps them for JSON too.
    """


def parse_json_text(path: str, text: str) -> Any:
    """Parse one JSON document; MalformedJSON with line and column when it is not JSON."""
    if not text.strip():
        raise MalformedJSON(path, "empty file, not a JSON document")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = exc.msg
        if exc.pos >= len(text.rstrip()):
            reason += " (the file ends early: truncated?)"
        raise MalformedJSON(path, f"malformed JSON: {reason}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise MalformedJSON(path, "JSON nested too deeply to read") from None


def load_json(path: str, max_bytes: int, warnings: Warnings) -> Any:
    return parse_json_text(path, read_text(path, max_bytes, warnings))


def require_object(path: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{path}: expected {what} to be a JSON object, found {type_name(value)}")
    return value


def require_list(path: str, value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"{path}: expected {what} to be a JSON array, found {type_name(value)}")
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a number")


def outer_title(item: dict[str, Any], full_key: str, own_key: str) -> str:
    """What a full title holds before the item's own title: the describe blocks around it (Mocha, RSpec)."""
    full = str(item.get(full_key) or "")
    own = str(item.get(own_key) or "")
    if own and full.endswith(own):
        return full[: -len(own)].strip()
    return ""


def iter_lines(path: str, max_bytes: int, warnings: Warnings, *, skip_undecodable: bool) -> Iterator[tuple[int, str]]:
    """The file's lines with their 1-based numbers, line ends removed, streamed.

    A line with bytes that are not UTF-8 is skipped with a warning (`skip_undecodable`)
    or kept with the bytes replaced; UTF-16 files (PowerShell redirects write them) are
    decoded as a whole stream.
    """
    check_size(path, max_bytes)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        encoding, skip = _document_encoding(fh.read(4))
        fh.seek(skip)
        if encoding != "utf-8":
            yield from _iter_wide_lines(fh, encoding, warnings, skip_undecodable)
            return
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                if skip_undecodable:
                    warnings.add("line is not valid UTF-8; skipped", number)
                    continue
                warnings.add("bytes that are not valid UTF-8 were replaced with U+FFFD", number)
                text = raw.decode("utf-8", errors="replace")
            yield number, text.rstrip("\r\n")
    finally:
        fh.close()


def _iter_wide_lines(fh: Any, encoding: str, warnings: Warnings, skip_undecodable: bool) -> Iterator[tuple[int, str]]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""
    number = 0
    while True:
        raw = fh.read(1 << 20)
        text = pending + decoder.decode(raw, final=not raw)
        lines = text.split("\n")
        pending = lines.pop() if raw else ""
        if not raw and lines and not lines[-1]:
            lines.pop()  # the file's last line end closes a line; it does not open one
        for line in lines:
            number += 1
            if "\ufffd" in line:
                if skip_undecodable:
                    warnings.add(f"line is not valid {encoding.upper()}; skipped", number)
                    continue
                warnings.add(f"bytes that are not valid {encoding.upper()} were replaced with U+FFFD", number)
            yield number, line.rstrip("\r")
        if not raw:
            return


def iter_json_lines(path: str, max_bytes: int, warnings: Warnings) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of an NDJSON stream, parsed; bad lines are skipped with a warning."""
    for number, line in iter_lines(path, max_bytes, warnings, skip_undecodable=True):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith(("{", "[")):
            warnings.add(f"not a JSON line, skipped: {stripped[:80]!r}", number)
            continue
        try:
            yield number, json.loads(stripped)
        except json.JSONDecodeError as exc:
            if exc.pos >= len(stripped) or not stripped.endswith(("}", "]")):
                warnings.add("truncated JSON line, skipped", number)
            else:
                warnings.add(f"malformed JSON at column {exc.colno} ({exc.msg}), skipped", number)
        except RecursionError:
            warnings.add("JSON nested too deeply, skipped", number)


def head_json_lines(text: str, limit: int = 8) -> Iterator[Any]:
    """The JSON values on the first complete lines of a file's head (for sniffing).

    Lines that are not JSON are passed over: a log may start with a tool's chatter.
    """
    lines = text.split("\n")
    if len(lines) > 1:
        lines.pop()  # the head may end inside a line
    seen = 0
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith(("{", "[")):
            continue
        try:
            value = json.loads(stripped)
        except (json.JSONDecodeError, RecursionError):
            continue
        yield value
        seen += 1
        if seen >= limit:
            return


_LEADING_OBJECT = re.compile(r"\A\s*\{")


def starts_with_object(text: str) -> bool:
    return _LEADING_OBJECT.match(text) is not None
