"""Which CI runs this job, and what it says about the commit, the PR and the token.

One small detector per CI (GitHub Actions, GitLab CI, Jenkins, Azure Pipelines); `local` when none
matches. The variables each CI sets are listed in CI_ENV.md beside DESIGN.md.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .azure import AzurePipelines
from .base import Detector
from .context import PROVIDERS, CIContext
from .github import GitHubActions
from .gitlab import GitLabCI
from .jenkins import Jenkins

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["DETECTORS", "PROVIDERS", "CIContext", "Detector", "apply_config", "detect"]

log = logging.getLogger(__name__)

# Order matters only when a job runs one CI inside another's agent (a GitLab runner started by Jenkins):
# the more specific markers come first.
DETECTORS: tuple[type[Detector], ...] = (GitHubActions, GitLabCI, AzurePipelines, Jenkins)
_BY_NAME: dict[str, type[Detector]] = {d.name: d for d in DETECTORS}


def detect(env: Mapping[str, str], config: Config | None = None) -> CIContext:
    """The CIContext of this job; with a config, its provider, token, api_url and username win."""
    forced = config.provider if config is not None and config.provider != "auto" else None
    detector: Detector | None = None
    if forced in _BY_NAME:
        detector = _BY_NAME[forced](env)
        if not detector.detect():
            log.debug("provider %s chosen by configuration; its CI variables are not set", forced)
    else:
        detector = next((d for d in (cls(env) for cls in DETECTORS) if d.detect()), None)
    ctx = detector.context() if detector else CIContext(provider="local")
    if forced == "local":
        # Keep what the CI told (commit, run link) for the report; only the destination changes.
        ctx = dataclasses.replace(ctx, provider="local")
    return apply_config(ctx, config, env) if config is not None else ctx


def apply_config(ctx: CIContext, config: Config, env: Mapping[str, str] | None = None) -> CIContext:
    """Config's token, api_url and username override what the environment gave."""
    changes: dict[str, object] = {}
    if config.token:
        detector = _BY_NAME.get(ctx.provider, Detector)(env or {})
        changes.update(
            token=config.token,
            token_source=config.origins.get("token", "config"),
            token_kind=detector.token_kind(config.token),
        )
    if config.api_url:
        changes["api_url"] = config.api_url.rstrip("/")
    if config.username:
        changes["username"] = config.username
    return dataclasses.replace(ctx, **changes) if changes else ctx
