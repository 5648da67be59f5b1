"""The table of every configuration option and the rules that turn a raw value into a typed one.

The CLI, the README and the container's `action.yml` are generated from (or checked against)
`OPTIONS`, so an option exists in one place only.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

DEFAULT_FILES = ("**/TEST-*.xml", "**/junit*.xml", "**/test-results/**/*.xml", "**/*.trx", "!**/node_modules/**")

# How each kind is named in messages ("expected a whole number").
KIND_NAMES = {
    "str": "a string",
    "int": "a whole number",
    "bool": "true or false",
    "choice": "one of the listed words",
    "list": "a list of glob patterns",
    "path": "a path",
}

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
# The comment key ends up inside an HTML comment marker, where `--` or `>` would end it early.
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Option:
    """One option: its flat name (`comment_mode`), nested path (`comment.mode`), kind and default."""

    name: str
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    secret: bool = False
    in_file: bool = True  # False: cannot be set from the YAML file itself (the file's own path)

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("_", 1)) if self.name.startswith("comment_") else (self.name,)

    @property
    def yaml_key(self) -> str:
        return ".".join(self.path)

    @property
    def env_var(self) -> str:
        return f"TESTRELAY_{self.name.upper()}"

    @property
    def input_var(self) -> str:
        return f"INPUT_{self.name.upper()}"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def nullable(self) -> bool:
        return self.default is None

    @property
    def expected(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return KIND_NAMES[self.kind]


OPTIONS: tuple[Option, ...] = (
    Option("files", "list", DEFAULT_FILES, "glob patterns of result files; a leading ! excludes"),
    Option(
        "provider",
        "choice",
        "auto",
        "where to report; auto detects the CI",
        choices=("auto", "github", "gitlab", "jenkins", "azure", "local"),
    ),
    Option("title", "str", "Test results", "heading of the report and comment"),
    Option("check_name", "str", None, "name of the check run or commit status (default: the title)"),
    Option(
        "comment_mode",
        "choice",
        "always",
        "when to post the PR comment",
        choices=("always", "changes", "failures", "off"),
    ),
    Option("comment_key", "str", "default", "tells apart the comments of several testrelay steps on one PR"),
    Option(
        "fail_on",
        "choice",
        "failures",
        "which outcome fails the job",
        choices=("nothing", "errors", "failures"),
    ),
    Option("templates", "path", None, "folder of templates that override the built-in ones"),
    Option("max_failures", "int", 20, "failures shown in full in the comment", minimum=0),
    Option("output_dir", "path", "testrelay-report", "folder for report.md, report.json and artifacts"),
    Option("baseline", "path", None, "report.json of an earlier run to compare with"),
    Option("token", "str", None, "API token (never printed)", secret=True),
    Option("api_url", "str", None, "API base URL, instead of the detected one"),
    Option("username", "str", None, "Jenkins user for user:token authentication"),
    Option("max_file_size", "int", 2048, "largest result file read, in MiB", minimum=1),
    Option("strict", "bool", False, "a malformed result file fails the run"),
    Option("fail_on_empty", "bool", True, "no result files or no tests fails the run"),
    Option("config", "path", None, "YAML file of these options (default: testrelay.yml if present)", in_file=False),
)

BY_NAME: dict[str, Option] = {option.name: option for option in OPTIONS}


def split_patterns(text: str) -> tuple[str, ...]:
    """One pattern per line, or comma-separated; commas inside `{a,b}` braces stay."""
    patterns: list[str] = []
    for line in text.splitlines():
        depth, start = 0, 0
        for index, char in enumerate(line):
            if char == "{":
                depth += 1
            elif char == "}":
                depth = max(depth - 1, 0)
            elif char == "," and depth == 0:
                patterns.append(line[start:index])
                start = index + 1
        patterns.append(line[start:])
    return tuple(p.strip() for p in patterns if p.strip())


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _from_text(option: Option, text: str, where: str) -> Any:
    raw = text.strip()
    if option.kind == "list":
        return split_patterns(text)
    if option.kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{where}: {text!r} is not a whole number") from None
    if option.kind == "bool":
        word = raw.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ConfigError(f"{where}: {text!r} is not true or false (write true/false, yes/no or 1/0)")
    if option.kind == "choice":
        return raw.lower()
    return raw


def _from_native(option: Option, value: Any, where: str) -> Any:
    """Values that arrive typed: parsed YAML or argparse results."""
    if isinstance(value, os.PathLike) and option.kind == "path":
        return os.fspath(value)
    wrong = ConfigError(f"{where}: expected {option.expected}, got {_type_name(value)}")
    if value is None:
        if option.nullable:
            return None
        raise wrong
    if option.kind == "list":
        if isinstance(value, list | tuple):
            items = []
            for item in value:
                if not isinstance(item, str):
                    raise ConfigError(f"{where}: expected a list of glob patterns, got {_type_name(item)} in the list")
                items.extend(split_patterns(item))
            return tuple(items)
        raise wrong
    if option.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise wrong
    if option.kind == "bool":
        if isinstance(value, bool):
            return value
        raise wrong
    # str, path, choice: numbers are fine as text ("key: 2"); booleans and collections are not.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise wrong


def _validate(option: Option, value: Any, where: str) -> Any:
    if value is None:
        return None
    if option.kind == "choice" and value not in option.choices:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(option.choices)}")
    if option.kind == "int" and option.minimum is not None and value < option.minimum:
        raise ConfigError(f"{where}: {value} is too small (the least allowed is {option.minimum})")
    if option.kind == "list" and not value:
        raise ConfigError(f"{where}: give at least one glob pattern")
    if option.kind in ("str", "path") and option.default is not None and not value:
        raise ConfigError(f"{where}: must not be empty")
    if option.name == "comment_key" and not _KEY_RE.match(value):
        raise ConfigError(f"{where}: {value!r} may hold only letters, digits, '.', '_' and '-'")
    return value


def coerce(option: Option, value: Any, where: str) -> Any:
    """The typed, validated value of `option`; `where` ("INPUT_MAX_FAILURES") starts every message."""
    parsed = _from_text(option, value, where) if isinstance(value, str) else _from_native(option, value, where)
    return _validate(option, parsed, where)


def nearest(name: str, known: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def add_arguments(parser: Any, *, skip: Iterable[str] = ()) -> None:
    """Add a flag per option to an argparse parser; every default is None, so an unused flag overrides nothing.

    `dest` is the option's flat name, so `vars(args)` can go straight to `config.load(cli=...)`.
    """
    skipped = set(skip)
    for option in OPTIONS:
        if option.name in skipped:
            continue
        text = option.help + ("" if option.default is None else f" (default: {shown_default(option)})")
        kwargs: dict[str, Any] = {"dest": option.name, "default": None, "help": text}
        if option.kind == "list":
            kwargs.update(action="append", metavar="GLOB")
        elif option.kind == "bool":
            kwargs.update(action=argparse.BooleanOptionalAction)
        elif option.kind == "choice":
            kwargs.update(choices=option.choices)
        elif option.kind == "int":
            kwargs.update(type=int, metavar="N")
        else:
            kwargs.update(metavar="PATH" if option.kind == "path" else option.name.upper())
        parser.add_argument(option.flag, **kwargs)


def action_inputs() -> dict[str, dict[str, Any]]:
    """The `inputs:` of the container's action.yml.

    Only the token has a default: GitHub passes a declared default as if the step had set it, which
    would hide testrelay.yml and TESTRELAY_*. The other defaults are named in the description; an
    input left empty counts as not given.
    """
    inputs: dict[str, dict[str, Any]] = {}
    for option in OPTIONS:
        description = option.help
        if option.choices:
            description += f" ({', '.join(option.choices)})"
        if option.default not in (None, "", ()):
            description += f". Default: {shown_default(option)}"
        inputs[option.name] = {"description": description, "required": False}
    inputs["token"]["default"] = "${{ github.token }}"
    return inputs


def input_text(value: Any) -> str:
    """How a value is spelled as an action input: inputs are always strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "\n".join(value)
    return str(value)


def shown_default(option: Option) -> str:
    """The default as help texts show it: the input spelling, a list on one line."""
    return input_text(option.default).replace("\n", ", ")
