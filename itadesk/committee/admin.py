from django.contrib import admin

from itadesk.committee.models import (
    AgendaAttachment,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Meeting,
    MinutesEvent,
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
