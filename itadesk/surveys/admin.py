"""Stakeholder data and response counts in the Django admin: readable, never editable here (every change
goes through the services, with their event log and history)."""

from django.contrib import admin

from itadesk.core.admin import ReadOnlyAdmin, ReadOnlyInline
from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent


class EventInline(ReadOnlyInline):
    model = StakeholderEvent
    fields = ("at", "actor_label", "action", "reason", "late")
    readonly_fields = fields



@admin.register(StakeholderData)
class StakeholderDataAdmin(ReadOnlyAdmin):
    list_display = ("agency", "round", "internal_count", "external_people", "external_organizations", "state",
                    "locked")
    list_filter = ("round", "state", "locked")
    search_fields = ("agency__name_th",)
    inlines = [EventInline]


@admin.register(StakeholderEvent)
class StakeholderEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "data", "action", "actor_label", "late")
    list_filter = ("action",)


@admin.register(ResponseCount)
class ResponseCountAdmin(ReadOnlyAdmin):
    list_display = ("agency", "instrument", "on_date", "count", "source")
    list_filter = ("round", "instrument", "source")
    search_fields = ("agency__name_th",)
