"""Running the entrypoint under a recorded CI environment, with nothing of the real one leaking in."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "env"
_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "INPUT_", "TESTRELAY_", "SYSTEM_", "BUILD_", "JENKINS_", "JOB_",
             "CHANGE_", "GIT_")
_NAMES = {"CI", "TF_BUILD", "GITLAB_CI", "JENKINS_URL"}


def clear_ci_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every variable a CI detector or the configuration reads."""
    for name in list(os.environ):
        if name.startswith(_PREFIXES) or name in _NAMES:
            monkeypatch.delenv(name)


def recorded_env(fixture: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The variables of `tests/fixtures/env/<fixture>` (with `.json` or without), the GitHub event file
    pointed at when the recording has one, and the whole recording (its `expected` values among them)."""
    name = fixture if fixture.endswith(".json") else f"{fixture}.json"
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    env = dict(data["env"])
    if "event_file" in data:
        env["GITHUB_EVENT_PATH"] = str(FIXTURES / data["event_file"])
    return env, data


def use_recorded_env(monkeypatch: pytest.MonkeyPatch, fixture: str) -> dict[str, Any]:
    """A clean environment plus a recorded one; returns the recording."""
    clear_ci_env(monkeypatch)
    env, data = recorded_env(fixture)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return data
