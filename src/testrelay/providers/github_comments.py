"""The sticky pull-request comment on GitHub: found again by its hidden marker, edited in place.

One listing of the PR's comments (100 a page, stopping at the first page that holds ours) tells
whether to create or update; a create that fails in a way that may still have happened on the
server lists again before it tries once more, so a retry never leaves two comments.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from . import sticky
from .http import ApiClient, ApiError, find_or_create

logger = logging.getLogger("testrelay.github")

PAGE = 100


@dataclass(frozen=True)
class CommentResult:
    action: str  # "create", "update" or "skip"
    id: str | None = None
    url: str | None = None


def body_too_long(exc: ApiError) -> bool:
    """GitHub's 422 for an oversized body: "Body is too long" / "body is too long (maximum is 65536 characters)"."""
    return exc.status == 422 and "too long" in str(exc).lower()


class StickyComments:
    def __init__(self, api: ApiClient, repo_path: str, key: str, mode: str) -> None:
        self.api = api
        self.repo_path = repo_path
        self.key = key
        self.mode = mode

    async def find(self, pr_number: str) -> dict[str, Any] | None:
        pages = self.api.paginate(f"{self.repo_path}/issues/{pr_number}/comments", params={"per_page": PAGE})
        async with aclosing(pages):
            async for comment in pages:
                if isinstance(comment, dict) and sticky.is_ours(comment.get("body"), self.key):
                    return comment
        return None

    async def post(self, pr_number: str, body: str, report: Any = None,
                   refit: Callable[[str], str] | None = None) -> CommentResult:
        """Create or update our comment as the comment mode says; `refit` shrinks a body GitHub found too long."""
        if self.mode == "off":
            return CommentResult("skip")
        body = sticky.with_marker(body, self.key)
        existing = await self.find(pr_number)
        action = sticky.decide(self.mode, report, existing.get("body") if existing else None, body)
        if action == "skip":
            return CommentResult("skip", *_where(existing) if existing else (None, None))
        try:
            done = await self._write(pr_number, body, existing)
        except ApiError as exc:
            if not body_too_long(exc) or refit is None:
                raise
            smaller = sticky.with_marker(refit(body), self.key)
            logger.warning("GitHub refused the comment as too long (%s characters); posting a shorter one (%s)",
                           f"{len(body):,}", f"{len(smaller):,}")
            done = await self._write(pr_number, smaller, existing)
        return CommentResult(action, *_where(done))

    async def _write(self, pr_number: str, body: str, existing: dict[str, Any] | None) -> dict[str, Any]:
        if existing is not None:
            # Editing is idempotent, so the HTTP layer may retry it freely.
            return await self.api.json("PATCH", f"{self.repo_path}/issues/comments/{existing['id']}",
                                       json={"body": body})

        async def create() -> dict[str, Any]:
            return await self.api.json("POST", f"{self.repo_path}/issues/{pr_number}/comments",
                                       json={"body": body}, retry=False)

        # The listing just done found nothing: no need to ask again before the first try.
        return await find_or_create(lambda: self.find(pr_number), create, look_first=False)


def _where(comment: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not isinstance(comment, dict):
        return None, None
    cid = comment.get("id")
    return (str(cid) if cid is not None else None), comment.get("html_url")
