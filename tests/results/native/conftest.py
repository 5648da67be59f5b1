from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "native"


@pytest.fixture
def fixture() -> Callable[[str], str]:
    def path(name: str) -> str:
        return str(FIXTURES / name)

    return path


@pytest.fixture
def write_xml(tmp_path: Path) -> Callable[[str, str], str]:
    def write(name: str, text: str) -> str:
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
        return str(target)

    return write
