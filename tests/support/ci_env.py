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


def use_recorded_env(monkeypatch: pytest.MonkeyPatch, fixture: str) -> dict[str, Any]:
    """A clean environment plus the variables of `tests/fixtures/env/<fixture>.json`; returns the fixture."""
    clear_ci_env(monkeypatch)
    data = json.loads((FIXTURES / f"{fixture}.json").read_text(encoding="utf-8"))
    for name, value in data["env"].items():
        monkeypatch.setenv(name, value)
    return data
