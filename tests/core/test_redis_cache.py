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


def _calls(cache, command: str) -> int:
    return cache._cache.get_client().info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0)


def test_counters_are_added_to_in_one_pipeline_without_exists(redis_url):
    url, _start, _stop = redis_url
    cache = RedisCache(url, {"KEY_PREFIX": "t"})
    cache.set("old", 7, timeout=None)
    firsts = iter([100, 200, 300])
    cache.add_to({"new": 1, "old": 5}, lambda: next(firsts))
    assert (cache.get("new"), cache.get("old")) == (101, 12)  # a new counter starts at first(), an old one adds
    cache.add_to({"new": 2}, lambda: next(firsts))
    assert cache.get("new") == 103
    assert cache._cache.get_client().ttl(cache.make_key("new")) == -1  # no expiry, as the data versions must be
    assert _calls(cache, "exists") == 0  # Django's incr asks EXISTS first: one round trip more per counter
    assert (_calls(cache, "set"), _calls(cache, "incrby")) == (4, 3)  # cache.set above + one SET NX per counter


def test_data_versions_and_page_counts_through_redis(redis_url, db, settings):
    from django.core.cache import cache

    from itadesk.core import versions

    url, _start, _stop = redis_url
    settings.CACHES = {"default": {"BACKEND": "itadesk.core.versions.RedisCache", "LOCATION": url}}
    settings.ITADESK_PAGE_CACHE = settings.ITADESK_PAGE_CACHE_STATS = True
    before = versions.versions("round:9")
    versions.bump("round:9", "agency:3")
    after = versions.versions("round:9", "agency:3")
    assert after["round:9"] == before["round:9"] + 1 and after["global"] == before["global"]
    calls = []
    for _ in range(3):
        versions.cached("t-redis", (), ["round:9"], lambda: calls.append(1) or "page")
    versions.bump("round:9")
    versions.cached("t-redis", (), ["round:9"], lambda: calls.append(1) or "page")
    assert len(calls) == 2
    # counted in this process, added to Redis when read (or at most a second after the last addition)
    assert versions.page_stats(["t-redis"]) == {"t-redis": (2, 2)}
    assert cache.get("itadesk:stats:t-redis:hit") == 2
