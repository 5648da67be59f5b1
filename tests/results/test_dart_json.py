"""Dart/Flutter JSON reporter: results, late errors, hidden and loading tests, prints, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.results import dart_json
from testrelay.results.formats import detect, head_of
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "dart"


def parse(name: str):
    return dart_json.parse(str(FIXTURES / name))


def cases(name: str):
    return {c.name: c for c in parse(name).cases()}


def test_counts_visible_tests_and_failed_loads():
    rf = parse("run.jsonl")
    assert rf.format == "dart-json"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.errors, t.skipped) == (6, 1, 1, 3, 1)
    assert "loading test/cart_test.dart" not in cases("run.jsonl")  # hidden: it passed
    assert rf.warnings == ()


def test_failure_error_and_skip():
    c = cases("run.jsonl")
    total = c["Cart computes the total"]
    assert total.result is Result.FAILED
    assert total.message == "Expected: <2099>"
    assert "test/cart_test.dart 17:7" in total.details
    assert (total.file, total.line) == ("/app/test/cart_test.dart", 14)
    assert total.duration == pytest.approx(0.019)
    assert total.suite == total.classname == "test/cart_test.dart"
    assert c["Cart syncs to the server"].result is Result.ERROR  # not a TestFailure
    skipped = c["Cart exports a PDF"]
    assert skipped.result is Result.SKIPPED and skipped.message == "needs a PDF renderer"
    assert skipped.stdout == ""


def test_error_after_done_turns_a_pass_into_an_error():
    case = cases("run.jsonl")["Cart clears after checkout"]
    assert case.result is Result.ERROR
    assert case.message == "Bad state: timer fired after the test completed"


def test_failed_loading_test_is_an_error():
    load = cases("run.jsonl")["loading test/broken_test.dart"]
    assert load.result is Result.ERROR
    assert load.message == (
        "Failed to load \"test/broken_test.dart\": test/broken_test.dart:4:10: Error: Undefined name 'Widgett'."
    )
    assert load.suite == "test/broken_test.dart"


def test_print_output_is_stdout():
    assert cases("run.jsonl")["Cart adds an item"].stdout == "cart has 1 item\n"


def test_interrupted_flutter_run():
    rf = parse("flutter-interrupted.jsonl")
    c = {x.name: x for x in rf.cases()}
    assert set(c) == {"Counter increments smoke test", "Counter decrements"}  # (setUpAll) passed: hidden
    assert c["Counter increments smoke test"].line == 14  # root_line wins
    assert c["Counter increments smoke test"].duration == pytest.approx(0.5)
    assert c["Counter decrements"].result is Result.ERROR
    assert c["Counter decrements"].message == "did not finish: no testDone event"
    path = FIXTURES / "flutter-interrupted.jsonl"
    assert rf.warnings == (
        f"{path}: line 12: truncated JSON line, skipped",
        f"{path}: the stream ends without the `done` event; the run was cut short or is incomplete",
    )


def test_failed_setup_all_is_an_error(tmp_path):
    events = [
        {"type": "start", "time": 0, "protocolVersion": "0.1.1"},
        {"type": "suite", "time": 0, "suite": {"id": 0, "path": "test/db_test.dart"}},
        {"type": "testStart", "time": 1, "test": {"id": 1, "name": "(setUpAll)", "suiteID": 0, "groupIDs": [2]}},
        {"type": "error", "time": 5, "testID": 1, "error": "database unreachable", "isFailure": False},
        {"type": "testDone", "time": 6, "testID": 1, "result": "error", "hidden": False, "skipped": False},
        {"type": "done", "time": 7, "success": False},
    ]
    path = tmp_path / "d.json"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    (case,) = dart_json.parse(str(path)).cases()
    assert (case.name, case.result, case.message) == ("(setUpAll)", Result.ERROR, "database unreachable")


def test_runner_failure_without_a_failing_test_is_kept(tmp_path):
    events = [{"type": "start", "time": 0}, {"type": "done", "time": 3, "success": False}]
    path = tmp_path / "d.json"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    (case,) = dart_json.parse(str(path)).cases()
    assert case.result is Result.ERROR and case.name == "[run failed]"


def test_sniff(tmp_path):
    for name in ("run.jsonl", "flutter-interrupted.jsonl"):
        assert detect(str(FIXTURES / name)) is dart_json.FORMAT, name
    other = tmp_path / "events.jsonl"
    other.write_text('{"type":"click","x":1}\n{"type":"scroll","y":2}\n')
    assert not dart_json.sniff(head_of(str(other)))


def test_file_urls_become_paths_on_windows_and_posix():
    c = cases("windows-file-urls.jsonl")
    assert c["totals include tax"].file == "D:/work/My Shop/test/invoice_test.dart"
    assert c["totals include tax"].line == 8
    assert c["rounds to cents"].file == "/home/ci/shop/test/invoice_test.dart"
