"""The Redis cache of production (settings.CACHES with ITADESK_REDIS_URL: ``core.versions.RedisCache``) on a real
redis-server on a free loopback port: it keeps one client per server instead of building one per operation,
and the data versions and ``cached`` work through it, also across a restart of Redis (versions start again
from a number never used before, so nothing stored before is served)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from itadesk.core.versions import RedisCache


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (scripts/ensure-system.sh installs it)")
    port = _free_port()
    procs = []

    def start():
        procs.append(subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                       "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        procs[-1].terminate()
        procs[-1].wait(timeout=10)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    stop()


def test_one_client_per_server_is_kept_and_works(redis_url):
    url, _start, _stop = redis_url
    cache = RedisCache(url, {"KEY_PREFIX": "t"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("a", {"x": (1, 2)})
    assert cache.get("a") == {"x": (1, 2)}
    assert cache.add("n", 1) and not cache.add("n", 5)
    assert cache.incr("n") == 2
    assert cache.get_many(["a", "missing"]) == {"a": {"x": (1, 2)}}
    assert cache._cache.get_client() is client


def test_the_kept_client_survives_a_restart_of_redis(redis_url):
    url, start, stop = redis_url
    cache = RedisCache(url, {})
    cache.set("k", 1)
    stop()
    with pytest.raises(Exception):  # noqa: B017 - redis-py's ConnectionError: Redis is down
        cache.get("k")
    start()
    assert cache.get("k") is None  # a new, empty Redis
    cache.set("k", 2)
    assert cache.get("k") == 2
