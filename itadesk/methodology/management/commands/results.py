"""``itadesk results import FILE`` and ``itadesk results export FILE``: past ITA results."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.tabular import ImportRefused
from itadesk.methodology.importing import apply_results_import, export_results, plan_results_import
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.registry.cli import export_format, get_actor, get_province, read_file


def get_framework(ref: str | None) -> FrameworkVersion | None:
    """``nacc-ita-2568`` (newest version) or ``nacc-ita-2568@2``."""
    if not ref:
        return None
    try:
        fw = FrameworkVersion.find(ref)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if fw is None:
        known = ", ".join(str(f) for f in FrameworkVersion.objects.all()) or "-"
        raise CommandError(f"ไม่พบเกณฑ์ '{ref}' (มี: {known}) / no framework '{ref}' (installed: {known})")
    return fw


class Command(BaseCommand):
    help = ("Import or export past ITA results (agency, year, indicator 1–10 and/or IIT/EIT/OIT scores, total). "
            "/ นำเข้าหรือส่งออกผลคะแนน ITA ย้อนหลัง")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        imp = sub.add_parser("import", help="check a file, recompute every row, and import it (all or nothing)")
        imp.add_argument("file", help=".xlsx or .csv file")
        imp.add_argument("--province", help="DOPA code of the province (default: the only province)")
        imp.add_argument("--framework", help="score every row with this framework (id or id@version); "
                                             "default: the framework of each row's year")
        imp.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        imp.add_argument("--user", help="username recorded in the history (default: system)")
        exp = sub.add_parser("export", help="write the results to a file (format from the extension)")
        exp.add_argument("file", help=".xlsx or .csv file to write")
        exp.add_argument("--province", help="DOPA code of the province (default: the only province)")

    def handle(self, *args, action, file, province=None, framework=None, dry_run=False, user=None, **options):
        province = get_province(province)
        if action == "export":
            fmt = export_format(file)
            n = export_results(file, AssessmentResult.objects.filter(agency__province=province), fmt)
            self.stdout.write(f"เขียนผลคะแนน {n} แถวลงใน {file} / wrote {n} results to {file}")
            return
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_results_import(data=data, filename=name, province=province, framework=get_framework(framework))
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"คำเตือน / warning: {warning}"))
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้นำเข้าข้อมูลใด ๆ / "
                               f"{len(plan.errors)} errors: nothing was imported")
        for year, fw in plan.frameworks_by_year():
            self.stdout.write(f"{year}: {fw}")
        self.stdout.write(plan.summary())
        if dry_run:
            self.stdout.write("ตรวจอย่างเดียว ไม่ได้บันทึก / dry run: nothing written")
            return
        try:
            created, changed, unchanged = apply_results_import(actor=actor, plan=plan)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"นำเข้าแล้ว: เพิ่ม {created} แก้ไข {changed} ไม่เปลี่ยนแปลง {unchanged} / "
            f"imported: {created} new, {changed} changed, {unchanged} unchanged"))
