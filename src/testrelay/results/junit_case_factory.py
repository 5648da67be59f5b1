"""A cheaper way to build the frozen TestCase records a large file needs by the hundred thousand.

A frozen dataclass's __init__ sets every field through object.__setattr__, which
made building a TestCase cost more than parsing its XML. `new_case` fills a plain
slotted twin with the same slot layout and then retypes it as TestCase: the result
is an ordinary TestCase (equal, hashable, frozen), built in about a third of the time.
If the interpreter ever refuses the retyping, the dataclass constructor is used.
"""

from __future__ import annotations

from collections.abc import Callable

from .frozen_twin import settled, twin_class
from .model import Result, TestCase


def _twin() -> type:
    # Every field after `result` defaults to its empty value, so a passed case passes 7 arguments.
    return twin_class(TestCase, 7)


def _factory() -> tuple[type, Callable[..., TestCase]]:
    twin = _twin()

    def new_case(*values: object, _twin: type = twin, _case: type = TestCase) -> TestCase:
        record = _twin(*values)
        record.__class__ = _case
        return settled(record)  # type: ignore[no-any-return]

    probe = ("n", "c", "s", None, None, 0.0, Result.PASSED, "", "", "", "", ())
    try:
        if new_case(*probe) == TestCase(*probe):  # type: ignore[arg-type]
            return twin, new_case
    except TypeError:
        pass
    return TestCase, TestCase


# CaseTwin(...) then `.__class__ = TestCase` is the hot-loop form; new_case(...) the convenient one.
# Both take the TestCase fields in order:
# name, classname, suite, file, line, duration, result, message, details, stdout, stderr, attempts.
CaseTwin, new_case = _factory()
