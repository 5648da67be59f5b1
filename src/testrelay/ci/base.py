"""The shape every CI detector shares: `detect()` says whether this is the CI, getters read one field each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .context import CIContext

Token = tuple[str, str, str | None]  # value, variable name, kind


class Detector:
    """One CI. Subclasses override `detect()` and the getters that CI can answer; the rest stay None."""

    name: ClassVar[str] = "local"

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def var(self, *names: str) -> str | None:
        """The first of `names` that is set to something other than blanks."""
        for name in names:
            value = self.env.get(name, "").strip()
            if value:
                return value
        return None

    def first_token(self, *names: str) -> tuple[str, str] | None:
        for name in names:
            value = self.env.get(name, "").strip()
            if value:
                return value, name
        return None

    def detect(self) -> bool:
        return False

    # Getters: each returns None when this CI cannot tell.
    def api_url(self) -> str | None:
        return None

    def server_url(self) -> str | None:
        return None

    def repository(self) -> str | None:
        return None

    def head_sha(self) -> str | None:
        return None

    def pr_number(self) -> str | None:
        return None

    def is_fork(self) -> bool:
        return False

    def run_id(self) -> str | None:
        return None

    def run_url(self) -> str | None:
        return None

    def job_name(self) -> str | None:
        return None

    def job_url(self) -> str | None:
        return None

    def branch(self) -> str | None:
        return None

    def base_branch(self) -> str | None:
        return None

    def event_name(self) -> str | None:
        return None

    def token(self) -> Token | None:
        return None

    def token_kind(self, token: str) -> str | None:
        """What kind of token this is, for the provider to warn early about what it cannot do."""
        return None

    def username(self) -> str | None:
        return None

    def extra(self) -> dict[str, Any]:
        """CI-specific fields of the CIContext (Azure's collection, Jenkins' job path, ...)."""
        return {}

    def context(self) -> CIContext:
        token = self.token()
        return CIContext(
            provider=self.name,
            api_url=self.api_url(),
            server_url=self.server_url(),
            repository=self.repository(),
            head_sha=self.head_sha(),
            pr_number=self.pr_number(),
            is_fork=self.is_fork(),
            run_id=self.run_id(),
            run_url=self.run_url(),
            job_name=self.job_name(),
            job_url=self.job_url(),
            branch=self.branch(),
            base_branch=self.base_branch(),
            event_name=self.event_name(),
            token=token[0] if token else None,
            token_source=token[1] if token else None,
            token_kind=token[2] if token else None,
            username=self.username(),
            **self.extra(),
        )


def strip_ref(ref: str | None) -> str | None:
    """`refs/heads/feature/x` -> `feature/x`; other values unchanged."""
    if ref and ref.startswith("refs/heads/"):
        return ref[len("refs/heads/") :]
    return ref
