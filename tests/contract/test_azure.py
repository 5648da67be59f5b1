"""The Azure DevOps adapter against the Prism mock of the Azure DevOps 7.1 REST description.

Prism checks every request (path case, `api-version`, body types and enums, auth form) and answers
422 to one that breaks the description; it keeps no state, so these tests check requests, not round trips.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report_samples import failing, passing, run_of
from support.ci_env import use_recorded_env
from testrelay.ci import detect
from testrelay.cli import main
from testrelay.providers import http
from testrelay.providers.azure import AzureClient, AzureDevOpsClient
from testrelay.providers.http import ApiError
from testrelay.report import build
from testrelay.texts import FittedTexts

pytestmark = pytest.mark.contract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "env"
PAT = "azdo-fake-pat-0000000000000000000000000000000000"
BUILD_TOKEN = "eyJ0eXAiOiJKV1QifQ.fake-build-token"


def client(contract, **extra):
    return AzureClient(token=PAT, api_url=contract("azure") + "/contoso/", project="Fabrikam Web", **extra)


async def test_test_run_is_created_filled_in_batches_and_completed(contract):
    cases = [passing(f"test_{i}") for i in range(4)] + [failing("test_login")]
    async with client(contract, build_id="20451", batch_size=2) as azure:
        await azure.initialize({})
        run = await azure.create_test_run({"name": "Unit tests"})
        assert run["id"] == "31" and run["status"] == "InProgress"
        before = azure.requests_sent
        assert await azure.add_results(run["id"], cases) == 5
        assert azure.requests_sent - before == 3  # 2 + 2 + 1
        assert await azure.update_test_run(run["id"], {
            "status": "completed", "summary": {"total_tasks": 5, "task_statuses": {"passed": 4, "failed": 1},
                                               "duration": 1.5}})
        status = await azure.get_test_run_status(run["id"])
        assert status["status"] == "Completed" and status["total"] == 1


async def test_a_bearer_build_token_is_accepted_and_results_from_dicts(contract):
    async with AzureClient(token=BUILD_TOKEN, api_url=contract("azure") + "/contoso", project="Fabrikam") as azure:
        await azure.initialize({})
        sent = await azure.add_results("31", [{"name": "a", "classname": "pkg.A", "status": "failed",
                                                "message": "boom", "duration": 0.25}])
        assert sent == 1


async def test_artifact_is_attached_to_the_run(contract, tmp_path):
    file = tmp_path / "report.md"
    file.write_text("# Tests\n\nall good\n", encoding="utf-8")
    async with client(contract) as azure:
        await azure.initialize({})
        assert await azure.upload_artifact("31", str(file), "report.md")


async def test_build_status_is_a_pr_status_on_pr_builds_and_a_tag_otherwise(contract):
    async with client(contract, pr_number="812", repository_id="7d0b2e0c-5a9c-4c7e-8f0e-2b9a6c1d3e4f",
                      check_name="Unit tests", run_url="https://dev.azure.com/contoso/x/_build/results?buildId=1") as a:
        await a.initialize({})
        assert await a.set_build_status("failure", "3 failed, 10 passed")
    async with client(contract, build_id="20451") as b:
        await b.initialize({})
        assert await b.set_build_status("success", "10 passed")


async def test_pr_comment_creates_our_thread_when_none_is_ours(contract):
    async with client(contract, repository_id="7d0b2e0c-5a9c-4c7e-8f0e-2b9a6c1d3e4f") as azure:
        await azure.initialize({})
        assert await azure.add_pr_comment("812", "### Tests: 3 failed")
        assert azure.requests_sent == 2  # list the threads, then create ours


async def test_a_request_breaking_the_description_is_refused(contract):
    async with client(contract) as azure:
        await azure.initialize({})
        with pytest.raises(ApiError) as err:
            # the thread status is an enum of names in the 7.1 description
            await azure._json("threads", "POST", "_apis/git/repositories/r/pullRequests/1/threads",
                              json={"status": 7}, retry=False)
        assert err.value.status == 422


async def test_publish_on_a_pull_request_build(contract):
    env = json.loads((FIXTURES / "azure_pr_azure_repos.json").read_text())["env"]
    ctx = detect({**env, "SYSTEM_ACCESSTOKEN": BUILD_TOKEN, "SYSTEM_TEAMPROJECT": "Fabrikam Web"})
    run = run_of(passing("test_ok"), failing("test_login"))
    report = build(run)
    texts = FittedTexts(report, provider="azure")
    async with AzureDevOpsClient(token=ctx.token, api_url=contract("azure") + "/contoso/",
                                 check_name="Unit tests", comment_mode="always") as azure:
        await azure.initialize({})
        azure.set_cases(run.cases())
        outcome = await azure.publish(report, texts, ctx)
    assert outcome.ok and outcome.notices == ()
    assert outcome.ids["test_run"] == "31" and outcome.ids["comment_action"] == "create"
    assert set(outcome.links) == {"test_run", "comment"}
    # create run, 1 results batch, complete; PR status; list threads + create thread
    assert azure.requests_sent == 6


async def test_publish_on_a_ci_build_tags_the_build(contract):
    env = json.loads((FIXTURES / "azure_ci_build.json").read_text())["env"]
    ctx = detect(env)
    run = run_of(passing("test_ok"))
    report = build(run)
    async with AzureClient(token=ctx.token, api_url=contract("azure") + "/contoso/") as azure:
        await azure.initialize({})
        azure.set_cases(run.cases())
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"), ctx)
    assert outcome.ids["build_tag"] == "tests-passed"
    assert azure.requests_sent == 4  # create run, results, complete, tag


@pytest.fixture
def sent(monkeypatch):
    """Every request the HTTP layer sends, as (method, path), live or replayed."""
    seen: list[tuple[str, str]] = []
    original = http.ApiClient.request

    async def request(self, method, url, **kwargs):
        seen.append((method, url.split("?")[0]))
        return await original(self, method, url, **kwargs)

    monkeypatch.setattr(http.ApiClient, "request", request)
    return seen


def test_testrelay_run_on_a_recorded_pull_request_build(contract, sent, tmp_path, monkeypatch):
    use_recorded_env(monkeypatch, "azure_pr_azure_repos")
    monkeypatch.setenv("SYSTEM_ACCESSTOKEN", BUILD_TOKEN)
    monkeypatch.setenv("TESTRELAY_API_URL", contract("azure") + "/contoso/")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junit.xml").write_text(
        '<testsuite name="web" tests="3" failures="1" skipped="1">'
        '<testcase classname="web.LoginTest" name="rejects_bad_password" time="0.12">'
        '<failure message="expected 401, got 500">AssertionError at LoginTest.java:31</failure></testcase>'
        '<testcase classname="web.LoginTest" name="accepts_good_password" time="0.05"/>'
        '<testcase classname="web.LoginTest" name="sso"><skipped/></testcase></testsuite>')
    assert main(["run", "--files", "junit.xml"]) == 1  # one failure, fail_on: failures
    out = tmp_path / "testrelay-report"
    assert (out / "report.md").exists() and (out / "comment.md").exists()
    assert json.loads((out / "report.json").read_text())["results"]["tests"] == 3
    project = "_apis"  # relative to {collection}Fabrikam/
    repo = "7d0b2e0c-5a9c-4c7e-8f0e-2b9a6c1d3e4f"
    pr = f"{project}/git/repositories/{repo}/pullRequests/812"
    calls = sorted(sent)
    assert calls == sorted([
        ("POST", f"{project}/test/runs"), ("POST", f"{project}/test/Runs/31/results"),
        ("PATCH", f"{project}/test/runs/31"),
        ("POST", f"{pr}/statuses"), ("GET", f"{pr}/threads"), ("POST", f"{pr}/threads"),
        # the result file and the report, kept under the build id, attached to the test run
        ("POST", f"{project}/test/Runs/31/attachments"), ("POST", f"{project}/test/Runs/31/attachments"),
        ("POST", f"{project}/test/Runs/31/attachments"),
    ]), calls
