"""The C fast path under AddressSanitizer: the equality tests and a short fuzzing run, on a build with ASan.

A memory fault in C code that reads untrusted files may go unseen in a normal build; ASan stops the
process at the first bad read or write. The module is built with -fsanitize=address into a copy of the
package, and a subprocess runs with libasan preloaded (Python itself is not built with ASan).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from testrelay.results import accelerated

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "testrelay" / "results" / "_fastjunit.c"
HERE = Path(__file__).resolve().parent


def _libasan() -> str | None:
    if not shutil.which("gcc"):
        return None
    out = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    return out if os.path.isabs(out) and os.path.exists(out) else None


@pytest.mark.skipif(accelerated.FastParser is None, reason="the C fast path is not built")
def test_the_fast_path_is_clean_under_address_sanitizer(tmp_path: Path) -> None:
    libasan = _libasan()
    if libasan is None:
        pytest.skip("gcc with libasan is not available")
    pytest.importorskip("atheris")
    package = tmp_path / "src"
    shutil.copytree(ROOT / "src", package, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    built = subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer",
         f"-I{sysconfig.get_paths()['include']}", str(SOURCE), "-lexpat",
         "-o", str(package / "testrelay" / "results" / f"_fastjunit{suffix}")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    env = {k: v for k, v in os.environ.items() if k != "TESTRELAY_PURE_PYTHON"}
    env.update(PYTHONPATH=str(package), LD_PRELOAD=libasan, ASAN_OPTIONS="detect_leaks=0:abort_on_error=1")
    probe = subprocess.run(
        [sys.executable, "-c", "import testrelay.results.accelerated as a; print(a.__file__, a.FastParser)"],
        capture_output=True, text=True, env=env,
    )
    assert str(package) in probe.stdout and "FastParser" in probe.stdout, probe.stdout + probe.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/results/test_accelerated.py",
         "tests/results/test_transport.py", "tests/results/test_junit.py", "tests/results/test_untracked_cases.py"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for fixture in (ROOT / "tests" / "fixtures" / "junit").glob("*.xml"):
        shutil.copy(fixture, corpus)
    fuzz = subprocess.run(
        [sys.executable, str(HERE / "fuzz_junit_readers.py"), f"-dict={HERE / 'junit.dict'}", "-runs=4000",
         "-max_len=4096", "-seed=3", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert fuzz.returncode == 0 and "AddressSanitizer" not in fuzz.stderr, fuzz.stderr[-3000:]
    transport = subprocess.run(
        [sys.executable, str(HERE / "fuzz_unpack.py"), "-runs=30000", "-max_len=256", "-seed=3",
         f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert transport.returncode == 0 and "AddressSanitizer" not in transport.stderr, transport.stderr[-3000:]
