"""The API's behaviour: tokens (hashed, shown once, revoked, expired, rate-limited), scoping, pagination,
reads of every kind, and writes through the pages' services with refusals in Thai and English."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from itadesk.api import services
from itadesk.api.models import ApiToken
from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Progress, Round
from itadesk.evidence.models import EvidenceItem, Finding, Snapshot
from itadesk.surveys.models import ResponseCount
from tests.api.kit import call, token
from tests.evidence.oit_world import setup_oit

pytestmark = pytest.mark.django_db


def _agency_path(w, agency=None, tail=""):
    return f"/rounds/{w.round.pk}/agencies/{(agency or w.sao1).pk}{tail}"


# --- tokens --------------------------------------------------------------------------------------------

def test_a_token_is_stored_hashed_and_names_its_user(world, client):
    tok, secret = services.create_token(actor=world.admin_a, name="sheet")
    assert secret.startswith("itd_") and tok.digest != secret and secret not in tok.digest
    assert not ApiToken.objects.filter(digest__contains=secret[4:]).exists()
    me = call(client, "get", "/me", secret).json()
    assert me["username"] == world.admin_a.username and me["token_name"] == "sheet"
    assert [r["agency_id"] for r in me["roles"]] == [world.sao1.pk]
    tok.refresh_from_db()
    assert tok.last_used_at is not None
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == world.admin_a and "digest" not in json.dumps(event.after)


def test_no_bad_revoked_or_expired_token_gets_in(world, client):
    assert call(client, "get", "/rounds").status_code == 401
    assert call(client, "get", "/rounds", "itd_not-a-token").status_code == 401
    body = call(client, "get", "/rounds", "itd_not-a-token").json()
    assert body["code"] == "not_authenticated" and body["message_th"] and body["message_en"]
    tok, secret = services.create_token(actor=world.secretariat, name="x")
    assert call(client, "get", "/rounds", secret).status_code == 200
    services.revoke_token(actor=world.secretariat, token=tok)
    assert call(client, "get", "/rounds", secret).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.secretariat).exists()
    tok2, secret2 = services.create_token(actor=world.secretariat, name="y",
                                          expires_at=timezone.now() + dt.timedelta(hours=1))
    ApiToken.objects.filter(pk=tok2.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call(client, "get", "/rounds", secret2).status_code == 401
    _tok3, secret3 = services.create_token(actor=world.exec_a, name="z")
    world.exec_a.is_active = False
    world.exec_a.save()
    assert call(client, "get", "/rounds", secret3).status_code == 401
    # a session is not a token: the API answers 401 to a logged-in browser too
    client.force_login(world.secretariat)
    assert call(client, "get", "/rounds").status_code == 401


def test_token_refusals_name_the_field(world):
    with pytest.raises(services.Refused) as exc:
        services.create_token(actor=world.admin_a, name="  ")
    assert exc.value.field == "name" and exc.value.th != exc.value.en
    with pytest.raises(services.Refused) as exc:
        services.create_token(actor=world.admin_a, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
    assert exc.value.field == "expires_at"


def test_tokens_page_shows_the_secret_once_and_revokes(world, client):
    client.force_login(world.admin_a)
    url = reverse("api:tokens")
    response = client.post(url, {"name": "ตารางคำนวณ", "expires_on": "31/12/2580"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    tok = ApiToken.objects.get(user=world.admin_a)
    assert tok.name == "ตารางคำนวณ" and tok.expires_at == dt.datetime(2038, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=7)
    page = client.get(url).content.decode()
    assert "ตารางคำนวณ" in page and secret not in page and tok.prefix in page
    assert "<script>" not in page and "style=" not in page
    # someone else's token is not found
    client.force_login(world.admin_b)
    assert client.post(reverse("api:revoke", args=[tok.pk])).status_code == 404
    client.force_login(world.admin_a)
    assert client.post(reverse("api:revoke", args=[tok.pk])).status_code == 302
    tok.refresh_from_db()
    assert tok.revoked_at is not None
    assert call(client, "get", "/me", secret).status_code == 401


def test_tokens_page_refuses_a_form_without_a_name(world, client):
    client.force_login(world.admin_a)
    response = client.post(reverse("api:tokens"), {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


@override_settings(ITADESK_API_RATE_PER_MINUTE=3)
def test_rate_limit_per_token(world, client):
    secret = token(world.secretariat)
    other = token(world.secretariat)
    assert [call(client, "get", "/me", secret).status_code for _ in range(3)] == [200, 200, 200]
    limited = call(client, "get", "/me", secret)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["code"] == "rate_limited"
    assert call(client, "get", "/me", other).status_code == 200  # per token, not per person


# --- scope and pagination ------------------------------------------------------------------------------

def test_agencies_are_scoped_like_the_pages(world, client):
    def names(who):
        return {a["id"] for a in call(client, "get", f"/rounds/{world.round.pk}/agencies", token(who)).json()["items"]}

    assert names(world.admin_b) == {world.pao.pk}
    assert names(world.admin_a) == {world.sao1.pk}
    assert world.sao1.pk not in names(world.prov_officer)
    assert {world.sao1.pk, world.pao.pk} <= names(world.secretariat)
    # outside the scope: 404, not 403 (nothing is said about what exists)
    assert call(client, "get", _agency_path(world, tail="/progress"), token(world.admin_b)).status_code == 404


def test_rounds_of_an_agency_user_are_those_its_agency_is_in(world, client):
    other = Round.objects.create(province=world.province, fiscal_year=world.round.fiscal_year + 1, name="next",
                                 starts_on=world.round.starts_on, ends_on=world.round.ends_on)
    mine = {r["id"] for r in call(client, "get", "/rounds", token(world.admin_a)).json()["items"]}
    assert mine == {world.round.pk}
    assert call(client, "get", f"/rounds/{other.pk}", token(world.admin_a)).status_code == 404
    theirs = {r["id"] for r in call(client, "get", "/rounds", token(world.secretariat)).json()["items"]}
    assert theirs == {world.round.pk, other.pk}


def test_pagination_limit_offset_and_count(world, client):
    secret = token(world.secretariat)
    path = f"/rounds/{world.round.pk}/agencies"
    everything = call(client, "get", path, secret, limit=200).json()
    first = call(client, "get", path, secret, limit=2).json()
    second = call(client, "get", path, secret, limit=2, offset=2).json()
    assert first["count"] == everything["count"] >= 4 and len(first["items"]) == 2
    assert [a["id"] for a in first["items"] + second["items"]] == [a["id"] for a in everything["items"][:4]]
    bad = call(client, "get", path, secret, limit=500)
    assert bad.status_code == 422 and bad.json()["field"] == "limit"


# --- progress ------------------------------------------------------------------------------------------

def test_set_progress_through_the_service_with_history(world, client):
    secret = token(world.admin_a)
    path = _agency_path(world, tail=f"/progress/{world.m1.pk}")
    response = call(client, "put", path, secret, {"status": "in_progress", "note": "กำลังรวบรวม"})
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    p = Progress.objects.get(agency=world.sao1, milestone=world.m1)
    assert p.note == "กำลังรวบรวม" and p.updated_by == world.admin_a
    event = AuditEvent.objects.filter(action="progress.set").latest("id")
    assert event.actor == world.admin_a
    listed = call(client, "get", _agency_path(world, tail="/progress"), secret).json()
    assert listed["can_edit"] and {m["milestone_id"]: m["status"] for m in listed["milestones"]}[world.m1.pk] \
        == "in_progress"
    # the executive sees it but may not set it; an unknown status is refused by the schema
    assert call(client, "put", path, token(world.exec_a), {"status": "done"}).status_code == 403
    bad = call(client, "put", path, secret, {"status": "finished"})
    assert bad.status_code == 422 and bad.json()["field"] == "status"


def test_progress_of_the_whole_round_is_scoped(world, client):
    Progress.objects.create(agency=world.sao1, milestone=world.m1, status="done", updated_at=timezone.now())
    mine = call(client, "get", f"/rounds/{world.round.pk}/progress", token(world.admin_a)).json()
    assert [a["agency_id"] for a in mine["items"]] == [world.sao1.pk] and mine["count"] == 1
    cells = {c["milestone_id"]: c["status"] for c in mine["items"][0]["milestones"]}
    assert cells[world.m1.pk] == "done" and cells[world.m2.pk] == "not_started"
    assert [m["id"] for m in mine["milestones"]] == list(cells)
    everyone = call(client, "get", f"/rounds/{world.round.pk}/progress", token(world.secretariat), limit=2).json()
    assert everyone["count"] >= 4 and len(everyone["items"]) == 2


def test_progress_of_a_closed_round_is_refused_in_thai_and_english(world, client):
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.CLOSED)
    response = call(client, "put", _agency_path(world, tail=f"/progress/{world.m1.pk}"), token(world.secretariat),
                    {"status": "done"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "refused" and body["message_th"] and body["message_en"]
    assert not Progress.objects.filter(agency=world.sao1, milestone=world.m1).exists()


# --- OIT -----------------------------------------------------------------------------------------------

def test_oit_items_with_the_checkers_findings(world, client):
    setup_oit(world)
    item = EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o1", answer="has",
                                       urls=["https://kaewmethee.go.th/structure"])
    snap = Snapshot.objects.create(item=item, url=item.urls[0], reason="submission", status_code=200, text="x")
    Finding.objects.create(item=item, url=item.urls[0], snapshot=snap, code="fiscal_year", passed=False,
                           message_th="ไม่พบปีงบประมาณ", message_en="No fiscal year found")
    secret = token(world.reviewer)
    listed = call(client, "get", _agency_path(world, tail="/oit"), secret, limit=2).json()
    assert listed["count"] == 4 and len(listed["items"]) == 2 and listed["state_counts"]["draft"] == 1
    one = call(client, "get", _agency_path(world, tail="/oit/o1"), secret).json()
    assert one["answer"] == "has" and one["state"] == "draft"
    assert [(f["code"], f["passed"], f["message_en"]) for f in one["findings"]] == \
        [("fiscal_year", False, "No fiscal year found")]
    assert call(client, "get", _agency_path(world, tail="/oit/o999"), secret).status_code == 404


def test_save_oit_item_through_the_workflow(world, client):
    setup_oit(world)
    secret = token(world.admin_a)
    path = _agency_path(world, tail="/oit/o1")
    saved = call(client, "put", path, secret, {"answer": "has", "urls": ["https://kaewmethee.go.th/structure"],
                                               "explanation": "เมนูเกี่ยวกับเรา"})
    assert saved.status_code == 200 and saved.json()["revision"] == 1 and saved.json()["state"] == "draft"
    item = EvidenceItem.objects.get(round=world.round, agency=world.sao1, item_code="o1")
    assert item.updated_by == world.admin_a
    assert AuditEvent.objects.filter(action="evidence.edit", actor=world.admin_a).exists()
    # a bad URL names the field, in both languages
    bad = call(client, "put", path, secret, {"answer": "has", "urls": ["not a url"]})
    assert bad.status_code == 400 and bad.json()["field"] == "urls"
    assert bad.json()["message_th"] != bad.json()["message_en"]
    # a save over someone else's newer change is refused (the revision read is older)
    stale = call(client, "put", path, secret, {"answer": "has_not", "revision": 0})
    assert stale.status_code == 400 and "revision" not in stale.json()["message_th"]
    assert "reload" in stale.json()["message_en"]
    item.refresh_from_db()
    assert item.answer == "has" and item.revision == 1
    # the executive approves, not edits; the reviewer judges, not edits
    assert call(client, "put", path, token(world.exec_a), {"answer": "has_not"}).status_code == 403
    assert call(client, "put", path, token(world.reviewer), {"answer": "has_not"}).status_code == 403


# --- IIT/EIT -------------------------------------------------------------------------------------------

def test_record_response_counts(world, client):
    secret = token(world.local_officer)
    path = _agency_path(world, tail="/responses")
    before = call(client, "get", path, secret).json()
    code = before["instruments"][0]["code"]
    today = timezone.localdate()
    response = call(client, "post", path, secret, {"on_date": today.isoformat(), "counts": {code: 12}})
    assert response.status_code == 200
    latest = {i["code"]: i["latest"] for i in response.json()["instruments"]}[code]
    assert latest["count"] == 12 and latest["entered_by"] == world.local_officer.username
    assert ResponseCount.objects.get(agency=world.sao1, instrument=code).entered_by == world.local_officer
    assert AuditEvent.objects.filter(action="responses.entry", actor=world.local_officer).exists()
    future = call(client, "post", path, secret, {"on_date": (today + dt.timedelta(days=3)).isoformat(),
                                                 "counts": {code: 1}})
    assert future.status_code == 400 and future.json()["field"] == "on_date"
    assert "ยังมาไม่ถึง" in future.json()["message_th"] and "is in the future" in future.json()["message_en"]
    negative = call(client, "post", path, secret, {"on_date": today.isoformat(), "counts": {code: -1}})
    assert negative.status_code == 400 and negative.json()["field"] == f"counts.{code}"
    unknown = call(client, "post", path, secret, {"on_date": today.isoformat(), "counts": {"XYZ": 1}})
    assert unknown.status_code == 400
    assert unknown.json()["message_th"] != unknown.json()["message_en"]  # each in its language
    assert ResponseCount.objects.filter(agency=world.sao1).count() == 1
    assert call(client, "post", path, token(world.reviewer), {"on_date": today.isoformat(),
                                                              "counts": {code: 1}}).status_code == 403


# --- action items and results --------------------------------------------------------------------------

def test_action_items_show_an_agency_only_its_own_targets(world, client):
    from itadesk.committee.models import ActionItem, ActionTarget

    action = ActionItem.objects.create(province=world.province, kind="agencies", title="ปรับปรุงเว็บไซต์",
                                       office=world.local)
    ActionTarget.objects.create(action=action, agency=world.sao1)
    ActionTarget.objects.create(action=action, agency=world.pao)

    def targets(who):
        items = call(client, "get", "/action-items", token(who)).json()["items"]
        return {t["agency_id"] for i in items if i["id"] == action.pk for t in i["targets"]}

    assert targets(world.secretariat) == {world.sao1.pk, world.pao.pk}
    assert targets(world.local_officer) == {world.sao1.pk, world.pao.pk}
    assert targets(world.admin_a) == {world.sao1.pk}
    assert targets(world.admin_b) == {world.pao.pk}


def test_results_are_scoped(world, client):
    from itadesk.methodology.models import AssessmentResult

    fw = setup_oit(world)
    AssessmentResult.objects.create(agency=world.sao1, fiscal_year=2567, framework=fw, total="88.50",
                                    published_total="88.49", indicator_scores={"o1": 100})
    AssessmentResult.objects.create(agency=world.pao, fiscal_year=2567, framework=fw, total="70.00")
    mine = call(client, "get", "/results", token(world.admin_a)).json()
    assert [(r["agency_id"], r["total"], r["published_total"]) for r in mine["items"]] == \
        [(world.sao1.pk, 88.5, 88.49)]
    everyone = call(client, "get", "/results", token(world.secretariat), fiscal_year=2567).json()
    assert everyone["count"] == 2
    assert call(client, "get", "/results", token(world.secretariat), fiscal_year=2566).json()["count"] == 0


# --- schema and docs -----------------------------------------------------------------------------------

def test_an_unknown_api_path_answers_in_json(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_api_root_points_to_the_schema_and_the_docs(client):
    program = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert program.status_code == 200
    assert program.json() == {"version": "v1", "docs": "http://testserver/api/v1/docs/",
                              "openapi": "http://testserver/api/v1/openapi.json"}
    browser = client.get("/api/v1/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 302 and browser["Location"] == "http://testserver/api/v1/docs/"


def test_schema_and_docs_page_describe_every_endpoint(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    page = client.get(reverse("api:docs"))
    html = page.content.decode()
    assert page.status_code == 200 and "<script>" not in html and "style=" not in html
    for path, methods in schema["paths"].items():
        assert path in html
        for op in methods.values():
            assert f'id="op-{op["operationId"]}"' in html


def test_writes_need_no_csrf_cookie_but_a_token(world):
    """A program has no CSRF cookie: the token is the proof. A browser's session alone gets nothing."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    path = _agency_path(world, tail=f"/progress/{world.m1.pk}")
    assert call(strict, "put", path, token(world.secretariat), {"status": "done"}).status_code == 200
    strict.force_login(world.secretariat)
    assert call(strict, "put", path, None, {"status": "in_progress"}).status_code == 401
