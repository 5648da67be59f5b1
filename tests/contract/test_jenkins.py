"""The Jenkins adapter against the Prism mock of the (community) Jenkins remote-access description.

The mock knows `/job/{name}/...` with one path segment and an integer build `{number}`; folder jobs
(`job/a/job/b`) are covered by tests/providers/test_jenkins_logic.py. A request the description
refuses gets 422 (401 without Basic credentials), so every call below passing is the check.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from support.ci_env import use_recorded_env
from testrelay.ci import CIContext
from testrelay.cli import main
from testrelay.errors import PublishError
from testrelay.providers.base import CIProviderFactory
from testrelay.providers.http import ApiAuthError, ApiClient
from testrelay.providers.jenkins import JenkinsClient
from testrelay.providers.registry import register_all_providers
from testrelay.report import build
from testrelay.results.model import Result, ResultFile, TestCase, TestRun, TestSuite
from testrelay.texts import FittedTexts

USER = "ci-bot"
TOKEN = "11aa22bb33cc44dd55ee66ff77aa88bb99-fake"
ENV_FIXTURES = Path(__file__).parents[1] / "fixtures" / "env"


@dataclass
class Sent:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: httpx.Headers
    body: bytes

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())


class Recorder(httpx.AsyncBaseTransport):
    """Keeps what the adapter sent; the real transport below it is what vcrpy records or replays."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.sent.append(Sent(request.method, request.url.raw_path.decode().split("?")[0],
                              parse_qs(request.url.query.decode()), request.headers, body))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def client(base: str, recorder: Recorder, **config) -> JenkinsClient:
    return JenkinsClient(api_url=base, username=USER, token=TOKEN, transport=recorder, **config)


def sample_report():
    cases = (
        TestCase(name="test_add", classname="calc", result=Result.PASSED, duration=0.01),
        TestCase(name="test_div", classname="calc", result=Result.FAILED, duration=0.02, message="ZeroDivisionError"),
    )
    return build(TestRun.of([ResultFile.of("junit.xml", "junit", [TestSuite.of("calc", cases)])]), title="Unit tests")


def basic_header() -> str:
    return "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()


async def test_initialize_fetches_the_crumb_with_basic_auth(contract, recorder):
    async with client(contract("jenkins"), recorder, job="nightly-tests") as jenkins:
        assert await jenkins.initialize({}) is True
    [crumb] = recorder.sent
    assert (crumb.method, crumb.path) == ("GET", "/crumbIssuer/api/json")
    assert crumb.headers["authorization"] == basic_header()


async def test_create_test_run_returns_the_build(contract, recorder):
    async with client(contract("jenkins"), recorder, job="nightly tests") as jenkins:
        run = await jenkins.create_test_run({"name": "unit tests"})
    # The mock's example build is number 0 with url "string": the id comes from the answer, the URL is ours.
    assert run["id"] == "0" and run["name"] == "unit tests"
    assert run["status"] == "in_progress" and run["building"] is True
    assert run["url"] == f"{contract('jenkins')}/job/nightly%20tests/0/"
    assert [s.path for s in recorder.sent] == ["/job/nightly%20tests/lastBuild/api/json"]


async def test_update_and_set_build_status_submit_the_description_with_the_crumb(contract, recorder):
    async with client(contract("jenkins"), recorder, job="nightly-tests", build_number="318") as jenkins:
        await jenkins.initialize({})
        assert await jenkins.update_test_run("318", {
            "status": "completed",
            "summary": {"total_tasks": 10, "task_statuses": {"passed": 9, "failed": 1}, "duration": 12.5},
        })
        assert await jenkins.set_build_status("failure", "1 failed <of> 10")
    crumb, update, status = recorder.sent
    assert crumb.path == "/crumbIssuer/api/json"
    for post in (update, status):
        assert (post.method, post.path) == ("POST", "/job/nightly-tests/318/submitDescription")
        assert post.headers["content-type"] == "application/x-www-form-urlencoded"
        # The mock's crumb issuer example names the field "string" and the crumb "string".
        assert post.headers["string"] == "string"
    description = update.form()["description"][0]
    assert "<b>Tests: completed</b>" in description and "9 passed, 1 failed" in description
    assert status.form()["description"] == ["❌ <b>failure</b>: 1 failed &lt;of&gt; 10"]


async def test_update_test_run_with_a_full_report(contract, recorder):
    async with client(contract("jenkins"), recorder, job="nightly-tests") as jenkins:
        assert await jenkins.update_test_run("42", sample_report())
    post = recorder.sent[-1]
    assert post.path == "/job/nightly-tests/42/submitDescription"
    text = post.form()["description"][0]
    assert "Unit tests" in text and "1 failed" in text and "<code>" in text


async def test_get_test_run_status_reads_the_build_and_its_test_report(contract, recorder):
    async with client(contract("jenkins"), recorder, job="nightly-tests") as jenkins:
        status = await jenkins.get_test_run_status("lastBuild")
    assert status["id"] == "0" and status["building"] is True
    assert status["totals"] == {"tests": 10, "passed": 9, "failed": 1, "skipped": 0, "duration": 0.05}
    build_req, report_req = recorder.sent
    assert build_req.path == "/job/nightly-tests/lastBuild/api/json"
    # The number from the answer, not the permalink: the test report path takes an integer.
    assert report_req.path == "/job/nightly-tests/0/testReport/api/json"
    assert report_req.query["tree"] == ["failCount,passCount,skipCount,duration,empty"]


async def test_no_pr_comment_and_no_upload_on_jenkins(recorder, caplog, tmp_path):
    # Neither sends a request (Jenkins has no such API), so this test needs no mock and has no cassette.
    async with client("http://127.0.0.1:9", recorder, job="nightly-tests", build_number="7") as jenkins:
        with caplog.at_level(logging.WARNING, logger="testrelay.jenkins"):
            assert await jenkins.add_pr_comment("17", "### report") is False
            assert await jenkins.add_pr_comment("17", "### report") is False
        (tmp_path / "r.md").write_text("x")
        with pytest.raises(PublishError, match="no API to upload build artifacts") as err:
            await jenkins.upload_artifact("7", str(tmp_path / "r.md"), "report.md")
    assert "archiveArtifacts" in str(err.value)
    notices = [r.getMessage() for r in caplog.records]
    assert len(notices) == 1
    assert "cannot comment on pull requests" in notices[0] and "/job/nightly-tests/7/" in notices[0]
    assert recorder.sent == []


async def test_publish_sets_the_description_and_says_where_the_report_is(contract, recorder):
    base = contract("jenkins")
    ctx = CIContext(provider="jenkins", api_url=base, job_path="job/payments-PR-17", run_id="3",
                    run_url="https://jenkins.corp.example/job/payments-PR-17/3/", pr_number="17")
    report = sample_report()
    async with JenkinsClient(api_url=base, username=USER, token=TOKEN, transport=recorder) as jenkins:
        await jenkins.initialize({})
        outcome = await jenkins.publish(report, FittedTexts(report, provider="jenkins"), ctx)
    assert outcome.ok and outcome.ids == {"build": "3"}
    assert outcome.links == {"build": "https://jenkins.corp.example/job/payments-PR-17/3/"}
    assert len(outcome.notices) == 1 and "PR #17" in outcome.notices[0]
    assert "https://jenkins.corp.example/job/payments-PR-17/3/" in outcome.notices[0]
    assert [(s.method, s.path) for s in recorder.sent] == [
        ("GET", "/crumbIssuer/api/json"), ("POST", "/job/payments-PR-17/3/submitDescription")]
    assert "Unit tests" in recorder.sent[1].form()["description"][0]


async def test_the_mock_refuses_a_bearer_token_as_jenkins_does(contract):
    async with ApiClient("Jenkins", contract("jenkins"), headers={"Authorization": f"Bearer {TOKEN}"}) as api:
        with pytest.raises(ApiAuthError) as err:
            await api.request("GET", "crumbIssuer/api/json", retry=False)
    assert err.value.status == 401


def test_testrelay_run_on_a_jenkins_pr_build(contract, tmp_path, monkeypatch, capsys):
    use_recorded_env(monkeypatch, "jenkins_multibranch_pr")
    # The mock serves one job segment: the multibranch PR job stands at the top level here.
    monkeypatch.setenv("JOB_NAME", "payments-PR-17")
    monkeypatch.setenv("JENKINS_USER", USER)
    monkeypatch.setenv("JENKINS_API_TOKEN", TOKEN)
    monkeypatch.setenv("TESTRELAY_API_URL", contract("jenkins"))
    sent: list[httpx.Request] = []
    original = httpx.AsyncHTTPTransport.handle_async_request

    async def counting(self, request):
        sent.append(request)
        return await original(self, request)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", counting)
    (tmp_path / "results.xml").write_text(
        '<testsuite name="refunds" tests="3"><testcase classname="refunds" name="test_retry"/>'
        '<testcase classname="refunds" name="test_twice"><failure message="refunded twice">trace</failure>'
        '</testcase><testcase classname="refunds" name="test_skip"><skipped/></testcase></testsuite>')
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--files", "results.xml", "--fail-on", "failures"])
    captured = capsys.readouterr()
    assert code == 1, captured.err  # the tests failed; publishing went through
    out = tmp_path / "testrelay-report"
    assert json.loads((out / "report.json").read_text())["results"]["tests"] == 3
    assert (out / "report.md").exists() and (out / "comment.md").exists()
    assert [(r.method, r.url.raw_path.decode()) for r in sent] == [
        ("GET", "/crumbIssuer/api/json"), ("POST", "/job/payments-PR-17/3/submitDescription")]
    assert "refunded twice" in parse_qs(sent[1].content.decode())["description"][0]
    logged = captured.out + captured.err
    assert "cannot comment on pull requests" in logged and TOKEN not in logged
    assert "jenkins" in register_all_providers() and CIProviderFactory.provider_class("jenkins") is JenkinsClient
