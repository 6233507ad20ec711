"""``itadesk qr --agency ITAS-CODE --instrument iit|eit --out FILE.png|.svg|.pdf [--card] [--fiscal-year 2568]``:
the QR code of an agency's official ITAS questionnaire as PNG or SVG, or its A4 poster (``--card``:
its counter cards, four A6 per A4) as PDF. The fiscal year printed on a PDF is the one of the current
round of the agency's province unless ``--fiscal-year`` is given.

Exit status 0 when the file is written; 2 for bad arguments (unknown ITAS code, instrument or file
type)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.thai import arabic_digits
from itadesk.documents import posters, qr, selectors
from itadesk.registry.models import Agency

EXTENSIONS = (".png", ".svg", ".pdf")


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "QR code (PNG/SVG), A4 poster or counter cards (PDF) of an agency's ITAS questionnaire link."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="ITAS-CODE", help="the agency's ITAS code")
        parser.add_argument("--instrument", required=True, metavar="iit|eit",
                            help="iit (internal stakeholders) or eit (external stakeholders)")
        parser.add_argument("--out", required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.pdf")
        parser.add_argument("--card", action="store_true", help="PDF only: counter cards instead of the poster")
        parser.add_argument("--fiscal-year", metavar="YEAR", help="PDF only: the BE fiscal year to print")
        parser.add_argument("--scale", type=int, default=12, help="PNG/SVG: pixels per module (default 12)")

    def handle(self, *args, agency, instrument, out, card, fiscal_year, scale, **options):
        instrument = instrument.strip().lower()
        if instrument not in qr.INSTRUMENTS:
            raise _usage_error(f"ไม่รู้จักแบบวัด '{instrument}' (ใช้ iit หรือ eit) / "
                               f"unknown instrument '{instrument}' (use iit or eit)")
        path = Path(out)
        ext = path.suffix.lower()
        if ext not in EXTENSIONS:
            raise _usage_error(f"ไม่รองรับไฟล์ชนิด '{ext or path.name}' (ใช้ .png .svg หรือ .pdf) / "
                               f"unsupported file type '{ext or path.name}' (use .png, .svg or .pdf)")
        if card and ext != ".pdf":
            raise _usage_error("--card ใช้กับไฟล์ .pdf เท่านั้น / --card needs a .pdf file")
        if not 1 <= scale <= 100:
            raise _usage_error("--scale ต้องอยู่ระหว่าง 1 ถึง 100 / --scale must be between 1 and 100")
        code = agency.strip()
        found = Agency.objects.filter(itas_code=code).select_related("province").first() if code else None
        if found is None:
            raise _usage_error(f"ไม่พบหน่วยงานที่มีรหัส ITAS '{code}' ในทะเบียน / no agency has ITAS code '{code}'")
        url = qr.itas_url(code, instrument)
        if ext == ".png":
            body = qr.qr_png(url, scale=scale)
        elif ext == ".svg":
            body = qr.qr_svg(url, scale=scale).encode("utf-8")
        else:
            round = selectors.round_for_agency(found)
            year = selectors.fiscal_year(round)
            deadline = selectors.response_deadline(round)
            if fiscal_year:
                try:
                    year = int(arabic_digits(fiscal_year.strip()))
                except ValueError:
                    year = 0
                if not 2500 <= year <= 2700:
                    raise _usage_error(f"ปีงบประมาณ '{fiscal_year}' ไม่ถูกต้อง (เช่น 2568) / "
                                       f"bad fiscal year '{fiscal_year}' (e.g. 2568)")
                if round is None or round.fiscal_year != year:
                    deadline = None
            page = posters.page(agency_name=found.name_th, itas_code=code, instrument=instrument,
                                fiscal_year=year, deadline=deadline)
            body = posters.layout_pdf("card" if card else "poster", [page])
        try:
            path.write_bytes(body)
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ {path} ไม่ได้ / cannot write {path}: {exc.strerror}") from exc
        what = "counter cards" if card else ("poster" if ext == ".pdf" else "QR code")
        self.stdout.write(f"{path}: {what}, {instrument.upper()}, {found.name_th} → {url}")
