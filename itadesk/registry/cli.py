"""What the ``itadesk`` commands share: reading a file, choosing a province and the acting user from
command-line arguments, and the export format from a file name (errors as ``CommandError`` in Thai and
English). Kept out of any one command module, so commands of every app import it from here."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from itadesk.registry.models import Province


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
