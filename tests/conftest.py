"""Fixtures every test folder may use: the Prism contract mocks (one set per session) and a workspace
holding the bundled examples, with no CI environment around it."""

import shutil
from pathlib import Path

import pytest

from support.ci_env import clear_ci_env

pytest_plugins = ["support.contract_mocks"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory, holding a copy of examples/, outside any CI."""
    clear_ci_env(monkeypatch)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path
