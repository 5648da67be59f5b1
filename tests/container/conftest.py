"""Shows how long each step of the container test took, after the test summary."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = getattr(config, "testrelay_container_timings", None)
    if lines:
        terminalreporter.section("container test timings")
        for line in lines:
            terminalreporter.write_line(line)
