"""Jenkins: multibranch PR builds set CHANGE_*; jobs in folders live at job/a/job/b below JENKINS_URL."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from .base import Detector, Token

# Where the repository path ends in a change URL, per forge.
_CHANGE_SUFFIX = re.compile(r"/(?:pull|pulls|-/merge_requests|merge_requests|pull-requests)/\d+/?$")


def repository_from_url(url: str | None) -> str | None:
    """`owner/name` from an https or scp-style git URL, or from a PR/MR URL."""
    if not url:
        return None
    scp = re.match(r"^[\w.-]+@[\w.-]+:(?!//)(.+)$", url)
    path = scp.group(1) if scp else urlsplit(url).path
    path = _CHANGE_SUFFIX.sub("", path).strip("/")
    path = path.removesuffix(".git")
    return path or None


class Jenkins(Detector):
    name = "jenkins"

    def detect(self) -> bool:
        return bool(self.var("JENKINS_URL"))

    def server_url(self) -> str | None:
        url = self.var("JENKINS_URL")
        return url.rstrip("/") if url else None

    def api_url(self) -> str | None:
        return self.server_url()

    def repository(self) -> str | None:
        return repository_from_url(self.var("CHANGE_URL")) or repository_from_url(self.var("GIT_URL"))

    def head_sha(self) -> str | None:
        return self.var("ghprbActualCommit", "GIT_COMMIT")

    def pr_number(self) -> str | None:
        return self.var("CHANGE_ID", "ghprbPullId", "gitlabMergeRequestIid")

    def is_fork(self) -> bool:
        return bool(self.var("CHANGE_FORK"))

    def run_id(self) -> str | None:
        return self.var("BUILD_NUMBER")

    def run_url(self) -> str | None:
        return self.var("BUILD_URL", "RUN_DISPLAY_URL")

    def job_name(self) -> str | None:
        return self.var("JOB_NAME")

    def job_url(self) -> str | None:
        return self.var("JOB_URL")

    def branch(self) -> str | None:
        branch = self.var("CHANGE_BRANCH", "BRANCH_NAME", "ghprbSourceBranch", "gitlabSourceBranch", "GIT_BRANCH")
        return branch.removeprefix("origin/") if branch else None

    def base_branch(self) -> str | None:
        return self.var("CHANGE_TARGET", "ghprbTargetBranch", "gitlabTargetBranch")

    def event_name(self) -> str | None:
        return "pull_request" if self.pr_number() else None

    def token(self) -> Token | None:
        found = self.first_token("JENKINS_API_TOKEN")
        return (found[0], found[1], "api") if found else None

    def token_kind(self, token: str) -> str | None:
        return "api"

    def username(self) -> str | None:
        return self.var("JENKINS_USER")

    def job_path(self) -> str | None:
        """`job/a/job/b`: from JOB_URL when it sits below JENKINS_URL, else built from JOB_NAME."""
        server, job_url = self.server_url(), self.var("JOB_URL")
        if server and job_url and job_url.startswith(server + "/"):
            return job_url[len(server) + 1 :].strip("/")
        name = self.job_name()
        if not name:
            return None
        # JOB_NAME already %-encodes "/" inside multibranch branch names; the URL encodes that again.
        return "/".join(f"job/{quote(part, safe='')}" for part in name.split("/") if part)

    def extra(self) -> dict[str, Any]:
        return {"job_path": self.job_path()}
