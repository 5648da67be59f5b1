"""The artifact benchmark still runs, at a tiny size (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_artifacts.py"


def test_artifact_benchmark_runs_and_prints_its_table(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--count", "100", "--per-run", "10", "--no-fsync"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "stored 100 artifacts (10 per run)" in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 1")]
    assert [row.split("|")[1].strip() for row in rows] == ["10", "100"]
