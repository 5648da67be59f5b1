"""The GitHub adapter against the Prism mock of GitHub's published REST description (or its cassettes).

Prism answers 422 to any request that breaks the description, so every call here is checked for shape;
its answers are static examples, so these tests check requests and what the adapter makes of answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.ci_env import use_recorded_env
from testrelay.ci import CIContext
from testrelay.cli import main
from testrelay.errors import PublishError
from testrelay.providers import http
from testrelay.providers.github import GitHubClient
from testrelay.report import ReportMeta, build
from testrelay.results.model import Result, ResultFile, TestCase, TestRun, TestSuite
from testrelay.texts import FittedTexts

pytestmark = pytest.mark.contract

TOKEN = "ghs_ContractTestTokenNotReal0000000000"
SHA = "1234567890abcdef1234567890abcdef12345678"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "env"


class Sent(list):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list = []

    def body(self, method: str, prefix: str):
        return next(b for (m, p), b in zip(self, self.bodies, strict=True) if m == method and p.startswith(prefix))


@pytest.fixture
def sent(monkeypatch):
    """Every request the HTTP layer sends, as (method, path), live or replayed."""
    seen = Sent()
    original = http.ApiClient.request

    async def request(self, method, url, **kwargs):
        seen.append((method, url.split("?")[0]))
        seen.bodies.append(kwargs.get("json"))
        return await original(self, method, url, **kwargs)

    monkeypatch.setattr(http.ApiClient, "request", request)
    return seen


def report_with(failures: int):
    cases = [TestCase(name=f"test_{i}", classname="tests.test_cart", suite="cart", result=Result.FAILED,
                      message=f"AssertionError: total {i}", details="Traceback\n  boom", file="tests/test_cart.py",
                      line=10 + i) for i in range(failures)]
    cases.append(TestCase(name="test_ok", classname="tests.test_cart", suite="cart"))
    run = TestRun.of([ResultFile.of("junit.xml", "junit", [TestSuite.of("cart", cases)])])
    return build(run, title="Cart tests", meta=ReportMeta(run_url="https://github.com/octo-org/shop/actions/runs/5"))


def gh(base: str, **kw) -> GitHubClient:
    return GitHubClient(token=TOKEN, repository="octo-org/shop", api_url=base, head_sha=SHA,
                        run_url="https://github.com/octo-org/shop/actions/runs/5", **kw)


async def test_check_run_create_complete_with_annotations_and_read(contract, sent):
    base = contract("github")
    report = report_with(failures=60)
    async with gh(base, check_name="Cart tests") as client:
        await client.initialize({})
        run = await client.create_test_run({"name": "Cart tests", "external_id": "testrelay:5:default"})
        assert run["id"] and run["status"]
        assert await client.update_test_run(run["id"], report) is True
        status = await client.get_test_run_status(run["id"])
        assert status["id"] and status["status"] in ("queued", "in_progress", "completed")
        assert await client.update_test_run(run["id"], {"status": "completed", "summary": {
            "total_tasks": 61, "task_statuses": {"passed": 1, "failed": 60}, "duration": 2.5}}) is True
    paths = [p for _, p in sent]
    assert sent[0] == ("POST", "repos/octo-org/shop/check-runs")
    # 60 annotations: one completing PATCH with 50, one more with 10; then the dict update's one PATCH.
    assert [m for m, p in sent if p.startswith("repos/octo-org/shop/check-runs/")] == ["PATCH", "PATCH", "GET", "PATCH"]
    assert all(not p.startswith("http") for p in paths)


async def test_commit_status(contract, sent):
    async with gh(contract("github"), check_name="Cart tests") as client:
        assert await client.set_build_status("pending", "running the tests") is True
        assert await client.set_build_status("failure", "2 failed, 1 passed") is True
    assert sent == [("POST", f"repos/octo-org/shop/statuses/{SHA}")] * 2


async def test_sticky_comment_lists_then_creates(contract, sent):
    async with gh(contract("github")) as client:
        assert await client.add_pr_comment("57", "### Cart tests: 2 failed") is True
    assert sent == [("GET", "repos/octo-org/shop/issues/57/comments"),
                    ("POST", "repos/octo-org/shop/issues/57/comments")]


async def test_artifacts_are_listed_and_upload_is_refused(contract, sent, tmp_path):
    async with gh(contract("github")) as client:
        artifacts = await client.list_artifacts("5")
        assert artifacts and all(a["html_url"].endswith(f"/octo-org/shop/actions/runs/5/artifacts/{a['id']}")
                                 for a in artifacts)
        (tmp_path / "report.md").write_text("# report")
        with pytest.raises(PublishError, match="actions/upload-artifact"):
            await client.upload_artifact("1", str(tmp_path / "report.md"), "report")
    assert sent == [("GET", "repos/octo-org/shop/actions/runs/5/artifacts")]


async def test_publish_on_a_pull_request(contract, sent):
    report = report_with(failures=3)
    ctx = CIContext(provider="github", repository="octo-org/shop", head_sha=SHA, pr_number="57", run_id="5",
                    run_url="https://github.com/octo-org/shop/actions/runs/5", event_name="pull_request",
                    token=TOKEN, token_kind="app")
    async with GitHubClient(token=TOKEN, repository="octo-org/shop", api_url=contract("github"),
                            comment_mode="always", comment_key="default") as client:
        outcome = await client.publish(report, FittedTexts(report, provider="github"), ctx)
    assert outcome.ok and set(outcome.links) == {"check_run", "comment"}
    assert sorted(sent) == sorted([("POST", "repos/octo-org/shop/check-runs"),
                                   ("PATCH", f"repos/octo-org/shop/check-runs/{outcome.ids['check_run']}"),
                                   ("GET", "repos/octo-org/shop/issues/57/comments"),
                                   ("POST", "repos/octo-org/shop/issues/57/comments")])


async def test_publish_on_workflow_run_finds_the_pull_request_by_head_sha(contract, sent):
    report = report_with(failures=1)
    ctx = CIContext(provider="github", repository="octo-org/shop", head_sha=SHA, pr_number=None, run_id="6",
                    event_name="workflow_run", is_fork=True, token=TOKEN, token_kind="app")
    async with GitHubClient(token=TOKEN, repository="octo-org/shop", api_url=contract("github")) as client:
        outcome = await client.publish(report, FittedTexts(report, provider="github"), ctx)
    assert ("GET", f"repos/octo-org/shop/commits/{SHA}/pulls") in sent
    posted = [p for m, p in sent if m == "POST" and p.endswith("/comments")]
    assert len(posted) == 1 and outcome.ids.get("comment")


def test_testrelay_run_on_a_recorded_pull_request(contract, sent, tmp_path, monkeypatch):
    data = use_recorded_env(monkeypatch, "github_pull_request")
    monkeypatch.setenv("TESTRELAY_API_URL", contract("github"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junit.xml").write_text(
        '<testsuite name="cart" tests="2" failures="1">'
        '<testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="12">'
        '<failure message="expected 3, got 4">AssertionError</failure></testcase>'
        '<testcase classname="tests.test_cart" name="test_empty"/></testsuite>')
    assert main(["run", "--files", "junit.xml"]) == 1  # one failure, fail_on: failures
    out = tmp_path / "testrelay-report"
    assert (out / "report.json").exists() and (out / "report.md").exists()
    assert json.loads((out / "report.json").read_text())["results"]["tests"] == 2
    # The check run is on the commit the author pushed, not GitHub's test merge commit (GITHUB_SHA).
    check_run = sent.body("POST", "repos/octo-org/shop/check-runs")
    assert check_run["head_sha"] == data["expected"]["head_sha"] != data["env"]["GITHUB_SHA"]
    completed = sent.body("PATCH", "repos/octo-org/shop/check-runs/")
    assert completed["conclusion"] == "failure"
    assert completed["output"]["annotations"][0]["path"] == "tests/test_cart.py"
    assert sorted(m for m, _ in sent) == ["GET", "PATCH", "POST", "POST"]
    assert ("POST", "repos/octo-org/shop/check-runs") in sent
    assert ("POST", "repos/octo-org/shop/issues/57/comments") in sent
