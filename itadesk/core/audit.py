"""History: every service function records one AuditEvent inside its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from itadesk.core.models import AuditEvent


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The stored values of an object's concrete fields (foreign keys as ids), JSON-ready."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def build(*, actor, action: str, obj: models.Model | None = None, before: dict | None = None,
          after: dict | None = None, note: str = "") -> AuditEvent:
    """An unsaved history event (for ``AuditEvent.objects.bulk_create`` in bulk writes)."""
    label = ""
    if actor is not None and getattr(actor, "pk", None):
        label = actor.get_full_name() or actor.get_username()
    elif actor is None:
        label = "system"
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        note=note,
    )


def record(**kwargs) -> AuditEvent:
    """Save one history event; same arguments as ``build``."""
    event = build(**kwargs)
    event.save()
    return event


def history_for(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
