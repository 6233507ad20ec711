"""The province's ITA supervising committee: its members, its meetings with the standard Thai agenda,
attendance, resolutions, and the minutes' state (draft → reviewed → adopted) with an append-only log.

Meeting times are wall-clock times in Bangkok (the meeting's own day), as the minutes print them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itadesk.core.models import AppendOnlyLog
from itadesk.core.thai import format_date, to_bangkok
from itadesk.registry.models import Province, SupervisingOffice


class CommitteeMember(models.Model):
    """A member of the province's ITA supervising committee (คณะกรรมการกำกับการประเมิน ITA)."""

    class CommitteeRole(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Member and secretary")
        CO_SECRETARY = "co_secretary", _("Member and co-secretary")
        ASSISTANT_SECRETARY = "assistant_secretary", _("Assistant secretary")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="committee_members")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    committee_role = models.CharField(_("committee role"), max_length=30, choices=CommitteeRole.choices)
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="committee_members", verbose_name=_("supervising office"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["province", "order", "id"]

    def __str__(self):
        return self.name


# Official titles of the standard agenda (ระเบียบวาระการประชุม), printed as they are in Thai minutes.
SECTION_TITLES_TH = {
    1: "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
    2: "เรื่องรับรองรายงานการประชุม",
    3: "เรื่องเพื่อทราบ",
    4: "เรื่องเพื่อพิจารณา",
    5: "เรื่องอื่น ๆ (ถ้ามี)",
}


class Section(models.IntegerChoices):
    ANNOUNCEMENTS = 1, _("Matters the chair announces to the meeting")
    PREVIOUS_MINUTES = 2, _("Adoption of the previous minutes")
    FOR_INFORMATION = 3, _("Matters for information")
    FOR_CONSIDERATION = 4, _("Matters for consideration")
    OTHER = 5, _("Other matters")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    ADOPTED = "adopted", _("Adopted")


class Meeting(models.Model):
    """One meeting of the committee (การประชุมคณะกรรมการ) and its minutes."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="committee_meetings")
    round = models.ForeignKey("cycles.Round", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="committee_meetings", verbose_name=_("round"))
    number = models.CharField(_("meeting number"), max_length=60, blank=True, help_text=_("e.g. ครั้งที่ ๑/๒๕๖๘"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    scheduled_time = models.TimeField(_("scheduled time"), null=True, blank=True)
    started_time = models.TimeField(_("opened at"), null=True, blank=True)
    ended_time = models.TimeField(_("closed at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    online_link = models.URLField(_("online meeting link"), blank=True)
    chair = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chaired_meetings", verbose_name=_("chair"))
    minutes_status = models.CharField(_("minutes"), max_length=20, choices=MinutesStatus.choices,
                                      default=MinutesStatus.DRAFT)
    adopted_at_meeting = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="adopted_minutes",
                                           verbose_name=_("minutes adopted at"))
    adopted_item = models.ForeignKey("AgendaItem", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="adopted_minutes", verbose_name=_("adopted under agenda item"))
    minutes_taker = models.CharField(_("minutes taken by"), max_length=300, blank=True)
    minutes_checker = models.CharField(_("minutes checked by"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The meeting's number, or its date when it has none: "ครั้งที่ ๑/๒๕๖๘" / "24 ธ.ค. 2567"."""
        return self.number or (format_date(self.date) if self.date else "")


class AgendaItem(models.Model):
    """An item of a meeting's agenda (ระเบียบวาระ), numbered in its section: 3 or 3.1."""

    class Resolution(models.TextChoices):
        NONE = "", _("Not yet recorded")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        APPROVED = "approved", _("Approved as proposed")
        APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")
        ADOPTED = "adopted", _("Minutes adopted")
        ADOPTED_WITH_CHANGES = "adopted_with_changes", _("Minutes adopted with changes")
        NOT_APPROVED = "not_approved", _("Not approved")
        DEFERRED = "deferred", _("Deferred")
        ASSIGNED = "assigned", _("Assigned for action")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    section = models.PositiveSmallIntegerField(_("agenda section"), choices=Section.choices)
    number = models.CharField(_("number"), max_length=20, blank=True,
                              help_text=_("e.g. 3.1; empty for the section itself"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500, blank=True)
    presenter_office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("presenting office"))
    presenter = models.CharField(_("presenter"), max_length=300, blank=True)
    body = models.TextField(_("details"), blank=True)
    resolution_kind = models.CharField(_("resolution"), max_length=30, choices=Resolution.choices, blank=True)
    resolution_text = models.TextField(_("resolution text"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "section", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "section", "number"], name="agenda_number_unique")]

    def __str__(self):
        return f"{self.number or self.section} {self.title}".strip()

    @property
    def section_title_th(self) -> str:
        return SECTION_TITLES_TH[self.section]


class AgendaAttachment(models.Model):
    """A file presented under an agenda item, kept under the media directory."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="committee/attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda attachment")
        verbose_name_plural = _("agenda attachments")
        ordering = ["item", "id"]

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """Who came: a member present, absent (with a reason) or represented by a delegate; or another
    attendee (ผู้เข้าร่วมประชุม) by name, position and office."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        DELEGATED = "delegated", _("Represented by a delegate")
        ATTENDEE = "attendee", _("Other attendee")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="attendance", verbose_name=_("committee member"))
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    office = models.CharField(_("office"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    delegate_name = models.CharField(_("delegate"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_member_once",
                                               condition=models.Q(member__isnull=False))]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.name if self.member_id and not self.name else self.name


class MinutesEvent(AppendOnlyLog):
    """Append-only log of the minutes' state: one row per transition."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=MinutesStatus.choices)
    to_status = models.CharField(max_length=20, choices=MinutesStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    append_only_message = "minutes events are append-only"

    class Meta:
        verbose_name = _("minutes event")
        verbose_name_plural = _("minutes events")
        ordering = ["meeting", "at", "id"]

    def __str__(self):
        return f"{self.meeting_id}: {self.from_status} → {self.to_status}"



# --- action items (มติที่ต้องติดตาม) and the problems-and-obstacles log ------------------------------------

class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


class TargetStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUBMITTED = "submitted", _("Reported done, awaiting acceptance")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ActionItem(models.Model):
    """Something the committee asked for (งานที่ต้องติดตามตามมติที่ประชุม): from a resolution of a meeting or on
    its own; followed up by one supervising office. Kind "office": one task of that office; kind "agencies":
    a request to many agencies, tracked per agency (``ActionTarget``). Its history is ``ActionUpdate``."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("A task of the office")
        AGENCIES = "agencies", _("A request to agencies, tracked per agency")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="committee_actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="action_items", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="action_items", verbose_name=_("agenda item"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    title = models.CharField(_("title"), max_length=500)
    detail = models.TextField(_("details"), blank=True)
    office = models.ForeignKey(SupervisingOffice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="committee_actions", verbose_name=_("responsible office"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    targets_description = models.CharField(_("agencies asked"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["province", "due_date", "id"]
        indexes = [models.Index(fields=["province", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ACTION_STATUSES

    def is_late(self, today=None) -> bool:
        """Not done (nor cancelled) after its due date (the due date itself is still in time)."""
        today = today or to_bangkok(timezone.now()).date()
        return bool(self.due_date) and not self.is_closed and today > self.due_date


class ActionTarget(models.Model):
    """One agency asked by an action item, with where it stands and its latest document."""

    action = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="targets")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="committee_requests",
                               verbose_name=_("agency"))
    status = models.CharField(_("status"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.PENDING)
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey("ActionUpdate", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("document"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agency asked")
        verbose_name_plural = _("agencies asked")
        ordering = ["action", "agency__name_th", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "agency"], name="action_target_once")]

    def __str__(self):
        return f"{self.action_id}: {self.agency}"


class ActionUpdate(AppendOnlyLog):
    """Append-only timeline of an action item (``target`` empty) or of one agency asked (``target`` set):
    who, when, the status from → to (empty when unchanged), the text and an optional file."""

    action = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="updates")
    target = models.ForeignKey(ActionTarget, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="committee/actions/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveIntegerField(default=0)

    append_only_message = "action updates are append-only"

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["action", "at", "id"]

    def __str__(self):
        return f"{self.action_id}/{self.target_id or '-'}: {self.from_status} → {self.to_status}"


    @property
    def status_labels(self) -> tuple[str, str]:
        choices = dict(TargetStatus.choices if self.target_id else ActionStatus.choices)
        return (str(choices.get(self.from_status, self.from_status)), str(choices.get(self.to_status, self.to_status)))


class Problem(models.Model):
    """A problem or obstacle (ปัญหาและอุปสรรค) one supervising office met, for the committee to hear."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="committee_problems")
    office = models.ForeignKey(SupervisingOffice, on_delete=models.PROTECT, related_name="problems",
                               verbose_name=_("supervising office"))
    title = models.CharField(_("problem"), max_length=500)
    detail = models.TextField(_("details"), blank=True)
    agencies = models.ManyToManyField("registry.Agency", blank=True, related_name="+", verbose_name=_("agencies"))
    since = models.DateField(_("since"), null=True, blank=True)
    action_taken = models.TextField(_("what the office did"), blank=True)
    request_to_committee = models.TextField(_("what the office asks the committee"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("problem or obstacle")
        verbose_name_plural = _("problems and obstacles")
        ordering = ["province", "office__order", "-created_at", "id"]

    def __str__(self):
        return self.title
