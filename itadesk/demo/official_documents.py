"""Demo of the official documents: the province office's registers and the seed's letter ที่ ลย ๐๐๑๗.๕/ว ๘๗๒ of
๒๗ ธันวาคม ๒๕๖๗, which sent the minutes of the meeting of 24 Dec 2567 to the seven recipients of its
distribution list. Written through the documents' services (so it has its history); running it again
changes nothing.

The register was already in use on paper that year, so its numbering continues after ๘๗๑ (the service
``set_last_number``) and the letter takes ๘๗๒ when it is issued."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from itadesk.committee.models import Meeting
from itadesk.demo.meetings import DATE, TITLE
from itadesk.documents import services
from itadesk.documents.models import DocumentRegister, IssuedDocument

CIRCULAR_PREFIX = "ลย ๐๐๑๗.๕/ว"
LETTER_PREFIX = "ลย ๐๐๑๗.๕/"
OFFICE = "สำนักงานจังหวัดเลย"
ADDRESS = "ศาลากลางจังหวัดเลย\nถนนมลิวรรณ ลย ๔๒๐๐๐"
CONTACT = "สำนักงานจังหวัด\nกลุ่มงานบริหารทรัพยากรบุคคล\nโทร ๐-๔๒๘๑-๑๒๓๔"
LETTER_DATE = dt.date(2024, 12, 27)  # ๒๗ ธันวาคม ๒๕๖๗
LETTER_NUMBER = 872

_ITA = "คณะกรรมการกำกับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) จังหวัดเลย"
SUBJECT = (f"รายงานการประชุม{_ITA} และการมอบหมายภารกิจในการกำกับติดตามการประเมินคุณธรรมฯ")
REFERENCE = "หนังสือจังหวัดเลย ด่วนที่สุด ที่ ลย ๐๐๑๗.๕/ว ๘๑๓๗ ลงวันที่ ๑๘ ธันวาคม ๒๕๖๗"
ENCLOSURES = ("รายงานการประชุมคณะกรรมการกำกับการประเมินคุณธรรมฯ จำนวน ๑ ชุด\n"
              "บัญชีมอบหมายภารกิจในการกำกับติดตามการประเมินคุณธรรมฯ จำนวน ๑ ชุด")
BODY = (
    f"ตามที่จังหวัดเลย ได้เชิญท่านเข้าประชุม{_ITA} เพื่อร่วมกันกำหนดนโยบาย และกรอบแนวทาง "
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) จังหวัดเลย ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ "
    "เมื่อวันที่ ๒๔ ธันวาคม ๒๕๖๗ เวลา ๑๔.๓๐ น. ณ ห้องประชุมภูสวนทราย ชั้น ๒ ศาลากลางจังหวัดเลย นั้น\n\n"
    "บัดนี้ ฝ่ายเลขานุการคณะกรรมการฯ ได้จัดทำรายงานการประชุมดังกล่าว เสร็จเรียบร้อยแล้ว "
    f"จึงขอส่งรายงานการประชุม{_ITA} รายละเอียดตามสิ่งที่ส่งมาด้วย ๑ "
    "และบัญชีมอบหมายภารกิจในการกำกับติดตามการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "จังหวัดเลย ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ รายละเอียดตามสิ่งที่ส่งมาด้วย ๒ "
    "มาเพื่อพิจารณาดำเนินการตามมติที่ประชุมดังกล่าว ทั้งนี้ หากท่านมีความประสงค์จะแก้ไขรายงานการประชุมฯ "
    "กรุณาติดต่อกลุ่มงานบริหารทรัพยากรบุคคล สำนักงานจังหวัดเลย")
CLOSING = "จึงเรียนมาเพื่อพิจารณาดำเนินการต่อไป"
SIGNER = "(นายประยูร อริญฺฐ)"
SIGNER_POSITION = "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน\nผู้ว่าราชการจังหวัดเลย"

# บัญชีส่งหนังสือ as in the seed (the seed's list heading misprints the number as ว๗๗๒).
RECIPIENTS = [
    ("รองผู้ว่าราชการจังหวัดเลย (นายประยูร อรัญรุท)", "ศาลากลางจังหวัดเลย"),
    ("หัวหน้าสำนักงานจังหวัดเลย", "ศาลากลางจังหวัดเลย"),
    ("ปลัดจังหวัดเลย", "ที่ทำการปกครองจังหวัดเลย ศาลากลางจังหวัดเลย"),
    ("ท้องถิ่นจังหวัดเลย", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย"),
    ("ผู้อำนวยการสำนักงาน ป.ป.ช. ประจำจังหวัดเลย", "สำนักงาน ป.ป.ช. ประจำจังหวัดเลย"),
    ("ผู้อำนวยการกลุ่มงานบริหารทรัพยากรบุคคล สำนักงานจังหวัดเลย", "ศาลากลางจังหวัดเลย"),
    ("ผู้อำนวยการกลุ่มงานกฎหมายฯ สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย",
     "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย"),
]


def _register(province, prefix: str, name: str) -> DocumentRegister:
    register = DocumentRegister.objects.filter(province=province, prefix=prefix).first()
    if register is not None:
        return register
    return services.save_register(actor=None, province=province, changes={
        "name": name, "prefix": prefix, "reset": DocumentRegister.Reset.CALENDAR_YEAR, "office_name": OFFICE,
        "office_address": ADDRESS, "contact": CONTACT, "is_active": True})


@transaction.atomic
def load(province, round=None) -> IssuedDocument | None:
    """The registers and the letter ว ๘๗๒ (once); returns the letter."""
    circular = _register(province, CIRCULAR_PREFIX, "หนังสือเวียน (ภายนอก) สำนักงานจังหวัดเลย")
    _register(province, LETTER_PREFIX, "หนังสือส่งภายนอก สำนักงานจังหวัดเลย")
    year = services.period_of(circular, LETTER_DATE)
    existing = IssuedDocument.objects.filter(register=circular, year=year, number=LETTER_NUMBER).first()
    if existing is not None:
        return existing
    meeting = Meeting.objects.filter(province=province, date=DATE, title=TITLE).first()
    services.set_last_number(actor=None, register=circular, year=year, last_number=LETTER_NUMBER - 1)
    document = services.save_document(actor=None, province=province, changes={
        "register": circular, "kind": IssuedDocument.Kind.MINUTES if meeting else IssuedDocument.Kind.LETTER,
        "meeting": meeting, "date": LETTER_DATE, "urgency": "", "subject": SUBJECT, "addressee": "ตามบัญชีแนบท้าย",
        "reference": REFERENCE, "enclosures": ENCLOSURES, "body": BODY, "closing": CLOSING, "signer_name": SIGNER,
        "signer_position": SIGNER_POSITION, "contact": CONTACT,
        "recipients": [{"name": n, "address": a} for n, a in RECIPIENTS]})
    return services.issue_document(actor=None, document=document, date=LETTER_DATE)
