"""Differential fuzzing of the two JUnit readers: the C fast path and pure Python must agree on any bytes.

Run by hand for as long as you like (libFuzzer options after the script):

    .venv/bin/python tests/fuzz/fuzz_junit_readers.py -dict=tests/fuzz/junit.dict -max_total_time=600 CORPUS_DIR

Each input is written to a file and read by both readers through `expat_source.read_expat`, the path
`testrelay parse` takes; their records, warnings or errors must be equal, and neither may raise anything
but the errors a user is shown. tests/fuzz/test_fuzz_smoke.py runs it briefly in the suite.
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from testrelay.errors import InputError
    from testrelay.results import accelerated, expat_source
    from testrelay.results.junit import _Reader
    from testrelay.results.xmlsource import MalformedXML

FAST = accelerated.FastParser
PATH = os.path.join(tempfile.mkdtemp(prefix="testrelay-fuzz-"), "input.xml")


def outcome(fast: bool) -> tuple[object, ...]:
    accelerated.FastParser = FAST if fast else None
    try:
        (suites, dialect, warnings), xml_warnings = expat_source.read_expat(PATH, lambda: _Reader(PATH), fast=True)
        return ("read", suites, dialect, warnings, xml_warnings)
    except (MalformedXML, InputError) as exc:
        return ("refused", type(exc).__name__, str(exc))
    except ValueError as exc:  # a multi-byte encoding pyexpat cannot read: parse_file transcodes it
        return ("transcode", str(exc))


def one_input(data: bytes) -> None:
    with open(PATH, "wb") as fh:
        fh.write(data)
    fast, pure = outcome(True), outcome(False)
    if fast != pure:
        raise AssertionError(f"the readers differ on {data[:300]!r}:\n fast: {fast!r:.600}\n pure: {pure!r:.600}")


if __name__ == "__main__":
    if FAST is None:
        sys.exit("the C fast path is not built (or TESTRELAY_PURE_PYTHON is set): nothing to compare")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
