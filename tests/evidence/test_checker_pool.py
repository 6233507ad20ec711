"""The checker's process pool fed by the event loop (``checker.pool.LoopPool``): results come back to the
task that asked, however many tasks and however big; a task's exception is the caller's; a process that dies
breaks the pool; a cancelled task is not run or its answer is dropped; shutdown reaps every process."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from itadesk.evidence.checker.pool import QUEUED_BYTES, BrokenProcessPool, LoopPool

_STATE: dict = {}


def _init(value):
    _STATE["value"] = value


def _echo(value, delay=0.0):
    if delay:
        time.sleep(delay)
    return value, os.getpid(), _STATE.get("value")


def _fail(message):
    raise ValueError(message)


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


def _fail_unpicklable():
    raise _Unpicklable("x")


def _die():
    os._exit(3)


def test_every_task_gets_its_own_answer_from_initialised_processes():
    sizes = [0, 10, QUEUED_BYTES - 100, QUEUED_BYTES + 100, 3 * 1024 * 1024]  # small, queued, beyond the buffer

    async def main(pool):
        payloads = [bytes([n % 251]) * sizes[n % len(sizes)] for n in range(40)]
        answers = await asyncio.gather(*(pool.run(_echo, p, 0.001 * (n % 3)) for n, p in enumerate(payloads)))
        assert [a[0] for a in answers] == payloads
        assert {a[2] for a in answers} == {"ready"}
        return {a[1] for a in answers}

    with LoopPool(2, _init, ("ready",)) as pool:
        pids = asyncio.run(main(pool))
        processes = [p.process for p in pool._processes]
    assert len(pids) == 2 and os.getpid() not in pids  # both processes worked
    assert all(not p.is_alive() and p.exitcode == 0 for p in processes)  # shut down and reaped


def test_a_task_exception_is_the_callers_and_the_pool_goes_on():
    async def main(pool):
        with pytest.raises(ValueError, match="bad page"):
            await pool.run(_fail, "bad page")
        with pytest.raises(RuntimeError, match="_Unpicklable"):
            await pool.run(_fail_unpicklable)
        return await pool.run(_echo, "after")

    with LoopPool(1) as pool:
        assert asyncio.run(main(pool))[0] == "after"


def test_a_process_that_dies_breaks_the_pool():
    async def main(pool):
        waiting = [asyncio.ensure_future(pool.run(_echo, n, 0.2)) for n in range(3)]
        with pytest.raises(BrokenProcessPool):
            await pool.run(_die)
        results = await asyncio.gather(*waiting, return_exceptions=True)
        assert any(isinstance(r, BrokenProcessPool) for r in results)
        with pytest.raises(BrokenProcessPool):
            await pool.run(_echo, 1)

    with LoopPool(1) as pool:
        asyncio.run(main(pool))


def test_a_cancelled_task_is_dropped_and_the_others_answer():
    async def main(pool):
        slow = asyncio.ensure_future(pool.run(_echo, "slow", 0.3))
        dropped = asyncio.ensure_future(pool.run(_echo, "dropped"))  # waits behind the slow one
        await asyncio.sleep(0.05)
        slow.cancel()
        dropped.cancel()
        await asyncio.gather(slow, dropped, return_exceptions=True)
        assert (await pool.run(_echo, "next"))[0] == "next"
        assert not pool._futures and not pool._waiting

    with LoopPool(1) as pool:
        asyncio.run(main(pool))


def test_a_pool_serves_one_event_loop_and_refuses_work_after_shutdown():
    pool = LoopPool(1)
    try:
        asyncio.run(asyncio.wait_for(pool.run(_echo, 1), 30))
        with pytest.raises(RuntimeError, match="event loop"):
            asyncio.run(pool.run(_echo, 2))
    finally:
        pool.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        asyncio.run(pool.run(_echo, 3))
    with pytest.raises(ValueError):
        LoopPool(0)


def test_shutdown_does_not_wait_for_an_answer_nobody_reads():
    async def main(pool):
        task = asyncio.ensure_future(pool.run(_echo, b"x" * (8 * 1024 * 1024), 0.3))  # beyond the buffer
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    pool = LoopPool(1)
    asyncio.run(main(pool))
    started = time.monotonic()
    pool.shutdown()
    assert time.monotonic() - started < 10  # not JOIN_SECONDS
    assert all(not p.process.is_alive() for p in pool._processes)
    pool.shutdown()  # twice is harmless
