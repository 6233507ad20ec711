"""``itadesk people import FILE``: invite people from an XLSX/CSV file (docs/import-formats.md, "People")."""

from __future__ import annotations

from itadesk.accounts.importing import apply_people_import, plan_people_import
from itadesk.core.names import province_names
from itadesk.registry.cli import ImportCommand, get_actor, get_province, read_file


class Command(ImportCommand):
    help = "Invite people from a file (XLSX or CSV). / นำเข้ารายชื่อบุคคลและส่งคำเชิญ"
    import_help = "check a file and import it (all or nothing); invitations are e-mailed"
    show_changes = False  # every person is listed

    def add_import_arguments(self, parser):
        parser.add_argument("--user", help="username recorded in the history; the file is checked with that user's "
                                           "rights (default: the system, every role)")
        parser.add_argument("--no-send", action="store_true",
                            help="create the accounts without sending the invitations (send them from the people page)")

    def handle(self, *args, file, province=None, dry_run=False, user=None, no_send=False, **options):
        province = get_province(province)
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_people_import(data=data, filename=name, province=province, actor=actor)
        self.check_plan(plan, heading=f"ไฟล์ {name} {province_names(province.name_th).name} / "
                                      f"file {name}, {province.name_en or province.name_th}")
        for person in plan.people:
            self.stdout.write(f"+ แถว/row {person.row}: {person.name} <{person.email}> {person.role} "
                              f"{person.target.name_th}")
        result = self.apply(apply_people_import, dry_run=dry_run, actor=actor, plan=plan, send=not no_send)
        if result is not None:
            self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))
