"""The pages of action items, requests to agencies and problems: the secretariat records a resolution's follow-up
for every local government, an agency admin sends its appointment order, the office accepts it; bad input is
named; each office sees only its own problems; meetings are deleted only while nothing depends on them; agenda
items move inside their section."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itadesk.committee import services
from itadesk.committee.models import ActionItem, ActionTarget, AgendaItem, Meeting, Problem
from itadesk.methodology.models import TargetGroup, TargetGroupMember
from tests.committee.helpers import make_meeting


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "th"
    return client


def new_action(client, meeting, **extra):
    item = meeting.items.get(number="3.1")
    data = {"kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA", "office": "", "due_date": "31/1/2568",
            "meeting": meeting.pk, "agenda_item": item.pk, "detail": "", "ask-mode": "kind",
            "ask-kind_choice": "local", **extra}
    return client.post(reverse("committee:action_new"), data)


def test_secretariat_follows_up_a_resolution_and_an_agency_answers(client, world):
    w = world
    meeting = make_meeting(w)
    login(client, w.secretariat)
    page = client.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="action-from-item"' in page
    form = client.get(reverse("committee:action_new") + f"?item={meeting.items.get(number='3.1').pk}")
    assert "หลักเกณฑ์" in form.content.decode()  # the resolution's title is proposed
    r = new_action(client, meeting, office=w.local.pk)
    assert r.status_code == 302, r.content.decode()[:3000]
    action = ActionItem.objects.get()
    assert action.due_date == dt.date(2025, 1, 31) and action.targets.count() == 3
    page = client.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert "แต่งตั้งคณะทำงาน ITA" in page
    # the agency admin sees the request in its own page and sends its order
    login(client, w.admin_a)
    page = client.get(reverse("committee:requests")).content.decode()
    assert "แต่งตั้งคณะทำงาน ITA" in page and w.pao.name_th not in page
    target = ActionTarget.objects.get(agency=w.sao1)
    r = client.post(reverse("committee:request", args=[target.pk]), {
        "step": "submit", "text": "คำสั่งที่ ๑๒/๒๕๖๘",
        "file": SimpleUploadedFile("คำสั่งแต่งตั้ง.pdf", b"%PDF-1.4 x", content_type="application/pdf")})
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.status == "submitted"
    assert client.get(reverse("committee:update_file", args=[target.document_id])).status_code == 200
    # another agency cannot open it; a wrong file type is named
    login(client, w.admin_b)
    assert client.get(reverse("committee:request", args=[target.pk])).status_code == 404
    pao = ActionTarget.objects.get(agency=w.pao)
    r = client.post(reverse("committee:request", args=[pao.pk]), {
        "step": "submit", "file": SimpleUploadedFile("order.exe", b"MZ")})
    assert r.status_code == 400 and "order.exe" in r.content.decode()
    # the executive reads but does not answer
    login(client, w.exec_a)
    assert client.get(reverse("committee:request", args=[target.pk])).status_code == 200
    assert client.post(reverse("committee:request", args=[target.pk]), {"step": "note", "text": "x"}).status_code \
        == 403
    # the responsible office accepts
    login(client, w.local_officer)
    r = client.post(reverse("committee:target_step", args=[action.pk, target.pk, "accept"]), {"text": ""})
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.status == "done"
    page = client.get(reverse("committee:action", args=[action.pk])).content.decode()
    assert 'data-testid="target-progress"' in page and "<strong>1</strong> / 3" in page
    page = client.get(reverse("committee:actions")).content.decode()
    assert 'data-testid="rollup-province"' in page and "1 / 3" in page
    # another office reads the item but cannot follow it up
    login(client, w.nacc_officer)
    assert client.get(reverse("committee:action", args=[action.pk])).status_code == 200
    assert client.post(reverse("committee:action_status", args=[action.pk]), {"status": "done"}).status_code == 403


def test_action_form_names_bad_input(client, world):
    w = world
    meeting = make_meeting(w)
    login(client, w.secretariat)
    r = new_action(client, meeting, **{"ask-mode": "pick", "ask-kind_choice": ""})
    assert r.status_code == 400 and 'data-testid="error-agencies"' in r.content.decode()
    r = new_action(client, meeting, **{"ask-mode": ""})
    assert r.status_code == 400 and 'data-testid="error-mode"' in r.content.decode()
    r = new_action(client, meeting, due_date="1/12/2567")
    assert r.status_code == 400 and 'data-testid="error-due_date"' in r.content.decode()
    r = new_action(client, meeting, due_date="31/02/2568")
    assert r.status_code == 400 and 'data-testid="error-due_date"' in r.content.decode()
    r = new_action(client, meeting, title="")
    assert r.status_code == 400 and 'data-testid="error-title"' in r.content.decode()
    group = TargetGroup.objects.create(province=w.province, name="ว่าง")
    r = new_action(client, meeting, **{"ask-mode": "group", "ask-group": group.pk})
    assert r.status_code == 400 and 'data-testid="error-group"' in r.content.decode()
    assert not ActionItem.objects.exists()
    TargetGroupMember.objects.create(group=group, agency=w.sao2)
    r = new_action(client, meeting, **{"ask-mode": "group", "ask-group": group.pk})
    assert r.status_code == 302
    assert list(ActionItem.objects.get().targets.values_list("agency", flat=True)) == [w.sao2.pk]


def test_offices_see_only_their_own_problems(client, world):
    w = world
    login(client, w.local_officer)
    r = client.post(reverse("committee:problem_new"), {
        "office": w.local.pk, "title": "อปท. ๕ แห่งยังไม่แต่งตั้งคณะทำงาน", "since": "๒๔ ธ.ค. ๒๕๖๗",
        "agencies": [w.sao1.pk], "action_taken": "มีหนังสือเร่งรัด", "request_to_committee": "ขอให้จังหวัดกำชับ"})
    assert r.status_code == 302
    problem = Problem.objects.get()
    assert problem.since == dt.date(2024, 12, 24) and problem.office == w.local
    # the office cannot file a problem under another office
    r = client.post(reverse("committee:problem_new"), {"office": w.nacc.pk, "title": "x"})
    assert r.status_code == 400 and 'data-testid="error-office"' in r.content.decode()
    login(client, w.nacc_officer)
    assert "ยังไม่แต่งตั้ง" not in client.get(reverse("committee:problems")).content.decode()
    assert client.get(reverse("committee:problem_edit", args=[problem.pk])).status_code == 404
    login(client, w.secretariat)
    assert "ยังไม่แต่งตั้ง" in client.get(reverse("committee:problems")).content.decode()
    r = client.post(reverse("committee:problem_status", args=[problem.pk]), {"status": "resolved"})
    problem.refresh_from_db()
    assert problem.status == "resolved" and problem.resolved_at is not None
    r = client.post(reverse("committee:problem_new"), {"office": w.nacc.pk, "title": "", "since": "พรุ่งนี้"})
    page = r.content.decode()
    assert r.status_code == 400 and 'data-testid="error-title"' in page and 'data-testid="error-since"' in page


def test_meeting_delete_is_refused_once_something_depends_on_it(client, world):
    w = world
    login(client, w.secretariat)
    first = make_meeting(w)
    second = make_meeting(w, date=dt.date(2025, 2, 20), number="ครั้งที่ ๒/๒๕๖๘")
    services.save_item(actor=w.secretariat, meeting=second, changes={"section": 2, "number": "2.1",
                                                                     "title": "รับรองรายงานการประชุม"})
    services.review_minutes(actor=w.secretariat, meeting=first)
    services.adopt_minutes(actor=w.secretariat, meeting=first, at_meeting=second,
                           item=second.items.get(number="2.1"))
    r = client.post(reverse("committee:meeting_delete", args=[second.pk]), follow=True)
    assert "ครั้งที่ ๑/๒๕๖๘" in r.content.decode() and Meeting.objects.filter(pk=second.pk).exists()
    r = client.post(reverse("committee:meeting_delete", args=[first.pk]), follow=True)
    assert Meeting.objects.filter(pk=first.pk).exists()
    third = make_meeting(w, date=dt.date(2025, 3, 20), number="ครั้งที่ ๓/๒๕๖๘")
    services.create_action(actor=w.secretariat, province=w.province, changes={
        "kind": "office", "title": "รายงาน", "office": w.nacc, "meeting": third, "due_date": None})
    client.post(reverse("committee:meeting_delete", args=[third.pk]))
    assert Meeting.objects.filter(pk=third.pk).exists()
    fourth = make_meeting(w, date=dt.date(2025, 4, 20), number="ครั้งที่ ๔/๒๕๖๘")
    services.add_attachment(actor=w.secretariat, item=fourth.items.get(number="3.1"),
                            uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    r = client.post(reverse("committee:meeting_delete", args=[fourth.pk]))
    assert r.status_code == 302 and r.url == reverse("committee:meetings")
    assert not Meeting.objects.filter(pk=fourth.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=fourth.pk).exists()


def test_agenda_items_move_inside_their_section(client, world):
    w = world
    meeting = make_meeting(w)
    for n, title in (("3.2", "สอง"), ("3.3", "สาม")):
        services.save_item(actor=w.secretariat, meeting=meeting, changes={"section": 3, "number": n, "title": title})
    services.save_item(actor=w.secretariat, meeting=meeting, changes={"section": 3, "number": "3.2.1",
                                                                      "title": "สองย่อย"})
    login(client, w.secretariat)
    item = meeting.items.get(title="สาม")
    client.post(reverse("committee:item_move", args=[meeting.pk, item.pk]), {"direction": "up"})
    numbers = dict(AgendaItem.objects.filter(meeting=meeting, section=3).values_list("title", "number"))
    assert numbers == {"หลักเกณฑ์": "3.1", "สาม": "3.2", "สอง": "3.3", "สองย่อย": "3.3.1"}
    client.post(reverse("committee:item_move", args=[meeting.pk, meeting.items.get(title="หลักเกณฑ์").pk]),
                {"direction": "up"})  # first already: nothing changes
    assert AgendaItem.objects.get(title="หลักเกณฑ์").number == "3.1"
    login(client, w.nacc_officer)
    assert client.post(reverse("committee:item_move", args=[meeting.pk, item.pk]),
                       {"direction": "down"}).status_code == 403


def test_meeting_page_shows_the_follow_up_of_earlier_meetings(client, world):
    w = world
    first = make_meeting(w)
    second = make_meeting(w, date=dt.date(2025, 2, 20), number="ครั้งที่ ๒/๒๕๖๘")
    with time_machine.travel(dt.datetime(2024, 12, 26, 3, tzinfo=dt.UTC)):
        action = services.create_action(actor=w.secretariat, province=w.province, agencies=[w.sao1, w.sao2],
                                        changes={"kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA",
                                                 "office": w.local, "meeting": first, "due_date": dt.date(2025, 1, 31)})
    login(client, w.secretariat)
    page = client.get(reverse("committee:meeting", args=[second.pk])).content.decode()
    assert 'data-testid="followup-row"' in page and "แต่งตั้งคณะทำงาน ITA" in page
    assert "ล่าช้า" in page or "Late" in page  # due 31 Jan, heard on 20 Feb
    # done after the second meeting: that meeting still shows what it heard
    services.set_action_status(actor=w.secretariat, action=action, status="done")
    page = client.get(reverse("committee:meeting", args=[second.pk])).content.decode()
    assert 'data-testid="followup-row"' in page
    page = client.get(reverse("committee:meeting", args=[first.pk])).content.decode()
    assert 'data-testid="followup-row"' not in page


def test_meeting_delete_is_refused_while_another_record_refers_to_it(world):
    """A record of another part (here a monitoring report made for the meeting) keeps the meeting: the refusal
    names it and nothing is deleted."""
    from django.core.exceptions import ValidationError

    from itadesk.reports.models import MonitoringReport

    w = world
    meeting = make_meeting(w)
    MonitoringReport.objects.create(province=w.province, round=w.round, meeting=meeting,
                                    cut_off=dt.datetime(2024, 12, 20, 10, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as e:
        services.delete_meeting(actor=w.secretariat, meeting=meeting)
    assert meeting.label in " ".join(e.value.messages)
    assert Meeting.objects.filter(pk=meeting.pk).exists() and meeting.items.count() == 2
