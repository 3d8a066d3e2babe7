"""Public information: the legal time limits of this deployment, the leaders' reception
schedule, the open figures."""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from xinfang.analytics.services import summary
from xinfang.org.models import Unit, User

FIGURES_SECONDS = 600


def time_limits():
    """The limits in force, from settings.XINFANG_LIMITS (a deployment may change them)."""
    L = settings.XINFANG_LIMITS
    handle = L["handle_days"].get("grievance", 60)
    unit = _("个工作日") if L["handle_working_days"] else _("日")
    return [
        {"step": _("告知是否受理"), "days": L["decide_days"], "unit": _("个工作日") if L["decide_working_days"] else _("日"),
         "basis": _("《信访工作条例》第二十二、二十三条"), "from": _("自收到之日起")},
        {"step": _("办理并书面答复"), "days": handle, "unit": unit, "basis": _("第三十四条"), "from": _("自受理之日起")},
        {"step": _("情况复杂的可延长（一次）"), "days": L["extend_max_days"], "unit": _("日"), "basis": _("第三十四条"),
         "from": _("延长理由告知信访人")},
        {"step": _("书面答复送达信访人"), "days": L["deliver_days"], "unit": _("日"), "basis": _("本系统规定"),
         "from": _("自作出答复之日起；送达前复查期限显示为“待送达”")},
        {"step": _("不服处理意见，请求复查"), "days": L["review_window_days"], "unit": _("日"), "basis": _("第三十五条"),
         "from": _("自收到书面答复之日起")},
        {"step": _("复查机关答复"), "days": L["review_answer_days"], "unit": _("日"), "basis": _("第三十五条"), "from": _("自收到复查请求之日起")},
        {"step": _("不服复查意见，请求复核"), "days": L["re_review_window_days"], "unit": _("日"), "basis": _("第三十六条"),
         "from": _("自收到复查意见之日起")},
        {"step": _("复核机关答复"), "days": L["re_review_answer_days"], "unit": _("日"), "basis": _("第三十六条"),
         "from": _("自收到复核请求之日起")},
    ]


def reception_schedule():
    """Upcoming leaders' reception days, from the leaders app once it is installed
    (`xinfang.leaders.services.public_schedule()`); until then nothing."""
    if not apps.is_installed("xinfang.leaders"):
        return []
    try:
        return list(import_string("xinfang.leaders.services.public_schedule")())
    except ImportError:
        return []


def _public_viewer():
    """Whose view the open figures take: the whole deployment, from its top unit. An
    unsaved user that belongs to no one; it only scopes the analytics query."""
    root = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "pk").first()
    return User(unit=root) if root else None


def open_figures():
    """This year's measures for the whole deployment (analytics.services.summary), kept
    for ten minutes: the figures are public, the load of computing them need not be."""
    today = timezone.localdate()
    key = f"xf:portal:figures:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    viewer = _public_viewer()
    if viewer is None:
        return None
    figures = summary(viewer, date_from=datetime.date(today.year, 1, 1), date_to=today)
    figures["unit_name"] = viewer.unit.name
    cache.set(key, figures, FIGURES_SECONDS)
    return figures


def follow_address(request):
    """Where a petitioner follows a case, as printed on a receipt: the public address
    when the deployment names it (PORTAL_PUBLIC_URL: staff pages are often on an
    intranet address the public cannot reach), else this request's own address."""
    from django.urls import reverse

    path = reverse("portal:follow")
    base = getattr(settings, "PORTAL_PUBLIC_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)
