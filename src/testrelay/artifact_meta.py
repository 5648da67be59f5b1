"""What the store knows about one artifact: a frozen, JSON-serialisable record."""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class UploadState(StrEnum):
    STORED = "stored"  # in the local store; no provider was asked
    UPLOADED = "uploaded"  # in the local store and accepted by the provider
    UPLOAD_FAILED = "upload_failed"  # in the local store; the provider refused or failed (see `error`)


@dataclass(frozen=True, slots=True)
class ArtifactMeta:
    """One artifact. `name` and `test_run_id` are kept exactly as given; only the store's paths are sanitised."""

    artifact_id: str  # unique per entry: two uploads of one name are two entries
    name: str
    artifact_type: str
    test_run_id: str
    created: str  # UTC, ISO 8601
    size: int
    sha256: str
    media_type: str
    local_path: str  # the content-addressed copy; absolute when read through the handler
    state: UploadState = UploadState.STORED
    provider: str | None = None
    remote_ref: str | None = None  # the provider's id or URL once uploaded
    error: str | None = None  # why the upload failed

    @property
    def uploaded(self) -> bool:
        return self.state is UploadState.UPLOADED

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def with_upload(self, provider: str, *, remote_ref: str | None = None, error: str | None = None) -> ArtifactMeta:
        """The same artifact after an upload attempt: uploaded when there is no error."""
        state = UploadState.UPLOAD_FAILED if error else UploadState.UPLOADED
        return replace(self, provider=provider, state=state, remote_ref=None if error else remote_ref, error=error)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = str(self.state)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArtifactMeta:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["state"] = UploadState(values.get("state", UploadState.STORED))
        return cls(**values)


def new_artifact_id(now: datetime) -> str:
    """Sorts by creation time; the random part keeps ids unique across processes writing at once."""
    return f"{now:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:12]}"


def now_utc() -> datetime:
    return datetime.now(UTC)


def media_type_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"
