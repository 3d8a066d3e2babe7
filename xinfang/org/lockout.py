"""The answer to a locked-out login attempt (settings.AXES_LOCKOUT_CALLABLE): a page in
the user's language for the login form, the API's error shape (both languages) for the
token route."""

import math

from django.conf import settings
from django.shortcuts import render

from xinfang.lib.errors import for_page, json_error


def cool_off_minutes():
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def message():
    minutes = cool_off_minutes()
    return (f"登录失败次数过多，账号已暂时锁定，请{minutes}分钟后再试；如需立即解锁请联系系统管理员 / "
            f"Too many failed logins: the account is locked for {minutes} minutes. Try again later or ask an administrator to unlock it.")


def lockout_response(request, original_response=None, credentials=None):
    seconds = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = json_error(429, "locked_out", message())
    else:
        response = render(request, "org/locked_out.html", {"message": for_page(message()), "minutes": cool_off_minutes()},
                          status=429)
    response["Retry-After"] = seconds
    return response
