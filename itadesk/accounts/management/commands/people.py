"""``itadesk people import FILE``: invite people from an XLSX/CSV file (docs/import-formats.md, "People")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from itadesk.accounts.importing import apply_people_import, plan_people_import
from itadesk.core.names import province_names
from itadesk.core.tabular import ImportRefused
from itadesk.registry.cli import get_actor, get_province, read_file


class Command(BaseCommand):
    help = "Invite people from a file (XLSX or CSV). / นำเข้ารายชื่อบุคคลและส่งคำเชิญ"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        imp = sub.add_parser("import", help="check a file and import it (all or nothing); invitations are e-mailed")
        imp.add_argument("file", help=".xlsx or .csv file")
        imp.add_argument("--province", help="DOPA code of the province (default: the only province)")
        imp.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        imp.add_argument("--user", help="username recorded in the history; the file is checked with that user's "
                                        "rights (default: the system, every role)")
        imp.add_argument("--no-send", action="store_true",
                         help="create the accounts without sending the invitations (send them from the people page)")

    def handle(self, *args, file, province=None, dry_run=False, user=None, no_send=False, **options):
        province = get_province(province)
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_people_import(data=data, filename=name, province=province, actor=actor)
        self.stdout.write(f"ไฟล์ {name} {province_names(province.name_th).name} / file {name}, {province.name_en or province.name_th}")
        self.stdout.write(plan.summary())
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้นำเข้าข้อมูลใด ๆ / "
                               f"{len(plan.errors)} errors: nothing was imported")
        for person in plan.people:
            self.stdout.write(f"+ แถว/row {person.row}: {person.name} <{person.email}> {person.role} "
                              f"{person.target.name_th}")
        if dry_run:
            self.stdout.write("ทดลองตรวจเท่านั้น ไม่ได้บันทึกข้อมูล / dry run: nothing was written")
            return
        try:
            result = apply_people_import(actor=actor, plan=plan, send=not no_send)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))
