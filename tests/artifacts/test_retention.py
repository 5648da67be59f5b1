"""Retention: purge by run, by age and by total size (oldest first); files nobody references go too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from testrelay.artifacts import ArtifactHandler

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def add(store: ArtifactHandler, make_file, content: str, name: str, run: str, days_old: float):
    _, meta = await store.upload_artifact(str(make_file(content)), name, "file", run)
    dated = replace(meta, created=(NOW - timedelta(days=days_old)).isoformat())
    store.index.put([store._relative(dated)])
    return store._absolute(store._relative(dated))


def blob_count(store: ArtifactHandler) -> int:
    return sum(1 for _ in store.blobs.hashes())


async def test_purge_a_run_keeps_content_another_run_still_uses(store, make_file):
    shared = await add(store, make_file, "shared", "s.txt", "r1", 1)
    only = await add(store, make_file, "only r1", "o.txt", "r1", 1)
    await add(store, make_file, "shared", "s.txt", "r2", 1)
    result = await store.purge_artifacts_for_test_run("r1")
    assert (result.entries, result.blobs, result.bytes_freed) == (2, 1, len("only r1"))
    assert store.get_artifacts_for_test_run("r1") == []
    assert not Path(only.local_path).exists() and Path(shared.local_path).exists()
    assert [m.name for m in store.get_artifacts_for_test_run("r2")] == ["s.txt"]
    assert not store.index.index_path("r1").exists()


async def test_purge_by_age(store, make_file):
    await add(store, make_file, "old", "old.txt", "r1", 40)
    await add(store, make_file, "older", "older.txt", "r2", 90)
    await add(store, make_file, "new", "new.txt", "r1", 2)
    result = store.purge(older_than=timedelta(days=30), now=NOW)
    assert (result.entries, result.blobs) == (2, 2)
    assert [m.name for m in store.list_artifacts()] == ["new.txt"]
    assert blob_count(store) == 1
    assert store.purge(older_than=timedelta(days=30), now=NOW).entries == 0


async def test_purge_by_size_removes_the_oldest_first_and_counts_shared_content_once(store, make_file):
    await add(store, make_file, "a" * 100, "a", "r1", 5)
    await add(store, make_file, "b" * 100, "b", "r1", 4)
    await add(store, make_file, "b" * 100, "b-again", "r2", 3)  # same content: no extra bytes
    await add(store, make_file, "c" * 100, "c", "r2", 2)
    await add(store, make_file, "d" * 100, "d", "r3", 1)
    result = store.purge(max_bytes=250)
    # 400 distinct bytes; dropping "a" leaves 300, dropping "b" frees nothing ("b-again" uses it), then
    # dropping "b-again" frees it: 200 <= 250.
    assert [m.name for m in store.list_artifacts()] == ["c", "d"]
    assert (result.entries, result.blobs, result.bytes_freed) == (3, 2, 200)
    assert blob_count(store) == 2
    assert store.purge(max_bytes=1_000).entries == 0


async def test_purge_by_age_and_size_together(store, make_file):
    await add(store, make_file, "x" * 50, "ancient", "r", 100)
    await add(store, make_file, "y" * 50, "mid", "r", 10)
    await add(store, make_file, "z" * 50, "recent", "r", 1)
    store.purge(older_than=timedelta(days=30), max_bytes=60, now=NOW)
    assert [m.name for m in store.list_artifacts()] == ["recent"]


async def test_purge_drops_copies_a_killed_process_left_in_staging(store, make_file):
    import os
    import time

    await add(store, make_file, "kept", "k.txt", "r", 1)
    old = store.root / "staging" / "blob-left-behind.tmp"
    fresh = store.root / "staging" / "blob-in-progress.tmp"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    store.purge(max_bytes=10**9)
    assert not old.exists() and fresh.exists()
    assert [m.name for m in store.list_artifacts()] == ["k.txt"]
