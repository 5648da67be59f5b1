"""The pipeline's artifact step: keep the result files and the report in the store, then offer them to the provider.

Neither step ever fails the run: the report is already on disk when they run, and a file that could not be
stored or uploaded is a warning in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from . import log
from .artifact_meta import ArtifactMeta
from .artifacts import ArtifactHandler, get_artifact_handler
from .errors import TestrelayError
from .providers.base import CIProvider

logger = logging.getLogger("testrelay.artifacts")

STORE_FOLDER = "artifacts"  # inside the output folder, which `output_dir` documents as the place for artifacts


def artifact_run_id(ci_run_id: str | None) -> str:
    """The CI's run id, or a timestamp outside CI, so local runs do not pile into one."""
    return ci_run_id or f"local-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"


def store_run_files(output_dir: Path, test_run_id: str, result_files: Iterable[Path],
                    report_files: Iterable[Path]) -> ArtifactHandler | None:
    """Store the files under the run's id; returns the handler, or None when nothing could be stored."""
    items = [{"source_path": str(p), "artifact_name": p.name, "artifact_type": kind, "test_run_id": test_run_id}
             for kind, paths in (("result", result_files), ("report", report_files)) for p in paths if p.is_file()]
    if not items:
        return None
    handler = get_artifact_handler(output_dir / STORE_FOLDER)
    try:
        handler.store_artifacts(items)
    except TestrelayError as exc:
        log.annotate("warning", f"artifacts not stored: {exc}. The report itself is in {output_dir}.")
        return None
    logger.info("stored %d artifact(s) for test run %s in %s", len(items), test_run_id, handler.root)
    return handler


async def upload_run_files(handler: ArtifactHandler, test_run_id: str, provider_name: str,
                           provider: CIProvider) -> list[ArtifactMeta]:
    """Offer the run's stored files to the provider; one warning sums up what it did not take."""
    handler.register_provider(provider_name, provider)
    try:
        results = await handler.upload_stored(test_run_id, provider_name)
    except TestrelayError as exc:
        log.annotate("warning", f"artifacts not uploaded to {provider_name}: {exc}. They are in {handler.root}.")
        return []
    failed = [m for m in results if not m.uploaded]
    if failed:
        log.annotate("warning", f"{len(failed)} of {len(results)} artifact(s) not uploaded to {provider_name}: "
                     f"{failed[0].error}. They are kept in {handler.root}.")
    return results
