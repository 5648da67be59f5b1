"""The Jenkins adapter's behaviour against a scripted server: folder jobs, the crumb, the description
written in place on every run, and each error path with one clear line and no secret in it."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import pytest

from support.scripted_server import Answer
from testrelay.ci import CIContext
from testrelay.errors import AuthError, ConfigError, PublishError
from testrelay.log import SECRETS
from testrelay.providers.http import ApiError, RetryPolicy
from testrelay.providers.jenkins import JenkinsClient, description_for, job_path, normalise_job_path

USER = "ci-bot"
TOKEN = "11f0e0d0c0b0a09080706050403020100-fake"
CREDENTIAL = base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
JOB = "/job/my%20folder/job/my-job"
CRUMB = {"_class": "hudson.security.csrf.DefaultCrumbIssuer", "crumb": "c0ffee", "crumbRequestField": "Jenkins-Crumb"}


class Texts:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def text(self, destination: str) -> str:
        self.asked.append(destination)
        return "<b>❌ Tests: 1 failed · 9 passed</b>"


def build_json(number: int, building: bool = False, result: str | None = "UNSTABLE") -> dict:
    return {"_class": "org.jenkinsci.plugins.workflow.job.WorkflowRun", "number": number, "building": building,
            "result": result, "fullDisplayName": f"my folder » my-job #{number}", "description": None,
            "url": f"https://ci.example.net/job/my%20folder/job/my-job/{number}/"}


def client(server, waits, **config) -> JenkinsClient:
    async def sleep(seconds):
        waits.append(seconds)

    options = {"api_url": server.url, "username": USER, "token": TOKEN, "job": "my folder/my-job",
               "build_number": "5", "sleep": sleep, **config}
    return JenkinsClient(**options)


def posts(server):
    return [s for s in server.seen if s.method == "POST"]


def form(seen) -> dict[str, list[str]]:
    return parse_qs(seen.body.decode())


# -- job paths ----------------------------------------------------------------------------------


def test_job_names_become_folder_paths_encoded_per_segment():
    assert job_path("my folder/my-job") == "job/my%20folder/job/my-job"
    assert job_path("nightly-tests") == "job/nightly-tests"
    # JOB_NAME of a multibranch branch "feature/x" holds %2F; the URL encodes that once more.
    assert job_path("team/payments/feature%2Fx") == "job/team/job/payments/job/feature%252Fx"
    assert normalise_job_path("/job/a/job/feature%252Fx/") == "job/a/job/feature%252Fx"
    for bad in ("a/b", "job/a/b", "job//job/b"):
        with pytest.raises(ConfigError, match="not a Jenkins job path"):
            normalise_job_path(bad)


async def test_requests_go_below_a_jenkins_context_path(server, waits):
    server.on("GET", f"/jenkins{JOB}/5/api/json", Answer(200, build_json(5)))
    async with client(server, waits, api_url=server.url + "/jenkins/") as jenkins:
        run = await jenkins.create_test_run({})
    assert run["id"] == "5" and run["conclusion"] == "failure" and run["status"] == "completed"
    assert run["url"] == "https://ci.example.net/job/my%20folder/job/my-job/5/"
    assert server.seen[0].headers["authorization"] == f"Basic {CREDENTIAL}"


# -- the crumb and the description --------------------------------------------------------------


async def test_the_crumb_is_fetched_once_and_sent_on_every_post(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(302, headers={"Location": f"{server.url}{JOB}/5/"}))
    async with client(server, waits) as jenkins:
        await jenkins.initialize({})
        assert await jenkins.set_build_status("pending", "tests running")
        assert await jenkins.update_test_run("5", {"description": "<b>done</b>"})
    assert [s.path for s in server.seen].count("/crumbIssuer/api/json") == 1
    first, second = posts(server)
    assert first.headers["jenkins-crumb"] == second.headers["jenkins-crumb"] == "c0ffee"
    assert form(first) == {"description": ["⏳ <b>pending</b>: tests running"]}
    assert form(second) == {"description": ["<b>done</b>"]}


async def test_a_disabled_crumb_issuer_means_posting_without_one(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(404, b"Not Found", {"Content-Type": "text/html"}))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(302, headers={"Location": f"{JOB}/5/"}))
    async with client(server, waits) as jenkins:
        assert await jenkins.initialize({})
        assert await jenkins.update_test_run("5", {"status": "completed", "summary": {"total_tasks": 3}})
    [post] = posts(server)
    assert "jenkins-crumb" not in post.headers
    assert form(post)["description"] == ["<b>Tests: completed</b> · 3 tests"]


async def test_rerunning_publish_rewrites_the_same_description_and_posts_nothing_else(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(302, headers={"Location": f"{JOB}/5/"}))
    ctx = CIContext(provider="jenkins", job_path=JOB.lstrip("/"), run_id="5", pr_number="9",
                    run_url="https://ci.example.net/job/my%20folder/job/my-job/5/")
    for _ in range(2):
        async with JenkinsClient(api_url=server.url, username=USER, token=TOKEN) as jenkins:
            await jenkins.initialize({})
            outcome = await jenkins.publish(None, Texts(), ctx)
        assert outcome.ids == {"build": "5"} and "PR #9" in outcome.notices[0]
    assert [(s.method, s.path) for s in posts(server)] == [("POST", f"{JOB}/5/submitDescription")] * 2
    assert form(posts(server)[0]) == form(posts(server)[1])


async def test_comment_mode_off_leaves_out_the_notice_and_branch_builds_have_none(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(302, headers={"Location": f"{JOB}/5/"}))
    for ctx, mode in ((CIContext(provider="jenkins", pr_number="9"), "off"), (CIContext(provider="jenkins"), "always")):
        async with client(server, waits, comment_mode=mode) as jenkins:
            outcome = await jenkins.publish(None, Texts(), ctx)
        assert outcome.notices == ()
        assert outcome.links == {"build": f"{server.url}{JOB}/5/"}


async def test_a_redirect_to_the_login_page_is_not_taken_for_success(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(404))
    server.on("POST", f"{JOB}/5/submitDescription",
              Answer(302, headers={"Location": f"{server.url}/securityRealm/commenceLogin?from=%2Fjob"}))
    async with client(server, waits) as jenkins:
        with pytest.raises(AuthError, match=r"login page.*not saved"):
            await jenkins.set_build_status("success", "all green")


async def test_status_reads_the_build_and_a_missing_test_report_leaves_totals_out(server, waits):
    server.on("GET", f"{JOB}/5/api/json", Answer(200, build_json(5, building=True, result=None)))
    server.on("GET", f"{JOB}/5/testReport/api/json", Answer(404, b"Not Found", {"Content-Type": "text/html"}))
    server.on("GET", f"{JOB}/6/api/json", Answer(200, build_json(6, result="SUCCESS")))
    server.on("GET", f"{JOB}/6/testReport/api/json",
              Answer(200, {"failCount": 0, "passCount": 40, "skipCount": 2, "duration": 3.5, "empty": False}))
    async with client(server, waits) as jenkins:
        running = await jenkins.get_test_run_status("5")
        done = await jenkins.get_test_run_status("6")
    assert running["status"] == "in_progress" and running["conclusion"] is None and running["totals"] is None
    assert done["conclusion"] == "success"
    assert done["totals"] == {"tests": 42, "passed": 40, "failed": 0, "skipped": 2, "duration": 3.5}
    assert "tree=failCount" in server.seen[-1].path


async def test_build_ids_are_checked_before_any_request(server, waits):
    async with client(server, waits) as jenkins:
        with pytest.raises(PublishError, match=r"'\.\./\.\./script': not a build number"):
            await jenkins.get_test_run_status("../../script")
    assert server.seen == []


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize(("missing", "says"), [
    ("api_url", "JENKINS_URL"), ("token", "JENKINS_API_TOKEN"), ("username", "JENKINS_USER"),
])
async def test_missing_options_name_what_to_set(missing, says):
    options = {"api_url": "http://127.0.0.1:9", "username": USER, "token": TOKEN, missing: None}
    with pytest.raises(ConfigError) as err:
        await JenkinsClient(**options).initialize({})
    assert missing in str(err.value) and says in str(err.value) and TOKEN not in str(err.value)


async def test_no_job_or_no_build_number_is_a_config_error(server, waits):
    async with client(server, waits, job=None) as jenkins:
        with pytest.raises(ConfigError, match="JOB_NAME"):
            await jenkins.create_test_run({})
    async with client(server, waits, build_number=None) as jenkins:
        with pytest.raises(ConfigError, match="BUILD_NUMBER"):
            await jenkins.set_build_status("success", "ok")
    assert server.seen == []


def test_the_basic_credential_is_registered_as_a_secret(server, waits):
    jenkins = client(server, waits)
    assert jenkins.api is not None
    assert SECRETS.redact(f"Authorization: Basic {CREDENTIAL}") == "Authorization: ***"
    assert TOKEN not in SECRETS.redact(f"token={TOKEN}")


def test_a_summary_dict_becomes_escaped_html():
    text = description_for({"status": "failure", "summary": {
        "total_tasks": 1204, "task_statuses": {"passed": 1200, "<failed>": 4}, "duration": 61.25}})
    assert text == "❌ <b>Tests: failure</b> · 1,204 tests · 1,200 passed, 4 &lt;failed&gt; · 61.2 s"


# -- error paths --------------------------------------------------------------------------------


async def test_401_says_how_jenkins_authenticates_and_hides_the_token(server, waits):
    server.on("GET", "/crumbIssuer/api/json",
              Answer(401, f"Invalid password/token for user: {USER} ({TOKEN}) Basic {CREDENTIAL}".encode(),
                     {"Content-Type": "text/plain"}))
    async with client(server, waits) as jenkins:
        with pytest.raises(AuthError) as err:
            await jenkins.initialize({})
    message = str(err.value)
    assert message.startswith("Jenkins GET /crumbIssuer/api/json: 401")
    assert "JENKINS_USER and JENKINS_API_TOKEN" in message and "Bearer" in message
    assert TOKEN not in message and CREDENTIAL not in message and "\n" not in message


async def test_403_names_the_permission(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription",
              Answer(403, b"ci-bot is missing the Run/Update permission", {"Content-Type": "text/plain"}))
    async with client(server, waits) as jenkins:
        with pytest.raises(AuthError) as err:
            await jenkins.update_test_run("5", {"status": "completed"})
    assert "403" in str(err.value) and "Run/Update" in str(err.value) and TOKEN not in str(err.value)
    assert len(posts(server)) == 1  # not retried


async def test_404_points_at_the_job_path(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    async with client(server, waits) as jenkins:
        with pytest.raises(ApiError) as err:
            await jenkins.update_test_run("5", {"status": "completed"})
    assert f"POST {JOB}/5/submitDescription: 404" in str(err.value)
    assert "check the job path 'job/my%20folder/job/my-job'" in str(err.value)


async def test_a_refused_description_says_so_in_one_line(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription",
              Answer(413, b"Form too large: 300000 > 200000\nat org.eclipse.jetty", {"Content-Type": "text/plain"}))
    async with client(server, waits) as jenkins:
        with pytest.raises(ApiError) as err:
            await jenkins.update_test_run("5", {"description": "x" * 300_000})
    assert "413" in str(err.value) and "Form too large" in str(err.value) and "\n" not in str(err.value)


async def test_429_waits_for_retry_after_then_succeeds(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(429, b"", {"Retry-After": "7"}), Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(302, headers={"Location": f"{JOB}/5/"}))
    async with client(server, waits) as jenkins:
        assert await jenkins.set_build_status("success", "ok")
    assert waits == [7.0] and len(posts(server)) == 1


async def test_500_then_success_sets_the_description_once(server, waits):
    server.on("GET", "/crumbIssuer/api/json", Answer(200, CRUMB))
    server.on("POST", f"{JOB}/5/submitDescription", Answer(500, b"oops", {"Content-Type": "text/plain"}),
              Answer(302, headers={"Location": f"{JOB}/5/"}))
    async with client(server, waits) as jenkins:
        assert await jenkins.update_test_run("5", {"description": "<b>ok</b>"})
    assert len(posts(server)) == 2 and len(waits) == 1
    assert form(posts(server)[0]) == form(posts(server)[1])


async def test_a_timeout_is_retried_then_reported(server, waits):
    server.on("GET", f"{JOB}/5/api/json", Answer(200, build_json(5), delay=0.4))
    async with client(server, waits, timeout=0.1, retry=RetryPolicy(attempts=2)) as jenkins:
        with pytest.raises(ApiError, match="timed out after 2 tries") as err:
            await jenkins.get_test_run_status("5")
    assert TOKEN not in str(err.value)
