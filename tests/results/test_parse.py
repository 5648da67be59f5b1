"""parse(): globs to a TestRun, problems per file, and the same result from one or two processes.

A small XML format defined here stands in for the real ones, so these tests pin
down parse() itself; it reads through the real safe XML source, so malformed
files and control characters behave as they do for JUnit or TRX.
"""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

import pytest

from testrelay.errors import ConfigError, NoResultsError
from testrelay.results import formats
from testrelay.results.formats import Format, Head
from testrelay.results.model import Result, ResultFile, TestCase, TestSuite
from testrelay.results.parse import parse, plan_workers, require_results
from testrelay.results.xmlsource import read_xml

# By its module path: a package-level `parse` function may shadow the submodule's name.
parse_module = importlib.import_module("testrelay.results.parse")


def _sniff(head: Head) -> bool:
    return head.root == "cases"


def _parse(path: str, *, max_bytes: int) -> ResultFile:
    if "crash" in os.path.basename(path) and os.getpid() != TEST_PROCESS:
        os._exit(9)  # a worker dying mid-file, as the OOM killer or a native crash would leave it
    if "slow" in os.path.basename(path) and os.getpid() == TEST_PROCESS:
        time.sleep(0.02)  # gives the worker time to claim chunks while this process reads
    if os.path.basename(path).startswith("locked"):
        raise PermissionError(13, "Permission denied", path)

    def consume(events):
        cases = []
        for _, el in events:
            if el.tag == "case":
                cases.append(TestCase(name=el.get("name"), suite="s", result=Result(el.get("result", "passed"))))
                el.clear()
        return cases

    cases, warnings = read_xml(path, consume, max_bytes=max_bytes)
    return ResultFile.of(path, "cases", [TestSuite.of("s", cases)], warnings=tuple(warnings))


CASES = Format("cases", _sniff, _parse)
TEST_PROCESS = os.getpid()


@pytest.fixture(autouse=True)
def only_cases_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "formats", lambda: (CASES,))


def write(root: Path, name: str, *results: str, raw: str | None = None) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'<case name="t{i}" result="{r}"/>' for i, r in enumerate(results))
    path.write_text(raw if raw is not None else f"<?xml version='1.0'?>\n<cases>{body}</cases>\n")
    return path


def test_reads_every_matched_file_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path, "b/two.xml", "passed", "failed")
    write(tmp_path, "a/one.xml", "passed", "skipped", "error")
    run = parse(["**/*.xml"], base_dir=str(tmp_path))
    assert [os.path.relpath(f.path, tmp_path) for f in run.files] == ["a/one.xml", "b/two.xml"]
    t = run.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (5, 2, 1, 1, 1)
    assert run.problems == ()


def test_a_malformed_file_is_a_fatal_problem_with_its_position_and_the_rest_is_read(tmp_path: Path) -> None:
    write(tmp_path, "good.xml", "passed")
    bad = write(tmp_path, "bad.xml", raw="<cases>\n  <case name='x'>\n</cases>\n")
    run = parse(["*.xml"], base_dir=str(tmp_path))
    assert run.totals.tests == 1
    [problem] = run.problems
    assert problem.path == str(bad) and problem.fatal
    assert problem.line == 3 and problem.column is not None
    assert "mismatch" in problem.message.lower()
    assert not problem.message.startswith(str(bad))  # the path is not said twice


def test_unknown_format_and_unreadable_files_are_named(tmp_path: Path) -> None:
    write(tmp_path, "notes.xml", raw="<html><body/></html>")
    write(tmp_path, "locked.xml", "passed")
    run = parse(["*.xml"], base_dir=str(tmp_path))
    by_name = {os.path.basename(p.path): p for p in run.problems}
    assert "not a test result format testrelay knows" in by_name["notes.xml"].message
    assert "known formats: cases" in by_name["notes.xml"].message
    assert by_name["locked.xml"].message == "cannot read: Permission denied"
    assert all(p.fatal for p in run.problems)


def test_warnings_and_empty_files_are_non_fatal_problems(tmp_path: Path) -> None:
    write(tmp_path, "dirty.xml", raw="<cases><case name='a\x01b'/></cases>")
    write(tmp_path, "empty.xml")
    run = parse(["*.xml"], base_dir=str(tmp_path))
    assert run.totals.tests == 1
    messages = {os.path.basename(p.path): p.message for p in run.problems}
    assert "control characters" in messages["dirty.xml"]
    assert messages["empty.xml"] == "contains no test cases"
    assert not any(p.fatal for p in run.problems)


def test_a_pattern_matching_nothing_is_reported_by_name(tmp_path: Path) -> None:
    write(tmp_path, "r/a.xml", "passed")
    run = parse(["r/*.xml", "build/**/*.trx"], base_dir=str(tmp_path))
    assert run.totals.tests == 1
    [problem] = run.problems
    assert problem.path == "build/**/*.trx" and not problem.fatal
    assert "no file matches this pattern" in problem.message


def test_no_pattern_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no result file pattern given"):
        parse([], base_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="no result file pattern given"):
        parse(["", "  "], base_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="only exclusion"):
        parse(["!**/node_modules/**"], base_dir=str(tmp_path))


def test_require_results_tells_the_empty_cases_apart(tmp_path: Path) -> None:
    with pytest.raises(NoResultsError, match=r"no result file found: 'out/\*\.xml' matched no file"):
        require_results(parse(["out/*.xml"], base_dir=str(tmp_path)))
    write(tmp_path, "empty.xml")
    with pytest.raises(NoResultsError, match="no test case found in the 1 result file read"):
        require_results(parse(["empty.xml"], base_dir=str(tmp_path)))
    write(tmp_path, "broken.xml", raw="<cases>")
    with pytest.raises(NoResultsError, match="none of the 1 matched files could be read"):
        require_results(parse(["broken.xml"], base_dir=str(tmp_path)))
    write(tmp_path, "one.xml", "passed")
    require_results(parse(["*.xml"], base_dir=str(tmp_path)))


def test_two_processes_give_the_same_run_in_the_same_order(tmp_path: Path) -> None:
    for i in range(40):
        write(tmp_path, f"d{i % 3}/f{i:02d}.xml", *(["passed", "failed", "skipped"][: 1 + i % 3]))
    write(tmp_path, "d1/bad.xml", raw="<cases><case></cases>")
    write(tmp_path, "d2/empty.xml")
    sequential = parse(["**/*.xml"], base_dir=str(tmp_path), jobs=1)
    parallel = parse(["**/*.xml"], base_dir=str(tmp_path), jobs=2)
    assert parallel == sequential
    assert sequential.totals.tests == 79 and len(sequential.problems) == 2


def test_a_crashing_worker_becomes_a_problem_not_a_hang(tmp_path: Path) -> None:
    for i in range(12):
        write(tmp_path, f"ok-slow-{i:02d}.xml", "passed")
    write(tmp_path, "zz-crash.xml", "passed")  # last: workers take chunks from the back
    run = parse(["*.xml"], base_dir=str(tmp_path), jobs=2)
    crashed = [p for p in run.problems if "stopped unexpectedly" in p.message]
    assert any(os.path.basename(p.path) == "zz-crash.xml" for p in crashed)
    assert all(p.fatal for p in crashed)
    # Only the chunk the dead worker held is lost; every other file is still read.
    assert len(crashed) == 1
    assert len(run.files) == 12 and run.totals.tests == 12


def test_processes_only_for_many_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "available_cores", lambda: 2)
    small = 10_000
    assert plan_workers([small] * 3, None) == 1
    assert plan_workers([small] * (parse_module.PARALLEL_MIN_FILES - 1), None) == 1
    assert plan_workers([small] * parse_module.PARALLEL_MIN_FILES, None) == 2
    large = 5 * 1024**2
    assert plan_workers([large] * 2, None) == 2  # 10 MiB in two files
    assert plan_workers([large // 2] * 2, None) == 1  # 5 MiB: starting a worker costs what it saves
    assert plan_workers([small] * 8, None) == 1  # a few small files: not worth it
    huge = 200 * 1024**2
    assert plan_workers([huge] * 2, None) == 2
    assert plan_workers([huge], None) == 1  # one file: nothing to share
    assert plan_workers([small] * 3, 2) == 2 and plan_workers([small] * 3, 8) == 3
