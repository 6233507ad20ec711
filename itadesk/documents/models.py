"""Official documents: document-number registers (ทะเบียนหนังสือส่ง), the letters issued from them with their
distribution lists, the DOCX templates the secretariat edits, and public share links behind the QR codes
printed on documents.

Numbering (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): the numbers of a register run 1, 2, 3, … and start
again at 1 each calendar year (1 January); a register may instead restart each fiscal year (1 October) or
never. ``RegisterCounter`` holds the last number of each period and is what the issuing service locks."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itadesk.core.thai import thai_digits
from itadesk.registry.models import Province


class DocumentRegister(models.Model):
    """A register of outgoing document numbers (ทะเบียนหนังสือส่ง), e.g. "ลย ๐๐๑๗.๕/ว" for circular letters."""

    class Reset(models.TextChoices):
        CALENDAR_YEAR = "calendar_year", _("Each calendar year (from 1 January)")
        FISCAL_YEAR = "fiscal_year", _("Each fiscal year (from 1 October)")
        NEVER = "never", _("Never (one running number)")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="document_registers")
    name = models.CharField(_("register name"), max_length=200)
    prefix = models.CharField(_("number prefix"), max_length=60,
                              help_text=_("The part before the number, e.g. ลย ๐๐๑๗.๕/ว (circular letters) or "
                                          "ลย ๐๐๑๗.๕/"))
    reset = models.CharField(_("numbering restarts"), max_length=20, choices=Reset.choices,
                             default=Reset.CALENDAR_YEAR)
    office_name = models.CharField(_("issuing office (ส่วนราชการ)"), max_length=300, blank=True)
    office_address = models.TextField(_("office address"), blank=True,
                                      help_text=_("Printed at the top right of letters, one line per line."))
    contact = models.TextField(_("contact line"), blank=True,
                               help_text=_("Printed at the bottom left of letters: the unit, telephone, e-mail."))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        ordering = ["province", "prefix", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "prefix"], name="register_prefix_unique")]

    def __str__(self):
        return f"{self.name} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        return thai_digits(self.prefix.strip())

    def full_number(self, number: int | None) -> str:
        """"ลย ๐๐๑๗.๕/ว ๘๗๒" (a space after a letter such as ว) or "ลย ๐๐๑๗.๕/๘๗๒" (after the slash)."""
        prefix = self.display_prefix
        if number is None:
            return prefix
        glue = "" if prefix.endswith("/") else " "
        return f"{prefix}{glue}{thai_digits(number)}"


class RegisterCounter(models.Model):
    """The last number issued in one period of a register; locked while a number is taken."""

    register = models.ForeignKey(DocumentRegister, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveIntegerField(_("period"), help_text=_("BE calendar or fiscal year; 0 when never reset"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique")]

    def __str__(self):
        return f"{self.register_id}/{self.year}: {self.last_number}"


class IssuedDocument(models.Model):
    """A letter (หนังสือภายนอก) written in ITA Desk: a draft until it is issued, when it takes the next number
    of its register. What it sends (the minutes of a meeting, other enclosures) and to whom (the distribution
    list, บัญชีส่งหนังสือ) are part of it."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        INVITATION = "invitation", _("Meeting invitation")
        MINUTES = "minutes", _("Letter sending the minutes")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", pgettext_lazy("letter status", "Issued")

    class Form(models.TextChoices):
        EXTERNAL = "external", _("External letter (หนังสือภายนอก)")
        MEMO = "memo", _("Memo (บันทึกข้อความ)")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="issued_documents")
    register = models.ForeignKey(DocumentRegister, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("register"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LETTER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.EXTERNAL)
    year = models.PositiveIntegerField(_("period"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    urgency = models.CharField(_("urgency"), max_length=30, blank=True, help_text=_("e.g. ด่วนที่สุด"))
    subject = models.CharField(_("subject (เรื่อง)"), max_length=500)
    addressee = models.CharField(_("to (เรียน)"), max_length=300, blank=True)
    reference = models.TextField(_("reference (อ้างถึง)"), blank=True)
    enclosures = models.TextField(_("enclosures (สิ่งที่ส่งมาด้วย)"), blank=True, help_text=_("One per line."))
    body = models.TextField(_("body"), help_text=_("Paragraphs separated by an empty line."))
    closing = models.CharField(_("closing sentence"), max_length=300, default="จึงเรียนมาเพื่อโปรดพิจารณา")
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_position = models.TextField(_("signer's position"), blank=True, help_text=_("One line per line."))
    contact = models.TextField(_("contact line"), blank=True)
    recipients = models.JSONField(_("distribution list"), default=list, blank=True,
                                  help_text=_("[{name, address}] in order"))
    meeting = models.ForeignKey("committee.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="documents", verbose_name=_("meeting"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-date", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="issued_number_unique",
                                    condition=models.Q(number__isnull=False)),
        ]

    def __str__(self):
        return f"{self.full_number} {self.subject}".strip()

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def full_number(self) -> str:
        return self.register.full_number(self.number)

    @property
    def enclosure_lines(self) -> list[str]:
        return [line.strip() for line in self.enclosures.splitlines() if line.strip()]


class DocumentTemplate(models.Model):
    """A DOCX template the secretariat uploaded for one kind of document; the newest active one is used,
    else the default shipped in ``itadesk/documents/docx/``. Older uploads stay (history)."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Cover letter")
        MEMO = "memo", _("Memo (บันทึกข้อความ)")
        DISTRIBUTION = "distribution", _("Distribution list")
        INVITATION = "invitation", _("Meeting invitation")
        AGENDA = "agenda", _("Agenda")
        MINUTES = "minutes", _("Minutes")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="document_templates")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["province", "kind", "-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["province", "kind"], name="one_active_template",
                                               condition=models.Q(is_active=True))]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: not guessable


class ShareLink(models.Model):
    """A public link with an unguessable token to one file: an agenda attachment or an issued document.
    Printed as a QR code on documents; anyone with the link may download until it is revoked."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    attachment = models.ForeignKey("committee.AgendaAttachment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="share_links", verbose_name=_("attachment"))
    document = models.ForeignKey(IssuedDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="share_links", verbose_name=_("issued document"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(attachment__isnull=False, document__isnull=True)
                           | models.Q(attachment__isnull=True, document__isnull=False)),
                name="share_link_one_target"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        if self.attachment_id:
            return self.attachment.name
        return str(self.document)

    def url(self) -> str:
        from django.urls import reverse

        return settings.SITE_URL + reverse("documents:share", args=[self.token])


class Emblem(models.Model):
    """The Garuda emblem (ตราครุฑ) printed on the province's letters and memos, uploaded once by the secretariat
    (PNG or SVG). ITA Desk ships none: the emblem's use is reserved to government bodies, whose it is to upload."""

    province = models.OneToOneField(Province, on_delete=models.CASCADE, related_name="emblem")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=30)
    content = models.BinaryField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Garuda emblem")
        verbose_name_plural = _("Garuda emblems")

    def __str__(self):
        return f"{self.province} {self.name}"
