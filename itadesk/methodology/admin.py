from django.contrib import admin

from itadesk.core.admin import ReadOnlyAdmin
from itadesk.methodology.models import AssessmentResult, FrameworkVersion, TargetGroup, TargetGroupMember


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    """Framework versions are installed from files (``itadesk framework install``), never edited here:
    a change is a new version."""

    list_display = ["code", "version", "fiscal_year", "status", "name_th", "loaded_at"]
    list_filter = ["status", "fiscal_year"]
    readonly_fields = [f.name for f in FrameworkVersion._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.is_locked and request.user.is_superuser


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "published_total", "total", "level_label", "passed", "framework"]
    list_filter = ["fiscal_year", "passed", "framework"]
    search_fields = ["agency__name_th", "agency__itas_code", "agency__dla_code"]
    raw_id_fields = ["agency"]
    readonly_fields = ["imported_at", "imported_by"]


class TargetGroupMemberInline(admin.TabularInline):
    model = TargetGroupMember
    raw_id_fields = ["agency"]
    extra = 0


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "fiscal_year", "created_at"]
    list_filter = ["province"]
    inlines = [TargetGroupMemberInline]
