"""The handler's API: storing, honest upload results, batches, lookups, the handler cache."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from artifact_providers import RecordingProvider

from testrelay.artifact_meta import ArtifactMeta, UploadState
from testrelay.artifacts import ArtifactHandler, get_artifact_handler
from testrelay.errors import ArtifactError, PublishError


async def test_store_without_provider_is_ok_and_says_stored(store, make_file):
    source = make_file('{"tests": 3}', "report.json")
    ok, meta = await store.upload_artifact(source_path=str(source), artifact_name="report.json",
                                           artifact_type="report", test_run_id="run-123")
    assert ok is True
    assert meta.state is UploadState.STORED and not meta.uploaded and meta.provider is None
    assert meta.name == "report.json" and meta.artifact_type == "report" and meta.test_run_id == "run-123"
    assert meta.size == 12 and meta.sha256 == hashlib.sha256(b'{"tests": 3}').hexdigest()
    assert meta.media_type == "application/json"
    assert Path(meta.local_path).read_bytes() == b'{"tests": 3}'
    assert Path(meta.local_path).is_relative_to(store.root)
    created = datetime.fromisoformat(meta.created)
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60


async def test_metadata_round_trips_through_json(store, make_file):
    _, meta = await store.upload_artifact(str(make_file("x")), "a.log", "log", "r1")
    again = ArtifactMeta.from_dict(json.loads(json.dumps(meta.to_dict())))
    assert again == meta
    assert json.loads(json.dumps(meta.to_dict()))["state"] == "stored"


async def test_successful_upload_is_ok_and_keeps_the_providers_reference(store, make_file):
    provider = RecordingProvider(answer={"id": "att-7", "url": "https://ci.example/att/7"})
    store.register_provider("azure", provider)
    ok, meta = await store.upload_artifact(str(make_file("hello")), "out.txt", "log", "run-1", provider_name="azure")
    assert ok is True and meta.state is UploadState.UPLOADED and meta.provider == "azure"
    assert meta.remote_ref == "https://ci.example/att/7" and meta.error is None
    (run_id, path, name, data) = provider.calls[0]
    assert Path(path).is_relative_to(store.root)
    assert (run_id, name, data) == ("run-1", "out.txt", b"hello")
    assert store.get_artifact_by_name("run-1", "out.txt").state is UploadState.UPLOADED


async def test_failed_upload_falls_back_to_the_local_copy_and_is_not_ok(store, make_file, caplog):
    store.register_provider("github", RecordingProvider(
        answer=PublishError("GitHub has no artifact upload API for this; the workflow archives the store folder")))
    ok, meta = await store.upload_artifact(str(make_file("data")), "junit.xml", "result", "run-9",
                                           provider_name="github")
    assert ok is False
    assert meta.state is UploadState.UPLOAD_FAILED and "archives the store folder" in meta.error
    assert Path(meta.local_path).read_bytes() == b"data"
    assert "upload to github failed" in caplog.text and "archives the store folder" in caplog.text
    kept = store.get_artifact_by_name("run-9", "junit.xml")
    assert kept.state is UploadState.UPLOAD_FAILED and kept.error == meta.error


async def test_provider_answering_false_or_crashing_is_a_failed_upload(store, make_file):
    store.register_provider("p", RecordingProvider(answer=False))
    ok, meta = await store.upload_artifact(str(make_file("a")), "a.txt", "file", "r", provider_name="p")
    assert (ok, meta.state) == (False, UploadState.UPLOAD_FAILED) and "did not accept" in meta.error
    store.register_provider("p", RecordingProvider(answer=ConnectionError("connection reset")))
    ok, meta = await store.upload_artifact(str(make_file("b")), "b.txt", "file", "r", provider_name="p")
    assert (ok, meta.error) == (False, "connection reset")


async def test_secrets_never_reach_the_stored_error(store, make_file):
    from testrelay.log import SECRETS

    secret = "glpat-s3cr3tT0kenValue12345"
    SECRETS.add(secret)
    try:
        store.register_provider("gitlab", RecordingProvider(answer=PublishError(f"401 for token {secret}")))
        _, meta = await store.upload_artifact(str(make_file("a")), "a.txt", "file", "r", provider_name="gitlab")
    finally:
        SECRETS.clear()
    assert secret not in meta.error and "401" in meta.error


async def test_unknown_provider_and_missing_file_are_refused_before_storing(store, make_file, tmp_path):
    with pytest.raises(ArtifactError, match="no provider 'gitlab' registered"):
        await store.upload_artifact(str(make_file("a")), "a.txt", "file", "r", provider_name="gitlab")
    with pytest.raises(ArtifactError, match="no such file"):
        await store.upload_artifact(str(tmp_path / "missing.xml"), "missing.xml", "file", "r")
    with pytest.raises(ArtifactError, match="test run id"):
        await store.upload_artifact(str(make_file("a")), "a.txt", "file", "")
    assert store.list_artifacts() == []


async def test_batch_uploads_concurrently_with_a_bound_and_reports_each(store, make_file):
    provider = RecordingProvider(answer=lambda name: PublishError("refused") if name == "bad.txt" else True)
    store.register_provider("azure", provider)
    items = [{"source_path": str(make_file(f"content {i}")), "artifact_name": f"f{i}.txt",
              "artifact_type": "log", "test_run_id": "run-b"} for i in range(10)]
    items.append({"source_path": str(make_file("x")), "artifact_name": "bad.txt", "test_run_id": "run-b"})
    items.append({"source_path": "/nonexistent/file.xml", "artifact_name": "gone.xml", "test_run_id": "run-b"})
    results = await store.upload_artifacts_batch(items, provider_name="azure")
    assert list(results) == [f"f{i}.txt" for i in range(10)] + ["bad.txt", "gone.xml"]
    assert all(results[f"f{i}.txt"][0] and results[f"f{i}.txt"][1].uploaded for i in range(10))
    assert results["bad.txt"][0] is False and results["bad.txt"][1].error == "refused"
    assert results["gone.xml"] == (False, None)
    assert 1 < provider.max_in_flight <= 4
    assert len(store.get_artifacts_for_test_run("run-b")) == 11


async def test_batch_without_provider_stores_and_keys_duplicate_names(store, make_file):
    items = [{"source_path": str(make_file("one")), "artifact_name": "log.txt", "test_run_id": "r"},
             {"source_path": str(make_file("two")), "artifact_name": "log.txt", "test_run_id": "r"}]
    results = await store.upload_artifacts_batch(items)
    assert list(results) == ["log.txt", "log.txt#2"]
    assert all(ok and meta.state is UploadState.STORED for ok, meta in results.values())


async def test_upload_stored_retries_what_is_not_uploaded(store, make_file):
    await store.upload_artifact(str(make_file("a")), "a.txt", "file", "r")
    store.register_provider("p", RecordingProvider(answer=PublishError("down")))
    await store.upload_artifact(str(make_file("b")), "b.txt", "file", "r", provider_name="p")
    store.register_provider("p", RecordingProvider(answer=True))
    done = await store.upload_stored("r", "p")
    assert sorted(m.name for m in done) == ["a.txt", "b.txt"]
    assert all(m.uploaded for m in store.get_artifacts_for_test_run("r"))
    assert await store.upload_stored("r", "p") == []


async def test_lookups_by_run_and_name(store, make_file):
    for run in ("r1", "r2"):
        for name in ("a.txt", "b.txt"):
            await store.upload_artifact(str(make_file(f"{run}/{name}")), name, "file", run)
    assert [m.name for m in store.get_artifacts_for_test_run("r1")] == ["a.txt", "b.txt"]
    found = store.get_artifact_by_name("r2", "b.txt")
    assert Path(found.local_path).read_text() == "r2/b.txt"
    assert store.get_artifact_by_name("r2", "c.txt") is None
    assert store.get_artifacts_for_test_run("nope") == []
    assert len(store.list_artifacts()) == 4


def test_get_artifact_handler_gives_one_handler_per_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = get_artifact_handler(storage_dir="a")
    assert get_artifact_handler(storage_dir=str(tmp_path / "a")) is first
    assert get_artifact_handler(storage_dir="./a/../a") is first
    other = get_artifact_handler(storage_dir="b")
    assert other is not first and other.root == tmp_path / "b"
    assert isinstance(first, ArtifactHandler) and first.root == tmp_path / "a"
