"""Absolute source paths from the machine that ran the tests, matched to files in the workspace."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from report_samples import failing, run_of
from testrelay.cli import main
from testrelay.report import build
from testrelay.workspace_paths import in_workspace, with_workspace_paths


def workspace(tmp_path: Path) -> Path:
    for name in ("tests/Shop.Tests/CartTests.cs", "src/Shop/Cart.cs", "CartTests.cs"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("// code\n")
    return tmp_path


def test_the_longest_tail_that_names_a_workspace_file_is_taken(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    host = "/home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs"
    assert in_workspace(host, root) == "tests/Shop.Tests/CartTests.cs"
    assert in_workspace("C:\\agent\\_work\\1\\s\\src\\Shop\\Cart.cs", root) == "src/Shop/Cart.cs"
    assert in_workspace("D:/a/shop/shop/src/Shop/Cart.cs", root) == "src/Shop/Cart.cs"
    # Only the file name is left to match: the file of that name at the top of the workspace.
    assert in_workspace("/elsewhere/CartTests.cs", root) == "CartTests.cs"


def test_relative_and_unknown_paths_stay_as_they_are(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    assert in_workspace("tests/test_api.py", root) == "tests/test_api.py"
    assert in_workspace("/opt/lib/Other.cs", root) == "/opt/lib/Other.cs"
    assert in_workspace("", root) == ""
    assert in_workspace("/", root) == "/"


def test_a_reports_failures_and_annotations_get_workspace_paths(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    case = failing("adds")
    located = replace(case, file="/home/runner/work/shop/shop/src/Shop/Cart.cs", line=88)
    report = with_workspace_paths(build(run_of(located, failing("other"))), root)
    assert {f.file for f in report.failures} == {"src/Shop/Cart.cs", "tests/test_api.py"}
    assert {a.file for a in report.annotations} == {"src/Shop/Cart.cs", "tests/test_api.py"}


def test_run_points_a_dotnet_failure_at_the_workspace_file(workdir: Path) -> None:
    (workdir / "src" / "Calc.Tests").mkdir(parents=True)
    (workdir / "src" / "Calc.Tests" / "CalculatorTests.cs").write_text("// test\n")
    assert main(["run", "--files", "examples/results/dotnet-orders.trx", "--fail-on", "nothing"]) == 0
    document = json.loads((workdir / "testrelay-report" / "report.json").read_text())
    places = {(a["file"], a["line"]) for a in document["report"]["annotations"]}
    assert ("src/Calc.Tests/CalculatorTests.cs", 42) in places
