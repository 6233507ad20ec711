"""The executive's "approve and send" in one transaction (services.approve_and_submit, evidence.views.approve):
the same items, log, audit, messages and data versions as approving then sending, and a refused sending that
leaves the approval done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from itadesk.accounts.models import Role
from itadesk.core import versions
from itadesk.core.models import AuditEvent
from itadesk.evidence import services, snapshots
from itadesk.evidence.models import EvidenceEvent, EvidenceItem, State
from itadesk.evidence.workflow import TransitionRefused
from itadesk.notifications.models import Notification
from itadesk.registry.models import OversightRule
from tests.evidence.oit_world import setup_oit
from tests.world import make_user


@pytest.fixture
def w(world, monkeypatch):
    setup_oit(world)
    world.scheduled = []
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: world.scheduled.append((list(ids), reason)))
    return world


def _fill(w, agency, actor, codes):
    for code in codes:
        services.save_item(actor=actor, round=w.round, agency=agency, item_code=code, answer="has",
                           urls=[f"https://kaewmethee.go.th/{agency.pk}/{code}"], explanation="เมนู")


def _what_happened(w, agency, since_event, since_audit, since_note):
    """The log, audit and messages of ``agency`` written after the given ids, without ids, times and names."""
    events = [(e.item.item_code, e.action, e.role, e.from_state, e.to_state, e.comment)
              for e in EvidenceEvent.objects.filter(item__agency=agency, pk__gt=since_event).order_by("pk")]
    audits = [(a.action, a.before, a.after, a.note)
              for a in AuditEvent.objects.filter(action__startswith="evidence.", pk__gt=since_audit).order_by("pk")]
    for _action, before, after, _note in audits:
        for snap in (before, after):
            snap.pop("urls", None)  # the URLs name the agency
    notes = sorted((n.kind, n.channel, n.address, n.subject.split(" ส่งข้อมูล")[1]) for n in
                   Notification.objects.filter(pk__gt=since_note))
    states = dict(EvidenceItem.objects.filter(agency=agency).values_list("item_code", "state"))
    return events, audits, notes, states


def _last_ids():
    return (max([0, *EvidenceEvent.objects.values_list("pk", flat=True)]),
            max([0, *AuditEvent.objects.values_list("pk", flat=True)]),
            max([0, *Notification.objects.values_list("pk", flat=True)]))


def test_one_transaction_does_what_approving_then_sending_did(w, django_capture_on_commit_callbacks):
    exec_b = make_user("exec-b", Role.AGENCY_EXECUTIVE, agency=w.sao2)
    admin_c = make_user("admin-c", Role.AGENCY_ADMIN, agency=w.sao2)
    for agency, admin in ((w.sao1, w.admin_a), (w.sao2, admin_c)):
        _fill(w, agency, admin, ["o1", "o2", "o3"])
    # one item approved earlier and waiting to be sent: it goes with the others, as before
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o2"])
    services.approve_items(actor=exec_b, round=w.round, agency=w.sao2, items=["o2"])

    ids = _last_ids()
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o3", "o1"], comment=" ครบ ")
    sent = EvidenceItem.objects.filter(agency=w.sao1, state=State.APPROVED_BY_EXECUTIVE).values_list("item_code",
                                                                                                    flat=True)
    services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=list(sent), comment=" ครบ ")
    old = _what_happened(w, w.sao1, *ids)

    ids = _last_ids()
    with django_capture_on_commit_callbacks(execute=True):
        approved, sent = services.approve_and_submit(actor=exec_b, round=w.round, agency=w.sao2,
                                                     items=["o3", "o1"], comment=" ครบ ")
    new = _what_happened(w, w.sao2, *ids)
    assert [i.item_code for i in approved] == ["o3", "o1"] and [i.item_code for i in sent] == ["o1", "o2", "o3"]
    old_events, old_audits, old_notes, old_states = old
    new_events, new_audits, new_notes, new_states = new
    assert new_events == old_events
    assert new_audits == old_audits
    assert new_notes == old_notes and new_notes
    assert new_states == old_states == {"o1": State.SUBMITTED, "o2": State.SUBMITTED, "o3": State.SUBMITTED}
    assert w.scheduled == [(sorted(i.pk for i in sent), "submission")]


def test_a_refused_sending_leaves_the_approval_done(w):
    OversightRule.objects.all().delete()
    _fill(w, w.sao1, w.admin_a, ["o1"])
    approved, refusal = services.approve_and_submit(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    assert isinstance(refusal, TransitionRefused) and "ฝ่ายเลขานุการ" in refusal.th
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o1").state == State.APPROVED_BY_EXECUTIVE
    assert list(EvidenceEvent.objects.filter(item__agency=w.sao1).values_list("action", flat=True)) == [
        "edit", "approve"]
    assert not Notification.objects.exists()


def test_a_refused_approval_sends_nothing(w):
    _fill(w, w.sao1, w.admin_a, ["o1"])
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    _fill(w, w.sao1, w.admin_a, ["o2"])
    with pytest.raises(TransitionRefused):  # o1 is no longer a draft
        services.approve_and_submit(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o2", "o1"])
    assert dict(EvidenceItem.objects.filter(agency=w.sao1).values_list("item_code", "state")) == {
        "o1": State.APPROVED_BY_EXECUTIVE, "o2": State.DRAFT}


def test_the_page_approves_and_sends_and_says_so(w, client):
    _fill(w, w.sao1, w.admin_a, ["o1", "o3"])
    client.force_login(w.exec_a)
    url = reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])
    scope = f"agency:{w.sao1.pk}"
    before = versions.versions(scope)[scope]
    response = client.post(url, {"all": "1", "submit": "1"}, follow=True)
    text = response.content.decode()
    assert "2" in text and EvidenceItem.objects.filter(agency=w.sao1, state=State.SUBMITTED).count() == 2
    assert versions.versions(scope)[scope] != before
    OversightRule.objects.all().delete()
    _fill(w, w.sao1, w.admin_a, ["o2"])
    response = client.post(url, {"all": "1", "submit": "1"}, follow=True)
    assert "ฝ่ายเลขานุการ" in response.content.decode() or "secretariat" in response.content.decode()
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o2").state == State.APPROVED_BY_EXECUTIVE


def test_the_page_approves_only_the_ready_drafts_chosen(w, client):
    _fill(w, w.sao1, w.admin_a, ["o1", "o2", "o3"])
    services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o2", answer="",
                       urls=["https://kaewmethee.go.th/o2"])  # not answered: not ready
    client.force_login(w.exec_a)
    url = reverse("evidence:approve", args=[w.round.pk, w.sao1.pk])
    client.post(url, {"item": ["o2", "o3", "o9"], "submit": "1"})  # o2 not ready, o9 not an item: left out
    assert dict(EvidenceItem.objects.filter(agency=w.sao1).values_list("item_code", "state")) == {
        "o1": State.DRAFT, "o2": State.DRAFT, "o3": State.SUBMITTED}
    response = client.post(url, {"item": ["o2", "o3"], "submit": "1"}, follow=True)  # nothing ready among them
    assert response.redirect_chain[-1][0] == url
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o2").state == State.DRAFT
    client.post(url, {"all": "1", "submit": "1"})  # every ready draft: o1
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o1").state == State.SUBMITTED
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o2").state == State.DRAFT


def test_the_page_without_sending_approves_only(w, client):
    _fill(w, w.sao1, w.admin_a, ["o1"])
    client.force_login(w.exec_a)
    client.post(reverse("evidence:approve", args=[w.round.pk, w.sao1.pk]), {"all": "1"})
    assert EvidenceItem.objects.get(agency=w.sao1, item_code="o1").state == State.APPROVED_BY_EXECUTIVE
