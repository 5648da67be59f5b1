"""The Azure DevOps adapter's behaviour that needs state or faults: the sticky thread, retry-safe creates,
batching, and a clear one-line error for each way a request can fail."""

from __future__ import annotations

import base64
import json
import urllib.parse
from types import SimpleNamespace

import pytest

from report_samples import failing, passing, run_of
from support.scripted_server import Answer
from testrelay.errors import AuthError, ConfigError, PublishError
from testrelay.providers import azure as azure_module
from testrelay.providers.azure import AzureClient
from testrelay.providers.http import RetryPolicy
from testrelay.providers.sticky import marker
from testrelay.report import build
from testrelay.texts import FittedTexts

PAT = "azdoSecretPatValue0123456789abcdefghijklmnopqrstu"
JWT = "eyJ0eXAiOiJKV1QifQ.eyJzZWNyZXQiOjF9.signaturePart"
REPO = "7d0b2e0c-5a9c-4c7e-8f0e-2b9a6c1d3e4f"
P = "/contoso/Fabrikam%20Web/_apis"
THREADS = f"{P}/git/repositories/{REPO}/pullRequests/812/threads"


def make(server, waits, token=PAT, **config):
    async def sleep(seconds):
        waits.append(seconds)

    settings = {"api_url": server.url + "/contoso/", "project": "Fabrikam Web", "repository_id": REPO,
                "build_id": "20451", "check_name": "Unit tests", "sleep": sleep,
                "retry": RetryPolicy(attempts=3), **config}
    return AzureClient(token=token, **settings)


def query(seen):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(seen.path).query)


def seen(server, method, path):
    return [s for s in server.seen if s.method == method and s.path.split("?")[0] == path]


class ThreadStore:
    """A PR's threads as Azure keeps them: listed two per page, created and edited in place."""

    def __init__(self, server, threads=()):
        self.threads = [dict(t) for t in threads]
        self.next_id = 500
        server.on("GET", THREADS, self.list)
        server.on("POST", THREADS, self.create)

    def list(self, s):
        token = query(s).get("continuationToken", ["0"])[0]
        start = int(token)
        page = self.threads[start:start + 2]
        headers = {"x-ms-continuationtoken": str(start + 2)} if start + 2 < len(self.threads) else {}
        return Answer(200, {"count": len(page), "value": page}, headers)

    def create(self, s):
        body = s.json()
        self.next_id += 1
        thread = {"id": self.next_id, "status": body["status"],
                  "comments": [{"id": 1, "parentCommentId": 0, **body["comments"][0]}]}
        self.threads.append(thread)
        return Answer(200, thread)

    def editing(self, server, thread_id):
        def edit_comment(s):
            self.by_id(thread_id)["comments"][0]["content"] = s.json()["content"]
            return Answer(200, {"id": 1, "content": s.json()["content"]})

        def edit_thread(s):
            self.by_id(thread_id)["status"] = s.json()["status"]
            return Answer(200, self.by_id(thread_id))

        server.on("PATCH", f"{THREADS}/{thread_id}/comments/1", edit_comment)
        server.on("PATCH", f"{THREADS}/{thread_id}", edit_thread)

    def by_id(self, thread_id):
        return next(t for t in self.threads if t["id"] == thread_id)


def system_thread(i):
    return {"id": i, "status": "unknown", "comments": [{"id": 1, "content": "Policy: build succeeded",
                                                         "commentType": "system"}]}


def our_thread(i, body="### old report", key="default"):
    return {"id": i, "status": "active",
            "comments": [{"id": 1, "parentCommentId": 0, "content": f"{body}\n\n{marker(key)}"},
                         {"id": 2, "parentCommentId": 1, "content": "a reviewer's reply"}]}


# -- the sticky thread ---------------------------------------------------------------------------------


async def test_our_thread_is_found_on_a_later_page_and_edited_in_place(server, waits):
    store = ThreadStore(server, [system_thread(1), system_thread(2), system_thread(3), our_thread(4)])
    store.editing(server, 4)
    async with make(server, waits) as azure:
        assert await azure.add_pr_comment("812", "### new report")
    assert len(seen(server, "GET", THREADS)) == 2  # two pages
    assert seen(server, "POST", THREADS) == []
    content = store.by_id(4)["comments"][0]["content"]
    assert content.startswith("### new report") and marker("default") in content
    assert store.by_id(4)["comments"][1]["content"] == "a reviewer's reply"


async def test_publishing_twice_keeps_one_thread_and_closes_it_when_green(server, waits):
    store = ThreadStore(server, [system_thread(1)])
    store.editing(server, 501)
    server.on("POST", f"{THREADS.rsplit('/threads', 1)[0]}/statuses", Answer(200, {"id": 7}))
    ctx = SimpleNamespace(pr_number="812", repository_provider="TfsGit")
    red = build(run_of(passing("a"), failing("b")))
    green = build(run_of(passing("a"), passing("b")))
    async with make(server, waits, comment_mode="always") as azure:
        first = await azure.publish(red, FittedTexts(red, provider="azure"), ctx)
        assert first.ids["comment_action"] == "create" and store.by_id(501)["status"] == "active"
        second = await azure.publish(green, FittedTexts(green, provider="azure"), ctx)
        assert second.ids["comment_action"] == "update"
        third = await azure.publish(green, FittedTexts(green, provider="azure"), ctx)
        assert third.ids["comment_action"] == "skip"
    assert len(seen(server, "POST", THREADS)) == 1 and len(store.threads) == 2
    assert store.by_id(501)["status"] == "closed"
    assert first.links["comment"].endswith("/pullrequest/812?discussionId=501")
    assert "test_run" not in first.ids  # no cases were handed over


async def test_without_cases_publish_says_no_test_run_was_created(server, waits):
    server.on("PUT", f"{P}/build/builds/20451/tags/tests-passed", Answer(200, {"value": ["tests-passed"]}))
    report = build(run_of(passing("a")))
    async with make(server, waits) as azure:
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"), SimpleNamespace())
    assert any("no test run was created" in n for n in outcome.notices)
    assert outcome.ids == {"build_tag": "tests-passed"}


@pytest.mark.parametrize(("mode", "report_of", "existing", "expected"), [
    ("off", failing, True, "skip"),
    ("failures", passing, False, "skip"),
    ("failures", failing, False, "create"),
    ("failures", passing, True, "update"),
    ("changes", passing, False, "skip"),
])
async def test_comment_modes(server, waits, mode, report_of, existing, expected):
    store = ThreadStore(server, [our_thread(9)] if existing else [])
    store.editing(server, 9)
    server.on("POST", f"{THREADS.rsplit('/threads', 1)[0]}/statuses", Answer(200, {"id": 7}))
    report = build(run_of(report_of("x")))
    async with make(server, waits, comment_mode=mode) as azure:
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"),
                                      SimpleNamespace(pr_number="812"))
    assert outcome.ids["comment_action"] == expected
    if mode == "off":
        assert seen(server, "GET", THREADS) == []
    if expected == "update" and report_of is passing:
        assert store.by_id(9)["status"] == "closed"


async def test_a_thread_create_that_failed_but_happened_is_not_repeated(server, waits):
    store = ThreadStore(server)

    def created_then_500(s):
        store.create(s)
        return Answer(500, {"message": "gateway timeout"})

    server.on("POST", THREADS, created_then_500)
    async with make(server, waits) as azure:
        assert await azure.add_pr_comment("812", "### report")
    assert len(seen(server, "POST", THREADS)) == 1 and len(store.threads) == 1
    assert len(seen(server, "GET", THREADS)) == 2  # the first look, and the one after the failed try


# -- the test run ---------------------------------------------------------------------------------------


def run_routes(server, results_answer=None):
    posted = []

    def results(s):
        posted.append(s.json())
        return results_answer(s) if results_answer else Answer(200, {"count": len(s.json()), "value": []})

    server.on("POST", f"{P}/test/runs", Answer(200, {"id": 77, "name": "Unit tests", "state": "InProgress"}))
    server.on("POST", f"{P}/test/Runs/77/results", results)
    server.on("PATCH", f"{P}/test/runs/77", lambda s: Answer(200, {"id": 77, **s.json()}))
    return posted


async def test_2500_results_go_in_three_requests_with_the_documented_fields(server, waits):
    posted = run_routes(server)
    cases = [passing(f"test_{i}", duration=0.0125) for i in range(2499)] + [failing("test_login")]
    async with make(server, waits) as azure:
        run = await azure.create_test_run({})
        assert await azure.add_results(run["id"], cases) == 2500
        assert await azure.update_test_run(run["id"], build(run_of(*cases)))
    assert [len(b) for b in posted] == [1000, 1000, 500]
    first, last = posted[0][0], posted[2][-1]
    assert first == {"testCaseTitle": "test_0", "automatedTestName": "tests/test_api.py.test_0",
                     "automatedTestStorage": "api", "outcome": "Passed", "durationInMs": 12, "state": "Completed"}
    assert last["outcome"] == "Failed" and last["errorMessage"].startswith("AssertionError")
    assert "Traceback" in last["stackTrace"] and last["automatedTestStorage"] == "tests/test_api.py"
    create = seen(server, "POST", f"{P}/test/runs")[0].json()
    assert create == {"name": "Unit tests", "automated": True, "state": "InProgress", "build": {"id": "20451"}}
    complete = seen(server, "PATCH", f"{P}/test/runs/77")[0].json()
    assert complete["state"] == "Completed" and complete["comment"].startswith("2,500 tests: 2,499 passed, 1 failed")
    assert all(query(s)["api-version"] == ["7.1"] for s in server.seen)


async def test_a_results_batch_that_landed_despite_a_500_is_not_sent_again(server, waits):
    tries = []

    def flaky_results(s):
        tries.append(1)
        return Answer(500, {"message": "timeout"}) if len(tries) == 2 else Answer(200, {"value": []})

    posted = run_routes(server, flaky_results)
    server.on("GET", f"{P}/test/Runs/77/results", Answer(200, {"count": 1, "value": [{"id": 100004}]}))
    async with make(server, waits, batch_size=2) as azure:
        assert await azure.add_results("77", [passing(f"t{i}") for i in range(6)]) == 6
    assert len(posted) == 3  # the second batch was stored before its 500: not posted again
    look = seen(server, "GET", f"{P}/test/Runs/77/results")
    assert len(look) == 1 and query(look[0])["$skip"] == ["3"] and query(look[0])["$top"] == ["1"]


async def test_a_run_create_that_failed_but_happened_is_found_by_build(server, waits):
    server.on("POST", f"{P}/test/runs", Answer(503, {"message": "busy"}))
    server.on("GET", f"{P}/test/runs", Answer(200, {"value": [
        {"id": 70, "name": "Unit tests", "state": "Completed"},
        {"id": 71, "name": "Other", "state": "InProgress"},
        {"id": 72, "name": "Unit tests", "state": "InProgress"}]}))
    async with make(server, waits) as azure:
        run = await azure.create_test_run({"name": "Unit tests"})
    assert run["id"] == "72" and len(seen(server, "POST", f"{P}/test/runs")) == 1
    assert query(seen(server, "GET", f"{P}/test/runs")[0])["buildUri"] == ["vstfs:///Build/Build/20451"]


async def test_a_results_failure_aborts_the_run_and_is_reported(server, waits):
    run_routes(server, lambda s: Answer(400, {"message": "TF400898: An Internal Error Occurred"}))
    report = build(run_of(passing("a")))
    server.on("PUT", f"{P}/build/builds/20451/tags/tests-passed", Answer(200, {"value": []}))
    async with make(server, waits) as azure:
        azure.set_cases(run_of(passing("a")).cases())
        with pytest.raises(PublishError, match="400 Bad Request: TF400898"):
            await azure.publish(report, FittedTexts(report, provider="azure"), SimpleNamespace())
    abort = seen(server, "PATCH", f"{P}/test/runs/77")[0].json()
    assert abort["state"] == "Aborted" and "TF400898" in abort["errorMessage"]
    assert len(seen(server, "PUT", f"{P}/build/builds/20451/tags/tests-passed")) == 1  # the other part still ran


# -- build status ---------------------------------------------------------------------------------------


async def test_pr_status_carries_state_context_and_target(server, waits):
    path = f"{P}/git/repositories/{REPO}/pullRequests/812/statuses"
    server.on("POST", path, Answer(200, {"id": 3}))
    async with make(server, waits, pr_number="812", run_url="https://dev.azure.com/contoso/b/1") as azure:
        assert await azure.set_build_status("failure", "1 failed, 3 passed")
    assert seen(server, "POST", path)[0].json() == {
        "state": "failed", "description": "1 failed, 3 passed", "context": {"name": "Unit tests", "genre": "testrelay"},
        "targetUrl": "https://dev.azure.com/contoso/b/1"}


async def test_tagging_a_rerun_drops_the_earlier_verdict(server, waits):
    tags = f"{P}/build/builds/20451/tags"
    server.on("PUT", f"{tags}/tests-passed", Answer(200, {"value": ["nightly", "tests-failed", "tests-passed"]}))
    server.on("DELETE", f"{tags}/tests-failed", Answer(200, {"value": ["nightly", "tests-passed"]}))
    async with make(server, waits) as azure:
        assert await azure.set_build_status("success", "all passed")
    assert [s.method for s in server.seen] == ["PUT", "DELETE"]


async def test_github_repositories_get_a_notice_and_a_tag_instead_of_pr_parts(server, waits):
    server.on("PUT", f"{P}/build/builds/20451/tags/tests-failed", Answer(200, {"value": ["tests-failed"]}))
    report = build(run_of(failing("x")))
    ctx = SimpleNamespace(pr_number="1204", repository_provider="GitHub")
    async with make(server, waits) as azure:
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"), ctx)
    assert any("repository is on GitHub" in n for n in outcome.notices)
    assert [s.method for s in server.seen] == ["PUT"]


async def test_a_pr_build_without_repository_id_skips_pr_parts_with_a_notice(server, waits):
    report = build(run_of(passing("x")))
    async with make(server, waits, repository_id=None, build_id=None) as azure:
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"),
                                      SimpleNamespace(pr_number="812"))
    assert any("BUILD_REPOSITORY_ID" in n for n in outcome.notices) and server.seen == []


# -- auth and configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "config", "expected"), [
    (PAT, {}, "Basic " + base64.b64encode(f":{PAT}".encode()).decode()),
    (JWT, {}, f"Bearer {JWT}"),
    (PAT, {"username": "ana"}, "Basic " + base64.b64encode(f"ana:{PAT}".encode()).decode()),
    (PAT, {"auth": "bearer"}, f"Bearer {PAT}"),
    (PAT, {"token_kind": "build"}, f"Bearer {PAT}"),
])
async def test_the_token_is_sent_by_its_form(server, waits, token, config, expected):
    server.on("GET", f"{P}/test/runs/5", Answer(200, {"id": 5, "state": "Completed", "totalTests": 3}))
    async with make(server, waits, token=token, **config) as azure:
        status = await azure.get_test_run_status("5")
    assert status["status"] == "Completed" and status["total"] == 3
    assert server.seen[0].headers["authorization"] == expected


async def test_missing_settings_are_named():
    with pytest.raises(ConfigError, match="token: no Azure DevOps token"):
        await AzureClient(api_url="https://dev.azure.com/o/").initialize({})
    with pytest.raises(ConfigError, match="api_url"):
        await AzureClient(token=PAT).initialize({})
    azure = AzureClient(token=PAT, api_url="https://dev.azure.com/o/")
    await azure.initialize({})
    with pytest.raises(ConfigError, match=r"project: no Azure DevOps team project.*SYSTEM_TEAMPROJECT"):
        await azure.get_test_run_status("1")
    with pytest.raises(ConfigError, match="repository_id"):
        await azure.add_pr_comment("1", "x")


async def test_attachment_is_base64_and_too_large_files_are_refused(server, waits, tmp_path):
    path = f"{P}/test/Runs/77/attachments"
    server.on("POST", path, Answer(200, {"id": 3}))
    small = tmp_path / "junit.xml"
    small.write_bytes(b"<testsuite/>")
    big = tmp_path / "huge.log"
    with big.open("wb") as f:
        f.truncate(azure_module.ATTACHMENT_MAX_BYTES + 1)  # sparse: no real 75 MiB written
    async with make(server, waits) as azure:
        assert await azure.upload_artifact("77", str(small), "junit.xml")
        with pytest.raises(PublishError, match=r"huge.log: 75.0 MiB is over the 75 MiB .*100 MiB once base64"):
            await azure.upload_artifact("77", str(big), "huge.log")
    body = seen(server, "POST", path)[0].json()
    assert base64.b64decode(body["stream"]) == b"<testsuite/>"
    assert body["fileName"] == "junit.xml" and body["attachmentType"] == "GeneralAttachment"
    assert len(server.seen) == 1


# -- errors -----------------------------------------------------------------------------------------------


def one_line_without_secrets(err, *secrets):
    text = str(err)
    assert "\n" not in text
    for secret in secrets:
        assert secret not in text
    return text


async def test_401_with_the_build_token_says_how_to_map_it(server, waits):
    server.on("GET", f"{P}/test/runs/5", Answer(401, {"message": f"token {JWT} expired"}))
    async with make(server, waits, token=JWT) as azure:
        with pytest.raises(AuthError) as err:
            await azure.get_test_run_status("5")
    text = one_line_without_secrets(err.value, JWT)
    assert "GET /contoso/Fabrikam%20Web/_apis/test/runs/5: 401" in text
    assert "SYSTEM_ACCESSTOKEN: $(System.AccessToken)" in text and len(server.seen) == 1


async def test_403_on_threads_names_the_permission(server, waits):
    server.on("GET", THREADS, Answer(403, {"message": "TF401027: You need the Git 'PullRequestContribute' permission"}))
    async with make(server, waits, token=JWT) as azure:
        with pytest.raises(AuthError) as err:
            await azure.add_pr_comment("812", "x")
    assert "Contribute to pull requests" in one_line_without_secrets(err.value, JWT)
    server.on("GET", THREADS, Answer(403, {"message": "denied"}))
    async with make(server, waits, token=PAT) as azure:
        with pytest.raises(AuthError) as err:
            await azure.add_pr_comment("812", "x")
    assert "Pull Request Threads (Read & write)" in one_line_without_secrets(err.value, PAT)


async def test_404_and_422_are_one_line(server, waits):
    server.on("GET", f"{P}/test/runs/404", Answer(404, {"message": "TF200016: The following project does not exist"}))
    store = ThreadStore(server)
    server.on("POST", THREADS, Answer(422, {"message": "The comment content exceeds the maximum length"}))
    async with make(server, waits) as azure:
        with pytest.raises(PublishError) as err:
            await azure.get_test_run_status("404")
        assert "404" in one_line_without_secrets(err.value, PAT) and "TF200016" in str(err.value)
        with pytest.raises(PublishError) as err:
            await azure.add_pr_comment("812", "x")
        assert "exceeds the maximum length" in one_line_without_secrets(err.value, PAT)
        with pytest.raises(PublishError, match="150,000"):
            await azure.add_pr_comment("812", "x" * 150_001)
    assert store.threads == []


async def test_429_waits_as_told_and_500_is_retried(server, waits):
    server.on("GET", f"{P}/test/runs/5", Answer(429, {"message": "TF400733"}, {"Retry-After": "7"}),
              Answer(500, {"message": "boom"}), Answer(200, {"id": 5, "state": "InProgress"}))
    async with make(server, waits) as azure:
        assert (await azure.get_test_run_status("5"))["status"] == "InProgress"
    assert len(server.seen) == 3 and waits[0] == 7.0 and len(waits) == 2


async def test_a_timeout_is_retried_then_reported(server, waits):
    server.on("GET", f"{P}/test/runs/5", Answer(200, {}, delay=0.4))
    async with make(server, waits, timeout=0.1, retry=RetryPolicy(attempts=2)) as azure:
        with pytest.raises(PublishError) as err:
            await azure.get_test_run_status("5")
    assert "timed out after 2 tries" in one_line_without_secrets(err.value, PAT)


def test_a_result_body_survives_json_with_what_the_tests_tab_shows():
    from testrelay.providers.azure_results import case_result
    body = json.loads(json.dumps(case_result(failing("x"))))
    assert body["testCaseTitle"] == "x" and body["outcome"] == "Failed" and body["state"] == "Completed"
    assert body["automatedTestName"] == "tests/test_api.py.x"
    assert body["errorMessage"].startswith("AssertionError") and "line 42" in body["stackTrace"]


async def test_files_kept_under_the_build_id_go_to_the_test_run_made_in_publish(server, waits, tmp_path):
    run_routes(server)
    server.on("PUT", f"{P}/build/builds/20451/tags/tests-passed", Answer(200, {"value": ["tests-passed"]}))
    server.on("POST", f"{P}/test/Runs/77/attachments", Answer(200, {"id": 4, "url": "https://x/Attachments/4"}))
    file = tmp_path / "report.md"
    file.write_text("# ok\n")
    run = run_of(passing("a"))
    report = build(run)
    async with make(server, waits) as azure:
        with pytest.raises(PublishError, match="no test run was created for build 20451"):
            await azure.upload_artifact("20451", str(file), "report.md")
        azure.set_cases(run.cases())
        outcome = await azure.publish(report, FittedTexts(report, provider="azure"), SimpleNamespace(run_id="20451"))
        assert outcome.ids["test_run"] == "77"
        assert await azure.upload_artifact("20451", str(file), "report.md")
    assert azure.last_upload_url == "https://x/Attachments/4"
    assert len(seen(server, "POST", f"{P}/test/Runs/77/attachments")) == 1


async def test_update_takes_the_summary_dict_of_the_library_api(server, waits):
    run_routes(server)
    async with make(server, waits) as azure:
        assert await azure.update_test_run("77", {"status": "completed", "summary": {
            "total_tasks": 5, "task_statuses": {"passed": 4, "failed": 1}, "duration": 1.5}})
        assert await azure.update_test_run("77", {"status": "in_progress"})
        with pytest.raises(ConfigError, match="status 'done' is not one of"):
            await azure.update_test_run("77", {"status": "done"})
    done, reopened = (s.json() for s in seen(server, "PATCH", f"{P}/test/runs/77"))
    assert done["state"] == "Completed" and done["comment"] == "5 tests: 4 passed, 1 failed · 1.5 s"
    assert done["completedDate"].endswith("Z")
    assert reopened == {"state": "InProgress"}
