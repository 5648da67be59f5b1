"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def safe_name(name: str, *, fallback: str = "unnamed", max_length: int = 120) -> str:
    """A single path component made from any string: no separators, no `..`, no NUL, never empty."""
    cleaned = _UNSAFE.sub("_", name.replace("\x00", "")).strip("._")
    return cleaned[:max_length] or fallback


def safe_key(value: str, *, max_length: int = 80) -> str:
    """A path component for `value` that stays unique: the readable `safe_name` plus a hash of the original.

    Two different strings that clean to the same name (`a/b` and `a_b`), or that share a long prefix, still
    get different components.
    """
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{safe_name(value, fallback='_', max_length=max_length)}-{digest}"
