from django.contrib import admin

from xinfang.cases.models import Case

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: which cases have a query code, whether it came with an online
    submission or from staff (`issued_by`), and whether the receipt SMS went out. The
    code itself is not here: only its keyed hash is kept."""

    list_display = ["case", "created_at", "issued_at", "issued_by", "sms_status"]
    list_filter = ["sms_status"]
    list_select_related = ["case", "issued_by"]
    search_fields = ["case__number"]
    fields = ["case", "created_at", "issued_at", "issued_by", "sms_status"]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(case__in=Case.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
