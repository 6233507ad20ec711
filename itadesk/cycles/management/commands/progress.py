"""``itadesk progress import FILE`` and ``itadesk progress export FILE``: a round's progress as XLSX/CSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.tabular import ImportRefused
from itadesk.core.thai import arabic_digits, be_year
from itadesk.cycles.importing import apply_progress_import, export_progress, plan_progress_import
from itadesk.cycles.models import Round
from itadesk.registry.cli import (
    export_format,
    get_actor,
    get_province,
    plural,
    read_file,
)


def get_round(fiscal_year: str | None, province_code: str | None) -> Round:
    """The round of that fiscal year (BE; a CE year is converted), else the current round, else the
    only round; limited to one province when a province is given."""
    rounds = Round.objects.select_related("province")
    if province_code:
        rounds = rounds.filter(province=get_province(province_code))
    if fiscal_year:
        try:
            year = int(arabic_digits(str(fiscal_year)).strip())
        except ValueError as exc:
            raise CommandError(f"ปีงบประมาณไม่ถูกต้อง '{fiscal_year}' / bad fiscal year '{fiscal_year}'") from exc
        year = be_year(year) if year < 2400 else year
        rounds = rounds.filter(fiscal_year=year)
        found = list(rounds[:2])
        if not found:
            raise CommandError(f"ไม่พบรอบปีงบประมาณ {year} / no round for fiscal year {year}")
    else:
        found = list(rounds.filter(is_current=True)[:2]) or list(rounds[:2])
        if not found:
            raise CommandError("ยังไม่มีรอบการประเมิน / there is no round yet")
    if len(found) > 1:
        raise CommandError("มีหลายรอบที่ตรงกัน กรุณาระบุ --round และ --province / "
                           "several rounds match: give --round and --province")
    return found[0]


class Command(BaseCommand):
    help = "Import or export a round's progress (XLSX or CSV). / นำเข้าหรือส่งออกความคืบหน้าของรอบการประเมิน"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        imp = sub.add_parser("import", help="check a progress file and import it (all or nothing)")
        imp.add_argument("file", help=".xlsx or .csv file")
        imp.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        imp.add_argument("--user", help="username recorded in the history (default: system)")
        imp.add_argument("--show-changes", action="store_true", help="list every row that creates or changes something")
        exp = sub.add_parser("export", help="write the round's progress to a file (format from the extension)")
        exp.add_argument("file", help=".xlsx or .csv file to write")
        for p in (imp, exp):
            p.add_argument("--round", dest="fiscal_year", help="fiscal year, e.g. 2568 (default: the current round)")
            p.add_argument("--province", help="DOPA code of the province, when several have rounds")

    def handle(self, *args, action, file, fiscal_year=None, province=None, dry_run=False, user=None, **options):
        round_ = get_round(fiscal_year, province)
        if action == "export":
            fmt = export_format(file)
            count = export_progress(file, round_, fmt)
            self.stdout.write(self.style.SUCCESS(f"ส่งออก {count} แถวไปที่ {file} / exported {plural(count, 'row')} to {file}"))
            return
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_progress_import(data=data, filename=name, round=round_)
        self.stdout.write(f"ไฟล์ {name} {round_.name} / file {name}, round {round_.fiscal_year}")
        self.stdout.write(plan.summary())
        for error in plan.errors:
            self.stderr.write(str(error))
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"คำเตือน / warning: {warning}"))
        if plan.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้นำเข้าข้อมูลใด ๆ / "
                               f"{plural(len(plan.errors), 'error')}: nothing was imported")
        if options.get("show_changes") or options.get("verbosity", 1) >= 2:
            for planned in plan.changes:
                self.stdout.write(f"~ แถว/row {planned.row}: {planned.agency.name_th} · {planned.milestone.code} "
                                  f"→ {planned.status}")
        if dry_run:
            self.stdout.write("ทดลองตรวจเท่านั้น ไม่ได้บันทึกข้อมูล / dry run: nothing was written")
            return
        try:
            result = apply_progress_import(actor=actor, plan=plan)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))
