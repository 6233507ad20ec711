"""Every write of the official documents: registers, letters and their numbers, DOCX templates, share links.
One transaction and one audit event each.

A number is taken by ``issue_document``: it locks the register's row (so two clerks issuing at once queue
one behind the other, also while the period's counter row is being created), then the counter row of the
period, adds one and writes it on the letter, all in one transaction: a failure anywhere leaves neither
a number used nor a gap."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from itadesk.core import audit
from itadesk.core.services import apply_changes
from itadesk.core.thai import be_year, fiscal_year_of, to_bangkok
from itadesk.documents import docx, emblem, official
from itadesk.documents.models import (
    DocumentRegister,
    DocumentTemplate,
    Emblem,
    IssuedDocument,
    RegisterCounter,
    ShareLink,
)

REGISTER_FIELDS = ["name", "prefix", "reset", "office_name", "office_address", "contact", "is_active"]
DOCUMENT_FIELDS = ["register_id", "kind", "urgency", "subject", "addressee", "reference", "enclosures", "body",
                   "closing", "signer_name", "signer_position", "contact", "recipients", "meeting_id", "date"]
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def today() -> dt.date:
    return to_bangkok(timezone.now()).date()


def period_of(register: DocumentRegister, date: dt.date) -> int:
    """The numbering period a date falls in: its BE calendar year, its BE fiscal year, or 0 (never reset)."""
    if register.reset == DocumentRegister.Reset.FISCAL_YEAR:
        return fiscal_year_of(date)
    if register.reset == DocumentRegister.Reset.NEVER:
        return 0
    return be_year(date.year)


# --- registers ---------------------------------------------------------------------------------------------

@transaction.atomic
def save_register(*, actor, province, register: DocumentRegister | None = None, changes: dict) -> DocumentRegister:
    register = register or DocumentRegister(province=province)
    if register.pk and register.province_id != province.pk:
        raise ValidationError(_("This register belongs to another province."))
    before = audit.snapshot(register, REGISTER_FIELDS) if register.pk else None
    if register.pk and "reset" in changes and changes["reset"] != register.reset and register.documents.filter(
            number__isnull=False).exists():
        raise ValidationError({"reset": _("Numbers were already issued from this register; its numbering basis "
                                          "can no longer change. Add a new register instead.")})
    apply_changes(register, changes, REGISTER_FIELDS)
    register.prefix = " ".join(register.prefix.split())
    if DocumentRegister.objects.filter(province=province, prefix=register.prefix).exclude(pk=register.pk).exists():
        raise ValidationError({"prefix": _("Another register already uses the prefix %(prefix)s.")
                               % {"prefix": register.prefix}})
    register.full_clean(exclude=["province"])
    register.save()
    audit.record(actor=actor, action="documents.register_save", obj=register, before=before,
                 after=audit.snapshot(register, REGISTER_FIELDS))
    return register


@transaction.atomic
def set_last_number(*, actor, register: DocumentRegister, year: int, last_number: int) -> RegisterCounter:
    """Start a period's numbering after numbers given outside ITA Desk (e.g. the register was at ๘๗๑)."""
    register = DocumentRegister.objects.order_by().select_for_update(of=("self",)).get(pk=register.pk)
    if last_number < 0:
        raise ValidationError({"last_number": _("The last number cannot be negative.")})
    issued = (IssuedDocument.objects.filter(register=register, year=year, number__isnull=False)
              .order_by("-number").values_list("number", flat=True).first()) or 0
    if last_number < issued:
        raise ValidationError({"last_number": _("Number %(n)s was already issued in this period; the last number "
                                                "cannot go below it.") % {"n": issued}})
    counter, _created = RegisterCounter.objects.get_or_create(register=register, year=year)
    before = {"year": year, "last_number": counter.last_number}
    counter.last_number = last_number
    counter.save(update_fields=["last_number"])
    audit.record(actor=actor, action="documents.register_last_number", obj=register, before=before,
                 after={"year": year, "last_number": last_number})
    return counter


def next_number(register: DocumentRegister, date: dt.date | None = None) -> int:
    """The number the next letter of the period of ``date`` would take (a preview; not reserved)."""
    counter = RegisterCounter.objects.filter(register=register, year=period_of(register, date or today())).first()
    return (counter.last_number if counter else 0) + 1


# --- letters ------------------------------------------------------------------------------------------------

def _clean_recipients(value) -> list[dict]:
    rows = []
    for row in value or []:
        name = " ".join(str(row.get("name", "")).split())
        address = " ".join(str(row.get("address", "")).split())
        if name:
            rows.append({"name": name, "address": address})
    return rows


@transaction.atomic
def save_document(*, actor, province, document: IssuedDocument | None = None, changes: dict) -> IssuedDocument:
    """Create or change a draft letter. An issued letter is final."""
    if document is not None and document.pk:
        document = IssuedDocument.objects.order_by().select_for_update(of=("self",)).get(pk=document.pk)
        if document.is_issued:
            raise ValidationError(_("Letter %(number)s is issued; an issued letter cannot change.")
                                  % {"number": document.full_number})
    document = document or IssuedDocument(province=province, created_by=actor if getattr(actor, "pk", None) else None)
    if document.province_id != province.pk:
        raise ValidationError(_("This letter belongs to another province."))
    before = audit.snapshot(document, DOCUMENT_FIELDS) if document.pk else None
    apply_changes(document, changes, DOCUMENT_FIELDS)
    document.recipients = _clean_recipients(document.recipients)
    if document.register_id and document.register.province_id != province.pk:
        raise ValidationError({"register": _("The register must be of the same province.")})
    if document.meeting_id and document.meeting.province_id != province.pk:
        raise ValidationError({"meeting": _("The meeting must be of the same province.")})
    document.full_clean(exclude=["province", "year", "number", "status"])
    document.save()
    audit.record(actor=actor, action="documents.letter_save", obj=document, before=before,
                 after=audit.snapshot(document, DOCUMENT_FIELDS))
    return document


@transaction.atomic
def issue_document(*, actor, document: IssuedDocument, date: dt.date | None = None) -> IssuedDocument:
    """Give a draft letter the next number of its register for the period of its date (default: today)."""
    document = IssuedDocument.objects.order_by().select_for_update(of=("self",)).get(pk=document.pk)
    if document.is_issued:
        raise ValidationError(_("Letter %(number)s is already issued.") % {"number": document.full_number})
    if not document.recipients and not document.addressee:
        raise ValidationError(_("The letter has no addressee and no distribution list."))
    register = DocumentRegister.objects.order_by().select_for_update(of=("self",)).get(pk=document.register_id)
    if not register.is_active:
        raise ValidationError(_("The register %(register)s is no longer in use.") % {"register": register})
    date = date or document.date or today()
    year = period_of(register, date)
    counter, _created = RegisterCounter.objects.get_or_create(register=register, year=year)
    counter = RegisterCounter.objects.order_by().select_for_update(of=("self",)).get(pk=counter.pk)
    RegisterCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    before = audit.snapshot(document, ["status", "year", "number", "date"])
    document.register = register
    document.status = IssuedDocument.Status.ISSUED
    document.year, document.number, document.date = year, counter.last_number, date
    document.issued_by = actor if getattr(actor, "pk", None) else None
    document.issued_at = timezone.now()
    document.save(update_fields=["status", "year", "number", "date", "issued_by", "issued_at"])
    audit.record(actor=actor, action="documents.letter_issue", obj=document, before=before,
                 after=audit.snapshot(document, ["status", "year", "number", "date"]),
                 note=document.full_number)
    return document


# --- templates ----------------------------------------------------------------------------------------------

@transaction.atomic
def upload_template(*, actor, province, kind: str, name: str, content: bytes) -> DocumentTemplate:
    """Keep an edited DOCX template after filling it with the sample data of its kind: a template that
    fails is refused with the reason (``ValidationError``) and the one in use stays."""
    if kind not in DocumentTemplate.Kind.values:
        raise ValidationError(_("Unknown document %(kind)s.") % {"kind": kind})
    if len(content) > TEMPLATE_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": TEMPLATE_MAX_BYTES // (1024 * 1024)})
    if not name.lower().endswith(".docx"):
        raise ValidationError(_("Upload a Word file (.docx); %(name)s is not one.") % {"name": name})
    try:
        official.render_docx(kind, official.sample_context(kind), template=content, name=name)
    except docx.DocxTemplateError as exc:
        raise ValidationError(_("The template cannot be used: %(error)s") % {"error": str(exc)}) from exc
    current = list(DocumentTemplate.objects.filter(province=province, kind=kind, is_active=True)
                   .order_by().select_for_update(of=("self",)))
    for old in current:
        old.is_active = False
        old.save(update_fields=["is_active"])
    template = DocumentTemplate.objects.create(
        province=province, kind=kind, name=name[:255], content=content, size=len(content),
        uploaded_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action="documents.template_upload", obj=template,
                 before={"template_id": current[0].pk if current else None},
                 after={"template_id": template.pk, "kind": kind, "name": template.name, "size": len(content)})
    return template


@transaction.atomic
def reset_template(*, actor, province, kind: str) -> int:
    """Go back to the default template of ``kind``; the uploads stay in the history. Returns how many were
    in use (0 or 1)."""
    current = list(DocumentTemplate.objects.filter(province=province, kind=kind, is_active=True)
                   .order_by().select_for_update(of=("self",)))
    for old in current:
        old.is_active = False
        old.save(update_fields=["is_active"])
        audit.record(actor=actor, action="documents.template_reset", obj=old, before={"is_active": True},
                     after={"is_active": False})
    return len(current)


# --- share links -------------------------------------------------------------------------------------------

@transaction.atomic
def create_share_link(*, actor, province, attachment=None, document: IssuedDocument | None = None) -> ShareLink:
    """The active public link of an attachment or an issued letter (the existing one when there is one)."""
    if (attachment is None) == (document is None):
        raise ValidationError(_("A share link is for one attachment or one issued letter."))
    if attachment is not None and attachment.item.meeting.province_id != province.pk:
        raise ValidationError(_("The attachment belongs to another province."))
    if document is not None and (document.province_id != province.pk or not document.is_issued):
        raise ValidationError(_("Only an issued letter of this province can be shared."))
    existing = ShareLink.objects.filter(province=province, attachment=attachment, document=document,
                                        revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    link = ShareLink.objects.create(province=province, attachment=attachment, document=document,
                                    created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action="documents.share_create", obj=link,
                 after={"attachment_id": link.attachment_id, "document_id": link.document_id})
    return link


@transaction.atomic
def revoke_share_link(*, actor, link: ShareLink) -> ShareLink:
    link = ShareLink.objects.order_by().select_for_update(of=("self",)).get(pk=link.pk)
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.revoked_by = actor if getattr(actor, "pk", None) else None
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=actor, action="documents.share_revoke", obj=link, before={"revoked_at": None},
                 after={"revoked_at": link.revoked_at.isoformat()})
    return link


def count_download(link: ShareLink) -> None:
    """One more download through a link (a counter, not history: anonymous downloads are not audited)."""
    ShareLink.objects.filter(pk=link.pk).update(downloads=F("downloads") + 1)


@transaction.atomic
def upload_emblem(*, actor, province, name: str, content: bytes):
    """Keep the Garuda emblem of the province's letters (PNG or SVG, checked by ``emblem.check``: a refused file
    raises ``ValidationError`` naming it and the fault, and the emblem in use stays)."""
    content_type, width, height = emblem.check(name, content)
    current = Emblem.objects.filter(province=province).order_by().select_for_update(of=("self",)).first()
    before = {"name": current.name, "size": len(current.content)} if current else None
    if current is None:
        current = Emblem(province=province)
    current.name, current.content_type, current.content = name[:255], content_type, content
    current.width, current.height = width, height
    current.uploaded_by = actor if getattr(actor, "pk", None) else None
    current.save()
    audit.record(actor=actor, action="documents.emblem_upload", obj=current, before=before,
                 after={"name": current.name, "content_type": content_type, "size": len(content),
                        "width": width, "height": height})
    return current
