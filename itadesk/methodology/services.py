"""Writes of the methodology app: framework versions, a round's framework, target groups.
Each is one transaction with one history event (results import is in ``importing.py``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from itadesk.core import audit
from itadesk.core.names import province_names
from itadesk.methodology.models import FrameworkVersion, TargetGroup, TargetGroupMember, round_has_data
from itadesk.methodology.schema import FrameworkError, load_text

SHIPPED_DIR = Path(__file__).resolve().parent / "frameworks"
FRAMEWORK_FIELDS = ["code", "version", "scheme", "fiscal_year", "name_th", "name_en", "status", "sha256"]


class FrameworkLocked(Exception):
    """A change to a framework version that data already depends on."""

    def __init__(self, th: str, en: str):
        self.th, self.en = th, en
        super().__init__(f"{th} / {en}")


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


@transaction.atomic
def install_framework(*, actor, text: str, source: str = "") -> tuple[FrameworkVersion, str]:
    """Validate a framework file and store it as its (id, version). Returns the version and what
    happened: ``created``, ``updated`` or ``unchanged``. A version that data depends on is never
    changed (:class:`FrameworkLocked`); an invalid file raises ``FrameworkError`` and writes nothing."""
    data = load_text(text, source=source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    values = {
        "scheme": data["scheme"], "fiscal_year": data.get("fiscal_year"), "name_th": data["name_th"],
        "name_en": data.get("name_en") or "", "status": data["status"], "source_text": text, "data": data,
        "sha256": digest,
    }
    existing = (FrameworkVersion.objects.select_for_update(of=("self",))
                .filter(code=data["id"], version=data["version"]).first())
    if existing is None:
        fw = FrameworkVersion.objects.create(code=data["id"], version=data["version"], **values)
        audit.record(actor=actor, action="framework.install", obj=fw, after=audit.snapshot(fw, FRAMEWORK_FIELDS),
                     note=source)
        return fw, "created"
    if existing.sha256 == digest:
        return existing, "unchanged"
    reasons = existing.dependents()
    if reasons:
        raise FrameworkLocked(
            f"{existing} ใช้งานแล้ว จึงแก้ไขไม่ได้ ({'; '.join(r.split(' / ')[0] for r in reasons)}) "
            f"กรุณาเพิ่มเลข version ในไฟล์เป็นฉบับใหม่",
            f"{existing} is in use and cannot be changed ({'; '.join(r.split(' / ')[-1] for r in reasons)}); "
            f"give the file a new version number")
    before = audit.snapshot(existing, FRAMEWORK_FIELDS)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    audit.record(actor=actor, action="framework.update", obj=existing, before=before,
                 after=audit.snapshot(existing, FRAMEWORK_FIELDS), note=source)
    return existing, "updated"


def install_shipped(*, actor=None) -> list[tuple[FrameworkVersion, str]]:
    """Install every framework file shipped with ITA Desk (idempotent). All or nothing."""
    with transaction.atomic():
        return [install_framework(actor=actor, text=path.read_text(encoding="utf-8"), source=path.name)
                for path in shipped_files()]


@transaction.atomic
def set_round_framework(*, actor, round, framework: FrameworkVersion | None) -> bool:
    """Point a round at a framework version. Refused once the round has data under another one."""
    if round.framework_id == (framework.pk if framework else None):
        return False
    if round.framework_id and round_has_data(round):
        raise FrameworkLocked("รอบนี้มีข้อมูลตามเกณฑ์เดิมแล้ว จึงเปลี่ยนเกณฑ์ไม่ได้",
                              "the round already has data under its framework; it cannot be changed")
    before = {"framework": str(round.framework) if round.framework_id else None}
    round.framework = framework
    round.save(update_fields=["framework"])
    audit.record(actor=actor, action="round.framework", obj=round, before=before,
                 after={"framework": str(framework) if framework else None})
    return True


@transaction.atomic
def save_target_group(*, actor, province, name: str, members: list[tuple[object, str]],
                      fiscal_year: int | None = None, description: str = "") -> TargetGroup:
    """Create or replace a named target group of the province with its members (agency, reason),
    in the given order."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("ต้องตั้งชื่อกลุ่ม / the group needs a name")
    if not members:
        raise ValueError("ต้องเลือกหน่วยงานอย่างน้อยหนึ่งแห่ง / choose at least one agency")
    foreign = [a for a, _r in members if a.province_id != province.pk]
    if foreign:
        raise ValueError(f"'{foreign[0].name_th}' ไม่ใช่หน่วยงานของ{province_names(province.name_th).name} / "
                         f"'{foreign[0].name_th}' is not an agency of {province}")
    group, created = TargetGroup.objects.select_for_update(of=("self",)).get_or_create(
        province=province, name=name, defaults={"fiscal_year": fiscal_year, "description": description,
                                                "created_by": actor if getattr(actor, "pk", None) else None})
    before = None if created else {"agencies": list(group.members.values_list("agency_id", flat=True)),
                                   "fiscal_year": group.fiscal_year, "description": group.description}
    if not created:
        group.fiscal_year, group.description = fiscal_year, description
        group.save(update_fields=["fiscal_year", "description"])
        group.members.all().delete()
    TargetGroupMember.objects.bulk_create(
        TargetGroupMember(group=group, agency=agency, reason=reason[:500], rank=i)
        for i, (agency, reason) in enumerate(members, start=1))
    audit.record(actor=actor, action="target_group.save", obj=group, before=before,
                 after={"agencies": [a.pk for a, _r in members], "fiscal_year": fiscal_year,
                        "description": description})
    return group


@transaction.atomic
def delete_target_group(*, actor, group: TargetGroup) -> None:
    before = {"name": group.name, "agencies": list(group.members.values_list("agency_id", flat=True))}
    audit.record(actor=actor, action="target_group.delete", obj=group, before=before)
    group.delete()


__all__ = ["FrameworkError", "FrameworkLocked", "install_framework", "install_shipped", "set_round_framework",
           "save_target_group", "delete_target_group", "shipped_files"]
