"""Reading chunks of files in this process and in worker processes at the same time.

This process takes part instead of only waiting: every case a worker reads has to
be packed, sent and unpacked here, which costs a good part of reading it, so on two
cores a worker plus this process beats two workers. Both sides claim chunks from a
shared pair of bounds, this process from the front and the workers from the back,
so neither waits while work is left.

A worker never waits for this process either. It writes each finished chunk to a
file of its own in a private temporary folder and sends only the chunk's number
down a pipe. Through a pipe alone (or a process pool's queues) a worker stalls as
soon as the pipe is full, until this process, busy reading its own chunk, takes the
data; measured on two cores that idled the worker about a third of the time.

A worker that dies loses only the chunks it had claimed and not finished: the caller
is told which chunks came back and names the rest.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from . import transport

T = TypeVar("T")

_FAILED = -1  # sent instead of a chunk number when reading a chunk raised: the exception follows in its file


def pool_context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds and needs no re-import; other platforms use their default.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def claim(bounds: Any, *, from_back: bool) -> int | None:
    """The index of the next chunk nobody has taken, or None when all are taken."""
    # Held for microseconds; a worker killed while holding it leaves it taken, and then only
    # this process is still reading, so after a long wait it goes on without the lock.
    lock = bounds.get_lock()
    locked = lock.acquire(timeout=10)
    try:
        lo, hi = bounds[0], bounds[1]
        if lo >= hi:
            return None
        if from_back:
            bounds[1] = hi - 1
            return hi - 1
        bounds[0] = lo + 1
        return lo
    finally:
        if locked:
            lock.release()


def _chunk_file(folder: str, worker: int, k: int) -> str:
    return os.path.join(folder, f"{worker}-{k}.bin")


def _worker_main(
    worker: int, bounds: Any, chunks: Sequence[T], read: Callable[[T], list[Any]], folder: str, conn: Connection
) -> None:
    gc.disable()  # the records hold no cycles, and the process ends when the chunks do
    try:
        while (k := claim(bounds, from_back=True)) is not None:
            try:
                data = transport.dumps(read(chunks[k]))
            except BaseException as exc:  # a fault in the reader: the parent raises it as its own would be
                data, k = transport.dumps(exc), _FAILED
            path = _chunk_file(folder, worker, k)
            with open(path + ".part", "wb") as fh:
                fh.write(data)
            os.replace(path + ".part", path)
            conn.send(k)
            if k == _FAILED:
                return
    finally:
        conn.close()


def read_chunks(
    chunks: Sequence[T],
    processes: int,
    read: Callable[[T], list[Any]],
    place: Callable[[int, list[Any]], None],
) -> set[int]:
    """Read every chunk with `read` in this process and `processes - 1` workers; the chunks that came back.

    `place(k, results)` gets each chunk's results in this process, as they come. `read`
    must be a module-level function (a worker may have to import it). An exception raised
    by `read` in a worker is raised here.
    """
    context = pool_context()
    bounds = context.Array("l", [0, len(chunks)])
    done: set[int] = set()
    conns: dict[Connection, int] = {}
    procs = []
    try:
        folder = tempfile.mkdtemp(prefix="testrelay-workers-")
    except OSError:  # no writable temporary folder: this process reads every chunk itself
        folder, processes = "", 1
    try:
        for worker in range(processes - 1):
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(
                target=_worker_main, args=(worker, bounds, chunks, read, folder, send), daemon=True
            )
            try:
                proc.start()
            except OSError:  # no process to be had (a process limit): read with those started so far
                receive.close()
                send.close()
                break
            send.close()  # only the worker holds the sending end, so its end reads as EOF here
            conns[receive] = worker
            procs.append(proc)

        def collect(block: bool) -> None:
            while conns:
                ready = wait(list(conns), timeout=None if block else 0)
                if not ready:
                    return
                for conn in ready:
                    worker = conns[conn]  # type: ignore[index]
                    try:
                        k = conn.recv()  # type: ignore[union-attr]
                    except (EOFError, OSError):  # the worker finished, or died
                        del conns[conn]  # type: ignore[arg-type]
                        conn.close()  # type: ignore[union-attr]
                        continue
                    path = _chunk_file(folder, worker, k)
                    with open(path, "rb") as fh:
                        results = transport.loads(fh.read())
                    os.unlink(path)
                    if k == _FAILED:
                        raise results
                    place(k, results)
                    done.add(k)

        while (k := claim(bounds, from_back=False)) is not None:
            place(k, read(chunks[k]))
            done.add(k)
            collect(block=False)
        collect(block=True)
    finally:
        for conn in conns:
            conn.close()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return done


def unclaimed_or_lost(chunks: int, done: set[int]) -> list[int]:
    """The chunks nobody returned: those a worker claimed and died reading."""
    return [k for k in range(chunks) if k not in done]


__all__ = ["claim", "pool_context", "read_chunks", "unclaimed_or_lost"]
