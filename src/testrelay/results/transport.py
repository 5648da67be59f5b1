"""Sending parse results from a worker process back to the parent, fast.

Where this install has the compiled module, a worker's results go as one bytes
object written and read in C (`accelerated.pack`/`unpack`: model records field by
field, tuples, lists, strings, numbers). Pickling them cost the worker about 10 µs
and the parent 7 µs per 20-case file even with the reducers below, a fifth of
reading the file; packed, about one each.

Anything the packer does not carry (a string with a lone surrogate from a broken
file, an exception raised in the worker, an install without the compiled module)
goes through pickle. Pickle rebuilds a frozen, slotted dataclass through
dataclasses' generic __setstate__, which looks up the field list again for every
object: for a file of a million cases that costs as much as parsing it. So each
model object travels as its class and a tuple of field values and is rebuilt
through its slotted twin (`frozen_twin`), one call per object, and a suite's cases
travel as rows of field values rebuilt in one call per suite. The reducers live in
a private dispatch table, so pickling elsewhere is unchanged.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from . import accelerated
from .frozen_twin import settled, twin_of
from .model import Attempt, Problem, Result, ResultFile, TestCase, TestSuite, Totals

MODEL_CLASSES = (TestCase, Attempt, TestSuite, Totals, ResultFile, Problem)
# A value for each required field, to check each twin once against the real constructor.
_PROBES: dict[type, tuple[Any, ...]] = {
    TestCase: ("n",),
    Attempt: (Result.FAILED,),
    TestSuite: ("s",),
    Totals: (),
    ResultFile: ("p", "junit"),
    Problem: ("p", "m"),
}

_BUILDERS: dict[type, Callable[..., Any]] = {}


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    return _BUILDERS[cls](*values)


def _reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(cls)]
    values = operator.attrgetter(*names)
    probe = values(cls(*_PROBES[cls]))
    # Every field travels, so the twin takes each one positionally, none from a default.
    _BUILDERS[cls] = twin_of(cls, probe if len(names) > 1 else (probe,), finish=settled)

    def reduce(obj: Any) -> tuple[Any, ...]:
        got = values(obj)
        return _rebuild, (cls, got if len(names) > 1 else (got,))

    return reduce


_DISPATCH = dict(copyreg.dispatch_table)
_DISPATCH.update({cls: _reducer(cls) for cls in MODEL_CLASSES})

_SUITE_FIELDS = [f.name for f in dataclasses.fields(TestSuite)]
_CASES_AT = _SUITE_FIELDS.index("cases")
_suite_values = operator.attrgetter(*(name for name in _SUITE_FIELDS if name != "cases"))  # the cases go as rows
_case_row = operator.attrgetter(*(f.name for f in dataclasses.fields(TestCase)))


def _cases_from(rows: list[tuple[Any, ...]]) -> tuple[TestCase, ...]:
    build = accelerated.build_cases
    if build is not None:
        return settled(tuple(build(rows)))
    new = _BUILDERS[TestCase]
    return tuple(new(*row) for row in rows)


def _rebuild_suite(values: tuple[Any, ...], rows: list[tuple[Any, ...]]) -> TestSuite:
    return _BUILDERS[TestSuite](*values[:_CASES_AT], _cases_from(rows), *values[_CASES_AT:])


def _reduce_suite(suite: TestSuite) -> tuple[Any, ...]:
    return _rebuild_suite, (_suite_values(suite), list(map(_case_row, suite.cases)))


# A suite's cases go as rows: this replaces the generic reducer registered for TestSuite above, whose
# builder (_BUILDERS[TestSuite]) _rebuild_suite still uses; a TestCase pickled on its own keeps the generic one.
_DISPATCH[TestSuite] = _reduce_suite


def dumps(obj: object) -> bytes:
    pack = accelerated.pack
    if pack is not None:
        packed = pack(obj)
        if packed is not None:
            return packed  # type: ignore[no-any-return]
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    prefix = accelerated.PACKED_PREFIX  # pickle's bytes begin with its protocol opcode instead
    if prefix is not None and data.startswith(prefix):
        return accelerated.unpack(data)
    return pickle.loads(data)
