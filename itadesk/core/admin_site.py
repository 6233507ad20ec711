from itadesk.core.dateinput import (
    ThaiDateField,
    ThaiDateInput,
    ThaiDateTimeField,
    ThaiDateTimeInput,
    ThaiTimeField,
    ThaiTimeInput,
)


def superuser_only_admin(site):
    """Django admin is for superusers only; every other role works through ITA Desk's own pages."""

    def has_permission(request):
        return request.user.is_active and request.user.is_superuser

    site.has_permission = has_permission
    site.site_header = "ITA Desk"
    site.site_title = "ITA Desk"
    thai_dates_in_admin(site)


def thai_dates_in_admin(site):
    """Dates, date-times and times in every admin form (and inline) are the Thai boxes of ``core.dateinput``
    (15/05/2570 17:00, Buddhist era, Bangkok time) instead of Django's Christian-era fields."""
    from django.db import models

    overrides = {
        models.DateTimeField: {"form_class": ThaiDateTimeField, "widget": ThaiDateTimeInput},
        models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
        models.TimeField: {"form_class": ThaiTimeField, "widget": ThaiTimeInput},
    }
    for model_admin in site._registry.values():
        model_admin.formfield_overrides = {**model_admin.formfield_overrides, **overrides}
        for inline in model_admin.inlines:
            inline.formfield_overrides = {**inline.formfield_overrides, **overrides}
