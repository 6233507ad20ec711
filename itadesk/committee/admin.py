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
class MinutesEventAdmin(admin.ModelAdmin):
    list_display = ["meeting", "action", "from_status", "to_status", "actor", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionTargetInline(admin.TabularInline):
    model = ActionTarget
    extra = 0
    fields = ["agency", "status", "note", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (and their timeline), i.e. the committee pages."""

    list_display = ["title", "kind", "office", "due_date", "status", "meeting", "province"]
    list_filter = ["province", "status", "kind", "office"]
    search_fields = ["title"]
    inlines = [ActionTargetInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "target", "from_status", "to_status", "actor", "at", "file_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "since", "status", "resolved_at", "province"]
    list_filter = ["province", "office", "status"]
    search_fields = ["title"]
    filter_horizontal = ["agencies"]
