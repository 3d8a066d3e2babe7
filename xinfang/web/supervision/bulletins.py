"""The bulletin screens (通报): the list (a supervisor's bulletins with their read
receipts; a named unit's bulletins, unread first), the generate form, the bulletin page
(units × figures, each figure a link to the matters behind it; downloads; publish;
receipts), and the list behind one figure. Thin: the rules are supervision/bulletins.py's."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.lib.errors import NotFound, ServiceError
from xinfang.supervision import bulletins as service
from xinfang.supervision.models import PeriodKind

from ..templatetags.web_tags import zh

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bulletin(request, pk):
    try:
        return service.get_for(request.user, pk)
    except NotFound as error:
        raise Http404(zh(error.message))


def _link(bulletin):
    return reverse("supervision:bulletin", kwargs={"pk": bulletin.pk})


@login_required
@require_GET
def bulletin_list(request):
    """通报: the bulletins the user may open."""
    return render(request, "web/supervision/bulletin_list.html", {
        "bulletins": service.list_for(request.user), "may_generate": service.may_manage(request.user)})


def _last_month(today):
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request):
    """生成通报: period and unit subtree; the draft's page follows."""
    if not service.may_manage(request.user):
        return render(request, "403.html", {"reason": "只有督查员、领导或单位负责人可以生成通报。"}, status=403)
    today = timezone.localdate()
    units = list(service.units_for(request.user).order_by("path")[:500])
    error, posted = None, {"period_kind": PeriodKind.MONTHLY, "start": _last_month(today).isoformat(), "end": "",
                           "unit": request.user.unit.scope_root.code, "title": "", "note": ""}
    if request.method == "POST":
        posted = {key: request.POST.get(key, "").strip() for key in posted}
        try:
            bulletin = service.generate(actor=request.user, unit=posted["unit"], period_kind=posted["period_kind"], start=posted["start"],
                                        end=posted["end"] or None, title=posted["title"], note=posted["note"])
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, f"已生成通报草稿：{bulletin.title}。核对后可发布。")
            return redirect(_link(bulletin))
    return render(request, "web/supervision/bulletin_new.html", {
        "units": units, "posted": posted, "error": error, "error_fields": getattr(error, "fields", {}),
        "period_kinds": PeriodKind.choices, "today": today}, status=422 if error else 200)


@login_required
@require_GET
def bulletin_detail(request, pk):
    """The bulletin page; opening it as the staff of a named unit marks the receipt read."""
    bulletin = _bulletin(request, pk)
    if service.mark_read(bulletin, request.user):
        messages.info(request, "已记录本单位阅读回执。")
    lines = service.lines_of(bulletin)
    receipts = service.receipts_of(bulletin)
    return render(request, "web/supervision/bulletin_detail.html", {
        "bulletin": bulletin, "lines": lines, "receipts": receipts, "manages": service.manages(request.user, bulletin),
        "read_count": sum(1 for r in receipts if r.read_at), "figures": service.FIGURE_LABELS.items()})


@login_required
@require_GET
def bulletin_figure(request, pk, figure):
    """The matters behind one figure, of one unit (?unit=id) or of the whole bulletin."""
    bulletin = _bulletin(request, pk)
    unit_id = request.GET.get("unit") or None
    try:
        unit_id = int(unit_id) if unit_id else None
        items = service.figure_list(bulletin, figure, unit_id)
    except (ValueError, NotFound):
        raise Http404("没有该项统计")
    unit_name = next((line.unit_name for line in service.lines_of(bulletin) if line.unit_id == unit_id), "") if unit_id else ""
    return render(request, "web/supervision/bulletin_figure.html", {
        "bulletin": bulletin, "items": items, "figure": figure, "figure_label": service.FIGURE_LABELS[figure], "unit_name": unit_name})


def _act(request, pk, do, done):
    bulletin = _bulletin(request, pk)
    try:
        result = do(bulletin)
    except ServiceError as error:
        messages.error(request, zh(error.message))
        return redirect(_link(bulletin))
    messages.success(request, done(result) if callable(done) else done)
    return redirect(_link(bulletin))


@login_required
@require_POST
def bulletin_publish(request, pk):
    return _act(request, pk, lambda b: service.publish(b, actor=request.user, link=_link(b)),
                lambda b: f"通报已发布（{b.number}），已通知被通报单位。")


@login_required
@require_POST
def bulletin_regenerate(request, pk):
    return _act(request, pk, lambda b: service.regenerate(b, actor=request.user, title=request.POST.get("title"),
                                                          note=request.POST.get("note")), "已按最新数据重新生成通报草稿。")


@login_required
@require_POST
def bulletin_delete(request, pk):
    bulletin = _bulletin(request, pk)
    try:
        service.delete(bulletin, actor=request.user)
    except ServiceError as error:
        messages.error(request, zh(error.message))
        return redirect(_link(bulletin))
    messages.success(request, "通报草稿已删除。")
    return redirect("supervision:bulletins")


def _file(bulletin, body, ext, content_type):
    response = HttpResponse(body, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(service.file_name(bulletin, ext))}"
    return response


@login_required
@require_GET
def bulletin_docx(request, pk):
    bulletin = _bulletin(request, pk)
    return _file(bulletin, service.docx(bulletin), "docx", DOCX)


@login_required
@require_GET
def bulletin_xlsx(request, pk):
    bulletin = _bulletin(request, pk)
    return _file(bulletin, service.xlsx(bulletin), "xlsx", XLSX)


urlpatterns = [
    path("bulletins/", bulletin_list, name="bulletins"),
    path("bulletins/new/", bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/figures/<str:figure>/", bulletin_figure, name="bulletin_figure"),
    path("bulletins/<int:pk>/publish/", bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/regenerate/", bulletin_regenerate, name="bulletin_regenerate"),
    path("bulletins/<int:pk>/delete/", bulletin_delete, name="bulletin_delete"),
    path("bulletins/<int:pk>/bulletin.docx", bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/bulletin.xlsx", bulletin_xlsx, name="bulletin_xlsx"),
]
