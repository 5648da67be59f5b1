"""What changed between a baseline run and this one, matching cases by suite and id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .results.model import Result, TestCase, TestRun

_FAILING, _PASSED, _SKIPPED = 2, 1, 0
_RANK = {Result.FAILED: _FAILING, Result.ERROR: _FAILING, Result.PASSED: _PASSED, Result.SKIPPED: _SKIPPED}


@dataclass(frozen=True, slots=True)
class CaseRef:
    id: str
    suite: str = ""


@dataclass(frozen=True, slots=True)
class Changes:
    """A list of cases that changed: the exact count, and the first few names."""

    total: int = 0
    items: tuple[CaseRef, ...] = ()

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[CaseRef]:
        return iter(self.items)

    @property
    def more(self) -> int:
        """How many are counted but not named."""
        return self.total - len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "items": [{"id": r.id, "suite": r.suite} for r in self.items]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Changes:
        return cls(
            total=int(d.get("total", 0)),
            items=tuple(CaseRef(id=str(r["id"]), suite=str(r.get("suite", ""))) for r in d.get("items", ())),
        )


@dataclass(frozen=True, slots=True)
class Delta:
    """This run minus the baseline, per count, and the cases that moved."""

    tests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    flaky: int = 0
    duration: float = 0.0
    newly_failing: Changes = field(default_factory=Changes)
    fixed: Changes = field(default_factory=Changes)  # failing in the baseline, passing now
    added: Changes = field(default_factory=Changes)
    removed: Changes = field(default_factory=Changes)
    # Keys of newly failing cases, to mark each Failure; not stored in report.json.
    failing_keys: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False, repr=False)

    @property
    def any_changes(self) -> bool:
        return bool(self.newly_failing or self.fixed or self.added or self.removed)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k) for k in ("tests", "passed", "failed", "errors", "skipped", "flaky")}
        d["duration"] = round(self.duration, 6)
        for k in ("newly_failing", "fixed", "added", "removed"):
            d[k] = getattr(self, k).to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Delta:
        return cls(
            **{k: int(d.get(k, 0)) for k in ("tests", "passed", "failed", "errors", "skipped", "flaky")},
            duration=float(d.get("duration", 0.0)),
            **{k: Changes.from_dict(d.get(k) or {}) for k in ("newly_failing", "fixed", "added", "removed")},
        )


def _states(cases: Iterator[TestCase]) -> dict[tuple[str, str], int]:
    """Each (suite, id) with its worst result: a duplicate that failed makes the key failing."""
    states: dict[tuple[str, str], int] = {}
    for case in cases:
        key = (case.suite, case.id)
        rank = _RANK[case.result]
        if states.get(key, -1) < rank:
            states[key] = rank
    return states


class _Collector:
    def __init__(self, max_listed: int) -> None:
        self.max_listed = max_listed
        self.total = 0
        self.items: list[CaseRef] = []

    def add(self, key: tuple[str, str]) -> None:
        self.total += 1
        if len(self.items) < self.max_listed:
            self.items.append(CaseRef(id=key[1], suite=key[0]))

    def done(self) -> Changes:
        return Changes(total=self.total, items=tuple(self.items))


def compare(run: TestRun, baseline: TestRun, *, max_listed: int = 100) -> Delta:
    now = _states(run.cases())
    before = _states(baseline.cases())
    newly_failing, fixed, added, removed = (_Collector(max_listed) for _ in range(4))
    failing_keys = set()
    for key, state in now.items():
        old = before.get(key)
        if old is None:
            added.add(key)
        if state == _FAILING and old != _FAILING:
            newly_failing.add(key)
            failing_keys.add(key)
        elif state == _PASSED and old == _FAILING:
            fixed.add(key)
    for key in before:
        if key not in now:
            removed.add(key)
    a, b = run.totals, baseline.totals
    return Delta(
        tests=a.tests - b.tests,
        passed=a.passed - b.passed,
        failed=a.failed - b.failed,
        errors=a.errors - b.errors,
        skipped=a.skipped - b.skipped,
        flaky=a.flaky - b.flaky,
        duration=run.wall_duration - baseline.wall_duration,
        newly_failing=newly_failing.done(),
        fixed=fixed.done(),
        added=added.done(),
        removed=removed.done(),
        failing_keys=frozenset(failing_keys),
    )
