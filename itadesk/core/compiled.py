"""Queries of a fixed shape, built by Django's ORM once per process and database and then run with new values.

A page that runs the same query on every request with other values (one OIT item, its log, its decisions) pays
Django's query building and SQL compilation each time: about half a millisecond of CPU a query, more than the
database takes to answer it. :class:`Compiled` builds its queryset once with stand-in values, keeps the SQL,
where each value goes among its parameters and the converters of its columns, and afterwards runs that SQL with
the values given, through the same connection (its execute wrappers, ``core.versions``' watch and the test
client's query capture included) — the statement the ORM would have sent, byte for byte (a test checks it).

Only for ``values_list`` querysets whose shape depends on nothing but the number of values in each list
(``pk__in=[…]``: one SQL per length); :func:`instances` turns rows into model instances as the ORM would.

:func:`frozen_rows` is for a query whose shape comes from data (an office's oversight rules, a round's framework)
but whose values are all known from a few ids: its statement is kept whole per process, ids and version of the
data under "global" (core.versions), so a write to those rules gives a new statement."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from django.db import connections, router
from django.db.models import Model, QuerySet

from itadesk.core import versions

# Stand-in values: no real id or code is ever one of them, and each appears in the compiled parameters exactly
# where its value goes.
_INT_BASE = -(2**31) + 7919
_TEXT = "\x1fcompiled:{}:{}\x1f"


class Compiled:
    """``build(**values)`` -> a ``values_list`` queryset; :meth:`rows` runs it for ``values`` without building
    it again (ints, strings, or lists of them)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._plans: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _plan(self, alias: str, values: dict) -> tuple:
        shape = (alias, connections[alias].vendor,
                 tuple((k, len(v) if isinstance(v, (list, tuple)) else None) for k, v in sorted(values.items())))
        plan = self._plans.get(shape)
        if plan is not None:
            return plan
        stand_ins, where = {}, {}
        n = 0
        for name, value in values.items():
            one = [*value] if isinstance(value, (list, tuple)) else [value]
            made = []
            for i, v in enumerate(one):
                n += 1
                s = (_INT_BASE + n) if isinstance(v, int) else _TEXT.format(name, i)
                where[s] = (name, i if isinstance(value, (list, tuple)) else None)
                made.append(s)
            stand_ins[name] = made if isinstance(value, (list, tuple)) else made[0]
        plan = _compile(self.build(**stand_ins), alias, where)
        with self._lock:
            self._plans[shape] = plan
        return plan

    def rows(self, *, model: type[Model], **values) -> list[tuple]:
        """The rows, as ``build(**values)`` would give them (``model``: whose database router picks the
        connection, as the queryset's would)."""
        alias = router.db_for_read(model)
        return _run(alias, self._plan(alias, values), values)


def _compile(qs: QuerySet, alias: str, where: dict) -> tuple:
    """``qs`` compiled for ``alias``: (SQL, each parameter's slot, the columns' converters). ``where``: stand-in
    value -> (name, index in its list or None), the parameters filled at each run; the others are constants."""
    compiler = qs.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    # each parameter: (None, None, a constant) or (name, index in its list or None, None)
    slots = [(*where[p], None) if isinstance(p, (int, str)) and not isinstance(p, bool) and p in where
             else (None, None, p) for p in params]
    if {s[:2] for s in slots if s[0] is not None} != set(where.values()):
        raise ValueError(f"not every value of {sorted({n for n, _i in where.values()})} is a parameter of {sql!r}")
    converters = [(pos, convs, expr) for pos, (convs, expr) in
                  compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]]).items()]
    return sql, slots, converters


def _run(alias: str, plan: tuple, values: dict) -> list[tuple]:
    sql, slots, converters = plan
    params = [p if name is None else (values[name] if i is None else values[name][i]) for name, i, p in slots]
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not converters:
        return [tuple(r) for r in rows]
    out = []
    for row in rows:
        row = list(row)
        for pos, convs, expr in converters:
            value = row[pos]
            for convert in convs:
                value = convert(value, expr, connection)
            row[pos] = value
        out.append(tuple(row))
    return out


#: Statements :func:`frozen_rows` keeps per process (the least recently used go first).
FROZEN_MAX = 2000
_frozen: OrderedDict[tuple, tuple] = OrderedDict()
_frozen_lock = threading.Lock()


def frozen_rows(name: str, parts: tuple[Hashable, ...], build: Callable[[], QuerySet], *, model: type[Model]
                ) -> list[tuple]:
    """The rows of ``build()``, a ``values_list`` queryset that depends on nothing but ``parts`` (ids, a state,
    the slice of a page) and data under the "global" version of core.versions (an office's oversight rules, a
    round's framework): built and compiled the first time in this process for ``name``, ``parts``, database and
    version of "global", then only run (the same statement and parameters, byte for byte). Without the data
    versions (no page cache, the cache down) it is built every time."""
    current = versions.versions() if versions.caching() else None
    if current is None:
        return [tuple(r) for r in build()]
    alias = router.db_for_read(model)
    key = (name, parts, alias, current[versions.GLOBAL])
    with _frozen_lock:
        plan = _frozen.get(key)
        if plan is not None:
            _frozen.move_to_end(key)
    if plan is None:
        plan = _compile(build(), alias, {})
        with _frozen_lock:
            _frozen[key] = plan
            while len(_frozen) > FROZEN_MAX:
                _frozen.popitem(last=False)
    return _run(alias, plan, {})


def attnames(model: type[Model], *, exclude: Sequence[str] = ()) -> list[str]:
    """The concrete fields' column attributes of ``model`` (``item_id``, not ``item``), in the model's order."""
    return [f.attname for f in model._meta.concrete_fields if f.attname not in exclude and f.name not in exclude]


def instances(model: type[Model], names: Sequence[str], rows, *, start: int = 0) -> list[Model]:
    """Model instances from ``rows`` (columns ``names`` from position ``start``), made by ``model.from_db`` as
    the ORM makes them (fields not in ``names`` are deferred)."""
    alias = router.db_for_read(model)
    end = start + len(names)
    return [model.from_db(alias, names, row[start:end]) for row in rows]
