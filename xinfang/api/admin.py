from django.contrib import admin, messages

from xinfang.org.admin import in_scope

from .models import ApiToken
from .services import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued through the API only; here an administrator sees them and can
    revoke them (a lost laptop, a person leaving)."""

    list_display = ["user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = ["user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return in_scope(request, super().get_queryset(request), "user__unit__path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row is the record that the token existed

    @admin.action(description="注销所选令牌")
    def revoke(self, request, queryset):
        done = sum(revoke_token(token_row=row, actor=request.user, ip=request.META.get("REMOTE_ADDR")) for row in queryset)
        self.message_user(request, f"已注销 {done} 个令牌", messages.SUCCESS)
