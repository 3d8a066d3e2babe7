from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"

    # The record is the auditors' (docs/security.md): other staff, even with the admin's
    # view permission, do not read it here.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_auditor and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_auditor and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
