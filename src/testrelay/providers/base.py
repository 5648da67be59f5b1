"""The provider interface every adapter keeps, the factory that creates them by name,
and the Outcome a publish returns.

The async method set is the library API users know; `publish` composes those calls
for the entrypoint, one provider at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..errors import ConfigError


class Texts(Protocol):
    """Rendered text for a destination (e.g. "github-comment"), already fitted to its size limit."""

    def text(self, destination: str) -> str: ...


@dataclass(frozen=True)
class Outcome:
    """What a publish did: where people can look, and what went wrong on the way."""

    provider: str
    ok: bool = True
    links: dict[str, str] = field(default_factory=dict)  # e.g. {"check_run": url, "comment": url}
    ids: dict[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()  # warnings a user should read (fork token, no PR comments on Jenkins, ...)
    errors: tuple[str, ...] = ()
    artifacts: tuple[Any, ...] = ()  # ArtifactMeta of the files offered to the provider, with their upload state


class CIProvider(ABC):
    """One CI or code host. Create through CIProviderFactory, or directly with keyword config."""

    name: ClassVar[str] = ""
    # False where the provider has no upload API (GitHub, Jenkins): the CI templates archive the store
    # folder instead, and the entrypoint does not offer the run's files to upload_artifact.
    uploads_artifacts: ClassVar[bool] = True
    # True where an upload needs nothing that publish creates (GitLab's package registry): the entrypoint
    # then uploads first, so the comment can link the uploaded report. Azure attaches to the test run that
    # publish creates, so it uploads after.
    uploads_before_publish: ClassVar[bool] = False

    def __init__(self, **config: Any) -> None:
        self.config: dict[str, Any] = dict(config)

    async def __aenter__(self) -> CIProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @abstractmethod
    async def initialize(self, config: dict[str, Any]) -> bool:
        """Take the configuration and check it can work (e.g. the token is accepted)."""

    @abstractmethod
    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        """Start a test run (check run, commit status, Azure test run); returns {"id", "name", "status", "url"}."""

    @abstractmethod
    async def update_test_run(self, test_run_id: str, update_data: dict[str, Any]) -> bool:
        """Update or complete a test run with `{"status", "summary": {...}}` or a full report."""

    @abstractmethod
    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        """Post the report on a pull request; edits this tool's earlier comment instead of adding one."""

    @abstractmethod
    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        """Attach a file to the test run where the provider allows it."""

    @abstractmethod
    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        """The current state of a test run as the provider reports it."""

    @abstractmethod
    async def set_build_status(self, status: str, description: str) -> bool:
        """Mark the commit or build: status is pending, success, failure or error."""

    def bind(self, ctx: Any) -> None:  # noqa: B027 - most providers read the context in publish
        """Take from the CI context what the configuration did not give (ids, commit, URLs)."""

    async def close(self) -> None:  # noqa: B027 - providers without connections have nothing to close
        """Release connections."""

    @abstractmethod
    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        """Everything the entrypoint asks of this provider for one report."""


class CIProviderFactory:
    """Creates providers by name: `await CIProviderFactory.create_provider("github", {...})`."""

    _providers: ClassVar[dict[str, type[CIProvider]]] = {}

    @classmethod
    def register_provider(cls, name: str, provider_class: type[CIProvider]) -> None:
        cls._providers[name.lower()] = provider_class

    @classmethod
    def available(cls) -> tuple[str, ...]:
        return tuple(sorted(cls._providers))

    @classmethod
    def provider_class(cls, name: str) -> type[CIProvider]:
        try:
            return cls._providers[name.lower()]
        except KeyError:
            known = ", ".join(cls.available()) or "none registered"
            raise ConfigError(f"provider: unknown provider {name!r}", hint=f"known providers: {known}") from None

    @classmethod
    async def create_provider(cls, name: str, config: dict[str, Any] | None = None) -> CIProvider:
        provider = cls.provider_class(name)(**(config or {}))
        await provider.initialize(dict(config or {}))
        return provider
