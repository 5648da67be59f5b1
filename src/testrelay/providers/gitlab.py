"""GitLab: a commit status for the test run, a sticky merge-request note, the generic package registry.

- The test run is one commit status (`POST /projects/:id/statuses/:sha`) with a stable name, so each
  update replaces the earlier state (pending → running → success/failed) instead of adding a status.
- The merge-request note ends with a hidden marker; a later run finds it again and edits it in place.
- Files go to the generic package registry as package `testrelay`, one version per pipeline.

The CI job token (`CI_JOB_TOKEN`) reaches only an allow-list of endpoints: it may upload packages but
cannot set commit statuses or post notes, so those are not tried with it; the notice says which token
to add instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ConfigError, PublishError
from ..report import Report, Verdict
from . import sticky
from .base import CIProvider, Outcome, Texts
from .gitlab_status import (
    NOTE_LIMIT,
    describe_summary,
    gitlab_state,
    package_part,
    project_ref,
    repeated_transition,
    short_description,
    state_of_summary,
)
from .http import ApiAuthError, ApiClient, ApiError, client_options, find_or_create

logger = logging.getLogger("testrelay.gitlab")

DEFAULT_API_URL = "https://gitlab.com/api/v4"
PACKAGE_NAME = "testrelay"
TOKEN_ADVICE = ("use a project access token with the api scope (Developer role) in GITLAB_TOKEN or "
                "TESTRELAY_TOKEN, stored as a masked CI/CD variable")
JOB_TOKEN_NOTICE = ("GitLab: CI_JOB_TOKEN cannot set commit statuses or post merge-request notes, so neither "
                    f"was posted; {TOKEN_ADVICE}")

def _verdict_state(report: Report) -> str:
    if report.verdict is Verdict.PASSED:
        return "success"
    if report.verdict is Verdict.FAILED:
        return "failed"
    # No tests: GitHub would say neutral. GitLab's "skipped" is refused by versions before 19, so this is
    # a success whose description says "No tests found"; fail_on_empty still fails the job itself.
    return "success"


class GitLabClient(CIProvider):
    """GitLab.com or a self-managed GitLab, through the REST API v4.

    Keyword config: token, repository (group/project path) or project_id, api_url, head_sha, ref,
    pipeline_id, target_url, check_name, comment_mode, comment_key, merge_request_project_id,
    token_kind ("job" for CI_JOB_TOKEN), server_url; for tests also transport, sleep, retry, timeout.
    """

    name = "gitlab"
    uploads_before_publish = True

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._api: ApiClient | None = None
        self._runs: dict[str, dict[str, Any]] = {}
        self.last_upload_url: str | None = None
        self.last_note: dict[str, Any] | None = None

    # configuration

    def _get(self, key: str, default: Any = None) -> Any:
        value = self.config.get(key)
        return default if value in (None, "") else value

    @property
    def api_url(self) -> str:
        return str(self._get("api_url", DEFAULT_API_URL)).rstrip("/")

    @property
    def server_url(self) -> str:
        explicit = self._get("server_url")
        if explicit:
            return str(explicit).rstrip("/")
        return self.api_url.removesuffix("/api/v4")

    @property
    def token_kind(self) -> str:
        kind = self._get("token_kind")
        if kind:
            return str(kind)
        # Job tokens carry this prefix since GitLab 17.x; older ones are told apart only by the detector.
        return "job" if str(self._get("token", "")).startswith("glcbt-") else "private"

    @property
    def is_job_token(self) -> bool:
        return self.token_kind == "job"

    @property
    def check_name(self) -> str:
        return str(self._get("check_name", "Test results"))

    @property
    def comment_key(self) -> str:
        return str(self._get("comment_key", "default"))

    def _project(self) -> str:
        project = self._get("project_id") or self._get("repository")
        if not project:
            raise ConfigError("repository: no GitLab project given",
                              hint="set CI_PROJECT_ID, or pass project_id or repository: group/project")
        return project_ref(project)

    def _mr_project(self) -> str:
        project = self._get("merge_request_project_id")
        return project_ref(project) if project else self._project()

    def _sha(self, data: dict[str, Any] | None = None) -> str:
        data = data or {}
        sha = data.get("head_sha") or data.get("sha") or self._get("head_sha")
        if not sha:
            raise ConfigError("head_sha: no commit to set the GitLab status on",
                              hint="run inside GitLab CI (CI_COMMIT_SHA) or pass head_sha")
        return str(sha)

    async def initialize(self, config: dict[str, Any]) -> bool:
        self.config.update({k: v for k, v in config.items() if v is not None})
        if not self._get("token"):
            raise ConfigError("token: no GitLab token", hint=TOKEN_ADVICE)
        self._project()
        if not self.api_url.startswith(("http://", "https://")):
            raise ConfigError(f"api_url: {self.api_url!r} is not an http(s) URL",
                              hint="set api_url to the API root, e.g. https://gitlab.example.com/api/v4")
        return True

    def _client(self) -> ApiClient:
        if self._api is None:
            token = self._get("token")
            if not token:
                raise ConfigError("token: no GitLab token", hint=TOKEN_ADVICE)
            if self.is_job_token:
                headers = {"JOB-TOKEN": token}
            elif self.token_kind == "oauth":
                headers = {"Authorization": f"Bearer {token}"}
            else:
                headers = {"PRIVATE-TOKEN": token}
            self._api = ApiClient("GitLab", self.api_url, headers=headers, secrets=[token],
                                  **client_options(self.config))
        return self._api

    async def close(self) -> None:
        if self._api is not None:
            await self._api.close()
            self._api = None

    # errors with GitLab's own advice

    def _refuse_job_token(self, action: str) -> None:
        if self.is_job_token:
            raise ApiAuthError(f"GitLab: CI_JOB_TOKEN cannot {action}; nothing was sent", hint=TOKEN_ADVICE)

    @contextlib.contextmanager
    def _advice(self, action: str, not_found: str | None = None) -> Iterator[None]:
        try:
            yield
        except ApiAuthError as exc:
            kind = "CI_JOB_TOKEN" if self.is_job_token else "the token"
            raise exc.with_hint(f"{kind} may not {action}: {TOKEN_ADVICE}") from None
        except ApiError as exc:
            if exc.status == 404 and not_found:
                raise exc.with_hint(not_found) from None
            raise

    # commit status: the test run

    async def _post_status(self, sha: str, state: str, *, name: str, description: str | None,
                           target_url: str | None, ref: str | None, pipeline_id: Any) -> dict[str, Any]:
        self._refuse_job_token("set commit statuses")
        body: dict[str, Any] = {"state": state, "name": name}
        if description:
            body["description"] = short_description(description)
        if target_url:
            body["target_url"] = target_url
        if pipeline_id not in (None, "") and not str(pipeline_id).isdigit():
            raise ConfigError(f"pipeline_id: {pipeline_id!r} is not a GitLab pipeline id",
                              hint="pass the number in CI_PIPELINE_ID, or leave pipeline_id out")
        if pipeline_id not in (None, ""):
            # GitLab looks the pipeline up by id *and* ref; a merge-request pipeline's ref is
            # refs/merge-requests/N/head, so a branch name would make it start a new external pipeline.
            body["pipeline_id"] = int(pipeline_id)
        elif ref:
            body["ref"] = ref
        path = f"projects/{self._project()}/statuses/{quote(sha, safe='')}"
        with self._advice("set commit statuses", "check the project and that the commit exists in it"):
            try:
                answer = await self._client().json("POST", path, json=body)
            except ApiError as exc:
                # Posting the state a status already has is refused; the status is as asked, so that is done.
                if exc.status == 400 and repeated_transition(str(exc), state):
                    logger.info("GitLab status %r is already %s", name, state)
                    return {"status": state, "name": name, "sha": sha, "target_url": target_url}
                raise
        return answer if isinstance(answer, dict) else {}

    def _run_id(self, sha: str, name: str) -> str:
        return f"{sha}:{name}"

    def _run(self, test_run_id: str) -> dict[str, Any]:
        known = self._runs.get(test_run_id)
        if known is not None:
            return known
        sha, _, name = test_run_id.partition(":")
        return {"sha": sha, "name": name or self.check_name, "ref": self._get("ref"),
                "pipeline_id": self._get("pipeline_id"), "target_url": self._get("target_url")}

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        sha = self._sha(test_run_data)
        run = {
            "sha": sha,
            "name": str(test_run_data.get("name") or self.check_name),
            "ref": test_run_data.get("ref") or self._get("ref"),
            "pipeline_id": test_run_data.get("pipeline_id") or self._get("pipeline_id"),
            "target_url": (test_run_data.get("url") or test_run_data.get("target_url")
                           or test_run_data.get("details_url") or self._get("target_url")),
        }
        state = gitlab_state(str(test_run_data.get("status") or "running"))
        answer = await self._post_status(sha, state, name=run["name"],
                                         description=test_run_data.get("description") or "Tests running",
                                         target_url=run["target_url"], ref=run["ref"],
                                         pipeline_id=run["pipeline_id"])
        run_id = self._run_id(sha, run["name"])
        self._runs[run_id] = run
        return {"id": run_id, "name": run["name"], "status": answer.get("status", state),
                "url": run["target_url"], "sha": sha, "status_id": answer.get("id")}

    async def update_test_run(self, test_run_id: str, update_data: dict[str, Any] | Report) -> bool:
        run = self._run(test_run_id)
        if isinstance(update_data, Report):
            from ..texts import FittedTexts

            state = _verdict_state(update_data)
            description = FittedTexts(update_data, provider="gitlab").text("status")
        else:
            summary = update_data.get("summary") or {}
            status = str(update_data.get("status") or "completed")
            if status.lower() == "completed" and not update_data.get("conclusion") and summary:
                state = state_of_summary(summary)
            else:
                state = gitlab_state(status, update_data.get("conclusion"))
            description = update_data.get("description") or (describe_summary(summary) if summary else None)
        await self._post_status(run["sha"], state, name=run["name"], description=description,
                                target_url=run.get("target_url"), ref=run.get("ref"),
                                pipeline_id=run.get("pipeline_id"))
        return True

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        run = self._run(test_run_id)
        sha, name = run["sha"], run["name"]
        params: dict[str, Any] = {"name": name, "per_page": 100}
        if run.get("ref"):
            params["ref"] = run["ref"]
        path = f"projects/{self._project()}/repository/commits/{quote(sha, safe='')}/statuses"
        latest: dict[str, Any] | None = None
        with self._advice("read commit statuses", "check the project and that the commit exists in it"):
            async for status in self._client().paginate(path, params=params):
                # The filter is the server's; checking the name again keeps other tools' statuses out.
                if isinstance(status, dict) and status.get("name") == name and (
                        latest is None or int(status.get("id") or 0) > int(latest.get("id") or 0)):
                    latest = status
        if latest is None:
            raise ApiError(f"GitLab: no commit status named {name!r} on {sha[:12]}", status=404,
                           hint="create the test run first, or check check_name")
        return {"id": self._run_id(sha, name), "status_id": latest.get("id"), "name": name,
                "status": latest.get("status"), "url": latest.get("target_url"),
                "description": latest.get("description"), "sha": latest.get("sha", sha),
                "ref": latest.get("ref"), "created_at": latest.get("created_at"),
                "finished_at": latest.get("finished_at")}

    async def set_build_status(self, status: str, description: str) -> bool:
        await self._post_status(self._sha(), gitlab_state(status), name=self.check_name, description=description,
                                target_url=self._get("target_url"), ref=self._get("ref"),
                                pipeline_id=self._get("pipeline_id"))
        return True

    # the sticky merge-request note

    async def _find_note(self, path: str) -> dict[str, Any] | None:
        params = {"sort": "asc", "order_by": "created_at", "per_page": 100}
        pages = self._client().paginate(path, params=params)
        async with contextlib.aclosing(pages):
            async for note in pages:
                if isinstance(note, dict) and not note.get("system") and sticky.is_ours(note.get("body"),
                                                                                         self.comment_key):
                    return note
        return None

    def note_url(self, iid: str, note_id: Any) -> str | None:
        """The note's web address, when the merge request's project path is known."""
        path = self._get("repository")
        mr_project = self._get("merge_request_project_id")
        if not path or str(path).isdigit() or (mr_project and mr_project != self._get("project_id")):
            return None
        return f"{self.server_url}/{str(path).strip('/')}/-/merge_requests/{iid}#note_{note_id}"

    async def _sticky_note(self, iid: str, body: str, report: Report | None, mode: str) -> tuple[str, dict[str, Any]]:
        self._refuse_job_token("post merge-request notes")
        if not str(iid).isdigit():
            raise ConfigError(f"pr_number: {iid!r} is not a merge request IID",
                              hint="pass the number GitLab shows after '!' (CI_MERGE_REQUEST_IID)")
        body = sticky.with_marker(body, self.comment_key)
        if len(body) > NOTE_LIMIT:
            raise PublishError(f"GitLab note for !{iid} is {len(body):,} characters, over GitLab's "
                               f"{NOTE_LIMIT:,}", hint="shorten the comment or lower max_failures")
        api = self._client()
        path = f"projects/{self._mr_project()}/merge_requests/{iid}/notes"
        not_found = (f"merge request !{iid} not found in project {self._mr_project()}: check "
                     "CI_MERGE_REQUEST_PROJECT_ID and that the token's project can see it")
        with self._advice("post merge-request notes", not_found):
            existing = await self._find_note(path)
            action = sticky.decide(mode, report, existing.get("body") if existing else None, body)
            if action == "skip":
                return "skip", existing or {}
            if action == "update" and existing is not None:
                note = await api.json("PUT", f"{path}/{existing['id']}", json={"body": body})
                return "update", note if isinstance(note, dict) else existing

            async def create() -> dict[str, Any]:
                note = await api.json("POST", path, json={"body": body}, retry=False)
                return note if isinstance(note, dict) else {}

            # The listing above is the first look.
            return "create", await find_or_create(lambda: self._find_note(path), create, look_first=False)

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        _, note = await self._sticky_note(str(pr_number), comment, None, "always")
        self.last_note = note
        return True

    # artifacts: the generic package registry

    def package_version(self, test_run_id: str | None = None) -> str:
        source = self._get("pipeline_id") or test_run_id or "unversioned"
        return package_part(str(source).partition(":")[0], "unversioned")

    def artifact_url(self, version: str, file_name: str) -> str:
        """Where a file uploaded by upload_artifact can be downloaded (with a token that can read the project)."""
        return (f"{self.api_url}/projects/{self._project()}/packages/generic/{PACKAGE_NAME}/"
                f"{package_part(version, 'unversioned')}/{package_part(file_name, 'artifact')}")

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        try:
            data = Path(artifact_path).read_bytes()
        except OSError as exc:
            raise PublishError(f"artifact {artifact_path}: cannot read: {exc.strerror}",
                               hint="check the path of the file to upload") from None
        version = self.package_version(test_run_id)
        file_name = package_part(artifact_name or Path(artifact_path).name, "artifact")
        path = f"projects/{self._project()}/packages/generic/{PACKAGE_NAME}/{version}/{file_name}"
        with self._advice("upload to the package registry",
                          "check the project, and that its package registry is enabled"):
            await self._client().request("PUT", path, content=data,
                                         headers={"Content-Type": "application/octet-stream"})
        self.last_upload_url = self.artifact_url(version, file_name)
        return True

    # the entrypoint

    def bind(self, ctx: Any) -> None:
        """Take what the CI context knows and the constructor was not given."""
        pairs = {
            "project_id": ctx.project_id, "merge_request_project_id": ctx.merge_request_project_id,
            "head_sha": ctx.head_sha, "ref": ctx.branch, "pipeline_id": ctx.run_id,
            "target_url": ctx.job_url or ctx.run_url, "token_kind": ctx.token_kind, "server_url": ctx.server_url,
            "token": ctx.token, "api_url": ctx.api_url, "repository": ctx.repository,
        }
        for key, value in pairs.items():
            if value not in (None, "") and self._get(key) is None:
                self.config[key] = value
        if self._get("pipeline_id") is not None and not str(self._get("pipeline_id")).isdigit():
            self.config.pop("pipeline_id")

    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        self.bind(ctx)
        if self.is_job_token:
            return Outcome(provider=self.name, ok=False, notices=(JOB_TOKEN_NOTICE,))
        links: dict[str, str] = {}
        ids: dict[str, str] = {}

        async def status() -> None:
            answer = await self._post_status(
                self._sha(), _verdict_state(report), name=self.check_name, description=texts.text("status"),
                target_url=self._get("target_url"), ref=self._get("ref"), pipeline_id=self._get("pipeline_id"))
            if answer.get("id") is not None:
                ids["commit_status"] = str(answer["id"])
            if self._get("target_url"):
                links["commit_status"] = str(self._get("target_url"))

        async def note() -> None:
            iid = str(ctx.pr_number)
            action, found = await self._sticky_note(iid, texts.text("gitlab-note"), report,
                                                    str(self._get("comment_mode", "always")))
            self.last_note = found or None
            if action == "skip":
                logger.info("GitLab note on !%s: nothing to post (comment mode %s)", iid,
                            self._get("comment_mode", "always"))
            if found.get("id") is not None:
                ids["note"] = str(found["id"])
                url = self.note_url(iid, found["id"])
                if url:
                    links["merge_request_note"] = url

        jobs = [status()] + ([note()] if ctx.pr_number else [])
        results = await asyncio.gather(*jobs, return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        for problem in failed:
            if not isinstance(problem, PublishError | ConfigError):
                raise problem
        if failed:
            first = failed[0]
            if len(failed) > 1:
                logger.error("GitLab: %s", failed[1])
            raise first
        return Outcome(provider=self.name, links=links, ids=ids)
