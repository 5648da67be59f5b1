"""Jenkins: the build is the test run, and its description carries the report.

Jenkins has no test-run object, no pull-request comments and no artifact upload API. The adapter
reads the build (`job/.../{number}/api/json`), writes the description through `submitDescription`
(with a CSRF crumb when the instance offers one), and says plainly what Jenkins cannot do: the
report is archived by the Jenkinsfile (`archiveArtifacts`), not uploaded from here.

Authentication is HTTP Basic `user:API token`; Jenkins refuses a Bearer header.
"""

from __future__ import annotations

import base64
import html
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from ..errors import ConfigError, PublishError
from ..log import SECRETS
from .base import CIProvider, Outcome, Texts
from .http import ApiAuthError, ApiClient, ApiError, client_options

logger = logging.getLogger("testrelay.jenkins")

SERVICE = "Jenkins"
DESCRIPTION = "jenkins-description"
ARCHIVE_HINT = "archive the report folder in the Jenkinsfile: archiveArtifacts artifacts: 'testrelay-report/**'"
# Jenkins build results, as the check-run vocabulary the other providers use.
CONCLUSIONS = {
    "SUCCESS": "success",
    "UNSTABLE": "failure",  # what the junit step sets when tests fail
    "FAILURE": "failure",
    "ABORTED": "cancelled",
    "NOT_BUILT": "skipped",
}
STATUS_ICONS = {"success": "✅", "failure": "❌", "error": "💥", "pending": "⏳", "in_progress": "⏳"}
# Permalinks Jenkins resolves in place of a build number.
PERMALINKS = frozenset({
    "lastBuild", "lastCompletedBuild", "lastSuccessfulBuild", "lastFailedBuild", "lastStableBuild",
    "lastUnstableBuild", "lastUnsuccessfulBuild",
})


def job_path(name: str) -> str:
    """`folder/my job` (JOB_NAME) -> `job/folder/job/my%20job`: one `job/` per folder, each segment encoded."""
    parts = [part for part in name.strip().split("/") if part]
    if not parts:
        raise ConfigError("job: the Jenkins job name is empty", hint="set JOB_NAME or the job option")
    return "/".join(f"job/{quote(part, safe='')}" for part in parts)


def normalise_job_path(path: str) -> str:
    """A `job/a/job/b` path as given (already encoded, e.g. from JOB_URL), without outer slashes."""
    path = path.strip().strip("/")
    segments = path.split("/")
    if len(segments) % 2 or any(segments[i] != "job" or not segments[i + 1] for i in range(0, len(segments), 2)):
        raise ConfigError(f"job_path: {path!r} is not a Jenkins job path like job/folder/job/name",
                          hint="set job to the JOB_NAME (folder/name) instead")
    return path


def build_ref(value: Any) -> str:
    """A build number or permalink as it goes into a URL; anything else is refused before a request is sent."""
    text = str(value).strip()
    if text.isdigit() or text in PERMALINKS:
        return text
    raise PublishError(f"Jenkins build {text!r}: not a build number",
                       hint="pass the BUILD_NUMBER (or the id create_test_run returned)")


def basic_credential(username: str, token: str) -> str:
    return base64.b64encode(f"{username}:{token}".encode()).decode("ascii")


class JenkinsClient(CIProvider):
    """`JenkinsClient(api_url=JENKINS_URL, username=JENKINS_USER, token=JENKINS_API_TOKEN, job="a/b")`.

    Options: `job` (JOB_NAME, folders split by "/") or `job_path` (`job/a/job/b`, already encoded);
    `build_number` (BUILD_NUMBER). For tests, `transport`, `sleep`, `retry` and `timeout` go to the
    HTTP layer.
    """

    name = "jenkins"
    uploads_artifacts = False

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._api: ApiClient | None = None
        self._crumb: dict[str, str] | None = None
        self._crumb_checked = False
        self._current_build: str | None = None
        self._notice_logged = False

    # -- configuration -------------------------------------------------------------------------

    async def initialize(self, config: dict[str, Any]) -> bool:
        """Check the options and the credentials: the crumb request fails at once on a wrong token."""
        self.config.update({k: v for k, v in config.items() if v is not None})
        self._settings()
        await self._ensure_crumb()
        return True

    def _settings(self) -> tuple[str, str, str]:
        cfg = self.config
        base = cfg.get("api_url") or cfg.get("server_url")
        if not base:
            raise ConfigError("api_url: no Jenkins URL", hint="set JENKINS_URL, or api_url in the configuration")
        token = cfg.get("token")
        if not token:
            raise ConfigError("token: no Jenkins API token",
                              hint="bind a user's API token to JENKINS_API_TOKEN (withCredentials), or set token")
        username = cfg.get("username")
        if not username:
            raise ConfigError("username: Jenkins needs the user the API token belongs to (HTTP Basic user:token; "
                              "a Bearer token is refused)", hint="set JENKINS_USER, or username in the configuration")
        return str(base), str(username), str(token)

    @property
    def api(self) -> ApiClient:
        if self._api is None:
            base, username, token = self._settings()
            # The header carries base64(user:token): that form must never reach a log either.
            credential = basic_credential(username, token)
            self._api = ApiClient(SERVICE, base, auth=(username, token), secrets=[token, credential],
                                  **client_options(self.config))
            SECRETS.add(f"Basic {credential}")
        return self._api

    @property
    def job(self) -> str:
        """The job's path below the Jenkins URL, `job/a/job/b`."""
        if self.config.get("job_path"):
            return normalise_job_path(str(self.config["job_path"]))
        if self.config.get("job"):
            return job_path(str(self.config["job"]))
        raise ConfigError("job: no Jenkins job given",
                          hint="run inside a Jenkins build (JOB_NAME), or set job to folder/name")

    def _build_number(self) -> str:
        number = self.config.get("build_number") or self._current_build
        if not number:
            raise ConfigError("build_number: no Jenkins build given",
                              hint="run inside a Jenkins build (BUILD_NUMBER), or set build_number")
        return build_ref(number)

    def build_url(self, number: str) -> str:
        return f"{self.api.base_url}{self.job}/{number}/"

    async def close(self) -> None:
        if self._api is not None:
            await self._api.close()
            self._api = None

    # -- requests ------------------------------------------------------------------------------

    def _explain(self, exc: ApiError | ApiAuthError, what: str) -> PublishError:
        """The HTTP layer's error with what Jenkins users need to know about this request."""
        status = exc.status
        if status == 401:
            hint = ("check JENKINS_USER and JENKINS_API_TOKEN: Jenkins takes HTTP Basic user:API token "
                    "(make one under the user's Security > API Token; a password or Bearer token is refused)")
        elif status == 403:
            hint = f"the Jenkins user lacks the permission to {what} (Job/Read, Run/Update)"
        elif status == 404:
            hint = f"check the job path {self.job!r} and the build below JENKINS_URL, and that the user can see them"
        else:
            return exc
        return exc.with_hint(hint)

    async def _get(self, path: str, what: str, **kwargs: Any) -> Any:
        try:
            return await self.api.json("GET", path, **kwargs)
        except (ApiError, ApiAuthError) as exc:
            raise self._explain(exc, what) from None

    async def _ensure_crumb(self) -> dict[str, str]:
        """The CSRF crumb header, fetched once; none when the crumb issuer is off (404)."""
        if not self._crumb_checked:
            try:
                answer = await self.api.json("GET", "crumbIssuer/api/json")
            except (ApiError, ApiAuthError) as exc:
                if exc.status != 404:
                    raise self._explain(exc, "read the crumb issuer (Overall/Read)") from None
                logger.debug("Jenkins crumb issuer is off; posting without a crumb")
                answer = None
            field = answer.get("crumbRequestField") if isinstance(answer, dict) else None
            crumb = answer.get("crumb") if isinstance(answer, dict) else None
            self._crumb = {str(field): str(crumb)} if field and crumb else {}
            self._crumb_checked = True
        return dict(self._crumb or {})

    async def _submit_description(self, number: str, description: str) -> None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **await self._ensure_crumb()}
        path = f"{self.job}/{number}/submitDescription"
        try:
            # Setting a description is idempotent, so the usual retries are safe.
            response = await self.api.request("POST", path, content=urlencode({"description": description}).encode(),
                                              headers=headers, expect=(302, 303))
        except (ApiError, ApiAuthError) as exc:
            raise self._explain(exc, "set the build description (Run/Update)") from None
        if response.is_redirect:
            # Jenkins answers 302 to the build page; a security realm that wants a login redirects there instead.
            location = urlsplit(response.headers.get("location", "")).path
            if "login" in location.lower() or "securityrealm" in location.lower():
                raise ApiAuthError(f"Jenkins POST /{path}: redirected to the login page {location!r}: the "
                                   "description was not saved", status=response.status_code,
                                   hint="check JENKINS_USER and JENKINS_API_TOKEN")

    async def _build(self, ref: str) -> dict[str, Any]:
        body = await self._get(f"{self.job}/{ref}/api/json", "read the build (Job/Read)")
        if not isinstance(body, dict) or not isinstance(body.get("number"), int):
            raise ApiError(f"Jenkins GET /{self.job}/{ref}/api/json: the answer holds no build number",
                           hint="check that api_url is the Jenkins root URL")
        return body

    def _build_summary(self, build: Mapping[str, Any], name: str | None = None) -> dict[str, Any]:
        number = str(build["number"])
        url = build.get("url")
        # Only shown, never requested: the build's own idea of its URL may name another host.
        if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            url = self.build_url(number)
        result = build.get("result")
        building = bool(build.get("building"))
        return {
            "id": number,
            "number": build["number"],
            "name": name or build.get("fullDisplayName") or build.get("displayName") or f"#{number}",
            "status": "in_progress" if building else "completed",
            "conclusion": None if building else CONCLUSIONS.get(str(result), "neutral"),
            "result": result,
            "building": building,
            "description": build.get("description"),
            "url": url,
        }

    # -- the interface -------------------------------------------------------------------------

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        """Jenkins has no test run: the build is one. `id`/`number` in the data, else this build, else lastBuild."""
        ref = test_run_data.get("id") or test_run_data.get("number") or self.config.get("build_number")
        build = await self._build(build_ref(ref) if ref else "lastBuild")
        run = self._build_summary(build, name=test_run_data.get("name"))
        self._current_build = run["id"]
        return run

    async def update_test_run(self, test_run_id: str, update_data: Any) -> bool:
        """Write the build description: `update_data` is a Report, or `{"status", "summary"}`, or has `description`."""
        await self._submit_description(build_ref(test_run_id), description_for(update_data))
        return True

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        """Jenkins cannot comment on pull requests: nothing is posted, and the log says where the report is."""
        if not self._notice_logged:
            logger.warning(no_comment_notice(pr_number, self._where()))
            self._notice_logged = True
        return False

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        raise PublishError(f"Jenkins has no API to upload build artifacts: {artifact_name} was not uploaded",
                           hint=ARCHIVE_HINT)

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        """The build (`result`, `building`) and, when it archived JUnit results, the testReport totals."""
        run = self._build_summary(await self._build(build_ref(test_run_id)))
        run["totals"] = await self._test_report(run["id"])
        return run

    async def _test_report(self, number: str) -> dict[str, Any] | None:
        try:
            body = await self.api.json("GET", f"{self.job}/{number}/testReport/api/json",
                                       params={"tree": "failCount,passCount,skipCount,duration,empty"})
        except (ApiError, ApiAuthError) as exc:
            if exc.status == 404:  # the build archived no test results (no junit step)
                return None
            raise self._explain(exc, "read the test report (Job/Read)") from None
        if not isinstance(body, dict):
            return None
        failed, passed, skipped = (int(body.get(k) or 0) for k in ("failCount", "passCount", "skipCount"))
        return {"tests": failed + passed + skipped, "passed": passed, "failed": failed, "skipped": skipped,
                "duration": float(body.get("duration") or 0.0)}

    async def set_build_status(self, status: str, description: str) -> bool:
        """Jenkins has no commit status of its own here: the status goes into the build description."""
        icon = STATUS_ICONS.get(status.lower(), "")
        text = f"{icon} <b>{html.escape(status)}</b>: {html.escape(description)}".strip()
        await self._submit_description(self._build_number(), text)
        return True

    # -- the entrypoint --------------------------------------------------------------------------

    def _adopt(self, ctx: Any) -> None:
        """Fill what the constructor did not get from the CI context."""
        found = {
            "api_url": getattr(ctx, "api_url", None) or getattr(ctx, "server_url", None),
            "job_path": getattr(ctx, "job_path", None),
            "build_number": getattr(ctx, "run_id", None),
            "build_url": getattr(ctx, "run_url", None),
        }
        for key, value in found.items():
            if value and not self.config.get(key) and not (key == "job_path" and self.config.get("job")):
                self.config[key] = value

    def _where(self) -> str:
        url = self.config.get("build_url")
        if not url and self.config.get("build_number") and (self.config.get("job") or self.config.get("job_path")):
            url = self.build_url(self._build_number())
        build = f"the build description of {url}" if url else "the build description"
        return f"{build} and the archived testrelay-report/ (archiveArtifacts)"

    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        self._adopt(ctx)
        number = self._build_number()
        await self._submit_description(number, texts.text(DESCRIPTION))
        url = str(self.config.get("build_url") or self.build_url(number))
        notices: tuple[str, ...] = ()
        pr_number = getattr(ctx, "pr_number", None)
        if pr_number and self.config.get("comment_mode") != "off":
            notices = (no_comment_notice(pr_number, self._where()),)
        return Outcome(provider=self.name, links={"build": url}, ids={"build": number}, notices=notices)


def no_comment_notice(pr_number: str | None, where: str) -> str:
    pr = f" #{pr_number}" if pr_number else ""
    return f"Jenkins cannot comment on pull requests: nothing was posted on PR{pr}; the report is in {where}"


def description_for(update_data: Any) -> str:
    """The description HTML for an update: a Report renders the description template; a dict is summarised."""
    if not isinstance(update_data, Mapping):
        from ..texts import FittedTexts  # rendering pulls in Jinja2: only when a Report is given

        return FittedTexts(update_data, provider="jenkins").text(DESCRIPTION)
    if update_data.get("description") is not None:
        return str(update_data["description"])
    status = str(update_data.get("conclusion") or update_data.get("status") or "updated")
    summary = update_data.get("summary") or {}
    parts = [f"{STATUS_ICONS.get(status.lower(), '')} <b>Tests: {html.escape(status)}</b>".strip()]
    if isinstance(summary, Mapping):
        if summary.get("total_tasks") is not None:
            parts.append(f"{int(summary['total_tasks']):,} tests")
        statuses = summary.get("task_statuses") or {}
        if isinstance(statuses, Mapping) and statuses:
            parts.append(", ".join(f"{int(n):,} {html.escape(str(k))}" for k, n in statuses.items()))
        if summary.get("duration") is not None:
            parts.append(f"{float(summary['duration']):,.1f} s")
    return " · ".join(parts)

