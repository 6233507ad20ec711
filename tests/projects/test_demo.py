"""The demo's project and events hold what the seed report says, and loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itadesk.core.models import AuditEvent
from itadesk.cycles.models import Participation
from itadesk.demo import projects as demo
from itadesk.methodology.models import TargetGroup
from itadesk.projects import selectors
from itadesk.projects.models import Event, Invitation, Project, Session


def _counts():
    return (Project.objects.count(), Event.objects.count(), Session.objects.count(), Invitation.objects.count(),
            TargetGroup.objects.count(), AuditEvent.objects.count())


def test_demo_project_matches_the_seed_and_is_idempotent(world):
    Participation.objects.filter(agency__in=[world.sao1, world.sao2]).update(needs_coaching=True,
                                                                              coaching_reason="ไม่ผ่าน ปี 2567")
    demo.load(world.province, world.round)
    first = _counts()
    demo.load(world.province, world.round)
    assert _counts() == first

    project = Project.objects.get(name=demo.PROJECT_NAME)
    assert project.budget == Decimal("90000") and selectors.money(project).budget_words == "เก้าหมื่นบาทถ้วน"
    assert project.owner_office == world.prov_office and project.round == world.round
    workshop = project.events.get()
    assert (workshop.capacity, workshop.date.month, workshop.date.year) == (160, 1, 2025)
    rows = selectors.programme(workshop)
    assert [r.session.duration_minutes for r in rows] == [90, 90, 90, 90]
    assert all(r.session.speaker_office == world.nacc for r in rows)
    assert rows[0].session.topic.startswith("หลักเกณฑ์และปฏิทินการประเมิน")
    assert (rows[0].start, rows[-1].end) == (dt.time(9, 0), dt.time(16, 30))
    assert workshop.invitations.count() == len(world.agencies)  # every participating agency
    assert sum(workshop.invitations.values_list("quota", flat=True)) <= workshop.capacity

    coaching = Event.objects.get(title=demo.COACHING_TITLE)
    assert coaching.target_group.name == demo.COACHING_GROUP
    assert set(coaching.invitations.values_list("agency_id", flat=True)) == {world.sao1.pk, world.sao2.pk}
    assert set(coaching.invitations.values_list("quota", flat=True)) == {2}  # the executive and the ITAS admin
    assert coaching.date < dt.date(2025, 1, 31)
    assert selectors.outcome(coaching) is not None
