"""The committee's meeting of 24 December 2567 BE, recorded from the seed document (the province's
meeting report sent with letter ลย ๐๐๑๗.๕/ว ๘๗๒ of 27 Dec 2567): attendance, the agenda 1–5 with its
sub-items, presenters, resolutions and times, written through the committee's services so that it
has its history. Running it again changes nothing.

Names are as printed in the report; where the report spells one person in several ways, the
committee list (itadesk/demo/loader.py ``COMMITTEE``) notes the variants and the agenda keeps the
spelling of its own paragraph."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from itadesk.committee import services
from itadesk.committee.models import AgendaItem, CommitteeMember, Meeting, MinutesStatus
from itadesk.demo.seed import OFFICES
from itadesk.registry.models import SupervisingOffice

TITLE = "คณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) จังหวัดเลย"
DATE = dt.date(2024, 12, 24)  # วันอังคารที่ ๒๔ ธันวาคม ๒๕๖๗
PLACE = "ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย"
SCHEDULED, STARTED, ENDED = dt.time(14, 30), dt.time(15, 30), dt.time(16, 30)
MINUTES_TAKER = "(นายพนนทชัย วงษ์ธา)\nนักวิเคราะห์นโยบายและแผนปฏิบัติการ"
MINUTES_CHECKER = "(นายนราวุฒิ รัตน์ง)\nผู้อำนวยการกลุ่มงานบริหารทรัพยากรบุคคล"

# Other attendees (ผู้เข้าร่วมประชุม): name, position.
ATTENDEES = [
    ("นายสันติพงษ์ สวาชาโต", "เจ้าพนักงานป้องกันการทุจริตชำนาญการ"),
    ("นางสาวนิตยา อุตโรกุล", "เจ้าพนักงานป้องกันการทุจริตชำนาญการ"),
    ("นางสาวธารินี ทองสงฆ์", "เจ้าพนักงานป้องกันการทุจริตปฏิบัติการ"),
    ("นางสาวปณิตริกา จันทศร", "ผู้ช่วยนักวิจัย"),
]

_ITA = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
_ITA_EN = f"{_ITA} (Integrity and Transparency Assessment – ITA)"
_SANTIPONG = "นายสันติพงษ์ สวาขาทิ เจ้าพนักงานป้องกันการทุจริตชำนาญการ สำนักงาน ป.ป.ช. ประจำจังหวัดเลย"
_INFO_END = "จึงนำเรียนต่อที่ประชุมเพื่อโปรดทราบ"
_CONSIDER_END = "จึงนำเสนอต่อที่ประชุมเพื่อโปรดพิจารณา"
_WORKSHOP_AGENCIES = (
    "เทศบาลตำบลนาดอกคำ , เทศบาลตำบลน้ำสวย , เทศบาลตำบลหนองหิน , องค์การบริหารส่วนตำบลแก้วเมธิ , "
    "องค์การบริหารส่วนตำบลเชียงคาน , องค์การบริหารส่วนตำบลท่าสวรรค์ , องค์การบริหารส่วนตำบลบุษย , "
    "องค์การบริหารส่วนตำบลภูกระดึง , องค์การบริหารส่วนตำบลหนองหิน , องค์การบริหารส่วนตำบลห้วยบ่อซืน , "
    "องค์การบริหารส่วนตำบลห้วยส้ม , องค์การบริหารส่วนตำบลอาฮี , เทศบาลตำบลธาตุ , องค์การบริหารส่วนตำบลปากตม , "
    "องค์การบริหารส่วนตำบลห้วยพิชัย , เทศบาลตำบลนาอ้อ , องค์การบริหารส่วนตำบลนครหงษ์ , "
    "องค์การบริหารส่วนตำบลนามาลา , องค์การบริหารส่วนตำบลนาหอ , องค์การบริหารส่วนตำบลผาขาว , "
    "องค์การบริหารส่วนตำบลผาสายยอด")

ANNOUNCEMENT = (
    "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) ได้ดำเนินการประเมินคุณธรรมและ"
    "ความโปร่งใสการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment – ITA) เป็นประจำทุกปี "
    "โดยกำหนดตัวชี้วัดร้อยละของหน่วยงานที่ผ่านเกณฑ์การประเมินฯ ค่าเป้าหมาย พ.ศ. ๒๕๖๖ – ๒๕๗๐ คือ "
    "ร้อยละของหน่วยงานภาครัฐที่เข้าร่วมการประเมินร้อยละ ๑๐๐ จะต้องผ่านการประเมินฯ โดยมีคะแนน ๘๕ คะแนนขึ้นไป\n\n"
    "เพื่อให้การประเมินคุณธรรมและความโปร่งใสการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency "
    "Assessment – ITA) ในปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๗๐ เป็นไปด้วยความเรียบร้อย บรรลุผลสำเร็จอย่างมีประสิทธิภาพ "
    "ประสิทธิผล และยกระดับคะแนนการประเมินฯ จังหวัดเลยจึงได้มีคำสั่งจังหวัดเลยที่ ๔๒๓๙/๒๕๖๗ ลงวันที่ ๑๒ พฤศจิกายน "
    "๒๕๖๗ แต่งตั้งคณะกรรมการกำกับการประเมินคุณธรรม และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "จังหวัดเลย และได้เชิญคณะกรรมการฯ มาประชุมในวันนี้")

# (section, number, title, presenter, office code, body, resolution kind, resolution text)
AGENDA = [
    (1, "", "", "ประธานกรรมการ", None, ANNOUNCEMENT, "", ""),
    (3, "3.1", f"หลักเกณฑ์และปฏิทิน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", _SANTIPONG, "nacc",
     f"{_SANTIPONG} ได้ชี้แจงหลักเกณฑ์และปฏิทิน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ "
     f"โดยมีรายละเอียดตาม QR - CODE ที่แนบมาพร้อมนี้\n\n{_INFO_END}",
     AgendaItem.Resolution.ACKNOWLEDGED, "รับทราบ"),
    (3, "3.2", f"ผลการวิเคราะห์คะแนน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ "
               f"ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ จังหวัดเลย", _SANTIPONG, "nacc",
     f"{_SANTIPONG} ได้รายงานผลการวิเคราะห์คะแนน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ "
     f"ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ จังหวัดเลย โดยมีรายละเอียดตาม QR - CODE ที่แนบมาพร้อมนี้"
     f"\n\n{_INFO_END}",
     AgendaItem.Resolution.ACKNOWLEDGED, "รับทราบ"),
    (3, "3.3", f"การดำเนินโครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ "
               f"จังหวัดเลย",
     "นายอนุชา รัตน์ ผู้อำนวยการกลุ่มงานบริหารทรัพยากรบุคคล สำนักงานจังหวัดเลย", "provincial-office",
     f"นายอนุชา รัตน์ ผู้อำนวยการกลุ่มงานบริหารทรัพยากรบุคคล สำนักงานจังหวัดเลย ได้แจ้งว่า "
     f"สำนักงานจังหวัดเลยได้เสนอโครงการเพื่อขอรับการสนับสนุนงบประมาณจากกระทรวงมหาดไทยตามแผนงานบูรณาการ"
     f"ป้องกันปราบปรามการทุจริตและประพฤติมิชอบ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ โครงการขับเคลื่อนเพื่อพัฒนาและ"
     f"ยกระดับคะแนน{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย งบประมาณจำนวน ๙๐,๐๐๐.- บาท "
     f"(เก้าหมื่นบาทถ้วน) ซึ่งสำนักงานปลัดกระทรวงมหาดไทยได้จัดสรรงบประมาณการดำเนินโครงการให้จังหวัดเรียบร้อยแล้ว "
     f"โดยสำนักงานจังหวัดเลยได้กำหนดจัดโครงการดังกล่าวในห้วงเดือนมกราคม ๒๕๖๘ เป็นระยะเวลาจำนวน ๑ วัน "
     f"เพื่อซักซ้อมทำความเข้าใจถึงแนวทาง{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ ซึ่งแจ้งทำความเข้าใจรายละเอียด"
     f"ตัวชี้วัด{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ มีกลุ่มเป้าหมายคือบุคลากรจากหน่วยงานราชการส่วนภูมิภาค "
     f"และองค์กรปกครองส่วนท้องถิ่นทุกระดับชั้น จำนวนทั้งสิ้น ๑๖๐ คน ทั้งนี้ เพื่อร่วมกันวางแผนและขับเคลื่อน"
     f"เพื่อพัฒนาและยกระดับคะแนน{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ โดยหน่วยงานภาครัฐที่เข้าร่วมการประเมิน"
     f"คุณธรรมฯ จังหวัดเลย สามารถผ่านเกณฑ์การประเมิน คิดเป็นร้อยละ ๑๐๐\n\n{_INFO_END}",
     AgendaItem.Resolution.ACKNOWLEDGED, "รับทราบ"),
    (4, "4.1", f"การมอบหมายภารกิจในการกำกับและติดตาม{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย",
     "นายอนุชา รัตน์ นักวิเคราะห์นโยบายและแผนปฏิบัติการ สำนักงานจังหวัดเลย", "provincial-office",
     None,  # built from the offices' missions (see _missions_body)
     AgendaItem.Resolution.APPROVED, "เห็นชอบตามที่เสนอ"),
    (4, "4.2", f"การกำหนดหัวข้อการประชุมเชิงปฏิบัติการโครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน{_ITA} (ITA) "
               f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย",
     "นายณนทชัย วงษ์ธา นักวิเคราะห์นโยบายและแผนปฏิบัติการ สำนักงานจังหวัดเลย", "provincial-office",
     f"นายณนทชัย วงษ์ธา นักวิเคราะห์นโยบายและแผนปฏิบัติการ สำนักงานจังหวัดเลย ได้เสนอต่อที่ประชุมว่า "
     f"ตามที่สำนักงานจังหวัดเลย ได้มีกำหนดจัดโครงการขับเคลื่อนเพื่อพัฒนาและยกระดับคะแนน{_ITA} (ITA) "
     f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย ในห้วงเดือนมกราคม ๒๕๖๘ โดยมีกำหนดระยะเวลา ๑ วัน "
     f"เพื่อซักซ้อมทำความเข้าใจถึงแนวทาง{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ ซึ่งแจ้งทำความเข้าใจรายละเอียด"
     f"ตัวชี้วัด{_ITA} (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ มีกลุ่มเป้าหมายคือบุคลากรจากหน่วยงานราชการส่วนภูมิภาค"
     f"และองค์กรปกครองส่วนท้องถิ่นทุกระดับชั้น จำนวนทั้งสิ้น ๑๖๐ คน นั้น ในการนี้ สำนักงานจังหวัดเลยได้กำหนด"
     f"หัวข้อการประชุมเชิงปฏิบัติการฯ ซึ่งมีประเด็นดังต่อไปนี้\n\n"
     f"๑) หลักเกณฑ์และปฏิทิน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (บรรยายโดยวิทยากรจากสำนักงาน ป.ป.ช. "
     f"ประจำจังหวัดเลย ระยะเวลา ๑ ชั่วโมง ๓๐ นาที)\n\n"
     f"๒) หลักเกณฑ์และองค์ประกอบของข้อมูลตามแบบวัดการเปิดเผยข้อมูลสาธารณะ (แบบวัด OIT) สำหรับ{_ITA_EN} "
     f"ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (บรรยายโดยวิทยากรจากสำนักงาน ป.ป.ช. ประจำจังหวัดเลย ระยะเวลา ๑ ชั่วโมง ๓๐ นาที)\n\n"
     f"๓) การถอดบทเรียน{_ITA_EN} ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ "
     f"จังหวัดเลย (บรรยายโดยวิทยากรจากสำนักงาน ป.ป.ช. ประจำจังหวัดเลย ระยะเวลา ๑ ชั่วโมง ๓๐ นาที)\n\n"
     f"๔) การแลกเปลี่ยนเรียนรู้{_ITA_EN} ของหน่วยงานภาครัฐที่เข้าร่วมการประเมินคุณธรรมฯ จังหวัดเลย "
     f"(ดำเนินการโดยวิทยากรจากสำนักงาน ป.ป.ช. ประจำจังหวัดเลย ระยะเวลา ๑ ชั่วโมง ๓๐ นาที)\n\n{_CONSIDER_END}",
     AgendaItem.Resolution.APPROVED, "เห็นชอบตามที่เสนอ"),
]

_DISCUSSION_41 = (
    "ที่ประชุม\n\n"
    "นายสันติพงษ์ สวาขาท เจ้าพนักงานป้องกันการทุจริตชำนาญการ สำนักงาน ป.ป.ช. ประจำจังหวัดเลย "
    "ได้เสนอต่อที่ประชุมเพื่อพิจารณาเพิ่มเติม ดังนี้\n\n"
    f"๑) เห็นควรให้มีการแต่งตั้งคณะกรรมการ{_ITA} (ITA) ขึ้น ในองค์กรปกครองส่วนท้องถิ่นทุกแห่ง "
    "โดยมีผู้บริหารสูงสุดของหน่วยงานเป็นประธานคณะทำงาน และให้ทุกภาคส่วนของหน่วยงานเข้ามาเป็นคณะทำงาน "
    "เพื่อขับเคลื่อนการประเมินคุณธรรมฯ ให้เกิดผลอย่างมีประสิทธิภาพ โดยมอบหมายให้สำนักงานส่งเสริมการปกครองท้องถิ่น"
    "จังหวัดเลย กำกับและติดตามให้องค์กรปกครองส่วนท้องถิ่นทุกแห่งดำเนินการแต่งตั้งคณะกรรมการประเมินคุณธรรมฯ "
    f"และรายงานข้อมูลดังกล่าวให้{TITLE[:-len(' จังหวัดเลย')]} จังหวัดเลย ทราบในคราวประชุมครั้งต่อไป\n\n"
    "๒) เห็นควรมอบหมายให้สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย จัดประชุมเพื่อให้คำแนะนำ "
    f"และซักซ้อมทำความเข้าใจถึงแนวทาง{_ITA} (ITA) สำหรับปีงบประมาณ พ.ศ. ๒๕๖๘ "
    "โดยเชิญผู้บริหารและเจ้าหน้าที่ผู้ทำหน้าที่เป็นแอดมินของหน่วยงานที่ไม่ผ่านการประเมินคุณธรรมฯ "
    "ในปีงบประมาณ พ.ศ. ๒๕๖๗ และหน่วยงานที่ผ่านการประเมินคุณธรรมฯ แต่มีค่าคะแนนตามแบบวัดการเปิดเผยข้อมูลสาธารณะ"
    f"ที่ไม่ผ่านเกณฑ์การประเมินรวมจำนวนทั้งสิ้น ๒๑ หน่วยงาน ได้แก่ {_WORKSHOP_AGENCIES} มาร่วมประชุม "
    "ซึ่งหากได้วันเวลาที่ชัดเจนแล้ว ขอให้แจ้งสำนักงาน ป.ป.ช. ประจำจังหวัดเลย และสำนักงานจังหวัดเลยเข้าร่วมประชุมด้วย "
    "เพื่อจะได้ชี้แจงและทำความเข้าใจถึงแนวทางการประเมินคุณธรรมฯ ให้แก่หน่วยงานที่เข้าร่วมประชุม ทั้งนี้ "
    "ควรที่จะดำเนินการจัดประชุมให้แล้วเสร็จก่อนวันที่หน่วยงานจะต้องดำเนินการระบุและอนุมัติข้อมูลผู้มีส่วนได้ส่วนเสีย"
    "ภายใน และข้อมูลผู้มีส่วนได้ส่วนเสียภายนอก ซึ่งก็คือภายในวันที่ ๓๑ มกราคม ๒๕๖๘")


def _missions_body() -> str:
    thai_numbers = "๑๒๓๔๕๖๗๘๙"
    parts = [
        "นายอนุชา รัตน์ นักวิเคราะห์นโยบายและแผนปฏิบัติการ สำนักงานจังหวัดเลย ได้เสนอต่อที่ประชุมว่า "
        f"สำนักงานจังหวัดเลยได้จัดทำร่างการมอบหมายภารกิจในการกำกับและติดตาม{_ITA} (ITA) "
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ จังหวัดเลย รายละเอียดดังนี้"]
    for index, office in enumerate(OFFICES):
        lines = [f"{thai_numbers[index]}) {office['name_th']} มีภารกิจ"]
        lines += [f"- {text}" for _milestone, text in office.get("missions", [])]
        parts.append("\n".join(lines))
    parts += [_DISCUSSION_41, _CONSIDER_END]
    return "\n\n".join(parts)


@transaction.atomic
def load(province, round=None) -> Meeting:
    """Record the meeting of 24 Dec 2567 (once) and return it."""
    existing = Meeting.objects.filter(province=province, date=DATE, title=TITLE).first()
    if existing is not None:
        return existing
    members = list(CommitteeMember.objects.filter(province=province).order_by("order", "id"))
    if not members:
        raise ValueError("the committee members must be loaded before the meeting")
    offices = {o.code: o for o in SupervisingOffice.objects.filter(province=province)}
    chair = next((m for m in members if m.committee_role == CommitteeMember.CommitteeRole.CHAIR), None)
    meeting = services.save_meeting(actor=None, province=province, changes={
        "round": round, "number": "", "title": TITLE, "date": DATE, "scheduled_time": SCHEDULED,
        "started_time": STARTED, "ended_time": ENDED, "place": PLACE, "online_link": "", "chair": chair,
        "minutes_taker": MINUTES_TAKER, "minutes_checker": MINUTES_CHECKER})
    for member in members:  # all seven members were present (ผู้มาประชุม ๑–๗)
        services.save_attendance(actor=None, meeting=meeting, changes={"member": member, "status": "present"})
    for name, position in ATTENDEES:
        services.save_attendance(actor=None, meeting=meeting, changes={
            "member": None, "status": "attendee", "name": name, "position": position})
    for order, (section, number, title, presenter, office, body, kind, text) in enumerate(AGENDA, start=1):
        services.save_item(actor=None, meeting=meeting, changes={
            "section": section, "number": number, "order": order, "title": title, "presenter": presenter,
            "presenter_office": offices.get(office) if office else None,
            "body": body if body is not None else _missions_body(),
            "resolution_kind": kind, "resolution_text": text})
    # The report was checked and signed (ผู้ตรวจรายงานการประชุม) and sent on 27 Dec 2567; its adoption
    # belongs to the next meeting, which the seed does not contain.
    meeting.refresh_from_db()
    if meeting.minutes_status == MinutesStatus.DRAFT:
        meeting = services.review_minutes(actor=None, meeting=meeting,
                                note="ส่งรายงานการประชุมตามหนังสือ ที่ ลย ๐๐๑๗.๕/ว ๘๗๒ ลงวันที่ ๒๗ ธันวาคม ๒๕๖๗")
    return meeting
