"""core.versions ``once_per_transaction``: a transaction's writes bump each scope once, after the commit, and
its own later reads still see them (the guarantee of the module's docstring, with fewer cache operations)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from itadesk.core import versions
from itadesk.evidence import services as evidence
from itadesk.evidence import snapshots
from itadesk.evidence.models import EvidenceItem
from tests.evidence.oit_world import fill, setup_oit


class Counting:
    """Counts the cache's ``incr`` by key (the bumps) around the real cache."""

    def __init__(self, monkeypatch):
        self.keys: list[str] = []
        real = cache.incr

        def incr(key, *args, **kwargs):
            self.keys.append(key)
            return real(key, *args, **kwargs)

        monkeypatch.setattr(cache, "incr", incr)

    def of(self, scope: str) -> int:
        return self.keys.count("itadesk:v:" + scope)


def _items(world, n):
    return [EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code=f"o{k}") for k in range(n)]


@pytest.mark.django_db(transaction=True)
def test_many_writes_of_a_transaction_bump_each_scope_once_after_the_commit(world, monkeypatch):
    items = _items(world, 5)
    scope = f"agency:{world.sao1.pk}"
    before = versions.versions(scope)[scope]
    counting = Counting(monkeypatch)
    with transaction.atomic(), versions.once_per_transaction():
        for item in items:
            item.explanation = "ใหม่"
            item.save()
        assert counting.of(scope) == 0  # nothing yet: nobody may see it before the commit
    assert counting.of(scope) == 1
    assert versions.versions(scope)[scope] != before
    counting.keys.clear()
    with transaction.atomic():  # without it: two per write (now, and after the commit)
        for item in items:
            item.save()
    assert counting.of(scope) == 2 * len(items)


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_the_transaction_sees_its_own_writes(world):
    [item] = _items(world, 1)
    scope = f"agency:{world.sao1.pk}"
    with transaction.atomic(), versions.once_per_transaction():
        first = versions.versions(scope)[scope]
        item.save()
        assert versions.versions(scope)[scope] != first  # bumped just before this read
        item.save()
        item.save()
        second = versions.versions(scope)[scope]
        assert second != first
        assert versions.versions(scope)[scope] == second  # no write since: no new version
    assert versions.versions(scope)[scope] != second  # and again after the commit, for everyone else


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_lose_the_bump_of_the_writes_kept(world, monkeypatch):
    a, b = _items(world, 2)
    scope = f"agency:{world.sao1.pk}"
    counting = Counting(monkeypatch)
    with transaction.atomic(), versions.once_per_transaction():
        try:
            with transaction.atomic():
                a.save()  # its callback is dropped with the savepoint
                raise RuntimeError
        except RuntimeError:
            pass
        counting.keys.clear()  # (the read below would flush; count only what the commit does)
        b.save()
    assert counting.of(scope) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_bump_is_made_at_once(world, monkeypatch):
    [item] = _items(world, 1)
    scope = f"agency:{world.sao1.pk}"
    counting = Counting(monkeypatch)
    with versions.once_per_transaction():
        item.save()
        assert counting.of(scope) == 1


@pytest.mark.django_db(transaction=True)
def test_approving_and_sending_bump_each_scope_once_per_step(world, monkeypatch):
    """Executive approval and sending of several items: the round and the agency once each, however many."""
    setup_oit(world)
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)
    codes = ["o1", "o2", "o3"]
    for code in codes:
        fill(world, code, urls=(f"https://kaewmethee.go.th/{code}",))
    counting = Counting(monkeypatch)
    approved, sent = evidence.approve_and_submit(actor=world.exec_a, round=world.round, agency=world.sao1,
                                                 items=codes)
    assert [i.item_code for i in sent] == codes
    for scope in (f"round:{world.round.pk}", f"agency:{world.sao1.pk}"):
        assert counting.of(scope) == 1, scope
