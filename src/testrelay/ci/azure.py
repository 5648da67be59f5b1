"""Azure Pipelines: PR builds run on a merge commit; the PR id differs for Azure Repos and GitHub."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .base import Detector, Token, strip_ref

GITHUB_PROVIDERS = {"github", "githubenterprise"}


class AzurePipelines(Detector):
    name = "azure"

    def detect(self) -> bool:
        return self.env.get("TF_BUILD", "").lower() == "true" or bool(self.var("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI"))

    @property
    def _is_pr(self) -> bool:
        return (self.var("BUILD_REASON") or "").lower() == "pullrequest"

    def collection_url(self) -> str | None:
        url = self.var("SYSTEM_COLLECTIONURI", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI")
        return url.rstrip("/") + "/" if url else None

    def server_url(self) -> str | None:
        url = self.var("SYSTEM_TEAMFOUNDATIONSERVERURI") or self.collection_url()
        return url.rstrip("/") + "/" if url else None

    def api_url(self) -> str | None:
        return self.collection_url()

    def repository(self) -> str | None:
        return self.var("BUILD_REPOSITORY_NAME")

    def head_sha(self) -> str | None:
        if self._is_pr:
            sha = self.var("SYSTEM_PULLREQUEST_SOURCECOMMITID")
            if sha:
                return sha
        return self.var("BUILD_SOURCEVERSION")

    def pr_number(self) -> str | None:
        if not self._is_pr:
            return None
        # For GitHub repositories PULLREQUESTID is Azure's internal id; the number people see is PULLREQUESTNUMBER.
        if (self.var("BUILD_REPOSITORY_PROVIDER") or "").lower() in GITHUB_PROVIDERS:
            return self.var("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "SYSTEM_PULLREQUEST_PULLREQUESTID")
        return self.var("SYSTEM_PULLREQUEST_PULLREQUESTID", "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER")

    def is_fork(self) -> bool:
        return (self.var("SYSTEM_PULLREQUEST_ISFORK") or "").lower() == "true"

    def run_id(self) -> str | None:
        return self.var("BUILD_BUILDID")

    def run_url(self) -> str | None:
        server, project, build = self.server_url(), self.var("SYSTEM_TEAMPROJECT"), self.run_id()
        if not (server and project and build):
            return None
        return f"{server}{quote(project)}/_build/results?buildId={build}"

    def job_name(self) -> str | None:
        return self.var("SYSTEM_JOBDISPLAYNAME", "AGENT_JOBNAME")

    def branch(self) -> str | None:
        if self._is_pr:
            return strip_ref(self.var("SYSTEM_PULLREQUEST_SOURCEBRANCH"))
        return strip_ref(self.var("BUILD_SOURCEBRANCH"))

    def base_branch(self) -> str | None:
        return strip_ref(self.var("SYSTEM_PULLREQUEST_TARGETBRANCH")) if self._is_pr else None

    def event_name(self) -> str | None:
        return self.var("BUILD_REASON")

    def token(self) -> Token | None:
        # Present only when the pipeline maps $(System.AccessToken) into the step's env.
        found = self.first_token("SYSTEM_ACCESSTOKEN")
        return (found[0], found[1], "build") if found else None

    def token_kind(self, token: str) -> str | None:
        return "build" if token == self.var("SYSTEM_ACCESSTOKEN") else "personal"

    def extra(self) -> dict[str, Any]:
        return {
            "collection_url": self.collection_url(),
            "team_project": self.var("SYSTEM_TEAMPROJECT"),
            "repository_id": self.var("BUILD_REPOSITORY_ID"),
            "repository_provider": self.var("BUILD_REPOSITORY_PROVIDER"),
            "build_id": self.run_id(),
        }
