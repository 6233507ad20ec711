"""Versions of the data behind cached pages, and the cache of what is computed from it.

The busiest read-only pages (the province and office dashboards, the pre-review queue, the agency's OIT
workspace) keep what they computed — rendered HTML — in Django's cache (Redis in production, see
settings.CACHES) under a key that holds *the versions of the data it was computed from*. A write bumps
the version, so the next request computes afresh: nothing is ever invalidated by hand, and nothing
computed before a write is served after it.

Two kinds of version:

* ``"global"``: bumped by **every** write through Django's database connection (``INSERT``, ``UPDATE``,
  ``DELETE`` from a model's save, a queryset's ``update``/``delete``, ``bulk_create``, raw SQL alike —
  it is caught at the cursor, see :func:`_watch`) to any table not listed as ignored or as tracked.
  Nothing can write around it.
* per scope (``"round:12"``, ``"agency:34"``): the busy tables of deadline day (OIT items, stakeholder
  data, progress) are *tracked* — their apps call :func:`track` with the scopes an object belongs to, and
  every save or delete of such an object bumps those scopes instead of ``"global"`` (one agency saving an
  item must not throw away every province's dashboard). A write to a tracked table that does not come
  from a model's save or delete (a queryset ``update``, ``bulk_create``, raw SQL) is not attributable to a
  scope, so it bumps ``"global"`` — unless the writer says which scopes it writes (:func:`attributed`).

Correctness under concurrency: a version is bumped **after** the writing transaction commits
(``transaction.on_commit``), and a reader reads the versions **before** it reads the data. So whatever
is stored under version *v* was read after *v* existed, i.e. after every write that produced *v* was
committed: it can be older than a write still in flight (exactly as if the page had been read a moment
earlier) but never older than a committed write whose bump it saw. (A write inside a transaction also
bumps at once, so that the transaction's own later reads see it; a reader that saw that first bump
before the commit may store the old data under it, which the bump after the commit makes unreachable.) The writer's own next page comes
after its bump (``on_commit`` runs before the response is sent), so a person always sees their own
write. A version missing from the cache (evicted, Redis restarted) starts again from a random 62-bit number,
never (in practice) from one used before. Tables ignored (sessions, audit and event logs, login
throttling, one-time form tokens, the job queue) are never read by a cached page.

Within a request the versions are read from the cache once (:func:`versions` remembers them until the request
ends or this thread bumps a version): all a request reads is as of the moment it first read them, which keeps
the guarantee above. The same helper, :func:`cached`, keeps the set-up of every signed-in page (the user, the
second-factor checks, the scope, the round, the agency, the round switcher's rounds): all read from tables
under "global".

The versions live in the same cache as the pages, so processes share them only when the cache is shared:
Redis in production (settings). Without Redis pages are not cached (``ITADESK_PAGE_CACHE``): the job worker
of ``itadesk serve`` is another process, whose writes could not reach the web process's memory.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

log = logging.getLogger(__name__)

GLOBAL = "global"
TIMEOUT = 300  # seconds a cached page is kept at most (a safety net only: versions make it current)
_PREFIX = "itadesk:v:"

# Tables no cached page reads, written on every request, by every action or by the public (a write there
# bumps nothing). A page that starts caching what one of them holds must take it out of this list.
IGNORED = {
    "django_session", "core_auditevent", "core_formsubmission", "core_throttleevent", "core_importjob",
    "surveys_stakeholderevent", "notifications_notification", "notifications_linepush", "cycles_reminderlog",
    "evidence_checkjob",  # the workspace shows its last check job outside the cached part
    # the hosted mock questionnaires' public submissions (no cached page reads them)
    "questionnaires_response", "questionnaires_token", "questionnaires_abusemark", "questionnaires_flag",
}

# Statements no cached page depends on although their table is read: a login's ``last_login`` (the whole
# statement, so an update of any other column still counts). It bumps the person's own scope ``user:<id>``
# instead (the signed-in user kept for the set-up of a page, core.middleware, holds ``last_login``).
IGNORED_STATEMENTS = ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s',)
_STATEMENT_SCOPES = {IGNORED_STATEMENTS[0]: lambda params: [f"user:{params[1]}"]}

_tracked: dict[str, Callable[[object], list[str]]] = {}  # table -> scopes of an object of it
_local = threading.local()  # .covered: {table: depth} of tracked saves and deletes under way


def track(label: str, scopes: Callable[[object], list[str]]) -> None:
    """Bump ``scopes(obj)`` (e.g. ``["round:3", "agency:7"]``) on every save and delete of the model
    ``label`` ("evidence.EvidenceItem") instead of ``"global"``. Called from the app's ``AppConfig.ready()``."""
    model = apps.get_model(label)
    table = model._meta.db_table
    _tracked[table] = scopes
    uid = f"itadesk.versions:{table}"
    pre_save.connect(_enter, sender=model, dispatch_uid=uid + ":pre_save", weak=False)
    pre_delete.connect(_enter, sender=model, dispatch_uid=uid + ":pre_delete", weak=False)
    post_save.connect(_leave, sender=model, dispatch_uid=uid + ":post_save", weak=False)
    post_delete.connect(_leave, sender=model, dispatch_uid=uid + ":post_delete", weak=False)


@contextmanager
def attributed(label: str, scopes):
    """Writes to the tracked model ``label`` inside the block that do not go through its save or delete
    (``bulk_create`` of a log, say) bump ``scopes`` instead of ``"global"``::

        with versions.attributed("evidence.EvidenceEvent", ["round:3", "agency:7"]):
            EvidenceEvent.objects.bulk_create(events)
    """
    table = apps.get_model(label)._meta.db_table
    if table not in _tracked:
        raise ValueError(f"{label} is not tracked (versions.track)")
    covered = _covered()
    covered[table] = covered.get(table, 0) + 1
    try:
        yield
    finally:
        covered[table] = max(0, covered.get(table, 0) - 1)
        bump(*scopes)


def _covered() -> dict[str, int]:
    if not hasattr(_local, "covered"):
        _local.covered = {}
    return _local.covered


def _enter(sender, instance, **kwargs):
    covered = _covered()
    table = sender._meta.db_table
    covered[table] = covered.get(table, 0) + 1


def _leave(sender, instance, **kwargs):
    covered = _covered()
    table = sender._meta.db_table
    covered[table] = max(0, covered.get(table, 0) - 1)
    try:
        scopes = _tracked[table](instance)
    except ObjectDoesNotExist:  # a related row deleted in the same cascade: not attributable
        scopes = [GLOBAL]
    bump(*scopes, using=kwargs.get("using"))


def _fresh() -> int:
    """The first version of a scope not in the cache: a random number, never one used before (in practice)."""
    return secrets.randbits(62)


def _key(scope: str) -> str:
    return _PREFIX + scope


def bump(*scopes: str, using=None) -> None:
    """Give ``scopes`` a new version now and again once the current transaction commits. The second is
    the one that matters to other people (see the module's docstring); the first makes the writing
    transaction's own later reads current (a request that writes then reads, a test that never commits)."""
    if not scopes:
        return
    if getattr(_local, "once", 0):
        return _bump_once(scopes, using)
    _unmemo()
    if transaction.get_connection(using).in_atomic_block:
        _incr(scopes)
    transaction.on_commit(lambda: _incr(scopes), using=using)


def _incr(scopes) -> None:
    _unmemo()
    try:
        # not in the cache: a number never used before
        _add_to({_key(scope): 1 for scope in dict.fromkeys(scopes)}, _fresh)
    except Exception:  # the cache is down: pages read with it down are not cached either
        log.exception("could not bump the data versions %s", ", ".join(scopes))


def _add_to(deltas: dict[str, int], first: Callable[[], int]) -> None:
    """Add each delta to its counter, a counter not in the cache starting at ``first()`` (another process
    starting it at the same moment wins, and this one adds to it); kept without expiry. One round trip to
    Redis for all of them (``RedisCache.add_to``); elsewhere one counter after the other."""
    add_to = getattr(cache, "add_to", None)
    if add_to is not None:
        add_to(deltas, first)
        return
    for key, delta in deltas.items():
        try:
            cache.incr(key, delta)
        except ValueError:
            if not cache.add(key, first() + delta, timeout=None):
                cache.incr(key, delta)


def _unmemo() -> None:
    if getattr(_local, "memo", None) is not None:
        _local.memo = {}


def versions(*scopes: str) -> dict[str, int] | None:
    """The current version of each scope ("global" always included); None when the cache is down.

    Within a request the versions read are remembered (one read of the cache for the page and its set-up,
    not one per cached piece) until this thread bumps any version: the request's pieces are then all as of
    the moment it first read the versions — never older than a write committed before it started, and
    always after the request's own writes. Outside a request (jobs, commands) nothing is remembered."""
    _flush_pending()  # versions bumped once per transaction (``once_per_transaction``) are read after it
    names = list(dict.fromkeys((GLOBAL, *scopes)))
    memo = getattr(_local, "memo", None)
    if memo is not None and all(s in memo for s in names):
        return {s: memo[s] for s in names}
    try:
        found = cache.get_many([_key(s) for s in names])
        for s in names:
            if _key(s) not in found:
                cache.add(_key(s), _fresh(), timeout=None)
                found[_key(s)] = cache.get(_key(s))
    except Exception:
        log.exception("could not read the data versions")
        return None
    if any(v is None for v in found.values()):
        return None
    current = {s: found[_key(s)] for s in names}
    if memo is not None and getattr(_local, "memo", None) is memo:
        memo.update(current)
    return current


def read_with(keys: list[str], scopes) -> dict:
    """``cache.get_many(keys)``, reading in the same round trip the versions of ``scopes`` (and "global") that this
    request has not read yet, remembered as :func:`versions` remembers them (the session is read so, with the
    versions the signed-in user is kept under: one round trip to Redis instead of two). Outside a request, or with
    the page cache off, a plain ``get_many``. A version not in the cache is left for :func:`versions` to start."""
    memo = getattr(_local, "memo", None)
    if memo is None or not settings.ITADESK_PAGE_CACHE:
        return cache.get_many(keys)
    _flush_pending()
    names = [s for s in dict.fromkeys((GLOBAL, *scopes)) if s not in memo]
    found = cache.get_many([*keys, *(_key(s) for s in names)])
    if getattr(_local, "memo", None) is memo:
        for s in names:
            if found.get(_key(s)) is not None:
                memo[s] = found[_key(s)]
    return {k: found[k] for k in keys if k in found}


# --- once per scope per transaction ----------------------------------------------------------------


@contextmanager
def once_per_transaction():
    """Inside the block, every bump (a tracked save or delete, :func:`attributed`, a write caught under
    "global") gives each scope **one** new version when the transaction commits, however many writes bump it:
    an executive approving 20 items bumps the round and the agency once, not 20 times (two cache operations
    per scope and write otherwise). The guarantee of the module's docstring is kept: the bump after the commit
    is the one other people need, and the bump that makes the transaction's own later reads current is made
    just before this thread next reads the versions (:func:`versions`), once per scope, instead of at every
    write. Outside a transaction a bump is made at once, as :func:`bump` does::

        with transaction.atomic(), versions.once_per_transaction():
            ...  # saves, bulk writes
    """
    _local.once = getattr(_local, "once", 0) + 1
    try:
        yield
    finally:
        _local.once -= 1


class _AtCommit:
    """The bump of a transaction's scopes after its commit (one ``on_commit`` callback a transaction collects
    into, see :func:`_bump_once`)."""

    def __init__(self, scopes):
        self.scopes = dict.fromkeys(scopes)

    def __call__(self):
        _pending().difference_update(self.scopes)  # incremented now, after every write of the transaction
        _incr(list(self.scopes))


def _pending() -> set[str]:
    if getattr(_local, "pending", None) is None:
        _local.pending = set()
    return _local.pending


def _bump_once(scopes, using) -> None:
    _unmemo()
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _incr(scopes)
        return
    _pending().update(scopes)
    # A callback of this transaction still pending (not dropped by a rolled-back savepoint) takes the scopes:
    # were it dropped later with its savepoint, this write would be rolled back with it.
    for _sids, func, _robust in reversed(connection.run_on_commit):
        if isinstance(func, _AtCommit):
            func.scopes.update(dict.fromkeys(scopes))
            return
    transaction.on_commit(_AtCommit(scopes), using=using)


def _flush_pending() -> None:
    pending = getattr(_local, "pending", None)
    if pending:
        scopes = sorted(pending)
        pending.clear()
        _incr(scopes)


def caching() -> bool:
    """Whether :func:`cached` keeps anything (the page cache is on: ``ITADESK_PAGE_CACHE``)."""
    return bool(settings.ITADESK_PAGE_CACHE)


def cached(name: str, parts, scopes, compute: Callable[[], object], *, timeout: int = TIMEOUT):
    """``compute()``, or what it returned for the same ``name`` and ``parts`` at the current versions of
    ``scopes`` (plus "global"). ``parts`` must hold everything else the result depends on (language,
    filters, what the user may see, the minute for anything that shows the time). A ``None`` from ``compute``
    is not kept.

    Besides pages, it keeps the set-up every signed-in page reads before its own work (the user, the
    second-factor check, the scope, the round, the agency and the round switcher: see docs/architecture.md,
    "Cached pages"); what it keeps must pickle (plain data or model instances) and never come from an
    ``IGNORED`` table."""
    if not settings.ITADESK_PAGE_CACHE:
        return compute()
    current = versions(*scopes)  # before the data is read: see the module's docstring
    if current is None:
        return compute()
    digest = hashlib.sha256(repr((sorted(current.items()), tuple(parts))).encode()).hexdigest()[:32]
    key = f"itadesk:page:{name}:{digest}"
    try:
        value = cache.get(key)
    except Exception:
        log.exception("could not read the cache")
        return compute()
    if settings.ITADESK_PAGE_CACHE_STATS:
        _count(name, value is not None)
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            log.exception("could not write the cache")
    return value


_STATS = "itadesk:stats:"


#: Seconds a process keeps its counts of hits and misses before adding them to the cache (``_count``).
STATS_EVERY = 1.0
_counts: dict[str, int] = {}
_counts_lock = threading.Lock()
_counts_added = [0.0]  # time.monotonic() of the last addition


def _count(name: str, hit: bool) -> None:
    """Count a hit or a miss of ``name`` in this process, added to the cache's counters at most once every
    ``STATS_EVERY`` seconds: counting must not cost the page a round trip to Redis of its own (the benchmark
    that reads the counts would measure the counting: it took a tenth of the web processes' time)."""
    key = f"{_STATS}{name}:{'hit' if hit else 'miss'}"
    with _counts_lock:
        _counts[key] = _counts.get(key, 0) + 1
        due = time.monotonic() - _counts_added[0] >= STATS_EVERY
    if due:
        _add_counts()


def _add_counts() -> None:
    with _counts_lock:
        counts = dict(_counts)
        _counts.clear()
        _counts_added[0] = time.monotonic()
    if counts:
        try:
            _add_to(counts, lambda: 0)
        except Exception:
            log.exception("could not count the cached pages")


def page_stats(names) -> dict[str, tuple[int, int]]:
    """``{page name: (hits, misses)}`` counted since the cache started (``ITADESK_PAGE_CACHE_STATS``): this
    process's counts to this moment, the other processes' to their last addition (at most ``STATS_EVERY``
    seconds before their last request)."""
    _add_counts()
    keys = [f"{_STATS}{n}:{k}" for n in names for k in ("hit", "miss")]
    found = cache.get_many(keys)
    return {n: (found.get(f"{_STATS}{n}:hit", 0), found.get(f"{_STATS}{n}:miss", 0)) for n in names}


# --- the Redis cache --------------------------------------------------------------------------------

class _RedisClients(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per server instead of building one for every
    operation (redis-py fills a dictionary of ~200 response callbacks in each ``Redis()``: about 0.1 ms of CPU
    per cache operation, more than the operation itself; a page with its set-up does a dozen). A ``Redis``
    object is thread-safe and takes its connections from the server's pool, which reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with a client per server kept (settings.CACHES)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisClients

    def add_to(self, deltas: dict[str, int], first: Callable[[], int]) -> None:
        """Add each delta to its counter, one not in the cache starting at ``first()``, kept without expiry, in
        one round trip (``SET NX`` and ``INCRBY`` per counter, pipelined), where Django's ``incr`` takes two per
        counter (``EXISTS``, then ``INCRBY``) and ``add`` a third for a new one."""
        pipe = self._cache.get_client(write=True).pipeline(transaction=False)
        for key, delta in deltas.items():
            key = self.make_and_validate_key(key)
            pipe.set(key, first(), nx=True)
            pipe.incrby(key, delta)
        pipe.execute()


# --- the watch on every write --------------------------------------------------------------------

_WRITES = ("INSERT", "UPDATE", "DELETE")


def _tables(sql: str) -> str:
    """The table a write statement writes: the first quoted name after INSERT INTO / UPDATE / DELETE FROM."""
    start = sql.find('"')
    end = sql.find('"', start + 1)
    return sql[start + 1:end] if start >= 0 and end > start else ""


def _watch(execute, sql, params, many, context):
    head = sql.lstrip()[:6].upper() if isinstance(sql, str) else ""
    if head not in _WRITES:
        return execute(sql, params, many, context)
    try:
        result = execute(sql, params, many, context)
    except Exception:
        _local.covered = {}  # a failed save does not reach post_save
        raise
    table = _tables(sql)
    if table in IGNORED:
        return result
    if sql in IGNORED_STATEMENTS:
        scopes = _STATEMENT_SCOPES.get(sql)
        if scopes is not None and params is not None and not many:
            bump(*scopes(params), using=context["connection"].alias)
        return result
    if table in _tracked and _covered().get(table):
        return result  # a tracked save or delete: post_save / post_delete bump its scopes
    connection = context["connection"]
    bump(GLOBAL, using=connection.alias)
    return result


def _forget(**kwargs):
    _local.covered = {}  # a save that failed before its statement (in a pre_save receiver) is forgotten
    _local.memo = {}  # the versions read by this request (``versions``)


def _finished(**kwargs):
    _local.memo = None


def _install(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every connection (from CoreConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="itadesk.versions.install", weak=False)
    request_started.connect(_forget, dispatch_uid="itadesk.versions.forget", weak=False)
    request_finished.connect(_finished, dispatch_uid="itadesk.versions.finished", weak=False)
    for conn in connections.all(initialized_only=True):
        _install(None, conn)


# --- Kept in this process too (``kept``) ---

#: Bytes of pickled values a process keeps at most for :func:`kept` (the least recently used go first).
HERE_BYTES = 8 * 1024 * 1024
_here: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_here_size = [0]
_here_lock = threading.Lock()


def kept(name: str, parts, scopes, compute: Callable[[], object], *, timeout: int = TIMEOUT):
    """:func:`cached`, with a copy kept in this process's memory as well, under the same key (the name, the
    parts and the versions read by this request): a piece read on every request (the signed-in user, the
    page's navigation) is then read from neither Redis nor the database while its data is unchanged. Exact as
    :func:`cached` is: a write gives the data a new version, so a new key, in every process. What is kept is
    pickled, and each call gets its own copy (model instances may be changed by the request). At most
    ``HERE_BYTES`` per process and ``timeout`` seconds, as in the shared cache."""
    if not settings.ITADESK_PAGE_CACHE:
        return compute()
    current = versions(*scopes)
    if current is None:
        return compute()
    key = f"{name}:" + hashlib.sha256(repr((sorted(current.items()), tuple(parts))).encode()).hexdigest()[:32]
    now = time.monotonic()
    with _here_lock:
        found = _here.get(key)
        if found is not None:
            if found[0] > now:
                _here.move_to_end(key)
            else:
                del _here[key]
                _here_size[0] -= len(found[1])
                found = None
    if found is not None:
        if settings.ITADESK_PAGE_CACHE_STATS:
            _count(name, True)
        return pickle.loads(found[1])
    value = cached(name, parts, scopes, compute, timeout=timeout)
    if value is not None:
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(blob) <= HERE_BYTES // 16:
            with _here_lock:
                old = _here.pop(key, None)
                if old is not None:
                    _here_size[0] -= len(old[1])
                _here[key] = (now + timeout, blob)
                _here_size[0] += len(blob)
                while _here_size[0] > HERE_BYTES:
                    _old_key, (_expiry, old_blob) = _here.popitem(last=False)
                    _here_size[0] -= len(old_blob)
        value = pickle.loads(blob)  # the caller's own copy: what is kept stays as computed
    return value
