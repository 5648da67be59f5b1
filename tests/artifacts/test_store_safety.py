"""The store never loses a file: hostile names, duplicates, identical content, crashes, corrupt index,
several processes at once."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from testrelay.artifact_index import CorruptIndexError
from testrelay.artifacts import ArtifactHandler

HOSTILE = [
    "../../etc/passwd",
    "/etc/shadow",
    "..",
    "a/../../b",
    "nul\x00byte",
    "C:\\Windows\\system32",
    "x" * 5000,
    "  spaces and ünïcödé ✓ ",
    "undecodable-\udcff-byte",
    ".hidden",
]


def files_under(root: Path) -> set[Path]:
    return {p.resolve() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_run_ids_and_names_stay_inside_the_store(store, make_file, tmp_path, hostile):
    source = make_file("payload")
    outside_before = files_under(tmp_path)
    ok, meta = await store.upload_artifact(str(source), hostile, "file", hostile)
    assert ok
    assert meta.name == hostile and meta.test_run_id == hostile  # the original stays in the metadata
    everything = files_under(tmp_path)
    inside = files_under(tmp_path / "store")
    assert everything - inside == outside_before  # nothing was written outside the store
    assert all(len(p.name) <= 255 for p in inside)
    assert store.get_artifact_by_name(hostile, hostile) == meta
    assert [m.name for m in store.get_artifacts_for_test_run(hostile)] == [hostile]


async def test_run_ids_that_clean_to_the_same_name_stay_apart(store, make_file):
    await store.upload_artifact(str(make_file("slash")), "a.txt", "file", "team/a")
    await store.upload_artifact(str(make_file("under")), "a.txt", "file", "team_a")
    assert Path(store.get_artifact_by_name("team/a", "a.txt").local_path).read_text() == "slash"
    assert Path(store.get_artifact_by_name("team_a", "a.txt").local_path).read_text() == "under"


async def test_same_name_twice_keeps_both_and_lookup_gives_the_newest(store, make_file):
    _, first = await store.upload_artifact(str(make_file("first")), "report.json", "report", "r")
    _, second = await store.upload_artifact(str(make_file("second")), "report.json", "report", "r")
    assert first.artifact_id != second.artifact_id
    assert Path(first.local_path).read_text() == "first" and Path(second.local_path).read_text() == "second"
    assert [m.artifact_id for m in store.get_artifacts_for_test_run("r")] == [first.artifact_id, second.artifact_id]
    assert store.get_artifact_by_name("r", "report.json") == second


async def test_identical_content_is_stored_once(store, make_file):
    _, a = await store.upload_artifact(str(make_file("same bytes")), "a.log", "log", "r1")
    _, b = await store.upload_artifact(str(make_file("same bytes")), "b.log", "log", "r2")
    assert a.sha256 == b.sha256 and a.local_path == b.local_path
    assert len(list((store.root / "blobs").rglob("*"))) == 2  # one shard folder, one file
    assert not any((store.root / "staging").iterdir())  # the second copy was dropped, not left behind


async def test_a_crash_while_writing_the_index_leaves_the_previous_index(store, make_file, monkeypatch):
    await store.upload_artifact(str(make_file("kept")), "kept.txt", "file", "r")
    index_file = store.index.index_path("r")
    before = index_file.read_bytes()
    real_replace = os.replace

    def crash_on_index(src, dst):
        if Path(dst) == index_file:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_index)
    with pytest.raises(Exception, match="No space left on device"):
        await store.upload_artifact(str(make_file("lost?")), "new.txt", "file", "r")
    monkeypatch.setattr(os, "replace", real_replace)
    assert index_file.read_bytes() == before
    assert [m.name for m in store.get_artifacts_for_test_run("r")] == ["kept.txt"]
    assert not [p for p in index_file.parent.iterdir() if p.name.endswith(".tmp")]
    # The new file's record reached the disk before the index write failed: a rebuild brings it back.
    store.rebuild_index()
    assert sorted(m.name for m in store.get_artifacts_for_test_run("r")) == ["kept.txt", "new.txt"]
    assert Path(store.get_artifact_by_name("r", "new.txt").local_path).read_text() == "lost?"


async def test_a_half_written_index_is_reported_clearly_and_rebuilt(store, make_file):
    for name in ("a.txt", "b.txt"):
        await store.upload_artifact(str(make_file(name)), name, "file", "run-7")
    index_file = store.index.index_path("run-7")
    index_file.write_bytes(index_file.read_bytes()[:40])
    with pytest.raises(CorruptIndexError) as err:
        store.get_artifacts_for_test_run("run-7")
    message = str(err.value)
    assert str(index_file) in message and "is corrupt" in message
    assert "testrelay artifacts rebuild --dir" in message and err.value.exit_code == 8
    report = store.rebuild_index()
    assert (report.runs, report.entries, report.adopted_blobs) == (1, 2, 0)
    assert [m.name for m in store.get_artifacts_for_test_run("run-7")] == ["a.txt", "b.txt"]


async def test_rebuild_adopts_a_file_whose_record_was_lost(store, make_file):
    _, meta = await store.upload_artifact(str(make_file("orphan")), "o.txt", "file", "r")
    store.index.record_path(store._relative(meta)).write_text("{not json")
    report = store.rebuild_index()
    assert report.adopted_blobs == 1 and len(report.unreadable_records) == 1
    recovered = store.get_artifacts_for_test_run("recovered")
    assert [m.sha256 for m in recovered] == [meta.sha256]
    assert Path(recovered[0].local_path).read_text() == "orphan"


def _writer(root: str, source: str, worker: int, count: int) -> None:
    import asyncio

    handler = ArtifactHandler(root)

    async def go() -> None:
        for i in range(count):
            await handler.upload_artifact(source, f"w{worker}-{i}.txt", "file", f"run-{i % 3}")

    asyncio.run(go())


def test_several_processes_share_one_store_without_losing_an_entry(tmp_path, make_file):
    root = tmp_path / "shared"
    sources = [make_file(f"worker {w}") for w in range(4)]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(root), str(sources[w]), w, 50)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    handler = ArtifactHandler(root)
    names = [m.name for run in ("run-0", "run-1", "run-2") for m in handler.get_artifacts_for_test_run(run)]
    assert sorted(names) == sorted(f"w{w}-{i}.txt" for w in range(4) for i in range(50))
    assert len({m.sha256 for m in handler.list_artifacts()}) == 4
    for path in handler.index.index_files():
        json.loads(path.read_text())  # every index file is whole
