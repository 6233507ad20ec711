"""Read-only views of projects and events for superusers; changes go through the pages (services)."""

from django.contrib import admin

from itadesk.core.admin import ReadOnlyAdmin, ReadOnlyInline
from itadesk.projects.models import BudgetLine, Event, Invitation, Project, Registration, Session, Spending


class LineInline(ReadOnlyInline):
    model = BudgetLine

@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "province", "owner_office", "budget"]
    list_filter = ["province"]
    inlines = [LineInline]


@admin.register(Spending)
class SpendingAdmin(ReadOnlyAdmin):
    list_display = ["date", "line", "amount", "note"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "date", "capacity", "target_group"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["event", "order", "topic", "speaker_office", "duration_minutes"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["event", "agency", "quota"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "name", "agency", "kind", "walk_in", "checked_in_at"]
    exclude = ["token"]
