"""Action items: creation from a resolution, agencies asked (one by one, by kind, by office, by target group),
the agencies' answers and the office's acceptance, the roll-up, lateness, and the state at a cut-off
reconstructed from the update log (the selectors the monitoring report reads)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from itadesk.committee import selectors, services
from itadesk.committee.models import ActionItem, ActionTarget, ActionUpdate, Problem
from itadesk.core.models import AuditEvent
from itadesk.core.thai import bangkok_datetime
from itadesk.methodology.models import TargetGroup, TargetGroupMember
from tests.committee.helpers import make_meeting


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="คำสั่ง.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def at(y, m, d, h=12):
    return bangkok_datetime(y, m, d, h)


def local_request(w, meeting=None, due=dt.date(2025, 1, 31)):
    agencies, label = selectors.resolve_agencies(w.province, mode="kind", kind="local")
    item = meeting.items.get(number="3.1") if meeting else None
    return services.create_action(actor=w.secretariat, province=w.province, agencies=agencies,
                                  targets_description=label, changes={
                                      "kind": "agencies", "title": "แต่งตั้งคณะทำงาน ITA", "office": w.local,
                                      "due_date": due, "meeting": meeting, "agenda_item": item})


def test_resolve_agencies_each_way(world):
    w = world
    names = lambda agencies: sorted(a.name_th for a in agencies)  # noqa: E731
    assert names(selectors.resolve_agencies(w.province, mode="kind", kind="local")[0]) == names([w.pao, w.sao1,
                                                                                                w.sao2])
    assert selectors.resolve_agencies(w.province, mode="kind", kind="district")[0] == [w.district_office]
    assert names(selectors.resolve_agencies(w.province, mode="office", office=w.admin_office)[0]) == names(
        [w.district_office, w.pao, w.sao1, w.sao2])
    assert names(selectors.resolve_agencies(w.province, mode="pick", agency_ids=[w.sao1.pk, w.sao2.pk])[0]) == \
        names([w.sao1, w.sao2])
    group = TargetGroup.objects.create(province=w.province, name="ต้องช่วยเหลือ")
    TargetGroupMember.objects.create(group=group, agency=w.sao2)
    agencies, label = selectors.resolve_agencies(w.province, mode="group", group=group)
    assert agencies == [w.sao2] and "ต้องช่วยเหลือ" in label
    with pytest.raises(ValidationError) as e:
        selectors.resolve_agencies(w.province, mode="kind", kind="nonsense")
    assert "kind_choice" in e.value.message_dict


def test_create_from_a_resolution_asks_every_local_government(world):
    w = world
    meeting = make_meeting(w)
    action = local_request(w, meeting)
    assert action.meeting == meeting and action.agenda_item.number == "3.1"
    assert action.targets.count() == 3 and set(action.targets.values_list("status", flat=True)) == {"pending"}
    assert action.targets_description
    # creation and each agency asked are in the timeline; one audit event for the item, one for the agencies
    assert ActionUpdate.objects.filter(action=action, target=None, to_status="open").count() == 1
    assert ActionUpdate.objects.filter(action=action, target__isnull=False).count() == 3
    assert AuditEvent.objects.filter(action="committee.action_create").count() == 1
    # asking the same agencies again adds nobody
    assert services.add_targets(actor=w.secretariat, action=action, agencies=[w.sao1]) == 0
    assert services.add_targets(actor=w.secretariat, action=action, agencies=[w.district_office]) == 1


def test_bad_input_is_refused_naming_the_field(world):
    w = world
    meeting = make_meeting(w)
    base = {"kind": "agencies", "title": "ขอให้ส่งคำสั่ง", "office": w.local, "due_date": dt.date(2025, 1, 31),
            "meeting": meeting}
    with pytest.raises(ValidationError) as e:
        services.create_action(actor=w.secretariat, province=w.province, changes=base, agencies=[])
    assert "agencies" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.create_action(actor=w.secretariat, province=w.province,
                               changes={**base, "due_date": dt.date(2024, 12, 1)}, agencies=[w.sao1])
    assert "due_date" in e.value.message_dict and "24 ธ.ค. 2567" in " ".join(e.value.message_dict["due_date"])
    with pytest.raises(ValidationError) as e:  # on its own: no due date in the past
        services.create_action(actor=w.secretariat, province=w.province,
                               changes={**base, "meeting": None, "kind": "office"})
    assert "due_date" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.create_action(actor=w.secretariat, province=w.province, changes={**base, "title": " "},
                               agencies=[w.sao1])
    assert "title" in e.value.message_dict
    action = local_request(w, meeting)
    with pytest.raises(ValidationError) as e:
        services.add_targets(actor=w.secretariat, action=action, agencies=[])
    assert "agencies" in e.value.message_dict
    target = action.targets.get(agency=w.sao1)
    with pytest.raises(ValidationError) as e:
        services.move_target(actor=w.admin_a, target=target, step="submit",
                             uploaded=SimpleUploadedFile("virus.exe", b"MZ"))
    assert "virus.exe" in " ".join(e.value.message_dict["file"])
    with pytest.raises(ValidationError) as e:
        services.move_target(actor=w.admin_a, target=target, step="submit", uploaded=pdf(size=11 * 1024 * 1024))
    assert "MB" in " ".join(e.value.message_dict["file"])
    with pytest.raises(ValidationError) as e:  # nothing to show
        services.move_target(actor=w.admin_a, target=target, step="submit")
    assert "file" in e.value.message_dict
    assert ActionTarget.objects.get(pk=target.pk).status == "pending"
    assert Problem.objects.count() == 0 and ActionItem.objects.count() == 1


def test_agency_reports_and_the_office_accepts_or_returns(world):
    w = world
    action = local_request(w, make_meeting(w))
    t1 = action.targets.get(agency=w.sao1)
    services.move_target(actor=w.admin_a, target=t1, step="submit", uploaded=pdf(), text="คำสั่งที่ ๑/๒๕๖๘")
    t1.refresh_from_db()
    action.refresh_from_db()
    assert t1.status == "submitted" and t1.document.file_name == "คำสั่ง.pdf"
    assert action.status == "in_progress"  # the first answer starts the item
    # an agency cannot accept its own answer, another agency cannot answer for it
    with pytest.raises(PermissionDenied):
        services.move_target(actor=w.admin_a, target=t1, step="accept")
    t_pao = action.targets.get(agency=w.pao)
    with pytest.raises(PermissionDenied):
        services.move_target(actor=w.admin_a, target=t_pao, step="submit", text="x")
    # another office cannot accept; the responsible office returns with a reason, then accepts
    with pytest.raises(PermissionDenied):
        services.move_target(actor=w.nacc_officer, target=t1, step="accept")
    with pytest.raises(ValidationError) as e:
        services.move_target(actor=w.local_officer, target=t1, step="return")
    assert "text" in e.value.message_dict
    services.move_target(actor=w.local_officer, target=t1, step="return", text="คำสั่งไม่มีลายมือชื่อ")
    services.move_target(actor=w.admin_a, target=t1, step="submit", uploaded=pdf("คำสั่ง-แก้.pdf"))
    services.move_target(actor=w.local_officer, target=t1, step="accept")
    t1.refresh_from_db()
    assert t1.status == "done" and t1.document.file_name == "คำสั่ง-แก้.pdf"
    steps = list(ActionUpdate.objects.filter(target=t1).values_list("from_status", "to_status"))
    assert steps == [("", "pending"), ("pending", "submitted"), ("submitted", "pending"),
                     ("pending", "submitted"), ("submitted", "done")]
    # not allowed from here
    with pytest.raises(ValidationError):
        services.move_target(actor=w.local_officer, target=t1, step="accept")
    services.move_target(actor=w.local_officer, target=action.targets.get(agency=w.sao2), step="not_applicable",
                         text="ยุบรวมกับเทศบาล")
    row = selectors.rollup(selectors.with_counts(ActionItem.objects.all()))
    assert (row["targets_done"], row["targets_total"]) == (1, 2)
    # a closed item freezes its agencies' answers
    services.set_action_status(actor=w.local_officer, action=action, status="done")
    with pytest.raises(ValidationError):
        services.move_target(actor=w.local_officer, target=t_pao, step="done")


def test_action_status_needs_a_reason_to_cancel_or_reopen(world):
    w = world
    action = services.create_action(actor=w.secretariat, province=w.province, changes={
        "kind": "office", "title": "จัดประชุมชี้แจง", "office": w.local, "due_date": None})
    with pytest.raises(ValidationError) as e:
        services.set_action_status(actor=w.secretariat, action=action, status="cancelled")
    assert "text" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.set_action_status(actor=w.secretariat, action=action, status="open")
    services.set_action_status(actor=w.local_officer, action=action, status="done", uploaded=pdf("รายงาน.pdf"))
    services.set_action_status(actor=w.secretariat, action=action, status="in_progress", text="ยังไม่ครบ")
    action.refresh_from_db()
    assert action.status == "in_progress"
    with pytest.raises(ValidationError) as e:
        services.set_action_status(actor=w.secretariat, action=action, status="done",
                                   uploaded=SimpleUploadedFile("a.zip", b"PK"))
    assert "a.zip" in " ".join(e.value.message_dict["file"])
    assert ActionItem.objects.get(pk=action.pk).status == "in_progress"


def test_lateness_and_roll_up_per_office(world):
    w = world
    meeting = make_meeting(w)
    with time_machine.travel(at(2567, 12, 25), tick=False):
        late = local_request(w, meeting, due=dt.date(2025, 1, 31))
        services.create_action(actor=w.secretariat, province=w.province, changes={
            "kind": "office", "title": "รายงาน", "office": w.nacc, "due_date": dt.date(2025, 3, 1)})
    assert late.is_late(dt.date(2025, 1, 31)) is False
    assert late.is_late(dt.date(2025, 2, 1)) is True
    rows = selectors.rollup_by_office(selectors.with_counts(ActionItem.objects.select_related("office")))
    assert [r["office"] for r in rows] == [w.nacc, w.local, None]
    total = rows[-1]
    assert total["total"] and total["actions"] == 2 and total["targets_total"] == 3 and total["targets_done"] == 0


def test_report_state_at_a_cut_off(world):
    w = world
    meeting = make_meeting(w)
    with time_machine.travel(at(2567, 12, 25), tick=False):
        action = local_request(w, meeting)
    t1 = action.targets.get(agency=w.sao1)
    with time_machine.travel(at(2568, 1, 10), tick=False):
        services.move_target(actor=w.admin_a, target=t1, step="submit", uploaded=pdf())
    with time_machine.travel(at(2568, 1, 15), tick=False):
        services.move_target(actor=w.local_officer, target=t1, step="accept")
    with time_machine.travel(at(2568, 2, 10), tick=False):
        services.add_targets(actor=w.secretariat, action=action, agencies=[w.district_office])
    with time_machine.travel(at(2568, 3, 1), tick=False):
        services.set_action_status(actor=w.local_officer, action=action, status="done")

    assert selectors.action_items_for_report(province=w.province, at=at(2567, 12, 1)) == []
    [row] = selectors.action_items_for_report(province=w.province, at=at(2568, 1, 12))
    assert row["status"] == "in_progress" and row["status_label"] == "อยู่ระหว่างดำเนินการ"
    assert (row["targets_done"], row["targets_total"], row["late"]) == (0, 3, False)
    assert row["pending_agencies"] == sorted([w.pao.name_th, w.sao1.name_th, w.sao2.name_th])
    assert row["meeting"] == "ครั้งที่ ๑/๒๕๖๘" and row["office"] == "สถ.จ.เลย"
    assert row["due_date"] == dt.date(2025, 1, 31)
    [row] = selectors.action_items_for_report(province=w.province, at=at(2568, 2, 1, 9))
    assert (row["targets_done"], row["targets_total"], row["late"]) == (1, 3, True)
    assert row["pending_agencies"] == sorted([w.pao.name_th, w.sao2.name_th])
    [row] = selectors.action_items_for_report(province=w.province, at=at(2568, 2, 20))
    assert row["targets_total"] == 4
    assert selectors.action_items_for_report(province=w.province, at=at(2568, 3, 2)) == []
    assert selectors.action_items_for_report(province=w.province, office=w.nacc, at=at(2568, 1, 12)) == []
    assert set(row) == {"id", "title", "meeting", "office", "due_date", "status", "status_label", "targets_total",
                        "targets_done", "late", "pending_agencies"}


def test_problems_for_report_at_a_cut_off(world):
    w = world
    with time_machine.travel(at(2568, 1, 5), tick=False):
        problem = services.save_problem(actor=w.local_officer, province=w.province, agencies=[w.sao2, w.sao1],
                                        changes={"office": w.local, "title": "อปท. ไม่แต่งตั้งคณะทำงาน",
                                                 "detail": "ยังไม่ส่งคำสั่ง", "since": dt.date(2024, 12, 24),
                                                 "action_taken": "โทรติดตาม",
                                                 "request_to_committee": "ขอให้จังหวัดมีหนังสือเร่งรัด"})
        services.save_problem(actor=w.nacc_officer, province=w.province, changes={
            "office": w.nacc, "title": "ระบบ ITAS ล่าช้า"})
    with time_machine.travel(at(2568, 2, 5), tick=False):
        services.set_problem_status(actor=w.local_officer, problem=problem, status="resolved")
    assert selectors.problems_for_report(province=w.province, at=at(2568, 1, 1)) == []
    rows = selectors.problems_for_report(province=w.province, at=at(2568, 1, 20))
    assert [r["office"] for r in rows] == ["ป.ป.ช.จังหวัดเลย", "สถ.จ.เลย"]
    local = rows[1]
    assert local == {"id": problem.pk, "title": "อปท. ไม่แต่งตั้งคณะทำงาน", "detail": "ยังไม่ส่งคำสั่ง",
                     "office": "สถ.จ.เลย", "agencies": sorted([w.sao1.name_th, w.sao2.name_th]),
                     "since": dt.date(2024, 12, 24), "action_taken": "โทรติดตาม",
                     "request_to_committee": "ขอให้จังหวัดมีหนังสือเร่งรัด", "status": "open"}
    assert [r["office"] for r in selectors.problems_for_report(province=w.province, office=w.local,
                                                               at=at(2568, 1, 20))] == ["สถ.จ.เลย"]
    assert selectors.problems_for_report(province=w.province, office=w.local, at=at(2568, 2, 6)) == []
    with pytest.raises(ValidationError) as e:
        services.save_problem(actor=w.local_officer, province=w.province, changes={"office": w.local, "title": ""})
    assert "title" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.save_problem(actor=w.local_officer, province=w.province, changes={
            "office": w.local, "title": "x", "since": dt.date(2099, 1, 1)})
    assert "since" in e.value.message_dict


def test_updates_are_append_only(world):
    w = world
    action = local_request(w, make_meeting(w))
    update = ActionUpdate.objects.filter(action=action).first()
    with pytest.raises(ValueError):
        update.save()
    with pytest.raises(ValueError):
        update.delete()
    with pytest.raises(ValueError):
        ActionUpdate.objects.filter(action=action).delete()
    with pytest.raises(ValueError):
        ActionUpdate.objects.filter(action=action).update(text="x")
