"""What the audit record hears without being called: logins, logouts and failed logins
(Django's auth signals), and every change made in the admin (its LogEntry rows)."""

import contextvars

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import record

# The address of the request being served, for records written where no request is at
# hand (the admin's change log). Set by AuditContextMiddleware.
request_ip = contextvars.ContextVar("audit_request_ip", default=None)


def _ip(request):
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or request_ip.get()


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", obj=user, ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "logout_reason", "") if request is not None else ""
    record(actor=user, action="auth.logout", obj=user, detail={"reason": reason} if reason else None, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:64]
    locked = bool(getattr(request, "axes_locked_out", False))
    record(actor=None, action="auth.login_failed", object_type="org.user", object_id=username,
           detail={"locked_out": True} if locked else None, ip=_ip(request))


def audit_admin_log(entries):
    """One audit entry for each admin LogEntry: who added, changed or deleted what."""
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION

    verbs = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}
    for entry in entries:
        record(actor=entry.user, action=verbs.get(entry.action_flag, "admin.other"),
               object_type=f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type_id else "",
               object_id=entry.object_id or "", detail={"repr": entry.object_repr, "message": entry.get_change_message()},
               ip=request_ip.get())
