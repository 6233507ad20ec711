"""Within a request the data versions are read once (core.versions.versions): a version bumped by another
process after the request read it is seen by the next request, a bump by the request itself at once, and
nothing is remembered outside a request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.urls import reverse

from itadesk.accounts.models import Membership
from itadesk.core import versions


def other_process_bumps(scope: str) -> None:
    cache.incr(versions._key(scope))  # as a bump from another process: straight in the shared cache


@pytest.fixture
def in_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def test_a_request_reads_the_versions_once(db, in_request):
    first = versions.versions("round:5")
    other_process_bumps("round:5")
    other_process_bumps(versions.GLOBAL)
    assert versions.versions("round:5") == first  # as of the moment the request first read them
    assert versions.versions()[versions.GLOBAL] == first[versions.GLOBAL]
    assert versions.versions("agency:9")["agency:9"] is not None  # a scope not read yet is read


def test_the_requests_own_bump_is_seen_at_once(db, in_request):
    first = versions.versions("round:5")
    versions.bump("round:5")
    assert versions.versions("round:5")["round:5"] != first["round:5"]


def test_the_next_request_sees_the_other_process_bump(db):
    request_started.send(sender=None)
    first = versions.versions("round:5")
    other_process_bumps("round:5")
    request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert versions.versions("round:5")["round:5"] == first["round:5"] + 1
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_nothing_is_remembered(db):
    first = versions.versions("round:5")
    other_process_bumps("round:5")
    assert versions.versions("round:5")["round:5"] == first["round:5"] + 1


def test_a_page_is_computed_again_in_the_next_request_after_a_write_elsewhere(world, client):
    """End to end: a membership removed between two requests refuses the second."""
    client.force_login(world.admin_a)
    url = reverse("agency_progress", args=[world.round.pk, world.sao1.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.admin_a).delete()
    assert client.get(url).status_code in (403, 404)
