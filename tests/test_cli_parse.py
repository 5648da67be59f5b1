"""`testrelay parse` end to end through cli.main: output, problems on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.cli import main
from testrelay.errors import InputError, NoResultsError


def junit(path: Path, passed: int = 1, failed: int = 0, skipped: int = 0, suite: str = "pkg.Suite") -> Path:
    cases = [f'<testcase classname="{suite}" name="passes_{i}" time="0.5"/>' for i in range(passed)]
    cases += [
        f'<testcase classname="{suite}" name="fails_{i}" time="1.25">'
        f'<failure message="expected 1, got 2" type="AssertionError">at {suite}.fails_{i}(Suite.java:12)</failure>'
        "</testcase>"
        for i in range(failed)
    ]
    cases += [f'<testcase classname="{suite}" name="skips_{i}"><skipped/></testcase>' for i in range(skipped)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="{suite}" tests="{len(cases)}" failures="{failed}" skipped="{skipped}">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_prints_a_line_per_file_and_a_total_with_separators(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "reports/TEST-a.xml", passed=1_200, failed=2)
    junit(tmp_path / "reports/TEST-b.xml", passed=3, skipped=1)
    assert main(["parse", "reports/**/*.xml"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("reports/TEST-a.xml [junit")
    assert "1,202 tests, 1,200 passed, 2 failed, 0 errors, 0 skipped" in lines[0]
    assert lines[1].startswith("reports/TEST-b.xml [junit")
    assert lines[-1].startswith("total (2 files): 1,206 tests, 1,203 passed, 2 failed, 0 errors, 1 skipped")
    assert err == ""


def test_json_follows_the_schema(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "out/junit.xml", passed=2, failed=1)
    assert main(["parse", "out/*.xml", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "testrelay/results" and doc["version"] == 1
    assert (doc["tests"], doc["passed"], doc["failed"], doc["files"], doc["suites"]) == (3, 2, 1, 1, 1)
    assert doc["per_file"][0]["path"] == "out/junit.xml"
    assert "suite_list" not in doc["per_file"][0]
    assert doc["problems"] == []


def test_json_with_cases_lists_each_case(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "out/junit.xml", passed=1, failed=1)
    assert main(["parse", "out/*.xml", "--json", "--cases"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cases = doc["per_file"][0]["suite_list"][0]["cases"]
    assert [(c["name"], c["result"]) for c in cases] == [("passes_0", "passed"), ("fails_0", "failed")]
    assert cases[1]["message"] == "expected 1, got 2"


def test_cases_without_json_lists_suite_name_result_and_duration(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "junit.xml", passed=1, failed=1, suite="app.LoginTest")
    assert main(["parse", "junit.xml", "--cases"]) == 0
    out = capsys.readouterr().out
    assert "app.LoginTest :: passes_0: passed (0.50s)" in out
    assert "app.LoginTest :: fails_0: failed (1.25s)" in out


def test_a_malformed_file_is_reported_and_strict_fails(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "r/good.xml", passed=2)
    (tmp_path / "r/bad.xml").write_text('<testsuite name="s">\n<testcase name="a">\n</testsuite>\n')
    assert main(["parse", "r/*.xml"]) == 0
    out, err = capsys.readouterr()
    assert "total (1 file): 2 tests" in out
    [line] = err.splitlines()
    assert line.startswith("testrelay: error: r/bad.xml:3:")

    assert main(["parse", "r/*.xml", "--strict"]) == InputError.exit_code == 3
    err = capsys.readouterr().err
    assert "1 result file could not be read" in err
    assert "Traceback" not in err


def test_nothing_matched_exits_4_unless_empty_is_allowed(capsys) -> None:
    assert main(["parse", "build/test-results/**/*.xml"]) == NoResultsError.exit_code == 4
    err = capsys.readouterr().err
    assert "testrelay: warning: build/test-results/**/*.xml: no file matches this pattern" in err
    assert "no result file found" in err
    assert main(["parse", "build/test-results/**/*.xml", "--allow-empty"]) == 0
    assert "total (0 files): 0 tests" in capsys.readouterr().out


def test_files_without_tests_exit_4_unless_empty_is_allowed(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.xml").write_text('<testsuite name="none" tests="0"></testsuite>')
    assert main(["parse", "empty.xml"]) == 4
    err = capsys.readouterr().err
    assert "empty.xml: contains no test cases" in err
    assert "no test case found in the 1 result file read" in err
    assert main(["parse", "empty.xml", "--allow-empty"]) == 0


def test_an_unknown_format_is_named(tmp_path: Path, capsys) -> None:
    junit(tmp_path / "a.xml")
    (tmp_path / "b.xml").write_text("<project><build/></project>")
    assert main(["parse", "*.xml"]) == 0
    err = capsys.readouterr().err
    assert "testrelay: error: b.xml: not a test result format testrelay knows" in err


def test_base_dir_jobs_and_file_size(tmp_path: Path, capsys) -> None:
    for i in range(4):
        junit(tmp_path / f"ci/out/r{i}.xml", passed=2)
    assert main(["parse", "out/*.xml", "--base-dir", "ci", "--jobs", "2"]) == 0
    assert "total (4 files): 8 tests" in capsys.readouterr().out
    big = tmp_path / "big.xml"
    junit(big, passed=20_000)
    assert main(["parse", "big.xml", "--max-file-size", "1", "--strict"]) == 3
    assert "over the limit of 1 MiB" in capsys.readouterr().err


def test_bad_option_values_are_usage_errors(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["parse", "x.xml", "--jobs", "0"])
    assert exc.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err
