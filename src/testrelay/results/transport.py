"""Sending parse results from a worker process back to the parent, fast.

Pickle rebuilds a frozen, slotted dataclass through dataclasses' generic
__setstate__, which looks up the field list again for every object: for a file
of a million cases that costs as much as parsing it, and would eat the whole
gain of a second process. Here each model object travels as its class and a
tuple of field values and is rebuilt through its slotted twin (`frozen_twin`),
one call per object. The reducers live in a private dispatch table, so pickling
elsewhere is unchanged.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from .frozen_twin import twin_of
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
    _BUILDERS[cls] = twin_of(cls, probe if len(names) > 1 else (probe,))

    def reduce(obj: Any) -> tuple[Any, ...]:
        got = values(obj)
        return _rebuild, (cls, got if len(names) > 1 else (got,))

    return reduce


_DISPATCH = dict(copyreg.dispatch_table)
_DISPATCH.update({cls: _reducer(cls) for cls in MODEL_CLASSES})


def dumps(obj: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    return pickle.loads(data)
