"""Sending parse results from a worker process back to the parent, fast.

Pickle rebuilds a frozen, slotted dataclass through dataclasses' generic
__setstate__, which looks up the field list again for every object: for a file
of a million cases that costs as much as parsing it, and would eat the whole
gain of a second process. Here each model object travels as its class and a
tuple of field values and is rebuilt through the slots' own setters. The
reducers live in a private dispatch table, so pickling elsewhere is unchanged.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from .model import Attempt, Problem, ResultFile, TestCase, TestSuite, Totals

MODEL_CLASSES = (TestCase, Attempt, TestSuite, Totals, ResultFile, Problem)

_SETTERS: dict[type, tuple[Callable[[Any, Any], None], ...]] = {}


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    obj = object.__new__(cls)
    for setter, value in zip(_SETTERS[cls], values, strict=True):
        setter(obj, value)
    return obj


def _reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(cls)]
    # The slot descriptors set a field even on a frozen class, without its __setattr__ guard.
    _SETTERS[cls] = tuple(getattr(cls, name).__set__ for name in names)
    values = operator.attrgetter(*names)

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
