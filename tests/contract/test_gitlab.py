"""The GitLab adapter against the Prism mock of GitLab's REST API v4: every request it sends must pass
the published description (this mock answers 400 to a request that breaks it). The mock keeps no state,
so these tests check what is sent and how the answers are read, not round trips."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from support.ci_env import use_recorded_env
from testrelay import cli
from testrelay.ci import CIContext
from testrelay.providers.gitlab import GitLabClient
from testrelay.providers.http import ApiClient, ApiError
from testrelay.report import build
from testrelay.results.model import Result, ResultFile, TestCase, TestRun, TestSuite
from testrelay.texts import FittedTexts

SHA = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
TOKEN = "glpat-contractTestOnly0000"
ENV_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "env"


class Recording(httpx.AsyncBaseTransport):
    """Passes every request on (to Prism, or to the cassette vcrpy puts in its place) and keeps it."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.sent.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.raw_path.decode().split("?")[0]) for r in self.sent]


def client(contract, wire: Recording, **config) -> GitLabClient:
    base = {"token": TOKEN, "api_url": contract("gitlab") + "/api/v4", "repository": "acme/web/frontend",
            "head_sha": SHA, "transport": wire}
    return GitLabClient(**{**base, **config})


def small_report(failed: bool = True):
    cases = [TestCase(name="test_ok", classname="tests.test_api", suite="api")]
    if failed:
        cases.append(TestCase(name="test_login", classname="tests.test_api", suite="api", result=Result.FAILED,
                              message="AssertionError: expected 200, got 500"))
    return build(TestRun.of([ResultFile.of("junit.xml", "junit", [TestSuite.of("api", cases)])]))


PROJECT = "/api/v4/projects/acme%2Fweb%2Ffrontend"


async def test_a_test_run_is_one_commit_status_moved_through_its_states(contract):
    wire = Recording()
    async with client(contract, wire, pipeline_id="1290001", target_url="https://gitlab.example/-/jobs/7") as gl:
        await gl.initialize({})
        run = await gl.create_test_run({"name": "unit tests"})
        assert run["id"] == f"{SHA}:unit tests" and run["status"] == "success"  # the mock's example answer
        assert run["status_id"] == 93
        assert await gl.update_test_run(run["id"], {"status": "completed", "summary": {
            "total_tasks": 3, "task_statuses": {"passed": 2, "failed": 1}, "duration": 1.5}})
        assert await gl.update_test_run(run["id"], small_report())
    assert wire.calls() == [("POST", f"{PROJECT}/statuses/{SHA}")] * 3
    bodies = [json.loads(r.content) for r in wire.sent]
    assert [b["state"] for b in bodies] == ["running", "failed", "failed"]
    assert {b["name"] for b in bodies} == {"unit tests"}
    assert all(b["pipeline_id"] == 1290001 and "ref" not in b for b in bodies)
    assert bodies[1]["description"] == "3 tests: 2 passed, 1 failed · 1.5 s"
    assert bodies[2]["description"].startswith("1 failed, 1 passed")
    assert all(r.headers["PRIVATE-TOKEN"] == TOKEN for r in wire.sent)


async def test_build_status_and_its_state_read_back(contract):
    wire = Recording()
    async with client(contract, wire, check_name="default", ref="ui-dark-mode") as gl:
        assert await gl.set_build_status("pending", "queued")
        status = await gl.get_test_run_status(f"{SHA}:default")
        assert status["status"] == "success" and status["status_id"] == 93
        with pytest.raises(ApiError, match="no commit status named 'Test results'"):
            await gl.get_test_run_status(f"{SHA}:Test results")  # the mock answers only "default"
    assert wire.calls()[0] == ("POST", f"{PROJECT}/statuses/{SHA}")
    assert json.loads(wire.sent[0].content) == {"state": "pending", "name": "default", "description": "queued",
                                                "ref": "ui-dark-mode"}
    listing = wire.sent[1]
    assert listing.url.path.endswith(f"/repository/commits/{SHA}/statuses")
    assert listing.url.params["name"] == "default" and listing.url.params["ref"] == "ui-dark-mode"


async def test_numeric_project_id_is_used_as_it_is(contract):
    wire = Recording()
    async with client(contract, wire, project_id="51234567") as gl:
        await gl.set_build_status("success", "fine")
    assert wire.calls() == [("POST", f"/api/v4/projects/51234567/statuses/{SHA}")]


async def test_the_note_is_created_when_none_carries_the_marker(contract):
    wire = Recording()
    async with client(contract, wire) as gl:
        assert await gl.add_pr_comment("42", "### Tests: 1 failed")
        assert gl.last_note and gl.last_note["id"] == 302
    assert wire.calls() == [("GET", f"{PROJECT}/merge_requests/42/notes"),
                            ("POST", f"{PROJECT}/merge_requests/42/notes")]
    assert wire.sent[0].url.params["per_page"] == "100"
    posted = json.loads(wire.sent[1].content)["body"]
    assert posted.startswith("### Tests: 1 failed") and posted.rstrip().endswith(
        "<!-- testrelay:comment key=default -->")


async def test_the_note_carrying_the_marker_is_edited_in_place(contract, monkeypatch):
    wire = Recording()
    async with client(contract, wire) as gl:
        async def found(path):  # the mock cannot hold our earlier note; the PUT it leads to is what is checked
            return {"id": 302, "body": "old\n<!-- testrelay:comment key=default -->"}

        monkeypatch.setattr(gl, "_find_note", found)
        assert await gl.add_pr_comment("42", "new")
    assert wire.calls() == [("PUT", f"{PROJECT}/merge_requests/42/notes/302")]


async def test_a_fork_merge_request_note_goes_to_the_merge_request_project(contract):
    wire = Recording()
    async with client(contract, wire, project_id="777", merge_request_project_id="51234567") as gl:
        await gl.add_pr_comment("42", "x")
    assert {path for _, path in wire.calls()} == {"/api/v4/projects/51234567/merge_requests/42/notes"}


async def test_artifact_goes_to_the_generic_package_registry(contract, tmp_path):
    report = tmp_path / "report.md"
    report.write_bytes(b"# Test results\n")
    wire = Recording()
    async with client(contract, wire, pipeline_id="1290001") as gl:
        assert await gl.upload_artifact("ignored-when-the-pipeline-is-known", str(report), "report.md")
        url = gl.last_upload_url
    path = f"{PROJECT}/packages/generic/testrelay/1290001/report.md"
    assert wire.calls() == [("PUT", path)]
    assert wire.sent[0].content == b"# Test results\n"
    assert wire.sent[0].headers["content-type"] == "application/octet-stream"
    assert url == contract("gitlab") + path


async def test_the_mock_refuses_what_gitlab_would_refuse(contract):
    # The harness itself: a status without its state is a 400 here, as on GitLab.
    async with ApiClient("GitLab", contract("gitlab") + "/api/v4", headers={"PRIVATE-TOKEN": TOKEN}) as api:
        with pytest.raises(ApiError) as err:
            await api.request("POST", f"projects/1/statuses/{SHA}", json={"name": "x"}, retry=False)
    assert err.value.status == 400


def ctx_for(contract, **changes) -> CIContext:
    fields = dict(provider="gitlab", api_url=contract("gitlab") + "/api/v4", server_url="https://gitlab.com",
                  repository="acme/web/frontend", project_id="51234567", merge_request_project_id="51234567",
                  head_sha=SHA, pr_number="42", run_id="1290001",
                  run_url="https://gitlab.com/acme/web/frontend/-/pipelines/1290001",
                  job_url="https://gitlab.com/acme/web/frontend/-/jobs/7001", branch="ui-dark-mode",
                  token=TOKEN, token_kind="private")
    return CIContext(**{**fields, **changes})


async def test_publish_posts_the_status_and_the_note(contract):
    report = small_report()
    texts = FittedTexts(report, provider="gitlab")
    ctx = ctx_for(contract)
    wire = Recording()
    async with GitLabClient(token=TOKEN, api_url=ctx.api_url, repository=ctx.repository, transport=wire,
                            check_name="Test results") as gl:
        await gl.initialize({})
        outcome = await gl.publish(report, texts, ctx)
    assert outcome.ok and outcome.ids == {"commit_status": "93", "note": "302"}
    assert outcome.links["merge_request_note"] == "https://gitlab.com/acme/web/frontend/-/merge_requests/42#note_302"
    assert sorted(wire.calls()) == sorted([
        ("POST", f"/api/v4/projects/51234567/statuses/{SHA}"),
        ("GET", "/api/v4/projects/51234567/merge_requests/42/notes"),
        ("POST", "/api/v4/projects/51234567/merge_requests/42/notes"),
    ])
    status = next(json.loads(r.content) for r in wire.sent if r.url.path.endswith(SHA))
    assert status == {"state": "failed", "name": "Test results", "description": texts.text("status"),
                      "target_url": ctx.job_url, "pipeline_id": 1290001}
    note = next(json.loads(r.content) for r in wire.sent if r.method == "POST" and "notes" in r.url.path)
    assert note["body"] == texts.text("gitlab-note")


JUNIT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pytest" tests="3" failures="1" errors="0" skipped="0" time="0.42">
  <testsuite name="api" tests="3" failures="1" errors="0" skipped="0" time="0.42">
    <testcase classname="tests.test_api" name="test_health" time="0.01"/>
    <testcase classname="tests.test_api" name="test_list" time="0.20"/>
    <testcase classname="tests.test_api" name="test_login" time="0.21">
      <failure message="AssertionError: expected 200, got 500">tests/test_api.py:42: AssertionError</failure>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_testrelay_run_in_a_merge_request_pipeline(contract, tmp_path, monkeypatch, capsys):
    use_recorded_env(monkeypatch, "gitlab_merge_request")
    monkeypatch.setenv("TESTRELAY_API_URL", contract("gitlab") + "/api/v4")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junit.xml").write_text(JUNIT, encoding="utf-8")
    calls: list[tuple[str, str]] = []
    original = ApiClient.request

    bodies: dict[tuple[str, str], object] = {}

    async def counting(self, method, url, **kwargs):
        calls.append((method, url))
        bodies[(method, url)] = kwargs.get("json")
        return await original(self, method, url, **kwargs)

    monkeypatch.setattr(ApiClient, "request", counting)

    code = cli.main(["run", "--files", "junit.xml", "--fail-on", "failures"])

    assert code == 1  # one test failed, and fail_on: failures says that fails the job
    out = tmp_path / "testrelay-report"
    assert json.loads((out / "report.json").read_text())["results"]["failed"] == 1
    assert (out / "report.md").exists() and (out / "comment.md").exists()
    published = [c for c in calls if "/packages/" not in c[1]]
    assert sorted(published) == sorted([
        ("POST", f"projects/51234567/statuses/{SHA}"),
        ("GET", "projects/51234567/merge_requests/42/notes"),
        ("POST", "projects/51234567/merge_requests/42/notes"),
    ])
    # The stored result and report files follow, one package file each, under the pipeline's version.
    uploads = [c for c in calls if "/packages/" in c[1]]
    assert all(m == "PUT" and u.startswith("projects/51234567/packages/generic/testrelay/1290001/")
               for m, u in uploads)
    # Uploaded before the note, so the note links the uploaded report; report.json says what was uploaded.
    assert calls.index(uploads[-1]) < calls.index(("POST", "projects/51234567/merge_requests/42/notes"))
    note = bodies[("POST", "projects/51234567/merge_requests/42/notes")]
    assert "/packages/generic/testrelay/1290001/report.md" in note["body"]
    recorded_uploads = json.loads((out / "report.json").read_text())["artifacts"]
    assert {a["name"] for a in recorded_uploads} == {"junit.xml", "report.json", "report.md"}
    assert {a["state"] for a in recorded_uploads} == {"uploaded"}
    assert "glpat-projectTokenValue0002" not in capsys.readouterr().out
