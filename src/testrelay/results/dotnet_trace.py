"""Where a .NET test failed, read from its stack trace.

TRX, NUnit and xUnit.net v1 keep no source position for a failing test (xUnit.net v2
sometimes does, in `source-file`/`source-line`), but a trace built with symbols names it
in every frame of the test's own code:

    at Shop.Tests.CartTests.RemovesItem() in /src/Shop.Tests/CartTests.cs:line 42     (.NET)
    at Shop.Tests.CartTests.RemovesItem () [0x00001] in /src/Shop.Tests/CartTests.cs:42   (Mono)

The first frame with a source file is taken, past the frames of libraries built with
deterministic paths (`/_/src/...`, as xunit.assert and the runtime ship them), which are not
the project's files. Runtimes that print traces in another language ("in X.cs:Zeile 42")
are not read.
"""

from __future__ import annotations

import re

_FRAME = re.compile(r"^[ \t]*at [^\r\n]*? in (?P<file>[^<\r\n][^\r\n]*?):(?:line )?(?P<line>\d+)[ \t]*\r?$", re.M)
_LIBRARY_PATH = "/_/"


def trace_place(trace: str) -> tuple[str | None, int | None]:
    """The source file and line of the first frame of the project's code in `trace`; (None, None) if none."""
    if " in " not in trace:  # a trace without symbols: most of them, and the search is not needed
        return None, None
    for m in _FRAME.finditer(trace):
        file = m.group("file")
        if not file.startswith(_LIBRARY_PATH):
            line = int(m.group("line"))
            return file, line if line > 0 else None
    return None, None


__all__ = ["trace_place"]
