"""Fitting a rendered report into a destination's size limit without breaking its markup.

Degrading happens by rendering a smaller Report, never by slicing text, so a table, a
code block or a <details> is never cut in half. Only when even the smallest Report is too
long does a last cut happen, on a line boundary outside every block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from .render import Renderer
from .report import Report
from .report_delta import Changes
from .report_trim import trim_trace


class Unit(StrEnum):
    CHARS = "characters"
    BYTES = "bytes"  # UTF-8


@dataclass(frozen=True, slots=True)
class Limit:
    size: int
    unit: Unit = Unit.CHARS

    def measure(self, text: str) -> int:
        return len(text.encode("utf-8")) if self.unit is Unit.BYTES else len(text)

    def fits(self, text: str) -> bool:
        return self.measure(text) <= self.size

    def __str__(self) -> str:
        return f"{self.size:,} {self.unit}"


DESTINATIONS: dict[str, Limit] = {
    "github-comment": Limit(65_536),
    "github-check-summary": Limit(65_535),
    "gitlab-note": Limit(1_000_000),
    "azure-comment": Limit(150_000),
    "job-summary": Limit(1_048_576, Unit.BYTES),
    "status": Limit(140),
    # Jenkins sets no limit, but a description is shown on every build page: keep it small.
    "jenkins-description": Limit(65_536),
}

# The template each destination shows, when none is named.
DEFAULT_TEMPLATES: dict[str, str] = {
    "github-comment": "comment.md.j2",
    "github-check-summary": "summary.md.j2",
    "gitlab-note": "comment.md.j2",
    "azure-comment": "comment.md.j2",
    "job-summary": "summary.md.j2",
    "status": "status.txt.j2",
    "jenkins-description": "description.html.j2",
}

TRACE_STEPS = (20, 10, 5, 0)  # lines per trace while trimming; 0 drops the trace


def _without_names(c: Changes) -> Changes:
    return Changes(total=c.total)


def _drop_details(r: Report) -> Report:
    """Step 1: the slowest tests and the names of flaky and changed tests; every count stays."""
    dropped = []
    if r.slowest:
        dropped.append("slowest tests")
    delta = r.delta
    if r.flaky or (delta and any(getattr(delta, k).items for k in ("newly_failing", "fixed", "added", "removed"))):
        dropped.append("names of flaky and changed tests")
    if delta:
        delta = replace(
            delta,
            newly_failing=_without_names(delta.newly_failing),
            fixed=_without_names(delta.fixed),
            added=_without_names(delta.added),
            removed=_without_names(delta.removed),
        )
    return replace(r, slowest=(), flaky=(), delta=delta, left_out=r.left_out + tuple(dropped))


def _drop_suites(r: Report) -> Report:
    return replace(r, suites=(), left_out=r.left_out + (("per-suite table",) if r.suites else ()))


def _keep_failures(r: Report, n: int) -> Report:
    cut = len(r.failures) - n
    if cut <= 0:
        return r
    what = "all failure details" if n == 0 else f"{cut:,} of {len(r.failures):,} failure details"
    return replace(
        r, failures=r.failures[:n], failures_omitted=r.failures_omitted + cut, left_out=(*r.left_out, what)
    )


def _trim_traces(r: Report, lines: int) -> Report:
    failures = tuple(replace(f, trace=trim_trace(f.trace, max_lines=lines, max_chars=lines * 120)) for f in r.failures)
    what = "stack traces" if lines == 0 else "long stack traces"
    return replace(r, failures=failures, left_out=(*r.left_out, what))


def fit(
    report: Report,
    template: str,
    limit: int | Limit,
    *,
    user_dir: str | Path | None = None,
    full_report_url: str | None = None,
) -> str:
    """The template rendered for the Report, degraded step by step until it fits the limit."""
    if isinstance(limit, int):
        limit = Limit(limit)
    if full_report_url:
        report = replace(report, meta=replace(report.meta, report_url=full_report_url))
    renderer = Renderer(template, user_dir=user_dir)
    text = renderer(report)
    if limit.fits(text):
        return text

    for step in (_drop_details, _drop_suites):
        smaller = step(report)
        if smaller.left_out == report.left_out:
            continue  # nothing there to drop
        # A template that never showed what the step drops gets no note saying it was left out.
        # Checked on a copy without failures: the dropped parts do not depend on them, and it renders fast.
        probe = replace(report, failures=())
        if renderer(replace(step(probe), left_out=probe.left_out)) == renderer(probe):
            continue
        report = smaller
        text = renderer(report)
        if limit.fits(text):
            return text

    best = _most_failures_that_fit(report, renderer, limit)
    if best is not None:
        return best

    # Not even one failure with its trace fits: shorten the traces of the one kept.
    base = _keep_failures(report, 1) if report.failures else report
    for lines in TRACE_STEPS:
        text = renderer(_trim_traces(base, lines))
        if limit.fits(text):
            return text
    smallest = _keep_failures(report, 0)
    text = renderer(smallest)
    if limit.fits(text):
        return text
    return hard_cut(text, limit, note=_cut_note(template, limit, smallest.meta.report_url))


def _most_failures_that_fit(report: Report, renderer: Callable[[Report], str], limit: Limit) -> str | None:
    """Halve the failure list until it fits, then grow it back one by one (by bisection) to the most that fit."""
    n_all = len(report.failures)
    if n_all == 0:
        return None
    fits_at: dict[int, str] = {}
    too_big = n_all  # known not to fit: the full list was just rendered
    n = n_all // 2
    while n >= 1:
        text = renderer(_keep_failures(report, n))
        if limit.fits(text):
            fits_at[n] = text
            break
        too_big = n
        n //= 2
    if not fits_at:
        return None
    good = n
    while too_big - good > 1:
        mid = (good + too_big) // 2
        text = renderer(_keep_failures(report, mid))
        if limit.fits(text):
            good, fits_at[mid] = mid, text
        else:
            too_big = mid
    return fits_at[good]


def _cut_note(template: str, limit: Limit, url: str | None) -> str:
    where = f"full report: {url}" if url else "the full report is in the job's report.md"
    if template.endswith(".md.j2"):
        link = f"[full report]({url})" if url else "the full report is in the job's report.md"
        return f"<sub>✂️ Cut to fit {limit}; {link}</sub>"
    if template.endswith(".html.j2"):
        return f"<br><i>Cut to fit {limit}; {where}</i>"
    return f"(cut to fit {limit}; {where})"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OPEN = re.compile(r"<(details|ul|ol|table)\b", re.IGNORECASE)
_CLOSE = re.compile(r"</(details|ul|ol|table)\s*>", re.IGNORECASE)


def _safe_cut_points(lines: list[str]) -> list[int]:
    """Counts k such that lines[:k] ends outside every fence, HTML block and table."""
    points = [0]
    fence: str | None = None
    depth = 0
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(" `~"):
                fence = None
        else:
            depth += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        in_table = line.lstrip().startswith("|") and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("|")
        if fence is None and depth <= 0 and not in_table:
            points.append(i + 1)
    return points


def hard_cut(text: str, limit: Limit, *, note: str) -> str:
    """The longest head of `text` that ends outside any block, then `note`, then the trailing hidden markers."""
    lines = text.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    tail: list[str] = []
    while lines and lines[-1].startswith("<!--"):  # the sticky-comment marker must stay the last line
        tail.insert(0, lines.pop())
    if len(lines) <= 1 and not tail:  # one line of plain text, a status: cut inside the line
        return _cut_line(text.strip("\n"), limit)
    # Sizes of each head lines[:k] with its newline, so each cut point is checked without joining text.
    head = [0]
    for line in lines:
        head.append(head[-1] + limit.measure(line) + 1)
    rest = sum(limit.measure(x) + 1 for x in (note, *tail))
    for k in reversed(_safe_cut_points(lines)):
        if head[k] + (1 if k else 0) + rest <= limit.size:
            return "\n".join([*lines[:k], *([""] if k else []), note, *tail]) + "\n"
    for candidate in ("\n".join([note, *tail]) + "\n", "\n".join(tail) + "\n"):
        if limit.fits(candidate):
            return candidate
    return _cut_line(note, limit)


def _cut_line(line: str, limit: Limit) -> str:
    if limit.fits(line):
        return line
    cut = line
    while cut and not limit.fits(cut + "…"):
        over = limit.measure(cut + "…") - limit.size
        cut = cut[: len(cut) - max(over, 1)]
    return cut + "…" if cut else ""
