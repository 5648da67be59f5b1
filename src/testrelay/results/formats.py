"""The registry of result formats, and the choice of one by a file's content.

Each format lives in its own module that defines `FORMAT = Format(...)`. The order
of MODULES matters: more specific sniffers come before more general ones (JUnit's
`<testsuite>` root is shared by several dialects, so it comes late).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..errors import InputError
from .frozen_twin import twin_of
from .model import ResultFile
from .xmlsource import DEFAULT_MAX_BYTES, head_text, read_head, root_tag, sniff_encoding, take_whole


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

# The roots each sniffer can say yes to, by the sniffer's module and name (None: a file that is not
# XML). A file is offered only to the sniffers that list its root and to those not listed here, in
# the order of MODULES, so a JUnit file meets one sniffer instead of two dozen; a new format is
# offered every file until it is listed. Each entry is a promise about the sniffer's code that
# tests/results/test_sniff_roots.py holds it to.
SNIFF_ROOTS: dict[str, tuple[str | None, ...]] = {
    "trx.sniff": ("TestRun",),
    "nunit.sniff_nunit2": ("test-results",),
    "nunit.sniff_nunit3": ("test-run",),
    "xunitnet.sniff_v1": ("assembly",),
    "xunitnet.sniff_v2": ("assemblies",),
    "native.boosttest.sniff": ("TestLog", "TestResult"),
    "native.check.sniff": ("testsuites",),
    "native.cpptest.sniff": ("ResultsSession",),
    "native.cppunit.sniff": ("TestRun",),
    "native.ctest.sniff": ("Site",),
    "native.cunit.sniff": ("CUNIT_TEST_RUN_REPORT",),
    "native.gtester.sniff": ("gtester",),
    "native.qtest.sniff": ("TestCase",),
    "native.unittestpp.sniff": ("unittest-results",),
    "native.valgrind.sniff": ("valgrindoutput",),
    "ctrf.sniff": (None,),
    "mocha_json.sniff": (None,),
    "rspec_json.sniff": (None,),
    "gotest_json.sniff": (None,),
    "dart_json.sniff": (None,),
    "tap.sniff": (None,),
    "junit.sniff": ("testsuites", "testsuite"),
}


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


def sniffer_key(sniff: Callable[[Head], bool]) -> str:
    """How SNIFF_ROOTS names a sniffer: its module below this package, and its name."""
    module = getattr(sniff, "__module__", "") or ""
    prefix = f"{__package__}."
    return f"{module.removeprefix(prefix)}.{getattr(sniff, '__qualname__', '')}"


def _sniffers_by_root(found: tuple[Format, ...]) -> tuple[dict[str | None, tuple[Format, ...]], tuple[Format, ...]]:
    """For each root some sniffer lists, the formats to offer it, in order; and those for any other root."""
    declared = [(fmt, SNIFF_ROOTS.get(sniffer_key(fmt.sniff))) for fmt in found]
    roots = {root for _, listed in declared if listed is not None for root in listed}
    by_root = {root: tuple(fmt for fmt, listed in declared if listed is None or root in listed) for root in roots}
    unlisted = tuple(fmt for fmt, listed in declared if listed is None)
    return by_root, unlisted


# The table for the last formats() seen (tests put formats of their own in its place).
_by_root: tuple[tuple[Format, ...], dict[str | None, tuple[Format, ...]], tuple[Format, ...]] | None = None


def sniffers_for(root: str | None) -> tuple[Format, ...]:
    """The formats whose sniffers can claim a file with this root, in sniffing order."""
    global _by_root
    found = formats()
    table = _by_root
    if table is None or table[0] is not found:
        table = _by_root = (found, *_sniffers_by_root(found))
    return table[1].get(root, table[2])


_new_head: Callable[[str, str, str | None], Head] = twin_of(Head, ("p", "<a/>", "a"))
# The encoding sniff_encoding gives for each XML declaration met, so that a run of files written by
# one tool works it out once. It depends on nothing after the declaration's first ">".
_DECLARED: dict[bytes, str] = {}
_DECLARED_CAP = 64
# The usual start: a declaration, then the root. root_tag gives the same name for it, in more steps.
_DECLARATION_ROOT = re.compile(r"<\?xml[^>]*\?>\s*<([A-Za-z_][\w.:-]*)")


def _text(head: bytes) -> str:
    if head.startswith(b"<?xml"):
        end = head.find(b">")
        if end > 0:
            declaration = head[:end]
            encoding = _DECLARED.get(declaration)
            if encoding is None:
                encoding = sniff_encoding(head)
                if len(_DECLARED) < _DECLARED_CAP:
                    _DECLARED[declaration] = encoding
            return head.decode(encoding, errors="replace").lstrip("\ufeff")
    return head_text(head)


def head_of(path: str, *, keep_whole: bool = False) -> Head:
    """The file's head; with `keep_whole`, a small file's bytes stay for the parse that follows at once."""
    text = _text(read_head(path, keep_whole=keep_whole))
    stripped = text.lstrip()
    if not stripped.startswith("<"):
        return _new_head(path, text, None)
    m = _DECLARATION_ROOT.match(stripped)
    return _new_head(path, text, m.group(1).rsplit(":", 1)[-1] if m else root_tag(stripped))


def detect(path: str, *, keep_whole: bool = False) -> Format | None:
    """The format of the file at `path`, judged by its content alone (`keep_whole` as for `head_of`)."""
    head = head_of(path, keep_whole=keep_whole)
    for fmt in sniffers_for(head.root):
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
    fmt = by_name(format) if format else detect(path, keep_whole=True)
    if fmt is None:
        known = ", ".join(f.name for f in formats())
        raise InputError(
            f"{path}: not a test result format testrelay knows",
            hint=f"known formats: {known}",
        )
    try:
        return fmt.parse(path, max_bytes=max_bytes)
    finally:
        take_whole(path)  # kept for this parse only: a format that did not use the bytes leaves none behind
