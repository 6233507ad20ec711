"""The OIT evidence tables in the Django admin: readable, never editable here. Every change goes
through the services (state machine, event log, history), so the admin cannot bypass them."""

from django.contrib import admin

from itadesk.core.admin import ReadOnlyAdmin, ReadOnlyInline
from itadesk.evidence.models import (
    CheckJob,
    ElementDecision,
    EvidenceEvent,
    EvidenceItem,
    Finding,
    ItemExample,
    Snapshot,
)


class EventInline(ReadOnlyInline):
    model = EvidenceEvent
    fields = ["at", "actor_label", "role", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    list_display = ["agency", "item_code", "round", "answer", "state", "updated_at"]
    list_filter = ["round", "state", "answer"]
    search_fields = ["agency__name_th", "item_code"]
    inlines = [EventInline]


@admin.register(EvidenceEvent)
class EvidenceEventAdmin(ReadOnlyAdmin):
    """Append-only: never changed or deleted, here or anywhere."""

    list_display = ["at", "item", "actor_label", "action", "from_state", "to_state"]
    list_filter = ["action", "to_state"]
    search_fields = ["item__agency__name_th", "item__item_code", "actor_label", "comment"]


@admin.register(ElementDecision)
class ElementDecisionAdmin(ReadOnlyAdmin):
    list_display = ["item", "element_code", "decision", "reviewer", "at"]
    list_filter = ["decision"]


@admin.register(ItemExample)
class ItemExampleAdmin(ReadOnlyAdmin):
    list_display = ["office", "round", "item_code", "url", "created_at"]
    list_filter = ["round", "office"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["taken_at", "item", "url", "reason", "status_code", "size", "error"]
    list_filter = ["reason"]
    search_fields = ["url", "item__agency__name_th"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "item", "code", "element_code", "passed", "severity"]
    list_filter = ["passed", "severity", "code"]


@admin.register(CheckJob)
class CheckJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "round", "scope", "status", "done", "total", "requested_by"]
    list_filter = ["status", "scope"]
