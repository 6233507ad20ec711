from django.contrib import admin

from itadesk.registry.models import Agency, District, OversightRule, Province, SupervisingOffice


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["geocode", "name_th", "name_en", "province"]
    list_filter = ["province"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_th", "kind", "district", "itas_code", "dla_code", "active", "is_demo"]
    list_filter = ["province", "kind", "active", "is_demo", "district"]
    search_fields = ["name_th", "name_en", "itas_code", "dla_code"]


class OversightRuleInline(admin.StackedInline):
    model = OversightRule
    extra = 0
    filter_horizontal = ["agencies"]


@admin.register(SupervisingOffice)
class SupervisingOfficeAdmin(admin.ModelAdmin):
    list_display = ["name_th", "short_name", "code", "province", "order"]
    inlines = [OversightRuleInline]
