"""The rendered text for each destination, fitted to that destination's size limit.

Rendering is done on first use and kept, so a provider asking twice pays once.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import budget
from .report import Report

# Destinations that exist only on disk: no limit, or the limit of the comment they stand for.
LOCAL_TEMPLATES = {"local-report": "summary.md.j2", "local-comment": "comment.md.j2"}
COMMENT_DESTINATION = {
    "github": "github-comment",
    "gitlab": "gitlab-note",
    "azure": "azure-comment",
}


class FittedTexts:
    """Implements providers.base.Texts for one Report."""

    def __init__(
        self,
        report: Report,
        *,
        user_dir: str | Path | None = None,
        provider: str = "local",
    ) -> None:
        self.report = report
        self.user_dir = user_dir
        self.provider = provider
        self._cache: dict[str, str] = {}

    def with_report_url(self, url: str) -> FittedTexts:
        """The same texts, linking the full report at `url` (known only once it is uploaded)."""
        meta = replace(self.report.meta, report_url=url)
        return FittedTexts(replace(self.report, meta=meta), user_dir=self.user_dir, provider=self.provider)

    def text(self, destination: str) -> str:
        if destination not in self._cache:
            self._cache[destination] = self._render(destination)
        return self._cache[destination]

    def _render(self, destination: str) -> str:
        if destination == "local-comment":
            # What would be posted: the comment under the limit of the CI's comment box.
            limit = budget.DESTINATIONS[COMMENT_DESTINATION.get(self.provider, "github-comment")]
            return budget.fit(self.report, "comment.md.j2", limit, user_dir=self.user_dir)
        if destination in LOCAL_TEMPLATES:
            from .render import render

            return render(self.report, LOCAL_TEMPLATES[destination], user_dir=self.user_dir)
        template = budget.DEFAULT_TEMPLATES.get(destination)
        if template is None:
            raise KeyError(f"unknown destination {destination!r}")
        text = budget.fit(self.report, template, budget.DESTINATIONS[destination], user_dir=self.user_dir)
        return text.strip() if destination == "status" else text
