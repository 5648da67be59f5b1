"""GitHub: a check run with the summary and annotations, the sticky PR comment, commit statuses.

- The check run is created in progress and completed with its conclusion, summary and annotations,
  50 a request. Only GitHub Apps may create check runs (the workflow's GITHUB_TOKEN is one); with a
  personal token the check run becomes a commit status.
- A pull request from a fork (or from Dependabot) runs with a read-only token: GitHub answers 403
  "Resource not accessible by integration". That is not the job's fault, so it becomes a notice that
  says what to do, not a failure; the report is in the job summary and the log already.
- The REST API cannot upload artifacts (the workflow does, with actions/upload-artifact); it lists
  them, so the report can link them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from .. import budget
from ..ci.github import PR_EVENTS, GitHubActions
from ..errors import ConfigError, PublishError
from ..report import Report
from ..texts import FittedTexts
from . import github_checks as checks
from .base import CIProvider, Outcome, Texts
from .github_comments import CommentResult, StickyComments
from .http import ApiAuthError, ApiClient, ApiError, client_options, find_or_create

logger = logging.getLogger("testrelay.github")

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
READ_ONLY = "resource not accessible by integration"
STATES = {"pending": "pending", "in_progress": "pending", "running": "pending", "queued": "pending",
          "success": "success", "passed": "success", "neutral": "success", "failure": "failure",
          "failed": "failure", "error": "error"}
STATUS_CHARS = 140
FORK_ADVICE = ("the report is in the job summary and the log. To post it, report from a second workflow "
               "triggered on workflow_run (ci_templates/github/report-fork-safe.yml)")


def is_read_only(exc: BaseException) -> bool:
    return isinstance(exc, ApiAuthError) and exc.status == 403 and READ_ONLY in str(exc).lower()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def web_url(api_url: str) -> str:
    """The web host of an API URL: api.github.com -> github.com, HOST/api/v3 -> HOST."""
    parts = urlsplit(api_url.rstrip("/"))
    if parts.hostname == "api.github.com":
        return "https://github.com"
    path = parts.path.removesuffix("/api/v3")
    return f"{parts.scheme}://{parts.netloc}{path}"


class GitHubClient(CIProvider):
    """`GitHubClient(token=..., repository="owner/name", api_url=..., check_name=..., head_sha=...)`."""

    name = "github"
    uploads_artifacts = False

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._api: ApiClient | None = None

    # -- configuration -------------------------------------------------------------------------

    async def initialize(self, config: dict[str, Any]) -> bool:
        if config.get("api_url") and self._api is not None and config["api_url"] != self.config.get("api_url"):
            await self.close()
        self.config.update({k: v for k, v in config.items() if v is not None})
        self._check_config()
        return True

    def _check_config(self) -> None:
        if not self.config.get("token"):
            raise ConfigError("token: no GitHub token to post with",
                              hint="pass `token: ${{ github.token }}` to the action, or set GITHUB_TOKEN")
        repository = str(self.config.get("repository") or "")
        if repository.count("/") != 1 or not all(repository.split("/")):
            raise ConfigError(f"repository: {repository!r} is not owner/name" if repository
                              else "repository: not set",
                              hint="set GITHUB_REPOSITORY or `repository: owner/name`")

    @property
    def api(self) -> ApiClient:
        if self._api is None:
            self._check_config()
            token = str(self.config["token"])
            self._api = ApiClient(
                "GitHub",
                str(self.config.get("api_url") or DEFAULT_API_URL),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/vnd.github+json",
                    "X-GitHub-Api-Version": API_VERSION,
                },
                secrets=[token],
                **client_options(self.config),
            )
        return self._api

    @property
    def repo_path(self) -> str:
        owner, name = str(self.config["repository"]).split("/")
        return f"repos/{quote(owner, safe='')}/{quote(name, safe='')}"

    @property
    def check_name(self) -> str:
        return str(self.config.get("check_name") or "testrelay")

    @property
    def token_kind(self) -> str | None:
        return self.config.get("token_kind") or GitHubActions({}).token_kind(str(self.config.get("token") or ""))

    def _head_sha(self, given: Any = None) -> str:
        sha = given or self.config.get("head_sha") or self.config.get("sha")
        if not sha:
            raise ConfigError("head_sha: no commit to report on",
                              hint="pass head_sha=... (in Actions it comes from GITHUB_SHA or the event payload)")
        return str(sha)

    async def close(self) -> None:
        if self._api is not None:
            await self._api.close()
            self._api = None

    # -- advice on errors ----------------------------------------------------------------------

    def _advise(self, exc: ApiError | ApiAuthError, permission: str) -> ApiError | ApiAuthError:
        personal = self.token_kind in ("personal", "user")
        if exc.status == 401:
            return exc.with_hint("the GitHub token is missing, expired or wrong: pass `token: ${{ github.token }}`")
        if exc.status == 403 and "rate limit" not in str(exc).lower():
            if personal:
                return exc.with_hint(f"the personal token needs the `repo` scope (classic) or {permission}: write "
                                     "(fine-grained)")
            return exc.with_hint(f"give the workflow `permissions: {permission}: write`")
        if exc.status == 404:
            return exc.with_hint(f"check that {self.config.get('repository')} exists and the token can see it "
                                 "(a fine-grained token must include this repository)")
        return exc

    # -- check runs ----------------------------------------------------------------------------

    def _run_info(self, run: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(run.get("id")),
            "name": run.get("name"),
            "status": run.get("status"),
            "conclusion": run.get("conclusion"),
            "url": run.get("html_url"),
            "details_url": run.get("details_url"),
            "head_sha": run.get("head_sha"),
            "external_id": run.get("external_id"),
        }

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        """A check run in progress: `{"name", "head_sha", "details_url", "external_id"}`, each with a default."""
        sha = self._head_sha(test_run_data.get("head_sha") or test_run_data.get("sha"))
        body: dict[str, Any] = {
            "name": str(test_run_data.get("name") or self.check_name),
            "head_sha": sha,
            "status": "in_progress",
            "started_at": _now(),
        }
        details_url = test_run_data.get("details_url") or test_run_data.get("url") or self.config.get("run_url")
        external_id = test_run_data.get("external_id") or self.config.get("external_id")
        if details_url:
            body["details_url"] = str(details_url)
        if external_id:
            body["external_id"] = str(external_id)

        async def find_earlier() -> dict[str, Any] | None:
            return await self._find_check_run(sha, body["name"], body.get("external_id"))

        async def create() -> dict[str, Any]:
            return await self.api.json("POST", f"{self.repo_path}/check-runs", json=body, retry=False)

        try:
            # Nothing of this try can be there before it: look only after a failed try.
            created = await find_or_create(find_earlier, create, look_first=False)
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "checks") from None
        return self._run_info(created)

    async def _find_check_run(self, sha: str, name: str, external_id: str | None) -> dict[str, Any] | None:
        """A check run an earlier, failed-looking try may have created after all."""
        found = await self.api.json("GET", f"{self.repo_path}/commits/{sha}/check-runs",
                                    params={"check_name": name, "filter": "latest", "per_page": 100})
        for run in (found or {}).get("check_runs") or []:
            if run.get("name") == name and (external_id is None or run.get("external_id") == external_id):
                return run
        return None

    async def update_test_run(self, test_run_id: str, update_data: dict[str, Any] | Report) -> bool:
        """Complete the check run from a Report, or from `{"status", "summary": {...}}` (or keep it in progress)."""
        if isinstance(update_data, Report):
            texts = FittedTexts(update_data, provider="github")
            await self.complete_check_run(test_run_id, checks.conclusion_of(update_data), texts.text("status"),
                                          texts.text("github-check-summary"), update_data)
            return True
        conclusion, title, summary = checks.from_update_data(update_data)
        if conclusion is None:
            output = {"title": title, "summary": summary[: checks.SUMMARY_CHARS]}
            await self._patch_check_run(test_run_id, {"status": "in_progress", "output": output})
            return True
        await self.complete_check_run(test_run_id, conclusion, title, summary, None)
        return True

    async def complete_check_run(self, test_run_id: str, conclusion: str, title: str, summary: str,
                                 report: Report | None) -> int:
        """Complete the check run, then add the rest of the annotations 50 at a time; returns the requests sent."""
        annotations = (checks.annotation(a) for a in report.annotations) if report is not None else ()
        bodies = checks.completion_bodies(conclusion, title, summary, annotations)
        bodies[0]["completed_at"] = _now()
        for body in bodies:
            await self._patch_check_run(test_run_id, body)
        return len(bodies)

    async def _patch_check_run(self, test_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return await self.api.json("PATCH", f"{self.repo_path}/check-runs/{quote(str(test_run_id))}", json=body)
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "checks") from None

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        try:
            run = await self.api.json("GET", f"{self.repo_path}/check-runs/{quote(str(test_run_id))}")
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "checks") from None
        return self._run_info(run or {})

    # -- commit status ---------------------------------------------------------------------------

    async def set_build_status(self, status: str, description: str) -> bool:
        """A commit status on the head commit: pending, success, failure or error."""
        state = STATES.get(status.lower())
        if state is None:
            raise ValueError(f"status {status!r} is not one of pending, success, failure, error")
        sha = self._head_sha()
        body: dict[str, Any] = {"state": state, "context": self.check_name,
                                "description": checks._one_line(description, STATUS_CHARS)}
        if self.config.get("run_url"):
            body["target_url"] = str(self.config["run_url"])
        try:
            await self.api.json("POST", f"{self.repo_path}/statuses/{sha}", json=body)
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "statuses") from None
        return True

    # -- the pull-request comment ----------------------------------------------------------------

    def _comments(self) -> StickyComments:
        return StickyComments(self.api, self.repo_path, str(self.config.get("comment_key") or "default"),
                              str(self.config.get("comment_mode") or "always"))

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        """Post or edit our comment; True when the PR carries it (posted, edited, or already the same)."""
        result = await self._post_comment(str(pr_number), comment, None, _cut_to_smaller)
        return result.id is not None

    async def _post_comment(self, pr_number: str, body: str, report: Report | None,
                            refit: Callable[[str], str]) -> CommentResult:
        try:
            return await self._comments().post(pr_number, body, report, refit)
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "pull-requests") from None

    async def find_pull_request(self, sha: str) -> str | None:
        """The open pull request whose head is `sha` (workflow_run after a fork's PR names none)."""
        try:
            pulls = await self.api.json("GET", f"{self.repo_path}/commits/{sha}/pulls", params={"per_page": 100})
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "pull-requests") from None
        pulls = [p for p in pulls or [] if isinstance(p, dict) and p.get("number") is not None]
        best = next((p for p in pulls if p.get("state") == "open" and (p.get("head") or {}).get("sha") == sha),
                    None) or next((p for p in pulls if p.get("state") == "open"), None)
        return str(best["number"]) if best else None

    # -- artifacts -------------------------------------------------------------------------------

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        raise PublishError(
            f"GitHub: {artifact_name} was not uploaded: the GitHub REST API has no artifact upload",
            hint="upload the artifact store with actions/upload-artifact in the workflow (ci_templates/github)",
        )

    async def list_artifacts(self, run_id: str) -> list[dict[str, Any]]:
        """The artifacts of a workflow run, each with `html_url`, its page on the web."""
        base = web_url(str(self.config.get("api_url") or DEFAULT_API_URL))
        found: list[dict[str, Any]] = []
        try:
            async for item in self.api.paginate(f"{self.repo_path}/actions/runs/{quote(str(run_id))}/artifacts",
                                                params={"per_page": 100},
                                                items=lambda body: (body or {}).get("artifacts") or []):
                found.append({**item, "html_url": f"{base}/{self.config['repository']}/actions/runs/{run_id}"
                                                  f"/artifacts/{item.get('id')}"})
        except (ApiError, ApiAuthError) as exc:
            raise self._advise(exc, "actions") from None
        return found

    # -- everything for one report ---------------------------------------------------------------

    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        sha = getattr(ctx, "head_sha", None) or self.config.get("head_sha")
        if not sha:
            raise PublishError("GitHub: no head commit SHA, so there is nothing to attach the check run to",
                               hint="run inside GitHub Actions (GITHUB_SHA), or pass head_sha")
        self.config.setdefault("head_sha", sha)
        if getattr(ctx, "run_url", None):
            self.config.setdefault("run_url", ctx.run_url)
        if not self.config.get("check_name"):
            self.config["check_name"] = report.title
        if not self.config.get("token_kind") and getattr(ctx, "token_kind", None):
            self.config["token_kind"] = ctx.token_kind
        read_only_ok = getattr(ctx, "is_fork", False) or getattr(ctx, "event_name", None) in PR_EVENTS
        outcome = _Collected()

        async def unless_read_only(part: Awaitable[None], not_done: str) -> None:
            try:
                await part
            except ApiAuthError as exc:
                if not (is_read_only(exc) and read_only_ok):
                    raise
                outcome.skipped(f"GitHub: {not_done}: this pull request's token is read-only "
                                f"(pull requests from forks and Dependabot get one); {FORK_ADVICE}")

        check_run = self._publish_check_run(report, texts, ctx, sha, outcome)
        comment = self._publish_comment(report, texts, ctx, sha, outcome)
        results = await asyncio.gather(unless_read_only(check_run, "the check run was not created"),
                                       unless_read_only(comment, "the PR comment was not posted"),
                                       return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        for failure in failures:
            if not isinstance(failure, PublishError):
                raise failure
        if failures:
            if outcome.links:
                posted = ", ".join(f"{k} {v}" for k, v in outcome.links.items())
                logger.info("GitHub: posted %s before the error", posted)
            for extra in failures[1:]:
                logger.error("GitHub: %s", extra)
            raise failures[0]
        return Outcome(provider=self.name, ok=outcome.ok, links=outcome.links, ids=outcome.ids,
                       notices=tuple(outcome.notices))

    async def _publish_check_run(self, report: Report, texts: Texts, ctx: Any, sha: str, out: _Collected) -> None:
        external_id = f"testrelay:{getattr(ctx, 'run_id', None) or sha}:{self.config.get('comment_key') or 'default'}"
        try:
            run = await self.create_test_run({"head_sha": sha, "external_id": external_id})
        except ApiAuthError as exc:
            said = str(exc).lower()
            app_only = "github app" in said or self.token_kind in ("personal", "user")
            if exc.status != 403 or is_read_only(exc) or "rate limit" in said or not app_only:
                raise
            # Only GitHub Apps may create check runs ("You must authenticate via a GitHub App").
            await self.set_build_status(checks.conclusion_of(report), texts.text("status"))
            out.ids["status"] = STATES[checks.conclusion_of(report)]
            out.notices.append("GitHub: this token cannot create check runs (only GitHub Apps can, such as the "
                               "workflow's GITHUB_TOKEN), so a commit status was set instead, without annotations; "
                               "pass `token: ${{ github.token }}` for the check run")
            return
        out.ids["check_run"] = run["id"]
        if run.get("url"):
            out.links["check_run"] = run["url"]
        await self.complete_check_run(run["id"], checks.conclusion_of(report), texts.text("status"),
                                      texts.text("github-check-summary"), report)
        if report.annotations_omitted:
            out.notices.append(f"GitHub: {report.annotations_omitted:,} more located failures were left out of the "
                               f"check run's annotations (the first {len(report.annotations):,} are there)")

    async def _publish_comment(self, report: Report, texts: Texts, ctx: Any, sha: str, out: _Collected) -> None:
        if str(self.config.get("comment_mode") or "always") == "off":
            return
        pr = getattr(ctx, "pr_number", None)
        if not pr and getattr(ctx, "event_name", None) == "workflow_run":
            pr = await self.find_pull_request(sha)
            if not pr:
                out.notices.append(f"GitHub: no open pull request has head commit {sha[:12]}, so no PR comment "
                                   "was posted; the check run carries the report")
                return
        if not pr:
            return
        result = await self._post_comment(str(pr), texts.text("github-comment"), report,
                                          lambda body: _refit(report, texts, body))
        if result.id:
            out.ids["comment"] = result.id
        if result.url:
            out.links["comment"] = result.url
        out.ids["comment_action"] = result.action


class _Collected:
    """What the two concurrent halves of a publish found; each writes its own keys."""

    def __init__(self) -> None:
        self.links: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        self.notices: list[str] = []
        self.ok = True

    def skipped(self, notice: str) -> None:
        self.notices.append(notice)
        self.ok = False


def _smaller_limit(body: str) -> budget.Limit:
    """After GitHub's "body is too long": three quarters of what was sent, in UTF-8 bytes, so the count
    GitHub makes (characters, bytes or otherwise) is met with room."""
    return budget.Limit(min(len(body.encode("utf-8")) * 3 // 4, 49_152), budget.Unit.BYTES)


def _refit(report: Report, texts: Texts, body: str) -> str:
    # The texts' own Report where there is one: it links the full report where it was uploaded.
    return budget.fit(getattr(texts, "report", report), "comment.md.j2", _smaller_limit(body),
                      user_dir=getattr(texts, "user_dir", None))


def _cut_to_smaller(body: str) -> str:
    limit = _smaller_limit(body)
    return budget.hard_cut(body, limit, note=f"<sub>✂️ Cut to fit {limit}</sub>")
