"""Where a reader finds the full report, per CI: the place each CI keeps the job's archived files.

The CI templates archive the output folder under its own name, so the path below the archive
root is the output folder as configured.
"""

from __future__ import annotations

from urllib.parse import quote

from .ci import CIContext


def full_report_url(ctx: CIContext, output_dir: str) -> str | None:
    """A link to report.md as the CI serves the job's archived files; None where no such link exists."""
    relative = quote(f"{output_dir.strip('/')}/report.md")
    if ctx.provider == "jenkins" and ctx.run_url:
        # archiveArtifacts keeps the workspace-relative path below the build's artifact/ page.
        return f"{ctx.run_url.rstrip('/')}/artifact/{relative}"
    if ctx.provider == "gitlab" and ctx.job_url:
        return f"{ctx.job_url.rstrip('/')}/artifacts/file/{relative}"
    if ctx.provider == "github" and ctx.run_url:
        # Uploaded artifacts are listed on the run's summary page.
        return f"{ctx.run_url}#artifacts"
    if ctx.provider == "azure" and ctx.run_url:
        return f"{ctx.run_url}&view=artifacts"
    return None
