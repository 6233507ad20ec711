from django.contrib import admin

from itadesk.notifications.models import LineAccount, LineLink, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "address", "state", "attempts", "next_attempt_at")
    list_filter = ("state", "channel", "kind")
    search_fields = ("address", "subject")
    readonly_fields = ("created_at", "sent_at")


@admin.register(LineAccount)
class LineAccountAdmin(admin.ModelAdmin):
    list_display = ("province", "monthly_quota", "updated_at")
    exclude = ("channel_secret", "access_token")  # set on the LINE settings page; never shown back


admin.site.register(LineLink)
admin.site.register(Preference)
