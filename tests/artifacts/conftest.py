"""A store in a temporary folder and a helper that writes source files."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.artifacts import ArtifactHandler


@pytest.fixture
def store(tmp_path: Path) -> ArtifactHandler:
    return ArtifactHandler(tmp_path / "store")


@pytest.fixture
def make_file(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    counter = iter(range(1_000_000))

    def make(content: str | bytes, name: str | None = None) -> Path:
        path = src / (name or f"file-{next(counter)}.txt")
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return make
