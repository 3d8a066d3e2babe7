"""Account security: passwords, the second factor, ending every session of a user.
Each function is one transaction with its audit entry."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinfang.audit.services import record as audit

from .choices import ROLE_PERMISSIONS, WORK_ROLES, Role
from .models import Unit, User

DEVICE_NAME = "手机验证器"


@transaction.atomic
def change_password(*, user, new_password, ip=None):
    """The user sets their own password; a first-login change requirement is met."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit(actor=user, action="user.password_change", obj=user, ip=ip)


@transaction.atomic
def set_initial_password(*, user, actor, ip=None, created=False):
    """An administrator created the account or reset its password: the password is
    known to someone else, so the user must choose their own at the next login."""
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    audit(actor=actor, action="user.create" if created else "user.password_reset", obj=user, ip=ip)


@transaction.atomic
def logout_everywhere(*, user, actor, ip=None):
    """End every session of `user` on every device (the session hash covers
    `session_epoch`, see User._get_session_auth_hash) and revoke all their API tokens.
    Returns the number of tokens revoked."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    revoked = revoke_all_tokens(user=user)
    audit(actor=actor, action="user.logout_everywhere", obj=user, detail={"tokens_revoked": revoked}, ip=ip)
    return revoked


def revoke_all_tokens(*, user):
    """Revoke every live token of `user` now (logout everywhere); returns how many.
    The caller writes the audit entry. Through the user's own relation: the tokens are
    the API's (api.ApiToken), which sits above org."""
    return user.api_tokens.live().update(revoked_at=timezone.now())


def otp_required_by_role(user):
    """True when one of the user's roles must use a second factor
    (settings.OTP_REQUIRED_ROLES; "superuser" names superusers)."""
    roles = settings.OTP_REQUIRED_ROLES
    if not roles:
        return False
    return ("superuser" in roles and user.is_superuser) or user.has_role(*roles)


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def otp_required(user):
    """A second factor is asked of a user whose role requires it and of anyone who has
    enrolled one."""
    return otp_required_by_role(user) or confirmed_device(user) is not None


def enrolment_device(user):
    """The unconfirmed device being enrolled (made on first call), whose key the QR
    code carries until the user proves it with a code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_device(*, user, device, ip=None):
    """The user proved the device with a code: it becomes their second factor,
    replacing any earlier one."""
    TOTPDevice.objects.devices_for_user(user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(actor=user, action="user.otp_enrol", obj=user, ip=ip)


@transaction.atomic
def remove_device(*, user, actor, ip=None):
    """Remove the user's second factor (they lost the phone); they enrol again at the
    next login if their role requires one."""
    removed, _ = TOTPDevice.objects.devices_for_user(user).delete()
    audit(actor=actor, action="user.otp_remove", obj=user, ip=ip)
    return removed


# --- roles and rights -------------------------------------------------------------------


def sync_role_permissions(using="default"):
    """Give each role's group the model permissions of ROLE_PERMISSIONS (and create the
    groups). Run after every migrate, since permissions only exist once their models'
    migrations have run; adds what is missing, never removes what a superuser added."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=str(role))
        wanted = [name.split(".", 1) for name in names]
        perms = Permission.objects.using(using).filter(content_type__app_label__in={a for a, _ in wanted},
                                                       codename__in={c for _, c in wanted})
        perms = [p for p in perms.select_related("content_type") if [p.content_type.app_label, p.codename] in wanted]
        group.permissions.add(*perms)


def grantable_roles(user):
    """The roles `user` may give or take away in the admin. A superuser: every role. A
    unit administrator (系统管理员): the work roles. Anyone else with the right to change
    users: only the work roles they hold themselves. Never 系统管理员 or 审计员 without
    being a superuser."""
    if user.is_superuser:
        return set(Role.values)
    work = {str(r) for r in WORK_ROLES}
    if user.has_role(Role.ADMIN):
        return work
    return work & set(user.roles)


def scope_units(user):
    """The units whose people and sub-units `user` administers: their scope's subtree."""
    if user.is_superuser:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.subtree(user.unit.scope_root)


def may_administer(editor, user):
    """Whether `editor` may change `user`'s account in the admin: a superuser anyone; a
    scoped administrator a person inside their scope who is not a superuser and holds no
    role the administrator could not give (so no one takes over an account that has more
    rights than their own, by resetting its password for example). Everyone may edit
    their own name and phone, but not their own rights (the admin makes those read-only)."""
    if editor.is_superuser or editor.pk == user.pk:
        return True
    if user.is_superuser or user.unit_id is None:
        return False
    if not user.unit.path.startswith(editor.unit.scope_root.path if editor.unit_id else "\0"):
        return False
    return set(user.roles) <= grantable_roles(editor)


RIGHTS_FIELDS = ("is_superuser", "is_staff", "is_active", "unit_id")


def rights_of(user):
    """What a user may do, as it stands in the database: for the audit record."""
    if user is None or user.pk is None:
        return None
    row = User.objects.filter(pk=user.pk).values(*RIGHTS_FIELDS).first()
    if row is None:
        return None
    row["groups"] = sorted(User.groups.through.objects.filter(user_id=user.pk).values_list("group__name", flat=True))
    row["user_permissions"] = sorted(User.user_permissions.through.objects.filter(user_id=user.pk)
                                     .values_list("permission__codename", flat=True))
    return row


@transaction.atomic
def record_rights_change(*, user, actor, before, ip=None):
    """Write `user.rights` with every right that changed (groups, staff, superuser,
    active, unit, raw permissions) as [before, after]; nothing when nothing changed."""
    after = rights_of(user)
    before = before or {}
    changed = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    if before == {}:
        changed = {key: [None, value] for key, value in after.items() if value not in (False, None, [])}
    if changed:
        audit(actor=actor, action="user.rights", obj=user, detail=changed, ip=ip)
    return changed
