"""The command line: `testrelay run|parse|render|detect|artifacts`.

The only place that turns errors into printed lines and exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import TestrelayError
from .log import SECRETS, install_redaction

# Each command is a module in testrelay.commands with add_parser(subparsers) and run(args) -> int.
COMMANDS = ("run", "parse", "render", "detect", "artifacts")

INTERNAL_ERROR = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="testrelay",
        description="Report test results where people look: GitHub, GitLab, Jenkins, Azure DevOps, or files.",
    )
    parser.add_argument("--version", action="version", version=f"testrelay {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step and request")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__package__}.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    install_redaction()
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except TestrelayError as exc:
        print(f"testrelay: error: {SECRETS.redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("testrelay: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if args.debug or os.environ.get("TESTRELAY_DEBUG"):
            raise
        print(
            f"testrelay: internal error: {exc.__class__.__name__}: {SECRETS.redact(str(exc))} "
            "(run with --debug for the traceback, and please report it)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
