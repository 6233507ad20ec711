"""Stakeholder data and response counts in the Django admin: readable, never editable here (every change
goes through the services, with their event log and history)."""

from django.contrib import admin

from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = StakeholderEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor_label", "action", "reason", "late")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


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
