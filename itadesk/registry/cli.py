"""What ITA Desk's import and export commands share (``itadesk agencies``, ``people``, ``progress``, ``results``,
``round``, ``framework``): finding the province, the user named in the history and the file; a Buddhist-era
year typed in any form; and the import flow itself — check the whole file, print its summary and every error,
write nothing unless it is all good (``--dry-run`` stops before writing), then apply it in one transaction.

The messages are the same in every command, Thai then English, so a script reading them reads one shape."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from itadesk.core.tabular import ImportRefused
from itadesk.core.thai import arabic_digits, be_year
from itadesk.registry.models import Province

DRY_RUN_DONE = "ทดลองตรวจเท่านั้น ไม่ได้บันทึกข้อมูล / dry run: nothing was written"


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
    """The user a command's changes are recorded under (``--user``); None, the system, when not given."""
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


def parse_year(value: str | None, what: str = "fiscal year") -> int | None:
    """A Buddhist-era year as typed: ``2568``, ``๒๕๖๘`` or the Common-era ``2025`` (converted); None if empty."""
    if value in (None, ""):
        return None
    try:
        year = int(arabic_digits(str(value)).strip())
    except ValueError as exc:
        raise CommandError(f"{what} ไม่ถูกต้อง '{value}' / bad {what} '{value}'") from exc
    return be_year(year) if year < 2400 else year


class ImportCommand(BaseCommand):
    """An ``import FILE`` command (and optionally ``export FILE``) with the common arguments: ``--province``,
    ``--dry-run``, ``--user``, ``--show-changes``. A subclass adds its own arguments in
    :meth:`add_import_arguments` / :meth:`add_export_arguments` and runs the flow in ``handle`` with
    :meth:`check_plan` and :meth:`apply`."""

    import_help = "check a file and import it (all or nothing)"
    export_help = ""  # empty: no export subcommand
    province_help = "DOPA code of the province (default: the only province)"
    show_changes = True

    def add_arguments(self, parser):
        actions = ["import"] + (["export"] if self.export_help else [])
        sub = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(actions) + "}")
        imp = sub.add_parser("import", help=self.import_help)
        imp.add_argument("file", help=".xlsx or .csv file")
        if self.province_help:
            imp.add_argument("--province", help=self.province_help)
        self.add_import_arguments(imp)
        imp.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        if not any(a.dest == "user" for a in imp._actions):
            imp.add_argument("--user", help="username recorded in the history (default: system)")
        if self.show_changes:
            imp.add_argument("--show-changes", action="store_true",
                             help="list every row that creates or changes something")
        if self.export_help:
            exp = sub.add_parser("export", help=self.export_help)
            exp.add_argument("file", help=".xlsx or .csv file to write")
            if self.province_help:
                exp.add_argument("--province", help=self.province_help)
            self.add_export_arguments(exp)

    def add_import_arguments(self, parser) -> None:
        """Arguments of ``import`` besides the common ones."""

    def add_export_arguments(self, parser) -> None:
        """Arguments of ``export`` besides the file and ``--province``."""

    def wants_changes(self, options) -> bool:
        return bool(options.get("show_changes")) or options.get("verbosity", 1) >= 2

    def check_plan(self, plan, *, heading: str = "") -> None:
        """Print the plan's heading, summary, warnings and errors; refuse (nothing written) on any error."""
        if heading:
            self.stdout.write(heading)
        self.stdout.write(plan.summary())
        for error in plan.errors:
            self.stderr.write(str(error))
        for warning in getattr(plan, "warnings", ()):
            self.stdout.write(self.style.WARNING(f"คำเตือน / warning: {warning}"))
        if plan.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(plan.errors)} รายการ ไม่ได้นำเข้าข้อมูลใด ๆ / "
                               f"{plural(len(plan.errors), 'error')}: nothing was imported")

    def apply(self, apply_fn, *, dry_run: bool, **kwargs):
        """Run the import's apply function (one transaction) unless it is a dry run; the result, or None."""
        if dry_run:
            self.stdout.write(DRY_RUN_DONE)
            return None
        try:
            return apply_fn(**kwargs)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
