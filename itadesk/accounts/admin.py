from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from itadesk.accounts.models import Invitation, Membership, Profile

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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "sent_at", "send_count", "accepted_at", "send_error"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "invited_by", "created_at", "sent_at", "send_count", "send_error", "accepted_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "line_id"]
    search_fields = ["user__username", "user__email", "line_id"]
