"""The GitLab adapter against a scripted server with state: the sticky note found again across pages and
edited in place, the comment modes, the retry-safe create, the job token, and every error path."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from support.scripted_server import Answer, ScriptedServer, Seen
from testrelay.ci import CIContext
from testrelay.errors import AuthError, ConfigError, PublishError
from testrelay.providers import sticky
from testrelay.providers.gitlab import JOB_TOKEN_NOTICE, GitLabClient
from testrelay.providers.http import ApiError, RetryPolicy
from testrelay.report import build
from testrelay.results.model import Result, ResultFile, TestCase, TestRun, TestSuite
from testrelay.texts import FittedTexts

TOKEN = "glpat-NotARealToken-0123456789"
JOB_TOKEN = "glcbt-64_NotARealJobToken0123"
SHA = "0123456789abcdef0123456789abcdef01234567"
PROJECT = "/api/v4/projects/acme%2Fweb%2Ffrontend"
NOTES = f"{PROJECT}/merge_requests/42/notes"
STATUS = f"{PROJECT}/statuses/{SHA}"
MARK = sticky.marker("default")


def report_with(failed: int = 1, passed: int = 3):
    cases = [TestCase(name=f"test_bad_{i}", classname="tests.test_web", suite="web", result=Result.FAILED,
                      message=f"AssertionError: case {i}") for i in range(failed)]
    cases += [TestCase(name=f"test_ok_{i}", classname="tests.test_web", suite="web") for i in range(passed)]
    return build(TestRun.of([ResultFile.of("junit.xml", "junit", [TestSuite.of("web", cases)])]))


class Notes:
    """A merge request's notes: listed 100 a page with a Link to the next, created, edited."""

    def __init__(self, server: ScriptedServer, others: int = 0, per_page: int = 100) -> None:
        self.server = server
        self.per_page = per_page
        self.notes = [{"id": i + 1, "body": f"review remark {i}", "system": i % 7 == 0} for i in range(others)]
        self.fail_post_after_storing = 0
        server.on("GET", NOTES, self.list)
        server.on("POST", NOTES, self.create)

    def list(self, seen: Seen) -> Answer:
        query = parse_qs(urlsplit(seen.path).query)
        page = int(query.get("page", ["1"])[0])
        start = (page - 1) * self.per_page
        headers = {}
        if start + self.per_page < len(self.notes):
            headers["Link"] = f'<{self.server.url}{NOTES}?page={page + 1}&per_page={self.per_page}>; rel="next"'
        return Answer(200, self.notes[start:start + self.per_page], headers)

    def create(self, seen: Seen) -> Answer:
        note = {"id": 10_000 + len(self.notes), "body": seen.json()["body"], "system": False}
        self.notes.append(note)
        self.server.on("PUT", f"{NOTES}/{note['id']}", self.edit)
        if self.fail_post_after_storing:
            self.fail_post_after_storing -= 1
            return Answer(502, {"message": "502 Bad Gateway"})
        return Answer(201, note)

    def add_ours(self, body: str, at: int) -> dict:
        note = {"id": 5_000, "body": body, "system": False}
        self.notes.insert(at, note)
        self.server.on("PUT", f"{NOTES}/{note['id']}", self.edit)
        return note

    def edit(self, seen: Seen) -> Answer:
        note_id = int(seen.path.split("?")[0].rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == note_id)
        note["body"] = seen.json()["body"]
        return Answer(200, note)

    def ours(self) -> list[dict]:
        return [n for n in self.notes if MARK in n["body"]]


def client(server, waits, **config) -> GitLabClient:
    async def sleep(seconds):
        waits.append(seconds)

    base = {"token": TOKEN, "api_url": server.url + "/api/v4", "repository": "acme/web/frontend", "head_sha": SHA,
            "sleep": sleep, "retry": RetryPolicy(attempts=3)}
    return GitLabClient(**{**base, **config})


def ctx(server, **changes) -> CIContext:
    fields = dict(provider="gitlab", api_url=server.url + "/api/v4", server_url="https://gitlab.example.com",
                  repository="acme/web/frontend", head_sha=SHA, pr_number="42", run_id="777",
                  job_url="https://gitlab.example.com/acme/web/frontend/-/jobs/9", branch="feature",
                  token=TOKEN, token_kind="private")
    return CIContext(**{**fields, **changes})


def requests(server, method: str, path: str) -> list[Seen]:
    return [s for s in server.seen if s.method == method and s.path.split("?")[0] == path]


def assert_one_line_without_token(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and TOKEN not in text and JOB_TOKEN not in text
    return text


# the sticky note


async def test_the_note_is_found_on_a_later_page_and_edited_in_place(server, waits):
    notes = Notes(server, others=230)
    ours = notes.add_ours(f"old report\n{MARK}", at=160)
    async with client(server, waits) as gl:
        assert await gl.add_pr_comment("42", f"### 2 failed\n{MARK}")
    assert len(requests(server, "GET", NOTES)) == 2  # stopped on page 2, where the note is
    assert [s.path for s in server.seen if s.method != "GET"] == [f"{NOTES}/{ours['id']}"]
    assert notes.ours() == [ours] and ours["body"] == f"### 2 failed\n{MARK}"
    assert parse_qs(urlsplit(server.seen[0].path).query)["sort"] == ["asc"]


async def test_rerunning_never_duplicates_the_note(server, waits):
    notes = Notes(server, others=3)
    for body in ("first run", "second run", "second run"):
        async with client(server, waits) as gl:
            await gl.add_pr_comment("42", body)
    assert len(notes.ours()) == 1 and notes.ours()[0]["body"].startswith("second run")
    assert [s.method for s in server.seen if s.method != "GET"] == ["POST", "PUT"]  # the same text: no edit


async def test_a_system_note_quoting_the_marker_is_not_taken_for_ours(server, waits):
    notes = Notes(server)
    notes.notes.append({"id": 1, "body": f"changed the description {MARK}", "system": True})
    async with client(server, waits) as gl:
        await gl.add_pr_comment("42", "report")
    assert len(requests(server, "POST", NOTES)) == 1


async def test_a_create_that_failed_after_storing_is_not_posted_twice(server, waits):
    notes = Notes(server, others=2)
    notes.fail_post_after_storing = 1
    async with client(server, waits) as gl:
        assert await gl.add_pr_comment("42", "report")
    assert len(requests(server, "POST", NOTES)) == 1
    assert len(notes.ours()) == 1 and gl.last_note["id"] == notes.ours()[0]["id"]


async def test_a_create_that_failed_before_storing_is_tried_again(server, waits):
    notes = Notes(server)
    calls = {"n": 0}

    def flaky_post(seen):
        calls["n"] += 1
        return Answer(503, {"message": "try later"}) if calls["n"] == 1 else notes.create(seen)

    server.on("POST", NOTES, flaky_post)
    async with client(server, waits) as gl:
        assert await gl.add_pr_comment("42", "report")
    assert calls["n"] == 2 and len(notes.ours()) == 1
    assert len(requests(server, "GET", NOTES)) == 2  # looked again before the second try


@pytest.mark.parametrize(("mode", "failed", "existing", "expected"), [
    ("always", 0, False, "POST"),
    ("off", 3, False, None),
    ("failures", 0, False, None),
    ("failures", 2, False, "POST"),
    ("failures", 0, True, "PUT"),  # tests pass again: the earlier failure note is corrected, not left standing
    ("changes", 1, False, "POST"),  # no baseline: failing counts as a change
    ("changes", 0, False, None),
])
async def test_comment_modes(server, waits, mode, failed, existing, expected):
    notes = Notes(server, others=1)
    if existing:
        notes.add_ours(f"### 2 failed\n{MARK}", at=1)
    server.on("POST", STATUS, Answer(201, {"id": 5, "status": "success"}))
    report = report_with(failed=failed)
    async with client(server, waits, comment_mode=mode) as gl:
        outcome = await gl.publish(report, FittedTexts(report, provider="gitlab"), ctx(server))
    writes = [s.method for s in server.seen if s.method in ("POST", "PUT") and "/notes" in s.path]
    assert writes == ([expected] if expected else [])
    assert outcome.ok and len(requests(server, "POST", STATUS)) == 1
    assert ("note" in outcome.ids) == (expected is not None)


async def test_publish_sends_the_final_status_and_the_note_together(server, waits):
    notes = Notes(server)
    server.on("GET", NOTES, lambda seen: Answer(200, notes.notes, delay=0.3))
    server.on("POST", STATUS, Answer(201, {"id": 71, "status": "failed"}, delay=0.3))
    report = report_with(failed=2)
    texts = FittedTexts(report, provider="gitlab")
    texts.text("status"), texts.text("gitlab-note")  # rendered now, so only the requests are timed
    async with client(server, waits, check_name="web tests") as gl:
        started = time.monotonic()
        outcome = await gl.publish(report, texts, ctx(server))
        elapsed = time.monotonic() - started
    assert elapsed < 0.55  # two slow answers of 0.3 s each, waited for side by side
    body = requests(server, "POST", STATUS)[0].json()
    assert body == {"state": "failed", "name": "web tests", "description": texts.text("status"),
                    "target_url": "https://gitlab.example.com/acme/web/frontend/-/jobs/9", "pipeline_id": 777}
    assert outcome.ids == {"commit_status": "71", "note": "10000"}
    assert outcome.links["merge_request_note"] == \
        "https://gitlab.example.com/acme/web/frontend/-/merge_requests/42#note_10000"


async def test_publish_without_a_merge_request_sets_only_the_status(server, waits):
    server.on("POST", STATUS, Answer(201, {"id": 1, "status": "success"}))
    report = report_with(failed=0)
    async with client(server, waits) as gl:
        outcome = await gl.publish(report, FittedTexts(report, provider="gitlab"), ctx(server, pr_number=None))
    assert [s.method for s in server.seen] == ["POST"] and server.seen[0].json()["state"] == "success"
    assert outcome.ok


async def test_a_fork_merge_request_note_goes_to_the_target_project(server, waits):
    server.on("POST", f"/api/v4/projects/900/statuses/{SHA}", Answer(201, {"id": 1}))
    server.on("GET", "/api/v4/projects/100/merge_requests/42/notes", Answer(200, []))
    server.on("POST", "/api/v4/projects/100/merge_requests/42/notes", Answer(201, {"id": 3, "body": "x"}))
    report = report_with()
    async with client(server, waits) as gl:
        outcome = await gl.publish(report, FittedTexts(report, provider="gitlab"),
                                   ctx(server, project_id="900", merge_request_project_id="100", is_fork=True))
    assert sorted(s.method + " " + s.path.split("?")[0] for s in server.seen) == [
        "GET /api/v4/projects/100/merge_requests/42/notes",
        "POST /api/v4/projects/100/merge_requests/42/notes",
        f"POST /api/v4/projects/900/statuses/{SHA}",
    ]
    assert "merge_request_note" not in outcome.links  # the target project's path is not known here


# the job token


async def test_the_job_token_sends_nothing_it_cannot_and_says_which_token(server, waits):
    report = report_with()
    async with client(server, waits, token=JOB_TOKEN) as gl:
        outcome = await gl.publish(report, FittedTexts(report, provider="gitlab"),
                                   ctx(server, token=JOB_TOKEN, token_kind="job"))
        with pytest.raises(AuthError) as note_err:
            await gl.add_pr_comment("42", "x")
        with pytest.raises(AuthError) as status_err:
            await gl.set_build_status("success", "ok")
    assert server.seen == []
    assert not outcome.ok and outcome.notices == (JOB_TOKEN_NOTICE,)
    for err in (note_err.value, status_err.value):
        text = assert_one_line_without_token(err)
        assert "CI_JOB_TOKEN cannot" in text and "GITLAB_TOKEN" in text and "api scope" in text


async def test_the_job_token_still_uploads_packages_with_its_own_header(server, waits, tmp_path):
    path = f"{PROJECT}/packages/generic/testrelay/777/junit.xml"
    server.on("PUT", path, Answer(201, {"message": "201 Created"}))
    file = tmp_path / "junit.xml"
    file.write_text("<testsuite/>")
    async with client(server, waits, token=JOB_TOKEN, token_kind="job", pipeline_id="777") as gl:
        assert await gl.upload_artifact("run-1", str(file), "junit.xml")
    seen = server.seen[0]
    assert seen.headers["job-token"] == JOB_TOKEN and "private-token" not in seen.headers
    assert seen.body == b"<testsuite/>"


async def test_a_403_with_a_project_token_says_which_token_is_needed(server, waits):
    Notes(server)
    server.on("POST", NOTES, Answer(403, {"message": "403 Forbidden"}))
    async with client(server, waits) as gl:
        with pytest.raises(AuthError) as err:
            await gl.add_pr_comment("42", "x")
    text = assert_one_line_without_token(err.value)
    assert text.startswith(f"GitLab POST {NOTES}: 403") and "api scope" in text and "GITLAB_TOKEN" in text


# commit statuses


async def test_a_status_already_in_the_wanted_state_counts_as_set(server, waits):
    server.on("POST", STATUS, Answer(400, {"message": "Cannot transition status via :run from :running "
                                                      "(Reason(s): Status cannot transition via \"run\")"}))
    async with client(server, waits) as gl:
        run = await gl.create_test_run({"name": "unit"})
    assert run["status"] == "running" and len(server.seen) == 1


async def test_any_other_refused_transition_is_an_error(server, waits):
    server.on("POST", STATUS, Answer(400, {"message": "Cannot transition status via :enqueue from :running"}))
    async with client(server, waits) as gl:
        with pytest.raises(ApiError, match=r"400 .*Cannot transition status via :enqueue from :running"):
            await gl.set_build_status("pending", "again")


async def test_status_read_back_takes_the_newest_of_that_name(server, waits):
    path = f"{PROJECT}/repository/commits/{SHA}/statuses"
    server.on("GET", path, Answer(200, [
        {"id": 3, "name": "unit", "status": "success", "target_url": "https://x/3"},
        {"id": 9, "name": "unit", "status": "failed", "target_url": "https://x/9"},
        {"id": 12, "name": "lint", "status": "running"},
    ]))
    async with client(server, waits) as gl:
        status = await gl.get_test_run_status(f"{SHA}:unit")
    assert status["status"] == "failed" and status["status_id"] == 9 and status["url"] == "https://x/9"
    assert parse_qs(urlsplit(server.seen[0].path).query)["name"] == ["unit"]


async def test_update_without_a_pipeline_sends_the_ref_instead(server, waits):
    server.on("POST", STATUS, Answer(201, {"id": 1}))
    async with client(server, waits, ref="main") as gl:
        await gl.update_test_run(SHA, {"status": "completed", "conclusion": "failure"})
        await gl.update_test_run(SHA, report_with(failed=0))
    first, second = (s.json() for s in server.seen)
    assert first == {"state": "failed", "name": "Test results", "ref": "main"}
    assert second["state"] == "success" and second["description"].startswith("3 passed")


# errors


async def test_401_is_one_line_with_advice_and_no_token(server, waits):
    server.on("POST", STATUS, Answer(401, {"message": f"401 Unauthorized {TOKEN}"}))
    async with client(server, waits) as gl:
        with pytest.raises(AuthError) as err:
            await gl.set_build_status("success", "ok")
    text = assert_one_line_without_token(err.value)
    assert "401" in text and "GITLAB_TOKEN" in text and len(server.seen) == 1


async def test_404_for_the_merge_request_names_the_project_to_check(server, waits):
    server.on("GET", NOTES, Answer(404, {"message": "404 Not found"}))
    async with client(server, waits) as gl:
        with pytest.raises(ApiError) as err:
            await gl.add_pr_comment("42", "x")
    text = assert_one_line_without_token(err.value)
    assert "404" in text and "CI_MERGE_REQUEST_PROJECT_ID" in text and "!42" in text


@pytest.mark.parametrize("status", [400, 422])
async def test_a_refused_note_says_what_the_server_said(server, waits, status):
    Notes(server)
    server.on("POST", NOTES, Answer(status, {"message": {"note": ["is too long (maximum is 1000000 characters)"]}}))
    async with client(server, waits) as gl:
        with pytest.raises(ApiError) as err:
            await gl.add_pr_comment("42", "x")
    text = assert_one_line_without_token(err.value)
    assert f"{status}" in text and "is too long" in text and len(requests(server, "POST", NOTES)) == 1


async def test_a_note_over_the_limit_is_refused_before_sending(server, waits):
    async with client(server, waits) as gl:
        with pytest.raises(PublishError, match="over GitLab's 1,000,000"):
            await gl.add_pr_comment("42", "x" * 1_000_001)
    assert server.seen == []


async def test_429_waits_as_long_as_retry_after_says(server, waits):
    server.on("POST", STATUS, Answer(429, {"message": "Retry later"}, {"Retry-After": "7"}), Answer(201, {"id": 4}))
    async with client(server, waits) as gl:
        assert await gl.set_build_status("running", "tests running")
    assert waits == [7.0] and len(server.seen) == 2


async def test_500_then_success(server, waits, tmp_path):
    path = f"{PROJECT}/packages/generic/testrelay/run-1/report.md"
    server.on("PUT", path, Answer(500, {"message": "500 Internal Server Error"}), Answer(201, {}))
    file = tmp_path / "report.md"
    file.write_text("# report")
    async with client(server, waits) as gl:
        assert await gl.upload_artifact("run-1", str(file), "report.md")
    assert len(server.seen) == 2 and len(waits) == 1
    assert gl.last_upload_url == server.url + path


async def test_timeout_is_retried_then_reported(server, waits):
    server.on("POST", STATUS, Answer(201, {"id": 1}, delay=0.4))
    async with client(server, waits, timeout=0.1, retry=RetryPolicy(attempts=2)) as gl:
        with pytest.raises(ApiError) as err:
            await gl.set_build_status("success", "ok")
    text = assert_one_line_without_token(err.value)
    assert "timed out after 2 tries" in text


async def test_a_failed_note_fails_the_publish_after_the_status_was_set(server, waits):
    server.on("POST", STATUS, Answer(201, {"id": 1}))
    server.on("GET", NOTES, Answer(403, {"message": "403 Forbidden"}))
    report = report_with()
    async with client(server, waits) as gl:
        with pytest.raises(AuthError, match="merge-request notes"):
            await gl.publish(report, FittedTexts(report, provider="gitlab"), ctx(server))
    assert len(requests(server, "POST", STATUS)) == 1


# configuration


async def test_initialize_names_what_is_missing():
    with pytest.raises(ConfigError, match="token: no GitLab token") as err:
        await GitLabClient(repository="a/b").initialize({})
    assert "GITLAB_TOKEN" in str(err.value)
    with pytest.raises(ConfigError, match="repository: no GitLab project") as err:
        await GitLabClient(token=TOKEN).initialize({})
    assert "CI_PROJECT_ID" in str(err.value)
    assert await GitLabClient(token=TOKEN).initialize({"project_id": "12"})


def test_api_url_defaults_to_gitlab_com_and_self_managed_overrides():
    assert GitLabClient(token=TOKEN).api_url == "https://gitlab.com/api/v4"
    self_managed = GitLabClient(token=TOKEN, api_url="https://git.example.org/gitlab/api/v4/")
    assert self_managed.api_url == "https://git.example.org/gitlab/api/v4"
    assert self_managed.server_url == "https://git.example.org/gitlab"


async def test_a_status_needs_a_commit(server, waits):
    async with client(server, waits, head_sha=None) as gl:
        with pytest.raises(ConfigError, match="head_sha"):
            await gl.set_build_status("success", "ok")
    assert server.seen == []


async def test_the_merge_request_iid_must_be_a_number(server, waits):
    async with client(server, waits) as gl:
        with pytest.raises(ConfigError, match="pr_number"):
            await gl.add_pr_comment("feature-branch", "x")


async def test_a_missing_artifact_file_is_a_clear_error(server, waits, tmp_path):
    async with client(server, waits) as gl:
        with pytest.raises(PublishError, match="cannot read"):
            await gl.upload_artifact("run", str(tmp_path / "absent.xml"), "absent.xml")
    assert server.seen == []



async def test_a_pipeline_id_that_is_no_number_is_refused(server, waits):
    async with client(server, waits, pipeline_id="latest") as gl:
        with pytest.raises(ConfigError, match="pipeline_id: 'latest'"):
            await gl.set_build_status("success", "ok")
    assert server.seen == []
