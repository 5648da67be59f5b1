"""Source paths from a test run made relative to the checked-out repository.

Runners often write where a failure happened as an absolute path of the machine that ran the
tests: a .NET trace's `/home/runner/work/shop/shop/tests/CartTests.cs`, PHPUnit's `file`
attribute, `C:\\agent\\_work\\1\\s\\Tests\\CartTests.cs` on a Windows agent. A code view
(GitHub's annotations) wants the path inside the repository, and the container that reads
the results sees the workspace under another path than the machine that wrote them. So an
absolute path is matched by its longest trailing part that names a file in the workspace.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .report import Report

_ABSOLUTE = re.compile(r"^(?:/|[A-Za-z]:[\\/]|\\\\)")
_SEPARATORS = re.compile(r"[\\/]+")


def in_workspace(path: str, root: Path) -> str:
    """`path` relative to `root` when it is absolute and its tail names a file under `root`; else `path`."""
    if not path or not _ABSOLUTE.match(path):
        return path
    parts = [p for p in _SEPARATORS.split(path) if p]
    if parts and parts[0].endswith(":"):  # a Windows drive
        parts = parts[1:]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if (root / tail).is_file():
            return tail
    return path


def with_workspace_paths(report: Report, root: Path) -> Report:
    """The report with the files of its failures and annotations made relative to `root` where they can be."""
    seen: dict[str, str] = {}

    def mapped(path: str) -> str:
        found = seen.get(path)
        if found is None:
            found = seen[path] = in_workspace(path, root)
        return found

    failures = tuple(replace(f, file=mapped(f.file)) if f.file else f for f in report.failures)
    annotations = tuple(replace(a, file=mapped(a.file)) for a in report.annotations)
    return replace(report, failures=failures, annotations=annotations)


__all__ = ["in_workspace", "with_workspace_paths"]
