"""One run of testrelay, start to end: config → CI context → parse → report → files → provider.

The report reaches the disk and the job log before any provider is called, so a failed
post never loses it. Errors that decide the exit code are raised only after everything
that can be written has been written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import ci, log
from .artifact_meta import ArtifactMeta
from .artifact_steps import artifact_run_id, store_run_files, upload_run_files
from .artifacts import ArtifactHandler
from .config import Config
from .errors import InputError, NoResultsError, TestrelayError, TestsFailedError
from .job_outputs import set_outputs, write_step_summary
from .links import full_report_url
from .providers.base import Outcome
from .providers.local import REPORT_JSON, REPORT_MD, LocalProvider
from .providers.registry import provider_for
from .report import Report, ReportMeta, build, to_document
from .results.model import TestRun
from .results.parse import parse, require_results
from .results.schema import run_from_dict, totals_to_dict
from .results.wording import count, totals_line
from .texts import FittedTexts
from .workspace_paths import with_workspace_paths

logger = logging.getLogger("testrelay")


@dataclass(frozen=True)
class RunResult:
    run: TestRun
    report: Report
    ctx: ci.CIContext
    output_dir: Path
    local: Outcome
    remote: Outcome | None
    error: TestrelayError | None  # what decides the exit code, raised by the command


def load_baseline(path: str, cwd: Path) -> TestRun | None:
    """The results of an earlier report.json; a missing file is normal (the first run on a branch)."""
    file = (cwd / path) if not Path(path).is_absolute() else Path(path)
    if not file.exists():
        log.annotate("notice", f"baseline {path} not found: the report has no comparison this time")
        return None
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"baseline {path}: cannot read it as JSON ({exc})",
                         hint="point `baseline` at a report.json written by testrelay") from None
    results = document.get("results") if isinstance(document, dict) else None
    return run_from_dict(results if results is not None else document, source=str(path))


def report_problems(run: TestRun) -> None:
    for problem in run.problems:
        level = "error" if problem.fatal else "warning"
        log.annotate(level, str(problem), file=problem.path if problem.line else None, line=problem.line)


def annotate_failures(report: Report) -> None:
    for a in report.annotations:
        log.annotate("error", a.message, file=a.file, line=a.line, title=a.title)


def decide_exit(config: Config, run: TestRun, remote_error: TestrelayError | None) -> TestrelayError | None:
    fatal = [p for p in run.problems if p.fatal]
    if fatal and config.strict:
        return InputError(f"{len(fatal):,} result file{'s' if len(fatal) != 1 else ''} could not be read "
                          f"(strict: true)", hint="see the errors above")
    if config.fail_on_empty:
        try:
            require_results(run)
        except NoResultsError as exc:
            return exc
    if remote_error is not None:
        return remote_error
    t = run.totals
    if config.fail_on == "errors" and t.errors:
        return TestsFailedError(f"{t.errors:,} test error{'s' if t.errors != 1 else ''} (fail_on: errors)")
    if config.fail_on == "failures" and (t.failed or t.errors):
        return TestsFailedError(f"{t.failed:,} failed, {count(t.errors, 'error')} (fail_on: failures)",
                                hint="set fail_on: nothing to report without failing the job")
    return None


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _conclusion(run: TestRun) -> str:
    t = run.totals
    if not t.tests:
        return "neutral"
    return "success" if t.ok else "failure"


def record_uploads(local: LocalProvider, document: dict[str, Any], uploads: tuple[ArtifactMeta, ...]) -> None:
    """Add what became of each artifact upload to report.json, so a failed upload is in the report too."""
    document = dict(document)
    document["artifacts"] = [
        {k: v for k, v in meta.to_dict().items() if k in {"name", "artifact_type", "state", "provider",
                                                         "remote_ref", "error", "size", "sha256"}}
        for meta in uploads
    ]
    local.write_report_json(document)


async def publish_remote(name: str, report: Report, texts: FittedTexts, ctx: ci.CIContext,
                         config: Config, artifacts: tuple[ArtifactHandler, str] | None = None,
                         run: TestRun | None = None) -> Outcome:
    provider = provider_for(name, ctx, config)
    set_cases = getattr(provider, "set_cases", None)
    if run is not None and set_cases is not None:  # adapters that publish every result (Azure test runs)
        set_cases(run.cases())
    uploads = artifacts is not None and provider.uploads_artifacts
    uploaded: list[ArtifactMeta] = []
    async with provider:
        await provider.initialize(dict(provider.config))
        provider.bind(ctx)
        if uploads and provider.uploads_before_publish:
            uploaded = await upload_run_files(artifacts[0], artifacts[1], name, provider)  # type: ignore[index]
            link = next((m.remote_ref for m in uploaded if m.name == REPORT_MD and m.uploaded and m.remote_ref), None)
            if link and link.startswith(("http://", "https://")):
                texts = texts.with_report_url(link)
        outcome = await provider.publish(report, texts, ctx)
        # After the report: a failed upload is a warning, and the files stay in the store.
        if uploads and not provider.uploads_before_publish:
            uploaded = await upload_run_files(artifacts[0], artifacts[1], name, provider)  # type: ignore[index]
    return replace(outcome, artifacts=tuple(uploaded))


async def run_pipeline(config: Config, env: Mapping[str, str], cwd: Path) -> RunResult:
    ctx = ci.detect(env, config)
    out = log.configure(ctx.provider)
    log.mask(ctx.token)
    provider_name = ctx.provider if config.provider == "auto" else config.provider

    with log.group("testrelay: reading result files"):
        # Paths relative to the workspace: they appear in the report and in annotations.
        base_dir = "." if cwd.resolve() == Path.cwd().resolve() else str(cwd)
        run = parse(config.files, base_dir=base_dir, max_bytes=config.max_file_bytes)
        t = run.totals
        out.write(f"read {count(len(run.files), 'file')}: {totals_line(t)}")
        report_problems(run)

    baseline = load_baseline(config.baseline, cwd) if config.baseline else None
    meta = ReportMeta(
        run_url=ctx.run_url,
        run_label=f"run #{ctx.run_id}" if ctx.run_id else "run",
        report_url=full_report_url(ctx, config.output_dir),
        commit=ctx.head_sha,
        branch=ctx.branch,
        baseline_label=ctx.base_branch if baseline is not None else None,
        comment_key=config.comment.key,
    )
    report = build(run, baseline=baseline, max_failures=config.max_failures, title=config.title, meta=meta)
    report = with_workspace_paths(report, cwd)
    texts = FittedTexts(report, user_dir=config.templates, provider=provider_name)

    output_dir = cwd / config.output_dir
    local = LocalProvider(output_dir=output_dir, stream=out.stream)
    await local.initialize({})
    # Built once: it holds every case, and report.json is written again if artifacts are uploaded.
    document = to_document(run, report)
    local.write_report_json(document)
    with log.group("testrelay: report"):
        local_outcome = await local.publish(report, texts, ctx)
        out.write(texts.text("local-comment"))
    if write_step_summary(env, texts.text("job-summary")):
        out.write("job summary written")
    set_outputs(env, {
        "json": json.dumps(totals_to_dict(run.totals)),
        "conclusion": _conclusion(run),
        # Relative to the workspace: a container's absolute path means nothing to the next step.
        "report_path": _relative(output_dir / REPORT_MD, cwd),
    })
    artifacts_run = artifact_run_id(ctx.run_id)
    store = store_run_files(output_dir, artifacts_run, [cwd / f.path for f in run.files],
                            [output_dir / REPORT_JSON, output_dir / REPORT_MD])

    remote: Outcome | None = None
    remote_error: TestrelayError | None = None
    if provider_name != "local":
        try:
            with log.group(f"testrelay: publishing to {provider_name}"):
                remote = await publish_remote(provider_name, report, texts, ctx, config,
                                              artifacts=(store, artifacts_run) if store else None, run=run)
            for notice in remote.notices:
                log.annotate("warning", notice)
            if remote.artifacts:
                record_uploads(local, document, remote.artifacts)
        except TestrelayError as exc:  # a publish failure, or a missing token or option for this provider
            remote_error = exc
            log.annotate("error", f"publishing to {provider_name} failed: {exc}. "
                         f"The report is in {output_dir} and above in this log.")
    if out.provider == "github" and (remote is None or "check_run" not in remote.ids):
        # No check run carries the annotations (a read-only fork token, a failed post, provider: local):
        # the workflow log can still point at the failing lines.
        annotate_failures(report)
    log.finish()
    return RunResult(run=run, report=report, ctx=ctx, output_dir=output_dir, local=local_outcome,
                     remote=remote, error=decide_exit(config, run, remote_error))
