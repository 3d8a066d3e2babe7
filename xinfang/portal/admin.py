from django.contrib import admin

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: which cases came through the public site, and whether the receipt SMS
    went out. The code itself is not here: only its keyed hash is kept."""

    list_display = ["case", "created_at", "sms_status"]
    list_filter = ["sms_status"]
    list_select_related = ["case"]
    search_fields = ["case__number"]
    fields = ["case", "created_at", "sms_status"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
