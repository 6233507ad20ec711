"""``itadesk report monitoring --office CODE [--meeting ID] --out FILE.pdf|.docx|.xlsx [--at ISO-DATETIME]``:
a supervising office's monitoring report built from the data as it stood at ``--at`` (default: now;
a time without a zone is Bangkok time). ``--province CODE`` instead of ``--office`` gives the
province-wide summary; with ``--office`` it picks the province when offices of several provinces share
the code. The round is the meeting's round, else the province's current round.

Exit status 0 when the file is written; 2 for bad arguments (unknown office, province or meeting,
unsupported file type, a cut-off that is not a date and time)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from itadesk.committee.models import Meeting
from itadesk.core.names import province_names
from itadesk.core.thai import BANGKOK
from itadesk.registry.models import Province, SupervisingOffice
from itadesk.reports import build, render, selectors

EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def parse_at(text: str | None) -> dt.datetime:
    if not text:
        return timezone.now()
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise _usage_error(f"--at: '{text}' ไม่ใช่วันเวลา (เช่น 2025-02-05T10:00 หรือ 2025-02-05T10:00+07:00) / "
                           f"'{text}' is not a date and time (e.g. 2025-02-05T10:00 or 2025-02-05T10:00+07:00)") from None
    return value.replace(tzinfo=BANGKOK) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = "Monitoring report of a supervising office (or the province summary) as PDF, DOCX or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["monitoring"], help="the report: monitoring")
        parser.add_argument("--office", metavar="CODE", help="the supervising office's short code")
        parser.add_argument("--province", metavar="CODE", help="the province's code (alone: the province summary)")
        parser.add_argument("--meeting", metavar="ID", help="the committee meeting the report is for")
        parser.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf, FILE.docx or FILE.xlsx")
        parser.add_argument("--at", metavar="ISO-DATETIME", help="the cut-off (default: now; Bangkok time)")

    def handle(self, *args, kind, office, province, meeting, out, at, **options):
        path = Path(out)
        fmt = EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            raise _usage_error(f"ไม่รองรับไฟล์ชนิด '{path.suffix or path.name}' (ใช้ .pdf .docx หรือ .xlsx) / "
                               f"unsupported file type '{path.suffix or path.name}' (use .pdf, .docx or .xlsx)")
        if not office and not province:
            raise _usage_error("ระบุ --office (รายงานของหน่วยงานกำกับติดตาม) หรือ --province (ภาพรวมจังหวัด) / "
                               "give --office (an office's report) or --province (the province summary)")
        cut_off = parse_at(at)
        the_meeting = None
        if meeting:
            the_meeting = (Meeting.objects.filter(pk=int(meeting)).select_related("province", "round").first()
                           if meeting.strip().isdigit() else None)
            if the_meeting is None:
                raise _usage_error(f"ไม่พบการประชุมหมายเลข '{meeting}' / no meeting with id '{meeting}'")
        the_province = None
        if province:
            the_province = Province.objects.filter(code=province.strip()).first()
            if the_province is None:
                raise _usage_error(f"ไม่พบจังหวัดรหัส '{province}' / no province with code '{province}'")
        elif the_meeting is not None:
            the_province = the_meeting.province
        if the_meeting is not None and the_province is not None and the_meeting.province_id != the_province.pk:
            raise _usage_error(f"การประชุม '{meeting}' ไม่ใช่ของ{province_names(the_province.name_th).name} / "
                               f"meeting '{meeting}' is not in province {the_province.code}")
        the_office = None
        if office:
            offices = SupervisingOffice.objects.filter(code=office.strip())
            if the_province is not None:
                offices = offices.filter(province=the_province)
            found = list(offices.select_related("province")[:2])
            if not found:
                raise _usage_error(f"ไม่พบหน่วยงานกำกับติดตามรหัส '{office}' / no supervising office with code '{office}'")
            if len(found) > 1:
                raise _usage_error(f"มีหน่วยงานกำกับติดตามรหัส '{office}' มากกว่าหนึ่งจังหวัด ระบุ --province ด้วย / "
                                   f"several provinces have an office '{office}': add --province")
            the_office = found[0]
            the_province = the_office.province
        round_ = the_meeting.round if the_meeting is not None and the_meeting.round_id else None
        if round_ is None:
            round_ = selectors.current_round(the_province)
        if round_ is None:
            raise _usage_error(f"{province_names(the_province.name_th).name} ยังไม่มีรอบการประเมิน / "
                               f"province {the_province.code} has no round")
        data = build.monitoring(round_, the_office, cut_off, meeting=the_meeting)
        for warning in data["warnings"]:  # also printed at the top of the report
            self.stderr.write(f"คำเตือน: {warning} / warning: the cut-off is after the meeting's date")
        body = render.render(data, fmt)
        path.write_bytes(body)
        self.stdout.write(f"{path} ({len(body):,} bytes)")
