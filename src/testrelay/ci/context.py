"""CIContext: what the CI environment says about this job, in one immutable value."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..log import REDACTED

PROVIDERS = ("github", "gitlab", "jenkins", "azure", "local")


@dataclass(frozen=True, repr=False)
class CIContext:
    provider: str = "local"
    api_url: str | None = None
    server_url: str | None = None
    repository: str | None = (
        None  # owner/name (GitHub, Azure on GitHub), project path (GitLab), repo name (Azure Repos)
    )
    project_id: str | None = None  # GitLab: the project the pipeline runs in
    merge_request_project_id: str | None = None  # GitLab: the project that holds the MR (differs for forks)
    head_sha: str | None = None  # the commit the author pushed, never a CI-made merge commit
    pr_number: str | None = None
    is_fork: bool = False
    run_id: str | None = None
    run_url: str | None = None
    job_name: str | None = None
    job_url: str | None = None
    branch: str | None = None
    base_branch: str | None = None
    event_name: str | None = None
    token: str | None = None
    token_source: str | None = None  # the variable (or option source) the token came from
    token_kind: str | None = None  # "job": GitLab CI_JOB_TOKEN, which cannot post MR notes; "app", "personal", ...
    username: str | None = None  # Jenkins user for user:token authentication
    # Azure Pipelines
    collection_url: str | None = None
    team_project: str | None = None
    repository_id: str | None = None
    repository_provider: str | None = None
    build_id: str | None = None
    # Jenkins: "job/folder/job/name" below JENKINS_URL
    job_path: str | None = None

    @property
    def is_pull_request(self) -> bool:
        return self.pr_number is not None

    def to_dict(self) -> dict[str, Any]:
        """Every field, with the token redacted; its source stays visible."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        if data["token"]:
            data["token"] = REDACTED
        return data

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if v is not None)
        return f"CIContext({shown})"

    __str__ = __repr__
