"""A project of the test world: the seed's workshop (budget 90,000 baht, one line), a one-day event
for 160 people with the four sessions of 1 h 30 min, sao1 invited with 2 seats and one person
registered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration, Session

PROJECT_NAME = "โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนนการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย"
EVENT_TITLE = "ประชุมเชิงปฏิบัติการขับเคลื่อนการประเมิน ITA"


def make(w) -> Project:
    """The world's project, made once per world."""
    project = Project.objects.filter(province=w.province).first()
    if project is not None:
        return project
    project = Project.objects.create(province=w.province, round=w.round, name=PROJECT_NAME, owner_office=w.prov_office,
                                     objective="ซักซ้อมความเข้าใจแนวทางการประเมิน", budget=Decimal("90000"))
    BudgetLine.objects.create(project=project, order=1, name="ค่าอาหารกลางวัน", amount=Decimal("24000"))
    event = Event.objects.create(project=project, title=EVENT_TITLE, date=dt.date(2025, 1, 22),
                                 start_time=dt.time(8, 30), end_time=dt.time(16, 30),
                                 place="โรงแรมเลยพาเลซ", capacity=160, default_quota=2)
    for i in range(1, 5):
        Session.objects.create(event=event, order=i, topic=f"หัวข้อที่ {i}", speaker="วิทยากร",
                               speaker_office=w.nacc, duration_minutes=90)
    Invitation.objects.create(event=event, agency=w.sao1, quota=2)
    Registration.objects.create(event=event, agency=w.sao1, name="นายสมชาย ใจดี", position="ปลัด", kind="admin")
    return project


def event(w) -> Event:
    return make(w).events.first()
