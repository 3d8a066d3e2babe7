from django.contrib import admin, messages

from .models import SuggestionModel, Term
from .services import train_models


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["word", "kind", "unit", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["word"]
    autocomplete_fields = []
    raw_id_fields = ["unit"]


@admin.register(SuggestionModel)
class SuggestionModelAdmin(admin.ModelAdmin):
    """The administrator sees every trained version with its cross-validated figures,
    can switch a version off, and can train new versions now."""

    list_display = ["target", "version", "created_at", "samples", "classes", "f1", "acc", "is_active"]
    list_filter = ["target", "is_active"]
    readonly_fields = ["target", "version", "created_at", "trained_by", "samples", "classes", "macro_f1", "accuracy", "per_class",
                       "notes"]
    fields = readonly_fields + ["is_active"]
    actions = ["train_now"]

    @admin.display(description="宏平均F1")
    def f1(self, obj):
        return f"{obj.macro_f1:.3f}" if obj.macro_f1 is not None else "—"

    @admin.display(description="准确率")
    def acc(self, obj):
        return f"{obj.accuracy:.3f}" if obj.accuracy is not None else "—"

    @admin.display(description="各类别（交叉验证）")
    def per_class(self, obj):
        from django.utils.html import format_html_join

        rows = (obj.metrics or {}).get("per_class", {})
        return format_html_join("\n", "<div>{}：精确率 {}，召回率 {}，F1 {}（{}件）</div>",
                                ((k, v["precision"], v["recall"], v["f1"], v["support"]) for k, v in rows.items())) or "—"

    def has_add_permission(self, request):
        return False

    @admin.action(description="立即训练新版本 / Train new versions now")
    def train_now(self, request, queryset):
        rows = train_models(actor=request.user)
        self.message_user(request, "已训练：" + "；".join(f"{r} F1={r.macro_f1 or 0:.3f}" for r in rows), messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        # The action must be offered even when no version exists yet.
        if request.method == "POST" and request.POST.get("action") == "train_now" and not request.POST.getlist("_selected_action"):
            self.train_now(request, SuggestionModel.objects.none())
            from django.shortcuts import redirect

            return redirect(request.path)
        return super().changelist_view(request, extra_context)
