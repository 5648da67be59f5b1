"""Registers every provider adapter this version ships with the factory."""

from __future__ import annotations

import importlib

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
