"""Fuzzing of the worker transport's reader: `accelerated.unpack` on any bytes.

The bytes come from a worker process of the same install, but a damaged chunk file must still end in
a ValueError, never a crash or a read past the data; whatever it reads must pack and read back the same.
Run by hand for as long as you like (libFuzzer options after the script):

    .venv/bin/python tests/fuzz/fuzz_unpack.py -max_total_time=600

Each input is a recipe of edits to one of a few packed results (see `damaged`). tests/fuzz/test_fuzz_smoke.py
runs it briefly.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from testrelay.results import accelerated
    from testrelay.results.model import Attempt, Problem, Result, ResultFile, TestCase, TestSuite

MAGIC = accelerated.PACKED_PREFIX


def seeds() -> list[bytes]:
    """Packed results of the shapes a worker sends, without the magic the harness adds."""
    flaky = TestCase("retries", "app.NetTest", "net", "tests/net.py", 12, 1.5, Result.PASSED, stdout="out",
                     attempts=(Attempt(Result.FAILED, 0.5, "timeout", "trace"),))
    failed = TestCase("breaks \u00e9\u4e2d", "app.NetTest", "net", result=Result.FAILED, message="m", details="at x")
    suite = TestSuite.of("net", [flaky, failed], timestamp="2026-11-26T14:03:00", hostname="ci")
    chunk = [(ResultFile.of("r.xml", "junit", [suite], dialect="pytest", warnings=("odd",)),
              [Problem("r.xml", "odd", line=3, column=4, fatal=False)]),
             (None, [Problem("x.xml", "bad")])]  # fmt: skip
    return [accelerated.pack(value)[len(MAGIC):] for value in (chunk, suite, (failed,), [], (1, -2.5, True, None))]


SEEDS: list[bytes] = []


def damaged(data: bytes) -> bytes:
    """A seed with the changes the fuzzer's bytes describe: the C reader gives the fuzzer no coverage to
    steer by, so each input is a recipe of edits to a real packed value rather than raw bytes."""
    fdp = atheris.FuzzedDataProvider(data)
    out = bytearray(SEEDS[fdp.ConsumeIntInRange(0, len(SEEDS) - 1)])
    for _ in range(fdp.ConsumeIntInRange(1, 6)):
        op, at = fdp.ConsumeIntInRange(0, 3), fdp.ConsumeIntInRange(0, max(0, len(out) - 1))
        if op == 0 and out:
            out[at] = fdp.ConsumeIntInRange(0, 255)
        elif op == 1:
            del out[at : at + fdp.ConsumeIntInRange(1, 16)]
        elif op == 2:
            out[at:at] = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 16))
        else:
            del out[at:]
    return bytes(out)


def test_one(data: bytes) -> None:
    try:
        value = accelerated.unpack(MAGIC + damaged(data))
    except ValueError:  # UnicodeDecodeError is one: what damaged data must end in
        return
    again = accelerated.pack(value)
    assert again is not None, "a value unpack() made must pack again"
    assert repr(accelerated.unpack(again)) == repr(value)


def main() -> None:
    SEEDS.extend(seeds())
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
