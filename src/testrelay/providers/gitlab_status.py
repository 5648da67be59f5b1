"""GitLab's words for a commit status, and the names GitLab accepts in its package registry.

Kept apart from the client so the mappings can be read (and tested) at a glance.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

STATES = ("pending", "running", "success", "failed", "canceled", "skipped")
DESCRIPTION_LIMIT = 255  # GitLab's column for a commit status description
NOTE_LIMIT = 1_000_000  # characters in one note

# The words the library API and the other providers use, in GitLab's terms.
_ALIASES = {
    "queued": "pending",
    "waiting": "pending",
    "in_progress": "running",
    "started": "running",
    "passed": "success",
    "succeeded": "success",
    "ok": "success",
    "failure": "failed",
    "error": "failed",
    "errored": "failed",
    "timed_out": "failed",
    "cancelled": "canceled",
    # GitHub's neutral has no GitLab twin; "skipped" is refused before GitLab 19, and a neutral
    # outcome does not block a merge on GitHub either.
    "neutral": "success",
    "no tests": "success",
}

# The state-machine event GitLab names in "Cannot transition status via :EVENT from :STATE".
_EVENT_STATE = {"enqueue": "pending", "run": "running", "success": "success", "drop": "failed",
                "cancel": "canceled", "skip": "skipped"}
_TRANSITION = re.compile(r"Cannot transition status via :(\w+) from :(\w+)")

# Generic package names, versions and file names: letters, digits and . _ - + only.
_PACKAGE_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def gitlab_state(status: str, conclusion: str | None = None) -> str:
    """GitLab's state for a status word; "completed" takes its meaning from the conclusion."""
    word = status.strip().lower()
    if word == "completed":
        return gitlab_state(conclusion or "success")
    state = _ALIASES.get(word, word)
    if state not in STATES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATES)}")
    return state


def state_of_summary(summary: dict[str, Any]) -> str:
    """The final state from `{"task_statuses": {"failed": n, ...}}`: any failure or error fails it."""
    counts = summary.get("task_statuses") or {}
    bad = sum(int(counts.get(k) or 0) for k in ("failed", "failure", "error", "errors"))
    return "failed" if bad else "success"


def describe_summary(summary: dict[str, Any]) -> str:
    counts = summary.get("task_statuses") or {}
    parts = [f"{int(n):,} {name}" for name, n in counts.items() if n]
    total = summary.get("total_tasks")
    text = (f"{int(total):,} tests: " if total is not None else "") + (", ".join(parts) or "no results")
    duration = summary.get("duration")
    if duration:
        text += f" · {float(duration):,.1f} s"
    return text


def repeated_transition(message: str, wanted: str) -> bool:
    """True when GitLab refused a transition only because the status is already in the wanted state."""
    match = _TRANSITION.search(message)
    if not match:
        return False
    event, current = match.groups()
    return _EVENT_STATE.get(event) == wanted and current == wanted


def short_description(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= DESCRIPTION_LIMIT else line[: DESCRIPTION_LIMIT - 1] + "…"


def project_ref(project: str | int) -> str:
    """The `:id` of a project in a URL: the number as it is, a path like group/sub/project URL-encoded."""
    value = str(project).strip().strip("/")
    return value if value.isdigit() else quote(value, safe="")


def package_part(value: str, fallback: str) -> str:
    """A package version or file name GitLab accepts: unsafe runs become '-', no leading or trailing dot."""
    cleaned = _PACKAGE_UNSAFE.sub("-", value).strip(".-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    return cleaned[:255] or fallback
