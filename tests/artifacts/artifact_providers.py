"""A small provider for the handler's tests: it answers upload_artifact as each test chooses."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from testrelay.errors import PublishError
from testrelay.providers.base import CIProvider, Outcome


class RecordingProvider(CIProvider):
    """Answers upload_artifact as told: True, a URL, False, or an exception; remembers every call."""

    name = "recording"

    def __init__(self, answer: Any = True, **config: Any) -> None:
        super().__init__(**config)
        self.answer = answer
        self.calls: list[tuple[str, str, str, bytes]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> Any:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            self.calls.append((test_run_id, artifact_path, artifact_name, Path(artifact_path).read_bytes()))
            answer = self.answer(artifact_name) if callable(self.answer) else self.answer
            if isinstance(answer, BaseException):
                raise answer
            return answer
        finally:
            self.in_flight -= 1

    async def initialize(self, config: dict[str, Any]) -> bool:
        return True

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        raise PublishError("not used")

    async def update_test_run(self, test_run_id: str, update_data: dict[str, Any]) -> bool:
        return False

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        return False

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        return {}

    async def set_build_status(self, status: str, description: str) -> bool:
        return False

    async def publish(self, report: Any, texts: Any, ctx: Any) -> Outcome:
        return Outcome(provider=self.name)
