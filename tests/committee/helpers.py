"""A small committee and meeting for the committee tests."""

from __future__ import annotations

import datetime as dt

from itadesk.committee import services
from itadesk.committee.models import CommitteeMember


def make_members(w) -> list[CommitteeMember]:
    roles = [("นายประธาน ทดสอบ", "รองผู้ว่าราชการจังหวัด", "chair"),
             ("นางกรรมการ หนึ่ง", "ท้องถิ่นจังหวัด", "member"),
             ("นายเลขา สอง", "ผอ. กลุ่มงานบริหารทรัพยากรบุคคล", "secretary")]
    return [services.save_member(actor=w.secretariat, province=w.province,
                                 changes={"name": n, "position": p, "committee_role": r}) for n, p, r in roles]


def make_meeting(w, *, date=dt.date(2024, 12, 24), number="ครั้งที่ ๑/๒๕๖๘", items=True):
    members = list(CommitteeMember.objects.filter(province=w.province)) or make_members(w)
    meeting = services.save_meeting(actor=w.secretariat, province=w.province, changes={
        "number": number, "date": date, "scheduled_time": dt.time(14, 30), "place": "ห้องประชุมภูสวนทราย",
        "chair": members[0], "round": w.round})
    if items:
        services.save_item(actor=w.secretariat, meeting=meeting, changes={
            "section": 1, "number": "", "body": "ประธานแจ้งให้ทราบ"})
        services.save_item(actor=w.secretariat, meeting=meeting, changes={
            "section": 3, "number": "3.1", "title": "หลักเกณฑ์", "presenter": "เจ้าหน้าที่ ป.ป.ช.",
            "presenter_office": w.nacc, "resolution_kind": "acknowledged"})
    return meeting
