"""The registry of result formats, and the choice of one by a file's content.

Each format lives in its own module that defines `FORMAT = Format(...)`. The order
of MODULES matters: more specific sniffers come before more general ones (JUnit's
`<testsuite>` root is shared by several dialects, so it comes late).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..errors import InputError
from .model import ResultFile
from .xmlsource import DEFAULT_MAX_BYTES, head_text, read_head, root_tag


@dataclass(frozen=True, slots=True)
class Head:
    """What sniffers look at: the first bytes of a file, as text, and its XML root if any."""

    path: str
    text: str
    root: str | None  # local name of the root element; None for non-XML


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    sniff: Callable[[Head], bool]
    # parse(path, max_bytes=...) -> ResultFile; raises errors.InputError (or MalformedXML)
    parse: Callable[..., ResultFile]


MODULES: tuple[str, ...] = (
    # XML formats with a root of their own
    "trx",
    "nunit",
    "xunitnet",
    "native",
    # JSON and line formats
    "ctrf",
    "mocha_json",
    "rspec_json",
    "gotest_json",
    "dart_json",
    "tap",
    # JUnit and its many dialects last: its roots are the most general
    "junit",
)


@cache
def formats() -> tuple[Format, ...]:
    found: list[Format] = []
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, Format):
            found.append(fmt)
        else:
            for item in getattr(module, "FORMATS", ()):
                found.append(item)
    return tuple(found)


def head_of(path: str) -> Head:
    text = head_text(read_head(path))
    stripped = text.lstrip()
    return Head(path=path, text=text, root=root_tag(stripped) if stripped.startswith("<") else None)


def detect(path: str) -> Format | None:
    """The format of the file at `path`, judged by its content alone."""
    head = head_of(path)
    for fmt in formats():
        if fmt.sniff(head):
            return fmt
    return None


def by_name(name: str) -> Format | None:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    return None


def parse_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, format: str | None = None) -> ResultFile:
    """Parse one file; raises InputError with the file's name when it cannot."""
    fmt = by_name(format) if format else detect(path)
    if fmt is None:
        known = ", ".join(f.name for f in formats())
        raise InputError(
            f"{path}: not a test result format testrelay knows",
            hint=f"known formats: {known}",
        )
    return fmt.parse(path, max_bytes=max_bytes)
