"""The Django admin shows notifications, outbound messages and preferences to superusers
only, read only: they cross every unit (a unit's administrator must not read another
unit's notifications). Everyday work with failed messages is the system administrator's
page, /notify/outbox/, which retries and records it."""

from django.contrib import admin

from .models import Notification, OutboundMessage, Preference


class SuperuserReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(SuperuserReadOnly):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    fields = ["recipient", "kind", "title", "body", "link", "key", "created_at", "read_at"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(SuperuserReadOnly):
    """The address shows masked only."""

    list_display = ["created_at", "channel", "to_masked", "kind", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    fields = ["channel", "to_masked", "user", "kind", "subject", "body", "key", "status", "attempts", "last_error",
              "created_at", "next_attempt_at", "sent_at", "provider_id"]


@admin.register(Preference)
class PreferenceAdmin(SuperuserReadOnly):
    list_display = ["user", "email_kinds", "updated_at"]
    fields = ["user", "email_kinds", "updated_at"]
