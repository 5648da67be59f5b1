"""The container's files, checked without Docker: builder syntax, build context, entrypoint, pinned dependencies."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from lockfile import canonical, parse, runtime_closure
from wcmatch import glob

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        out.append((keyword.upper(), rest.strip()))
    return out


def test_only_classic_builder_syntax() -> None:
    assert not re.search(r"^#\s*syntax\s*=", DOCKERFILE, re.M | re.I), "a # syntax= line asks for BuildKit"
    for keyword, args in instructions():
        assert "--mount" not in args, f"{keyword} --mount needs BuildKit"
        assert "<<" not in args, f"{keyword} heredoc needs BuildKit"
        if keyword in {"COPY", "ADD"}:
            assert not re.search(r"--(chmod|link|parents|exclude)\b", args), f"{keyword} {args}: BuildKit-only flag"


def test_final_stage_is_the_slim_python_image_with_the_entrypoint_shim() -> None:
    steps = instructions()
    froms = [args for keyword, args in steps if keyword == "FROM"]
    assert all(args.split()[0] == "python:3.11-slim" for args in froms)
    final = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    assert ("ENTRYPOINT", '["/entrypoint"]') in final
    assert ("COPY", "entrypoint /entrypoint") in final
    assert not any(keyword == "USER" for keyword, _ in final), "GitHub runs container actions as root"


def test_every_pip_install_leaves_no_cache_and_no_build_tools() -> None:
    runs = [args for keyword, args in instructions() if keyword == "RUN"]
    installs = [cmd for args in runs for cmd in args.split("&&") if "pip install" in cmd or "pip wheel" in cmd]
    assert installs
    for cmd in installs:
        assert "--no-cache-dir" in cmd, cmd
    lock_install = [cmd for cmd in installs if "requirements.lock" in cmd]
    assert lock_install and "--only-binary=:all:" in lock_install[0] and "--no-deps" in lock_install[0]
    # Build tools (the C compiler for the JUnit fast path) belong to the throwaway build stage only.
    final = instructions()[max(i for i, (k, _) in enumerate(instructions()) if k == "FROM") :]
    assert not any(re.search(r"\bapt(-get)?\s+install\b", args) for keyword, args in final if keyword == "RUN")


def _build_context() -> set[str]:
    """Files `docker build .` sends, by .dockerignore's rules: patterns in order, the last match wins."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    kept = set()
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT).as_posix()
        if path.is_dir() or rel.startswith((".git/", ".venv/", "node_modules/")):
            continue
        parts = rel.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        included = True
        for pattern in patterns:
            negate = pattern.startswith("!")
            body = pattern.lstrip("!").strip("/")
            # A pattern that matches a folder excludes (or keeps) everything below it.
            if any(glob.globmatch(prefix, body, flags=glob.GLOBSTAR | glob.DOTGLOB) for prefix in prefixes):
                included = negate
        if included:
            kept.add(rel)
    return kept


def test_build_context_holds_what_the_build_copies_and_nothing_else() -> None:
    context = _build_context()
    for keyword, args in instructions():
        if keyword == "COPY" and "--from" not in args:
            for source in shlex.split(args)[:-1]:
                assert any(rel == source or rel.startswith(source + "/") for rel in context), f"COPY {source}: not sent"
    assert "src/testrelay/cli.py" in context
    assert "src/testrelay/results/_fastjunit.c" in context and "setup.py" in context
    assert not [rel for rel in context if rel.endswith(".so")], "a host-built extension would shadow the image's own"
    assert any(rel.startswith("src/testrelay/templates/") for rel in context)
    for left_out in (".git", ".venv", "tests", "benchmarks", "node_modules", "examples"):
        assert not any(rel == left_out or rel.startswith(left_out + "/") for rel in context), left_out
    assert not [rel for rel in context if "__pycache__" in rel or rel.endswith(".pyc") or ".egg-info/" in rel]


def test_ignore_file_names_the_usual_suspects_even_if_the_layout_changes() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    # A leading `*` drops everything not named again with `!`.
    assert re.search(r"^\*$", ignore, re.M)
    assert not re.search(r"^!(\.git|\.venv|tests|benchmarks|node_modules)\b", ignore, re.M)


def test_entrypoint_is_an_executable_posix_shell_shim() -> None:
    entrypoint = ROOT / "entrypoint"
    text = entrypoint.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n")
    assert 'exec testrelay run "$@"' in text
    assert os.access(entrypoint, os.X_OK)
    assert subprocess.run(["sh", "-n", str(entrypoint)], check=False).returncode == 0
    staged = subprocess.run(["git", "ls-files", "-s", "entrypoint"], cwd=ROOT, capture_output=True, text=True)
    if staged.stdout:
        assert staged.stdout.startswith("100755"), "commit the entrypoint with its executable bit"


@pytest.mark.skipif(importlib.util.find_spec("testrelay.commands.run") is None, reason="testrelay run not written yet")
def test_entrypoint_hands_over_to_testrelay_run() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        [str(ROOT / "entrypoint"), "--help"], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "run" in proc.stdout.splitlines()[0]


def test_lock_pins_exactly_the_runtime_closure_installed_here() -> None:
    locked = parse((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    installed = runtime_closure()
    assert {canonical(k): v for k, v in locked.items()} == {canonical(k): v for k, v in installed.items()}, (
        "requirements.lock is out of date: .venv/bin/python tests/container/lockfile.py > requirements.lock"
    )


def test_lock_leaves_out_the_development_tools() -> None:
    locked = {canonical(name) for name in parse((ROOT / "requirements.lock").read_text(encoding="utf-8"))}
    assert {"pytest", "ruff", "hypothesis", "vcrpy", "junitparser"}.isdisjoint(locked)
    assert {"pyyaml", "httpx", "jinja2", "markupsafe", "lxml", "wcmatch", "bracex", "filelock", "rich"} <= locked
