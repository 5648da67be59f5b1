"""`testrelay artifacts list|upload|get|purge|rebuild`: look after the local artifact store.

    testrelay artifacts list --run run-123 [--json]
    testrelay artifacts upload out/report.json --run run-123 [--name report.json] [--type report] [--provider gitlab]
    testrelay artifacts get --run run-123 --name report.json [--output copy.json]
    testrelay artifacts purge --older-than 30 --max-size 500
    testrelay artifacts rebuild
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..artifact_meta import ArtifactMeta
from ..artifacts import DEFAULT_STORAGE_DIR, ArtifactHandler
from ..errors import ArtifactError, TestrelayError


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "artifacts",
        help="list, upload, fetch or purge stored artifacts",
        description="The local artifact store: every file testrelay keeps for a test run, uploaded or not.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text, description=help_text)
        a.add_argument("--dir", default=os.environ.get("TESTRELAY_ARTIFACTS_DIR") or DEFAULT_STORAGE_DIR,
                       help=f"the store folder (default: $TESTRELAY_ARTIFACTS_DIR or {DEFAULT_STORAGE_DIR})")
        a.add_argument("--json", action="store_true", help="print JSON")
        a.set_defaults(handler=run)
        return a

    ls = action("list", "list artifacts, newest last")
    ls.add_argument("--run", help="only this test run")
    ls.add_argument("--name", help="only artifacts with this name")

    up = action("upload", "store files for a test run, and upload them with --provider")
    up.add_argument("files", nargs="+", metavar="FILE")
    up.add_argument("--run", required=True, help="the test run id")
    up.add_argument("--name", help="the artifact name (one file only; default: the file's name)")
    up.add_argument("--type", default="file", help="the artifact type, e.g. report, result, log (default: file)")
    up.add_argument("--provider", help="also upload to this provider (github, gitlab, jenkins, azure)")
    up.add_argument("--config", metavar="PATH", help="YAML configuration for --provider (default: testrelay.yml)")

    get = action("get", "show one artifact and copy it out with --output")
    get.add_argument("--run", required=True, help="the test run id")
    get.add_argument("--name", required=True, help="the artifact name (the newest of that name)")
    get.add_argument("--output", metavar="PATH", help="copy the file here")

    purge = action("purge", "remove artifacts by run, by age or down to a total size (oldest first)")
    purge.add_argument("--run", help="remove this test run's artifacts")
    purge.add_argument("--older-than", type=float, metavar="DAYS", help="remove artifacts older than DAYS")
    purge.add_argument("--max-size", type=float, metavar="MB", help="keep at most MB megabytes, removing the oldest")

    action("rebuild", "write the index again from the stored records (after a 'corrupt index' error)")


def _meta_line(meta: ArtifactMeta) -> str:
    state = str(meta.state) + (f" ({meta.error})" if meta.error else "") + (f" {meta.remote_ref}" if meta.remote_ref
                                                                            else "")
    return f"{meta.test_run_id}\t{meta.name}\t{meta.artifact_type}\t{meta.size:,} B\t{meta.created}\t{state}"


def _print(args: argparse.Namespace, metas: list[ArtifactMeta]) -> None:
    if args.json:
        print(json.dumps([m.to_dict() for m in metas], indent=2, ensure_ascii=False))
        return
    for meta in metas:
        print(_meta_line(meta))
    if not metas:
        print("no artifacts")


def _list(handler: ArtifactHandler, args: argparse.Namespace) -> int:
    metas = handler.get_artifacts_for_test_run(args.run) if args.run else handler.list_artifacts()
    if args.name:
        metas = [m for m in metas if m.name == args.name]
    _print(args, metas)
    return 0


async def _provider(name: str, args: argparse.Namespace) -> Any:
    from .. import ci, config
    from ..providers.registry import provider_for

    cfg = config.load(cli={"config": args.config, "provider": name}, env=os.environ, cwd=Path.cwd())
    ctx = ci.detect(os.environ, cfg)
    provider = provider_for(name, ctx, cfg)
    await provider.initialize(dict(provider.config))
    provider.bind(ctx)  # what the CI context knows (project, build, run) and the config did not give
    return provider


async def _upload(handler: ArtifactHandler, args: argparse.Namespace) -> int:
    if args.name and len(args.files) > 1:
        raise ArtifactError("artifacts upload: --name names one file, but several were given",
                            hint="leave --name out to use each file's own name")
    items = [{"source_path": f, "artifact_name": args.name or Path(f).name, "artifact_type": args.type,
              "test_run_id": args.run} for f in args.files]
    for item in items:
        if not Path(item["source_path"]).is_file():
            raise ArtifactError(f"artifacts upload: {item['source_path']}: no such file")
    provider = None
    if args.provider:
        provider = await _provider(args.provider, args)
        handler.register_provider(args.provider, provider)
    try:
        results = await handler.upload_artifacts_batch(items, provider_name=args.provider)
    finally:
        if provider is not None:
            await provider.close()
    metas = [meta for _, meta in results.values() if meta is not None]
    _print(args, metas)
    failed = [m for m in metas if not m.uploaded] if args.provider else []
    if failed:
        raise ArtifactError(f"artifacts upload: {len(failed)} of {len(metas)} file(s) not uploaded to "
                            f"{args.provider}: {failed[0].error}", hint=f"they are kept in {handler.root}")
    return 0


def _get(handler: ArtifactHandler, args: argparse.Namespace) -> int:
    meta = handler.get_artifact_by_name(args.run, args.name)
    if meta is None:
        raise ArtifactError(f"artifacts get: no artifact {args.name!r} in test run {args.run!r} in {handler.root}",
                            hint="`testrelay artifacts list --run RUN` shows what is there")
    if args.output:
        try:
            shutil.copyfile(meta.local_path, args.output)
        except OSError as exc:
            raise ArtifactError(f"artifacts get: cannot copy to {args.output}: {exc.strerror or exc}") from None
    _print(args, [meta])
    if not args.json:
        print(f"file: {args.output or meta.local_path}")
    return 0


async def _purge(handler: ArtifactHandler, args: argparse.Namespace) -> int:
    if args.run is None and args.older_than is None and args.max_size is None:
        raise ArtifactError("artifacts purge: say what to remove", hint="use --run, --older-than DAYS or --max-size MB")
    for option, value in (("--older-than", args.older_than), ("--max-size", args.max_size)):
        if value is not None and value < 0:
            raise ArtifactError(f"artifacts purge: {option} must not be negative, not {value:g}")
    total = {"entries": 0, "blobs": 0, "bytes_freed": 0}
    results = []
    if args.run is not None:
        results.append(await handler.purge_artifacts_for_test_run(args.run))
    if args.older_than is not None or args.max_size is not None:
        results.append(handler.purge(
            older_than=timedelta(days=args.older_than) if args.older_than is not None else None,
            max_bytes=int(args.max_size * 1024 * 1024) if args.max_size is not None else None,
        ))
    for result in results:
        total = {k: total[k] + getattr(result, k) for k in total}
    if args.json:
        print(json.dumps(total))
    else:
        print(f"removed {total['entries']:,} artifact(s) and {total['blobs']:,} file(s), "
              f"{total['bytes_freed']:,} bytes freed")
    return 0


def _rebuild(handler: ArtifactHandler, args: argparse.Namespace) -> int:
    report = handler.rebuild_index()
    if args.json:
        print(json.dumps({"runs": report.runs, "entries": report.entries, "adopted_files": report.adopted_blobs,
                          "unreadable_records": list(report.unreadable_records)}))
    else:
        print(f"index rebuilt: {report.runs:,} run(s), {report.entries:,} artifact(s)")
        if report.adopted_blobs:
            print(f"{report.adopted_blobs:,} file(s) without a record kept under the test run 'recovered'")
        for record in report.unreadable_records:
            print(f"unreadable record left out: {record}")
    return 0


def run(args: argparse.Namespace) -> int:
    handler = ArtifactHandler(args.dir)
    if args.action != "upload" and not handler.root.is_dir():
        raise ArtifactError(f"artifacts {args.action}: no artifact store at {handler.root}",
                            hint="pass --dir or set TESTRELAY_ARTIFACTS_DIR")
    try:
        if args.action == "list":
            return _list(handler, args)
        if args.action == "upload":
            return asyncio.run(_upload(handler, args))
        if args.action == "get":
            return _get(handler, args)
        if args.action == "purge":
            return asyncio.run(_purge(handler, args))
        return _rebuild(handler, args)
    except TestrelayError:
        raise
    except OSError as exc:
        raise ArtifactError(f"artifacts {args.action}: {exc.filename or handler.root}: {exc.strerror or exc}") \
            from None
