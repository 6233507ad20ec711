from django.contrib import admin

from itadesk.committee.models import (
    ActionItem,
    ActionTarget,
    ActionUpdate,
    AgendaAttachment,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Meeting,
    MinutesEvent,
    Problem,
)
from itadesk.core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "position", "committee_role", "office", "province"]
    list_filter = ["province", "committee_role"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "place", "minutes_status", "province"]
    list_filter = ["province", "minutes_status"]
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(AgendaAttachment)
class AgendaAttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "item", "size", "uploaded_at"]


@admin.register(MinutesEvent)
class MinutesEventAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "action", "from_status", "to_status", "actor", "at"]


class ActionTargetInline(ReadOnlyInline):
    model = ActionTarget
    fields = ["agency", "status", "note", "updated_at"]
    readonly_fields = fields


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services (and their timeline), i.e. the committee pages."""

    list_display = ["title", "kind", "office", "due_date", "status", "meeting", "province"]
    list_filter = ["province", "status", "kind", "office"]
    search_fields = ["title"]
    inlines = [ActionTargetInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ["action", "target", "from_status", "to_status", "actor", "at", "file_name"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "since", "status", "resolved_at", "province"]
    list_filter = ["province", "office", "status"]
    search_fields = ["title"]
    filter_horizontal = ["agencies"]
