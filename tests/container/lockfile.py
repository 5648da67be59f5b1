"""The pinned runtime dependencies the container installs (`requirements.lock`), read from an environment.

`python tests/container/lockfile.py > requirements.lock`, run with the project's virtualenv, writes
testrelay's runtime requirements and everything they pull in, each at the version installed
there. Development extras (pytest, ruff, ...) stay out: the image carries only what `testrelay
run` imports.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys

from packaging.requirements import Requirement

PROJECT = "testrelay"
HEADER = (
    "# Runtime dependencies of testrelay, pinned for the container image.\n"
    "# Generated from the project's virtualenv: .venv/bin/python tests/container/lockfile.py > requirements.lock\n"
)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(project: str = PROJECT) -> dict[str, str]:
    """{distribution name: installed version} for the project's runtime requirements, transitively."""
    pins: dict[str, str] = {}
    todo = [Requirement(text) for text in md.requires(project) or []]
    while todo:
        req = todo.pop()
        # Requirements behind an extra (the project's own dev/bench, or a dependency's optional ones) are not runtime.
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = canonical(req.name)
        if key in {canonical(name) for name in pins}:
            continue
        dist = md.distribution(req.name)
        pins[dist.metadata["Name"]] = dist.version
        todo.extend(Requirement(text) for text in dist.requires or [])
    return dict(sorted(pins.items(), key=lambda item: canonical(item[0])))


def render(pins: dict[str, str]) -> str:
    return HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items())


def parse(text: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip()] = version.strip()
    return pins


if __name__ == "__main__":
    sys.stdout.write(render(runtime_closure()))
