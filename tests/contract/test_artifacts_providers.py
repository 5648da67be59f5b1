"""The artifact handler with the real adapters, against the Prism mocks (or cassettes recorded against them):
Azure attaches the file to the test run, GitLab puts it in the generic package registry, GitHub and
Jenkins refuse plainly and the file stays in the local store."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from testrelay.artifact_meta import UploadState
from testrelay.artifacts import ArtifactHandler
from testrelay.providers import http
from testrelay.providers.azure import AzureClient
from testrelay.providers.github import GitHubClient
from testrelay.providers.gitlab import GitLabClient
from testrelay.providers.jenkins import JenkinsClient

SHA = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"


@pytest.fixture
def sent(monkeypatch):
    """(method, path, json body, content) of every request the HTTP layer sends, live or replayed."""
    seen: list[tuple[str, str, object, object]] = []
    original = http.ApiClient.request

    async def request(self, method, url, **kwargs):
        seen.append((method, url.split("?")[0], kwargs.get("json"), kwargs.get("content")))
        return await original(self, method, url, **kwargs)

    monkeypatch.setattr(http.ApiClient, "request", request)
    return seen


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {"report.md": b"# Tests\n\n3 passed\n", "junit.xml": b'<testsuite tests="3" failures="0"/>\n',
            "build.log": b"collected 3 items\n"}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in made}


@pytest.mark.contract
async def test_azure_attaches_each_file_to_the_test_run(contract, sent, tmp_path, files):
    handler = ArtifactHandler(tmp_path / "store")
    async with AzureClient(token="azdo-contract-pat-000000000000000000000000000000000",
                           api_url=contract("azure") + "/contoso/", project="Fabrikam Web") as azure:
        await azure.initialize({})
        handler.register_provider("azure", azure)
        results = await handler.upload_artifacts_batch(
            [{"source_path": str(p), "artifact_name": name, "artifact_type": "report", "test_run_id": "31"}
             for name, p in files.items()], provider_name="azure")
    assert {name: (ok, meta.state) for name, (ok, meta) in results.items()} == {
        name: (True, UploadState.UPLOADED) for name in files}
    posts = [(m, p, body) for m, p, body, _ in sent if m == "POST" and p.endswith("/attachments")]
    assert len(posts) == 3 and all(p.endswith("_apis/test/Runs/31/attachments") for _, p, _ in posts)
    by_name = {body["fileName"]: body for _, _, body in posts}
    assert base64.b64decode(by_name["junit.xml"]["stream"]) == files["junit.xml"].read_bytes()
    assert {b["attachmentType"] for b in by_name.values()} == {"GeneralAttachment"}
    assert [m.name for m in handler.get_artifacts_for_test_run("31")] == list(files)


@pytest.mark.contract
async def test_gitlab_puts_the_file_in_the_generic_package_registry(contract, sent, tmp_path, files):
    handler = ArtifactHandler(tmp_path / "store")
    async with GitLabClient(token="glpat-contractTestOnly0000", api_url=contract("gitlab") + "/api/v4",
                            repository="acme/web/frontend", head_sha=SHA, pipeline_id="1290001") as gitlab:
        handler.register_provider("gitlab", gitlab)
        ok, meta = await handler.upload_artifact(str(files["report.md"]), "report.md", "report", "1290001",
                                                 provider_name="gitlab")
    assert ok and meta.state is UploadState.UPLOADED and meta.provider == "gitlab"
    path = "projects/acme%2Fweb%2Ffrontend/packages/generic/testrelay/1290001/report.md"
    assert [(m, p) for m, p, _, _ in sent] == [("PUT", path)]
    assert sent[0][3] == files["report.md"].read_bytes()
    assert meta.remote_ref == f"{contract('gitlab')}/api/v4/{path}"
    assert handler.get_artifact_by_name("1290001", "report.md").remote_ref == meta.remote_ref


@pytest.mark.contract
async def test_github_refuses_and_the_file_stays_in_the_store(contract, sent, tmp_path, files):
    handler = ArtifactHandler(tmp_path / "store")
    async with GitHubClient(token="ghp_contractTestOnly000000000000000000", repository="octo-org/shop",
                            api_url=contract("github"), head_sha=SHA) as github:
        handler.register_provider("github", github)
        ok, meta = await handler.upload_artifact(str(files["junit.xml"]), "junit.xml", "result", "5",
                                                 provider_name="github")
        # What GitHub offers instead: the workflow's own artifacts, listed through the Actions API.
        listed = await github.list_artifacts("5")
    assert ok is False and meta.state is UploadState.UPLOAD_FAILED
    assert "no artifact upload" in meta.error and "actions/upload-artifact" in meta.error
    assert Path(meta.local_path).read_bytes() == files["junit.xml"].read_bytes()
    assert [(m, p) for m, p, _, _ in sent] == [("GET", "repos/octo-org/shop/actions/runs/5/artifacts")]
    assert listed and all("html_url" in a for a in listed)
    stored = handler.get_artifact_by_name("5", "junit.xml")
    assert stored.state is UploadState.UPLOAD_FAILED and stored.error == meta.error


class NoRequests(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request expected, got {request.method} {request.url}")


async def test_jenkins_refuses_without_a_request_and_the_batch_stays_local(tmp_path, files, caplog):
    handler = ArtifactHandler(tmp_path / "store")
    async with JenkinsClient(api_url="https://ci.example.com/job/shop", username="ci", token="jenkins-token-000",
                             transport=NoRequests()) as jenkins:
        handler.register_provider("jenkins", jenkins)
        results = await handler.upload_artifacts_batch(
            [{"source_path": str(p), "test_run_id": "17"} for p in files.values()], provider_name="jenkins")
    assert all(ok is False and meta.state is UploadState.UPLOAD_FAILED for ok, meta in results.values())
    assert all("Jenkins has no API to upload build artifacts" in meta.error for _, meta in results.values())
    assert "upload to jenkins failed" in caplog.text
    assert sorted(json.loads(json.dumps([m.name for m in handler.get_artifacts_for_test_run("17")]))) == \
        sorted(files)
