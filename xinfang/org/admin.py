"""Admin for the reference data of the organisation: the unit tree and the staff."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .choices import Role
from .models import Unit, User


def _depth(unit):
    return max(unit.path.count("/") - 2, 0)


class WithinUnitFilter(admin.SimpleListFilter):
    """Everything in one unit's subtree: a prefix match on the unit path."""

    title = "所属辖区"
    parameter_name = "within"
    path_field = "path"

    def lookups(self, request, model_admin):
        parents = Unit.objects.filter(children__isnull=False).distinct().order_by("path")
        return [(str(u.pk), "\u3000" * _depth(u) + u.name) for u in parents]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Unit.objects.filter(pk=self.value()).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_field}__startswith": unit.path})


class UserWithinUnitFilter(WithinUnitFilter):
    path_field = "unit__path"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "code", "level", "kind", "parent", "region_code", "is_active", "sort_order")
    list_filter = (WithinUnitFilter, "level", "kind", "is_active")
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    list_per_page = 100
    fields = ("name", "short_name", "code", "parent", "level", "kind", "region_code", "sort_order", "is_active", "path")

    @admin.display(description="名称", ordering="path")
    def tree_name(self, obj):
        return ("\u3000" * _depth(obj)) + obj.name


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "unit", "role_list", "is_staff", "is_active", "last_login")
    list_filter = (UserWithinUnitFilter, "groups", "is_staff", "is_active")
    search_fields = ("username", "display_name", "unit__name", "phone")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    ordering = ("unit__path", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("单位与角色", {"fields": ("display_name", "unit", "phone", "groups"),
                   "description": "角色由用户组授予：" + "、".join(f"{r.value}＝{r.label}" for r in Role)}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions"), "classes": ("collapse",)}),
        ("重要日期", {"fields": ("last_login", "date_joined"), "classes": ("collapse",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "display_name", "unit", "groups", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="角色")
    def role_list(self, obj):
        labels = {r.value: r.label for r in Role}
        return "、".join(labels.get(g.name, g.name) for g in obj.groups.all()) or "—"
