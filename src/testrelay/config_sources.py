"""Where option values come from: the YAML file, `TESTRELAY_*` variables, action inputs, CLI flags.

Each reader returns `(option, raw value, where)` triples; `where` names the source and the
option exactly as the user wrote it, so every later message can point at it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .config_options import BY_NAME, OPTIONS, Option, nearest
from .errors import ConfigError

log = logging.getLogger(__name__)

Entry = tuple[Option, Any, str]

CONFIG_FILE_NAMES = ("testrelay.yml", "testrelay.yaml")  # looked for in the working folder, in this order
# TESTRELAY_* variables that are not options, so they draw no "unknown" warning.
NON_OPTION_VARS = {"TESTRELAY_DEBUG"}

_GROUPS = {option.path[0] for option in OPTIONS if len(option.path) > 1}
_FILE_OPTIONS = {option.yaml_key: option for option in OPTIONS if option.in_file}


def find_file(explicit: str | None, explicit_where: str, cwd: Path) -> tuple[Path, str] | None:
    """The YAML file to read and the name to show for it, or None when there is none."""
    if explicit:
        path = Path(explicit).expanduser()
        path = path if path.is_absolute() else cwd / path
        if not path.is_file():
            raise ConfigError(f"{explicit_where}: {explicit} does not exist (give the path of a YAML file)")
        return path, explicit
    for name in CONFIG_FILE_NAMES:
        if (cwd / name).is_file():
            return cwd / name, name
    return None


def read_yaml(path: Path, shown: str) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not UTF-8 text (save the file as UTF-8)") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise ConfigError(f"{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: invalid YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}: expected a mapping of options at the top level, got {type(data).__name__}")
    return list(_walk(data, (), shown))


def _walk(data: dict, prefix: tuple[str, ...], shown: str):
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        path = (*prefix, key)
        dotted = ".".join(path)
        if not prefix and key in _GROUPS:
            if not isinstance(value, dict):
                members = ", ".join(o.path[1] for o in OPTIONS if o.path[0] == key)
                raise ConfigError(f"{shown}: {dotted}: expected a mapping with {members}, got {type(value).__name__}")
            yield from _walk(value, path, shown)
            continue
        option = _FILE_OPTIONS.get(dotted)
        if option is None:
            raise ConfigError(f"{shown}: {_unknown(dotted, prefix)}")
        yield option, value, f"{shown}: {dotted}"


def _unknown(dotted: str, prefix: tuple[str, ...]) -> str:
    flat = BY_NAME.get(dotted)
    if flat is not None and flat.in_file and flat.yaml_key != dotted:
        # A flat env-style name used in the file: the file nests it.
        head, tail = flat.path
        return f"{dotted}: unknown option (in the file write it nested: {head}: {{{tail}: ...}})"
    if flat is not None and not flat.in_file:
        return f"{dotted}: cannot be set inside the configuration file"
    candidates = [k for k in _FILE_OPTIONS if k.startswith(".".join(prefix))] if prefix else list(_FILE_OPTIONS)
    candidates += [] if prefix else sorted(_GROUPS)
    suggestion = nearest(dotted, candidates)
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    return f"{dotted}: unknown option{hint}"


def read_env(env: Mapping[str, str], prefix: str, *, warn_unknown: bool) -> list[Entry]:
    """Options from `PREFIX<NAME>` variables; GitHub keeps the hyphens of input names, so both spellings count."""
    entries: list[Entry] = []
    for var, value in env.items():
        if not var.upper().startswith(prefix) or not value.strip():
            # An empty value means "not given": GitHub sets every declared but unused input to "".
            continue
        name = var[len(prefix) :].lower().replace("-", "_")
        option = BY_NAME.get(name)
        if option is None:
            if warn_unknown and var not in NON_OPTION_VARS:
                suggestion = nearest(name, BY_NAME)
                hint = f" (did you mean {prefix}{suggestion.upper()}?)" if suggestion else ""
                log.warning("%s is not a testrelay option; ignored%s", var, hint)
            continue
        entries.append((option, value, var))
    entries.sort(key=lambda entry: entry[2])  # deterministic if both spellings are set
    return entries


def read_cli(cli: Mapping[str, Any]) -> list[Entry]:
    """Options from parsed flags; None means the flag was not given, and keys that are not options are ignored."""
    return [(BY_NAME[k], v, BY_NAME[k].flag) for k, v in cli.items() if k in BY_NAME and v is not None]
