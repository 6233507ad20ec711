"""People as a spreadsheet: one row per person and role (docs/import-formats.md, "People").

``plan_people_import`` reads and checks a whole file and writes nothing; ``apply_people_import`` writes a
plan without errors in one transaction through ``services.invite_person`` (one history event per person)
and the invitation e-mails go out after the commit.

Columns: ``ชื่อ-นามสกุล`` (name), ``อีเมล`` (e-mail), ``LINE ID`` (optional), ``หน่วยงาน`` (agency: ITAS
code, DLA code or exact Thai name) or ``สำนักงาน`` (supervising office: its short code or name), and
``บทบาท`` (role, Thai or English). A secretariat row names neither an agency nor an office: it is for the
province the file is imported into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation

from itadesk.accounts import access
from itadesk.accounts.access import followed_agencies
from itadesk.accounts.models import AGENCY_ROLES, OFFICE_ROLES, Membership, Role
from itadesk.accounts.services import invite_person
from itadesk.core.tabular import (
    BasePlan,
    Column,
    ImportRefused,
    RowError,
    compact_key,
    map_headers,
    read_import,
    text_key,
)
from itadesk.registry.lookup import AgencyLookup
from itadesk.registry.models import Agency, Province, SupervisingOffice

COLUMNS = (
    Column("name", "ชื่อ-นามสกุล", "name", ("ชื่อ", "ชื่อนามสกุล", "full name", "fullname", "ชื่อผู้ใช้งาน"),
           required=True),
    Column("email", "อีเมล", "e-mail", ("อีเมล์", "email address", "e-mail address", "mail"), required=True),
    Column("line_id", "LINE ID", "LINE ID", ("line", "ไลน์", "ไอดีไลน์", "ไลน์ไอดี", "line_id")),
    Column("agency", "หน่วยงาน", "agency", ("รหัสหน่วยงาน", "รหัส ITAS", "รหัส อปท.", "itas code", "dla code",
                                             "agency code")),
    Column("office", "สำนักงาน", "office", ("หน่วยงานกำกับติดตาม", "สำนักงานกำกับติดตาม", "office code",
                                             "supervising office")),
    Column("role", "บทบาท", "role", ("ตำแหน่งในระบบ", "สิทธิ์"), required=True),
)
HEADERS = [c.header for c in COLUMNS]

ROLE_ALIASES = {
    Role.AGENCY_ADMIN: ("แอดมิน", "ผู้ดูแลระบบ", "ผู้ดูแล", "admin", "แอดมินหน่วยงาน"),
    Role.AGENCY_EXECUTIVE: ("ผู้บริหาร", "executive", "ผู้บริหารสูงสุด"),
    Role.OFFICER: ("เจ้าหน้าที่", "officer", "เจ้าหน้าที่สำนักงาน", "เจ้าหน้าที่กำกับติดตาม"),
    Role.REVIEWER: ("ผู้ตรวจ", "ผู้ประเมิน", "reviewer"),
    Role.SECRETARIAT: ("เลขานุการ", "ฝ่ายเลขานุการ", "secretariat", "ฝ่ายเลขา"),
}
LINE_ID = re.compile(r"^@?[A-Za-z0-9._-]{1,50}$")


def role_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for role in Role:
        names = [role.value, *ROLE_ALIASES.get(role, ())]
        for language in ("th", "en"):
            with translation.override(language):
                names.append(str(role.label))
        for name in names:
            lookup.setdefault(compact_key(name), role.value)
    return lookup


def role_th(role: str) -> str:
    with translation.override("th"):
        return str(Role(role).label)


class OfficeLookup:
    def __init__(self, offices):
        self.by_key: dict[str, SupervisingOffice] = {}
        for office in offices:
            for key in (office.code, office.short_name, office.name_th, office.name_en):
                if key:
                    self.by_key.setdefault(text_key(key), office)

    def find(self, raw: str):
        office = self.by_key.get(text_key(raw))
        if office is not None:
            return office, None
        codes = ", ".join(sorted({o.code for o in self.by_key.values()}))
        return None, (f"ไม่พบสำนักงาน '{raw}' (ใช้รหัสสำนักงาน: {codes})",
                      f"unknown office '{raw}' (give the office's code: {codes})")


@dataclass
class PlannedPerson:
    row: int
    name: str
    email: str
    line_id: str
    role: str
    province: Province | None = None
    office: SupervisingOffice | None = None
    agency: Agency | None = None
    user: object = None  # an existing account without any role, which gets this one

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def last_name(self) -> str:
        parts = self.name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def target(self):
        return self.agency or self.office or self.province

    @property
    def role_th(self) -> str:
        return role_th(self.role)


@dataclass
class PeoplePlan(BasePlan):
    province: Province
    people: list[PlannedPerson] = field(default_factory=list)

    def counts(self):
        return [("เชิญ {} คน", "to invite", len(self.people)), ("มีอยู่แล้ว", "already there", self.unchanged)]


@dataclass
class PeopleResult:
    invited: int = 0
    unchanged: int = 0
    sent: bool = True

    def __str__(self) -> str:
        th = f"เพิ่ม {self.invited} คน" + (" และส่งอีเมลคำเชิญแล้ว" if self.sent and self.invited else "")
        en = f"{self.invited} people added" + (", invitations e-mailed" if self.sent and self.invited else "")
        return f"{th} มีอยู่แล้ว {self.unchanged} / {en}, {self.unchanged} already there"


def _describe(m: Membership, en: bool = False) -> str:
    target = m.agency or m.office or m.province
    return f"{m.role if en else role_th(m.role)} {target.name_th if target else ''}".strip()


def plan_people_import(*, data: bytes, filename: str, province: Province, actor) -> PeoplePlan:
    """Read and check a people file for ``province``; write nothing. With the secretariat's rights (or a
    superuser's) any role on the province, its offices and agencies; as an officer only agency admins and
    executives of the agencies the officer's office follows."""
    plan = PeoplePlan(province=province, filename=filename)
    table = read_import(data, filename, plan.errors)
    if table is None:
        return plan
    plan.rows = len(table.rows)
    columns, errors = map_headers(table, COLUMNS)
    if not errors and "agency" not in columns and "office" not in columns:
        errors.append(RowError(table.header_row, "หน่วยงาน", "ต้องมีคอลัมน์ 'หน่วยงาน' หรือ 'สำนักงาน'",
                               "a column 'หน่วยงาน' (agency) or 'สำนักงาน' (office) is required"))
    if errors:
        plan.errors = errors
        return plan
    header = {key: table.headers[index].strip() for key, index in columns.items()}

    scope = access.scope_for(actor)
    full = actor is None or access.predicates.secretariat_of(scope, province.pk)  # None: the system (demo, CLI)
    allowed_agencies = None if full else set(followed_agencies(actor, province.pk).values_list("pk", flat=True))
    agencies = AgencyLookup(Agency.objects.filter(province=province))
    offices = OfficeLookup(SupervisingOffice.objects.filter(province=province))
    roles = role_lookup()

    def cell(row, key):
        return row[columns[key]].strip() if key in columns else ""

    emails_in_file = {cell(r, "email").lower() for r in table.rows if cell(r, "email")}
    User = get_user_model()
    users = {}
    for user in (User.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails_in_file)
                 .order_by("pk")):
        users.setdefault(user.email_key, user)
    by_username = {u.username.lower(): u for u in User.objects.annotate(key=Lower("username"))
                   .filter(key__in=emails_in_file)}
    memberships = {}
    for m in Membership.objects.filter(user__in={*users.values(), *by_username.values()}).select_related(
            "province", "office", "agency"):
        memberships.setdefault(m.user_id, []).append(m)
    seen: dict[str, int] = {}

    for row in table.rows:
        row_errors = len(plan.errors)

        def error(key, th, en, row=row):
            plan.errors.append(RowError(row.number, header.get(key, ""), th, en))

        name = " ".join(cell(row, "name").split())
        if not name:
            error("name", "ต้องระบุชื่อ-นามสกุล", "the name is required")
        elif len(name) > 150:
            error("name", "ชื่อยาวเกิน 150 ตัวอักษร", "the name is longer than 150 characters")

        email = cell(row, "email")
        if not email:
            error("email", "ต้องระบุอีเมล", "the e-mail address is required")
        else:
            try:
                validate_email(email)
            except ValidationError:
                error("email", f"อีเมล '{email}' ไม่ถูกต้อง", f"'{email}' is not a valid e-mail address")
                email = ""
            else:
                if len(email) > 150:  # the e-mail becomes the user name
                    error("email", "อีเมลยาวเกิน 150 ตัวอักษร", "the e-mail address is longer than 150 characters")
                    email = ""
        key = email.lower()
        if key:
            first = seen.setdefault(key, row.number)
            if first != row.number:
                error("email", f"อีเมล '{email}' ซ้ำกันในแถว {first} และแถว {row.number} (หนึ่งคนมีหนึ่งบทบาทต่อไฟล์)",
                      f"the e-mail '{email}' appears in both row {first} and row {row.number} "
                      f"(one role per person in a file)")

        line_id = cell(row, "line_id")
        if line_id and not LINE_ID.match(line_id):
            error("line_id", f"LINE ID '{line_id}' ไม่ถูกต้อง (ใช้ได้เฉพาะ a-z 0-9 . _ - ไม่เกิน 50 ตัว)",
                  f"'{line_id}' is not a LINE ID (letters, digits, '.', '_' and '-', at most 50)")

        raw_role = cell(row, "role")
        role = roles.get(compact_key(raw_role)) if raw_role else None
        if role is None:
            choices = ", ".join(role_th(r) for r in Role)
            if raw_role:
                error("role", f"ไม่รู้จักบทบาท '{raw_role}' (ใช้ได้: {choices})",
                      f"unknown role '{raw_role}' (accepted: {choices} or {', '.join(Role.values)})")
            else:
                error("role", "ต้องระบุบทบาท", "the role is required")

        raw_agency, raw_office = cell(row, "agency"), cell(row, "office")
        agency = office = target_province = None
        if raw_agency and raw_office:
            error("agency", "ระบุได้อย่างใดอย่างหนึ่ง: หน่วยงานหรือสำนักงาน ไม่ใช่ทั้งสอง",
                  "give either the agency or the office, not both")
        elif raw_agency:
            agency, problem = agencies.find(raw_agency)
            if problem:
                error("agency", *problem)
            elif allowed_agencies is not None and agency.pk not in allowed_agencies:
                error("agency", f"'{agency.name_th}' ไม่ใช่หน่วยงานที่สำนักงานของคุณกำกับติดตาม",
                      f"'{agency.name_th}' is not an agency your office follows")
                agency = None
            elif not agency.active:
                error("agency", f"'{agency.name_th}' ถูกปิดใช้งานในทะเบียน", f"'{agency.name_th}' is inactive")
                agency = None
        elif raw_office:
            office, problem = offices.find(raw_office)
            if problem:
                error("office", *problem)

        if role is not None:
            label = role_th(role)
            if not full and role not in AGENCY_ROLES:
                error("role", f"สำนักงานกำกับติดตามนำเข้าได้เฉพาะผู้ดูแลระบบและผู้บริหารของหน่วยงาน ไม่ใช่ '{label}'",
                      f"an office may import only agency admins and executives, not '{role}'")
            elif role in AGENCY_ROLES and not raw_agency:
                error("agency", f"บทบาท '{label}' ต้องระบุหน่วยงาน (รหัส ITAS หรือรหัส อปท.)"
                      + (" ไม่ใช่สำนักงาน" if raw_office else ""),
                      f"the role '{role}' needs an agency (ITAS or DLA code)" + (", not an office" if raw_office
                                                                                  else ""))
            elif role in OFFICE_ROLES and not raw_office:
                error("office", f"บทบาท '{label}' ต้องระบุสำนักงาน" + (" ไม่ใช่หน่วยงาน" if raw_agency else ""),
                      f"the role '{role}' needs an office" + (", not an agency" if raw_agency else ""))
            elif role == Role.SECRETARIAT:
                if raw_agency or raw_office:
                    error("role", f"บทบาท '{label}' เป็นของจังหวัด ไม่ต้องระบุหน่วยงานหรือสำนักงาน",
                          f"the role '{role}' is for the province: leave the agency and office empty")
                else:
                    target_province = province

        if len(plan.errors) > row_errors or not (agency or office or target_province):
            continue
        user = users.get(key) or by_username.get(key)
        if user is not None:
            held = memberships.get(user.pk, [])
            same = [m for m in held if m.role == role and m.agency_id == getattr(agency, "pk", None)
                    and m.office_id == getattr(office, "pk", None)
                    and m.province_id == getattr(target_province, "pk", None)]
            if user.is_superuser:
                error("email", f"อีเมล '{email}' เป็นของผู้ดูแลระบบสูงสุดอยู่แล้ว",
                      f"'{email}' belongs to a superuser account")
            elif not user.is_active:
                error("email", f"บัญชี '{email}' ถูกระงับอยู่ เปิดใช้งานได้ที่หน้ารายชื่อบุคคล",
                      f"the account '{email}' is deactivated; reactivate it on the people page")
            elif same:
                plan.unchanged += 1
            elif held:
                error("email", f"อีเมล '{email}' เป็นของบัญชีที่มีบทบาทอื่นอยู่แล้ว "
                               f"({'; '.join(_describe(m) for m in held)})",
                      f"'{email}' belongs to an account that already holds another role "
                      f"({'; '.join(_describe(m, en=True) for m in held)})")
            else:
                plan.people.append(PlannedPerson(row.number, name, email, line_id, role, target_province, office,
                                                 agency, user))
            continue
        plan.people.append(PlannedPerson(row.number, name, email, line_id, role, target_province, office, agency))
    plan.errors.sort(key=lambda e: e.row or 0)
    return plan


@transaction.atomic
def apply_people_import(*, actor, plan: PeoplePlan, send: bool = True, now=None) -> PeopleResult:
    """Write a checked plan in one transaction (one history event per person); the invitations go out
    after the commit when ``send``. Refuses (:class:`ImportRefused`, nothing written) a plan with errors
    or one whose accounts changed since the file was checked."""
    if plan.errors:
        raise ImportRefused(f"ไฟล์มีข้อผิดพลาด {len(plan.errors)} รายการ จึงไม่ได้นำเข้าข้อมูลใด ๆ",
                            f"the file has {len(plan.errors)} errors, so nothing was imported", plan.errors)
    User = get_user_model()
    stale = []
    for person in plan.people:
        key = person.email.lower()
        taken = User.objects.annotate(e=Lower("email"), u=Lower("username")).filter(Q(e=key) | Q(u=key))
        if person.user is None and taken.exists():
            stale.append(person)
        elif person.user is not None and Membership.objects.filter(user=person.user).exists():
            stale.append(person)
    if stale:
        errors = [RowError(p.row, "", f"มีบัญชีอีเมล '{p.email}' เกิดขึ้นหลังการตรวจไฟล์",
                           f"an account for '{p.email}' changed after the file was checked") for p in stale]
        raise ImportRefused("ข้อมูลเปลี่ยนไปหลังการตรวจไฟล์ กรุณาตรวจไฟล์ใหม่อีกครั้ง",
                            "the data changed after the file was checked; check the file again", errors)
    now = now or timezone.now()
    for person in plan.people:
        invite_person(actor=actor, email=person.email, first_name=person.first_name, last_name=person.last_name,
                      line_id=person.line_id, role=person.role, province=person.province, office=person.office,
                      agency=person.agency, user=person.user, send=send, now=now)
    return PeopleResult(invited=len(plan.people), unchanged=plan.unchanged, sent=send)

