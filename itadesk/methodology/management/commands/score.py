"""``itadesk score calc --framework PATH_OR_ID 1=93.55 … 10=65.56 [--json]``: the total, level and
pass/fail from published indicator (or instrument) scores, by the framework's own rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from itadesk.methodology import schema
from itadesk.methodology.models import FrameworkVersion
from itadesk.scoring import calc
from itadesk.scoring.engine import FrameworkError, Plan, compile_framework

FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "frameworks"
_ID = re.compile(r"[a-z0-9-]+")
_REF = re.compile(r"[a-z0-9-]+(@[0-9]+)?")


def framework_path(spec: str) -> Path:
    """A path to a YAML file, or a framework id resolved to ``itadesk/methodology/frameworks/<id>.yaml``."""
    path = Path(spec)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists() or not _REF.fullmatch(spec):
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {spec} / no file {spec}")
        return path
    path = FRAMEWORKS_DIR / f"{spec}.yaml"
    if "@" in spec or not path.is_file():
        known = ", ".join(sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.yaml"))) or "—"
        raise CommandError(f"ไม่พบเกณฑ์ '{spec}' (มี: {known}) / no framework '{spec}' (installed: {known})")
    return path


def read_framework(path: Path) -> dict:
    """The framework in ``path``, validated (every problem named by its path)."""
    try:
        return schema.load_file(path)
    except OSError as exc:
        raise CommandError(f"อ่านไฟล์ {path} ไม่ได้ / cannot read {path}: {exc.strerror}") from exc
    except schema.FrameworkError as exc:
        raise CommandError(f"เกณฑ์ในไฟล์ {path} ไม่ถูกต้อง / the framework in {path} is not valid:\n{exc}") from exc


def installed(spec: str) -> dict | None:
    """A framework installed in the database: ``nacc-ita-2568`` (newest version) or ``nacc-ita-2568@2``."""
    if not _REF.fullmatch(spec):
        return None
    try:
        found = FrameworkVersion.find(spec)
    except DatabaseError:  # no database yet (not migrated): the calculator still works from the files
        return None
    return found.data if found else None


def load_plan(spec: str) -> Plan:
    """``--framework``: a framework installed in the database (id or id@version), a shipped one, or a
    YAML file → the compiled plan."""
    data = installed(spec) if not Path(spec).suffix else None
    source = spec
    if data is None:
        path = framework_path(spec)
        data, source = read_framework(path), str(path)
    try:
        return compile_framework(data)
    except FrameworkError as exc:
        raise CommandError(f"ใช้เกณฑ์ {source} คำนวณไม่ได้ / cannot score with {source}: {exc}") from exc


class Command(BaseCommand):
    help = ("Compute the total, level and pass/fail from indicator or instrument scores. / "
            "คำนวณคะแนนรวม ระดับผล และผ่าน/ไม่ผ่าน จากคะแนนรายตัวชี้วัดหรือรายแบบวัด")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{calc}")
        calc_parser = sub.add_parser(
            "calc", help="score from published figures, e.g. 1=93.55 … 10=65.56 or IIT=89.95 EIT=89.27 OIT=69.23")
        calc_parser.add_argument("--framework", required=True,
                                 help="a framework YAML file, or an installed framework id such as nacc-ita-2568")
        calc_parser.add_argument("--json", dest="as_json", action="store_true", help="print the result as JSON")
        calc_parser.add_argument("scores", nargs="+", metavar="CODE=SCORE",
                                 help="indicator codes (1=93.55) or instrument codes (IIT=89.95); "
                                      "Thai digits allowed, decimal point only")

    def handle(self, *args, action, framework, scores, as_json=False, **options):
        plan = load_plan(framework)
        try:
            result = calc.calculate(plan, scores)
        except calc.CalcError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            payload = {"framework": plan.id, "version": plan.version, "input": list(scores), **result.to_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"เกณฑ์ / framework: {plan.id}" + (f" v{plan.version}" if plan.version is not None else ""))
        for line in calc.format_result(plan, result):
            self.stdout.write(line)
