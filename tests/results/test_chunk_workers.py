"""Chunks read in this process and a worker at once: every chunk comes back once, faults are named."""

from __future__ import annotations

import os
import sys
import tempfile
import time

import pytest

from testrelay.results.chunk_workers import read_chunks, unclaimed_or_lost

PARENT = os.getpid()


def squares(chunk: list[int]) -> list[int]:
    time.sleep(0.002)  # long enough for the worker to claim chunks while this process reads
    return [n * n for n in chunk]


def fails_in_worker(chunk: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        raise ValueError(f"cannot read {chunk[0]}")
    time.sleep(0.01)
    return chunk


def dies_in_worker(chunk: list[int]) -> list[int]:
    if os.getpid() != PARENT and chunk[0] == 190:
        os._exit(9)  # as the OOM killer would leave it
    time.sleep(0.002)
    return chunk


def test_every_chunk_comes_back_once_in_place(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chunks = [list(range(i, i + 10)) for i in range(0, 200, 10)]
    placed: dict[int, list[int]] = {}

    def place(k: int, results: list[int]) -> None:
        assert k not in placed
        placed[k] = results

    done = read_chunks(chunks, 2, squares, place)
    assert done == set(range(len(chunks)))
    assert placed == {k: [n * n for n in chunk] for k, chunk in enumerate(chunks)}
    assert list(tmp_path.iterdir()) == []  # the workers' chunk files are gone


def test_a_fault_in_the_worker_is_raised_here() -> None:
    chunks = [[i] for i in range(20)]
    with pytest.raises(ValueError, match="cannot read"):
        read_chunks(chunks, 2, fails_in_worker, lambda k, r: None)


def test_a_dying_worker_loses_only_its_chunk() -> None:
    chunks = [list(range(i, i + 10)) for i in range(0, 200, 10)]  # the worker starts from the back: 190 first
    placed: dict[int, list[int]] = {}
    done = read_chunks(chunks, 2, dies_in_worker, placed.__setitem__)
    assert unclaimed_or_lost(len(chunks), done) == [19]
    assert set(placed) == set(range(19))


def test_without_a_temporary_folder_this_process_reads_everything(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    chunks = [[i] for i in range(12)]
    placed: dict[int, list[int]] = {}
    assert read_chunks(chunks, 2, squares, placed.__setitem__) == set(range(12))
    assert placed == {i: [i * i] for i in range(12)}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_when_no_worker_can_start_this_process_reads_everything(monkeypatch) -> None:
    from multiprocessing.context import ForkProcess

    def refuse(self: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ForkProcess, "start", refuse)
    chunks = [[i] for i in range(12)]
    placed: dict[int, list[int]] = {}
    assert read_chunks(chunks, 2, squares, placed.__setitem__) == set(range(12))
    assert placed == {i: [i * i] for i in range(12)}
