"""`testrelay detect [--json]`: show what testrelay learns from the CI environment.

The token is never shown, only the variable it came from, so the output is safe to paste into an issue.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from .. import ci, config
from ..ci import CIContext
from ..config_options import BY_NAME


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "detect",
        help="show the CI, commit, pull request and token source testrelay detects",
        description=(
            "Print what testrelay reads from the CI environment: the CI, repository, head commit, "
            "pull request, run link and where the token comes from (never the token itself)."
        ),
    )
    p.add_argument("--json", action="store_true", help="print the context as JSON")
    p.add_argument("--config", metavar="PATH", help="YAML configuration file (default: testrelay.yml if present)")
    p.add_argument("--provider", choices=BY_NAME["provider"].choices, help="skip detection")
    p.set_defaults(handler=run)


def hints(ctx: CIContext) -> list[str]:
    """What the user should know before publishing with this context."""
    notes = []
    if ctx.provider != "local" and not ctx.token:
        notes.append("no token found: reporting to the CI's API will not work (see README, 'Tokens')")
    if ctx.token_kind == "job":
        notes.append(
            "CI_JOB_TOKEN cannot post merge-request notes or commit statuses; "
            "set GITLAB_TOKEN or TESTRELAY_TOKEN to a project access token"
        )
    if ctx.provider == "github" and ctx.event_name == "workflow_run" and not ctx.pr_number:
        notes.append("workflow_run without a pull request in its payload (a fork?): the PR is looked up by head SHA")
    if ctx.is_fork and ctx.provider == "github" and ctx.event_name == "pull_request":
        notes.append("pull request from a fork: the workflow token is read-only here")
    return notes


def format_text(ctx: CIContext) -> str:
    lines = []
    for key, value in ctx.to_dict().items():
        if key in {"token", "token_source", "token_kind"} or value in (None, False):
            continue
        lines.append(f"{key}: {value}")
    if ctx.token:
        kind = f" ({ctx.token_kind})" if ctx.token_kind else ""
        lines.append(f"token: from {ctx.token_source}{kind}")
    else:
        lines.append("token: none")
    lines.extend(f"note: {note}" for note in hints(ctx))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    env = os.environ
    cfg = config.load(cli={"config": args.config, "provider": args.provider}, env=env, cwd=Path.cwd())
    ctx = ci.detect(env, cfg)
    if args.json:
        print(json.dumps(ctx.to_dict(), indent=2))
    else:
        print(format_text(ctx))
    return 0
