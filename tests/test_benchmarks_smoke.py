"""The benchmark generators and harness still run (at tiny sizes; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import gen_junit  # noqa: E402
import gen_trx  # noqa: E402

from testrelay.results.formats import parse_file  # noqa: E402


def test_generated_junit_holds_the_promised_cases(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    gen_junit.write_big(str(path), 1_000)
    run = parse_file(str(path))
    assert run.format == "junit"
    assert (run.totals.tests, run.totals.failed, run.totals.skipped) == (1_000, 100, 20)
    failure = next(c for c in run.cases() if c.result == "failed")
    assert 1_900 < len(failure.details) <= 2_048


def test_generated_trx_holds_the_promised_cases(tmp_path: Path) -> None:
    path = tmp_path / "big.trx"
    gen_trx.write_big(str(path), 1_000)
    etree.parse(str(path))  # well-formed
    run = parse_file(str(path))
    assert run.format == "trx"
    assert (run.totals.tests, run.totals.failed, run.totals.skipped) == (1_000, 100, 20)


def test_many_small_files(tmp_path: Path) -> None:
    gen_junit.write_many(str(tmp_path / "j"), 3, 5)
    gen_trx.write_many(str(tmp_path / "t"), 3, 5)
    assert len(list((tmp_path / "j").rglob("*.xml"))) == 3
    assert len(list((tmp_path / "t").rglob("*.trx"))) == 3


def test_harness_prints_the_table_and_the_targets(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--cases", "300", "--files", "4", "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "| input | tool | files | MB | cases | wall (s) | MB/s | peak RSS (MB) | MB per 1M cases |" in out
    for row in ("| junit 300 cases | iterparse |", "| junit 300 cases | junitparser |",
                "| junit 300 cases | testrelay |", "| trx 300 cases | testrelay |",
                "| junit 4 files | testrelay-parse --jobs 2 |"):
        assert row in out
    assert "x the time of bare iterparse" in out and "as fast as junitparser" in out
    assert "checked at full size only" in out
