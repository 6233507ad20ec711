"""``itadesk agencies import FILE`` and ``itadesk agencies export FILE``: the agency list as XLSX/CSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.names import province_names
from itadesk.core.tabular import ImportRefused
from itadesk.registry.cli import export_format, get_actor, get_province, plural, read_file
from itadesk.registry.importing import apply_agency_import, export_agencies, plan_agency_import
from itadesk.registry.models import Agency, Province


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
