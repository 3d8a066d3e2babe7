from django.contrib import admin

from .models import Notification, OutboundMessage, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    readonly_fields = ["recipient", "kind", "title", "body", "link", "key", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Read only: the address shows masked; retrying is the administrator's page's
    (/notify/outbox/), which records it."""

    list_display = ["created_at", "channel", "to_masked", "kind", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    fields = ["channel", "to_masked", "user", "kind", "subject", "body", "key", "status", "attempts", "last_error",
              "created_at", "next_attempt_at", "sent_at", "provider_id"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_kinds", "updated_at"]
