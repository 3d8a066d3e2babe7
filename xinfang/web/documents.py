"""The pages of written documents: downloading a case's documents and adding a version
(from the case page), and the template management page for administrators. Thin: the
rules are cases/paperwork.py's and documents/services.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.cases import paperwork
from xinfang.documents import services
from xinfang.documents.fields import FIELDS
from xinfang.documents.kinds import DocKind, VersionSource
from xinfang.lib.errors import NotAllowed, NotFound, ServiceError
from xinfang.lib.storage import serve_document

from .templatetags.web_tags import zh


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _document(request, pk):
    try:
        return paperwork.get_document_for(request.user, pk)
    except NotFound as error:
        raise Http404(zh(error.message))


@login_required
@require_GET
def document_file(request, pk):
    """Download a document: its current version, or ?version=N."""
    document = _document(request, pk)
    version = request.GET.get("version") or None
    try:
        item = paperwork.version_for(request.user, document, version, ip=_client_ip(request))
    except NotAllowed as error:
        return render(request, "403.html", {"reason": zh(error.message)}, status=403)
    except NotFound as error:
        raise Http404(zh(error.message))
    return serve_document(item)


@login_required
@require_POST
def document_version(request, pk):
    """上传修改稿/扫描件: a new version of the document's file; back to the case page."""
    document = _document(request, pk)
    case = paperwork.case_of(document)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("请选择要上传的文件 / Choose a file to upload.", code="invalid")
        item = paperwork.add_version_for(request.user, document, upload, source=request.POST.get("source") or VersionSource.EDITED,
                                         note=request.POST.get("note", "")[:200])
    except ServiceError as error:
        messages.error(request, f"{document.number}：{zh(error.message)}")
    else:
        messages.success(request, f"{document.number} 已上传第{item.version}版（{item.get_source_display()}），原版本保留。")
    return redirect(f"{reverse('web:case', kwargs={'number': case.number})}#documents")


# --- templates ---------------------------------------------------------------------------


def _scopes(user):
    """The scopes `user` may upload for: (code, name), the deployment first for a superuser."""
    units = [(u.code, u.name) for u in services.managed_units(user).order_by("path")[:500]]
    return ([("", "全系统（默认）")] if services.may_manage_templates(user, None) else []) + units


@login_required
@require_http_methods(["GET", "POST"])
def templates_page(request):
    """Every kind with its placeholders, the versions per scope, upload and roll back."""
    user = request.user
    if not services.may_see_templates(user):
        return render(request, "403.html", {"reason": "只有系统管理员可以管理文书模板。"}, status=403)
    error, status, posted = None, 200, {}
    if request.method == "POST":
        posted = {"kind": request.POST.get("kind", ""), "unit": request.POST.get("unit", ""), "note": request.POST.get("note", "")}
        try:
            if request.POST.get("activate"):
                template = services.template_for(user, request.POST["activate"])
                services.activate_template(template, user)
                messages.success(request, f"已启用{template.get_kind_display()}第{template.version}版。")
            elif request.POST.get("default"):
                services.use_default(posted["kind"], unit=posted["unit"] or None, actor=user)
                messages.success(request, "已恢复使用上级或系统默认模板。")
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ServiceError("请选择模板文件 / Choose a template file.", code="invalid", fields={"file": "必填 / Required."})
                template = services.upload_template(posted["kind"], upload, unit=posted["unit"] or None, actor=user,
                                                    note=posted["note"][:200])
                messages.success(request, f"已上传{template.get_kind_display()}模板第{template.version}版并启用。")
            return redirect("web:document_templates")
        except ServiceError as exc:
            error, status = exc, exc.status
    templates = list(services.templates_for(user))
    kinds = []
    for kind in DocKind:
        versions = [t for t in templates if t.kind == kind]
        kinds.append({"kind": kind.value, "label": kind.label, "fields": FIELDS[kind].items(), "versions": versions,
                      "active": [t for t in versions if t.is_active]})
    return render(request, "web/document_templates.html", {
        "kinds": kinds, "scopes": _scopes(user), "error": error, "posted": posted,
        "error_fields": {k: zh(v) for k, v in (error.fields or {}).items()} if error else {},
    }, status=status)


@login_required
@require_GET
def template_preview(request, kind):
    """The kind filled with the sample case: the template ?template=ID, else the default."""
    user = request.user
    try:
        services.templates_for(user)
        template = services.template_for(user, request.GET["template"], kind=kind) if request.GET.get("template") else None
        body = services.preview(kind, template)
    except NotAllowed as error:
        return render(request, "403.html", {"reason": zh(error.message)}, status=403)
    except (NotFound, ServiceError) as error:
        raise Http404(zh(error.message))
    response = HttpResponse(body, content_type=services.DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{kind}-preview.docx"
    response["X-Content-Type-Options"] = "nosniff"
    return response


