"""The screens of case quality review (案件评查) and the accountability register (责任追究).
Thin: the rules are supervision/reviews.py's."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.lib.errors import NotAllowed, NotFound, ServiceError
from xinfang.lib.pagetext import zh
from xinfang.lib.storage import serve_stored
from xinfang.org.models import Unit
from xinfang.supervision import reviews as services
from xinfang.supervision.models import AccountabilityKind, ReviewGrade, ReviewStatus


def _ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _refused(request, error):
    if isinstance(error, NotFound):
        raise Http404(zh(error.message))
    return render(request, "403.html", {"reason": zh(error.message)}, status=403)


def _units_in_scope(user):
    root = user.unit.scope_root
    return Unit.objects.filter(path__startswith=root.path).order_by("path").only("code", "name", "path")


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    """评查列表, and the form to open a round."""
    user = request.user
    if not services.may_read_reviews(user):
        return render(request, "403.html", {"reason": "只有督查员、领导和审计员可以查看案件评查"}, status=403)
    error, posted = None, {}
    if request.method == "POST":
        posted = request.POST
        try:
            row = services.open_round(actor=user, name=posted.get("name"), period_start=posted.get("period_start"),
                                      period_end=posted.get("period_end"), unit=posted.get("unit") or None)
        except ServiceError as exc:
            if isinstance(exc, NotAllowed):
                return _refused(request, exc)
            error = exc
        else:
            messages.success(request, f"已创建评查“{row.name}”，请抽取案件")
            return redirect("supervision:review_round", row.pk)
    return render(request, "web/supervision/review_rounds.html", {
        "rows": services.rounds_listed(user), "may_review": services.may_review(user), "error": error, "posted": posted,
        "units": _units_in_scope(user) if services.may_review(user) else [], "status": 422 if error else 200,
    }, status=422 if error else 200)


@login_required
@require_GET
def round_page(request, pk):
    """One round: its rule and sample, progress, figures, and the list behind each figure."""
    try:
        row = services.get_round(request.user, pk)
    except ServiceError as exc:
        return _refused(request, exc)
    status, grade, unit = request.GET.get("status", ""), request.GET.get("grade", ""), request.GET.get("unit", "")
    listed = services.round_reviews(row, status=status, grade=grade, unit=unit)
    return render(request, "web/supervision/review_round.html", {
        "round": row, "figures": services.figures(row), "reviews": listed, "filters": {"status": status, "grade": grade, "unit": unit},
        "statuses": ReviewStatus.choices, "grades": ReviewGrade.choices, "may_review": services.may_review(request.user),
        "sample_filters": [(k, v[0]) for k, v in services.FILTERS.items()], "units": _units_in_scope(request.user),
    })


@login_required
@require_POST
def round_sample(request, pk):
    try:
        row = services.get_round(request.user, pk)
        numbers = [n for n in request.POST.get("numbers", "").replace("，", ",").replace("\n", ",").split(",") if n.strip()]
        made = services.sample(row, actor=request.user, numbers=numbers or None, size=request.POST.get("size") or None,
                               seed=request.POST.get("seed") or None, filters=request.POST.getlist("filters"),
                               unit=request.POST.get("unit") or None)
    except (NotAllowed, NotFound) as exc:
        return _refused(request, exc)
    except ServiceError as exc:
        messages.error(request, zh(exc.message))
    else:
        messages.success(request, f"已抽取{len(made)}件")
    return redirect("supervision:review_round", pk)


@login_required
@require_GET
def round_export(request, pk):
    """The round's results as an Excel workbook."""
    try:
        row = services.get_round(request.user, pk)
        body = services.export_round(row, actor=request.user)
    except ServiceError as exc:
        return _refused(request, exc)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"review-{row.pk}.xlsx\"; filename*=UTF-8''{quote(f'案件评查-{row.name}.xlsx')}"
    return response


def _case_side(case):
    reply = case.replies.select_related("unit", "signed_by").order_by("-replied_at", "-id").first()
    return {"reply": reply}


@login_required
@require_http_methods(["GET", "POST"])
def review_case(request, pk):
    """The review form of one case: the checklist with scores, the case's essentials and
    its reply beside it; then sending the findings."""
    user = request.user
    try:
        item = services.get_review(user, pk)
    except ServiceError as exc:
        return _refused(request, exc)
    if not services.may_read_reviews(user) or not item.round.unit_path.startswith(user.unit.scope_root.path):
        return redirect("supervision:review_finding", pk)
    error, posted = None, {}
    checklist = services.checklist()
    if request.method == "POST":
        posted = request.POST
        try:
            if posted.get("accept"):
                services.accept_response(item, actor=user, note=posted.get("note", ""))
                messages.success(request, "整改情况已审核通过")
            elif posted.get("send"):
                services.send(item, actor=user, due_date=posted.get("response_due") or None)
                messages.success(request, f"评查意见已反馈{item.unit.name}")
            else:
                services.review(item, actor=user, scores={i.code: posted.get(f"score-{i.code}", "") for i in checklist},
                                notes={i.code: posted.get(f"note-{i.code}", "") for i in checklist}, findings=posted.get("findings", ""))
                messages.success(request, "评查结果已保存")
        except NotAllowed as exc:
            return _refused(request, exc)
        except ServiceError as exc:
            error = exc
        else:
            return redirect("supervision:review_case", pk)
    saved = {line["code"]: line for line in (item.scores or {}).get("items", [])}
    lines = []
    for i in checklist:
        line = saved.get(i.code, {})
        lines.append({"item": i, "score": posted.get(f"score-{i.code}", line.get("score", "")) if posted else line.get("score", ""),
                      "note": posted.get(f"note-{i.code}", line.get("note", "")) if posted else line.get("note", ""),
                      "error": (error.fields.get(i.code) if error else "")})
    return render(request, "web/supervision/review_case.html", {
        "item": item, "case": item.case, "lines": lines, "error": error, "findings": posted.get("findings", item.findings) if posted else item.findings,
        "editable": item.status in (ReviewStatus.PENDING, ReviewStatus.DRAFT) and services.may_review(user),
        "may_send": item.status == ReviewStatus.DRAFT and services.may_review(user), "thresholds": services.grade_thresholds(),
        "may_accept": (item.status == ReviewStatus.ACKNOWLEDGED and item.obligation_id is not None and services.may_review(user)
                       and item.obligation.status == "reported"),
        "today": timezone.localdate(), **_case_side(item.case),
    }, status=422 if error else 200)


@login_required
@require_GET
def findings(request):
    """评查反馈: the findings sent to the user's unit."""
    return render(request, "web/supervision/review_findings.html", {"rows": services.findings_for(request.user)[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def finding(request, pk):
    """One finding sent to the unit, and its response form (整改情况)."""
    user = request.user
    try:
        item = services.get_review(user, pk)
    except ServiceError as exc:
        return _refused(request, exc)
    error = None
    if request.method == "POST":
        try:
            services.respond(item, actor=user, text=request.POST.get("response", ""))
        except NotAllowed as exc:
            return _refused(request, exc)
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, "整改情况已反馈")
            return redirect("supervision:review_finding", pk)
    mine = user.unit_id is not None and item.unit_id in user.unit.acts_for
    return render(request, "web/supervision/review_finding.html", {
        "item": item, "case": item.case, "error": error, "posted": request.POST,
        "may_respond": mine and item.status == ReviewStatus.SENT and user.has_role(*services.RESPOND_ROLES),
    }, status=422 if error else 200)


# --- accountability ---------------------------------------------------------------


@login_required
@require_GET
def register(request):
    """责任追究登记簿: list with filters."""
    user = request.user
    if not services.may_read_accountability(user):
        return render(request, "403.html", {"reason": "只有督查员、领导和审计员可以查看责任追究记录"}, status=403)
    kind, unit, q = request.GET.get("kind", "")[:20], request.GET.get("unit", "")[:40], request.GET.get("q", "").strip()[:100]
    rows = services.register_rows(user, kind=kind, unit=unit, q=q, ip=_ip(request))
    return render(request, "web/supervision/accountability_list.html", {
        "rows": rows, "kinds": AccountabilityKind.choices, "units": _units_in_scope(user),
        "filters": {"kind": kind, "unit": unit, "q": q}, "may_record": services.may_record(user)})


def _record_data(post):
    data = {name: post.get(name, "") for name in services.FIELDS}
    data["cases"] = [n for n in post.get("cases", "").replace("，", ",").replace("\n", ",").split(",") if n.strip()]
    return data


@login_required
@require_http_methods(["GET", "POST"])
def record_form(request, pk=None):
    user = request.user
    if not services.may_record(user):
        return render(request, "403.html", {"reason": "只有督查员可以登记责任追究记录"}, status=403)
    record = None
    if pk is not None:
        try:
            record = services.read_record(user, pk, ip=_ip(request))
        except ServiceError as exc:
            return _refused(request, exc)
    error = None
    if request.method == "POST":
        try:
            if record is None:
                record = services.record_decision(actor=user, data=_record_data(request.POST), files=request.FILES.getlist("files"))
            else:
                record = services.edit_decision(record, actor=user, data=_record_data(request.POST), files=request.FILES.getlist("files"))
        except NotAllowed as exc:
            return _refused(request, exc)
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, "责任追究记录已保存")
            return redirect("supervision:accountability_detail", record.pk)
        values = request.POST
    elif record is not None:
        values = {name: getattr(record, name) for name in services.FIELDS}
        values["subject_unit"] = record.subject_unit.code if record.subject_unit_id else ""
        values["decided_on"] = record.decided_on.isoformat()
        values["cases"] = "，".join(c.number for c in record.cases.all())
    else:
        values = {"cases": request.GET.get("case", "")}
    return render(request, "web/supervision/accountability_form.html", {
        "record": record, "values": values, "error": error, "kinds": AccountabilityKind.choices, "units": _units_in_scope(user),
        "today": timezone.localdate()}, status=422 if error else 200)


@login_required
@require_GET
def record_detail(request, pk):
    try:
        record = services.read_record(request.user, pk, ip=_ip(request))
    except ServiceError as exc:
        return _refused(request, exc)
    return render(request, "web/supervision/accountability_detail.html", {
        "record": record, "history": services.history(record), "may_record": services.may_record(request.user)})


@login_required
@require_GET
def record_file(request, pk, file_pk):
    try:
        item = services.record_file(request.user, pk, file_pk, ip=_ip(request))
    except ServiceError as exc:
        return _refused(request, exc)
    return serve_stored(item.file, item.original_name, item.content_type)


urlpatterns = [
    path("reviews/", rounds, name="review_rounds"),
    path("reviews/<int:pk>/", round_page, name="review_round"),
    path("reviews/<int:pk>/sample/", round_sample, name="review_sample"),
    path("reviews/<int:pk>/export.xlsx", round_export, name="review_export"),
    path("reviews/case/<int:pk>/", review_case, name="review_case"),
    path("findings/", findings, name="review_findings"),
    path("findings/<int:pk>/", finding, name="review_finding"),
    path("accountability/", register, name="accountability"),
    path("accountability/new/", record_form, name="accountability_new"),
    path("accountability/<int:pk>/", record_detail, name="accountability_detail"),
    path("accountability/<int:pk>/edit/", record_form, name="accountability_edit"),
    path("accountability/<int:pk>/files/<int:file_pk>/", record_file, name="accountability_file"),
]
