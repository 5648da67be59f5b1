"""The one comment testrelay keeps per pull request and key: how it is recognised, and when to post.

Every provider's comment (GitHub issue comment, GitLab note, Azure thread) ends with a hidden
marker line; the comment carrying the marker for our key is edited in place, never duplicated.
"""

from __future__ import annotations

import re
from typing import Any

from ..render import marker_key

_FOOTER = re.compile(r"^<sub>testrelay · .*</sub>$", re.M)


def marker(key: str) -> str:
    return f"<!-- testrelay:comment key={marker_key(key)} -->"


def is_ours(body: str | None, key: str) -> bool:
    return bool(body) and marker(key) in body  # type: ignore[operator]


def with_marker(body: str, key: str) -> str:
    """The body ending with our marker (a user template or a library caller may have left it out)."""
    return body if is_ours(body, key) else f"{body.rstrip()}\n\n{marker(key)}\n"


def _content(body: str) -> str:
    """The body without its footer line, whose time changes on every run."""
    return _FOOTER.sub("", body).strip()


def decide(mode: str, report: Any | None, existing: str | None, new: str) -> str:
    """What to do with the comment: "create", "update" or "skip".

    always: post every time. failures: post when tests fail; a comment posted earlier is still
    updated when they pass again, so no stale failure is left standing. changes: post when the
    content differs from the earlier comment (or there is none and something changed). off: never.
    Without a report (a library call of add_pr_comment) there is nothing to judge by: it posts as
    always does.
    """
    if mode == "off":
        return "skip"
    if existing is not None and _content(existing) == _content(new):
        return "skip"  # same content: editing would only bump the timestamp and notify nobody
    action = "update" if existing is not None else "create"
    if mode == "always" or report is None:
        return action
    failing = report.failing > 0
    if mode == "failures":
        return action if failing or existing is not None else "skip"
    if mode == "changes":
        delta = report.delta
        changed = delta is not None and delta.any_changes
        return action if existing is not None or changed or (delta is None and failing) else "skip"
    raise ValueError(f"unknown comment mode {mode!r}")
