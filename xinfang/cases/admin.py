"""Cases in the admin are for looking only: every change goes through cases.services,
so the timeline, the clocks and the audit record cannot be skipped."""

from django.contrib import admin

from .models import Case, CaseAssignment, CaseEvent, Reply


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PetitionInline(ReadOnlyInline):
    model = Case.petitions.rel.related_model  # intake.Petition, which sits above cases
    fields = ("received_at", "channel", "receiving_unit", "receiving_level", "title", "headcount", "is_repeat", "registered_by")
    readonly_fields = fields
    verbose_name_plural = "信访件（信访人信息请在工作台查看，查看会留痕）"


class AssignmentInline(ReadOnlyInline):
    model = CaseAssignment
    fields = ("unit", "is_lead", "assigned_by", "assigned_at", "returned_at")
    readonly_fields = fields


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ("stage", "unit", "outcome", "opinion", "signed_by", "replied_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("at", "action", "actor", "actor_unit", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "status", "kind", "current_unit", "due_date", "received_at", "is_collective", "petition_count")
    list_filter = ("status", "kind", "is_collective", "stage")
    search_fields = ("number", "title")
    date_hierarchy = "received_at"
    list_select_related = ("current_unit",)
    inlines = (PetitionInline, AssignmentInline, ReplyInline, EventInline)
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
