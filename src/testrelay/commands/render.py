"""`testrelay render REPORT_JSON`: the text a template makes of a stored report, fitted to a size when asked."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import budget
from ..errors import ConfigError, InputError
from ..render import render
from ..report import from_document


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "render",
        help="render a report.json through a template",
        description="Render the Report stored in a report.json through a template, optionally fitted to a size.",
    )
    p.add_argument("report_json", metavar="REPORT_JSON", help="a report.json written by testrelay")
    p.add_argument("--template", metavar="NAME",
                   help="template file name (default: comment.md.j2, or the destination's own)")
    p.add_argument("--templates", metavar="DIR", help="folder searched for templates before the built-in ones")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--limit", type=int, metavar="N", help="fit the text into N characters")
    size.add_argument("--destination", choices=sorted(budget.DESTINATIONS),
                      help="fit the text into this destination's size limit")
    p.add_argument("-o", "--output", metavar="FILE", help="write the text to FILE instead of standard output")
    p.set_defaults(handler=run)


def _load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="pass the report.json a testrelay run wrote") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise ConfigError(f"--limit: {args.limit} is not a size; give a positive number of characters")
    if args.templates and not Path(args.templates).is_dir():
        raise ConfigError(f"--templates: {args.templates} is not a folder")
    report = from_document(_load(args.report_json), source=args.report_json)
    template = args.template or budget.DEFAULT_TEMPLATES.get(args.destination or "", "comment.md.j2")
    if args.destination:
        text = budget.fit(report, template, budget.DESTINATIONS[args.destination], user_dir=args.templates)
    elif args.limit is not None:
        text = budget.fit(report, template, args.limit, user_dir=args.templates)
    else:
        text = render(report, template, user_dir=args.templates)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"--output: {args.output} cannot be written ({exc.strerror or exc})") from None
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
