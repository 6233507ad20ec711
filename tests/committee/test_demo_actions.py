"""The demo's action items and problems: the seed's two resolutions of agenda item 4.1 (every local government
appoints a working committee; the coaching meeting for the 21 agencies before 31 Jan 2568) and problems for
each office; loading twice changes nothing; the report selectors read them at a cut-off."""

from __future__ import annotations

import datetime as dt

from itadesk.committee import selectors
from itadesk.committee.models import ActionItem, ActionTarget, ActionUpdate, CommitteeMember, Problem
from itadesk.core.models import AuditEvent
from itadesk.core.thai import bangkok_datetime
from itadesk.demo import actions, meetings
from itadesk.demo.loader import COMMITTEE


def _load(world):
    for order, (name, position, role, note) in enumerate(COMMITTEE, start=1):
        CommitteeMember.objects.create(province=world.province, name=name, position=position, committee_role=role,
                                       order=order, note=note)
    meetings.load(world.province, world.round)
    actions.load(world.province, world.round)


def test_demo_actions_follow_the_seed_and_load_once(world):
    w = world
    _load(w)
    counts = (ActionItem.objects.count(), ActionTarget.objects.count(), ActionUpdate.objects.count(),
              Problem.objects.count(), AuditEvent.objects.count())
    actions.load(w.province, w.round)
    assert counts == (ActionItem.objects.count(), ActionTarget.objects.count(), ActionUpdate.objects.count(),
                      Problem.objects.count(), AuditEvent.objects.count())
    appoint = ActionItem.objects.get(title=actions.WORKING_COMMITTEE_TITLE)
    assert appoint.kind == "agencies" and appoint.office == w.local and appoint.agenda_item.number == "4.1"
    assert set(appoint.targets.values_list("agency", flat=True)) == {w.pao.pk, w.sao1.pk, w.sao2.pk}
    coaching = ActionItem.objects.get(title=actions.COACHING_TITLE)
    assert coaching.kind == "office" and coaching.due_date == dt.date(2025, 1, 31) and coaching.status == "done"
    # the world's two SAOs are among the 21
    assert w.sao1.name_th in coaching.detail and w.sao2.name_th in coaching.detail
    assert set(Problem.objects.values_list("office__code", flat=True)) == {
        "nacc", "provincial-office", "local-promotion", "provincial-administration"}
    # invented texts are marked
    assert all(actions.MARK in p.detail for p in Problem.objects.all())
    assert all(actions.MARK in u.text for u in ActionUpdate.objects.filter(target__isnull=False).exclude(text=""))


def test_demo_as_the_report_sees_it(world):
    w = world
    _load(w)
    before = selectors.action_items_for_report(province=w.province, at=bangkok_datetime(2567, 12, 25, 9))
    assert before == []
    rows = selectors.action_items_for_report(province=w.province, at=bangkok_datetime(2568, 1, 20, 9))
    titles = {r["title"] for r in rows}
    assert actions.WORKING_COMMITTEE_TITLE in titles and actions.COACHING_TITLE in titles
    rows = selectors.action_items_for_report(province=w.province, office=w.local, at=bangkok_datetime(2568, 2, 20, 9))
    assert [r["title"] for r in rows] == [actions.WORKING_COMMITTEE_TITLE]  # coaching done on 28 Jan
    assert rows[0]["meeting"] == "24 ธ.ค. 2567" and rows[0]["targets_total"] == 3
    problems = selectors.problems_for_report(province=w.province, at=bangkok_datetime(2568, 2, 20, 9))
    assert {p["office"] for p in problems} == {"ป.ป.ช.จังหวัดเลย", "สนง.จังหวัดเลย", "สถ.จ.เลย"}
    # resolved on 30 Jan: gone; the EIT problem of May not yet recorded
    assert not any("เปลี่ยนตัว" in p["title"] for p in problems)


def test_demo_history_reads_in_order(world):
    """The invented answers are applied in the order they happened: on no day of January 2568 does the report
    show the request still "open" while an agency's order was already accepted."""
    _load(world)
    for day in range(1, 32):
        for row in selectors.action_items_for_report(province=world.province, at=bangkok_datetime(2568, 1, day, 18)):
            if row["title"] == actions.WORKING_COMMITTEE_TITLE and row["status"] == "open":
                assert row["targets_done"] == 0
