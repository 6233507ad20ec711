"""``itadesk agencies import FILE`` and ``itadesk agencies export FILE``: the agency list as XLSX/CSV."""

from __future__ import annotations

from itadesk.core.names import province_names
from itadesk.registry.cli import ImportCommand, export_format, get_actor, get_province, read_file
from itadesk.registry.importing import apply_agency_import, export_agencies, plan_agency_import
from itadesk.registry.models import Agency, Province


class Command(ImportCommand):
    help = "Import or export the agency list of a province (XLSX or CSV). / นำเข้าหรือส่งออกรายชื่อหน่วยงาน"
    export_help = "write the agencies to a file (format from the extension)"

    def handle(self, *args, action, file, province=None, dry_run=False, user=None, **options):
        province = get_province(province)
        if action == "export":
            return self.export(file, province)
        actor = get_actor(user)
        data, name = read_file(file)
        plan = plan_agency_import(data=data, filename=name, province=province)
        self.check_plan(plan, heading=f"ไฟล์ {name} {province_names(province.name_th).name} / "
                                      f"file {name}, {province.name_en or province.name_th}")
        if self.wants_changes(options):
            for planned in plan.creates:
                self.stdout.write(f"+ แถว/row {planned.row}: {planned.name}")
            for planned in plan.updates:
                fields = ", ".join(planned.changes)
                self.stdout.write(f"~ แถว/row {planned.row}: {planned.name} ({fields})")
        result = self.apply(apply_agency_import, dry_run=dry_run, actor=actor, plan=plan)
        if result is not None:
            self.stdout.write(self.style.SUCCESS(f"นำเข้าแล้ว / imported: {result}"))

    def export(self, file: str, province: Province):
        fmt = export_format(file)
        count = export_agencies(file, Agency.objects.filter(province=province), fmt)
        noun = "agency" if count == 1 else "agencies"
        self.stdout.write(self.style.SUCCESS(f"ส่งออก {count} หน่วยงานไปที่ {file} / exported {count} {noun} to {file}"))
