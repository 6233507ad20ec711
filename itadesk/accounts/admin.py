from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from itadesk.accounts.models import Membership

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


admin.site.unregister(User)


@admin.register(User)
class ITADeskUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province", "office", "agency"]
    list_filter = ["role", "office"]
    search_fields = ["user__username", "agency__name_th"]
