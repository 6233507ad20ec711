"""Anonymity by construction. Each test fails if a response can be joined to a token, a user, an
address or a time: by a field or column, by a relation, by text stored anywhere, or by order."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from itadesk.core.models import AuditEvent
from itadesk.questionnaires import selectors, services
from itadesk.questionnaires.models import AbuseMark, Response, Token
from tests.questionnaires.qworld import full_answers, make, post_data

IP = "203.0.113.77"


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_a_response_row_holds_nothing_but_its_id_questionnaire_day_and_answers(db):
    fields = {f.name: f for f in Response._meta.concrete_fields}
    assert set(fields) == {"id", "questionnaire", "day", "answers"}
    assert isinstance(fields["id"], models.UUIDField) and not isinstance(fields["id"], models.AutoField)
    assert type(fields["day"]) is models.DateField  # a day, not a time
    assert not fields["day"].auto_now and not fields["day"].auto_now_add
    assert _columns(Response) == {"id", "questionnaire_id", "day", "answers"}
    assert not Response._meta.ordering


def test_nothing_refers_to_a_response_and_tokens_and_marks_refer_to_nothing_but_the_questionnaire(db):
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete:
                assert f.related_model is not Response, f"{model.__name__}.{f.name} points at a response"
    assert {f.name for f in Token._meta.concrete_fields} == {"id", "questionnaire", "token_hash", "used"}
    assert {f.name for f in AbuseMark._meta.concrete_fields} == {"id", "questionnaire", "network_hash", "bucket",
                                                               "count"}
    for model in (Token, AbuseMark):
        assert not any(isinstance(f, models.DateField | models.TimeField) for f in model._meta.concrete_fields)


def _everything_stored() -> str:
    """Every value of every table of the database, as text."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


def test_the_address_the_token_and_the_time_are_stored_nowhere(world, client):
    q = make(world, "IIT", tokens=True)
    codes = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=2)
    before_events, before_sessions = AuditEvent.objects.count(), Session.objects.count()
    page = client.post(reverse("q:form", args=[q.public_id]), {**post_data(full_answers(q)), "token": codes[0]},
                       REMOTE_ADDR=IP)
    assert page.status_code == 302
    assert AuditEvent.objects.count() == before_events  # no history row (it would date the response)
    assert Session.objects.count() == before_sessions and "sessionid" not in page.cookies
    stored = _everything_stored()
    for secret in (IP, "203.0.113.", codes[0], codes[0].replace("-", "")):
        assert secret not in stored, secret
    mark = AbuseMark.objects.get()
    assert mark.bucket * services.BUCKET_MINUTES * 60 % 600 == 0  # a 10-minute bucket at best


def test_token_rows_cannot_be_paired_with_responses(world):
    q = make(world, "IIT", tokens=True)
    codes = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=6)
    for n, code in enumerate(codes):
        services.submit_response(questionnaire=q, answers=full_answers(q, pick=lambda c, i, n=n: c["options"][n % 4]["value"]),
                                 ip=IP, token=code)
    # a token row says only "used": no time, no order column, no response
    assert set(Token.objects.values_list("used", flat=True)) == {True}
    assert not set(Token.objects.values()[0]) - {"id", "questionnaire_id", "token_hash", "used"}


def test_arrival_order_cannot_be_recovered_by_id_export_or_after_close(world):
    q = make(world, "IIT")
    n = 30
    arrival = []
    for k in range(n):
        # answer i1.1 carries the arrival number (4-level: k % 4 would repeat, so use several columns)
        ans = full_answers(q, pick=lambda c, i, k=k: c["options"][(k >> (2 * i)) % 4]["value"] if i < 3 else 1)
        services.submit_response(questionnaire=q, answers=ans, ip=IP, now=timezone.now() + dt.timedelta(minutes=k))
        arrival.append(ans)
    keys = [services.pattern_key(a) for a in arrival]
    by_id = [services.pattern_key(a) for a in Response.objects.order_by("pk").values_list("answers", flat=True)]
    assert by_id != keys  # random UUIDs: chance of equality 1/30!
    cols, rows = selectors.anonymised_rows(q)
    assert rows == sorted(rows, key=lambda r: [str(v) for v in r])  # sorted by answers, not arrival
    assert {r.day for r in Response.objects.all()} == {timezone.localdate(timezone.now() + dt.timedelta(minutes=k))
                                                       for k in range(n)}
    services.close(actor=world.admin_a, questionnaire=q)
    physical = [services.pattern_key(a) for a in Response.objects.values_list("answers", flat=True)]  # no ORDER BY
    assert sorted(physical) == sorted(keys) and physical != keys and physical != keys[::-1]
