"""Account security pages: the first-login password change, the second factor
(enrolment and verification), and "log out everywhere"."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from xinfang.audit.labels import ACTION_LABELS
from xinfang.audit.models import AuditEntry
from xinfang.audit.services import record as audit

from . import services
from .forms import OwnPasswordChangeForm, TokenForm


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _next(request, default="web:my_work"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def security(request):
    """The user's own account security: password, second factor, sessions and tokens."""
    user = request.user
    context = {
        "device": services.confirmed_device(user),
        "otp_by_role": services.otp_required_by_role(user),
        "live_tokens": user.api_tokens.live().count(),
        "activity": _activity(user),
    }
    return render(request, "org/security.html", context)


ACTIVITY = ["auth.login", "auth.logout", "auth.otp_verify", "auth.otp_failed", "user.password_change",
            "user.logout_everywhere", "user.otp_enrol"]


def _activity(user, limit=10):
    """The user's own recent sign-ins and security changes, from the audit record."""
    mine = Q(object_id=str(user.pk), action__in=ACTIVITY) | Q(object_id=user.username, action="auth.login_failed")
    entries = list(AuditEntry.objects.filter(mine, object_type="org.user").order_by("-seq")[:limit])
    for e in entries:
        e.name = ACTION_LABELS.get(e.action, e.action)
    return entries


@login_required
def password_change(request):
    user = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=user, new_password=form.cleaned_data["new_password1"], ip=client_ip(request))
        update_session_auth_hash(request, user)  # stay logged in here; other sessions end
        messages.success(request, "密码已修改。其他设备上的登录已失效。")
        return redirect(_next(request))
    return render(request, "org/password_change.html", {"form": form, "forced": user.must_change_password,
                                                        "next": _next(request, "")})


def _qr_svg(data):
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    # bandit: the SVG is generated here from our own data, with no user markup in it.
    return mark_safe(svg[svg.index("<svg"):])  # nosec B308 B703


@login_required
def otp_setup(request):
    """Enrol a TOTP authenticator app: scan the QR code (or type the key), then prove
    it with one code."""
    user = request.user
    if services.confirmed_device(user) is not None and not user.is_verified():
        # Replacing a device needs the current one first: a stolen password alone
        # must not be enough to enrol the thief's phone.
        return redirect(f"{reverse('org:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
    device = services.enrolment_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            services.confirm_device(user=user, device=device, ip=client_ip(request))
            otp_login(request, device)
            messages.success(request, "双因素认证已启用。以后登录时需输入验证器上的6位验证码。")
            return redirect(_next(request))
        form.add_error("token", "验证码不正确，请确认手机时间准确后重新输入。" if allowed else "尝试过于频繁，请稍候几秒再试。")
    key = _base32(device)
    context = {"form": form, "qr": _qr_svg(device.config_url), "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)),
               "required": services.otp_required_by_role(user), "next": _next(request, "")}
    return render(request, "org/otp_setup.html", context)


@login_required
def otp_verify(request):
    """The second step of logging in: a code from the enrolled authenticator."""
    user = request.user
    device = services.confirmed_device(user)
    if device is None:
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit(actor=user, action="auth.otp_verify", obj=user, ip=client_ip(request))
            return redirect(_next(request))
        audit(actor=user, action="auth.otp_failed", obj=user, ip=client_ip(request))
        if allowed:
            form.add_error("token", "验证码不正确或已过期，请输入验证器上当前显示的6位数字。")
        else:
            form.add_error("token", "验证失败次数过多，请稍候再试。")
    return render(request, "org/otp_verify.html", {"form": form, "next": _next(request, "")})


@require_POST
@login_required
def logout_everywhere(request):
    """End every session of this user, this one included, and revoke their API tokens."""
    user = request.user
    revoked = services.logout_everywhere(user=user, actor=user, ip=client_ip(request))
    request.logout_reason = "everywhere"
    logout(request)
    text = "已退出所有设备上的登录" + (f"，并注销了{revoked}个接口令牌" if revoked else "") + "。请重新登录。"
    messages.success(request, text)
    return redirect("web:login")



def _base32(device):
    """The key as people type it into an app that cannot scan: base32, no padding."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
