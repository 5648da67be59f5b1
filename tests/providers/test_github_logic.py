"""The GitHub adapter against a scripted server: request counts, the sticky comment, retries and every error path."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from report_samples import META
from support.ci_env import use_recorded_env
from support.scripted_server import Answer
from testrelay.ci import CIContext
from testrelay.errors import AuthError, ConfigError, PublishError
from testrelay.providers import sticky
from testrelay.providers.github import GitHubClient
from testrelay.providers.http import ApiError, RetryPolicy
from testrelay.report import build
from testrelay.results.model import Result, ResultFile, TestCase, TestRun, TestSuite
from testrelay.texts import FittedTexts

TOKEN = "ghs_NotARealTokenButLongEnough0123456789"
SHA = "1234567890abcdef1234567890abcdef12345678"
REPO = "/repos/octo-org/shop"


def report_with(failures: int = 3, passed: int = 5):
    cases = [TestCase(name=f"test_{i}", classname="tests.test_shop", suite="shop", result=Result.FAILED,
                      message=f"AssertionError: case {i}", details="Traceback\n  boom", file="tests/test_shop.py",
                      line=i + 1) for i in range(failures)]
    cases += [TestCase(name=f"ok_{i}", classname="tests.test_shop", suite="shop") for i in range(passed)]
    run = TestRun.of([ResultFile.of("junit.xml", "junit", [TestSuite.of("shop", cases)])])
    return build(run, title="Shop tests", meta=META)


def ctx(**kw):
    values = dict(provider="github", repository="octo-org/shop", head_sha=SHA, pr_number="57", run_id="99",
                  run_url="https://github.com/octo-org/shop/actions/runs/99", event_name="pull_request",
                  token=TOKEN, token_kind="app")
    values.update(kw)
    return CIContext(**values)


def client(server, waits, **kw):
    async def sleep(seconds):
        waits.append(seconds)

    config = dict(token=TOKEN, repository="octo-org/shop", api_url=server.url, comment_key="default",
                  comment_mode="always", sleep=sleep, retry=RetryPolicy(attempts=3))
    config.update(kw)
    return GitHubClient(**config)


def calls(server, method, pattern):
    return [s for s in server.seen if s.method == method and re.fullmatch(pattern, s.path.split("?")[0])]


def query(seen):
    return {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}


def script_check_run(server, run_id=7, patch_delay=0.0):
    server.on("POST", f"{REPO}/check-runs",
              Answer(201, {"id": run_id, "name": "Shop tests", "status": "in_progress",
                           "html_url": f"https://github.com/octo-org/shop/runs/{run_id}"}))
    server.on("PATCH", f"{REPO}/check-runs/{run_id}",
              Answer(200, {"id": run_id, "status": "completed"}, delay=patch_delay))


class Comments:
    """A PR's comments with state: listing in pages (with Link headers), create and edit."""

    def __init__(self, server, existing=(), page_size=100):
        self.server = server
        self.items = [dict(c) for c in existing]
        self.page_size = page_size
        self.next_id = 1000
        self.fail_next_create = 0

    def install(self, pr="57"):
        path = f"{REPO}/issues/{pr}/comments"
        self.server.on("GET", path, self.list)
        self.server.on("POST", path, self.create)
        for item in self.items:
            self.server.on("PATCH", f"{REPO}/issues/comments/{item['id']}", self.edit)

    def list(self, seen):
        q = query(seen)
        size = min(int(q.get("per_page", 30)), self.page_size)
        page = int(q.get("page", 1))
        chunk = self.items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(self.items):
            base = seen.path.split("?")[0]
            headers["Link"] = f'<{self.server.url}{base}?per_page={size}&page={page + 1}>; rel="next"'
        return Answer(200, chunk, headers)

    def create(self, seen):
        item = {"id": self.next_id, "body": seen.json()["body"],
                "html_url": f"https://github.com/octo-org/shop/pull/57#issuecomment-{self.next_id}"}
        self.next_id += 1
        self.items.append(item)
        self.server.on("PATCH", f"{REPO}/issues/comments/{item['id']}", self.edit)
        if self.fail_next_create:
            self.fail_next_create -= 1
            return Answer(502, {"message": "Server Error"})  # the comment was made all the same
        return Answer(201, item)

    def edit(self, seen):
        cid = int(seen.path.split("?")[0].rsplit("/", 1)[1])
        item = next(i for i in self.items if i["id"] == cid)
        item["body"] = seen.json()["body"]
        return Answer(200, item)


# -- performance ------------------------------------------------------------------------------------


async def test_a_thousand_located_failures_take_21_check_run_calls_and_two_comment_calls(server, waits):
    report = report_with(failures=1000)
    assert len(report.annotations) == 1000
    script_check_run(server, patch_delay=0.002)
    comments = Comments(server)
    comments.install()
    async with client(server, waits) as gh:
        outcome = await gh.publish(report, FittedTexts(report, provider="github"), ctx())

    creates = calls(server, "POST", f"{REPO}/check-runs")
    patches = calls(server, "PATCH", f"{REPO}/check-runs/7")
    assert len(creates) == 1 and len(patches) == math.ceil(1000 / 50) == 20
    assert creates[0].json()["status"] == "in_progress" and creates[0].json()["head_sha"] == SHA
    first = patches[0].json()
    assert first["status"] == "completed" and first["conclusion"] == "failure"
    sent = [a for p in patches for a in p.json()["output"]["annotations"]]
    assert all(len(p.json()["output"]["annotations"]) == 50 for p in patches)
    assert len(sent) == 1000 and len({(a["path"], a["start_line"]) for a in sent}) == 1000
    assert all(p.json()["output"]["title"] == first["output"]["title"] for p in patches)
    assert all("conclusion" not in p.json() for p in patches[1:])
    assert len(first["output"]["summary"]) <= 65_535
    comment_calls = [s for s in server.seen if "/issues/" in s.path]
    assert [s.method for s in comment_calls] == ["GET", "POST"]
    assert len(server.seen) == 1 + 20 + 2
    # Concurrent: the comment was listed before the check run's last update went out.
    assert server.seen.index(comment_calls[0]) < server.seen.index(patches[-1])
    assert outcome.ok and outcome.links == {"check_run": "https://github.com/octo-org/shop/runs/7",
                                            "comment": "https://github.com/octo-org/shop/pull/57#issuecomment-1000"}
    assert outcome.ids["check_run"] == "7" and outcome.ids["comment_action"] == "create"


async def test_headers_and_annotation_shape(server, waits):
    report = report_with(failures=1)
    script_check_run(server)
    Comments(server).install()
    async with client(server, waits) as gh:
        await gh.publish(report, FittedTexts(report, provider="github"), ctx())
    seen = calls(server, "POST", f"{REPO}/check-runs")[0]
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["accept"] == "application/vnd.github+json"
    assert seen.headers["x-github-api-version"] == "2022-11-28"
    body = seen.json()
    assert body["name"] == "Shop tests" and body["details_url"].endswith("/actions/runs/99")
    assert body["external_id"] == "testrelay:99:default"
    annotation = calls(server, "PATCH", f"{REPO}/check-runs/7")[0].json()["output"]["annotations"][0]
    assert annotation == {"path": "tests/test_shop.py", "start_line": 1, "end_line": 1, "annotation_level": "failure",
                          "message": "AssertionError: case 0", "title": annotation["title"]}
    assert "test_0" in annotation["title"]


# -- the sticky comment -----------------------------------------------------------------------------


async def test_our_comment_is_found_on_a_later_page_and_edited_in_place(server, waits):
    others = [{"id": i, "body": f"looks good {i}"} for i in range(150)]
    ours = {"id": 500, "body": "old report\n" + sticky.marker("default"), "html_url": "https://github.com/c/500"}
    comments = Comments(server, [*others, ours])
    comments.install()
    async with client(server, waits) as gh:
        assert await gh.add_pr_comment("57", "new report") is True
    lists = calls(server, "GET", f"{REPO}/issues/57/comments")
    assert len(lists) == 2 and query(lists[0]) == {"per_page": "100"}
    assert not calls(server, "POST", f"{REPO}/issues/57/comments")
    assert len(comments.items) == 151
    assert comments.items[-1]["body"].startswith("new report") and sticky.is_ours(comments.items[-1]["body"], "default")


async def test_a_rerun_edits_the_same_comment_and_never_duplicates(server, waits):
    comments = Comments(server)
    comments.install()
    script_check_run(server)
    async with client(server, waits) as gh:
        first = report_with(failures=2)
        await gh.publish(first, FittedTexts(first, provider="github"), ctx())
        second = report_with(failures=1)
        outcome = await gh.publish(second, FittedTexts(second, provider="github"), ctx())
        again = await gh.publish(second, FittedTexts(second, provider="github"), ctx())
    assert len(comments.items) == 1
    assert "1 failed" in comments.items[0]["body"]
    assert outcome.ids["comment_action"] == "update" and again.ids["comment_action"] == "skip"
    assert len(calls(server, "POST", f"{REPO}/issues/57/comments")) == 1
    assert len(calls(server, "PATCH", r"/repos/octo-org/shop/issues/comments/\d+")) == 1
    assert again.links["comment"].endswith("issuecomment-1000")


@pytest.mark.parametrize(("mode", "failures", "existing", "expected"), [
    ("off", 2, False, []),
    ("failures", 0, False, ["GET"]),
    ("failures", 0, True, ["GET", "PATCH"]),
    ("failures", 2, False, ["GET", "POST"]),
    ("changes", 2, False, ["GET", "POST"]),
    ("always", 0, False, ["GET", "POST"]),
])
async def test_comment_modes(server, waits, mode, failures, existing, expected):
    prior = [{"id": 5, "body": "stale failure\n" + sticky.marker("default")}] if existing else []
    comments = Comments(server, prior)
    comments.install()
    script_check_run(server)
    report = report_with(failures=failures)
    async with client(server, waits, comment_mode=mode) as gh:
        await gh.publish(report, FittedTexts(report, provider="github"), ctx())
    assert [s.method for s in server.seen if "/issues/" in s.path] == expected


async def test_a_create_that_failed_but_happened_is_found_again_not_repeated(server, waits):
    comments = Comments(server)
    comments.fail_next_create = 1
    comments.install()
    async with client(server, waits) as gh:
        assert await gh.add_pr_comment("57", "the report") is True
    assert len(comments.items) == 1
    assert [s.method for s in server.seen] == ["GET", "POST", "GET"]


async def test_a_check_run_create_that_failed_but_happened_is_not_repeated(server, waits):
    created = {"id": 31, "name": "Shop tests", "external_id": "testrelay:99:default", "html_url": "https://x/31"}
    server.on("POST", f"{REPO}/check-runs", Answer(500, {"message": "Server Error"}))
    server.on("GET", f"{REPO}/commits/{SHA}/check-runs", Answer(200, {"total_count": 1, "check_runs": [created]}))
    async with client(server, waits) as gh:
        run = await gh.create_test_run({"name": "Shop tests", "head_sha": SHA, "external_id": "testrelay:99:default"})
    assert run["id"] == "31" and run["url"] == "https://x/31"
    assert len(calls(server, "POST", f"{REPO}/check-runs")) == 1
    assert query(calls(server, "GET", f"{REPO}/commits/{SHA}/check-runs")[0])["check_name"] == "Shop tests"


async def test_too_long_comment_is_refitted_once_and_posted(server, waits):
    bodies = []

    def create(seen):
        bodies.append(seen.json()["body"])
        if len(bodies) == 1:
            return Answer(422, {"message": "Validation Failed", "errors": [
                {"resource": "IssueComment", "code": "custom", "field": "body",
                 "message": "body is too long (maximum is 65536 characters)"}]})
        return Answer(201, {"id": 9, "html_url": "https://github.com/c/9", "body": bodies[-1]})

    server.on("GET", f"{REPO}/issues/57/comments", Answer(200, []))
    server.on("POST", f"{REPO}/issues/57/comments", create)
    script_check_run(server)
    report = report_with(failures=400)
    texts = FittedTexts(report, provider="github")
    async with client(server, waits) as gh:
        outcome = await gh.publish(report, texts, ctx())
    assert len(bodies) == 2
    assert len(bodies[1].encode()) <= len(bodies[0].encode()) * 3 // 4
    assert sticky.is_ours(bodies[1], "default") and bodies[1].startswith("### ")
    assert outcome.links["comment"] == "https://github.com/c/9"


async def test_too_long_twice_fails_with_a_clear_line(server, waits):
    server.on("GET", f"{REPO}/issues/57/comments", Answer(200, []))
    server.on("POST", f"{REPO}/issues/57/comments", Answer(422, {"message": "Body is too long"}))
    async with client(server, waits) as gh:
        with pytest.raises(ApiError) as err:
            await gh.add_pr_comment("57", "x" * 70_000)
    assert len(calls(server, "POST", f"{REPO}/issues/57/comments")) == 2
    assert "422" in str(err.value) and "Body is too long" in str(err.value) and "\n" not in str(err.value)


# -- forks, token kinds, workflow_run ---------------------------------------------------------------

READ_ONLY = Answer(403, {"message": "Resource not accessible by integration",
                         "documentation_url": "https://docs.github.com/rest"})


async def test_fork_pull_request_read_only_token_gives_a_notice_not_a_failure(server, waits):
    server.on("POST", f"{REPO}/check-runs", READ_ONLY)
    server.on("GET", f"{REPO}/issues/57/comments", Answer(200, []))
    server.on("POST", f"{REPO}/issues/57/comments", READ_ONLY)
    report = report_with()
    async with client(server, waits) as gh:
        outcome = await gh.publish(report, FittedTexts(report, provider="github"), ctx(is_fork=True))
    assert not outcome.ok and outcome.links == {}
    assert len(outcome.notices) == 2
    assert all("read-only" in n and "workflow_run" in n and "job summary" in n for n in outcome.notices)
    assert sorted(n.split(":")[1].strip() for n in outcome.notices) == ["the PR comment was not posted",
                                                                       "the check run was not created"]
    assert len(calls(server, "POST", f"{REPO}/check-runs")) == 1  # a 403 is not retried


async def test_read_only_token_outside_a_pull_request_is_an_error_with_the_permission_to_add(server, waits):
    server.on("POST", f"{REPO}/check-runs", READ_ONLY)
    report = report_with()
    async with client(server, waits, comment_mode="off") as gh:
        with pytest.raises(AuthError) as err:
            await gh.publish(report, FittedTexts(report, provider="github"), ctx(event_name="push", pr_number=None))
    message = str(err.value)
    assert "POST /repos/octo-org/shop/check-runs: 403" in message and "permissions: checks: write" in message
    assert err.value.exit_code == 7 and TOKEN not in message


async def test_personal_token_falls_back_to_a_commit_status(server, waits):
    server.on("POST", f"{REPO}/check-runs", Answer(403, {"message": "You must authenticate via a GitHub App."}))
    server.on("POST", f"{REPO}/statuses/{SHA}", Answer(201, {"id": 1, "state": "failure"}))
    report = report_with(failures=2)
    texts = FittedTexts(report, provider="github")
    async with client(server, waits, token="ghp_PersonalTokenNotReal000000000000", comment_mode="off") as gh:
        outcome = await gh.publish(report, texts, ctx(token_kind="personal"))
    status = calls(server, "POST", f"{REPO}/statuses/{SHA}")[0].json()
    assert status == {"state": "failure", "context": "Shop tests", "description": texts.text("status"),
                      "target_url": "https://github.com/octo-org/shop/actions/runs/99"}
    assert outcome.ids["status"] == "failure" and "commit status" in outcome.notices[0]


async def test_workflow_run_without_a_pr_number_finds_the_pr_by_head_sha(server, waits):
    server.on("GET", f"{REPO}/commits/{SHA}/pulls", Answer(200, [
        {"number": 3, "state": "closed", "head": {"sha": SHA}},
        {"number": 58, "state": "open", "head": {"sha": SHA}},
    ]))
    Comments(server).install(pr="58")
    script_check_run(server)
    report = report_with()
    async with client(server, waits) as gh:
        outcome = await gh.publish(report, FittedTexts(report, provider="github"),
                                   ctx(event_name="workflow_run", pr_number=None, is_fork=True))
    assert len(calls(server, "POST", f"{REPO}/issues/58/comments")) == 1
    assert outcome.ok and "comment" in outcome.links


async def test_workflow_run_with_no_open_pr_says_so(server, waits):
    server.on("GET", f"{REPO}/commits/{SHA}/pulls", Answer(200, []))
    script_check_run(server)
    report = report_with()
    async with client(server, waits) as gh:
        outcome = await gh.publish(report, FittedTexts(report, provider="github"),
                                   ctx(event_name="workflow_run", pr_number=None))
    assert "no open pull request" in outcome.notices[0] and "check_run" in outcome.links


# -- error paths ------------------------------------------------------------------------------------


async def test_401_is_an_auth_error_that_never_shows_the_token(server, waits):
    server.on("POST", f"{REPO}/check-runs", Answer(401, {"message": f"Bad credentials {TOKEN}"}))
    async with client(server, waits) as gh:
        with pytest.raises(AuthError) as err:
            await gh.create_test_run({"head_sha": SHA})
    message = str(err.value)
    assert TOKEN not in message and "***" in message and "\n" not in message
    assert "401" in message and "github.token" in message


async def test_404_names_the_repository(server, waits):
    async with client(server, waits) as gh:
        with pytest.raises(ApiError) as err:
            await gh.get_test_run_status("5")
    assert "404" in str(err.value) and "octo-org/shop exists" in str(err.value)


async def test_429_waits_as_retry_after_says(server, waits):
    server.on("GET", f"{REPO}/check-runs/5", Answer(429, {"message": "slow down"}, {"Retry-After": "2"}),
              Answer(200, {"id": 5, "status": "completed", "conclusion": "success", "html_url": "https://x/5"}))
    async with client(server, waits) as gh:
        status = await gh.get_test_run_status("5")
    assert waits == [2.0] and status["conclusion"] == "success" and status["url"] == "https://x/5"


async def test_500_then_success_on_an_update(server, waits):
    server.on("PATCH", f"{REPO}/check-runs/5", Answer(500, {"message": "boom"}), Answer(200, {"id": 5}))
    async with client(server, waits) as gh:
        assert await gh.update_test_run("5", {"status": "completed", "summary": {
            "total_tasks": 3, "task_statuses": {"passed": 2, "failed": 1}, "duration": 1.5}}) is True
    patches = calls(server, "PATCH", f"{REPO}/check-runs/5")
    assert len(patches) == 2 and patches[1].json()["conclusion"] == "failure"
    assert "| failed | 1 |" in patches[1].json()["output"]["summary"]


async def test_timeout_is_reported_in_one_line(server, waits):
    server.on("GET", f"{REPO}/check-runs/5", Answer(200, {}, delay=0.5))
    async with client(server, waits, timeout=0.1, retry=RetryPolicy(attempts=2)) as gh:
        with pytest.raises(PublishError) as err:
            await gh.get_test_run_status("5")
    assert "timed out after 2 tries" in str(err.value) and "\n" not in str(err.value)


async def test_a_failing_half_fails_the_publish(server, waits):
    script_check_run(server)
    server.on("GET", f"{REPO}/issues/57/comments", Answer(404, {"message": "Not Found"}))
    report = report_with()
    async with client(server, waits) as gh:
        with pytest.raises(ApiError, match="404"):
            await gh.publish(report, FittedTexts(report, provider="github"), ctx())
    assert len(calls(server, "PATCH", f"{REPO}/check-runs/7")) == 1  # the check run was still completed


# -- library methods, configuration, artifacts ------------------------------------------------------


async def test_library_methods(server, waits):
    server.on("POST", f"{REPO}/check-runs", Answer(201, {"id": 8, "name": "unit", "status": "in_progress",
                                                         "html_url": "https://x/8"}))
    server.on("PATCH", f"{REPO}/check-runs/8", Answer(200, {"id": 8}))
    server.on("POST", f"{REPO}/statuses/{SHA}", Answer(201, {"id": 1}))
    async with client(server, waits, head_sha=SHA, check_name="unit") as gh:
        run = await gh.create_test_run({"name": "unit"})
        assert run == {"id": "8", "name": "unit", "status": "in_progress", "conclusion": None,
                       "url": "https://x/8", "details_url": None, "head_sha": None, "external_id": None}
        assert await gh.update_test_run("8", {"status": "in_progress", "summary": {"total_tasks": 1}})
        report = report_with(failures=60)
        assert await gh.update_test_run("8", report)
        assert await gh.set_build_status("failed", "x" * 300)
    patches = calls(server, "PATCH", f"{REPO}/check-runs/8")
    assert patches[0].json()["status"] == "in_progress" and "conclusion" not in patches[0].json()
    assert [len(p.json()["output"].get("annotations", [])) for p in patches[1:]] == [50, 10]
    status = calls(server, "POST", f"{REPO}/statuses/{SHA}")[0].json()
    assert status["state"] == "failure" and len(status["description"]) == 140 and status["context"] == "unit"


async def test_upload_artifact_refuses_clearly_and_artifacts_are_listed(server, waits):
    server.on("GET", f"{REPO}/actions/runs/99/artifacts", Answer(200, {"total_count": 1, "artifacts": [
        {"id": 11, "name": "testrelay-report", "size_in_bytes": 2048}]}))
    async with client(server, waits) as gh:
        with pytest.raises(PublishError, match="no artifact upload") as err:
            await gh.upload_artifact("7", "report.md", "report")
        assert "actions/upload-artifact" in str(err.value)
        artifacts = await gh.list_artifacts("99")
    assert artifacts[0]["name"] == "testrelay-report"
    assert artifacts[0]["html_url"] == f"{server.url}/octo-org/shop/actions/runs/99/artifacts/11"


async def test_configuration_errors_name_the_option():
    with pytest.raises(ConfigError, match="token"):
        await GitHubClient(repository="o/r").initialize({})
    with pytest.raises(ConfigError, match="repository: 'nope' is not owner/name"):
        await GitHubClient(token=TOKEN).initialize({"repository": "nope"})
    with pytest.raises(ConfigError, match="head_sha"):
        await GitHubClient(token=TOKEN, repository="o/r").set_build_status("success", "ok")


async def test_publish_without_a_head_commit_is_a_publish_error(server, waits):
    report = report_with()
    async with client(server, waits) as gh:
        with pytest.raises(PublishError, match="no head commit SHA"):
            await gh.publish(report, FittedTexts(report, provider="github"), ctx(head_sha=None))
    assert server.seen == []


async def test_a_rate_limited_403_is_not_mistaken_for_a_personal_token(server, waits):
    server.on("POST", f"{REPO}/check-runs", Answer(403, {"message": "API rate limit exceeded"},
                                                    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"}))
    report = report_with()
    async with client(server, waits, token="ghp_PersonalTokenNotReal000000000000", comment_mode="off") as gh:
        with pytest.raises(AuthError, match="rate limit"):
            await gh.publish(report, FittedTexts(report, provider="github"), ctx(token_kind="personal"))
    assert not calls(server, "POST", f"{REPO}/statuses/{SHA}")


def test_enterprise_api_url_from_github_api_url(server, tmp_path, monkeypatch):
    """testrelay run on a GitHub Enterprise Server: every call goes below GITHUB_API_URL (HOST/api/v3)."""
    from testrelay.cli import main

    use_recorded_env(monkeypatch, "github_pull_request")
    monkeypatch.setenv("GITHUB_API_URL", server.url + "/api/v3")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junit.xml").write_text('<testsuite name="s"><testcase name="a" classname="c"/></testsuite>')
    base = "/api/v3/repos/octo-org/shop"
    server.on("POST", f"{base}/check-runs", Answer(201, {"id": 3, "html_url": "https://ghe/3"}))
    server.on("PATCH", f"{base}/check-runs/3", Answer(200, {"id": 3}))
    server.on("GET", f"{base}/issues/57/comments", Answer(200, []))
    server.on("POST", f"{base}/issues/57/comments", Answer(201, {"id": 4, "html_url": "https://ghe/4"}))
    assert main(["run", "--files", "junit.xml"]) == 0
    assert sorted((s.method, s.path.split("?")[0]) for s in server.seen) == [
        ("GET", f"{base}/issues/57/comments"), ("PATCH", f"{base}/check-runs/3"),
        ("POST", f"{base}/check-runs"), ("POST", f"{base}/issues/57/comments")]
