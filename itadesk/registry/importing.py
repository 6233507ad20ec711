"""The agency list as a spreadsheet: one format for export and import, so people can round-trip
through Excel.

``plan_agency_import`` reads a file and checks every row without writing anything; the plan lists the
agencies to create and to update, how many rows are unchanged, and every error (row, column, message
in Thai and English). ``apply_agency_import`` writes a plan that has no errors in one transaction,
with one history event per created or changed agency; if anything fails nothing is written.

Rows are matched to existing agencies of the province by ITAS code, else DLA code, else Thai name and
district. Columns left out of the file are left alone; an empty cell in a column that is present
clears the value (except ``ใช้งาน``: empty means "yes" for a new agency and "no change" otherwise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import translation

from itadesk.core import audit
from itadesk.core.models import AuditEvent
from itadesk.core.tabular import (
    BasePlan,
    Column,
    ImportRefused,
    RowError,
    Table,
    compact_key,
    map_headers,
    read_import,
    text_key,
    write_table,
)
from itadesk.core.thai import arabic_digits
from itadesk.registry import validation
from itadesk.registry.models import Agency, AgencyKind, District, Province
from itadesk.registry.services import AGENCY_CREATE, AGENCY_FIELDS, AGENCY_UPDATE, save_agency

COLUMNS = (
    Column("itas_code", "รหัส ITAS", "ITAS code", ("itas", "รหัสหน่วยงาน ITAS", "ITAS ID")),
    Column("dla_code", "รหัส อปท.", "DLA code", ("dla", "รหัส สถ.", "รหัสองค์กรปกครองส่วนท้องถิ่น", "LAO code")),
    Column("name_th", "ชื่อหน่วยงาน", "Thai name",
           ("name", "ชื่อ", "ชื่อภาษาไทย", "ชื่อหน่วยงานภาษาไทย", "ชื่อหน่วยงาน (ภาษาไทย)", "agency"), required=True),
    Column("name_en", "ชื่อภาษาอังกฤษ", "English name", ("ชื่อหน่วยงานภาษาอังกฤษ", "ชื่อหน่วยงาน (ภาษาอังกฤษ)", "ชื่ออังกฤษ")),
    Column("kind", "ประเภท", "kind", ("type", "agency kind", "ประเภทหน่วยงาน"), required=True),
    Column("district", "อำเภอ", "district", ("amphoe", "อำเภอที่ตั้ง")),
    Column("website", "เว็บไซต์หลัก", "main website", ("website", "web site", "url", "เว็บไซต์", "เว็บไซต์หน่วยงาน")),
    Column("contact_name", "ผู้ประสานงาน", "contact person",
           ("contact", "contact name", "ชื่อผู้ประสานงาน", "ผู้ติดต่อ", "ชื่อผู้ติดต่อ")),
    Column("phone", "โทรศัพท์", "phone", ("telephone", "tel", "phone number", "เบอร์โทรศัพท์", "เบอร์โทร", "โทร", "หมายเลขโทรศัพท์")),
    Column("email", "อีเมล", "e-mail", ("email", "อีเมล์", "ที่อยู่อีเมล", "ไปรษณีย์อิเล็กทรอนิกส์")),
    Column("active", "ใช้งาน", "active", ("is active", "ใช้งานอยู่", "สถานะการใช้งาน")),
)
HEADERS = [c.header for c in COLUMNS]
_HEADER = {c.key: c.header for c in COLUMNS}

# The Thai label written on export for each kind (kept here, not in the translation catalogue, so that
# files stay readable by this importer whatever the catalogue says).
KIND_LABELS_TH = {
    AgencyKind.PROVINCIAL: "ส่วนราชการระดับจังหวัด",
    AgencyKind.DISTRICT: "อำเภอ",
    AgencyKind.PAO: "องค์การบริหารส่วนจังหวัด",
    AgencyKind.CITY_MUNICIPALITY: "เทศบาลนคร",
    AgencyKind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    AgencyKind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    AgencyKind.SAO: "องค์การบริหารส่วนตำบล",
    AgencyKind.OTHER: "อื่น ๆ",
}
_KIND_SHORT = {
    AgencyKind.PROVINCIAL: ("จังหวัด", "ส่วนราชการ", "ส่วนราชการจังหวัด", "ส่วนราชการส่วนภูมิภาค"),
    AgencyKind.DISTRICT: ("ที่ว่าการอำเภอ", "อ."),
    AgencyKind.PAO: ("อบจ.",),
    AgencyKind.CITY_MUNICIPALITY: ("ทน.",),
    AgencyKind.TOWN_MUNICIPALITY: ("ทม.",),
    AgencyKind.SUBDISTRICT_MUNICIPALITY: ("ทต.",),
    AgencyKind.SAO: ("อบต.", "SAO", "TAO"),
    AgencyKind.OTHER: ("อื่น", "อื่นๆ"),
}

TRUE_WORDS = {"ใช่", "ใช้", "ใช้งาน", "yes", "y", "true", "t", "1", "active", "✓", "x"}
FALSE_WORDS = {"ไม่ใช่", "ไม่ใช้", "ไม่ใช้งาน", "เลิกใช้", "no", "n", "false", "f", "0", "inactive"}
YES, NO = "ใช่", "ไม่ใช่"

_MAX_LENGTH = {name: Agency._meta.get_field(name).max_length
               for name in ("itas_code", "dla_code", "name_th", "name_en", "website", "contact_name", "phone", "email")}
_URL = URLValidator(schemes=["http", "https"])
# What registry.validation.normalise_website refuses, in the import's words (the agency page says the same).
_WEBSITE_PROBLEMS = {
    "format": ("ที่อยู่เว็บไซต์ไม่ถูกต้อง '{}' (ต้องขึ้นต้นด้วย http:// หรือ https://)",
               "bad URL '{}' (must be an http:// or https:// address)"),
    "scheme": ("'{}': รับเฉพาะที่อยู่ http:// หรือ https://", "'{}': only http:// or https:// addresses are accepted"),
    "shared": ("'{}' ไม่ใช่เว็บไซต์ของหน่วยงานเอง (ไม่รับเครือข่ายสังคม ลิงก์ย่อ ที่ฝากไฟล์ และ ITAS)",
               "'{}' is not the agency's own website (social networks, short links, file hosts and ITAS are not "
               "accepted)"),
    "too_long": ("ที่อยู่เว็บไซต์ยาวเกินไป '{}'", "'{}' is too long"),
}


def kind_lookup() -> dict[str, str]:
    """compact key -> AgencyKind value, for the values, Thai and English labels and short forms."""
    lookup: dict[str, str] = {}
    for kind in AgencyKind:
        names = [kind.value, KIND_LABELS_TH[kind], *_KIND_SHORT.get(kind, ())]
        for language in ("en", "th"):
            with translation.override(language):
                names.append(str(kind.label))
        for name in names:
            lookup.setdefault(compact_key(name), kind.value)
    return lookup


def district_key(name: str) -> str:
    """Compact key of a district name without an "อำเภอ" or "อ." prefix."""
    text = text_key(name)
    for prefix in ("อำเภอ", "อ."):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
            break
    return compact_key(text)


def _in(province: Province) -> tuple[str, str]:
    th = province.name_th if province.name_th.startswith("จังหวัด") else f"จังหวัด{province.name_th}"
    return th, province.name_en or province.name_th


# ---------------------------------------------------------------------------------------------- the plan


@dataclass
class PlannedAgency:
    """One row that will create an agency (``agency`` is None) or change an existing one."""

    row: int
    agency: Agency | None
    changes: dict
    before: dict | None = None  # the agency as it was when the file was checked

    @property
    def name(self) -> str:
        return self.changes.get("name_th") or (self.agency.name_th if self.agency else "")


@dataclass
class ImportPlan(BasePlan):
    province: Province
    creates: list[PlannedAgency] = field(default_factory=list)
    updates: list[PlannedAgency] = field(default_factory=list)

    def counts(self):
        return [("สร้างใหม่", "to create", len(self.creates)), ("แก้ไข", "to update", len(self.updates)),
                ("ไม่เปลี่ยนแปลง", "unchanged", self.unchanged)]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (f"สร้างใหม่ {self.created} แก้ไข {self.updated} ไม่เปลี่ยนแปลง {self.unchanged} / "
                f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged")


class _RowReader:
    """Parses the cells of one row into field values, collecting errors."""

    def __init__(self, table: Table, columns: dict[str, int], province: Province, districts, kinds):
        self.table, self.columns, self.province = table, columns, province
        self.districts, self.kinds = districts, kinds

    def parse(self, row) -> tuple[dict, list[RowError]]:
        self.row, self.errors, values = row, [], {}
        for key, index in self.columns.items():
            raw = row[index].strip()
            header = self.table.headers[index].strip()
            parsed = getattr(self, f"_{key}")(raw, header)
            if parsed is not _INVALID:
                values[key] = parsed
        return values, self.errors

    def error(self, header: str, th: str, en: str):
        self.errors.append(RowError(self.row.number, header, th, en))
        return _INVALID

    def _text(self, name: str, raw: str, header: str):
        limit = _MAX_LENGTH[name]
        if len(raw) > limit:
            return self.error(header, f"ยาวเกิน {limit} ตัวอักษร (มี {len(raw)} ตัวอักษร)",
                              f"too long: {len(raw)} characters, at most {limit} allowed")
        return raw

    def _code(self, name: str, raw: str, header: str):
        code = arabic_digits(raw)
        return (self._text(name, code, header) or None) if code else None

    def _itas_code(self, raw, header):
        return self._code("itas_code", raw, header)

    def _dla_code(self, raw, header):
        return self._code("dla_code", raw, header)

    def _name_th(self, raw, header):
        if not raw:
            return self.error(header, "ต้องมีชื่อหน่วยงาน", "the Thai name is required")
        return self._text("name_th", raw, header)

    def _name_en(self, raw, header):
        return self._text("name_en", raw, header)

    def _contact_name(self, raw, header):
        return self._text("contact_name", raw, header)

    def _phone(self, raw, header):
        if not raw:
            return ""
        try:
            value = validation.normalise_phone(raw)
        except validation.Invalid as exc:
            if exc.reason == "too_long":
                return self.error(header, f"หมายเลขโทรศัพท์ยาวเกิน {validation.PHONE_MAX} ตัวอักษร '{raw}'",
                                  f"too many phone numbers (at most {validation.PHONE_MAX} characters) '{raw}'")
            return self.error(header, f"'{raw}' ไม่ใช่หมายเลขโทรศัพท์ในประเทศไทย (เช่น 042 811 234, 081 234 5678, "
                                      f"042 811 234 ต่อ 12)",
                              f"'{raw}' is not a Thai phone number (e.g. 042 811 234, 081 234 5678, "
                              f"042 811 234 ext. 12)")
        return self._text("phone", value, header)
    def _kind(self, raw, header):
        if not raw:
            return self.error(header, "ต้องระบุประเภทหน่วยงาน", "the kind of agency is required")
        kind = self.kinds.get(compact_key(raw))
        if kind is None:
            choices = ", ".join(KIND_LABELS_TH.values())
            return self.error(header, f"ไม่รู้จักประเภท '{raw}' (ใช้ได้: {choices})",
                              f"unknown kind '{raw}' (accepted: {choices} or {', '.join(AgencyKind.values)})")
        return kind

    def _district(self, raw, header):
        if not raw:
            return None
        district = self.districts.get(arabic_digits(raw).strip()) or self.districts.get(district_key(raw))
        if district is None:
            th, en = _in(self.province)
            return self.error(header, f"ไม่พบอำเภอ '{raw}' ใน{th}", f"unknown district '{raw}' in {en}")
        return district.pk

    def _website(self, raw, header):
        if not raw:
            return ""
        try:
            url = validation.normalise_website(raw)
            _URL(url)
        except validation.Invalid as exc:
            th, en = _WEBSITE_PROBLEMS.get(exc.reason, _WEBSITE_PROBLEMS["format"])
            return self.error(header, th.format(raw), en.format(raw))
        except ValidationError:
            th, en = _WEBSITE_PROBLEMS["format"]
            return self.error(header, th.format(raw), en.format(raw))
        return self._text("website", url, header)

    def _email(self, raw, header):
        if not raw:
            return ""
        try:
            validate_email(raw)
        except ValidationError:
            return self.error(header, f"อีเมลไม่ถูกต้อง '{raw}'", f"bad e-mail address '{raw}'")
        return self._text("email", raw, header)

    def _active(self, raw, header):
        if not raw:
            return None  # default: yes for a new agency, unchanged for an existing one
        key = compact_key(raw)
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
        return self.error(header, f"ค่า '{raw}' ไม่ถูกต้อง ต้องเป็น ใช่ หรือ ไม่ใช่",
                          f"'{raw}' is not a yes/no value (use ใช่/ไม่ใช่, yes/no, 1/0, true/false)")


_INVALID = object()
_NORMALISE = {"phone": validation.normalise_phone, "website": validation.normalise_website}


def _same(field_name: str, stored, value) -> bool:
    """Whether an imported value leaves a stored one as it is: equal, or (phone, website) the same once
    normalised — a value stored in another form by an older import is not a change."""
    if stored == value:
        return True
    normalise = _NORMALISE.get(field_name)
    if normalise is None or not stored:
        return False
    try:
        return normalise(stored) == value
    except validation.Invalid:
        return False


def _other_owners(field_name: str, codes: set[str], province: Province) -> dict[str, Agency]:
    """Agencies of other provinces holding any of ``codes`` (looked up in chunks)."""
    owners: dict[str, Agency] = {}
    codes_list = sorted(codes)
    for start in range(0, len(codes_list), 500):
        chunk = codes_list[start:start + 500]
        for agency in (Agency.objects.exclude(province=province).filter(**{f"{field_name}__in": chunk})
                       .select_related("province").only("pk", "name_th", field_name, "province__name_th")):
            owners[getattr(agency, field_name)] = agency
    return owners


def plan_agency_import(*, data: bytes, filename: str, province: Province) -> ImportPlan:
    """Read and check an agency file for ``province``; write nothing."""
    plan = ImportPlan(province=province, filename=filename)
    table = read_import(data, filename, plan.errors)
    if table is None:
        return plan
    plan.rows = len(table.rows)
    columns, header_errors = map_headers(table, COLUMNS)
    if header_errors:
        plan.errors = header_errors
        return plan

    # Everything the rows are checked against, loaded once.
    districts: dict[str, District] = {}
    for district in District.objects.filter(province=province):
        for key in (district.geocode, district_key(district.name_th), compact_key(district.name_th),
                    compact_key(district.name_en) if district.name_en else ""):
            if key:
                districts.setdefault(key, district)
    existing = list(Agency.objects.filter(province=province))
    by_itas = {a.itas_code: a for a in existing if a.itas_code}
    by_dla = {a.dla_code: a for a in existing if a.dla_code}
    has_district = "district" in columns
    by_name: dict[tuple, list[Agency]] = defaultdict(list)
    for a in existing:
        by_name[(text_key(a.name_th), a.district_id if has_district else None)].append(a)

    reader = _RowReader(table, columns, province, districts, kind_lookup())
    parsed: list[tuple[int, dict]] = []
    first_row_of: dict[tuple, int] = {}
    for row in table.rows:
        values, errors = reader.parse(row)
        plan.errors.extend(errors)
        for key in ("itas_code", "dla_code"):
            code = values.get(key)
            if code:
                seen = first_row_of.setdefault((key, code), row.number)
                if seen != row.number:
                    plan.errors.append(RowError(
                        row.number, table.headers[columns[key]].strip(),
                        f"{_HEADER[key]} '{code}' ซ้ำกันในแถว {seen} และแถว {row.number}",
                        f"{'ITAS' if key == 'itas_code' else 'DLA'} code '{code}' appears in both row {seen} "
                        f"and row {row.number}"))
        if not errors:
            parsed.append((row.number, values))

    other_itas = _other_owners("itas_code", {v["itas_code"] for _, v in parsed if v.get("itas_code")}
                               - set(by_itas), province)
    other_dla = _other_owners("dla_code", {v["dla_code"] for _, v in parsed if v.get("dla_code")}
                              - set(by_dla), province)
    claimed: dict[int, int] = {}  # agency pk -> row that matched it
    new_names: dict[tuple, int] = {}
    for number, values in parsed:
        header = table.headers[columns["name_th"]].strip()
        agency = by_itas.get(values.get("itas_code")) if values.get("itas_code") else None
        if agency is None and values.get("dla_code"):
            agency = by_dla.get(values["dla_code"])
        name_key = (text_key(values["name_th"]), values.get("district") if has_district else None)
        if agency is None:
            candidates = by_name.get(name_key, [])
            if len(candidates) > 1:
                plan.errors.append(RowError(
                    number, header,
                    f"มีหน่วยงานชื่อ '{values['name_th']}' มากกว่าหนึ่งแห่ง กรุณาระบุรหัส ITAS หรือรหัส อปท.",
                    f"more than one agency is called '{values['name_th']}'; give its ITAS or DLA code"))
                continue
            agency = candidates[0] if candidates else None
        if agency is not None:
            if agency.pk in claimed:
                plan.errors.append(RowError(
                    number, header, f"แถว {claimed[agency.pk]} และแถว {number} เป็นหน่วยงานเดียวกัน ({agency.name_th})",
                    f"rows {claimed[agency.pk]} and {number} are the same agency ({agency.name_th})"))
                continue
            claimed[agency.pk] = number
        else:
            seen = new_names.setdefault(name_key, number)
            if seen != number:
                plan.errors.append(RowError(
                    number, header,
                    f"หน่วยงานใหม่ชื่อ '{values['name_th']}' ซ้ำกันในแถว {seen} และแถว {number}",
                    f"new agency '{values['name_th']}' appears in both row {seen} and row {number}"))
                continue

        conflict = False
        for key, own, other in (("itas_code", by_itas, other_itas), ("dla_code", by_dla, other_dla)):
            code = values.get(key)
            owner = (own.get(code) or other.get(code)) if code else None
            if owner is not None and owner != agency:
                conflict = True
                where = "" if owner.province_id == province.pk else f" ({owner.province.name_th})"
                label_en = "ITAS" if key == "itas_code" else "DLA"
                plan.errors.append(RowError(
                    number, table.headers[columns[key]].strip(),
                    f"{_HEADER[key]} '{code}' เป็นของหน่วยงานอื่นแล้ว: {owner.name_th}{where}",
                    f"{label_en} code '{code}' already belongs to another agency: {owner.name_th}{where}"))
        if conflict:
            continue

        changes = {("district_id" if k == "district" else k): v for k, v in values.items()}
        if agency is None:
            if changes.get("active") is None:
                changes["active"] = True
            changes["province_id"] = province.pk
            changes["source"] = f"นำเข้าจากไฟล์ {filename}"[:200]
            plan.creates.append(PlannedAgency(number, None, changes))
            continue
        if changes.get("active") is None:
            changes.pop("active", None)
        diff = {k: v for k, v in changes.items() if not _same(k, getattr(agency, k), v)}
        if diff:
            plan.updates.append(PlannedAgency(number, agency, diff, audit.snapshot(agency, AGENCY_FIELDS)))
        else:
            plan.unchanged += 1
    plan.errors.sort(key=lambda e: (e.row or 0))
    return plan


# ---------------------------------------------------------------------------------------------- applying


BULK_THRESHOLD = 200  # above this many writes, create/update in bulk instead of one save_agency per row


@transaction.atomic
def apply_agency_import(*, actor, plan: ImportPlan) -> ImportResult:
    """Write a checked plan in one transaction, one history event per created or changed agency.
    Refuses (:class:`ImportRefused`, nothing written) a plan with errors, or one whose agencies were
    changed by someone else since the file was checked.

    Small plans go through :func:`registry.services.save_agency` row by row; large ones are written
    in bulk (same checks, same history events, a hundred times fewer queries)."""
    if plan.errors:
        raise ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"the file has {len(plan.errors)} errors, so nothing was imported", plan.errors)
    current = {}
    ids = [p.agency.pk for p in plan.updates]
    for start in range(0, len(ids), 500):
        current.update(Agency.objects.order_by().select_for_update(of=("self",)).in_bulk(ids[start:start + 500]))
    stale = [p for p in plan.updates
             if p.agency.pk not in current or audit.snapshot(current[p.agency.pk], AGENCY_FIELDS) != p.before]
    if stale:
        errors = [RowError(p.row, "", f"หน่วยงาน '{p.agency.name_th}' ถูกแก้ไขหรือลบหลังการตรวจไฟล์",
                           f"agency '{p.agency.name_th}' was changed or deleted after the file was checked")
                  for p in stale]
        raise ImportRefused("ข้อมูลเปลี่ยนไปหลังการตรวจไฟล์ กรุณาตรวจไฟล์ใหม่อีกครั้ง",
                            "the data changed after the file was checked; check the file again", errors)
    if len(plan.creates) + len(plan.updates) > BULK_THRESHOLD:
        return _apply_in_bulk(actor, plan, current)
    result = ImportResult(unchanged=plan.unchanged)
    for planned in plan.creates:
        _save(actor, Agency(), planned)
        result.created += 1
    for planned in plan.updates:
        if _save(actor, current[planned.agency.pk], planned):
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _refused(planned: PlannedAgency, exc: Exception) -> ImportRefused:
    if isinstance(exc, ValidationError):
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()) \
            if hasattr(exc, "error_dict") else " ".join(exc.messages)
    else:
        detail = str(exc)
    return ImportRefused(f"แถว {planned.row}: บันทึกไม่ได้ ({detail}) จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                         f"row {planned.row}: cannot be saved ({detail}), so nothing was imported",
                         [RowError(planned.row, "", detail, detail)])


def _save(actor, agency: Agency, planned: PlannedAgency) -> bool:
    try:
        return save_agency(actor=actor, agency=agency, changes=dict(planned.changes))
    except ValidationError as exc:
        raise _refused(planned, exc) from exc


def _apply_in_bulk(actor, plan: ImportPlan, current: dict[int, Agency]) -> ImportResult:
    """The bulk path. The plan has checked every field (lengths, URL, e-mail, kind, district, codes
    unique in the file and in the database), so no model validation runs again here; the database's
    unique constraints are the last guard against a code added by someone else meanwhile."""
    result = ImportResult(unchanged=plan.unchanged)

    def event(action, agency, before):
        return audit.build(actor=actor, action=action, obj=agency, before=before,
                           after=audit.snapshot(agency, AGENCY_FIELDS))

    new: list[Agency] = []
    for planned in plan.creates:
        agency = Agency()
        for name, value in planned.changes.items():
            setattr(agency, name, value)
        new.append(agency)
    updated: list[tuple[Agency, PlannedAgency]] = []
    fields: set[str] = set()
    for planned in plan.updates:
        agency = current[planned.agency.pk]
        for name, value in planned.changes.items():
            setattr(agency, name, value)
        if audit.snapshot(agency, AGENCY_FIELDS) == planned.before:
            result.unchanged += 1
            continue
        fields.update(planned.changes)
        updated.append((agency, planned))
    try:
        Agency.objects.bulk_create(new, batch_size=500)
        if updated:
            Agency.objects.bulk_update([a for a, _ in updated], sorted(fields), batch_size=500)
    except IntegrityError as exc:
        raise ImportRefused(f"บันทึกไม่ได้ ({exc}) อาจมีผู้อื่นเพิ่มรหัสเดียวกันระหว่างนี้ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"cannot save ({exc}); someone may have added the same code meanwhile, "
                            f"so nothing was imported") from exc
    if any(a.pk is None for a in new):  # a backend that cannot return ids from a bulk insert
        raise ImportRefused("ฐานข้อมูลนี้ไม่คืนรหัสระเบียนจากการเพิ่มแบบกลุ่ม", "this database does not return ids "
                            "from bulk inserts")
    events = [event(AGENCY_CREATE, a, None) for a in new]
    events += [event(AGENCY_UPDATE, a, planned.before) for a, planned in updated]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    result.created, result.updated = len(new), len(updated)
    return result


# ---------------------------------------------------------------------------------------------- export


def agency_row(agency: Agency) -> list[str]:
    return [
        agency.itas_code or "",
        agency.dla_code or "",
        agency.name_th,
        agency.name_en,
        KIND_LABELS_TH.get(agency.kind, agency.kind),
        agency.district.name_th if agency.district_id else "",
        agency.website,
        agency.contact_name,
        agency.phone,
        agency.email,
        YES if agency.active else NO,
    ]


def export_agencies(path_or_buffer, queryset, fmt: str | None = None) -> int:
    """Write the agencies of ``queryset`` in the import format (``fmt`` "xlsx" or "csv"; taken from the
    file name when a path is given). Returns the number of agencies written."""
    rows = [agency_row(a) for a in queryset.select_related("district")]
    write_table(path_or_buffer, HEADERS, rows, fmt)
    return len(rows)
