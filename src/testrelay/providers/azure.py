"""Azure DevOps: a Test Plans test run with every result, a pull-request status and a sticky PR thread.

Where things go, all under `{collection}{project}/_apis/...` with `api-version=7.1`:
- test run: `POST test/runs` (InProgress, linked to the build), results in batches of 1,000 on
  `POST test/Runs/{id}/results`, then `PATCH test/runs/{id}` to Completed;
- build status: on PR builds of Azure Repos a PR status (`pullRequests/{pr}/statuses`, context
  `testrelay/<check name>`), otherwise build tags (`tests-passed` / `tests-failed`);
- comment: one thread per PR and comment key, found again by the marker in its first comment and
  edited in place; it is closed while the tests pass and active while they fail;
- artifacts: test run attachments (base64 in the JSON body).

Configuration (keyword arguments, `initialize(config)`, or the CI context in `publish`): `token`,
`username`, `auth`, `api_url` (the collection URL, e.g. https://dev.azure.com/ORG/; it overrides
`SYSTEM_COLLECTIONURI`), `project`, `repository_id`, `repository`, `repository_provider`, `build_id`,
`pr_number`, `run_url`, `check_name`, `comment_mode`, `comment_key`, `cases`. How the token is sent is
described in azure_auth.py. PR builds of GitHub repositories get no PR status or thread: those pull
requests live on GitHub, which Azure DevOps' Git API cannot write to.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
from collections.abc import Awaitable, Collection, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from ..budget import DESTINATIONS
from ..errors import ConfigError, PublishError
from . import sticky
from .azure_auth import Credentials, credentials, refused_hint
from .azure_results import batches, case_result, from_dict
from .azure_threads import OurThread, find_thread
from .base import CIProvider, Outcome, Texts
from .http import ApiAuthError, ApiClient, client_options, find_or_create

logger = logging.getLogger("testrelay.azure")

SERVICE = "Azure DevOps"
API_VERSION = "7.1"
COMMENT_LIMIT = DESTINATIONS["azure-comment"].size  # 150,000 characters
# The test management service refuses a file content over 104,857,600 bytes (100 MiB); base64 makes a
# file 4/3 larger, so 75 MiB is the largest file that fits. Azure's own agent checks the same bound.
ATTACHMENT_MAX_BYTES = 78_643_200
PR_STATES = {"success": "succeeded", "failure": "failed", "error": "error", "pending": "pending"}
BUILD_TAGS = {"success": "tests-passed", "failure": "tests-failed", "error": "tests-failed",
              "pending": "tests-pending"}
RUN_STATES = {
    "completed": "Completed", "success": "Completed", "failure": "Completed", "failed": "Completed",
    "passed": "Completed", "neutral": "Completed",
    "in_progress": "InProgress", "inprogress": "InProgress", "running": "InProgress", "pending": "InProgress",
    "aborted": "Aborted", "cancelled": "Aborted", "canceled": "Aborted",
}
GITHUB_HOSTED = {"github", "githubenterprise"}
MAX_PAGES = 50


def _summary_comment(data: Any) -> str:
    """One line for the run's comment, from a Report or a `{"summary": {...}}` dict."""
    totals = getattr(data, "totals", None)
    if totals is not None:
        return (f"{totals.tests:,} tests: {totals.passed:,} passed, {totals.failed:,} failed, "
                f"{totals.errors:,} errors, {totals.skipped:,} skipped")
    summary = data.get("summary") if isinstance(data, dict) else None
    if not isinstance(summary, dict):
        return ""
    total = summary.get("total_tasks")
    text = f"{total:,} tests" if isinstance(total, int) else ""
    statuses = summary.get("task_statuses")
    if isinstance(statuses, dict) and statuses:
        counts = ", ".join(f"{count:,} {name}" for name, count in statuses.items())
        text = f"{text}: {counts}" if text else counts
    if summary.get("duration") is not None:
        took = f"{float(summary['duration']):,.1f} s"
        text = f"{text} · {took}" if text else took
    return text


class AzureClient(CIProvider):
    """Azure DevOps Services / Server through its REST API 7.1."""

    name = "azure"

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._api: ApiClient | None = None
        self._sent_before = 0  # requests of clients already closed
        # The CI run id (BUILD_BUILDID) the artifact store files things under -> the test run made in publish.
        self._run_ids: dict[str, str] = {}
        self.last_upload_url: str | None = None
        self._credentials: Credentials | None = None
        self._cases: Collection[Any] | None = None
        if config.get("cases") is not None:
            self.set_cases(config["cases"])

    # -- configuration -------------------------------------------------------------------------------

    async def initialize(self, config: dict[str, Any]) -> bool:
        self.config.update({k: v for k, v in config.items() if v is not None})
        if self.config.get("cases") is not None and self._cases is None:
            self.set_cases(self.config["cases"])
        if not self.config.get("token"):
            raise ConfigError("token: no Azure DevOps token",
                              hint="map the build token into the step (env: SYSTEM_ACCESSTOKEN: "
                                   "$(System.AccessToken)) or set token to a personal access token")
        if not self._collection():
            raise ConfigError("api_url: no Azure DevOps collection URL",
                              hint="Azure Pipelines sets SYSTEM_COLLECTIONURI; elsewhere set api_url to "
                                   "https://dev.azure.com/ORGANIZATION/")
        credentials(self.config["token"], username=self.config.get("username"), mode=self.config.get("auth"))
        return True

    def set_cases(self, cases: Iterable[Any]) -> None:
        """The test cases to publish as results (TestCase objects or plain dicts); publish reads them."""
        self._cases = cases if isinstance(cases, Collection) else list(cases)

    def _opt(self, name: str) -> str | None:
        value = self.config.get(name)
        return str(value) if value not in (None, "") else None

    def _collection(self) -> str | None:
        url = self._opt("api_url") or self._opt("collection_url")
        return url.rstrip("/") + "/" if url else None

    def _project(self) -> str:
        project = self._opt("project") or self._opt("team_project")
        if not project:
            raise ConfigError("project: no Azure DevOps team project",
                              hint="Azure Pipelines sets SYSTEM_TEAMPROJECT; elsewhere set project")
        return project

    def _project_url(self) -> str:
        return f"{self._collection()}{quote(self._project(), safe='')}/"

    def bind(self, ctx: Any) -> None:
        """Take what the pipeline environment says, where the configuration left a value unset."""
        fields = {
            "collection_url": "collection_url", "project": "team_project", "repository_id": "repository_id",
            "repository": "repository", "repository_provider": "repository_provider", "build_id": "build_id",
            "pr_number": "pr_number", "run_url": "run_url", "token_kind": "token_kind", "run_id": "run_id",
        }
        for option, attribute in fields.items():
            value = getattr(ctx, attribute, None)
            if value is not None and self.config.get(option) in (None, ""):
                self.config[option] = value

    def _client(self) -> ApiClient:
        if self._api is None:
            token = self.config.get("token")
            if not token:
                raise ConfigError("token: no Azure DevOps token", hint="set token, or call initialize() first")
            self._credentials = credentials(str(token), username=self._opt("username"), mode=self._opt("auth"),
                                            token_kind=self._opt("token_kind"))
            if not self._collection():
                raise ConfigError("api_url: no Azure DevOps collection URL",
                                  hint="set api_url to https://dev.azure.com/ORGANIZATION/")
            self._api = ApiClient(SERVICE, self._project_url(), headers=self._credentials.headers,
                                  auth=self._credentials.basic, params={"api-version": API_VERSION},
                                  secrets=[str(token)], **client_options(self.config))
        return self._api

    @property
    def requests_sent(self) -> int:
        """Requests sent so far, retries included."""
        return self._sent_before + (self._api.requests if self._api is not None else 0)

    async def close(self) -> None:
        if self._api is not None:
            self._sent_before += self._api.requests
            await self._api.close()
            self._api = None

    async def _request(self, area: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        api = self._client()
        try:
            return await api.request(method, url, **kwargs)
        except ApiAuthError as exc:
            kind = self._credentials.kind if self._credentials else "basic"
            raise exc.with_hint(refused_hint(exc.status, area, kind)) from None

    async def _json(self, area: str, method: str, url: str, **kwargs: Any) -> Any:
        response = await self._request(area, method, url, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise PublishError(f"{SERVICE} {method} {url}: the answer is not JSON",
                               hint="check api_url points at the collection") from None

    async def _list(self, area: str, url: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every item of a `{"value": [...]}` listing, following Azure's `x-ms-continuationtoken`."""
        items: list[dict[str, Any]] = []
        query = dict(params or {})
        for _ in range(MAX_PAGES):
            response = await self._request(area, "GET", url, params=query)
            body = response.json()
            items.extend(v for v in (body.get("value") or [] if isinstance(body, dict) else []) if isinstance(v, dict))
            token = response.headers.get("x-ms-continuationtoken")
            if not token:
                break
            query = {**query, "continuationToken": token}
        return items

    # -- links ---------------------------------------------------------------------------------------

    def _run_link(self, run: dict[str, Any]) -> str:
        web = run.get("webAccessUrl")
        if isinstance(web, str) and web:
            return web
        return f"{self._project_url()}_testManagement/runs?_a=runCharts&runId={run.get('id')}"

    def _thread_link(self, pr: str, thread_id: int) -> str:
        repo = quote(self._opt("repository") or self._opt("repository_id") or "", safe="")
        return f"{self._project_url()}_git/{repo}/pullrequest/{pr}?discussionId={thread_id}"

    # -- test run ------------------------------------------------------------------------------------

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        name = str(test_run_data.get("name") or self._opt("check_name") or "Test results")
        build_id = test_run_data.get("build_id") or self._opt("build_id")
        body: dict[str, Any] = {"name": name, "automated": True, "state": "InProgress"}
        if build_id:
            body["build"] = {"id": str(build_id)}
        if test_run_data.get("comment"):
            body["comment"] = str(test_run_data["comment"])

        async def find() -> dict[str, Any] | None:
            runs = await self._list("test", "_apis/test/runs", {
                "buildUri": f"vstfs:///Build/Build/{build_id}", "automated": "true"})
            mine = [r for r in runs if r.get("name") == name and r.get("state") == "InProgress"]
            return max(mine, key=lambda r: int(r.get("id") or 0)) if mine else None

        async def create() -> dict[str, Any]:
            return await self._json("test", "POST", "_apis/test/runs", json=body, retry=False)

        # Without a build to look under, a second try could not tell our run from any other.
        run = await find_or_create(find, create, attempts=3 if build_id else 1, look_first=False)
        if not isinstance(run, dict) or run.get("id") is None:
            raise PublishError(f"{SERVICE} POST _apis/test/runs: the answer has no run id",
                               hint="check api_url points at the collection")
        return {"id": str(run["id"]), "name": run.get("name", name), "status": run.get("state", "InProgress"),
                "url": self._run_link(run), "api_url": run.get("url")}

    async def add_results(self, test_run_id: str, results: Iterable[Any], *, batch_size: int | None = None) -> int:
        """Post results (TestCase objects or dicts) in batches; returns how many were sent."""
        size = int(batch_size or self.config.get("batch_size") or 1000)
        url = f"_apis/test/Runs/{quote(str(test_run_id), safe='')}/results"
        shaped = (from_dict(r) if isinstance(r, dict) else case_result(r) for r in results)
        sent = 0
        for batch in batches(shaped, size=size):
            offset = sent

            async def landed(batch: list[dict[str, Any]] = batch, offset: int = offset) -> int | None:
                # A batch that timed out may have been stored: its last result is then in the listing.
                found = await self._json("test", "GET", url, params={"$skip": offset + len(batch) - 1, "$top": 1})
                return len(batch) if isinstance(found, dict) and found.get("value") else None

            async def post(batch: list[dict[str, Any]] = batch) -> int:
                await self._request("test", "POST", url, json=batch, retry=False)
                return len(batch)

            sent += await find_or_create(landed, post, look_first=False)
        return sent

    async def update_test_run(self, test_run_id: str, update_data: Any) -> bool:
        if hasattr(update_data, "totals"):
            state = "Completed"
        else:
            word = str((update_data or {}).get("status") or "completed").lower()
            state = RUN_STATES.get(word)
            if state is None:
                raise ConfigError(f"update_test_run: status {word!r} is not one of {', '.join(sorted(RUN_STATES))}")
        body: dict[str, Any] = {"state": state}
        if state in ("Completed", "Aborted"):
            body["completedDate"] = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        comment = _summary_comment(update_data)
        if comment:
            body["comment"] = comment
        if isinstance(update_data, dict) and update_data.get("error"):
            body["errorMessage"] = str(update_data["error"])[:1000]
        await self._json("test", "PATCH", f"_apis/test/runs/{quote(str(test_run_id), safe='')}", json=body)
        return True

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        run = await self._json("test", "GET", f"_apis/test/runs/{quote(str(test_run_id), safe='')}")
        if not isinstance(run, dict):
            raise PublishError(f"{SERVICE} GET _apis/test/runs/{test_run_id}: the answer is not a test run")
        return {
            "id": str(run.get("id", test_run_id)), "name": run.get("name"), "status": run.get("state"),
            "url": self._run_link(run), "total": run.get("totalTests"), "passed": run.get("passedTests"),
            "incomplete": run.get("incompleteTests"), "unanalyzed": run.get("unanalyzedTests"),
            "completed": run.get("completedDate"),
        }

    def _attachment_run(self, test_run_id: str) -> str:
        """The Azure test run to attach to: the entrypoint names the CI run, which stands for our test run."""
        run_id = str(test_run_id)
        if run_id in self._run_ids:
            return self._run_ids[run_id]
        if run_id and run_id == self._opt("build_id"):
            raise PublishError(f"{SERVICE}: no test run was created for build {run_id}, so there is nothing to "
                               "attach files to", hint="the files stay in the local artifact store")
        return run_id

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        run_id = self._attachment_run(test_run_id)
        path = Path(artifact_path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise PublishError(f"artifact {artifact_path}: cannot read it ({exc.strerror})",
                               hint="check the path") from None
        if size > ATTACHMENT_MAX_BYTES:
            raise PublishError(
                f"artifact {artifact_path}: {size / 1048576:,.1f} MiB is over the 75 MiB an Azure DevOps test run "
                "attachment can hold (100 MiB once base64-encoded)",
                hint="compress or split the file, or publish it as a pipeline artifact")
        stream = base64.b64encode(path.read_bytes()).decode("ascii")
        body = {"stream": stream, "fileName": os.path.basename(artifact_name or path.name),
                "attachmentType": "GeneralAttachment", "comment": f"{artifact_name or path.name}, from testrelay"}
        answer = await self._json("test", "POST", f"_apis/test/Runs/{quote(run_id, safe='')}/attachments",
                                  json=body)
        self.last_upload_url = answer.get("url") if isinstance(answer, dict) else None
        return True

    # -- build status --------------------------------------------------------------------------------

    def _pr_problem(self) -> str | None:
        """Why the PR parts cannot run on this build, or None when they can."""
        if not self._opt("pr_number"):
            return "not a pull-request build"
        if (self._opt("repository_provider") or "").lower() in GITHUB_HOSTED:
            return ("the repository is on GitHub: Azure DevOps cannot post pull-request statuses or threads "
                    "there; run testrelay with provider: github and a GitHub token for those")
        if not self._opt("repository_id"):
            return ("no repository id (BUILD_REPOSITORY_ID, or repository_id): the pull-request status "
                    "and thread were skipped")
        return None

    def _pr_url(self, pr: str, rest: str) -> str:
        repo = quote(str(self._opt("repository_id")), safe="")
        return f"_apis/git/repositories/{repo}/pullRequests/{quote(str(pr), safe='')}/{rest}"

    async def set_build_status(self, status: str, description: str) -> bool:
        word = status.lower()
        if word not in PR_STATES:
            raise ConfigError(f"set_build_status: status {status!r} is not one of {', '.join(PR_STATES)}")
        if self._pr_problem() is None:
            await self._pr_status(word, description)
            return True
        if self._opt("build_id"):
            await self._tag_build(word)
            return True
        raise ConfigError("set_build_status: no pull request and no build to mark",
                          hint="set pr_number and repository_id (PR builds) or build_id (BUILD_BUILDID)")

    async def _pr_status(self, word: str, description: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "state": PR_STATES[word],
            "description": description[:400],
            "context": {"name": self._opt("check_name") or "Test results", "genre": "testrelay"},
        }
        if self._opt("run_url"):
            body["targetUrl"] = self._opt("run_url")
        answer = await self._json("status", "POST", self._pr_url(str(self._opt("pr_number")), "statuses"), json=body)
        return answer if isinstance(answer, dict) else {}

    async def _tag_build(self, word: str) -> str:
        build = quote(str(self._opt("build_id")), safe="")
        tag = BUILD_TAGS[word]
        answer = await self._json("build", "PUT", f"_apis/build/builds/{build}/tags/{quote(tag, safe='')}")
        present = set(answer.get("value") or []) if isinstance(answer, dict) else set()
        # A re-run of the same build keeps its tags: drop the verdict of the earlier attempt.
        for stale in sorted(present & (set(BUILD_TAGS.values()) - {tag})):
            await self._json("build", "DELETE", f"_apis/build/builds/{build}/tags/{quote(stale, safe='')}")
        return tag

    # -- PR thread -----------------------------------------------------------------------------------

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        if not self._opt("repository_id"):
            raise ConfigError("repository_id: needed to comment on a pull request",
                              hint="Azure Pipelines sets BUILD_REPOSITORY_ID; elsewhere set repository_id")
        action, _ = await self._sticky(str(pr_number), comment, report=None)
        return action != "failed"

    def _key(self) -> str:
        return self._opt("comment_key") or "default"

    async def _find_ours(self, pr: str) -> OurThread | None:
        return find_thread(await self._list("threads", self._pr_url(pr, "threads")), self._key())

    async def _sticky(self, pr: str, body: str, report: Any) -> tuple[str, int | None]:
        """Create, update or leave the thread; returns the action and the thread id."""
        body = sticky.with_marker(body, self._key())
        if len(body) > COMMENT_LIMIT:
            raise PublishError(f"{SERVICE} PR comment: {len(body):,} characters is over the {COMMENT_LIMIT:,} "
                               "a pull-request comment can hold", hint="shorten the template or max_failures")
        # A direct add_pr_comment (no report) posts whatever the comment mode says.
        mode = (self._opt("comment_mode") or "always") if report is not None else "always"
        if mode == "off":
            return "skip", None
        status = "active" if report is None or report.failing else "closed"
        found = await self._find_ours(pr)
        action = sticky.decide(mode, report, found.content if found else None, body)
        if action == "skip":
            return action, found.thread_id if found else None
        if action == "update" and found is not None:
            where = f"threads/{found.thread_id}/comments/{found.comment_id}"
            await self._json("threads", "PATCH", self._pr_url(pr, where), json={"content": body})
            if found.status != status:
                await self._json("threads", "PATCH", self._pr_url(pr, f"threads/{found.thread_id}"),
                                 json={"status": status})
            return action, found.thread_id

        async def create() -> OurThread:
            created = await self._json("threads", "POST", self._pr_url(pr, "threads"), retry=False, json={
                "comments": [{"parentCommentId": 0, "content": body, "commentType": "text"}],
                "status": status,
            })
            thread_id = created.get("id") if isinstance(created, dict) else None
            if thread_id is None:
                raise PublishError(f"{SERVICE} POST threads: the answer has no thread id")
            return OurThread(int(thread_id), 0, body, status)

        # The listing above was the first look; only a failed try needs another.
        thread = await find_or_create(lambda: self._find_ours(pr), create, look_first=False)
        return "create", thread.thread_id

    # -- publish -------------------------------------------------------------------------------------

    async def _publish_run(self, report: Any) -> dict[str, Any]:
        if self._cases is None:
            return {"notices": ["no test cases were handed to the Azure DevOps adapter (set_cases): "
                                "no test run was created"]}
        run = await self.create_test_run({"name": self._opt("check_name") or "Test results"})
        try:
            count = await self.add_results(run["id"], self._cases)
            await self.update_test_run(run["id"], report)
        except PublishError as exc:
            try:  # an InProgress run would stay open forever in the Tests tab
                await self._json("test", "PATCH", f"_apis/test/runs/{run['id']}",
                                 json={"state": "Aborted", "errorMessage": str(exc)[:1000]})
            except PublishError:
                logger.warning("could not abort Azure DevOps test run %s", run["id"])
            raise
        for alias in {self._opt("build_id"), self._opt("run_id")} - {None}:
            self._run_ids[str(alias)] = run["id"]
        logger.info("Azure DevOps test run %s: %s results", run["id"], f"{count:,}")
        return {"links": {"test_run": run["url"]}, "ids": {"test_run": run["id"]}}

    async def _publish_status(self, report: Any, texts: Texts) -> dict[str, Any]:
        word = "failure" if report.totals.failed or report.totals.errors else "success"
        answer = await self._pr_status(word, texts.text("status"))
        return {"ids": {"pr_status": str(answer.get("id", ""))}}

    async def _publish_thread(self, report: Any, texts: Texts) -> dict[str, Any]:
        pr = str(self._opt("pr_number"))
        action, thread_id = await self._sticky(pr, texts.text("azure-comment"), report)
        result: dict[str, Any] = {"ids": {"comment_action": action}}
        if thread_id is not None:
            result["ids"]["thread"] = str(thread_id)
            result["links"] = {"comment": self._thread_link(pr, thread_id)}
        return result

    async def _publish_tag(self, report: Any) -> dict[str, Any]:
        tag = await self._tag_build("failure" if report.totals.failed or report.totals.errors else "success")
        return {"ids": {"build_tag": tag}}

    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        self.bind(ctx)
        notices: list[str] = []
        parts: list[Awaitable[dict[str, Any]]] = [self._publish_run(report)]
        problem = self._pr_problem()
        if problem is None:
            parts += [self._publish_status(report, texts), self._publish_thread(report, texts)]
        else:
            if self._opt("pr_number"):
                notices.append(problem)
            if self._opt("build_id"):
                parts.append(self._publish_tag(report))
            else:
                notices.append("no build id (BUILD_BUILDID): the build was not tagged")
        # The test run, the PR status and the thread do not depend on each other.
        results = await asyncio.gather(*parts, return_exceptions=True)
        links: dict[str, str] = {}
        ids: dict[str, str] = {}
        failures: list[BaseException] = []
        for result in results:
            if isinstance(result, BaseException):
                failures.append(result)
                continue
            links.update(result.get("links", {}))
            ids.update(result.get("ids", {}))
            notices.extend(result.get("notices", []))
        if failures:
            for extra in failures[1:]:
                logger.error("%s: %s", SERVICE, extra)
            if links:
                logger.info("%s: published despite the error: %s", SERVICE, ", ".join(links.values()))
            raise failures[0]
        return Outcome(provider=self.name, links=links, ids=ids, notices=tuple(notices))


AzureDevOpsClient = AzureClient
