"""``itadesk framework validate|to-xlsx|from-xlsx|list|install|use``: check, convert and install
framework files.

``validate FILE [FILE...]`` checks YAML or XLSX files (by extension) and prints every error as
``FILE: path: message``; ``to-xlsx`` writes the Excel authoring template of a YAML file; ``from-xlsx``
checks a workbook and writes it as YAML (nothing is written when it has errors); ``list`` shows the
framework files shipped with ITA Desk. ``install FILE...`` (or ``--shipped``) stores framework versions
in the database (a version that data depends on is never changed: bump ``version``), and ``use ID
--round 2568`` points a round at one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.names import province_names
from itadesk.cycles.models import Round
from itadesk.methodology import schema as S
from itadesk.methodology import services
from itadesk.methodology.management.commands.results import get_framework
from itadesk.methodology.xlsx import framework_to_xlsx_bytes
from itadesk.registry.cli import get_province


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(fw: dict) -> str:
    size = S.counts(fw)
    return (f"{fw['id']} v{fw['version']}: {plural(size['instruments'], 'instrument')}, "
            f"{plural(size['indicators'], 'indicator')}, {plural(size['items'], 'item')}")


def check_suffix(path: str, suffixes: tuple[str, ...]) -> None:
    if Path(path).suffix.lower() not in suffixes:
        raise CommandError(f"ชื่อไฟล์ต้องลงท้ายด้วย {' หรือ '.join(suffixes)} / the file name must end in "
                           f"{' or '.join(suffixes)}: {path}")


def write_atomically(path: str, payload: bytes) -> None:
    """Write the whole file or nothing (a half-written framework file must never be left behind)."""
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CommandError(f"เขียนไฟล์ {path} ไม่ได้ / cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CommandError(f"เขียนไฟล์ {path} ไม่ได้ / cannot write {path}: {exc.strerror or exc}") from exc
        raise


class Command(BaseCommand):
    help = ("Check framework files and convert them between YAML and the Excel template. / "
            "ตรวจไฟล์กรอบการประเมินและแปลงระหว่าง YAML กับแม่แบบ Excel")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True,
                                    metavar="{validate,to-xlsx,from-xlsx,list,install,use}")
        check = sub.add_parser("validate", help="check framework files (.yaml or .xlsx) and print every error")
        check.add_argument("files", nargs="+", metavar="FILE")
        to_xlsx = sub.add_parser("to-xlsx", help="write the Excel authoring template of a YAML framework file")
        to_xlsx.add_argument("source", metavar="FILE.yaml")
        to_xlsx.add_argument("target", metavar="OUT.xlsx")
        from_xlsx = sub.add_parser("from-xlsx", help="check an Excel template and write it as a YAML framework file")
        from_xlsx.add_argument("source", metavar="FILE.xlsx")
        from_xlsx.add_argument("target", metavar="OUT.yaml")
        listing = sub.add_parser("list", help="list the framework files shipped with ITA Desk")
        listing.add_argument("--dir", default=str(S.FRAMEWORKS_DIR),
                             help="the folder to list (default: the shipped frameworks)")
        install = sub.add_parser("install", help="store framework files (.yaml or .xlsx) in the database")
        install.add_argument("files", nargs="*", metavar="FILE")
        install.add_argument("--shipped", action="store_true", help="install every framework shipped with ITA Desk")
        use = sub.add_parser("use", help="assess a round with an installed framework")
        use.add_argument("framework", metavar="ID[@VERSION]")
        use.add_argument("--round", required=True, type=int, help="fiscal year of the round (BE), e.g. 2568")
        use.add_argument("--province", help="DOPA code of the province (default: the only province)")

    def handle(self, *args, action, **options):
        if action == "validate":
            return self.validate(options["files"])
        if action == "to-xlsx":
            return self.to_xlsx(options["source"], options["target"])
        if action == "from-xlsx":
            return self.from_xlsx(options["source"], options["target"])
        if action == "install":
            return self.install(options["files"], shipped=options["shipped"])
        if action == "use":
            return self.use(options["framework"], options["round"], options.get("province"))
        return self.list(Path(options["dir"]))

    def install(self, files: list[str], *, shipped: bool) -> None:
        from django.db import transaction

        paths = [str(p) for p in services.shipped_files()] if shipped else []
        paths += files
        if not paths:
            raise CommandError("ระบุไฟล์ หรือใช้ --shipped / give files, or --shipped")
        texts = []
        for path in paths:
            fw = self.load(path)
            if fw is None:
                raise CommandError(f"{path}: ไฟล์ไม่ถูกต้อง ไม่ได้ติดตั้งเกณฑ์ใด ๆ / invalid file: nothing was installed")
            is_yaml = Path(path).suffix.lower() in S.YAML_SUFFIXES
            texts.append((path, Path(path).read_text(encoding="utf-8") if is_yaml else S.dump_text(fw)))
        try:
            with transaction.atomic():
                for path, text in texts:
                    version, outcome = services.install_framework(actor=None, text=text, source=Path(path).name)
                    words = {"created": "ติดตั้งใหม่ / installed", "updated": "ปรับปรุง / updated",
                             "unchanged": "ไม่เปลี่ยนแปลง / unchanged"}[outcome]
                    self.stdout.write(f"{version}: {words}")
        except services.FrameworkLocked as exc:
            raise CommandError(f"{exc} — ไม่ได้ติดตั้งเกณฑ์ใด ๆ / nothing was installed") from exc

    def use(self, ref: str, fiscal_year: int, province_code: str | None) -> None:
        province = get_province(province_code)
        round_ = Round.objects.filter(province=province, fiscal_year=fiscal_year).first()
        if round_ is None:
            raise CommandError(f"ไม่พบรอบปีงบประมาณ {fiscal_year} ของ{province_names(province.name_th).name} / "
                               f"no FY{fiscal_year} round in {province}")
        framework = get_framework(ref)
        try:
            changed = services.set_round_framework(actor=None, round=round_, framework=framework)
        except services.FrameworkLocked as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{round_}: {framework}" + ("" if changed else " (ไม่เปลี่ยนแปลง / unchanged)"))

    # ---------------------------------------------------------------------------------------------

    def load(self, path: str) -> dict | None:
        """The loaded framework, or None after printing why it cannot be loaded."""
        suffix = Path(path).suffix.lower()
        if suffix not in S.YAML_SUFFIXES + S.XLSX_SUFFIXES:
            self.stderr.write(f"{path}: (file): ไม่รู้จักชนิดไฟล์ ใช้ .yaml หรือ .xlsx / "
                              f"unknown file type {suffix or '(no extension)'}: use .yaml or .xlsx")
            return None
        try:
            return S.load_file(path)
        except OSError as exc:
            self.stderr.write(f"{path}: (file): อ่านไฟล์ไม่ได้ / cannot read the file: {exc.strerror or exc}")
        except S.FrameworkError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error.describe()}")
        return None

    def validate(self, files: list[str]) -> None:
        bad = 0
        for path in files:
            fw = self.load(path)
            if fw is None:
                bad += 1
            else:
                self.stdout.write(f"OK {summary(fw)} ({path})")
        if bad:
            raise CommandError(f"ไฟล์ไม่ถูกต้อง {bad} จาก {len(files)} ไฟล์ / "
                               f"{bad} of {plural(len(files), 'file')} {'is' if bad == 1 else 'are'} invalid")

    def to_xlsx(self, source: str, target: str) -> None:
        check_suffix(source, S.YAML_SUFFIXES)
        check_suffix(target, (".xlsx",))
        fw = self.load(source)
        if fw is None:
            raise CommandError(f"ไม่ได้เขียน {target} เพราะ {source} ไม่ถูกต้อง / "
                               f"{source} is invalid: {target} was not written")
        write_atomically(target, framework_to_xlsx_bytes(fw))
        self.stdout.write(self.style.SUCCESS(f"เขียนแม่แบบ Excel แล้ว / wrote {target}: {summary(fw)}"))

    def from_xlsx(self, source: str, target: str) -> None:
        check_suffix(source, S.XLSX_SUFFIXES)
        check_suffix(target, S.YAML_SUFFIXES)
        fw = self.load(source)
        if fw is None:
            raise CommandError(f"ไม่ได้เขียน {target} เพราะ {source} ไม่ถูกต้อง / "
                               f"{source} is invalid: {target} was not written")
        write_atomically(target, S.dump_text(fw).encode("utf-8"))
        self.stdout.write(self.style.SUCCESS(f"เขียนไฟล์ YAML แล้ว / wrote {target}: {summary(fw)}"))

    def list(self, folder: Path) -> None:
        files = sorted(p for p in folder.glob("*") if p.suffix.lower() in S.YAML_SUFFIXES)
        if not files:
            self.stdout.write(f"ไม่มีไฟล์กรอบการประเมินใน {folder} / no framework files in {folder}")
            return
        bad, seen = 0, {}
        for path in files:
            try:
                fw = S.load_file(path)
            except (OSError, S.FrameworkError) as exc:
                bad += 1
                count = len(exc.errors) if isinstance(exc, S.FrameworkError) else 1
                self.stderr.write(f"{path.name}: ไม่ถูกต้อง / INVALID ({plural(count, 'error')}; "
                                  f"run: itadesk framework validate {path})")
                continue
            key = (fw["id"], fw["version"])
            if key in seen:
                bad += 1
                self.stderr.write(f"{path.name}: {fw['id']} v{fw['version']} ซ้ำกับ / is also in {seen[key]}")
                continue
            seen[key] = path.name
            if fw["fiscal_year"] is not None:
                year = f"ปีงบประมาณ/FY {fw['fiscal_year']}"
            else:
                year = "ปี/years " + (", ".join(map(str, fw.get("years", []))) or "-")
            size = S.counts(fw)
            items = ", ".join(f"{code} {n}" for code, n in size["items_by_instrument"].items())
            self.stdout.write(f"{fw['id']} v{fw['version']} · {year} · {fw['status']} · "
                              f"{plural(size['items'], 'item')} ({items}) · {path.name}")
        if bad:
            raise CommandError(f"ไฟล์กรอบการประเมินมีปัญหา {bad} ไฟล์ / {plural(bad, 'framework file')} with problems")
