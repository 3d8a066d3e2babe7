"""Account security: passwords, the second factor, ending every session of a user.
Each function is one transaction with its audit entry."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinfang.audit.services import record as audit

from .models import User

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
