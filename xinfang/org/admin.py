"""Admin for the reference data of the organisation: the unit tree and the staff."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .choices import Role
from .models import Unit, User


def in_scope(request, queryset, unit_path):
    """The rows of `queryset` a staff member may see in the admin: a superuser all of them,
    anyone else only those belonging to a unit of their own scope (`unit_path` names the
    path of that unit, e.g. "user__unit__path"). A township's administrator manages the
    township's own people, never another unit's."""
    user = request.user
    if user.is_superuser:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{f"{unit_path}__startswith": user.unit.scope_root.path})


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

    def get_queryset(self, request):
        return in_scope(request, super().get_queryset(request), "path")

    def get_readonly_fields(self, request, obj=None):
        # The administrator's own unit and the root of their scope decide the scope
        # (Unit.scope_root): made a petition office, a township's government would hand
        # its administrator the whole county. Their parent and kind are a superuser's.
        user = request.user
        if obj is not None and not user.is_superuser and user.unit_id and obj.pk in (user.unit_id, user.unit.scope_root.pk):
            return (*self.readonly_fields, "parent", "kind")
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["queryset"] = services.scope_units(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
    # Rights are given by roles: the superuser flag is never set in a form (manage.py
    # createsuperuser does it), raw permissions and the staff flag only by a superuser
    # (the 系统管理员 role sets the staff flag by itself, org/signals.py), and nobody edits
    # their own rights. See get_fieldsets, get_readonly_fields and org.services.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("单位与角色", {"fields": ("display_name", "unit", "phone", "groups"),
                   "description": "角色由用户组授予：" + "、".join(f"{r.value}＝{r.label}" for r in Role)
                   + "。系统管理员可授予日常工作角色；系统管理员、审计员角色由超级管理员授予。"}),
        ("账号安全", {"fields": ("must_change_password",),
                  "description": "新建账号或重置密码后，本人首次登录须先修改密码。丢失手机验证器、怀疑账号被盗用时，用上方列表的批量操作。"}),
        ("权限", {"fields": ("is_active", "is_staff", "user_permissions"), "classes": ("collapse",)}),
        ("重要日期", {"fields": ("last_login", "date_joined"), "classes": ("collapse",)}),
    )
    RIGHTS = ("unit", "groups", "is_active", "is_staff", "user_permissions")
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "display_name", "unit", "groups", "password1", "password2")}),
    )

    actions = ["logout_everywhere", "remove_second_factor"]

    def get_queryset(self, request):
        return in_scope(request, super().get_queryset(request), "unit__path").prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_staff", "user_permissions"}
        return [(name, dict(opts, fields=tuple(f for f in opts["fields"] if f not in hidden))) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return (*self.readonly_fields, *self.RIGHTS)
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_administer(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.pk != request.user.pk and services.may_administer(request.user, obj)))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=services.grantable_roles(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = services.scope_units(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # What the account could do before, for the audit entry written once the roles
        # are saved too (save_related).
        form.rights_before = services.rights_of(obj) if change else None
        super().save_model(request, obj, form, change)
        if not change:
            # The administrator chose this password: the user replaces it at first login.
            services.set_initial_password(user=obj, actor=request.user, ip=request.META.get("REMOTE_ADDR"), created=True)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_rights_change(user=form.instance, actor=request.user, before=getattr(form, "rights_before", None),
                                      ip=request.META.get("REMOTE_ADDR"))

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None and user.pk != request.user.pk:
                services.set_initial_password(user=user, actor=request.user, ip=request.META.get("REMOTE_ADDR"))
        return response

    def _administrable(self, request, queryset):
        """The selected accounts the administrator may act on (not those with more rights)."""
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=[u.pk for u in queryset.select_related("unit") if services.may_administer(request.user, u)])

    @admin.action(description="退出所选人员的所有设备并注销其接口令牌")
    def logout_everywhere(self, request, queryset):
        queryset = self._administrable(request, queryset)
        for user in queryset:
            services.logout_everywhere(user=user, actor=request.user, ip=request.META.get("REMOTE_ADDR"))
        self.message_user(request, f"已使{queryset.count()}人的全部登录和接口令牌失效。", messages.SUCCESS)

    @admin.action(description="移除所选人员的双因素验证器（手机丢失时）")
    def remove_second_factor(self, request, queryset):
        queryset = self._administrable(request, queryset)
        for user in queryset:
            services.remove_device(user=user, actor=request.user, ip=request.META.get("REMOTE_ADDR"))
        self.message_user(request, f"已移除{queryset.count()}人的验证器；需要时他们将在下次登录时重新启用。", messages.SUCCESS)

    @admin.display(description="角色")
    def role_list(self, obj):
        labels = {r.value: r.label for r in Role}
        return "、".join(labels.get(g.name, g.name) for g in obj.groups.all()) or "—"


# --- third-party admins of people's data, held to the same scope ------------------------


class ScopedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """Authenticators of the staff member's own scope only; the QR code of another unit's
    device is not found rather than shown."""

    def get_queryset(self, request):
        return in_scope(request, super().get_queryset(request), "user__unit__path")

    def config_view(self, request, pk):
        get_object_or_404(self.get_queryset(request), pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(self.get_queryset(request), pk=pk)
        return super().qrcode_view(request, pk)


class ScopedByUsername:
    """django-axes keeps the account name tried, not the account: a row is in scope when
    an account of that name is."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(username__in=in_scope(request, User.objects.all(), "unit__path").values("username"))


class ScopedAccessAttemptAdmin(ScopedByUsername, AccessAttemptAdmin):
    @admin.action(description="清除已过期的登录失败记录")
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes reads the time of the request from its middleware's login handling,
        # which an admin page never passes through.
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


class ScopedAccessLogAdmin(ScopedByUsername, AccessLogAdmin):
    pass


class ScopedAccessFailureLogAdmin(ScopedByUsername, AccessFailureLogAdmin):
    pass


for _model, _admin in [(TOTPDevice, ScopedTOTPDeviceAdmin), (AccessAttempt, ScopedAccessAttemptAdmin),
                       (AccessLog, ScopedAccessLogAdmin), (AccessFailureLog, ScopedAccessFailureLogAdmin)]:
    if admin.site.is_registered(_model):  # django-axes leaves its own out with AXES_ENABLE_ADMIN=False
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)
