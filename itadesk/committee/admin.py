from django.contrib import admin

from itadesk.committee.models import CommitteeMember


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "position", "committee_role", "province"]
    list_filter = ["province", "committee_role"]
