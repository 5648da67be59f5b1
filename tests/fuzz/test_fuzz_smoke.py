"""A short differential fuzzing run of the two JUnit readers, seeded with the JUnit fixtures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testrelay.results import accelerated

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "junit"


@pytest.mark.skipif(accelerated.FastParser is None, reason="the C fast path is not built")
def test_the_readers_agree_on_mutated_fixtures(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for fixture in FIXTURES.glob("*.xml"):
        shutil.copy(fixture, corpus)
    env = {k: v for k, v in os.environ.items() if k != "TESTRELAY_PURE_PYTHON"}
    proc = subprocess.run(
        [sys.executable, str(HERE / "fuzz_junit_readers.py"), f"-dict={HERE / 'junit.dict'}", "-runs=6000",
         "-max_len=4096", "-seed=1", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done 6000 runs" in proc.stderr


@pytest.mark.skipif(accelerated.pack is None, reason="the compiled module is not built")
def test_the_transport_reader_survives_damaged_chunks(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    env = {k: v for k, v in os.environ.items() if k != "TESTRELAY_PURE_PYTHON"}
    proc = subprocess.run(
        [sys.executable, str(HERE / "fuzz_unpack.py"), "-runs=30000", "-max_len=256", "-seed=1",
         f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done 30000 runs" in proc.stderr
