"""Every write to the registry goes through here: one transaction, one history event per change."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from itadesk.core import audit
from itadesk.core.thai import arabic_digits
from itadesk.registry import validation
from itadesk.registry.lookup import AgencyLookup
from itadesk.registry.models import Agency, AgencyKind, District

# History event types (also written by the spreadsheet import, ``registry.importing``).
AGENCY_CREATE = "agency.create"
AGENCY_UPDATE = "agency.update"

AGENCY_FIELDS = ["name_th", "name_en", "kind", "district_id", "itas_code", "dla_code", "website",
                 "contact_name", "phone", "email", "active"]


@transaction.atomic
def save_agency(*, actor, agency: Agency, changes: dict, action: str | None = None) -> bool:
    """Apply ``changes`` (field -> value) to ``agency`` and record history. Returns True if anything
    changed. A new (unsaved) agency is created."""
    creating = agency.pk is None
    before = None if creating else audit.snapshot(agency, AGENCY_FIELDS)
    for name, value in changes.items():
        setattr(agency, name, value)
    after = audit.snapshot(agency, AGENCY_FIELDS)
    if not creating and before == after:
        return False
    agency.full_clean()
    agency.save()
    audit.record(actor=actor, action=action or (AGENCY_CREATE if creating else AGENCY_UPDATE),
                 obj=agency, before=before, after=after)
    return True


# --- editing agencies in the UI (the secretariat; contact fields also the agency's own admin) ---------------

# Who may change what is decided in accounts.access (edit_agency, edit_agency_contacts); these lists say which
# fields each kind of editor gets. The website counts as a contact field: the agency's admin knows it best.
EDITABLE_FIELDS = ("name_th", "name_en", "kind", "district_id", "itas_code", "website", "contact_name", "phone",
                   "email", "active")
CONTACT_FIELDS = ("contact_name", "phone", "email", "website")


@dataclass
class AgencyUpdate:
    agency: Agency
    changed: bool
    warnings: list[str] = field(default_factory=list)


class ItasFillRefused(Exception):
    """A bulk ITAS-code fill with problems; nothing was written. ``errors``: (agency or None, message)."""

    def __init__(self, errors: list[tuple[Agency | None, str]]):
        super().__init__("; ".join(m for _, m in errors))
        self.errors = errors


def itas_code_owner(code: str, *, exclude_pk: int | None = None) -> Agency | None:
    """The agency (of any province) that already holds ``code``, compared without case."""
    qs = Agency.objects.filter(itas_code__iexact=code).select_related("province")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _owner_label(owner: Agency, province_id: int) -> str:
    return owner.name_th if owner.province_id == province_id else f"{owner.name_th} ({owner.province.name_th})"


def _itas_problem(raw, agency: Agency) -> tuple[str | None, str | None]:
    """(normalised code, None) or (None, message)."""
    try:
        code = validation.normalise_itas_code(raw)
    except validation.Invalid:
        return None, _("'%(value)s' is not an ITAS code: use 3 to 20 letters (a–z) or digits, without spaces.") % {
            "value": raw}
    if code:
        owner = itas_code_owner(code, exclude_pk=agency.pk)
        if owner is not None:
            return None, _("ITAS code '%(code)s' already belongs to %(agency)s.") % {
                "code": code, "agency": _owner_label(owner, agency.province_id)}
    return code, None


def _clean_changes(agency: Agency, changes: dict) -> dict:
    """Normalise and check every changed field; ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, raw in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name!r} cannot be edited here")
        current = getattr(agency, name)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw == current or (raw in ("", None) and current in ("", None)):
            continue  # unchanged values are kept as stored, even if an older import stored another form
        if name == "itas_code":
            value, problem = _itas_problem(raw, agency)
        elif name == "website":
            value, problem = _website(raw)
        elif name == "phone":
            try:
                value, problem = validation.normalise_phone(raw), None
            except validation.Invalid as exc:
                value, problem = None, (
                    _("Too many phone numbers: at most %(n)s characters.") % {"n": validation.PHONE_MAX}
                    if exc.reason == "too_long" else
                    _("'%(value)s' is not a Thai phone number (e.g. 042 811 234, 081 234 5678, 042 811 234 ext. 12).")
                    % {"value": raw})
        elif name == "email":
            value, problem = _lower_domain(raw or ""), None
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    value, problem = None, _("'%(value)s' is not an e-mail address.") % {"value": raw}
        elif name == "kind":
            value, problem = raw, None
            if raw not in AgencyKind.values:
                problem = _("'%(value)s' is not a kind of agency.") % {"value": raw}
        elif name == "district_id":
            value, problem = (int(raw) if str(raw).isdigit() else raw or None), None
            if value is not None and (not isinstance(value, int) or not District.objects.filter(
                    pk=value, province_id=agency.province_id).exists()):
                problem = _("This district is not in %(province)s.") % {"province": agency.province.name_th}
        elif name == "name_th":
            value, problem = raw, (None if raw else _("The Thai name is required."))
        elif name == "active":
            value, problem = bool(raw), None
        else:
            value, problem = raw or "", None
        if problem is None and isinstance(value, str):
            limit = Agency._meta.get_field(name).max_length
            if limit and len(value) > limit:
                problem = _("At most %(limit)s characters (this has %(n)s).") % {"limit": limit, "n": len(value)}
        if problem:
            errors.setdefault(name.removesuffix("_id"), []).append(problem)
        else:
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lower_domain(address: str) -> str:
    local, at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}" if at else address


def _website(raw) -> tuple[str | None, str | None]:
    try:
        url = validation.normalise_website(raw)
    except validation.Invalid as exc:
        messages = {
            "scheme": _("'%(value)s': only http:// or https:// addresses are accepted."),
            "shared": _("'%(value)s' is not the agency's own website (social networks, short links, file "
                        "hosts and ITAS are not accepted)."),
            "too_long": _("'%(value)s' is too long."),
        }
        return None, messages.get(exc.reason, _("'%(value)s' is not a web address.")) % {"value": raw}
    try:
        URLValidator(schemes=["http", "https"])(url) if url else None
    except ValidationError:
        return None, _("'%(value)s' is not a web address.") % {"value": raw}
    return url, None


def current_rounds_of(agency: Agency) -> list:
    """The current rounds the agency takes part in (read through the reverse relation, so the registry
    imports nothing from the rounds app above it)."""
    return [p.round for p in agency.participations.filter(round__is_current=True).select_related("round")]


@transaction.atomic
def update_agency(*, actor, agency: Agency, changes: dict) -> AgencyUpdate:
    """Change an existing agency (fields of ``EDITABLE_FIELDS``; ``district_id`` as an id): every value is
    normalised and checked (ValidationError naming each bad field; nothing written), then stored with one
    history event (action ``agency.update``, before/after). Deactivating an agency that takes part in a
    current round is allowed; the result carries a warning (it stays in the round and its history)."""
    locked = Agency.objects.select_for_update(of=("self",)).select_related("province").get(pk=agency.pk)
    cleaned = _clean_changes(locked, changes)
    was_active = locked.active
    changed = save_agency(actor=actor, agency=locked, changes=cleaned, action=AGENCY_UPDATE) if cleaned else False
    warnings = []
    if changed and was_active and not locked.active:
        rounds = current_rounds_of(locked)
        if rounds:
            warnings.append(_("%(agency)s takes part in the current round %(rounds)s. It stays in that round and "
                              "its history; remove it from the round's participants if it should not be "
                              "followed.") % {"agency": locked.name_th, "rounds": ", ".join(r.name for r in rounds)})
    return AgencyUpdate(agency=locked, changed=changed, warnings=warnings)


def update_agency_contacts(*, actor, agency: Agency, changes: dict) -> AgencyUpdate:
    """What an agency's own admin may change: ``CONTACT_FIELDS`` only; any other field is refused."""
    other = sorted(set(changes) - set(CONTACT_FIELDS))
    if other:
        raise PermissionDenied(f"only contact fields may be changed here, not {', '.join(other)}")
    return update_agency(actor=actor, agency=agency, changes=changes)


# --- ITAS codes in bulk --------------------------------------------------------------------------------------

@transaction.atomic
def fill_itas_codes(*, actor, province, codes: dict[int, str]) -> int:
    """Give ITAS codes to agencies of ``province`` that have none (agency id -> code; empty codes are
    skipped). All or nothing: every problem (bad format, a code given twice, a code another agency holds,
    an agency of another province or one that has a code by now) is collected and raised as
    :class:`ItasFillRefused`; otherwise each agency is saved with its own history event. Returns how many."""
    wanted = {int(pk): (raw or "").strip() for pk, raw in codes.items() if (raw or "").strip()}
    agencies = Agency.objects.order_by().select_for_update(of=("self",)).in_bulk(list(wanted))
    errors: list[tuple[Agency | None, str]] = []
    normalised: dict[int, str] = {}
    first_with: dict[str, Agency] = {}
    for pk, raw in wanted.items():
        agency = agencies.get(pk)
        if agency is None or agency.province_id != province.pk:
            errors.append((None, _("Agency #%(id)s is not an agency of %(province)s.") % {
                "id": pk, "province": province.name_th}))
            continue
        if agency.itas_code:
            errors.append((agency, _("%(agency)s already has ITAS code '%(code)s'; change it on the agency's page.")
                           % {"agency": agency.name_th, "code": agency.itas_code}))
            continue
        code, problem = _itas_problem(raw, agency)
        if problem:
            errors.append((agency, f"{agency.name_th}: {problem}"))
            continue
        other = first_with.setdefault(code.lower(), agency)
        if other is not agency:
            errors.append((agency, _("%(agency)s: ITAS code '%(code)s' is also given to %(other)s.") % {
                "agency": agency.name_th, "code": code, "other": other.name_th}))
            continue
        normalised[pk] = code
    if errors:
        raise ItasFillRefused(errors)
    for pk, code in normalised.items():
        save_agency(actor=actor, agency=agencies[pk], changes={"itas_code": code}, action=AGENCY_UPDATE)
    return len(normalised)


def parse_itas_list(text: str, agencies) -> tuple[dict[int, str], list[str]]:
    """A list pasted from a spreadsheet, one agency a line: its DLA code, ITAS code or exact Thai name, then
    its ITAS code (separated by a tab, a comma, a semicolon or spaces). A header line is skipped. Returns
    (agency id -> code, problems naming the line); nothing is written."""
    lookup = AgencyLookup(agencies)
    found: dict[int, str] = {}
    line_of: dict[int, int] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        for separator in ("\t", ";", ","):
            if separator in line:
                who, _sep, code = (part.strip() for part in line.rpartition(separator))
                break
        else:
            who, _sep, code = (part.strip() for part in line.rpartition(" "))
        if number == 1 and ("itas" in line.lower() or "รหัส" in line):
            continue  # a header
        if not who or not code:
            problems.append(_("Line %(n)s: give the agency and its ITAS code, separated by a tab or a comma.")
                            % {"n": number})
            continue
        agency, problem = lookup.find(who)
        if agency is None:
            message = problem[0] if (get_language() or "th").startswith("th") else problem[1]
            problems.append(_("Line %(n)s: %(problem)s") % {"n": number, "problem": message})
            continue
        if agency.pk in line_of:
            problems.append(_("Line %(n)s: %(agency)s is already on line %(m)s.") % {
                "n": number, "agency": agency.name_th, "m": line_of[agency.pk]})
            continue
        line_of[agency.pk] = number
        if agency.itas_code and agency.itas_code == arabic_digits(code):
            continue  # nothing to do
        found[agency.pk] = code
    return found, problems
