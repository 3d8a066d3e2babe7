"""Template tags of 督查督办: the supervision level badge (wherever a case or an
obligation appears) and the count of what the user's unit owes (the navigation)."""

from django import template

from xinfang.cases.choices import SupervisionLevel
from xinfang.cases.models import Obligation
from xinfang.supervision import items
from xinfang.web.supervision import items as obligation_screens

register = template.Library()

LEVEL_CSS = {
    SupervisionLevel.GENERAL: "text-bg-info",
    SupervisionLevel.KEY: "text-bg-warning",
    SupervisionLevel.LISTED: "text-bg-danger",
}


@register.inclusion_tag("web/supervision/_level_badge.html")
def level_badge(level):
    """一般督办 / 重点督办 / 挂牌督办 as a coloured badge; nothing for no level."""
    level = str(level or "")
    if level not in SupervisionLevel.values:
        return {"label": ""}
    return {"label": SupervisionLevel(level).label, "css": LEVEL_CSS[level], "level": level}


@register.simple_tag(takes_context=True)
def owed_count(context):
    """How many open obligations the user's unit owes, once per request."""
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, "_owed_count"):
        request._owed_count = obligation_screens.owed_count(request.user)
    return request._owed_count


@register.simple_tag(takes_context=True)
def may_supervise(context):
    request = context.get("request")
    return request is not None and items.may_supervise(request.user)


@register.filter
def level_label(level):
    return SupervisionLevel(level).label if level in SupervisionLevel.values else ""


@register.inclusion_tag("web/supervision/_case_items.html", takes_context=True)
def case_obligations(context, case):
    """The case page's part of 督查督办: the case's obligations (督办, 交办反馈...) with links,
    their 督办单, and the button that opens an item for whoever may supervise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = list(Obligation.objects.filter(case=case).select_related("owner_unit", "creditor_unit").order_by("-opened_at", "-id")[:20])
    return {"case": case, "rows": rows, "may_supervise": user is not None and items.may_supervise(user),
            "today": context.get("today")}
