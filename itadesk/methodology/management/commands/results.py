"""``itadesk results import FILE`` and ``itadesk results export FILE``: past ITA results."""

from __future__ import annotations

from django.core.management.base import CommandError

from itadesk.methodology.importing import apply_results_import, export_results, plan_results_import
from itadesk.methodology.models import AssessmentResult, FrameworkVersion
from itadesk.registry.cli import ImportCommand, export_format, get_actor, get_province, read_file


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


class Command(ImportCommand):
    help = ("Import or export past ITA results (agency, year, indicator 1–10 and/or IIT/EIT/OIT scores, total). "
            "/ นำเข้าหรือส่งออกผลคะแนน ITA ย้อนหลัง")
    import_help = "check a file, recompute every row, and import it (all or nothing)"
    export_help = "write the results to a file (format from the extension)"
    show_changes = False

    def add_import_arguments(self, parser):
        parser.add_argument("--framework", help="score every row with this framework (id or id@version); "
                                                "default: the framework of each row's year")

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
        self.check_plan(plan)
        for year, fw in plan.frameworks_by_year():
            self.stdout.write(f"{year}: {fw}")
        result = self.apply(apply_results_import, dry_run=dry_run, actor=actor, plan=plan)
        if result is not None:
            created, changed, unchanged = result
            self.stdout.write(self.style.SUCCESS(
                f"นำเข้าแล้ว: เพิ่ม {created} แก้ไข {changed} ไม่เปลี่ยนแปลง {unchanged} / "
                f"imported: {created} new, {changed} changed, {unchanged} unchanged"))
