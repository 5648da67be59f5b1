"""`testrelay run`: the whole pass, as the container entrypoint runs it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from .. import config
from ..config_options import add_arguments
from ..pipeline import run_pipeline


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "run",
        help="parse result files, write the report, and publish it to the CI",
        description=(
            "Read the result files, build the report, write report.md, report.json and comment.md "
            "to the output folder, and publish to the CI testrelay runs in (or the one named by --provider). "
            "Options come from testrelay.yml, TESTRELAY_* variables, action inputs and these flags, "
            "in rising precedence."
        ),
    )
    add_arguments(p)
    p.set_defaults(handler=run)


def run(args: Any) -> int:
    cfg = config.load(cli=vars(args), env=os.environ, cwd=Path.cwd())
    result = asyncio.run(run_pipeline(cfg, os.environ, Path.cwd()))
    if result.error is not None:
        raise result.error
    return 0
