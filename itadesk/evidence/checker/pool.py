"""A pool of spawned processes fed by the event loop itself. No Django.

``concurrent.futures.ProcessPoolExecutor`` hands work to its processes through two threads of the caller's
process (one pickles the calls into a queue, one reads the results back and wakes the event loop), and on a
busy two-core machine those threads cost as much CPU as the unpickling they do (about 0.7 ms a page of the
benchmark, against 0.15 ms of unpickling), and their lock hand-overs slow the event loop's own thread. Here
each process has one socket pair to the event loop: the loop writes a task (one pickle) when the process has
room, and reads a result when the socket is readable (``loop.add_reader``), with no thread in between.

A process has at most one task running and one waiting (the waiting one only when it is small enough to sit in
the socket's buffer, so that writing it never blocks the loop); the others wait in the loop, in order, for the
first process with room. A process that dies breaks the pool (``BrokenProcessPool``, as the executor did):
every task waiting or running fails with it.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

__all__ = ["BrokenProcessPool", "LoopPool"]

QUEUED_BYTES = 64 * 1024  # a second task goes to a busy process only when it is at most this big
JOIN_SECONDS = 30.0  # at shutdown, how long a process may take to finish its task before it is terminated
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def _serve(conn, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """A pool process: run each task it is sent, send back ``(task id, ok, result or exception)``; stop at
    ``None`` or when the event loop's end of the socket closes."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            task = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if task is None:
            return
        task_id, fn, args = task
        try:
            payload = pickle.dumps((task_id, True, fn(*args)), _PROTOCOL)
        except Exception as exc:  # handed to the caller, as the executor did
            try:
                payload = pickle.dumps((task_id, False, exc), _PROTOCOL)
            except Exception:  # an exception that does not pickle: its text
                payload = pickle.dumps((task_id, False, RuntimeError(f"{type(exc).__name__}: {exc}")), _PROTOCOL)
        try:
            conn.send_bytes(payload)
        except OSError:  # the pool was shut down meanwhile
            return


class _Process:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.tasks: deque[int] = deque()  # sent and not answered, oldest first


class LoopPool:
    """``workers`` spawned processes, each started with ``initializer(*initargs)``; ``await pool.run(fn,
    *args)`` runs ``fn(*args)`` in one of them (``fn`` and ``args`` must pickle) from the event loop that first
    called :meth:`run`. :meth:`shutdown` (or leaving ``with``) stops the processes."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()):
        if workers <= 0:
            raise ValueError("a pool needs at least one process")
        context = multiprocessing.get_context("spawn")
        self._processes: list[_Process] = []
        try:
            for _ in range(workers):
                parent, child = context.Pipe(duplex=True)
                process = context.Process(target=_serve, args=(child, initializer, initargs), daemon=True,
                                          name="itadesk-checker-pool")
                process.start()
                child.close()
                self._processes.append(_Process(process, parent))
        except BaseException:
            self.shutdown()
            raise
        self._waiting: deque[tuple[int, bytes]] = deque()
        self._futures: dict[int, asyncio.Future] = {}
        self._ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broken: str | None = None
        self._closed = False

    def __enter__(self) -> LoopPool:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _attach(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            for proc in self._processes:
                loop.add_reader(proc.conn.fileno(), self._answer, proc)
        elif loop is not self._loop:
            raise RuntimeError("a LoopPool is used from the event loop that first used it")
        return loop

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._closed:
            raise RuntimeError("the pool is shut down")
        if self._broken is not None:
            raise BrokenProcessPool(self._broken)
        loop = self._attach()
        task_id = next(self._ids)
        payload = pickle.dumps((task_id, fn, args), _PROTOCOL)
        future = loop.create_future()
        self._futures[task_id] = future
        self._waiting.append((task_id, payload))
        self._send()
        try:
            return await future
        finally:
            self._futures.pop(task_id, None)  # cancelled: not sent, or its answer is dropped

    def _send(self) -> None:
        """Hand waiting tasks to the processes with room: an idle one first, then a small task to a busy one."""
        for limit in (1, 2):
            for proc in self._processes:
                while self._waiting and len(proc.tasks) < limit:
                    task_id, payload = self._waiting[0]
                    if task_id not in self._futures:  # cancelled before it was sent
                        self._waiting.popleft()
                        continue
                    if proc.tasks and len(payload) > QUEUED_BYTES:
                        break
                    self._waiting.popleft()
                    try:
                        proc.conn.send_bytes(payload)
                    except OSError as exc:
                        self._break(f"a pool process cannot be reached: {exc}")
                        return
                    proc.tasks.append(task_id)
                if not self._waiting:
                    return

    def _answer(self, proc: _Process) -> None:
        try:
            task_id, ok, value = pickle.loads(proc.conn.recv_bytes())
        except (EOFError, OSError):
            proc.process.join(1.0)
            self._break(f"a process of the checker's pool ended unexpectedly (exit code {proc.process.exitcode})")
            return
        proc.tasks.remove(task_id)
        future = self._futures.pop(task_id, None)
        if future is not None and not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        self._send()

    def _break(self, reason: str) -> None:
        if self._broken is not None:
            return
        self._broken = reason
        self._detach()
        self._waiting.clear()
        for future in list(self._futures.values()):
            if not future.done():
                future.set_exception(BrokenProcessPool(reason))
        self._futures.clear()

    def _detach(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            for proc in self._processes:
                if not proc.conn.closed:
                    self._loop.remove_reader(proc.conn.fileno())

    def shutdown(self) -> None:
        """Cancel what waits, let each process finish its task (up to JOIN_SECONDS, then terminate it) and
        reap it (its CPU time then counts in the caller's RUSAGE_CHILDREN)."""
        if self._closed:
            return
        self._closed = True
        self._detach()
        for future in list(getattr(self, "_futures", {}).values()):
            if not future.done():
                future.cancel()
        for proc in self._processes:
            try:
                proc.conn.send_bytes(pickle.dumps(None, _PROTOCOL))
            except OSError:
                pass
            # Closed now, not after the join: a process finishing a task nobody waits for any more fails to
            # send its answer and ends, instead of waiting for the loop to read a big one.
            proc.conn.close()
        for proc in self._processes:
            proc.process.join(JOIN_SECONDS)
            if proc.process.is_alive():
                proc.process.terminate()
                proc.process.join(5.0)
