"""Finding testrelay's own thread among a pull request's comment threads.

A thread is ours when its first comment carries the hidden marker for our comment key. Azure keeps
system threads (merge status, votes, pushed commits) in the same list; they never carry the marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .sticky import is_ours


@dataclass(frozen=True)
class OurThread:
    thread_id: int
    comment_id: int
    content: str
    status: str | None


def _first_comment(thread: dict[str, Any]) -> dict[str, Any] | None:
    comments = [c for c in thread.get("comments") or [] if isinstance(c, dict) and not c.get("isDeleted")]
    roots = [c for c in comments if not c.get("parentCommentId")]
    candidates = roots or comments
    return min(candidates, key=lambda c: c.get("id") or 0) if candidates else None


def find_thread(threads: list[dict[str, Any]], key: str) -> OurThread | None:
    """Our thread for `key`; with several (an old run raced another), the oldest, so edits stay in one place."""
    ours: list[OurThread] = []
    for thread in threads:
        if not isinstance(thread, dict) or thread.get("isDeleted") or thread.get("id") is None:
            continue
        first = _first_comment(thread)
        if first is None or first.get("id") is None or not is_ours(first.get("content"), key):
            continue
        ours.append(OurThread(int(thread["id"]), int(first["id"]), str(first.get("content") or ""),
                              thread.get("status")))
    return min(ours, key=lambda t: t.thread_id) if ours else None
