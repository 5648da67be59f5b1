"""Config: defaults < YAML file < `TESTRELAY_*` env < action inputs `INPUT_*` < CLI flags.

Every value is validated where it is read, and every error names the source and the option
(`testrelay.yml: comment.mode: ...`, `INPUT_MAX_FAILURES: ...`, `--max-failures: ...`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config_options import BY_NAME, DEFAULT_FILES, OPTIONS, Option, coerce
from .config_sources import find_file, read_cli, read_env, read_yaml
from .log import REDACTED

__all__ = ["OPTIONS", "CommentConfig", "Config", "Option", "load"]


@dataclass(frozen=True)
class CommentConfig:
    mode: str = "always"
    key: str = "default"


@dataclass(frozen=True, repr=False)
class Config:
    files: tuple[str, ...] = DEFAULT_FILES
    provider: str = "auto"
    title: str = "Test results"
    check_name: str = "Test results"
    comment: CommentConfig = field(default_factory=CommentConfig)
    fail_on: str = "failures"
    templates: str | None = None
    max_failures: int = 20
    output_dir: str = "testrelay-report"
    baseline: str | None = None
    token: str | None = None
    api_url: str | None = None
    username: str | None = None
    max_file_size: int = 2048
    strict: bool = False
    fail_on_empty: bool = True
    config: str | None = None
    # Where each value came from ("default", "testrelay.yml", "INPUT_TOKEN", "--title"): for messages only.
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_size * 1024 * 1024

    def get(self, name: str) -> Any:
        """An option's value by its flat name (`comment_mode`)."""
        value: Any = self
        for part in BY_NAME[name].path:
            value = getattr(value, part)
        return value

    def to_dict(self) -> dict[str, Any]:
        """Every option, nested like the YAML file, with the token redacted."""
        out: dict[str, Any] = {}
        for option in OPTIONS:
            value = self.get(option.name)
            if option.secret and value:
                value = REDACTED
            elif isinstance(value, tuple):
                value = list(value)
            target = out
            for part in option.path[:-1]:
                target = target.setdefault(part, {})
            target[option.path[-1]] = value
        return out

    def __repr__(self) -> str:
        parts = []
        for option in OPTIONS:
            value = self.get(option.name)
            parts.append(f"{option.name}={REDACTED if option.secret and value else value!r}")
        return f"Config({', '.join(parts)})"

    __str__ = __repr__


def load(*, cli: Mapping[str, Any], env: Mapping[str, str], cwd: Path) -> Config:
    """Merge all sources into one validated Config; raises `errors.ConfigError` naming the source at fault.

    `cli` maps flat option names to parsed flag values (None: not given); other keys are ignored,
    so `vars(args)` can be passed. The file is `cli["config"]`, else `INPUT_CONFIG` / `TESTRELAY_CONFIG`,
    else `testrelay.yml` in `cwd` when present.
    """
    env_entries = read_env(env, "TESTRELAY_", warn_unknown=True)
    input_entries = read_env(env, "INPUT_", warn_unknown=False)
    cli_entries = read_cli(cli)

    explicit: tuple[str | None, str] = (None, "")
    for option, raw, where in (*env_entries, *input_entries, *cli_entries):
        if option.name == "config":
            explicit = (coerce(option, raw, where), where)
    found = find_file(explicit[0], explicit[1], cwd)
    file_entries = read_yaml(*found) if found else []

    values: dict[str, Any] = {}
    origins: dict[str, str] = {option.name: "default" for option in OPTIONS}
    for option, raw, where in (*file_entries, *env_entries, *input_entries, *cli_entries):
        values[option.name] = coerce(option, raw, where)
        origins[option.name] = where.split(": ")[0]
    if found:
        values["config"] = found[1]

    if values.get("check_name") is None:
        values["check_name"] = values.get("title", BY_NAME["title"].default)
        origins["check_name"] = origins["title"]
    comment = CommentConfig(
        mode=values.pop("comment_mode", BY_NAME["comment_mode"].default),
        key=values.pop("comment_key", BY_NAME["comment_key"].default),
    )
    return Config(comment=comment, origins=MappingProxyType(origins), **values)
