"""RSpec JSON: statuses, exceptions, pending, errors outside of examples, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results import rspec_json
from testrelay.results.formats import detect, head_of
from testrelay.results.jsonsource import MalformedJSON
from testrelay.results.model import Result

FIXTURES = Path(__file__).parent.parent / "fixtures" / "rspec"


def parse(name: str):
    return rspec_json.parse(str(FIXTURES / name))


def cases(name: str):
    return {c.name: c for c in parse(name).cases()}


def test_counts_match_the_summary_line():
    rf = parse("report.json")
    assert rf.format == "rspec-json"
    t = rf.totals
    assert (t.tests, t.passed, t.failed, t.skipped, t.errors) == (4, 1, 2, 1, 0)  # "4 examples, 2 failures, 1 pending"
    assert [s.name for s in rf.suites] == ["./spec/models/order_spec.rb", "./spec/services/mailer_spec.rb"]
    assert rf.warnings == ()


def test_failed_example_fields():
    case = cases("report.json")["applies the discount"]
    assert case.result is Result.FAILED
    assert case.classname == "Order#total"
    assert case.id == "Order#total::applies the discount"
    assert case.message.startswith("expected: 90\n     got: 100")
    assert case.details.startswith("RSpec::Expectations::ExpectationNotMetError: expected: 90")
    assert "order_spec.rb:16:in `block (3 levels)" in case.details
    assert (case.file, case.line) == ("./spec/models/order_spec.rb", 14)
    assert case.duration == pytest.approx(0.012)
    # any exception in an example is a failure, as RSpec counts it
    assert cases("report.json")["sends a receipt"].result is Result.FAILED


def test_pending_message_is_the_skip_reason():
    case = cases("report.json")["ships abroad"]
    assert case.result is Result.SKIPPED and case.message == "customs rules not modelled yet"


def test_errors_outside_of_examples_are_never_lost():
    rf = parse("load-error.json")
    t = rf.totals
    assert (t.passed, t.errors) == (1, 3)
    errors = [c for c in rf.cases() if c.result is Result.ERROR]
    load = errors[0]
    assert load.name == "An error occurred while loading ./spec/models/invoice_spec.rb."
    assert load.message == "LoadError: cannot load such file -- invoice_pdf"
    assert (load.file, load.line) == ("./spec/models/invoice_spec.rb", 3)
    assert load.suite == "./spec/models/invoice_spec.rb"
    hook = errors[1]
    assert hook.message.startswith("PG::ConnectionBad: connection to server")
    # the third error has no text in `messages`: still counted, with a warning
    assert errors[2].message.startswith("RSpec reported an error outside of examples")
    assert any("3 errors outside of examples, 2 with their text" in w for w in rf.warnings)


def test_malformed_json_names_line_and_column():
    with pytest.raises(MalformedJSON) as info:
        parse("truncated.json")
    assert (info.value.line, info.value.column) == (5, 1)


def test_wrong_shape():
    with pytest.raises(InputError, match=r"examples-not-list.json: expected `examples` to be a JSON array"):
        parse("examples-not-list.json")


def test_sniff(tmp_path):
    for name in ("report.json", "load-error.json"):
        assert detect(str(FIXTURES / name)) is rspec_json.FORMAT
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps({"version": "3.9.0", "seed": 1, "examples": [], "summary": {}}))
    assert rspec_json.sniff(head_of(str(compact)))
    package = tmp_path / "package.json"
    package.write_text(json.dumps({"version": "1.0.0", "name": "x", "scripts": {}}))
    assert not rspec_json.sniff(head_of(str(package)))
