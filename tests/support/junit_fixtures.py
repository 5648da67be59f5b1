"""The JUnit fixture files of tests/fixtures/junit/, parsed, and one case picked out of them by name."""

from __future__ import annotations

from pathlib import Path

from testrelay.results.junit import parse
from testrelay.results.model import ResultFile, TestCase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "junit"


def load(name: str) -> ResultFile:
    return parse(str(FIXTURES / name))


def case(rf: ResultFile, name: str) -> TestCase:
    """The one case of that name (a second one fails the test: names are unique in our fixtures)."""
    found = [c for c in rf.cases() if c.name == name]
    assert len(found) == 1, f"{name}: {len(found)} cases"
    return found[0]
