"""``itadesk agencies import FILE`` and ``itadesk agencies export FILE``: the agency list as XLSX/CSV."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from itadesk.core.names import province_names
from itadesk.core.tabular import ImportRefused
from itadesk.registry.importing import apply_agency_import, export_agencies, plan_agency_import
from itadesk.registry.models import Agency, Province


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def get_province(code: str | None) -> Province:
    """The province with this DOPA code (or Thai/English name); the only one if no code is given."""
    if code:
        province = (Province.objects.filter(code=code.strip()).first()
                    or Province.objects.filter(name_th=code.strip()).first()
                    or Province.objects.filter(name_en__iexact=code.strip()).first())
        if province is None:
            raise CommandError(f"ไม่พบจังหวัด '{code}' / no province '{code}'")
        return province
    provinces = list(Province.objects.all()[:2])
    if len(provinces) == 1:
        return provinces[0]
    if not provinces:
        raise CommandError("ยังไม่มีจังหวัดในระบบ / there is no province yet")
    choices = ", ".join(f"{p.code} {p.name_th}" for p in Province.objects.all())
    raise CommandError(f"มีหลายจังหวัด กรุณาระบุ --province ({choices}) / "
                       f"there are several provinces: give --province ({choices})")


def get_actor(username: str | None):
    if not username:
        return None
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"ไม่พบผู้ใช้ '{username}' / no user '{username}'") from exc


def read_file(path: str) -> tuple[bytes, str]:
    try:
        return Path(path).read_bytes(), Path(path).name
    except OSError as exc:
        raise CommandError(f"อ่านไฟล์ {path} ไม่ได้ / cannot read {path}: {exc.strerror}") from exc


def export_format(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise CommandError(f"ชื่อไฟล์ต้องลงท้ายด้วย .xlsx หรือ .csv / the file name must end in .xlsx or .csv: {path}")
    return suffix[1:]


class Command(BaseCommand):
    help = "Import or export the agency list of a province (XLSX or CSV). / นำเข้าหรือส่งออกรายชื่อหน่วยงาน"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        imp = sub.add_parser("import", help="check a file and import it (all or nothing)")
        imp.add_argument("file", help=".xlsx or .csv file")
        imp.add_argument("--province", help="DOPA code of the province (default: the only province)")
        imp.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        imp.add_argument("--user", help="username recorded in the history (default: system)")
        imp.add_argument("--show-changes", action="store_true", help="list every row that creates or changes something")
        exp = sub.add_parser("export", help="write the agencies to a file (format from the extension)")
        exp.add_argument("file", help=".xlsx or .csv file to write")
        exp.add_argument("--province", help="DOPA code of the province (default: the only province)")

    def handle(self, *args, action, file, province=None, dry_run=False, user=None, **options):
        province = get_province(province)
        if action == "export":
            return self.export(file, province)
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_agency_import(data=data, filename=name, province=province)
        self.stdout.write(f"ไฟล์ {name} {province_names(province.name_th).name} / file {name}, {province.name_en or province.name_th}")
        self.stdout.write(plan.summary())
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้นำเข้าข้อมูลใด ๆ / "
                               f"{plural(len(plan.errors), 'error')}: nothing was imported")
        if options.get("show_changes") or options.get("verbosity", 1) >= 2:
            for planned in plan.creates:
                self.stdout.write(f"+ แถว/row {planned.row}: {planned.name}")
            for planned in plan.updates:
                fields = ", ".join(planned.changes)
                self.stdout.write(f"~ แถว/row {planned.row}: {planned.name} ({fields})")
        if dry_run:
            self.stdout.write("ทดลองตรวจเท่านั้น ไม่ได้บันทึกข้อมูล / dry run: nothing was written")
            return
        try:
            result = apply_agency_import(actor=actor, plan=plan)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))

    def export(self, file: str, province: Province):
        fmt = export_format(file)
        count = export_agencies(file, Agency.objects.filter(province=province), fmt)
        noun = "agency" if count == 1 else "agencies"
        self.stdout.write(self.style.SUCCESS(f"ส่งออก {count} หน่วยงานไปที่ {file} / exported {count} {noun} to {file}"))
