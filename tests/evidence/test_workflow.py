"""The OIT evidence workflow: the transition table (every state × action × role, allowed and refused),
the append-only event log, who may review and approve, edits after approval, e-mails at each hand-off,
snapshots at submission and approval, and the checker's results kept apart from human decisions."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from itadesk.accounts.models import Membership, Role
from itadesk.core.models import AuditEvent
from itadesk.evidence import checking, services, snapshots, workflow
from itadesk.evidence.models import (
    ElementDecision,
    EvidenceEvent,
    EvidenceItem,
    Finding,
    Snapshot,
    State,
)
from itadesk.evidence.workflow import TRANSITIONS, Action, TransitionRefused
from tests.evidence.oit_world import URL, FakeFetch, FakeFetched, decide_all, fill, setup_oit, to_submitted
from tests.world import make_user


@pytest.fixture
def w(world):
    setup_oit(world)
    return world


@pytest.fixture
def scheduled(monkeypatch):
    """Snapshot jobs the services queue after commit (recorded instead of going to the job queue)."""
    calls = []
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: calls.append((list(ids), reason)))
    return calls


# ------------------------------------------------------------------------------------------ roles


def test_roles_come_from_access(w):
    expected = {
        "admin_a": {"editor"}, "secretariat": {"editor"}, "superuser": {"editor"}, "exec_a": {"executive"},
        "reviewer": {"reviewer"}, "nacc_officer": {"reviewer"}, "local_officer": {"reviewer"},
        "admin_officer": {"reviewer"},  # helps follow local governments: may review too
        "prov_officer": set(), "admin_b": set(),
    }
    for who, roles in expected.items():
        assert workflow.roles_for(getattr(w, who), w.sao1) == roles, who


# ------------------------------------------------------------------------------------------ the table

# Who plays each role for sao1, and people who hold none of them.
ACTORS = {"editor": ["admin_a", "secretariat"], "executive": ["exec_a"],
          "reviewer": ["reviewer", "local_officer"], None: ["admin_b", "prov_officer"]}


def _act(w, item, action, user):
    if action == Action.EDIT:
        return services.save_item(actor=user, round=w.round, agency=w.sao1, item_code=item.item_code,
                                  answer="has", urls=[f"{URL}/{len(item.urls) + EvidenceEvent.objects.count()}"],
                                  explanation="แก้ไข")[0]
    if action == Action.APPROVE:
        return services.approve_items(actor=user, round=w.round, agency=w.sao1, items=[item.item_code])[0]
    if action == Action.SUBMIT:
        return services.submit_items(actor=user, round=w.round, agency=w.sao1, items=[item.item_code])[0]
    if action == Action.WITHDRAW:
        return services.withdraw_item(actor=user, item=item)
    if action == Action.REVIEW_APPROVE:
        return services.review_item(actor=user, item=item, decisions=decide_all(item), outcome="approve")
    return services.review_item(actor=user, item=item, outcome="return", comment="ลิงก์ไม่ตรงกับข้อ")


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", Action.ALL)
def test_every_state_action_and_role(w, state, action, scheduled):
    item = fill(w, "o1")
    for role, people in ACTORS.items():
        for who in people:
            EvidenceItem.objects.filter(pk=item.pk).update(state=state)
            item.refresh_from_db()
            events, audits = EvidenceEvent.objects.count(), AuditEvent.objects.count()
            expected = TRANSITIONS.get((state, action, role)) if role else None
            if expected is None:
                with pytest.raises(TransitionRefused) as refused:
                    _act(w, item, action, getattr(w, who))
                assert refused.value.th and refused.value.en, who
                item.refresh_from_db()
                assert item.state == state, (who, "state changed although refused")
                assert EvidenceEvent.objects.count() == events, (who, "event written although refused")
            else:
                result = _act(w, item, action, getattr(w, who))
                result.refresh_from_db()
                assert result.state == expected, (who, role)
                event = EvidenceEvent.objects.order_by("-id").first()
                assert EvidenceEvent.objects.count() == events + 1
                assert (event.action, event.from_state, event.to_state, event.role) == (action, state, expected, role)
                assert event.actor == getattr(w, who)
                assert AuditEvent.objects.count() == audits + 1
                assert AuditEvent.objects.order_by("-id").first().action == f"evidence.{action}"


def test_the_table_reaches_every_state_and_refuses_with_reasons():
    reached = {to for to in TRANSITIONS.values()}
    assert reached == set(State.values)
    with pytest.raises(TransitionRefused) as exc:
        workflow.check(State.DRAFT, Action.APPROVE, {workflow.Role.EDITOR}, code="o1")
    assert "ผู้บริหารของหน่วยงาน" in exc.value.th and "executive" in exc.value.en
    with pytest.raises(TransitionRefused) as exc:
        workflow.check(State.SUBMITTED, Action.APPROVE, {workflow.Role.EXECUTIVE}, code="o1")
    assert "ส่งตรวจแล้ว" in exc.value.th and "“ร่าง”" in exc.value.th and "draft" in exc.value.en


# ------------------------------------------------------------------------------------------ the log


def test_a_round_trip_is_logged_in_order_and_the_log_is_append_only(w, scheduled):
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("not_met", "ไม่มีผัง")},
                         outcome="return", comment="ผังโครงสร้างไม่ครบ")
    fill(w, "o1", urls=[f"{URL}/v2"])
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    item.refresh_from_db()
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    steps = list(item.events.order_by("at", "id").values_list("action", "from_state", "to_state"))
    assert steps == [
        ("edit", "draft", "draft"), ("approve", "draft", "approved_by_executive"),
        ("submit", "approved_by_executive", "submitted"), ("review_return", "submitted", "returned"),
        ("edit", "returned", "draft"), ("approve", "draft", "approved_by_executive"),
        ("submit", "approved_by_executive", "submitted"), ("review_approve", "submitted", "approved"),
    ]
    assert item.events.get(action="review_return").comment == "ผังโครงสร้างไม่ครบ"
    event = item.events.first()
    event.comment = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        EvidenceEvent.objects.filter(item=item).update(comment="x")
    with pytest.raises(ValidationError):
        EvidenceEvent.objects.filter(item=item).delete()
    assert EvidenceEvent.objects.filter(item=item).count() == 8


def test_a_batch_writes_one_event_and_one_history_row_per_item(w, scheduled):
    for code in ("o1", "o2", "o3", "o4"):
        fill(w, code, urls=[f"{URL}/{code}"])
    before = AuditEvent.objects.count()
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o2", "o3", "o4"])
    assert EvidenceEvent.objects.filter(action="approve").count() == 4
    assert AuditEvent.objects.count() == before + 4


def test_a_batch_is_all_or_nothing(w, scheduled):
    fill(w, "o1")
    fill(w, "o2", answer="", urls=(), explanation="ยังไม่ครบ")  # saved but not ready
    with pytest.raises(TransitionRefused) as exc:
        services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o2"])
    assert "o2" in exc.value.th
    assert set(EvidenceItem.objects.values_list("state", flat=True)) == {State.DRAFT}
    assert not EvidenceEvent.objects.filter(action="approve").exists()


def test_an_item_answered_has_needs_a_url_and_urls_are_checked(w):
    with pytest.raises(ValidationError):
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has", urls=[])
    with pytest.raises(ValidationError) as exc:
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                           urls="https://ok.go.th/a\nftp://files.go.th/x\nnot a url")
    assert len(exc.value.messages) == 2 and "“not a url”" in exc.value.messages[1]  # each bad line named
    item, changed = services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                                       urls=" https://a.go.th/1 \n https://a.go.th/2 https://a.go.th/1 ")
    assert changed and item.urls == ["https://a.go.th/1", "https://a.go.th/2"]
    with pytest.raises(ValidationError):
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="i1", answer="has", urls=[URL])
    assert not EvidenceItem.objects.filter(item_code="i1").exists()


def test_a_save_over_a_newer_change_is_refused(w):
    item = fill(w, "o1")
    services.save_item(actor=w.secretariat, round=w.round, agency=w.sao1, item_code="o1", answer="has",
                       urls=[URL + "/new"], revision=item.revision)
    with pytest.raises(TransitionRefused) as exc:
        services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1", answer="has_not",
                           urls=[], revision=item.revision)
    assert "มีผู้แก้ไข" in exc.value.th
    item.refresh_from_db()
    assert item.urls == [URL + "/new"]


# ------------------------------------------------------------------------------------------ who reviews, who approves


def test_only_an_office_that_follows_the_agency_reviews(w, scheduled):
    item = to_submitted(w)[0]
    with pytest.raises(TransitionRefused):  # the provincial office follows provincial-level agencies only
        services.review_item(actor=w.prov_officer, item=item, outcome="return", comment="x")
    services.review_item(actor=w.local_officer, item=item, outcome="return", comment="ขาดอำนาจหน้าที่")
    item.refresh_from_db()
    assert item.state == State.RETURNED


def test_an_agency_can_never_review_its_own_evidence(w, scheduled):
    item = to_submitted(w)[0]
    # a member of the following office who is also the agency's admin …
    double = make_user("double-hat", Role.REVIEWER, office=w.nacc)
    Membership.objects.create(user=double, role=Role.AGENCY_ADMIN, agency=w.sao1)
    for user in (double, w.exec_a, w.admin_a):
        with pytest.raises(TransitionRefused):
            services.review_item(actor=user, item=item, decisions=decide_all(item), outcome="approve")
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert not ElementDecision.objects.exists()
    # … may still review another agency that the office follows
    assert workflow.Role.REVIEWER in workflow.roles_for(double, w.sao2)


def test_only_the_executive_approves(w):
    fill(w, "o1")
    for who in ("admin_a", "secretariat", "superuser", "reviewer"):
        with pytest.raises(TransitionRefused) as exc:
            services.approve_items(actor=getattr(w, who), round=w.round, agency=w.sao1, items=["o1"])
        assert "ผู้บริหารของหน่วยงาน" in exc.value.th, who
    other_exec = make_user("exec-b", Role.AGENCY_EXECUTIVE, agency=w.pao)
    with pytest.raises(TransitionRefused):
        services.approve_items(actor=other_exec, round=w.round, agency=w.sao1, items=["o1"])
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    assert EvidenceItem.objects.get(item_code="o1").state == State.APPROVED_BY_EXECUTIVE


def test_passing_needs_every_element_decided_and_none_not_met(w, scheduled):
    item = to_submitted(w)[0]
    with pytest.raises(TransitionRefused) as exc:
        services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", "")}, outcome="approve")
    assert "o1.2" in exc.value.th
    with pytest.raises(TransitionRefused) as exc:
        services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "")},
                             outcome="approve")
    assert "o1.2" in exc.value.th and "ส่งกลับ" in exc.value.th
    assert not ElementDecision.objects.exists()  # refused: nothing half-written
    with pytest.raises(TransitionRefused):
        services.review_item(actor=w.reviewer, item=item, outcome="return", comment="  ")
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", ""), "o1.2": ("cannot_tell", "")},
                         outcome="approve")
    item.refresh_from_db()
    assert item.state == State.APPROVED


def test_decisions_can_be_saved_before_the_outcome(w, scheduled):
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", "ครบ"), "o1.2": ("", "")})
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert list(item.decisions.values_list("element_code", "decision", "comment")) == [("o1.1", "met", "ครบ")]
    assert AuditEvent.objects.filter(action="evidence.decide").count() == 1
    with pytest.raises(ValidationError):
        services.review_item(actor=w.reviewer, item=item, decisions={"o9.9": ("met", "")})


def test_an_edit_after_approval_goes_back_to_draft(w, scheduled):
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    same, changed = services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1",
                                       answer="has", urls=list(item.urls), explanation=item.explanation)
    assert not changed and same.state == State.APPROVED  # saving the same thing changes nothing
    edited, changed = services.save_item(actor=w.admin_a, round=w.round, agency=w.sao1, item_code="o1",
                                         answer="has", urls=[URL + "/moved"], explanation="ย้ายหน้า")
    assert changed and edited.state == State.DRAFT
    event = edited.events.order_by("-id").first()
    assert (event.action, event.from_state, event.to_state) == ("edit", "approved", "draft")
    assert "ผ่านการตรวจ" in event.comment and "อนุมัติอีกครั้ง" in event.comment


def test_submission_needs_a_following_office(w, scheduled):
    from itadesk.registry.models import OversightRule

    OversightRule.objects.all().delete()
    fill(w, "o1")
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    with pytest.raises(TransitionRefused) as exc:
        services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    assert "ฝ่ายเลขานุการ" in exc.value.th
    assert EvidenceItem.objects.get(item_code="o1").state == State.APPROVED_BY_EXECUTIVE


def test_withdraw_before_review(w, scheduled):
    item = to_submitted(w)[0]
    services.withdraw_item(actor=w.admin_a, item=item, comment="ลืมแนบไฟล์")
    item.refresh_from_db()
    assert item.state == State.DRAFT
    with pytest.raises(TransitionRefused):
        services.review_item(actor=w.reviewer, item=item, outcome="return", comment="x")


# ------------------------------------------------------------------------------------------ e-mail


def test_mail_at_each_hand_off(w, mailoutbox, django_capture_on_commit_callbacks, scheduled):
    for code in ("o1", "o3"):
        fill(w, code, urls=[f"{URL}/{code}"])
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o3"])
    assert mailoutbox == []  # approval alone is not a hand-off
    with django_capture_on_commit_callbacks(execute=True):
        items = services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1", "o3"])
    # sao1 is followed by the NACC office (all), the local-government office and, assisting, the
    # provincial administration office: one digest each, to their officers and reviewers and the office address
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted(["nacc@example.test", "reviewer@example.test", "local@example.test",
                         "local-promotion@example.test", "administration@example.test",
                         "provincial-administration@example.test"])
    assert all(len(m.to) == 1 for m in mailoutbox)
    mail = next(m for m in mailoutbox if m.to == ["reviewer@example.test"])
    assert mail.subject == "[ITA Desk] องค์การบริหารส่วนตำบลแก้วเมธี ส่งข้อมูล OIT ให้ตรวจ 2 ข้อ (ITA 2568)"
    assert "ข้อ o1 โครงสร้าง" in mail.body and "ข้อ o3 แผนป้องกันการทุจริต" in mail.body
    assert "30 เม.ย. 2568 17:00 น." in mail.body  # the OIT deadline, in the Buddhist era
    assert f"/oit/rounds/{w.round.pk}/offices/{w.nacc.pk}/queue/" in mail.body
    assert mail.alternatives and "text/html" in mail.alternatives[0][1]
    assert scheduled == [([i.pk for i in items], "submission")]

    mailoutbox.clear()
    o1, o3 = items
    with django_capture_on_commit_callbacks(execute=True):
        services.review_item(actor=w.reviewer, item=o1, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "ไม่มี")},
                             outcome="return", comment="เพิ่มอำนาจหน้าที่ของหน่วยงาน")
    assert [m.to for m in mailoutbox] == [["admin-a@example.test"]]  # the agency's admin, not its executive
    assert mailoutbox[0].subject == "[ITA Desk] ข้อ OIT o1 ส่งกลับให้แก้ไข – องค์การบริหารส่วนตำบลแก้วเมธี"
    body = mailoutbox[0].body
    assert "เพิ่มอำนาจหน้าที่ของหน่วยงาน" in body and "o1.2 อำนาจหน้าที่: ไม่ครบถ้วน – ไม่มี" in body
    assert f"/oit/rounds/{w.round.pk}/agencies/{w.sao1.pk}/items/o1/" in body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_item(actor=w.reviewer, item=o3, decisions=decide_all(o3), outcome="approve")
    assert [m.to for m in mailoutbox] == [["admin-a@example.test"]]
    assert mailoutbox[0].subject == "[ITA Desk] ข้อ OIT o3 ผ่านการตรวจ – องค์การบริหารส่วนตำบลแก้วเมธี"
    assert scheduled[-1] == ([o3.pk], "approval")


def test_a_refused_step_sends_nothing(w, mailoutbox, django_capture_on_commit_callbacks, scheduled):
    item = to_submitted(w)[0]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        services.review_item(actor=w.prov_officer, item=item, outcome="return", comment="x")
    assert mailoutbox == []


def test_mail_failure_does_not_undo_the_step(w, django_capture_on_commit_callbacks, scheduled, settings):
    settings.EMAIL_BACKEND = "tests.evidence.test_workflow.BrokenBackend"
    fill(w, "o1")
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    assert EvidenceItem.objects.get(item_code="o1").state == State.SUBMITTED


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("no mail server")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


# ------------------------------------------------------------------------------------------ snapshots


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ITADESK_SNAPSHOT_MAX_FILE_BYTES = 1000
    return tmp_path


def test_take_keeps_what_each_url_returned(w, media):
    item = fill(w, "o1", urls=[URL, URL + "/gone", URL + "/big"])
    fetch = FakeFetch({URL + "/gone": FakeFetched(final_url=URL + "/gone", status=404, body=b"not found",
                                                  text="", error=""),
                       URL + "/big": FakeFetched(final_url=URL + "/big", body=b"x" * 5000, text="x")})
    taken = snapshots.take(item, "submission", fetch=fetch)
    assert fetch.calls == [[URL, URL + "/gone", URL + "/big"]]
    by_url = {s.url: s for s in taken}
    ok = by_url[URL]
    body = FakeFetched(final_url=URL).body
    assert (ok.reason, ok.status_code, ok.size, ok.sha256) == ("submission", 200, len(body),
                                                               hashlib.sha256(body).hexdigest())
    assert ok.text == "โครงสร้าง" and ok.ok
    assert ok.file and ok.file.read() == body
    assert not by_url[URL + "/gone"].ok and by_url[URL + "/gone"].status_code == 404
    big = by_url[URL + "/big"]
    assert big.size == 5000 and big.sha256 and not big.file  # over the limit: hash and size only
    assert Snapshot.objects.count() == 3 and not Finding.objects.exists()


def test_identical_content_is_stored_once(w, media):
    item = fill(w, "o1")
    first = snapshots.take(item, "submission", fetch=FakeFetch())[0]
    second = snapshots.take(item, "approval", fetch=FakeFetch())[0]
    assert first.file.name == second.file.name
    assert len(list(media.rglob("*.html"))) == 1


def test_snapshots_are_taken_at_submission_and_at_approval(w, media, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    fetch = FakeFetch()
    monkeypatch.setattr(checking, "check_pairs", fetch.check_pairs)  # the checker, without the network
    monkeypatch.setattr(HUEY, "immediate", True)  # run the queued job inline
    fill(w, "o1", urls=[URL, URL + "/2"])
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    with django_capture_on_commit_callbacks(execute=True):
        item = services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])[0]
    assert sorted(item.snapshots.values_list("reason", "url")) == [("submission", URL), ("submission", URL + "/2")]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_item(actor=w.reviewer, item=item, decisions=decide_all(item), outcome="approve")
    assert item.snapshots.filter(reason="approval").count() == 2
    assert fetch.calls == [[URL, URL + "/2"], [URL, URL + "/2"]]


def test_take_refuses_a_fetcher_that_loses_urls(w):
    item = fill(w, "o1", urls=[URL, URL + "/2"])
    with pytest.raises(ValueError):
        snapshots.take(item, "check", fetch=lambda urls: [FakeFetched(final_url=urls[0])])
    assert not Snapshot.objects.exists()


# ------------------------------------------------------------------------------------------ the checker's results


def test_record_check_stores_snapshot_and_findings_from_plain_data(w, media):
    item = fill(w, "o1")
    result = {"final_url": URL + "/", "status": 200, "content_type": "text/html", "body": b"<p>hello</p>",
              "text": "hello", "error": ""}
    findings = [
        {"code": "reachable", "passed": True, "severity": "info", "message_th": "เปิดได้", "message_en": "reachable",
         "detail": {}},
        {"code": "element_missing", "passed": False, "severity": "error", "message_th": "ไม่พบ “อำนาจหน้าที่”",
         "message_en": "element not found", "detail": {"element": "o1.2", "keywords": ("อำนาจหน้าที่",)}},
    ]
    snap = services.record_check(item, URL, result, findings)
    assert snap.reason == "check" and snap.final_url == URL + "/" and snap.size == 12
    rows = {f.code: f for f in snap.findings.all()}
    assert rows["element_missing"].element_code == "o1.2" and not rows["element_missing"].passed
    assert rows["element_missing"].detail == {"element": "o1.2", "keywords": ["อำนาจหน้าที่"]}
    assert rows["reachable"].passed and rows["reachable"].element_code == ""


def test_checker_results_never_overwrite_a_human_decision(w, media, scheduled):
    item = to_submitted(w)[0]
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.2": ("met", "อยู่ท้ายหน้า")})
    decision = ElementDecision.objects.get(item=item, element_code="o1.2")
    services.record_check(item, item.urls[0], FakeFetched(final_url=item.urls[0]), [
        {"code": "element_missing", "passed": False, "severity": "error", "message_th": "ไม่พบอำนาจหน้าที่",
         "message_en": "not found", "detail": {"element": "o1.2"}}])
    again = ElementDecision.objects.get(item=item, element_code="o1.2")
    assert (again.decision, again.comment, again.reviewer, again.at) == ("met", "อยู่ท้ายหน้า", w.reviewer, decision.at)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert Finding.objects.filter(item=item, element_code="o1.2", passed=False).count() == 1


def test_check_jobs_show_progress(w):
    job = services.create_check_job(actor=w.reviewer, round=w.round, scope="agency", agency=w.sao1, total=4)
    assert (job.status, job.percent) == ("queued", 0)
    job = services.job_progress(job, status="running", line="เริ่มตรวจ 4 URL")
    job = services.job_progress(job, done=3, line="o1 เสร็จ")
    assert job.started_at and job.percent == 75 and len(job.log) == 2 and job.log[1].endswith("o1 เสร็จ")
    job = services.job_progress(job, done=4, status="done")
    assert job.is_finished and job.finished_at and job.percent == 100


# ------------------------------------------------------------------------------------------ with the real checker


PAGE = ("<html><head><meta charset='utf-8'><title>โครงสร้างและอำนาจหน้าที่</title></head><body>"
        "<nav>หน้าแรก | เกี่ยวกับเรา</nav><main><h1>โครงสร้างองค์กร องค์การบริหารส่วนตำบลแก้วเมธี</h1>"
        "<p>แผนผังโครงสร้างองค์กร ประจำปีงบประมาณ พ.ศ. 2568 แสดงส่วนราชการทั้งฝ่ายการเมืองและฝ่ายประจำ</p>"
        "<h2>อำนาจหน้าที่</h2><p>อำนาจหน้าที่ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 "
        "ได้แก่ การพัฒนาตำบลทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม</p></main></body></html>").encode()


@pytest.fixture
def local_site(settings):
    """A small website on 127.0.0.1 (allowed for the crawler in this test only)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/structure":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ITADESK_CRAWLER_ALLOW = ["127.0.0.1"]
    settings.ITADESK_CRAWLER_DELAY = 0.0
    settings.ITADESK_CRAWLER_TIMEOUT = 10.0
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_snapshots_through_the_evidence_checker(w, media, local_site, settings):
    settings.ITADESK_SNAPSHOT_MAX_FILE_BYTES = 1_000_000
    w.sao1.website = local_site + "/"
    w.sao1.save()
    item = fill(w, "o1", urls=[f"{local_site}/structure", f"{local_site}/gone"])
    page, gone = snapshots.take(item, "submission")
    assert (page.reason, page.status_code, page.error) == ("submission", 200, "")
    assert page.sha256 == hashlib.sha256(PAGE).hexdigest() and page.size == len(PAGE) and page.file
    assert "อำนาจหน้าที่" in page.text and page.content_type.startswith("text/html")
    findings = {(f.code, f.element_code): f for f in page.findings.all()}
    assert findings[("elements", "o1.1")].passed and findings[("elements", "o1.2")].passed
    assert all(f.message_th for f in findings.values())
    assert gone.status_code == 404 and gone.error and not gone.ok
    assert gone.findings.filter(passed=False).exists()
    # the workspace shows the checker's findings beside the elements
    from itadesk.evidence.selectors import workspace

    row = workspace(w.round, w.sao1).rows[0]
    assert [f.passed for f in row.elements[1].findings] == [True]
    assert any(not f.passed for f in row.findings)  # the 404, not tied to an element


# ------------------------------------------------------------------------------------------ check jobs


def test_a_check_job_runs_to_the_end_and_keeps_what_it_found(w, media, django_capture_on_commit_callbacks,
                                                            monkeypatch, scheduled):
    from itadesk.evidence import jobs, tasks

    to_submitted(w, codes=("o1", "o3"))
    fill(w, "o2", answer="has_not", urls=())  # nothing to check
    queued = []
    monkeypatch.setattr(tasks, "run_check", lambda job_id: queued.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job, created = services.request_check(actor=w.admin_a, round=w.round, scope="agency", agency=w.sao1)
    assert created and queued == [job.pk] and (job.status, job.total) == ("queued", 2)
    again, created = services.request_check(actor=w.reviewer, round=w.round, scope="agency", agency=w.sao1)
    assert again == job and not created  # one job at a time for the same evidence

    def check(pairs):
        for item, url in pairs:
            findings = [{"code": "elements", "passed": item.item_code == "o3", "severity": "error",
                         "message_th": "องค์ประกอบ", "message_en": "elements", "detail": {"element": "o1.1"}}]
            yield (item.pk, url), {"final_url": url, "status": 200, "content_type": "text/html",
                                   "body": b"<p>x</p>", "text": "x", "findings": findings}

    job = jobs.run_check_job(job, check=check)
    assert (job.status, job.done, job.total, job.percent) == ("done", 2, 2, 100)
    assert job.started_at and job.finished_at
    assert job.log[0].endswith("เริ่มตรวจ 2 URL จาก 2 ข้อ") and "ข้อ o1" in "".join(job.log)
    assert "มีประเด็นที่ควรตรวจสอบ 1 URL" in job.log[-1]
    assert Snapshot.objects.filter(job=job, reason="check").count() == 2
    assert Finding.objects.filter(snapshot__job=job).count() == 2
    assert services.request_check(actor=w.admin_a, round=w.round, scope="agency", agency=w.sao1)[1]


def test_a_failing_check_job_says_why(w, media, scheduled):
    from itadesk.evidence import jobs

    to_submitted(w)
    job = services.create_check_job(actor=w.reviewer, round=w.round, scope="province")

    def broken(pairs):
        raise RuntimeError("aiohttp exploded")
        yield  # pragma: no cover

    job = jobs.run_check_job(job, check=broken)
    assert job.status == "failed" and "aiohttp exploded" in job.error and job.finished_at


def test_what_each_scope_covers(w, scheduled):
    from itadesk.evidence import jobs

    submitted = to_submitted(w)[0]
    fill(w, "o3", urls=[URL + "/o3"])  # a draft of sao1
    services.save_item(actor=w.admin_b, round=w.round, agency=w.pao, item_code="o1", answer="has", urls=[URL + "/pao"])
    job = services.create_check_job
    assert {u for _i, u in jobs.pairs_for(job(actor=None, round=w.round, scope="province"))} == {
        submitted.urls[0], URL + "/o3", URL + "/pao"}
    assert {u for _i, u in jobs.pairs_for(job(actor=None, round=w.round, scope="agency", agency=w.sao1))} == {
        submitted.urls[0], URL + "/o3"}
    assert [u for _i, u in jobs.pairs_for(job(actor=None, round=w.round, scope="item", item=submitted))] == [
        submitted.urls[0]]
    # an office's queue: submitted items of the agencies it follows
    assert [u for _i, u in jobs.pairs_for(job(actor=None, round=w.round, scope="office", office=w.local))] == [
        submitted.urls[0]]
    assert jobs.pairs_for(job(actor=None, round=w.round, scope="office", office=w.prov_office)) == []


def test_the_nightly_check_covers_every_current_round(w, monkeypatch):
    from itadesk.evidence import tasks
    from itadesk.evidence.models import CheckJob

    monkeypatch.setattr(tasks, "run_check", lambda job_id: None)
    ids = tasks.nightly_check.call_local()
    job = CheckJob.objects.get(pk__in=ids)
    assert (job.scope, job.round, job.requested_by) == ("province", w.round, None)
    assert (job.part, job.parts) == (0, 1)  # a small province: one part


def test_the_nightly_check_is_split_by_host_into_parts_with_the_findings_of_one_job(w, media, scheduled, monkeypatch,
                                                                                       settings):
    """With parts of one URL, a province's nightly check becomes several jobs any worker can take: every URL in
    exactly one part, all URLs of a host in the same part, and the findings recorded by the parts are those of
    one whole-province job."""
    from itadesk.evidence import jobs, tasks
    from itadesk.evidence.checker.fetch import url_host_key
    from itadesk.evidence.models import CheckJob

    to_submitted(w)
    fill(w, "o3", urls=[URL + "/o3", "http://other.go.th/o3", "https://third.go.th:8443/o3"])
    services.save_item(actor=w.admin_b, round=w.round, agency=w.pao, item_code="o1", answer="has",
                       urls=["http://other.go.th/pao", "http://fourth.go.th/pao"])
    whole = jobs.pairs_for(CheckJob(round=w.round, scope="province"))
    hosts = {url_host_key(url) for _item, url in whole}
    assert len(hosts) == 4

    settings.ITADESK_EVIDENCE_CHECK_PART_URLS = 1
    monkeypatch.setattr(tasks, "run_check", lambda job_id: None)
    ids = tasks.nightly_check.call_local()
    parts = list(CheckJob.objects.filter(pk__in=ids).order_by("part"))
    assert [(p.part, p.parts) for p in parts] == [(n, len(whole)) for n in range(len(whole))]
    covered = [(item.pk, url) for p in parts for item, url in jobs.pairs_for(p)]
    assert sorted(covered) == sorted((item.pk, url) for item, url in whole)  # each URL exactly once
    host_parts = {}
    for p in parts:
        for _item, url in jobs.pairs_for(p):
            host_parts.setdefault(url_host_key(url), set()).add(p.part)
    assert all(len(found) == 1 for found in host_parts.values())  # a host in one part only
    assert sum(p.total for p in parts) == len(whole)
    again = tasks.nightly_check.call_local()
    assert sorted(again) == sorted(ids)  # still queued: the same jobs, not a second set

    def check(pairs):
        for item, url in pairs:
            findings = [{"code": "elements", "passed": "other" not in url, "severity": "error",
                         "message_th": "องค์ประกอบ", "message_en": "elements", "detail": {"element": "o1.1"}}]
            yield (item.pk, url), {"final_url": url, "status": 200, "content_type": "text/html",
                                   "body": b"<p>x</p>", "text": "x", "findings": findings}

    def recorded(job_ids):
        return sorted((s.item_id, s.url, f.code, f.passed) for s in Snapshot.objects.filter(job_id__in=job_ids)
                      for f in s.findings.all())

    for p in parts:
        assert jobs.run_check_job(p, check=check).status == "done"
    one = services.create_check_job(actor=None, round=w.round, scope="province")
    jobs.run_check_job(one, check=check)
    assert recorded(ids) == recorded([one.pk]) and len(recorded(ids)) == len(whole)
