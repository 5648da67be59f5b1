"""The compiled fast path of the JUnit reader and the worker transport (`_fastjunit.c`), where this install has it.

The extension is optional: a build without a C compiler or expat's headers leaves
it out, and `FastParser` is then None and JUnit is read through pyexpat alone.
Setting TESTRELAY_PURE_PYTHON=1 does the same on purpose, to compare the two or to
rule the fast path out when a result looks wrong.
"""

from __future__ import annotations

import os
import pyexpat
from typing import Any

from .model import Attempt, Problem, Result, ResultFile, TestCase, TestSuite, Totals


class Refused(Exception):
    """Raised while parsing: the document declares entities or asks for external ones."""


def _load() -> Any:
    if os.environ.get("TESTRELAY_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from . import _fastjunit  # type: ignore[attr-defined]
    except ImportError:
        return None
    # The extension fills TestCase's slots directly; it checks that they are the fields it knows.
    _fastjunit.configure(
        TestCase,
        Result.PASSED,
        Refused,
        pyexpat.ExpatError,
        (Result.FAILED, Result.ERROR, Result.SKIPPED),
        (TestCase, Attempt, TestSuite, Totals, ResultFile, Problem),
    )
    return _fastjunit


_module = _load()
FastParser: Any = _module.FastParser if _module else None
# build_cases(rows): TestCases from tuples of their field values, in order (the worker transport's rows).
build_cases: Any = _module.build_cases if _module else None
# settle(record) -> record: a frozen model record or tuple, left out of cycle collection when what it holds is.
settle: Any = _module.settle if _module else None
# pack(value) -> bytes or None; unpack(bytes) -> value: the worker transport's results (model records,
# tuples, lists, str, numbers, None, bools, Results), None when a value is of another kind.
pack: Any = _module.pack if _module else None
unpack: Any = _module.unpack if _module else None
PACKED_PREFIX: bytes | None = _module.PACKED_PREFIX if _module else None  # how pack()'s bytes begin
# tally(cases): (tests, passed, failed, errors, skipped, duration, any attempts), or None for Python to count.
tally: Any = _module.tally if _module else None

__all__ = ["PACKED_PREFIX", "FastParser", "Refused", "build_cases", "pack", "settle", "tally", "unpack"]
