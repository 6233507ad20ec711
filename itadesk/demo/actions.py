"""The seed meeting's resolutions as action items, and the offices' problems and obstacles, for the
demonstration.

From the minutes of 24 Dec 2567, agenda item 4.1 (resolutions (1) and (2) of the discussion):

1. every local government appoints an ITA working committee chaired by its top executive; the
   local-government promotion office follows it up and reports at the next meeting: a request to all
   101 local governments, tracked per agency. The minutes set no date ("at the next meeting"), so the
   item has no due date;
2. the same office holds a coaching meeting for the 21 agencies that need help before 31 Jan 2568: a task
   of the office with that due date.

Invented, and marked ``DEMO_MARKER`` in every text: which local governments answered and when (a stable
hash of each one's DLA code decides), the coaching meeting's outcome, and the problems each office
recorded (drawn from what the seed says each office does). Dates are set back in FY2568 so that the
monitoring report at a cut-off shows a history. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from itadesk.committee import selectors, services
from itadesk.committee.models import ActionItem, Meeting, Problem
from itadesk.core.thai import bangkok_datetime
from itadesk.demo.meetings import DATE, TITLE
from itadesk.demo.seed import COACHING_DLA_CODES
from itadesk.registry.models import Agency, SupervisingOffice

MARK = "[ข้อมูลสาธิต]"
_ITA = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"

WORKING_COMMITTEE_TITLE = (f"แต่งตั้งคณะทำงาน{_ITA} ในองค์กรปกครองส่วนท้องถิ่นทุกแห่ง "
                           "โดยมีผู้บริหารสูงสุดของหน่วยงานเป็นประธานคณะทำงาน")
WORKING_COMMITTEE_DETAIL = (
    f"ให้องค์กรปกครองส่วนท้องถิ่นทุกแห่งแต่งตั้งคณะทำงาน{_ITA} โดยมีผู้บริหารสูงสุดของหน่วยงานเป็นประธานคณะทำงาน "
    "และให้ทุกภาคส่วนของหน่วยงานเข้ามาเป็นคณะทำงาน เพื่อขับเคลื่อนการประเมินคุณธรรมฯ ให้เกิดผลอย่างมีประสิทธิภาพ "
    "โดยมอบหมายให้สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย กำกับและติดตามให้องค์กรปกครองส่วนท้องถิ่นทุกแห่ง"
    "ดำเนินการแต่งตั้งคณะกรรมการประเมินคุณธรรมฯ และรายงานข้อมูลดังกล่าวให้คณะกรรมการฯ ทราบในคราวประชุมครั้งต่อไป "
    "(มติที่ประชุม วาระที่ ๔.๑ ข้อ ๑) หน่วยงานแนบคำสั่งแต่งตั้งคณะทำงานและแจ้งดำเนินการแล้วในระบบ")
COACHING_TITLE = (f"จัดประชุมให้คำแนะนำและซักซ้อมทำความเข้าใจแนวทาง{_ITA} สำหรับปีงบประมาณ พ.ศ. ๒๕๖๘ "
                  "แก่หน่วยงานที่ต้องได้รับการช่วยเหลือ ๒๑ หน่วยงาน")
COACHING_DETAIL = (
    "เชิญผู้บริหารและเจ้าหน้าที่ผู้ทำหน้าที่เป็นแอดมินของหน่วยงานที่ไม่ผ่านการประเมินคุณธรรมฯ ในปีงบประมาณ พ.ศ. ๒๕๖๗ "
    "และหน่วยงานที่ผ่านการประเมินแต่มีค่าคะแนนตามแบบวัดการเปิดเผยข้อมูลสาธารณะไม่ผ่านเกณฑ์ รวม ๒๑ หน่วยงาน "
    "มาร่วมประชุม และแจ้งสำนักงาน ป.ป.ช. ประจำจังหวัดเลย และสำนักงานจังหวัดเลยเข้าร่วมประชุมด้วย "
    "ให้แล้วเสร็จก่อนกำหนดระบุและอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสีย (ภายในวันที่ ๓๑ มกราคม ๒๕๖๘) "
    "(มติที่ประชุม วาระที่ ๔.๑ ข้อ ๒)\n\nหน่วยงาน: {agencies}")
COACHING_DUE = dt.date(2025, 1, 31)

# Problems and obstacles per office code: (title, detail, since, what was done, request, agency DLA codes,
# resolved on (Bangkok date) or None). Invented for the demonstration from the offices' missions.
PROBLEMS = {
    "nacc": [
        ("หน่วยงานที่ต้องได้รับการช่วยเหลือยังเปิดเผยข้อมูลตามแบบวัด OIT ไม่ครบองค์ประกอบ",
         "ผลการตรวจข้อมูลก่อนตอบในระบบ ITAS พบว่าหลายหน่วยงานเผยแพร่ข้อมูลไม่ครบองค์ประกอบตามหลักเกณฑ์ "
         "โดยเฉพาะข้อมูลที่ต้องเป็นปีงบประมาณปัจจุบัน",
         dt.date(2025, 2, 10),
         "จัดทำตัวอย่างการเปิดเผยข้อมูลตามแบบวัด OIT และแจ้งผลการตรวจเป็นรายข้อแก่หน่วยงาน",
         "ขอให้คณะกรรมการฯ กำชับผู้บริหารของหน่วยงานให้ตรวจสอบและอนุมัติข้อมูลก่อนตอบในระบบ ITAS",
         ("06420307", "06421002", "06420806"), None),
        ("ผู้ดูแลระบบ ITAS ของหน่วยงานเปลี่ยนตัวระหว่างปี ทำให้ระบุข้อมูลผู้มีส่วนได้ส่วนเสียล่าช้า",
         "หน่วยงานบางแห่งแจ้งว่าเจ้าหน้าที่ผู้ดูแลระบบย้ายหรือโอน และผู้รับผิดชอบใหม่ยังไม่ได้รับบัญชีผู้ใช้",
         dt.date(2025, 1, 15),
         "ประสานการเปลี่ยนผู้ดูแลระบบและแนะนำขั้นตอนการระบุข้อมูลทางโทรศัพท์",
         "ขอให้หน่วยงานแต่งตั้งผู้ดูแลระบบสำรองไว้อย่างน้อย ๑ คน",
         ("05420303",), dt.date(2025, 1, 30)),
    ],
    "provincial-office": [
        ("การรวบรวมข้อมูลตามแบบวัด OIT ของจังหวัดเลย (ราชการบริหารส่วนภูมิภาค) จากส่วนราชการต่าง ๆ ล่าช้า",
         "ข้อมูลหลายข้อต้องรวบรวมจากส่วนราชการประจำจังหวัด และบางส่วนราชการส่งข้อมูลไม่ทันกำหนด",
         dt.date(2025, 2, 1),
         "มีหนังสือแจ้งเวียนส่วนราชการและติดตามทางโทรศัพท์",
         "ขอให้คณะกรรมการฯ แจ้งหัวหน้าส่วนราชการประจำจังหวัดมอบหมายผู้รับผิดชอบข้อมูลแต่ละข้อ",
         (), None),
    ],
    "local-promotion": [
        ("องค์กรปกครองส่วนท้องถิ่นบางแห่งยังไม่แต่งตั้งคณะทำงาน ITA ตามมติที่ประชุม",
         "ณ วันที่รายงาน ยังมีองค์กรปกครองส่วนท้องถิ่นที่ยังไม่ส่งคำสั่งแต่งตั้งคณะทำงาน "
         "(ดูรายชื่อในงานที่ต้องติดตาม)",
         dt.date(2025, 1, 20),
         "มีหนังสือเร่งรัดถึงองค์กรปกครองส่วนท้องถิ่นและติดตามผ่านท้องถิ่นอำเภอ",
         "ขอให้คณะกรรมการฯ มีหนังสือจากจังหวัดกำชับผู้บริหารท้องถิ่นที่ยังไม่ดำเนินการ",
         (), None),
        ("เว็บไซต์ขององค์กรปกครองส่วนท้องถิ่นบางแห่งเปิดไม่ได้เป็นระยะ ทำให้ตรวจข้อมูล OIT ไม่ได้",
         "พบเว็บไซต์หมดอายุโดเมนหรือผู้ให้บริการปิดปรับปรุง ในช่วงที่ต้องเผยแพร่ข้อมูล",
         dt.date(2025, 3, 5),
         "แจ้งหน่วยงานให้ตรวจสอบสัญญาผู้ให้บริการและต่ออายุโดเมน",
         "ขอรับทราบ และขอให้ สำนักงาน ป.ป.ช. ประจำจังหวัดเลย ตรวจซ้ำหลังหน่วยงานแก้ไข",
         ("06420406", "06421005"), None),
    ],
    "provincial-administration": [
        ("อำเภอบางแห่งได้ผู้ตอบแบบวัด EIT น้อยในพื้นที่ห่างไกล",
         "ผู้รับบริการในพื้นที่ห่างไกลเข้าถึงอินเทอร์เน็ตได้จำกัด ทำให้จำนวนผู้ตอบยังไม่ถึงขนาดตัวอย่างขั้นต่ำ",
         dt.date(2025, 5, 15),
         "ให้อำเภอตั้งจุดบริการตอบแบบวัดด้วย QR Code ที่ที่ว่าการอำเภอ",
         "ขอให้คณะกรรมการฯ ประชาสัมพันธ์ลิงก์และ QR Code แบบวัดผ่านช่องทางของจังหวัด",
         (), None),
    ],
}


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def _when(key: str, first_day: int, days: int, hour_from: int = 9) -> dt.datetime:
    """A stable Bangkok working time in January–February 2568 from a key."""
    h = _hash(key)
    day = dt.date(2025, 1, first_day) + dt.timedelta(days=h % days)
    return bangkok_datetime(day.year + 543, day.month, day.day, hour_from + (h // 7) % 7, (h // 3) % 60)


@transaction.atomic
def load(province, round) -> None:
    meeting = Meeting.objects.filter(province=province, date=DATE, title=TITLE).first()
    offices = {o.code: o for o in SupervisingOffice.objects.filter(province=province)}
    local = offices.get("local-promotion")
    if meeting is None or local is None:
        return
    item = meeting.items.filter(number="4.1").first()
    created = bangkok_datetime(2567, 12, 25, 10)
    if not ActionItem.objects.filter(province=province, meeting=meeting, title=WORKING_COMMITTEE_TITLE).exists():
        agencies, description = selectors.resolve_agencies(province, mode="kind", kind="local")
        action = services.create_action(actor=None, province=province, agencies=agencies,
                                        targets_description=description, at=created, changes={
                                            "kind": ActionItem.Kind.AGENCIES, "title": WORKING_COMMITTEE_TITLE,
                                            "detail": WORKING_COMMITTEE_DETAIL, "office": local, "due_date": None,
                                            "meeting": meeting, "agenda_item": item})
        _answers(action)
    if not ActionItem.objects.filter(province=province, meeting=meeting, title=COACHING_TITLE).exists():
        names = list(Agency.objects.filter(province=province, dla_code__in=COACHING_DLA_CODES)
                     .order_by("name_th").values_list("name_th", flat=True))
        action = services.create_action(actor=None, province=province, at=created, changes={
            "kind": ActionItem.Kind.OFFICE, "title": COACHING_TITLE, "office": local, "due_date": COACHING_DUE,
            "meeting": meeting, "agenda_item": item,
            "detail": COACHING_DETAIL.replace("{agencies}", ", ".join(names))})
        services.set_action_status(actor=None, action=action, status="in_progress",
                                   at=bangkok_datetime(2568, 1, 8, 10),
                                   text=f"{MARK} มีหนังสือเชิญผู้บริหารและแอดมินของหน่วยงาน ๒๑ แห่ง")
        services.set_action_status(actor=None, action=action, status="done", at=bangkok_datetime(2568, 1, 28, 16),
                                   text=f"{MARK} จัดประชุมแล้ว หน่วยงานเข้าร่วม ๑๙ แห่ง")
    _problems(province, offices)


def _answers(action) -> None:
    """Invented answers: about two in three local governments sent their order and the office accepted it,
    about one in five sent it and awaits acceptance, two were returned, the rest have not answered. Applied in
    the order they happened, so the timeline reads as it would have."""
    steps = []
    for target in action.targets.select_related("agency").order_by("agency__dla_code", "pk"):
        code = target.agency.dla_code or str(target.agency_id)
        score = _hash(code) % 100
        if score >= 80:
            continue
        sent = _when(f"sent-{code}", 6, 30)
        order = f"{MARK} คำสั่ง{target.agency.name_th} ที่ {score + 1}/๒๕๖๘ แต่งตั้งคณะทำงาน ITA"
        steps.append((sent, target.pk, "submit", order))
        if score < 60:
            steps.append((sent + dt.timedelta(days=2), target.pk, "accept", ""))
        elif score < 62:
            steps.append((sent + dt.timedelta(days=1), target.pk, "return",
                          f"{MARK} คำสั่งยังไม่มีผู้บริหารสูงสุดเป็นประธานคณะทำงาน"))
    targets = {t.pk: t for t in action.targets.all()}
    for at, target_id, step, text in sorted(steps, key=lambda s: (s[0], s[1])):
        services.move_target(actor=None, target=targets[target_id], step=step, text=text, at=at)


def _problems(province, offices) -> None:
    agencies = {a.dla_code: a for a in Agency.objects.filter(province=province, dla_code__isnull=False)}
    for code, rows in PROBLEMS.items():
        office = offices.get(code)
        if office is None:
            continue
        for title, detail, since, done, request, dla_codes, resolved in rows:
            if Problem.objects.filter(office=office, title=title).exists():
                continue
            at = bangkok_datetime(since.year + 543, since.month, since.day, 15)
            problem = services.save_problem(
                actor=None, province=province, at=at, agencies=[agencies[c] for c in dla_codes if c in agencies],
                changes={"office": office, "title": title, "detail": f"{detail} {MARK}", "since": since,
                         "action_taken": done, "request_to_committee": request})
            if resolved:
                services.set_problem_status(actor=None, problem=problem, status="resolved", note=MARK,
                                            at=bangkok_datetime(resolved.year + 543, resolved.month, resolved.day, 15))
