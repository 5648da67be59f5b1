"""GitLab CI: MR pipelines carry the MR IID; merged-result pipelines run on a merge commit."""

from __future__ import annotations

from typing import Any

from .base import Detector, Token


class GitLabCI(Detector):
    name = "gitlab"

    def detect(self) -> bool:
        return self.env.get("GITLAB_CI", "").lower() == "true"

    def server_url(self) -> str | None:
        return (self.var("CI_SERVER_URL") or "https://gitlab.com").rstrip("/")

    def api_url(self) -> str | None:
        return (self.var("CI_API_V4_URL") or f"{self.server_url()}/api/v4").rstrip("/")

    def repository(self) -> str | None:
        return self.var("CI_PROJECT_PATH")

    def head_sha(self) -> str | None:
        # Set only in merged-result pipelines, where CI_COMMIT_SHA is the merge GitLab made.
        return self.var("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA")

    def pr_number(self) -> str | None:
        return self.var("CI_MERGE_REQUEST_IID")

    def is_fork(self) -> bool:
        source = self.var("CI_MERGE_REQUEST_SOURCE_PROJECT_ID")
        target = self.var("CI_MERGE_REQUEST_PROJECT_ID")
        return bool(source and target and source != target)

    def run_id(self) -> str | None:
        return self.var("CI_PIPELINE_ID")

    def run_url(self) -> str | None:
        return self.var("CI_PIPELINE_URL")

    def job_name(self) -> str | None:
        return self.var("CI_JOB_NAME")

    def job_url(self) -> str | None:
        return self.var("CI_JOB_URL")

    def branch(self) -> str | None:
        return self.var("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH", "CI_COMMIT_REF_NAME")

    def base_branch(self) -> str | None:
        return self.var("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")

    def event_name(self) -> str | None:
        return self.var("CI_PIPELINE_SOURCE")

    def token(self) -> Token | None:
        found = self.first_token("TESTRELAY_TOKEN", "GITLAB_TOKEN", "CI_JOB_TOKEN")
        return (found[0], found[1], self.token_kind(found[0])) if found else None

    def token_kind(self, token: str) -> str | None:
        # The job token reaches only an allow-list of endpoints: it cannot post MR notes.
        return "job" if token == self.var("CI_JOB_TOKEN") else "private"

    def extra(self) -> dict[str, Any]:
        return {
            "project_id": self.var("CI_PROJECT_ID"),
            "merge_request_project_id": self.var("CI_MERGE_REQUEST_PROJECT_ID"),
        }
