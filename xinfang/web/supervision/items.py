"""Supervision items and the unit's side of every obligation (督办待办), the supervisor's
desk (督查督办台) and the form that opens an item on a case. Thin: the rules are
supervision/items.py's and cases/obligations.py's."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case as Rank, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.cases import clock, obligations
from xinfang.cases.choices import LEVEL_RANK, OBLIGATION_OPEN, ObligationStatus, SupervisionLevel
from xinfang.cases.models import Case
from xinfang.cases.services import get_case_for
from xinfang.lib.errors import NotFound, ServiceError
from xinfang.org.choices import Role
from xinfang.org.models import Unit
from xinfang.supervision import items

from ..templatetags.web_tags import zh

PER_PAGE = 50
OS = ObligationStatus


def _today():
    return clock.as_date(timezone.now())


def _page(request, qs, name="page"):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get(name))


def _related(qs):
    return qs.select_related("case", "owner_unit", "creditor_unit", "responsible", "opened_by")


def _forbidden(request, error):
    return render(request, "403.html", {"reason": zh(error.message)}, status=403)


# --- 督办待办: the unit's side ----------------------------------------------------------


@login_required
@require_GET
def owed(request):
    """What my unit owes (open obligations of every kind, nearest due date first), what it
    has reported and waits on, and the results reported to my unit for its decision."""
    unit = request.user.unit
    if unit is None:
        raise Http404("您的账号尚未设置所属单位")
    today = _today()
    owing = _related(obligations.owed_by(unit)).order_by("due_date", "id")
    context = {
        "page": _page(request, owing),
        "reported": _related(obligations.Obligation.objects.filter(owner_unit__in=unit.acts_for, status=OS.REPORTED))
        .order_by("reported_at", "id")[:PER_PAGE],
        "deciding": _related(obligations.awaiting_decision_of(unit)).order_by("reported_at", "id")[:PER_PAGE],
        "overdue_count": obligations.overdue(obligations.owed_by(unit), today).count(),
        "today": today,
    }
    return render(request, "web/supervision/owed.html", context)


def owed_count(user):
    """How many open obligations the user's unit owes (the navigation's count)."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return 0
    return obligations.owed_by(user.unit).count()


# --- one obligation -------------------------------------------------------------------


def _obligation(request, pk):
    try:
        return items.get_for(request.user, pk)
    except NotFound as error:
        raise Http404(zh(error.message))


def obligation_context(request, row, **extra):
    user = request.user
    elsewhere = items.decided_elsewhere(row)
    report_back = elsewhere is not None
    may_report = obligations.report_refusal(row, user) is None
    may_decide = not report_back and obligations.decide_refusal(row, user) is None
    may_cancel = not report_back and obligations.decide_refusal(row, user, status=OBLIGATION_OPEN) is None
    higher = [(code, label) for code, label in SupervisionLevel.choices if LEVEL_RANK[code] > LEVEL_RANK[row.level]]
    case_visible = row.case_id and Case.objects.visible_to(user).filter(pk=row.case_id).exists()
    return {
        "row": row, "entries": row.entries.select_related("actor", "unit"), "today": _today(),
        "may_report": may_report, "may_report_result": may_report and not report_back,
        "may_decide": may_decide, "may_cancel": may_cancel, "may_escalate": may_cancel and bool(higher), "higher": higher,
        "report_back": report_back, "elsewhere": elsewhere[0] if elsewhere else "", "case_visible": case_visible, "form": items.form_of(row),
        "default_due": _today() + datetime.timedelta(days=7), "values": {}, "error": None, **extra,
    }


@login_required
@require_GET
def obligation(request, pk):
    row = _obligation(request, pk)
    return render(request, "web/supervision/obligation.html", obligation_context(request, row))


STEPS = {
    "report": lambda row, user, post: items.report_on(row, actor=user, text=post.get("text", ""), final=post.get("final") == "1"),
    "accept": lambda row, user, post: items.accept_item(row, actor=user, note=post.get("note", "")),
    "send_back": lambda row, user, post: items.send_back_item(row, actor=user, reason=post.get("reason", ""),
                                                             due_date=post.get("due_date", "")),
    "escalate": lambda row, user, post: items.escalate_item(row, actor=user, level=post.get("level", ""), text=post.get("text", "")),
    "cancel": lambda row, user, post: items.cancel_item(row, actor=user, reason=post.get("reason", "")),
}
DONE = {"report": "报告已提交", "accept": "已审核通过，督办事项办结", "send_back": "已退回补办", "escalate": "已提级督办", "cancel": "已撤销"}


@login_required
@require_POST
def obligation_step(request, pk, step):
    if step not in STEPS:
        raise Http404("没有这个操作")
    row = _obligation(request, pk)
    try:
        STEPS[step](row, request.user, request.POST)
    except ServiceError as error:
        context = obligation_context(request, row, error=zh(error.message), error_fields=error.fields or {}, failed_step=step,
                                     values=request.POST)
        return render(request, "web/supervision/obligation.html", context, status=error.status)
    messages.success(request, DONE[step])
    return redirect("supervision:obligation", pk=row.pk)


# --- 督办立项 on a case -----------------------------------------------------------------


def _case(request, number):
    try:
        return get_case_for(request.user, number)
    except NotFound as error:
        raise Http404(zh(error.message))


def supervisable_units(user, case):
    """The units in `user`'s scope an item on `case` may go to (never the accused unit of
    an accusation or a unit under it), the case's current and lead units first."""
    root = user.unit.scope_root
    qs = Unit.objects.filter(path__startswith=root.path, is_active=True).order_by("path")
    if case.accused_unit_id:
        qs = qs.exclude(path__startswith=case.accused_unit.path)
    first = [case.lead_unit_id, case.current_unit_id]
    return sorted(qs, key=lambda u: (u.pk not in first, u.path))


@login_required
@require_http_methods(["GET", "POST"])
def supervise(request, number):
    case = _case(request, number)
    if (why := items.supervise_refusal(request.user)) is not None:
        return _forbidden(request, why)
    values = request.POST if request.method == "POST" else {
        "unit": case.lead_unit.code if case.lead_unit_id else (case.current_unit.code if case.current_unit_id else ""),
        "level": SupervisionLevel.GENERAL, "due_date": (_today() + datetime.timedelta(days=10)).isoformat()}
    error, fields, status = None, {}, 200
    if request.method == "POST":
        try:
            row, warnings = items.open_item(case=case.number, actor=request.user, level=values.get("level", ""),
                                            unit=values.get("unit", ""), requirement=values.get("requirement", ""),
                                            due_date=values.get("due_date", ""), responsible=values.get("responsible") or None,
                                            reason=values.get("reason", ""))
        except ServiceError as exc:
            error, fields, status = zh(exc.message), exc.fields or {}, exc.status
        else:
            messages.success(request, f"已立项{row.get_level_display()}，督办单已生成")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("supervision:obligation", pk=row.pk)
    context = {"case": case, "units": supervisable_units(request.user, case), "levels": SupervisionLevel.choices,
               "values": values, "error": error, "fields": {k: zh(v) for k, v in fields.items()},
               "open_items": _related(items.open_items_on(case)), "today": _today()}
    return render(request, "web/supervision/supervise.html", context, status=status)


# --- 督查督办台: the supervisor's desk --------------------------------------------------


@login_required
@require_GET
def desk(request):
    user = request.user
    if (why := items.supervise_refusal(user)) is not None:
        return _forbidden(request, why)
    today = _today()
    level = request.GET.get("level", "")
    if level not in SupervisionLevel.values:
        level = ""
    unit = None
    code = request.GET.get("unit", "").strip()
    if code:
        unit = Unit.objects.filter(code=code, path__startswith=user.unit.scope_root.path).first()
        if unit is None:
            messages.error(request, "单位不存在或不在管辖范围内")
    only_overdue = request.GET.get("overdue") == "1"
    base = items.desk_queryset(user, unit=unit, overdue=only_overdue, today=today)
    counts = items.level_counts(base)
    qs = base.filter(level=level) if level else base
    # Highest level first, then the nearest due date.
    rank = Rank(*[When(level=code, then=Value(LEVEL_RANK[code])) for code in SupervisionLevel.values], default=Value(0),
                 output_field=IntegerField())
    qs = _related(qs).annotate(rank=rank).order_by("-rank", "due_date", "id")
    waiting = _related(items.items_visible_to(user).filter(status=OS.REPORTED, creditor_unit__in=user.unit.acts_for)
                       ).order_by("-reported_at", "id")[:20]
    params = request.GET.copy()
    params.pop("page", None)
    level_links = []
    for code, label in SupervisionLevel.choices:
        p = params.copy()
        p["level"] = code
        level_links.append({"code": code, "label": label, "count": counts[code], "query": p.urlencode(), "active": code == level})
    p = params.copy()
    p.pop("level", None)
    context = {
        "page": _page(request, qs), "level": level, "unit": unit, "unit_code": code, "only_overdue": only_overdue,
        "level_links": level_links, "all_query": p.urlencode(), "all_count": sum(counts.values()), "waiting": waiting,
        "units": Unit.objects.filter(path__startswith=user.unit.scope_root.path, is_active=True).order_by("path"),
        "today": today, "levels": SupervisionLevel.choices,
        # Other screens of 督查督办 (bulletins, campaigns, reviews, overdue lists) add their
        # cards here: {"title", "url", "icon", "text"}.
        "desk_links": desk_links(request),
    }
    return render(request, "web/supervision/desk.html", context)


def desk_links(request):
    """The other screens of 督查督办, as cards on the desk. Each screen module adds its own
    entry here when it joins (web/supervision/urls.py)."""
    links = [
        {"title": "督办待办", "url": reverse("supervision:owed"), "icon": "bi-list-check", "text": "本单位应报告、应审核的督办事项"},
        {"title": "逾期未办与催办", "url": reverse("supervision:overdue"), "icon": "bi-alarm", "text": "各单位逾期的事项和收到的催办单"},
        {"title": "通报", "url": reverse("supervision:bulletins"), "icon": "bi-megaphone", "text": "按期生成逾期、退回、催办情况通报"},
        {"title": "积案化解", "url": reverse("supervision:campaigns"), "icon": "bi-bar-chart-steps", "text": "挂牌督办、销号管理、挂图作战"},
    ]
    if request.user.has_role(Role.SUPERVISOR, Role.LEADER, Role.AUDITOR):
        links += [
            {"title": "案件评查", "url": reverse("supervision:review_rounds"), "icon": "bi-clipboard-check", "text": "抽查已办结事项，按三到位评分"},
            {"title": "责任追究", "url": reverse("supervision:accountability"), "icon": "bi-journal-text", "text": "有关机关作出的责任追究决定"},
        ]
    return links


urlpatterns = [
    path("desk/", desk, name="desk"),
    path("owed/", owed, name="owed"),
    path("obligations/<int:pk>/", obligation, name="obligation"),
    path("obligations/<int:pk>/<str:step>/", obligation_step, name="obligation_step"),
    path("cases/<str:number>/supervise/", supervise, name="supervise"),
]
