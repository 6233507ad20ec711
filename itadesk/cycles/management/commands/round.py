"""``itadesk round new --fiscal-year 2570 --copy-from 2568 [--province 42] [--framework ID] [--dry-run]``:
start a province's next round from an earlier one (the same service as the page เริ่มรอบการประเมินใหม่)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.cycles.models import Round
from itadesk.cycles.round_admin import agencies_from_codes
from itadesk.cycles.round_setup import RoundRefused, create_round, plan_next_round
from itadesk.methodology.models import FrameworkVersion
from itadesk.registry.cli import DRY_RUN_DONE, get_actor, get_province, parse_year
from itadesk.registry.models import Province


def province_for(code: str | None) -> Province:
    if code:
        return get_province(code)
    provinces = list(Province.objects.filter(rounds__isnull=False).distinct()[:2]) or list(Province.objects.all()[:2])
    if len(provinces) != 1:
        raise CommandError("กรุณาระบุ --province (รหัสจังหวัด) / give --province (the province's DOPA code)")
    return provinces[0]


class Command(BaseCommand):
    help = "Start a province's next round from an earlier one. / เริ่มรอบการประเมินใหม่จากรอบก่อน"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{new}")
        new = sub.add_parser("new", help="plan the next round, show it, and create it (all or nothing)")
        new.add_argument("--fiscal-year", help="BE fiscal year of the new round (default: the current one)")
        new.add_argument("--copy-from", help="BE fiscal year of the round to copy (default: the latest earlier one)")
        new.add_argument("--province", help="DOPA code of the province, e.g. 42")
        new.add_argument("--framework", help="framework id (e.g. nacc-ita-2569 or nacc-ita-2569@2) or its number")
        new.add_argument("--participants", choices=["province", "previous"], default="province",
                         help="every active agency of the province (default) or the copied round's")
        new.add_argument("--add-codes", help="file of agency codes (ITAS or DLA, one a line) to add")
        new.add_argument("--remove-codes", help="file of agency codes to leave out")
        new.add_argument("--adopt-coaching", action="store_true",
                         help="flag the proposed coaching group (failed or OIT below the mark last time)")
        new.add_argument("--not-current", action="store_true", help="do not make the new round the current one")
        new.add_argument("--dry-run", action="store_true", help="show the plan only; write nothing")
        new.add_argument("--user", help="username recorded in the history (default: system)")

    def _codes(self, province, path):
        if not path:
            return []
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"อ่านไฟล์ {path} ไม่ได้ / cannot read {path}: {exc}") from exc
        ids, errors = agencies_from_codes(province, text)
        for error in errors:
            self.stderr.write(error)
        if errors:
            raise CommandError(f"{path}: รหัสไม่ถูกต้อง {len(errors)} บรรทัด ไม่ได้สร้างรอบ / "
                               f"{len(errors)} unknown codes: nothing was created")
        return ids

    def _framework(self, ref):
        if not ref:
            return None

        try:
            fw = FrameworkVersion.objects.filter(pk=int(ref)).first() if ref.isdigit() else FrameworkVersion.find(ref)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if fw is None:
            raise CommandError(f"ไม่พบเกณฑ์ '{ref}' / no framework '{ref}' is installed")
        return fw

    def handle(self, *args, action, **options):
        province = province_for(options.get("province"))
        year = parse_year(options.get("fiscal_year"), "fiscal year")
        source = None
        copy_from = parse_year(options.get("copy_from"), "copy-from year")
        if copy_from is not None:
            source = Round.objects.filter(fiscal_year=copy_from, province=province).first()
            if source is None:
                other = Round.objects.filter(fiscal_year=copy_from).exclude(province=province).first()
                if other is not None:
                    raise CommandError(f"รอบปี {copy_from} ที่มีอยู่เป็นของจังหวัด{other.province.name_th} "
                                       f"จึงคัดลอกไปจังหวัด{province.name_th}ไม่ได้ / the {copy_from} round belongs to "
                                       f"another province")
                raise CommandError(f"จังหวัด{province.name_th}ไม่มีรอบปี {copy_from} / no {copy_from} round in "
                                   f"{province.name_en or province.name_th}")
        try:
            plan = plan_next_round(
                province=province, fiscal_year=year, source=source, framework=self._framework(options.get("framework")),
                participants=options["participants"], add=self._codes(province, options.get("add_codes")),
                remove=self._codes(province, options.get("remove_codes")),
                adopt_coaching=options.get("adopt_coaching", False), make_current=not options.get("not_current"))
        except RoundRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(plan.summary())
        if options.get("dry_run"):
            self.stdout.write(DRY_RUN_DONE)
            return
        try:
            round_ = create_round(actor=get_actor(options.get("user")), plan=plan)
        except RoundRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"สร้าง {round_.name} แล้ว / created {round_.name} (id {round_.pk}): {len(plan.milestones)} milestones, "
            f"{len(plan.missions)} missions, {len(plan.agencies)} agencies"))
