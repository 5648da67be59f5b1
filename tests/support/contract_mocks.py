"""Contract tests: adapters talk to Prism mocks that validate every request against the provider's
published API description (tests/contracts/), or replay cassettes recorded against those mocks.

- Prism found (PRISM, or node_modules/.bin/prism): the mocks run on free loopback ports, live.
- TESTRELAY_RECORD=1 with Prism: the exchanges are also recorded to tests/cassettes/.
- No Prism, or TESTRELAY_CONTRACT=replay: the cassettes replay, so the fast suite needs no Node; a test
  without a cassette is skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import vcr

ROOT = Path(__file__).resolve().parents[2]
MOCK = ROOT / "tests" / "contracts" / "mock.sh"
CASSETTES = ROOT / "tests" / "cassettes"
PROVIDERS = ("github", "gitlab", "azure", "jenkins")
RECORD = os.environ.get("TESTRELAY_RECORD") == "1"
# Cassettes leave out credentials; host and port differ between recording and replay.
SECRET_HEADERS = ("authorization", "private-token", "job-token", "jenkins-crumb", "cookie")


def prism_executable() -> str | None:
    if os.environ.get("TESTRELAY_CONTRACT") == "replay":
        return None
    explicit = os.environ.get("PRISM")
    if explicit and Path(explicit).exists():
        return explicit
    local = ROOT / "node_modules" / ".bin" / "prism"
    return str(local) if local.exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mocks:
    """Starts one Prism per provider on first use and stops them all at the end of the session."""

    def __init__(self, prism: str | None) -> None:
        self.prism = prism
        self.urls: dict[str, str] = {}
        self.pids: list[str] = []

    @property
    def live(self) -> bool:
        return self.prism is not None

    def url(self, provider: str, *, errors: bool = False) -> str:
        """The mock's base URL; `errors=True` starts one in Prism's error mode, which answers 500 where the
        description's own example breaks its response schema."""
        key = f"{provider}+errors" if errors else provider
        if key not in self.urls:
            if not self.live:
                self.urls[key] = "http://127.0.0.1:9"  # never reached: every answer comes from a cassette
            else:
                port = _free_port()
                env = {**os.environ, "PRISM": self.prism or "", "PRISM_ARGS": "--errors" if errors else ""}
                done = subprocess.run([str(MOCK), provider, str(port)], capture_output=True, text=True, env=env,
                                      timeout=120)
                if done.returncode != 0:
                    raise RuntimeError(f"Prism mock for {provider} did not start: {done.stderr.strip()}")
                self.pids.append(done.stdout.strip())
                self.urls[key] = f"http://127.0.0.1:{port}"
        return self.urls[key]

    def stop(self) -> None:
        for pid in self.pids:
            subprocess.run([str(MOCK), "stop", pid], capture_output=True, timeout=30)


@pytest.fixture(scope="session")
def mocks() -> Iterator[Mocks]:
    m = Mocks(prism_executable())
    yield m
    m.stop()


@pytest.fixture
def contract(request: pytest.FixtureRequest, mocks: Mocks) -> Iterator[Callable[[str], str]]:
    """`contract("github")` gives the base URL of that provider's mock (live or replayed)."""
    module = Path(str(request.node.fspath)).stem.removeprefix("test_")
    cassette = CASSETTES / module / f"{request.node.name}.yaml"
    if mocks.live and not RECORD:
        yield mocks.url
        return
    if not mocks.live and not cassette.exists():
        pytest.skip(f"no Prism and no cassette {cassette.relative_to(ROOT)}: run ./scripts/test to record")
    recorder = vcr.VCR(
        record_mode="all" if RECORD else "none",
        match_on=("method", "path", "query"),
        filter_headers=list(SECRET_HEADERS),
        decode_compressed_response=True,
    )
    with recorder.use_cassette(str(cassette)):
        yield mocks.url
