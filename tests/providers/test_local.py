import io
import json

import pytest

from testrelay.errors import ConfigError, PublishError
from testrelay.providers.base import CIProviderFactory
from testrelay.providers.local import LocalProvider


class FixedTexts:
    def __init__(self):
        self.asked = []

    def text(self, destination):
        self.asked.append(destination)
        return f"<{destination}>"


@pytest.fixture
def provider(tmp_path):
    return LocalProvider(output_dir=tmp_path / "out", stream=io.StringIO())


async def test_publish_writes_report_comment_and_status(provider, tmp_path):
    await provider.initialize({})
    outcome = await provider.publish(report=None, texts=FixedTexts(), ctx=None)
    out = tmp_path / "out"
    assert (out / "report.md").read_text() == "<local-report>"
    assert (out / "comment.md").read_text() == "<local-comment>"
    assert (out / "status.txt").read_text() == "<status>\n"
    assert outcome.ok and outcome.links["report"].endswith("report.md")
    assert "<status>" in provider.stream.getvalue()


async def test_test_run_lifecycle(provider):
    await provider.initialize({})
    run = await provider.create_test_run({"name": "unit tests"})
    assert run["status"] == "in_progress" and run["url"].startswith("file://")
    assert await provider.update_test_run(run["id"], {"status": "completed", "summary": {"total_tasks": 3}})
    status = await provider.get_test_run_status(run["id"])
    assert status["status"] == "completed" and status["summary"] == {"total_tasks": 3}


async def test_unknown_test_run_is_a_clear_error(provider):
    await provider.initialize({})
    with pytest.raises(PublishError, match="not found"):
        await provider.get_test_run_status("nope")


async def test_hostile_names_stay_inside_the_output_dir(provider, tmp_path):
    await provider.initialize({})
    src = tmp_path / "a.txt"
    src.write_text("data")
    assert await provider.upload_artifact("../../etc", str(src), "../passwd\x00")
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(written) == 1
    assert written[0].is_relative_to(tmp_path / "out" / "artifacts")
    run = await provider.create_test_run({"id": "../../x", "name": "n"})
    assert (tmp_path / "out" / "test-runs").is_dir() and run["id"] == "../../x"
    assert not (tmp_path / "x.json").exists()


async def test_report_json_round_trips(provider, tmp_path):
    await provider.initialize({})
    path = provider.write_report_json({"results": {"tests": 1}, "report": {"title": "é"}})
    assert json.loads(path.read_text(encoding="utf-8"))["report"]["title"] == "é"


async def test_factory_creates_registered_provider(tmp_path):
    CIProviderFactory.register_provider("local", LocalProvider)
    provider = await CIProviderFactory.create_provider("local", {"output_dir": str(tmp_path / "o")})
    assert isinstance(provider, LocalProvider) and (tmp_path / "o").is_dir()
    with pytest.raises(ConfigError, match="unknown provider 'nowhere'"):
        await CIProviderFactory.create_provider("nowhere", {})
