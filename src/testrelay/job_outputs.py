"""GitHub Actions' job summary and step outputs, written through the files the runner names.

Both files are shared by every step of the job, so we append, never truncate.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

from .errors import PublishError

STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes, per step


def _append(path: str, text: str, what: str) -> None:
    try:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise PublishError(f"{what} {path}: cannot write: {exc.strerror}") from None


def write_step_summary(env: Mapping[str, str], markdown: str) -> bool:
    """Append to $GITHUB_STEP_SUMMARY when the runner set it; False when it did not."""
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    if len(markdown.encode("utf-8")) > STEP_SUMMARY_LIMIT:
        raise PublishError(f"job summary is over {STEP_SUMMARY_LIMIT:,} bytes; it must be fitted before writing")
    _append(path, markdown if markdown.endswith("\n") else markdown + "\n", "GITHUB_STEP_SUMMARY")
    return True


def set_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> bool:
    """Append step outputs to $GITHUB_OUTPUT, each in the multi-line form with a delimiter
    that cannot occur in the value."""
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return False
    lines = []
    for name, value in outputs.items():
        delimiter = f"testrelay_{secrets.token_hex(8)}"
        while delimiter in value:
            delimiter = f"testrelay_{secrets.token_hex(8)}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    _append(path, "".join(lines), "GITHUB_OUTPUT")
    return True
