"""GitHub Actions: the head commit and PR number come from the event payload, not GITHUB_SHA."""

from __future__ import annotations

import json
import logging
import re
from functools import cached_property
from typing import Any

from .base import Detector, Token

log = logging.getLogger(__name__)

# Events whose payload carries the pull request; on these GITHUB_SHA is GitHub's test merge commit.
PR_EVENTS = {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}
_PR_REF = re.compile(r"^refs/pull/(\d+)/(?:merge|head)$")
# GitHub token prefixes: ghs_ is an installation token (what the workflow's GITHUB_TOKEN is), which
# matters because only GitHub Apps may create check runs.
_TOKEN_KINDS = (("ghs_", "app"), ("ghp_", "personal"), ("github_pat_", "personal"), ("gho_", "user"), ("ghu_", "user"))


def _dig(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and len(data) > key else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


class GitHubActions(Detector):
    name = "github"

    def detect(self) -> bool:
        return self.env.get("GITHUB_ACTIONS", "").lower() == "true"

    @cached_property
    def event(self) -> dict[str, Any]:
        path = self.var("GITHUB_EVENT_PATH")
        if not path:
            return {}
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            log.warning(
                "GITHUB_EVENT_PATH: cannot read the event payload %s (%s); using GITHUB_SHA and GITHUB_REF", path, exc
            )
            return {}
        return data if isinstance(data, dict) else {}

    def event_name(self) -> str | None:
        return self.var("GITHUB_EVENT_NAME")

    @property
    def _is_pr_event(self) -> bool:
        return self.event_name() in PR_EVENTS

    def api_url(self) -> str | None:
        return (self.var("GITHUB_API_URL") or "https://api.github.com").rstrip("/")

    def server_url(self) -> str | None:
        return (self.var("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")

    def repository(self) -> str | None:
        return self.var("GITHUB_REPOSITORY")

    def head_sha(self) -> str | None:
        if self._is_pr_event:
            sha = _text(_dig(self.event, "pull_request", "head", "sha"))
            if sha:
                return sha
        if self.event_name() == "workflow_run":
            sha = _text(_dig(self.event, "workflow_run", "head_sha"))
            if sha:
                return sha
        return self.var("GITHUB_SHA")

    def pr_number(self) -> str | None:
        number = None
        if self._is_pr_event:
            number = _dig(self.event, "pull_request", "number")
        elif self.event_name() == "workflow_run":
            # Empty for pull requests from forks: the provider must look the PR up by head SHA.
            number = _dig(self.event, "workflow_run", "pull_requests", 0, "number")
        elif self.event_name() == "issue_comment" and _dig(self.event, "issue", "pull_request"):
            number = _dig(self.event, "issue", "number")
        if number is not None:
            return str(number)
        match = _PR_REF.match(self.var("GITHUB_REF") or "")
        return match.group(1) if match else None

    def is_fork(self) -> bool:
        if self._is_pr_event:
            head = _dig(self.event, "pull_request", "head", "repo", "full_name")
            base = _dig(self.event, "pull_request", "base", "repo", "full_name")
            return bool(base) and head != base
        if self.event_name() == "workflow_run":
            head = _dig(self.event, "workflow_run", "head_repository", "full_name")
            base = _dig(self.event, "workflow_run", "repository", "full_name") or self.repository()
            return bool(head) and head != base
        return False

    def run_id(self) -> str | None:
        return self.var("GITHUB_RUN_ID")

    def run_url(self) -> str | None:
        repo, run = self.repository(), self.run_id()
        if not (repo and run):
            return None
        url = f"{self.server_url()}/{repo}/actions/runs/{run}"
        attempt = self.var("GITHUB_RUN_ATTEMPT")
        return f"{url}/attempts/{attempt}" if attempt and attempt != "1" else url

    def job_name(self) -> str | None:
        return self.var("GITHUB_JOB")

    def branch(self) -> str | None:
        if self.event_name() == "workflow_run":
            return _text(_dig(self.event, "workflow_run", "head_branch"))
        return self.var("GITHUB_HEAD_REF", "GITHUB_REF_NAME")

    def base_branch(self) -> str | None:
        if self.event_name() == "workflow_run":
            return _text(_dig(self.event, "workflow_run", "pull_requests", 0, "base", "ref"))
        return self.var("GITHUB_BASE_REF") or _text(_dig(self.event, "pull_request", "base", "ref"))

    def token(self) -> Token | None:
        found = self.first_token("INPUT_TOKEN", "GITHUB_TOKEN")
        return (found[0], found[1], self.token_kind(found[0])) if found else None

    def token_kind(self, token: str) -> str | None:
        return next((kind for prefix, kind in _TOKEN_KINDS if token.startswith(prefix)), None)
