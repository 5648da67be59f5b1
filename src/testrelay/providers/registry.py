"""Registers every provider adapter this version ships with the factory."""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import PublishError, TestrelayError
from .base import CIProvider, CIProviderFactory

# name -> (module, class)
ADAPTERS: dict[str, tuple[str, str]] = {
    "local": ("local", "LocalProvider"),
    "github": ("github", "GitHubClient"),
    "gitlab": ("gitlab", "GitLabClient"),
    "jenkins": ("jenkins", "JenkinsClient"),
    "azure": ("azure", "AzureClient"),
}


def register_all_providers() -> tuple[str, ...]:
    """Register each adapter under its name; returns the names registered."""
    for name, (module_name, class_name) in ADAPTERS.items():
        cls: type[CIProvider] = getattr(importlib.import_module(f"{__package__}.{module_name}"), class_name)
        CIProviderFactory.register_provider(name, cls)
    return CIProviderFactory.available()


def provider_for(name: str, ctx: Any, config: Any) -> CIProvider:
    """The adapter for `name`, configured from the CI context and the run's Config, not yet initialized."""
    register_all_providers()
    try:
        provider_class = CIProviderFactory.provider_class(name)
    except TestrelayError:
        raise PublishError(f"no {name} adapter in this version of testrelay: nothing was posted",
                           hint="set provider: local, or upgrade testrelay") from None
    return provider_class(
        token=ctx.token, api_url=ctx.api_url, repository=ctx.repository, username=ctx.username,
        check_name=config.check_name, comment_mode=config.comment.mode, comment_key=config.comment.key,
    )
