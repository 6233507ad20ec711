from django.contrib import admin

from itadesk.cycles.models import Milestone, Mission, Participation, Progress, PublicHoliday, Round
from itadesk.methodology.models import round_has_data


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "fiscal_year", "is_current", "state", "public_dashboard", "framework"]
    inlines = [MilestoneInline]

    def get_readonly_fields(self, request, obj=None):
        """Once a round has data its framework stays (as ``set_round_framework`` enforces)."""
        fields = list(super().get_readonly_fields(request, obj))

        if obj is not None and obj.framework_id and round_has_data(obj):
            fields.append("framework")
        return fields


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["office", "round", "order", "milestone", "__str__"]
    list_filter = ["round", "office"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["agency", "round", "needs_coaching"]
    list_filter = ["round", "needs_coaching"]
    search_fields = ["agency__name_th"]


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["agency", "milestone", "status", "updated_at", "updated_by", "changed_late"]
    list_filter = ["milestone__round", "milestone", "status", "changed_late"]
    search_fields = ["agency__name_th"]
    readonly_fields = ["updated_at", "updated_by", "done_at", "changed_late"]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """Public holidays as data (deadlines on them are flagged when a round is started); keep the source."""

    list_display = ["day", "month", "year", "name_th", "source"]
    list_filter = ["year"]
    search_fields = ["name_th", "name_en", "source"]
