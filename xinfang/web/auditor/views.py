"""The auditor's screen: search the audit record and export what was found. Only
auditors (Role.AUDITOR) and superusers; every export is itself recorded."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinfang.audit.labels import type_name
from xinfang.audit.models import AuditChainHead, AuditEntry
from xinfang.audit.services import record
from xinfang.cases.models import Case

from .exports import csv_stream, xlsx_bytes
from .forms import AuditSearchForm, action_name

PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def auditor_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_auditor:
            raise PermissionDenied("仅审计员可以查看审计记录 / Only auditors may read the audit record.")
        return view(request, *args, **kwargs)

    return wrapped


def object_filter(text):
    """What "对象" matches: the object id itself, and when the text is a case number, the
    case and its petitions (both looked up on indexes)."""
    condition = Q(object_id=text)
    case = Case.objects.filter(number=text).only("pk").first()
    if case is not None:
        petitions = [str(pk) for pk in case.petitions.values_list("pk", flat=True)]
        condition |= Q(object_type="cases.case", object_id=str(case.pk)) | Q(object_type="intake.petition", object_id__in=petitions)
    return condition


def filtered(form):
    data = form.cleaned_data
    return AuditEntry.objects.search(
        actor=data.get("actor", "").strip(), action=data.get("action", ""), object_type=data.get("object_type", ""),
        object_filter=object_filter(data["object"].strip()) if data.get("object", "").strip() else None,
        date_from=data.get("date_from"), date_to=data.get("date_to"))


@require_GET
@auditor_required
def index(request):
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = AuditEntry.objects.none()
    else:
        if not form.is_bound:
            form = AuditSearchForm({})
            form.is_valid()
        qs = filtered(form)
    page = Paginator(qs.select_related("actor").order_by("-seq"), PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.action_text = action_name(entry.action)
        entry.type_text = type_name(entry.object_type)
    head = AuditChainHead.objects.filter(pk=1).first()
    return render(request, "audit/index.html", {"form": form, "page": page, "head": head, "formats": EXPORT_FORMATS})


@require_GET
@auditor_required
def export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise PermissionDenied
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse("筛选条件有误 / The filters are not valid.", status=400, content_type="text/plain; charset=utf-8")
    qs = filtered(form)
    count = qs.count()
    limit = settings.AUDIT_EXPORT_MAX_ROWS
    if count > limit:
        return HttpResponse(f"一次最多导出{limit}条，本次{count}条，请缩小日期范围 / At most {limit} rows per export; narrow the filters.",
                            status=400, content_type="text/plain; charset=utf-8")
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    # Recorded before the file is produced: the export shows its own entry, and a
    # download that fails half-way was still asked for.
    record(actor=request.user, action="audit.export", object_type="audit.auditentry", object_id=fmt,
           detail={"format": fmt, "filters": filters, "rows": count}, ip=request.META.get("REMOTE_ADDR"))
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(qs), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
