"""The seed's improvement project and its events, for the demonstration.

From the minutes of 24 Dec 2567 (agenda items 3.3 and 4.2): the provincial office's project
"โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน ITA ๒๕๖๘ จังหวัดเลย", 90,000 baht from the Ministry of
Interior, a one-day workshop in January 2568 for 160 people from regional offices and local
governments of every level, four sessions of 1 h 30 min by speakers of the provincial NACC office. The
minutes give no budget lines, no exact date and no venue: the event's date is a working day in that
month and its place says it is still to be confirmed.

Agenda item 4.1, resolution (2): the local-government promotion office holds a coaching meeting for
the 21 agencies that need help (their executives and ITAS admins) before 31 Jan 2568. The demo keeps
them as a saved target group and the meeting as a targeted event of a second (unbudgeted) project.

Running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itadesk.cycles.models import Participation
from itadesk.methodology import services as methodology
from itadesk.methodology.models import TargetGroup
from itadesk.projects import services
from itadesk.projects.models import Event, Project
from itadesk.registry.models import Agency, SupervisingOffice

PROJECT_NAME = ("โครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                "(ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย")
PROJECT_OBJECTIVE = (
    "ซักซ้อมทำความเข้าใจถึงแนวทางการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ และรายละเอียดตัวชี้วัด เพื่อร่วมกันวางแผนและขับเคลื่อนให้หน่วยงานภาครัฐที่เข้าร่วม"
    "การประเมินคุณธรรมฯ จังหวัดเลย ผ่านเกณฑ์การประเมิน คิดเป็นร้อยละ ๑๐๐")
BUDGET_SOURCE = ("สำนักงานปลัดกระทรวงมหาดไทย ตามแผนงานบูรณาการป้องกันปราบปรามการทุจริตและประพฤติมิชอบ "
                 "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
WORKSHOP_TITLE = ("ประชุมเชิงปฏิบัติการโครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนนการประเมินคุณธรรมและความโปร่งใส"
                  "ในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย")
WORKSHOP_DESCRIPTION = (
    "กลุ่มเป้าหมาย: บุคลากรจากหน่วยงานราชการส่วนภูมิภาค และองค์กรปกครองส่วนท้องถิ่นทุกระดับชั้น "
    "จำนวนทั้งสิ้น ๑๖๐ คน (รายงานการประชุมกำหนดห้วงเดือนมกราคม ๒๕๖๘ ระยะเวลา ๑ วัน "
    "วันที่และสถานที่ในระบบสาธิตเป็นค่าตัวอย่าง)")
SPEAKER = "วิทยากรจากสำนักงาน ป.ป.ช. ประจำจังหวัดเลย"
# (topic, break after it in minutes): the seed's four sessions of 1 h 30 min, agenda item 4.2.
SESSIONS = [
    ("หลักเกณฑ์และปฏิทินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and "
     "Transparency Assessment – ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", 15),
    ("หลักเกณฑ์และองค์ประกอบของข้อมูลตามแบบวัดการเปิดเผยข้อมูลสาธารณะ (แบบวัด OIT) สำหรับการประเมินคุณธรรมและ"
     "ความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment – ITA) "
     "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", 60),
    ("การถอดบทเรียนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
     "Assessment – ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ จังหวัดเลย", 15),
    ("การแลกเปลี่ยนเรียนรู้การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and "
     "Transparency Assessment – ITA) ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ จังหวัดเลย", 0),
]
WORKSHOP_DATE = dt.date(2025, 1, 21)  # a Tuesday of January 2568 (the minutes name the month only)

COACHING_PROJECT = "การให้คำแนะนำหน่วยงานที่ต้องได้รับการช่วยเหลือ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (สถ.จ.เลย)"
COACHING_GROUP = "หน่วยงานที่ต้องได้รับคำแนะนำ ITA ๒๕๖๘ (มติที่ประชุม ๒๔ ธ.ค. ๒๕๖๗ วาระ ๔.๑)"
COACHING_TITLE = ("ประชุมให้คำแนะนำและซักซ้อมทำความเข้าใจแนวทางการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ "
                  "สำหรับหน่วยงานที่ต้องได้รับการช่วยเหลือ")
COACHING_DESCRIPTION = (
    "เชิญผู้บริหารและเจ้าหน้าที่ผู้ทำหน้าที่เป็นแอดมินของหน่วยงานที่ไม่ผ่านการประเมินคุณธรรมฯ ปี ๒๕๖๗ และหน่วยงานที่ผ่าน"
    "แต่คะแนนแบบวัด OIT ไม่ผ่านเกณฑ์ รวม ๒๑ หน่วยงาน ให้แล้วเสร็จก่อนวันที่ ๓๑ มกราคม ๒๕๖๘ "
    "โดยขอให้สำนักงาน ป.ป.ช. ประจำจังหวัดเลย และสำนักงานจังหวัดเลยเข้าร่วมชี้แจง")
COACHING_DATE = dt.date(2025, 1, 16)


def _office(province, code):
    return SupervisingOffice.objects.filter(province=province, code=code).first()


def _coaching_group(province, round):
    group = TargetGroup.objects.filter(province=province, name=COACHING_GROUP).first()
    if group is not None:
        return group
    coaching = list(Participation.objects.filter(round=round, needs_coaching=True).select_related("agency")
                    .order_by("agency__name_th"))
    if not coaching:
        return None

    return methodology.save_target_group(actor=None, province=province, name=COACHING_GROUP,
                                         members=[(p.agency, p.coaching_reason) for p in coaching],
                                         fiscal_year=round.fiscal_year,
                                         description="มติที่ประชุมคณะกรรมการ ๒๔ ธันวาคม ๒๕๖๗ วาระที่ ๔.๑ (๒)")


def _workshop(province, round) -> Project:
    project = Project.objects.filter(province=province, name=PROJECT_NAME).first()
    if project is None:
        project = services.save_project(actor=None, province=province, changes={
            "round_id": round.pk, "name": PROJECT_NAME, "owner_office": _office(province, "provincial-office"),
            "objective": PROJECT_OBJECTIVE, "budget": Decimal("90000"), "budget_source": BUDGET_SOURCE})
    event = Event.objects.filter(project=project, title=WORKSHOP_TITLE).first()
    if event is None:
        event = services.save_event(actor=None, project=project, changes={
            "title": WORKSHOP_TITLE, "date": WORKSHOP_DATE, "start_time": dt.time(9, 0), "end_time": dt.time(16, 30),
            "place": "จังหวัดเลย (รอยืนยันสถานที่)", "capacity": 160, "default_quota": 1,
            "description": WORKSHOP_DESCRIPTION})
    if not event.sessions.exists():
        nacc = _office(province, "nacc")
        for order, (topic, pause) in enumerate(SESSIONS, start=1):
            services.save_session(actor=None, event=event, changes={
                "order": order, "topic": topic, "speaker": SPEAKER, "speaker_office": nacc,
                "duration_minutes": 90, "break_after_minutes": pause})
    if not event.invitations.exists():
        participants = Agency.objects.filter(participations__round=round).order_by("kind", "name_th")
        services.invite(actor=None, event=event, agencies=participants, quota=1)
    return project


def _coaching(province, round) -> Project | None:
    group = _coaching_group(province, round)
    if group is None:
        return None
    project = Project.objects.filter(province=province, name=COACHING_PROJECT).first()
    if project is None:
        project = services.save_project(actor=None, province=province, changes={
            "round_id": round.pk, "name": COACHING_PROJECT, "owner_office": _office(province, "local-promotion"),
            "objective": "ให้คำแนะนำหน่วยงานที่ไม่ผ่านการประเมินหรือคะแนน OIT ไม่ผ่านเกณฑ์ ก่อนกำหนดส่งข้อมูลผู้มีส่วนได้ส่วนเสีย",
            "budget": Decimal("0"), "budget_source": "ไม่ใช้งบประมาณโครงการ"})
    event = Event.objects.filter(project=project, title=COACHING_TITLE).first()
    if event is None:
        event = services.save_event(actor=None, project=project, changes={
            "title": COACHING_TITLE, "date": COACHING_DATE, "start_time": dt.time(9, 0), "end_time": dt.time(12, 0),
            "place": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย", "capacity": 50, "default_quota": 2,
            "description": COACHING_DESCRIPTION, "target_group": group})
    if not event.sessions.exists():
        for order, (topic, office, minutes) in enumerate([
                ("หลักเกณฑ์และปฏิทินการประเมิน ITA ๒๕๖๘ และการระบุข้อมูลผู้มีส่วนได้ส่วนเสีย", "nacc", 60),
                ("การเปิดเผยข้อมูลตามแบบวัด OIT ข้อที่หน่วยงานมักไม่ผ่าน", "local-promotion", 90)], start=1):
            services.save_session(actor=None, event=event, changes={
                "order": order, "topic": topic, "speaker_office": _office(province, office),
                "duration_minutes": minutes, "break_after_minutes": 15 if order == 1 else 0})
    if not event.invitations.exists():
        agencies = Agency.objects.filter(pk__in=group.members.values("agency_id"))
        services.invite(actor=None, event=event, agencies=agencies, quota=2, target_group=group)
    return project


def load(province, round) -> None:
    _workshop(province, round)
    _coaching(province, round)
