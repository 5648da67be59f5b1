"""What a GitHub check run is sent: its conclusion, its output, and the annotations in batches of 50.

GitHub takes at most 50 annotations per create or update request and appends those of each further
update, so a long list goes out as one completing PATCH followed by more PATCHes that repeat the
output's title and summary (both are required whenever `output` is sent).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..report import Annotation, Report, Verdict

ANNOTATIONS_PER_REQUEST = 50
SUMMARY_CHARS = 65_535
TITLE_CHARS = 255  # an annotation's title; the output title has no documented limit, keep it one line
MESSAGE_BYTES = 64 * 1024
CONCLUSIONS = ("action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out")
# Words library users pass as a status that mean the run is over, and the conclusion each implies.
FINISHED = {"completed": None, "success": "success", "passed": "success", "failure": "failure",
            "failed": "failure", "error": "failure", "neutral": "neutral", "skipped": "skipped",
            "cancelled": "cancelled"}
FAILING_STATES = ("failed", "failure", "error", "errors", "broken", "timedout", "timed_out")


def conclusion_of(report: Report) -> str:
    if report.verdict == Verdict.NO_TESTS:
        return "neutral"
    return "failure" if report.verdict == Verdict.FAILED else "success"


def _cut_bytes(text: str, size: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= size:
        return text
    return data[: size - 3].decode("utf-8", "ignore") + "…"


def _one_line(text: str, size: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1] + "…"


def annotation(a: Annotation) -> dict[str, Any]:
    """One check-run annotation; GitHub requires a line, so an unknown one points at line 1."""
    line = a.line if isinstance(a.line, int) and a.line > 0 else 1
    item: dict[str, Any] = {
        "path": a.file.removeprefix("./"),
        "start_line": line,
        "end_line": line,
        "annotation_level": "failure",
        "message": _cut_bytes(a.message or a.title or "failed", MESSAGE_BYTES),
    }
    if a.title:
        item["title"] = _one_line(a.title, TITLE_CHARS)
    return item


def batches(items: Iterable[dict[str, Any]], size: int = ANNOTATIONS_PER_REQUEST) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def completion_bodies(conclusion: str, title: str, summary: str,
                      annotations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The PATCH bodies that complete a check run: the first carries the conclusion, every one the output."""
    output = {"title": _one_line(title, 1000) or "Test results", "summary": summary[:SUMMARY_CHARS]}
    groups = list(batches(annotations)) or [[]]
    bodies: list[dict[str, Any]] = []
    for i, group in enumerate(groups):
        body: dict[str, Any] = {"output": {**output, **({"annotations": group} if group else {})}}
        if i == 0:
            body.update(status="completed", conclusion=conclusion)
        bodies.append(body)
    return bodies


def from_update_data(update_data: Mapping[str, Any]) -> tuple[str | None, str, str]:
    """(conclusion or None while in progress, title, summary) from the library's `{"status", "summary"}` shape."""
    status = str(update_data.get("status") or "completed").lower()
    summary = update_data.get("summary")
    summary = summary if isinstance(summary, Mapping) else {}
    counts: Mapping[str, Any] = summary.get("task_statuses") or {}
    total = int(summary.get("total_tasks") or sum(int(v) for v in counts.values()))
    failing = sum(int(v) for k, v in counts.items() if str(k).lower() in FAILING_STATES)
    explicit = update_data.get("conclusion")
    if explicit is not None and str(explicit) not in CONCLUSIONS:
        raise ValueError(f"conclusion {explicit!r} is not one of {', '.join(CONCLUSIONS)}")
    if status in ("in_progress", "queued", "running", "pending"):
        conclusion = None
    elif explicit:
        conclusion = str(explicit)
    elif FINISHED.get(status):
        conclusion = FINISHED[status]
    else:
        conclusion = "failure" if failing else ("success" if total else "neutral")
    parts = [f"{int(v):,} {k}" for k, v in counts.items()]
    title = f"{total:,} tasks" + (f": {', '.join(parts)}" if parts else "")
    lines = ["| status | count |", "|:--|--:|", *(f"| {k} | {int(v):,} |" for k, v in counts.items()),
             f"| **total** | **{total:,}** |"]
    duration = summary.get("duration")
    if duration is not None:
        lines += ["", f"Duration: {float(duration):,.1f} s"]
    text = update_data.get("text")
    return conclusion, title, str(text) if text else "\n".join(lines)
