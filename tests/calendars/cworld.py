"""Calendar data on top of the test world: the world's project event moved to two weeks from today (with its
four sessions, sao1 invited), a committee meeting in ten days, and a second province with its own current
round, meeting and event that no feed of Loei may show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from itadesk.committee.models import Meeting
from itadesk.core.thai import BANGKOK
from itadesk.cycles.models import Milestone, Participation, Round
from itadesk.projects.models import Event, Invitation, Project
from itadesk.registry.models import Agency, AgencyKind, Province
from tests.projects import pworld


def build(w):
    today = timezone.localdate()
    w.event = pworld.event(w)
    w.event.date = today + dt.timedelta(days=14)
    w.event.save()
    w.meeting = Meeting.objects.create(province=w.province, round=w.round, number="ครั้งที่ 1/2570",
                                       title="ติดตามผลการประเมิน", date=today + dt.timedelta(days=10),
                                       scheduled_time=dt.time(13, 30), place="ห้องประชุมศาลากลางจังหวัดเลย",
                                       online_link="https://meet.example.test/ita")
    w.other = Province.objects.create(code="43", name_th="หนองคาย", name_en="Nong Khai")
    w.other_agency = Agency.objects.create(province=w.other, kind=AgencyKind.SAO, name_th="อบต.อื่น")
    w.other_round = Round.objects.create(province=w.other, fiscal_year=2568, name="ITA หนองคาย", is_current=True,
                                         starts_on="2024-10-01", ends_on="2025-09-30")
    w.other_milestone = Milestone.objects.create(
        round=w.other_round, code="oit", name_th="OIT หนองคาย", order=1,
        deadline=dt.datetime(2025, 4, 30, 17, tzinfo=BANGKOK))
    Participation.objects.create(round=w.other_round, agency=w.other_agency)
    w.other_meeting = Meeting.objects.create(province=w.other, date=today + dt.timedelta(days=3),
                                             place="หนองคาย", title="ประชุมหนองคาย")
    project = Project.objects.create(province=w.other, name="โครงการหนองคาย")
    w.other_event = Event.objects.create(project=project, title="อบรมหนองคาย", date=today + dt.timedelta(days=5),
                                         place="หนองคาย", capacity=10)
    Invitation.objects.create(event=w.other_event, agency=w.other_agency, quota=2)
    return w
