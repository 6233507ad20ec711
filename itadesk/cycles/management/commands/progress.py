"""``itadesk progress import FILE`` and ``itadesk progress export FILE``: a round's progress as XLSX/CSV."""

from __future__ import annotations

from django.core.management.base import CommandError

from itadesk.cycles.importing import apply_progress_import, export_progress, plan_progress_import
from itadesk.cycles.models import Round
from itadesk.registry.cli import (
    ImportCommand,
    export_format,
    get_actor,
    get_province,
    parse_year,
    plural,
    read_file,
)


def get_round(fiscal_year: str | None, province_code: str | None) -> Round:
    """The round of that fiscal year (BE; a CE year is converted), else the current round, else the
    only round; limited to one province when a province is given."""
    rounds = Round.objects.select_related("province")
    if province_code:
        rounds = rounds.filter(province=get_province(province_code))
    year = parse_year(fiscal_year)
    if year is not None:
        found = list(rounds.filter(fiscal_year=year)[:2])
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


def _round_arguments(parser):
    parser.add_argument("--round", dest="fiscal_year", help="fiscal year, e.g. 2568 (default: the current round)")
    parser.add_argument("--province", help="DOPA code of the province, when several have rounds")


class Command(ImportCommand):
    help = "Import or export a round's progress (XLSX or CSV). / นำเข้าหรือส่งออกความคืบหน้าของรอบการประเมิน"
    import_help = "check a progress file and import it (all or nothing)"
    export_help = "write the round's progress to a file (format from the extension)"
    province_help = ""  # --province comes with --round
    add_import_arguments = add_export_arguments = staticmethod(_round_arguments)

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
        self.check_plan(plan, heading=f"ไฟล์ {name} {round_.name} / file {name}, round {round_.fiscal_year}")
        if self.wants_changes(options):
            for planned in plan.changes:
                self.stdout.write(f"~ แถว/row {planned.row}: {planned.agency.name_th} · {planned.milestone.code} "
                                  f"→ {planned.status}")
        result = self.apply(apply_progress_import, dry_run=dry_run, actor=actor, plan=plan)
        if result is not None:
            self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))
