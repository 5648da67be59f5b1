"""`testrelay run` end to end, through the CLI, in a clean working directory."""

import json
import os

from testrelay.cli import main
from testrelay.errors import PublishError
from testrelay.providers import registry
from testrelay.providers.base import CIProvider, CIProviderFactory

SECRET = "ghp_s3cretTokenValue1234567890abcdef"


def run(*args):
    return main(["run", *args])


def test_examples_render_to_the_output_dir(workdir, capsys):
    assert run("--config", "examples/testrelay.yml") == 0
    out = workdir / "testrelay-report"
    comment = (out / "comment.md").read_text()
    assert comment.startswith("### ❌ Example tests: 4 failed, 2 errors")
    assert comment.rstrip().endswith("<!-- testrelay:comment key=example -->")
    document = json.loads((out / "report.json").read_text())
    assert document["results"]["tests"] == 21 and document["results"]["files"] == 3
    assert document["report"]["verdict"] == "failed"
    assert "tests.test_api::test_login" in (out / "report.md").read_text()
    assert "report: " in capsys.readouterr().out


def test_failures_fail_the_job_after_writing_the_report(workdir, capsys):
    code = run("--files", "examples/results/pytest-api.xml", "--fail-on", "failures")
    assert code == 1
    assert (workdir / "testrelay-report" / "report.json").exists()
    assert "2 failed, 1 error (fail_on: failures)" in capsys.readouterr().err


def test_fail_on_errors_ignores_plain_failures(workdir):
    (workdir / "r.xml").write_text('<testsuite><testcase name="a"><failure message="x"/></testcase></testsuite>')
    assert run("--files", "r.xml", "--fail-on", "errors") == 0
    assert run("--files", "r.xml", "--fail-on", "failures") == 1


def test_malformed_file_is_reported_and_strict_fails(workdir, capsys):
    (workdir / "bad.xml").write_text("<testsuite><testcase name='a'>\n</testsuite>")
    (workdir / "good.xml").write_text('<testsuite><testcase name="ok"/></testsuite>')
    assert run("--files", "*.xml") == 0
    err = capsys.readouterr()
    assert "bad.xml:2" in err.out + err.err
    report = json.loads((workdir / "testrelay-report" / "report.json").read_text())
    assert report["results"]["tests"] == 1
    assert run("--files", "*.xml", "--strict") == 3


def test_no_results_is_its_own_exit_code(workdir, capsys):
    assert run("--files", "nothing/*.xml") == 4
    assert "matched no file" in capsys.readouterr().err
    os.environ["TESTRELAY_FAIL_ON_EMPTY"] = "false"
    try:
        assert run("--files", "nothing/*.xml") == 0
    finally:
        del os.environ["TESTRELAY_FAIL_ON_EMPTY"]
    assert "No tests" in (workdir / "testrelay-report" / "comment.md").read_text() or \
        "no tests" in (workdir / "testrelay-report" / "comment.md").read_text().lower()


def test_github_summary_and_outputs(workdir, monkeypatch):
    summary, output = workdir / "summary.md", workdir / "output.txt"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert run("--config", "examples/testrelay.yml", "--provider", "local") == 0
    assert "Example tests" in summary.read_text()
    text = output.read_text()
    start = text.index("json<<") + len(text.split("json<<")[1].split("\n")[0]) + len("json<<") + 1
    totals = json.loads(text[start:].split("\n")[0])
    assert totals["tests"] == 21 and totals["failed"] == 4
    assert "conclusion<<" in text and "\nfailure\n" in text


def test_bad_config_and_template_errors_have_their_codes(workdir, capsys, monkeypatch):
    monkeypatch.setenv("TESTRELAY_PROVIDER", "nowhere")
    assert run() == 2
    assert "TESTRELAY_PROVIDER" in capsys.readouterr().err
    monkeypatch.delenv("TESTRELAY_PROVIDER")
    (workdir / "tpl").mkdir()
    (workdir / "tpl" / "comment.md.j2").write_text("{{ report.nope }}")
    assert run("--config", "examples/testrelay.yml", "--templates", "tpl") == 5
    err = capsys.readouterr().err
    assert "comment.md.j2" in err and "Traceback" not in err


class RefusingProvider(CIProvider):
    name = "gitlab"

    async def initialize(self, config):
        return True

    async def publish(self, report, texts, ctx):
        texts.text("gitlab-note")
        raise PublishError(f"POST /projects/1/statuses: 500 Internal Server Error (token {SECRET})")

    async def create_test_run(self, data):
        raise NotImplementedError

    update_test_run = add_pr_comment = upload_artifact = get_test_run_status = set_build_status = create_test_run


def test_failed_publish_keeps_the_report_and_hides_the_token(workdir, monkeypatch, capsys):
    monkeypatch.setattr(registry, "register_all_providers", lambda: ())
    monkeypatch.setitem(CIProviderFactory._providers, "gitlab", RefusingProvider)
    monkeypatch.setenv("TESTRELAY_TOKEN", SECRET)
    code = run("--config", "examples/testrelay.yml", "--provider", "gitlab")
    assert code == PublishError.exit_code
    out = workdir / "testrelay-report"
    assert (out / "report.md").exists() and (out / "comment.md").exists()
    captured = capsys.readouterr()
    assert "500 Internal Server Error" in captured.err + captured.out
    for text in (captured.out, captured.err, *(p.read_text() for p in out.rglob("*") if p.is_file())):
        assert SECRET not in text


def test_missing_token_for_a_provider_still_leaves_the_report(workdir, capsys):
    code = run("--config", "examples/testrelay.yml", "--provider", "github")
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "publishing to github failed" in captured.out + captured.err
    assert (workdir / "testrelay-report" / "comment.md").exists()


class UploadRefusingProvider(RefusingProvider):
    name = "azure"

    async def publish(self, report, texts, ctx):
        from testrelay.providers.base import Outcome

        return Outcome(provider=self.name)

    async def upload_artifact(self, test_run_id, artifact_path, artifact_name):
        raise PublishError(f"POST attachments for {artifact_name}: 413 Request Entity Too Large")


def test_a_failed_upload_is_in_the_log_and_in_report_json(workdir, monkeypatch, capsys):
    monkeypatch.setattr(registry, "register_all_providers", lambda: ())
    monkeypatch.setitem(CIProviderFactory._providers, "azure", UploadRefusingProvider)
    assert run("--config", "examples/testrelay.yml", "--provider", "azure") == 0
    captured = capsys.readouterr()
    assert "not uploaded to azure" in captured.out + captured.err
    document = json.loads((workdir / "testrelay-report" / "report.json").read_text())
    uploads = document["artifacts"]
    assert {a["state"] for a in uploads} == {"upload_failed"}
    # Rewritten with the uploads, report.json still holds the results and the report.
    assert document["results"]["tests"] > 0 and document["report"]["totals"]["tests"] == document["results"]["tests"]
    assert all("413" in a["error"] for a in uploads)
    stored = list((workdir / "testrelay-report" / "artifacts").rglob("*"))
    assert stored, "the local copies stay in the store"


def test_without_a_check_run_the_github_log_points_at_the_failing_lines(workdir, monkeypatch, capsys):
    for name, value in {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/hello", "GITHUB_SHA": "a" * 40,
                        "GITHUB_RUN_ID": "77", "GITHUB_EVENT_NAME": "push"}.items():
        monkeypatch.setenv(name, value)
    assert run("--config", "examples/testrelay.yml", "--provider", "github") == 2  # no token: nothing posted
    out = capsys.readouterr().out
    assert "::error file=tests/test_api.py,line=24,title=tests.test_api%3A%3Atest_login::" in out
    assert out.count("::error file=") <= 10  # GitHub's cap per step; the rest are counted, not dropped silently
