"""The artifact index: which artifacts each test run has, kept so that a lookup reads one small file.

Layout under the store root:

    records/<run-key>/<artifact-id>.json   one record per artifact, written once per change; the truth
    index/<run-key>.json                   that run's records in one file; what lookups read
    .lock                                  a `filelock` lock that every writer holds, so processes can share a store

`<run-key>` is `fsutil.safe_key(test_run_id)`: nothing a caller passes reaches the file system as given.
Every file is written with `fsutil.atomic_write` (temporary file, fsync, rename), so a crash mid-write leaves
the previous version whole. The index files can be rebuilt from the records (`rebuild`), and a record-less
blob can be adopted, so a damaged index never loses a file.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .artifact_meta import ArtifactMeta
from .errors import ArtifactError
from .fsutil import atomic_write, safe_key

logger = logging.getLogger("testrelay.artifacts")

INDEX_VERSION = 1
REBUILD_HINT = "rebuild it with `testrelay artifacts rebuild --dir {root}`; the stored files are not affected"


class CorruptIndexError(ArtifactError):
    """An index or record file cannot be read; the stored files themselves are intact."""


@dataclass(frozen=True)
class RebuildReport:
    runs: int
    entries: int
    unreadable_records: tuple[str, ...]
    adopted_blobs: int


class ArtifactIndex:
    def __init__(self, root: Path, *, lock_timeout: float = 120.0) -> None:
        self.root = root
        self.records_dir = root / "records"
        self.index_dir = root / "index"
        self.lock = FileLock(str(root / ".lock"), timeout=lock_timeout)

    # ---- locking ------------------------------------------------------------------------------------

    def locked(self) -> FileLock:
        """The store-wide write lock (re-entrant within one handler)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self.lock

    def __enter__(self) -> ArtifactIndex:
        try:
            self.locked().acquire()
        except Timeout:
            raise ArtifactError(f"artifact store {self.root}: another process has held its lock for "
                                f"{self.lock.timeout:.0f} s", hint=f"remove {self.lock.lock_file} if no "
                                "testrelay process is running") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    # ---- paths --------------------------------------------------------------------------------------

    def index_path(self, test_run_id: str) -> Path:
        return self.index_dir / f"{safe_key(test_run_id)}.json"

    def record_path(self, meta: ArtifactMeta) -> Path:
        return self.records_dir / safe_key(meta.test_run_id) / f"{meta.artifact_id}.json"

    # ---- reading ------------------------------------------------------------------------------------

    def _load(self, path: Path) -> dict:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise CorruptIndexError(f"artifact index {path}: cannot read it ({exc})",
                                    hint=REBUILD_HINT.format(root=self.root)) from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CorruptIndexError(f"artifact index {path} is corrupt (line {exc.lineno}, column {exc.colno}: "
                                    f"{exc.msg})", hint=REBUILD_HINT.format(root=self.root)) from None
        if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
            raise CorruptIndexError(f"artifact index {path} is not a testrelay index (no 'entries' list)",
                                    hint=REBUILD_HINT.format(root=self.root))
        return document

    def _entries(self, path: Path) -> list[ArtifactMeta]:
        document = self._load(path)
        try:
            return [ArtifactMeta.from_dict(item) for item in document.get("entries", [])]
        except (TypeError, ValueError) as exc:
            raise CorruptIndexError(f"artifact index {path} holds an entry testrelay cannot read ({exc})",
                                    hint=REBUILD_HINT.format(root=self.root)) from None

    def run_entries(self, test_run_id: str) -> list[ArtifactMeta]:
        """One run's artifacts, oldest first. Reads that run's index file only; no lock is needed
        because a reader sees either the old or the new file, never half of one."""
        return [m for m in self._entries(self.index_path(test_run_id)) if m.test_run_id == test_run_id]

    def index_files(self) -> list[Path]:
        return sorted(self.index_dir.glob("*.json")) if self.index_dir.is_dir() else []

    def all_entries(self) -> Iterator[ArtifactMeta]:
        for path in self.index_files():
            yield from self._entries(path)

    # ---- writing (hold the lock) ----------------------------------------------------------------

    def _write_run(self, test_run_id: str, entries: list[ArtifactMeta]) -> None:
        path = self.index_path(test_run_id)
        if not entries:
            path.unlink(missing_ok=True)
            shutil.rmtree(self.records_dir / safe_key(test_run_id), ignore_errors=True)
            return
        entries.sort(key=lambda m: (m.created, m.artifact_id))
        document = {"version": INDEX_VERSION, "test_run_id": test_run_id,
                    "entries": [m.to_dict() for m in entries]}
        atomic_write(path, json.dumps(document, separators=(",", ":")))

    def _write_record(self, meta: ArtifactMeta) -> None:
        atomic_write(self.record_path(meta), json.dumps(meta.to_dict(), indent=1))

    def put(self, metas: Iterable[ArtifactMeta]) -> None:
        """Add or replace entries (matched by artifact id): their records first, then one index write per run."""
        by_run: dict[str, dict[str, ArtifactMeta]] = {}
        for meta in metas:
            by_run.setdefault(meta.test_run_id, {})[meta.artifact_id] = meta
        for test_run_id, changed in by_run.items():
            for meta in changed.values():
                self._write_record(meta)
            current = {m.artifact_id: m for m in self.run_entries(test_run_id)}
            current.update(changed)
            self._write_run(test_run_id, list(current.values()))

    def remove(self, metas: Iterable[ArtifactMeta]) -> None:
        by_run: dict[str, set[str]] = {}
        for meta in metas:
            by_run.setdefault(meta.test_run_id, set()).add(meta.artifact_id)
        for test_run_id, ids in by_run.items():
            kept = [m for m in self.run_entries(test_run_id) if m.artifact_id not in ids]
            # The index first: an entry whose record is gone is worse than a record the index forgot.
            self._write_run(test_run_id, kept)
            if kept:
                for artifact_id in ids:
                    (self.records_dir / safe_key(test_run_id) / f"{artifact_id}.json").unlink(missing_ok=True)

    # ---- rebuild ----------------------------------------------------------------------------------

    def read_records(self) -> tuple[list[ArtifactMeta], list[str]]:
        metas: list[ArtifactMeta] = []
        unreadable: list[str] = []
        if not self.records_dir.is_dir():
            return metas, unreadable
        for run_dir in sorted(self.records_dir.iterdir()):
            for record in sorted(run_dir.glob("*.json")) if run_dir.is_dir() else ():
                try:
                    metas.append(ArtifactMeta.from_dict(json.loads(record.read_text(encoding="utf-8"))))
                except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
                    logger.warning("artifact record %s cannot be read (%s): left out of the index", record, exc)
                    unreadable.append(str(record))
        return metas, unreadable

    def rebuild(self, metas: list[ArtifactMeta]) -> int:
        """Replace every index file with one made from `metas`; returns the number of runs."""
        by_run: dict[str, list[ArtifactMeta]] = {}
        for meta in metas:
            by_run.setdefault(meta.test_run_id, []).append(meta)
        wanted = {self.index_path(run) for run in by_run}
        for test_run_id, entries in by_run.items():
            self._write_run(test_run_id, entries)
        for path in self.index_files():
            if path not in wanted:
                path.unlink(missing_ok=True)
        return len(by_run)
