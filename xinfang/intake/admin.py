"""Admin for the category tree; petitions are changed only through registration."""

from django.contrib import admin

from .models import Category


class TopCategoryFilter(admin.SimpleListFilter):
    title = "一级类别"
    parameter_name = "top"

    def lookups(self, request, model_admin):
        return [(c.code, c.name) for c in Category.objects.filter(parent__isnull=True).order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(code__in=[self.value()]) | queryset.filter(parent__code=self.value())
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "parent", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = (TopCategoryFilter, "is_active")
    search_fields = ("name", "code")
    list_select_related = ("parent",)
    ordering = ("code",)
    list_per_page = 200

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Two levels only: a parent is always a first-level category.
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
