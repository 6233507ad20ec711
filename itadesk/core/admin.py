"""The Django admin is for reading. Every change goes through the services (state machines, event logs,
history), so the admin must not bypass them: the tables of every app derive from :class:`ReadOnlyAdmin` and
their inlines from :class:`ReadOnlyInline`."""

from django.contrib import admin

from itadesk.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Readable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent, read-only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """History is append-only: readable here, never editable."""

    list_display = ["at", "actor_label", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_label", "action"]
