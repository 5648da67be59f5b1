"""testrelay: report test results from any CI job where people look.

The library API: the provider clients, their factory and the artifact handler. They are loaded on
first use, so `import testrelay` (and the command line) stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "CIProvider": "testrelay.providers.base",
    "CIProviderFactory": "testrelay.providers.base",
    "Outcome": "testrelay.providers.base",
    "register_all_providers": "testrelay.providers.registry",
    "GitHubClient": "testrelay.providers.github",
    "GitLabClient": "testrelay.providers.gitlab",
    "JenkinsClient": "testrelay.providers.jenkins",
    "AzureClient": "testrelay.providers.azure",
    "AzureDevOpsClient": "testrelay.providers.azure",
    "LocalProvider": "testrelay.providers.local",
    "ArtifactHandler": "testrelay.artifacts",
    "get_artifact_handler": "testrelay.artifacts",
    "parse": "testrelay.results.parse",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'testrelay' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
