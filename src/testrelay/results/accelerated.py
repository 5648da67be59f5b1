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

from .model import Attempt, Result, ResultFile, TestCase, TestSuite, Totals


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
        (TestCase, Attempt, TestSuite, Totals, ResultFile),
    )
    return _fastjunit


_module = _load()
FastParser: Any = _module.FastParser if _module else None
# build_cases(rows): TestCases from tuples of their field values, in order (the worker transport's rows).
build_cases: Any = _module.build_cases if _module else None
# settle(record) -> record: a frozen model record or tuple, left out of cycle collection when what it holds is.
settle: Any = _module.settle if _module else None
# settle_cases(cases) -> tuple: the tuple a suite holds, left out of cycle collection when its cases are.
settle_cases: Any = _module.settle_cases if _module else tuple
# pack_cases(cases) -> bytes or None; unpack_cases(bytes) -> tuple of TestCase: the worker transport's suites.
pack_cases: Any = _module.pack_cases if _module else None
unpack_cases: Any = _module.unpack_cases if _module else None
# tally(cases): (tests, passed, failed, errors, skipped, duration, any attempts), or None for Python to count.
tally: Any = _module.tally if _module else None

__all__ = ["FastParser", "Refused", "build_cases", "pack_cases", "settle", "settle_cases", "tally", "unpack_cases"]
