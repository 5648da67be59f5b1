"""The local provider: the report as files in the output folder and a summary on stdout.

It is the default when no CI is detected, and the pipeline runs it before any other
provider, so the report is on disk and in the log before anything is posted.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from ..errors import PublishError
from ..fsutil import atomic_write, safe_name
from .base import CIProvider, Outcome, Texts

REPORT_MD = "report.md"
REPORT_JSON = "report.json"
COMMENT_MD = "comment.md"
STATUS_TXT = "status.txt"


class LocalProvider(CIProvider):
    name = "local"

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self.output_dir = Path(config.get("output_dir") or "testrelay-report")
        self.stream: TextIO = config.get("stream") or sys.stdout

    async def initialize(self, config: dict[str, Any]) -> bool:
        self.config.update(config)
        if config.get("output_dir"):
            self.output_dir = Path(config["output_dir"])
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PublishError(f"output_dir: cannot create {self.output_dir}: {exc.strerror}") from None
        return True

    def _write(self, name: str, data: str) -> Path:
        try:
            return atomic_write(self.output_dir / name, data)
        except OSError as exc:
            raise PublishError(f"cannot write {self.output_dir / name}: {exc.strerror}",
                               hint="check output_dir and free space") from None

    def _run_path(self, test_run_id: str) -> Path:
        return self.output_dir / "test-runs" / f"{safe_name(test_run_id)}.json"

    async def create_test_run(self, test_run_data: dict[str, Any]) -> dict[str, Any]:
        name = str(test_run_data.get("name") or "test run")
        run_id = str(test_run_data.get("id") or f"{safe_name(name)}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
        record = {
            "id": run_id,
            "name": name,
            "status": str(test_run_data.get("status") or "in_progress"),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        path = self._run_path(run_id)
        record["url"] = path.resolve().as_uri()
        self._write(str(path.relative_to(self.output_dir)), json.dumps(record, indent=2))
        return record

    async def get_test_run_status(self, test_run_id: str) -> dict[str, Any]:
        path = self._run_path(test_run_id)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PublishError(f"local test run {test_run_id!r} not found in {path.parent}") from None

    async def update_test_run(self, test_run_id: str, update_data: dict[str, Any]) -> bool:
        record = await self.get_test_run_status(test_run_id)
        for key in ("status", "summary", "conclusion"):
            if key in update_data:
                record[key] = update_data[key]
        record["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
        path = self._run_path(test_run_id)
        self._write(str(path.relative_to(self.output_dir)), json.dumps(record, indent=2, default=str))
        return True

    async def add_pr_comment(self, pr_number: str, comment: str) -> bool:
        self._write(COMMENT_MD, comment)
        return True

    async def upload_artifact(self, test_run_id: str, artifact_path: str, artifact_name: str) -> bool:
        source = Path(artifact_path)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise PublishError(f"artifact {artifact_path}: cannot read: {exc.strerror}") from None
        target = self.output_dir / "artifacts" / safe_name(test_run_id) / safe_name(artifact_name)
        atomic_write(target, data)
        return True

    async def set_build_status(self, status: str, description: str) -> bool:
        self._write(STATUS_TXT, f"{status}: {description}\n")
        print(f"status: {status}: {description}", file=self.stream)
        return True

    def write_report_json(self, document: dict[str, Any]) -> Path:
        return self._write(REPORT_JSON, json.dumps(document, indent=1, ensure_ascii=False) + "\n")

    async def publish(self, report: Any, texts: Texts, ctx: Any) -> Outcome:
        report_md = self._write(REPORT_MD, texts.text("local-report"))
        comment_md = self._write(COMMENT_MD, texts.text("local-comment"))
        status = texts.text("status")
        self._write(STATUS_TXT, status + "\n")
        print(status, file=self.stream)
        print(f"report: {report_md}", file=self.stream)
        return Outcome(
            provider=self.name,
            links={"report": str(report_md), "comment": str(comment_md)},
        )
