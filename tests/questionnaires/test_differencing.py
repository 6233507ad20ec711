"""Anonymity against differencing (issue 15, item 4): an open questionnaire's results page and export
move only in batches of at least k responses, so comparing two of them never isolates one person's
answers; abuse marks are counters, never a row per response; on SQLite responses have no rowid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from itadesk.core.tabular import read_table
from itadesk.questionnaires import selectors, services
from itadesk.questionnaires.models import AbuseMark, Response
from tests.questionnaires.qworld import full_answers, make, use_framework

IP = "203.0.113.77"


def _answer(q, value):
    return full_answers(q, pick=lambda col, i, v=value: col["options"][v % len(col["options"])]["value"])


def _send(q, value, ip=IP, now=None):
    services.submit_response(questionnaire=q, answers=_answer(q, value), ip=ip, now=now)


def _export(client, q, fmt="csv"):
    page = client.get(reverse("questionnaires:export", args=[q.pk, fmt]))
    assert page.status_code == 200
    return read_table(page.content, f"x.{fmt}", max_bytes=None).rows


def test_one_response_between_two_exports_is_not_revealed(world, client, settings):
    """Before batching, the export taken after one person answered minus the export taken before was
    that person's 15 answers. Now the two exports are equal until k responses have come in."""
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 5
    q = make(world, "IIT")
    client.force_login(world.reviewer)
    for n in range(5):
        _send(q, n)
    first = _export(client, q)
    assert len(first) == 5
    for n in range(4):  # four more: one short of a release
        _send(q, 3 if n == 0 else 1)
        assert _export(client, q) == first, "a response below the batch size changed the export"
        assert _export(client, q, "xlsx") == first
    _send(q, 2)  # the fifth: a new release with all ten
    second = _export(client, q)
    assert len(second) == 10 and second != first


def test_results_page_scores_move_only_in_batches_and_say_so(world, client, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 3
    use_framework(world)
    iit = make(world, "IIT")
    client.force_login(world.exec_a)
    url = reverse("questionnaires:results", args=[world.round.pk, world.sao1.pk])

    def scores():
        return [r.indicators for r in selectors.results(world.round, world.sao1)["instruments"]]

    for _n in range(3):
        _send(iit, 0)
    page = client.get(url).content.decode()
    assert "ผลจะปรับทุก 3 คำตอบ" in page and "จาก 3 คำตอบ" in page
    shown = scores()
    assert shown[0][0][2] is not None
    _send(iit, 3)  # one very different answer set
    page = client.get(url).content.decode()
    assert scores() == shown, "one response moved the indicator scores"
    assert "จาก 3 คำตอบ" in page and 'data-testid="release-IIT"' in page
    _send(iit, 3)
    _send(iit, 3)
    client.get(url)
    assert scores() != shown  # the batch of three is released together


def test_the_counter_of_responses_is_a_count_only(world, client, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 5
    q = make(world, "IIT")
    client.force_login(world.reviewer)
    _send(q, 1)
    page = client.get(reverse("questionnaires:detail", args=[q.pk])).content.decode()
    assert 'data-testid="release-note"' in page and "จาก 0 คำตอบ" in page
    assert selectors.response_count(q) == 1  # counts are fine; content is not released


def test_closing_releases_everything_at_once(world, client, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 5
    q = make(world, "IIT")
    client.force_login(world.reviewer)
    for n in range(3):
        _send(q, n)
    assert _export(client, q) == []
    services.close(actor=world.admin_a, questionnaire=q)
    assert len(_export(client, q)) == 3
    q.refresh_from_db()
    assert q.released_answers == [] and q.released_count == 0  # no copy kept once closed


@pytest.mark.parametrize("k", [2, 3, 7])
def test_any_two_different_releases_differ_by_at_least_k_responses(world, k, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = k
    q = make(world, "IIT")
    seen = [len(selectors.anonymised_rows(q)[1])]
    for n in range(3 * k + 1):
        _send(q, n)
        services.release_if_due(q)
        rows = len(selectors.anonymised_rows(q)[1])
        if rows != seen[-1]:
            seen.append(rows)
    assert all(b - a >= k for a, b in zip(seen, seen[1:], strict=False)) and seen[-1] == 3 * k


def test_release_k_never_below_two(settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 1
    assert services.release_k() == 2


def test_abuse_marks_are_counters_not_rows_per_response(world):
    q = make(world, "IIT")
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(minutes=now.minute % services.BUCKET_MINUTES)
    for n in range(services.NETWORK_FLAG):
        _send(q, n, now=start + dt.timedelta(seconds=n))
    _send(q, 0, ip="198.51.100.9", now=start)
    assert Response.objects.count() == services.NETWORK_FLAG + 1
    marks = sorted(AbuseMark.objects.values_list("count", flat=True))
    assert marks == [1, services.NETWORK_FLAG]  # two rows for eleven responses
    assert [f["count"] for f in services.network_flags(q)] == [services.NETWORK_FLAG]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite storage")
def test_sqlite_responses_have_no_rowid(world):
    q = make(world, "IIT")
    for n in range(3):
        _send(q, n)
    with connection.cursor() as cur:
        cur.execute("SELECT sql FROM sqlite_master WHERE name = 'questionnaires_response'")
        assert "WITHOUT ROWID" in cur.fetchone()[0].upper()
        with pytest.raises(DatabaseError):
            cur.execute("SELECT rowid FROM questionnaires_response")
        cur.execute("SELECT id FROM questionnaires_response")
        ids = [row[0] for row in cur.fetchall()]
    assert ids == sorted(ids)  # stored in the order of the random ids, not of arrival


def test_a_release_rewrites_the_released_responses_with_new_ids_and_loses_none(world, settings):
    settings.ITADESK_QUESTIONNAIRE_RELEASE_K = 4
    q = make(world, "IIT")
    for n in range(4):
        _send(q, n)
    before_ids = set(Response.objects.values_list("pk", flat=True))
    before = sorted(services.pattern_key(a) for a in Response.objects.values_list("answers", flat=True))
    days = sorted(Response.objects.values_list("day", flat=True))
    assert services.release_if_due(q)
    assert not before_ids & set(Response.objects.values_list("pk", flat=True))
    assert sorted(services.pattern_key(a) for a in Response.objects.values_list("answers", flat=True)) == before
    assert sorted(Response.objects.values_list("day", flat=True)) == days
    assert not services.release_if_due(q)  # nothing new: no second release


def test_migration_merges_marks_and_releases_what_open_questionnaires_showed(transactional_db, world):
    """Migration 0002 run on 0001's data: one mark row per response becomes one counter per (network,
    bucket); an open questionnaire's responses so far (all shown before batching) become its first
    release; on SQLite the response table loses its rowid."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    q = make(world, "IIT")
    for n in range(3):
        _send(q, n)
    call_command("migrate", "questionnaires", "0001", verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state([("questionnaires", "0001_initial")]).apps
        OldMark = old.get_model("questionnaires", "AbuseMark")
        OldMark.objects.all().delete()
        OldMark.objects.bulk_create([OldMark(questionnaire_id=q.pk, network_hash="h", bucket=7) for _ in range(3)]
                                    + [OldMark(questionnaire_id=q.pk, network_hash="g", bucket=7)])
    finally:
        call_command("migrate", "questionnaires", verbosity=0)
    assert sorted(AbuseMark.objects.values_list("network_hash", "count")) == [("g", 1), ("h", 3)]
    q.refresh_from_db()
    assert q.released_count == 3 and len(q.released_answers) == 3
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'questionnaires_response'")
            assert "WITHOUT ROWID" in cur.fetchone()[0].upper()
    assert Response.objects.count() == 3
