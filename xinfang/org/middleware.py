"""The gate every signed-in page request passes: idle sessions end; a password set by an
administrator is changed first; a second factor is verified where one is required."""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as _DjangoSessionMiddleware
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .services import confirmed_device, otp_required_by_role

logger = logging.getLogger(__name__)

SEEN_KEY = "xf_seen"  # when the session last served a request (epoch seconds)
OTP_FREE_KEY = "xf_otp_free"  # this session's user needs no second factor (checked at its first request)
# Write the "last seen" time at most this often, so most requests do not save the session.
SEEN_RESOLUTION = 60


class AccountGateMiddleware:
    """After AuthenticationMiddleware and django_otp's OTPMiddleware. The API is left
    alone: it authenticates each request by token (api/auth.py), not by session."""

    # Reachable while a step is pending: the steps themselves, logging out, files.
    OPEN = ("/static/", "/api/", "/favicon", "/admin/login/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            response = self.idle(request) or self.gate(request)
            if response is not None:
                return response
        return self.get_response(request)

    def idle(self, request):
        """End a session that has been idle longer than settings.SESSION_IDLE_TIMEOUT.
        A page's own polling (settings.SESSION_PASSIVE_PATHS, e.g. the notification bell)
        is no activity: an open tab does not keep an unattended session alive, and when
        the session ends the poll sends the whole page to the login (HX-Redirect)."""
        now, limit = int(time.time()), settings.SESSION_IDLE_TIMEOUT
        seen = request.session.get(SEEN_KEY)
        passive = request.path in settings.SESSION_PASSIVE_PATHS
        if limit and seen and now - seen > limit:
            request.logout_reason = "idle"
            logout(request)
            minutes = max(1, limit // 60)
            messages.info(request, f"您已超过{minutes}分钟未操作，为保护信访人信息已自动退出，请重新登录。")
            if passive:
                page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
                response = HttpResponse(status=200)
                response["HX-Redirect"] = redirect_to_login(page)["Location"]
                return response
            return redirect_to_login(request.get_full_path())
        if not passive and (not seen or now - seen >= SEEN_RESOLUTION):
            request.session[SEEN_KEY] = now
        return None

    def gate(self, request):
        path = request.path
        if path.startswith(self.OPEN) or path in (reverse("web:logout"), reverse("web:login")):
            return None
        user = request.user
        step = None
        if not request.session.get(OTP_FREE_KEY) and not user.is_verified():
            device = confirmed_device(user)
            if device is not None:
                step = "org:otp_verify"
            elif not user.must_change_password and otp_required_by_role(user):
                step = "org:otp_setup"
            elif not otp_required_by_role(user):
                request.session[OTP_FREE_KEY] = True
        if step is None and user.must_change_password:
            step = "org:password_change"
        if step is None or path == reverse(step):
            return None
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def fresh_login(sender, request, user, **kwargs):
    """A login starts the idle clock anew and forgets an earlier "no second factor
    needed" (Django keeps the session's data when the same user logs in again)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(OTP_FREE_KEY, None)
    request.session[SEEN_KEY] = int(time.time())


class SessionMiddleware(_DjangoSessionMiddleware):
    """Django's, except that a session that cannot be saved at the end of a request
    whose work is done (the database went away after the view committed) does not turn
    the answer into a 400: the change is saved, and the answer must say so. What is lost
    is only this request's update of the session (the "last seen" time, a message)."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted:
            logger.error("session not saved after %s %s: the database failed after the view", request.method, request.path)
            return response
