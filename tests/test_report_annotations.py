from dataclasses import replace

from report_samples import failing, passing, run_of
from testrelay.report import MAX_ANNOTATIONS, Report, build
from testrelay.results.model import Result


def test_every_located_failure_is_annotated_beyond_the_listed_ones():
    cases = [replace(failing(f"t{i}"), line=i + 1) for i in range(30)]
    cases += [replace(failing("nowhere"), file=None), passing("ok")]
    report = build(run_of(*cases), max_failures=5)
    assert len(report.failures) == 5
    assert len(report.annotations) == 30  # the case without a file cannot be pointed at
    first = report.annotations[0]
    assert (first.file, first.line, first.result) == ("tests/test_api.py", 1, Result.FAILED)
    assert first.message.startswith("AssertionError")


def test_annotations_are_capped_and_the_rest_counted():
    cases = [failing(f"t{i}") for i in range(MAX_ANNOTATIONS + 7)]
    report = build(run_of(*cases))
    assert len(report.annotations) == MAX_ANNOTATIONS and report.annotations_omitted == 7


def test_annotations_survive_report_json():
    report = build(run_of(failing("t")))
    again = Report.from_dict(report.to_dict())
    assert again.annotations == report.annotations
