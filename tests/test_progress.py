from __future__ import annotations

import io
import time

import pytest

from testrelay.progress import Progress, interactive


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_means_no_bar() -> None:
    assert not interactive(io.StringIO())


def test_a_terminal_in_ci_means_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert not interactive(FakeTTY())
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "xterm")
    assert interactive(FakeTTY())


def test_quick_work_prints_nothing_even_at_a_terminal() -> None:
    out = FakeTTY()
    with Progress(3, enabled=True, delay=5.0, stream=out) as bar:
        for _ in range(3):
            bar.advance()
    assert not bar.shown and out.getvalue() == ""
    assert bar.done == 3


def test_long_work_shows_a_bar_after_the_delay() -> None:
    out = FakeTTY()
    with Progress(4, "parsing result files", enabled=True, delay=0.01, stream=out) as bar:
        bar.advance(2)
        deadline = time.monotonic() + 2
        while not bar.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        bar.advance(2)
    assert bar.shown
    assert "parsing result files" in out.getvalue()


def test_disabled_progress_never_shows() -> None:
    out = FakeTTY()
    with Progress(2, enabled=False, delay=0.0, stream=out) as bar:
        time.sleep(0.05)
        bar.advance(2)
    assert not bar.shown and out.getvalue() == ""
