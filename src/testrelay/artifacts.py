"""ArtifactHandler: keeps every artifact in a local store first, then asks a provider to upload it.

    handler = get_artifact_handler(storage_dir=".testrelay/artifacts")
    handler.register_provider("github", provider)
    ok, meta = await handler.upload_artifact(source_path="out/report.json", artifact_name="report.json",
                                             artifact_type="report", test_run_id="run-123", provider_name="github")

`ok` is True only when what was asked happened: stored, when no provider was named; uploaded, when one
was. A failed upload keeps the local copy, is recorded as `upload_failed` with its error, and is logged.
The store itself is in `artifact_store` (files), `artifact_index` (the index) and `artifact_meta` (records).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .artifact_index import ArtifactIndex, RebuildReport
from .artifact_meta import ArtifactMeta, UploadState, media_type_of, new_artifact_id, now_utc
from .artifact_store import BlobStore, StagedBlob
from .errors import ArtifactError
from .log import SECRETS
from .providers.base import CIProvider

logger = logging.getLogger("testrelay.artifacts")

DEFAULT_STORAGE_DIR = ".testrelay/artifacts"
UPLOAD_CONCURRENCY = 4
MAX_ERROR_CHARS = 500
STALE_STAGING_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PurgeResult:
    entries: int = 0
    blobs: int = 0
    bytes_freed: int = 0


class ArtifactHandler:
    def __init__(self, storage_dir: str | os.PathLike[str] = DEFAULT_STORAGE_DIR, *,
                 upload_concurrency: int = UPLOAD_CONCURRENCY, lock_timeout: float = 120.0) -> None:
        self.root = Path(storage_dir).resolve()
        self.blobs = BlobStore(self.root)
        self.index = ArtifactIndex(self.root, lock_timeout=lock_timeout)
        self.upload_concurrency = max(1, upload_concurrency)
        self.providers: dict[str, CIProvider] = {}

    # ---- providers -------------------------------------------------------------------------------

    def register_provider(self, name: str, provider: CIProvider) -> None:
        self.providers[name.lower()] = provider

    def _provider(self, name: str) -> CIProvider:
        try:
            return self.providers[name.lower()]
        except KeyError:
            known = ", ".join(sorted(self.providers)) or "none"
            raise ArtifactError(f"artifact upload: no provider {name!r} registered with the artifact handler",
                                hint=f"call register_provider({name!r}, provider) first; registered: {known}") from None

    # ---- storing ---------------------------------------------------------------------------------

    def _absolute(self, meta: ArtifactMeta) -> ArtifactMeta:
        return replace(meta, local_path=str(self.root / meta.local_path))

    def _relative(self, meta: ArtifactMeta) -> ArtifactMeta:
        path = Path(meta.local_path)
        if path.is_absolute():
            return replace(meta, local_path=path.relative_to(self.root).as_posix())
        return meta

    def _stage(self, source_path: str | os.PathLike[str]) -> StagedBlob:
        source = Path(source_path)
        if not source.is_file():
            raise ArtifactError(f"artifact {source}: no such file", hint="check the path; nothing was stored")
        try:
            return self.blobs.stage(source)
        except OSError as exc:
            raise ArtifactError(f"artifact {source}: cannot copy it into {self.root}: {exc.strerror or exc}",
                                hint="check the file's permissions and the free space of the store") from None

    @staticmethod
    def _check(test_run_id: Any, artifact_name: Any) -> None:
        for label, value in (("test run id", test_run_id), ("artifact name", artifact_name)):
            if not isinstance(value, str) or not value.strip():
                raise ArtifactError(f"artifact: the {label} must be a non-empty string, not {value!r}")

    def store_artifacts(self, items: Iterable[Mapping[str, Any]]) -> list[ArtifactMeta]:
        """Copy files into the store and index them (one index write per run), without any upload.

        Each item has `source_path` and `test_run_id`, and optionally `artifact_name` (default: the file's
        name) and `artifact_type` (default "file"). Raises ArtifactError before indexing anything if a file
        cannot be read.
        """
        staged: list[tuple[StagedBlob, dict[str, Any]]] = []
        try:
            for item in items:
                source = item["source_path"]
                name = item.get("artifact_name") or Path(source).name
                self._check(item.get("test_run_id"), name)
                staged.append((self._stage(source), {**item, "artifact_name": name}))
            metas = []
            with self.index:
                for blob, item in staged:
                    self.blobs.commit(blob)
                    now = now_utc()
                    metas.append(ArtifactMeta(
                        artifact_id=new_artifact_id(now),
                        name=item["artifact_name"],
                        artifact_type=str(item.get("artifact_type") or "file"),
                        test_run_id=item["test_run_id"],
                        created=now.isoformat(),
                        size=blob.size,
                        sha256=blob.sha256,
                        media_type=media_type_of(item["artifact_name"]),
                        local_path=self.blobs.relative_path_of(blob.sha256),
                    ))
                self._put(metas)
        except BaseException:
            for blob, _ in staged:
                self.blobs.discard(blob)
            raise
        return [self._absolute(m) for m in metas]

    def _put(self, metas: list[ArtifactMeta]) -> None:
        try:
            self.index.put(self._relative(m) for m in metas)
        except OSError as exc:
            raise ArtifactError(f"artifact index in {self.root}: cannot write it: {exc.strerror or exc}",
                                hint="the previous index is intact; check free space and permissions, "
                                     "then `testrelay artifacts rebuild`") from None

    # ---- uploading -------------------------------------------------------------------------------

    async def _upload_one(self, provider_name: str, provider: CIProvider, meta: ArtifactMeta) -> ArtifactMeta:
        try:
            answer = await provider.upload_artifact(meta.test_run_id, meta.local_path, meta.name)
        except Exception as exc:  # any failure of the provider is reported, the local copy stays
            error = SECRETS.redact(str(exc) or exc.__class__.__name__)[:MAX_ERROR_CHARS]
        else:
            if answer is False or answer is None:
                error = f"{provider_name} did not accept the upload"
            else:
                # Read at once: no other upload can run between the provider's return and this line.
                ref = _remote_ref(answer) or getattr(provider, "last_upload_url", None)
                return meta.with_upload(provider_name, remote_ref=str(ref) if ref else None)
        logger.warning("artifact %r of test run %r: upload to %s failed: %s; the local copy is at %s",
                       meta.name, meta.test_run_id, provider_name, error, meta.local_path)
        return meta.with_upload(provider_name, error=error)

    async def _upload(self, metas: list[ArtifactMeta], provider_name: str) -> list[ArtifactMeta]:
        provider = self._provider(provider_name)
        gate = asyncio.Semaphore(self.upload_concurrency)

        async def bounded(meta: ArtifactMeta) -> ArtifactMeta:
            async with gate:
                return await self._upload_one(provider_name, provider, meta)

        results = list(await asyncio.gather(*(bounded(m) for m in metas)))
        with self.index:
            self._put(results)
        return results

    async def upload_artifact(self, source_path: str | os.PathLike[str], artifact_name: str | None = None,
                              artifact_type: str = "file", test_run_id: str = "",
                              provider_name: str | None = None) -> tuple[bool, ArtifactMeta]:
        """Store one file, then upload it if `provider_name` is given. Returns (ok, metadata).

        Raises ArtifactError when the file cannot be stored at all (missing source, unwritable store).
        """
        if provider_name:
            self._provider(provider_name)  # an unknown provider is a caller's mistake: refuse before storing
        (meta,) = self.store_artifacts([{"source_path": source_path, "artifact_name": artifact_name,
                                         "artifact_type": artifact_type, "test_run_id": test_run_id}])
        if not provider_name:
            return True, meta
        (meta,) = await self._upload([meta], provider_name)
        return meta.uploaded, meta

    async def upload_artifacts_batch(self, items: Iterable[Mapping[str, Any]], provider_name: str | None = None,
                                     ) -> dict[str, tuple[bool, ArtifactMeta | None]]:
        """Store several files, then upload them concurrently (at most `upload_concurrency` at once).

        Returns artifact name -> (ok, metadata); a second item with the same name gets the key "name#2".
        An item whose file cannot be stored gets (False, None) and is logged; the others go on.
        """
        if provider_name:
            self._provider(provider_name)
        keys: list[str] = []
        seen: Counter[str] = Counter()
        results: dict[str, tuple[bool, ArtifactMeta | None]] = {}
        storable: list[tuple[str, Mapping[str, Any]]] = []
        for item in items:
            name = str(item.get("artifact_name") or Path(str(item.get("source_path", ""))).name)
            seen[name] += 1
            key = name if seen[name] == 1 else f"{name}#{seen[name]}"
            keys.append(key)
            try:
                self._check(item.get("test_run_id"), name)
                if not Path(item["source_path"]).is_file():
                    raise ArtifactError(f"artifact {item['source_path']}: no such file")
            except (ArtifactError, KeyError) as exc:
                logger.error("artifact %r not stored: %s", name, exc)
                results[key] = (False, None)
                continue
            storable.append((key, item))
        metas = self.store_artifacts(item for _, item in storable)
        if provider_name and metas:
            metas = await self._upload(metas, provider_name)
        for (key, _), meta in zip(storable, metas, strict=True):
            results[key] = (meta.uploaded if provider_name else True, meta)
        return {key: results[key] for key in keys}

    async def upload_stored(self, test_run_id: str, provider_name: str) -> list[ArtifactMeta]:
        """Upload a run's artifacts that are not uploaded yet (stored, or failed before)."""
        pending = [m for m in self.get_artifacts_for_test_run(test_run_id) if m.state is not UploadState.UPLOADED]
        return await self._upload(pending, provider_name) if pending else []

    # ---- lookups -----------------------------------------------------------------------------------

    def get_artifacts_for_test_run(self, test_run_id: str) -> list[ArtifactMeta]:
        """The run's artifacts, oldest first (reads that run's index file only)."""
        return [self._absolute(m) for m in self.index.run_entries(test_run_id)]

    def get_artifact_by_name(self, test_run_id: str, artifact_name: str) -> ArtifactMeta | None:
        """The newest artifact of that name in that run, or None."""
        found = [m for m in self.index.run_entries(test_run_id) if m.name == artifact_name]
        return self._absolute(found[-1]) if found else None

    def list_artifacts(self) -> list[ArtifactMeta]:
        return sorted((self._absolute(m) for m in self.index.all_entries()), key=lambda m: (m.created, m.artifact_id))

    def path_of(self, meta: ArtifactMeta) -> Path:
        return self.blobs.path_of(meta.sha256)

    # ---- retention ---------------------------------------------------------------------------------

    def _remove(self, doomed: list[ArtifactMeta]) -> PurgeResult:
        """Drop entries, then every blob no remaining entry references (call with the lock held)."""
        if not doomed:
            return PurgeResult()
        self.index.remove(doomed)
        referenced = {m.sha256 for m in self.index.all_entries()}
        blobs = freed = 0
        for sha in {m.sha256 for m in doomed} - referenced:
            size = self.blobs.remove(sha)
            blobs += 1
            freed += size
        logger.info("artifact store %s: removed %d entries and %d files (%d bytes)", self.root, len(doomed),
                    blobs, freed)
        return PurgeResult(entries=len(doomed), blobs=blobs, bytes_freed=freed)

    async def purge_artifacts_for_test_run(self, test_run_id: str) -> PurgeResult:
        """Remove a run's artifacts from the local store (uploaded copies stay with the provider)."""
        with self.index:
            return self._remove(self.index.run_entries(test_run_id))

    def purge(self, *, older_than: timedelta | None = None, max_bytes: int | None = None,
              now: datetime | None = None) -> PurgeResult:
        """Remove entries created before `now - older_than`, then the oldest until the files take at most
        `max_bytes` (each distinct content counted once)."""
        with self.index:
            # A day is far longer than any copy takes, so a staged file that old belongs to a killed process.
            self.blobs.drop_stale_staging(STALE_STAGING_SECONDS, time.time())
            entries = sorted(self.index.all_entries(), key=lambda m: (m.created, m.artifact_id))
            doomed: list[ArtifactMeta] = []
            if older_than is not None:
                cutoff = (now or now_utc()) - older_than
                doomed = [m for m in entries if m.created_at < cutoff]
                entries = [m for m in entries if m.created_at >= cutoff]
            if max_bytes is not None:
                refs = Counter(m.sha256 for m in entries)
                sizes = {m.sha256: m.size for m in entries}
                total = sum(sizes.values())
                for meta in entries:
                    if total <= max_bytes:
                        break
                    doomed.append(meta)
                    refs[meta.sha256] -= 1
                    if refs[meta.sha256] == 0:
                        total -= sizes[meta.sha256]
            return self._remove(doomed)

    # ---- repair --------------------------------------------------------------------------------------

    def rebuild_index(self) -> RebuildReport:
        """Write the index again from the per-artifact records. A stored file that no record names (its
        record was lost) is kept and indexed under the test run "recovered", named by its hash."""
        with self.index:
            metas, unreadable = self.index.read_records()
            known = {m.sha256 for m in metas}
            adopted = []
            for sha in sorted(set(self.blobs.hashes()) - known):
                path = self.blobs.path_of(sha)
                created = datetime.fromtimestamp(path.stat().st_mtime, now_utc().tzinfo)
                adopted.append(ArtifactMeta(
                    artifact_id=new_artifact_id(created), name=sha, artifact_type="recovered",
                    test_run_id="recovered", created=created.isoformat(), size=path.stat().st_size, sha256=sha,
                    media_type="application/octet-stream", local_path=self.blobs.relative_path_of(sha)))
            if adopted:
                self.index.put(adopted)
            runs = self.index.rebuild(metas + adopted)
        logger.info("artifact index of %s rebuilt: %d runs, %d entries", self.root, runs, len(metas) + len(adopted))
        return RebuildReport(runs=runs, entries=len(metas) + len(adopted), unreadable_records=tuple(unreadable),
                             adopted_blobs=len(adopted))


def _remote_ref(answer: Any) -> str | None:
    """The provider's id or URL, for adapters that return more than True."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, Mapping):
        for key in ("url", "id", "location"):
            if answer.get(key):
                return str(answer[key])
    return None


_HANDLERS: dict[Path, ArtifactHandler] = {}


def get_artifact_handler(storage_dir: str | os.PathLike[str] = DEFAULT_STORAGE_DIR) -> ArtifactHandler:
    """The handler for that folder: one per resolved path, so a different folder gets its own handler."""
    root = Path(storage_dir).resolve()
    handler = _HANDLERS.get(root)
    if handler is None:
        handler = _HANDLERS[root] = ArtifactHandler(root)
    return handler
