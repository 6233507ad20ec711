"""Read-only views of projects and events for superusers; changes go through the pages (services)."""

from django.contrib import admin

from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration, Session, Spending


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ["name", "province", "owner_office", "budget"]
    list_filter = ["province"]
    inlines = [LineInline]


@admin.register(Spending)
class SpendingAdmin(ReadOnly):
    list_display = ["date", "line", "amount", "note"]


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["title", "project", "date", "capacity", "target_group"]


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = ["event", "order", "topic", "speaker_office", "duration_minutes"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["event", "agency", "quota"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ["event", "name", "agency", "kind", "walk_in", "checked_in_at"]
    exclude = ["token"]
