"""core.versions: which writes bump which versions, and the cache keyed by them. The pages that use it:
tests/evidence/test_cached_pages.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import versions
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Progress
from itadesk.evidence import recording, snapshots
from itadesk.evidence import services as evidence
from itadesk.evidence.models import EvidenceItem
from itadesk.registry.models import Agency
from itadesk.surveys import services as surveys
from tests.evidence.oit_world import decide_all, setup_oit, to_submitted
from tests.world import PASSWORD


def current(*scopes):
    return versions.versions(*scopes)


@pytest.fixture
def item(world):
    return EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o1")


def test_a_tracked_save_bumps_its_round_and_agency_only(world, item):
    before = current(f"round:{world.round.pk}", f"agency:{world.sao1.pk}", f"agency:{world.pao.pk}")
    item.explanation = "ใหม่"
    item.save()
    after = current(f"round:{world.round.pk}", f"agency:{world.sao1.pk}", f"agency:{world.pao.pk}")
    assert after["global"] == before["global"]
    assert after[f"agency:{world.pao.pk}"] == before[f"agency:{world.pao.pk}"]
    assert after[f"round:{world.round.pk}"] != before[f"round:{world.round.pk}"]
    assert after[f"agency:{world.sao1.pk}"] != before[f"agency:{world.sao1.pk}"]


@pytest.mark.parametrize("delete", [lambda item: item.delete(),
                                    lambda item: EvidenceItem.objects.filter(pk=item.pk).delete()])
def test_a_tracked_delete_bumps_its_scopes(world, item, delete):
    """A queryset's delete sends each object's signals too (Django's collector): attributed to its scopes."""
    scope = f"agency:{world.sao1.pk}"
    before = current(scope)
    delete(item)
    assert current(scope)[scope] != before[scope]


@pytest.mark.parametrize("write", [
    lambda w, item: EvidenceItem.objects.filter(pk=item.pk).update(explanation="x"),
    lambda w, item: EvidenceItem.objects.bulk_create([EvidenceItem(round=w.round, agency=w.pao, item_code="o2")]),
    lambda w, item: Agency.objects.filter(pk=w.sao1.pk).update(website="https://new.example.go.th"),
    lambda w, item: w.sao1.save(),
    lambda w, item: Progress.objects.bulk_create([Progress(milestone=w.m1, agency=w.pao, status="done")]),
])
def test_writes_that_cannot_be_attributed_to_a_scope_bump_global(world, item, write):
    before = current()["global"]
    write(world, item)
    assert current()["global"] != before


def test_raw_sql_bumps_global(world, item):
    before = current()["global"]
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{EvidenceItem._meta.db_table}" SET explanation = %s', ["raw"])
    assert current()["global"] != before


def test_writes_to_ignored_tables_bump_nothing(world):
    before = current()["global"]
    AuditEvent.objects.create(action="test.nothing", object_repr="x")
    assert current()["global"] == before


def test_cached_recomputes_after_a_bump_and_not_before(world):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versions.cached("t", ("a",), ["round:1"], compute) == 1
    assert versions.cached("t", ("a",), ["round:1"], compute) == 1
    assert versions.cached("t", ("b",), ["round:1"], compute) == 2  # other parts: another entry
    versions.bump("round:2")
    assert versions.cached("t", ("a",), ["round:1"], compute) == 1  # another scope's bump: still cached
    versions.bump("round:1")
    assert versions.cached("t", ("a",), ["round:1"], compute) == 3
    versions.bump("global")
    assert versions.cached("t", ("a",), ["round:1"], compute) == 4


def test_a_version_lost_from_the_cache_starts_from_a_number_not_used_before(world):
    seen = set()
    for _ in range(20):
        cache.delete("itadesk:v:round:77")
        seen.add(current("round:77")["round:77"])
    assert len(seen) == 20


@given(st.text(alphabet=st.characters(blacklist_characters='"', blacklist_categories=("Cs",)), min_size=1, max_size=40),
       st.sampled_from(['INSERT INTO "{}" ("a") VALUES (%s)', 'UPDATE "{}" SET "a" = %s WHERE "{}"."id" = %s',
                        'DELETE FROM "{}" WHERE "{}"."id" IN (%s)']))
def test_the_written_table_is_read_from_the_statement(table, template):
    assert versions._tables(template.format(table, table)) == table


def test_a_login_bumps_nothing_but_a_change_to_a_person_does(world, client):
    before = current()["global"]
    response = client.post(reverse("accounts:login"), {"username": world.admin_a.username, "password": PASSWORD})
    assert response.status_code == 302  # logged in through the form: session, throttle record, last_login
    assert current()["global"] == before
    world.admin_a.first_name = "ใหม่"
    world.admin_a.save()
    assert current()["global"] != before


def test_the_writes_of_deadline_day_bump_their_round_and_agency_only(world, monkeypatch):
    """An item saved, approved, sent, passed, and its URL checked; stakeholder data entered: the logs written
    in bulk (item events, findings) are attributed to the item's scopes, so no other province's pages move."""
    setup_oit(world)
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)
    before = current(f"round:{world.round.pk}")
    [item] = to_submitted(world, ["o1"])
    evidence.review_item(actor=world.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    recording.record_check(item, item.urls[0], {"final_url": item.urls[0], "status": 200, "body": b"x",
                                                 "text": "x", "error": ""},
                           [{"code": "t", "passed": False, "severity": "warning", "message_th": "x"}])
    surveys.save_stakeholders(actor=world.admin_a, round=world.round, agency=world.sao1, internal_count=20,
                              external_people=300)
    after = current(f"round:{world.round.pk}")
    assert after["global"] == before["global"]
    assert after[f"round:{world.round.pk}"] != before[f"round:{world.round.pk}"]


def test_attributing_an_untracked_model_is_refused(world):
    with pytest.raises(ValueError), versions.attributed("registry.Agency", ["round:1"]):
        pass


def test_without_a_shared_cache_pages_are_computed_every_time(world, settings):
    settings.ITADESK_PAGE_CACHE = False  # no Redis: the job worker's writes could not reach this process
    calls = []
    for _ in range(2):
        versions.cached("t-off", (), ["round:1"], lambda: calls.append(1))
    assert len(calls) == 2


def test_the_hits_and_misses_of_a_cached_page_are_counted_when_asked(world, settings):
    settings.ITADESK_PAGE_CACHE_STATS = True
    start = versions.page_stats(["t-stats"])["t-stats"]
    for _ in range(3):
        versions.cached("t-stats", (), ["round:1"], lambda: "page")
    versions.bump("round:1")
    versions.cached("t-stats", (), ["round:1"], lambda: "page")
    hits, misses = versions.page_stats(["t-stats"])["t-stats"]
    assert (hits - start[0], misses - start[1]) == (2, 2)
    settings.ITADESK_PAGE_CACHE_STATS = False  # off (the default): nothing counted
    versions.cached("t-stats", (), ["round:1"], lambda: "page")
    assert versions.page_stats(["t-stats"])["t-stats"] == (hits, misses)
