"""The backlog campaign screens (积案化解): the list, create/edit, the campaign page (its
cases, adding cases by numbers, search or rule with a preview, the unit's clear-off
application, the supervisor's approval or refusal) and the wall chart (挂图作战). Thin:
the rules are supervision/campaigns.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.cases.choices import ObligationStatus
from xinfang.lib.errors import NotFound, ServiceError
from xinfang.org.choices import Role
from xinfang.org.models import User
from xinfang.supervision import campaigns
from xinfang.supervision.models import CampaignCaseStatus, EvidenceKind

from ..templatetags.web_tags import zh


def _campaign(request, pk):
    try:
        return campaigns.get_for(request.user, pk)
    except NotFound as error:
        raise Http404(zh(error.message))


def _may_run(user, campaign=None):
    unit = campaign.unit if campaign else (user.unit.scope_root if user.unit_id else None)
    return unit is not None and campaigns._may_run(user, unit) is None


@login_required
@require_GET
def campaign_list(request):
    """专项行动 list, each with its overall progress against the time gone."""
    rows = []
    for c in campaigns.visible_to(request.user)[:100]:
        rows.append((c, campaigns.progress(c, request.user).overall))
    return render(request, "web/supervision/campaign_list.html", {"rows": rows, "may_create": _may_run(request.user)})


def _form_values(request, campaign=None):
    p = request.POST
    return {"name": p.get("name", ""), "starts_on": p.get("starts_on", ""), "ends_on": p.get("ends_on", ""),
            "leader": p.get("leader", ""), "leader_name": p.get("leader_name", ""), "rebound_days": p.get("rebound_days", ""),
            "note": p.get("note", "")}


def _leaders(user):
    root = user.unit.scope_root.path if user.unit_id else "-"
    return User.objects.filter(is_active=True, groups__name=Role.LEADER, unit__path__startswith=root).order_by("username").distinct()[:100]


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk=None):
    """New campaign (pk None) or edit a running one."""
    campaign = _campaign(request, pk) if pk else None
    if request.method == "POST":
        values = _form_values(request)
        try:
            if campaign is None:
                campaign = campaigns.create(actor=request.user, unit=request.POST.get("unit", ""), **values)
                messages.success(request, f"已新建专项行动“{campaign.name}”，请添加挂牌积案。")
            else:
                campaign = campaigns.update(campaign, actor=request.user, **values)
                messages.success(request, "已保存。")
        except ServiceError as error:
            messages.error(request, zh(error.message))
            return render(request, "web/supervision/campaign_form.html",
                          {"campaign": campaign, "values": values, "errors": error.fields, "leaders": _leaders(request.user),
                           "unit": request.POST.get("unit", "")}, status=error.status)
        return redirect("supervision:campaign", pk=campaign.pk)
    if campaign is not None:
        values = {"name": campaign.name, "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
                  "leader": campaign.leader.username if campaign.leader_id else "", "leader_name": "" if campaign.leader_id else campaign.leader_name,
                  "rebound_days": campaign.rebound_days, "note": campaign.note}
    else:
        values = {"rebound_days": campaigns.default_rebound_days(), "starts_on": timezone.localdate().isoformat()}
    return render(request, "web/supervision/campaign_form.html",
                  {"campaign": campaign, "values": values, "errors": {}, "leaders": _leaders(request.user),
                   "unit": request.user.unit.scope_root.code if request.user.unit_id else ""})


def _rule_from(query):
    return {k: query.get(k) for k in ("open_days", "petitions") if query.get(k)} | ({"over_level": True} if query.get("over_level") else {})


@login_required
@require_GET
def campaign_page(request, pk):
    """One campaign: figures, its cases (filtered by unit and status in the URL), the
    forms to add cases (with a preview) and to clear them off."""
    campaign = _campaign(request, pk)
    user = request.user
    unit, within, status = request.GET.get("unit", ""), request.GET.get("within", ""), request.GET.get("status", "")
    try:
        items = list(campaigns.entries(campaign, user, unit=unit, within=within, status=status)[:1000])
    except ServiceError as error:
        messages.error(request, zh(error.message))
        items, unit, within, status = list(campaigns.entries(campaign, user)[:1000]), "", "", ""
    may_run = _may_run(user, campaign)
    rows = []
    for e in items:
        ob = e.obligation
        applying = bool(ob and ob.status == ObligationStatus.REPORTED and e.status != CampaignCaseStatus.CLEARED)
        owner = bool(ob and user.unit_id and ob.owner_unit_id in user.unit.acts_for)
        may_apply = owner and ob.status == ObligationStatus.OPEN and e.status != CampaignCaseStatus.CLEARED
        # The entry's obligation is already loaded with it: no query a row.
        may_decide = (applying and user.unit_id is not None and e.unit_id not in user.unit.acts_for
                      and campaigns.obligations.decide_refusal(ob, user) is None)
        rows.append({"e": e, "applying": applying, "may_apply": may_apply, "may_decide": may_decide,
                     "evidence": campaigns.evidence_choices(e) if may_apply else [],
                     "result": campaigns.obligations.last_result(ob) if applying else None})
    preview, preview_how, preview_error = None, request.GET.get("preview", ""), ""
    if may_run and preview_how:
        try:
            if preview_how == "rule":
                preview = list(campaigns.rule_cases(campaign, user, _rule_from(request.GET))[:campaigns.ADD_LIMIT])
            elif preview_how == "search":
                preview = list(campaigns.search_cases(campaign, user, request.GET.get("q", ""))[:campaigns.ADD_LIMIT])
        except ServiceError as error:
            preview_error = zh(error.message)
    progress = campaigns.progress(campaign, user)
    units = [(u.code, u.name) for u in progress.units]
    return render(request, "web/supervision/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "progress": progress, "unit": unit, "within": within, "status": status, "may_run": may_run,
        "statuses": [("", "全部"), ("open", "未销号"), *CampaignCaseStatus.choices], "units": units,
        "preview": preview, "preview_how": preview_how, "preview_error": preview_error, "query": request.GET,
        "evidence_kinds": EvidenceKind.choices, "today": timezone.localdate(),
        "preview_rule": campaigns.describe_rule(_rule_from(request.GET)) if preview_how == "rule" and not preview_error else "",
    })


@login_required
@require_POST
def campaign_add(request, pk):
    campaign = _campaign(request, pk)
    how = request.POST.get("how", "")
    try:
        added = campaigns.add_cases(campaign, actor=request.user, how=how, numbers=request.POST.get("numbers", ""),
                                    q=request.POST.get("q", ""), rule=_rule_from(request.POST),
                                    leader_name=request.POST.get("leader_name", ""))
    except ServiceError as error:
        detail = "；".join(f"{v}" for v in error.fields.values()) if error.fields else ""
        messages.error(request, zh(error.message) + (f"（{detail}）" if detail else ""))
    else:
        messages.success(request, f"已列入挂牌督办积案 {len(added)} 件。")
    return redirect("supervision:campaign", pk=campaign.pk)


def _entry(request, campaign, number):
    try:
        return campaigns.entry_for(request.user, campaign, number)
    except NotFound as error:
        raise Http404(zh(error.message))


@login_required
@require_POST
def campaign_clear(request, pk, number):
    """The responsible unit's clear-off application: one choice of evidence ("kind:id")."""
    campaign = _campaign(request, pk)
    entry = _entry(request, campaign, number)
    kind, _, ref = request.POST.get("evidence", "").partition(":")
    try:
        campaigns.apply_clear(entry, actor=request.user, evidence_kind=kind, evidence_ref=ref or None, text=request.POST.get("text", ""))
    except ServiceError as error:
        messages.error(request, f"{number}：{zh(error.message)}")
    else:
        messages.success(request, f"{number} 已申请销号，等待审核。")
    return redirect(reverse("supervision:campaign", kwargs={"pk": campaign.pk}) + f"#case-{number}")


@login_required
@require_POST
def campaign_decide(request, pk, number):
    """The campaign unit approves (销号) or refuses (退回) a clear-off."""
    campaign = _campaign(request, pk)
    entry = _entry(request, campaign, number)
    try:
        if request.POST.get("decision") == "approve":
            campaigns.approve_clear(entry, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, f"{number} 已销号。")
        else:
            campaigns.refuse_clear(entry, actor=request.user, reason=request.POST.get("reason", ""), due_date=request.POST.get("due_date", ""))
            messages.success(request, f"{number} 已退回，不予销号。")
    except ServiceError as error:
        messages.error(request, f"{number}：{zh(error.message)}")
    return redirect(reverse("supervision:campaign", kwargs={"pk": campaign.pk}) + f"#case-{number}")


@login_required
@require_GET
def campaign_chart(request, pk):
    """挂图作战: the wall chart a leader reads at a glance; ?unit= narrows it to a subtree."""
    campaign = _campaign(request, pk)
    unit = request.GET.get("within", "")
    try:
        progress = campaigns.progress(campaign, request.user, within=unit)
    except ServiceError as error:
        messages.error(request, zh(error.message))
        unit, progress = "", campaigns.progress(campaign, request.user)
    share = progress.time_share
    chart = {
        "units": [u.name for u in progress.units],
        "total": [u.total for u in progress.units],
        "cleared": [u.cleared for u in progress.units],
        "expected": [round(u.total * share, 1) for u in progress.units],
        "rates": [round(u.rate * 100, 1) for u in progress.units],
        "time_share": round(share * 100, 1),
        "overall_rate": round(progress.overall.rate * 100, 1),
    }
    all_units = [(u.code, u.name) for u in campaigns.progress(campaign, request.user).units] if unit else [(u.code, u.name) for u in progress.units]
    return render(request, "web/supervision/campaign_chart.html",
                  {"campaign": campaign, "progress": progress, "chart": chart, "unit": unit, "units": all_units})


urlpatterns = [
    path("campaigns/", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_page, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/chart/", campaign_chart, name="campaign_chart"),
    path("campaigns/<int:pk>/cases/", campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/cases/<str:number>/clear-off/", campaign_clear, name="campaign_clear"),
    path("campaigns/<int:pk>/cases/<str:number>/decide/", campaign_decide, name="campaign_decide"),
]
