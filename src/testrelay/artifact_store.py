"""Content-addressed files: each distinct content is kept once, under its SHA-256.

A file is copied and hashed into a temporary file first, outside any lock; `commit` then renames it
into place. Because the final name is the hash, two writers of the same content agree on the result and
a half-written file never carries a final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class StagedBlob:
    """A copy of a file, hashed and flushed to disk, waiting to be committed under its hash."""

    temp_path: Path
    sha256: str
    size: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.staging = root / "staging"

    def path_of(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / sha256

    def relative_path_of(self, sha256: str) -> str:
        return f"blobs/{sha256[:2]}/{sha256}"

    def stage(self, source: Path) -> StagedBlob:
        """Copy `source` into the store's staging folder, hashing it on the way. Raises OSError."""
        self.staging.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=self.staging, prefix="blob-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StagedBlob(Path(tmp), digest.hexdigest(), size)

    def commit(self, staged: StagedBlob) -> Path:
        """Move a staged copy to its final name; if that content is already stored, keep the stored one."""
        final = self.path_of(staged.sha256)
        if final.exists():
            staged.temp_path.unlink(missing_ok=True)
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.temp_path, final)
        return final

    def discard(self, staged: StagedBlob) -> None:
        staged.temp_path.unlink(missing_ok=True)

    def remove(self, sha256: str) -> int:
        """Delete one blob; returns the bytes freed (0 when it was already gone)."""
        path = self.path_of(sha256)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def drop_stale_staging(self, older_than_seconds: float, now: float) -> int:
        """Delete staged copies a killed process left behind (never committed, so no entry names them)."""
        dropped = 0
        for tmp in self.staging.glob("blob-*.tmp") if self.staging.is_dir() else ():
            try:
                if now - tmp.stat().st_mtime > older_than_seconds:
                    tmp.unlink()
                    dropped += 1
            except FileNotFoundError:
                continue
        return dropped

    def hashes(self) -> Iterator[str]:
        if not self.blobs.is_dir():
            return
        for shard in self.blobs.iterdir():
            if shard.is_dir():
                for blob in shard.iterdir():
                    if len(blob.name) == 64:
                        yield blob.name

    def verify(self, sha256: str) -> bool:
        """Whether the stored file still has the content its name promises."""
        digest = hashlib.sha256()
        try:
            with self.path_of(sha256).open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == sha256
