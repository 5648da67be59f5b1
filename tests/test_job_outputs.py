import pytest

from testrelay.errors import PublishError
from testrelay.job_outputs import STEP_SUMMARY_LIMIT, set_outputs, write_step_summary


def test_step_summary_is_appended(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    assert write_step_summary({"GITHUB_STEP_SUMMARY": str(summary)}, "### Tests: 3 passed")
    assert summary.read_text() == "earlier step\n### Tests: 3 passed\n"


def test_step_summary_skipped_without_runner_file():
    assert write_step_summary({}, "x") is False


def test_step_summary_refuses_oversized_text(tmp_path):
    summary = tmp_path / "summary.md"
    with pytest.raises(PublishError, match="over"):
        write_step_summary({"GITHUB_STEP_SUMMARY": str(summary)}, "é" * (STEP_SUMMARY_LIMIT // 2 + 1))


def parse_outputs(text):
    out, lines = {}, iter(text.splitlines())
    for line in lines:
        name, delim = line.split("<<")
        value = []
        for inner in lines:
            if inner == delim:
                break
            value.append(inner)
        out[name] = "\n".join(value)
    return out


def test_outputs_survive_multiline_values(tmp_path):
    out = tmp_path / "output"
    value = '{"tests": 3,\n "failed": 1}'
    assert set_outputs({"GITHUB_OUTPUT": str(out)}, {"json": value, "conclusion": "failure"})
    assert parse_outputs(out.read_text()) == {"json": value, "conclusion": "failure"}
