"""Written documents of cases (list, download a version, add a version) and the Word
templates they are made from (list, upload, activate a version, preview)."""

import datetime

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from xinfang.cases import paperwork
from xinfang.cases.services import get_case_for
from xinfang.documents import services
from xinfang.documents.fields import FIELDS
from xinfang.documents.kinds import DocKind, VersionSource
from xinfang.lib.storage import serve_document

from ..auth import client_ip, staff
from ..schemas import In, errors

router = Router(tags=["documents 文书"])

FILE_ANSWER = {"responses": {200: {"description": "文件 / The file", "content": {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}, "application/pdf": {},
    "image/jpeg": {}, "image/png": {}, "image/tiff": {}, "image/webp": {}}}}}
DOCX_ANSWER = {"responses": {200: {"description": "Word文件 / The .docx file", "content": {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}}


class DocumentVersionOut(Schema):
    version: int
    source: str = Field(..., description="generated 系统生成 | edited 修改稿 | scanned 签章扫描件")
    original_name: str
    content_type: str
    size: int
    note: str
    created_at: datetime.datetime


class CaseDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str = Field(..., description="文号")
    title: str
    unit: str = Field(..., description="制发单位代码 / Issuing unit's code")
    to_unit: str | None = Field(None, description="送达单位代码（内部文书）/ Receiving unit, for internal forms")
    for_petitioner: bool
    source: str
    issued_at: datetime.datetime
    may_open: bool = Field(..., description="可否下载（检举人保密）/ Whether you may download it (accuser shield)")
    versions: list[DocumentVersionOut] = Field(..., description="新版本在前 / Newest first")


def document_out(item):
    return {"id": item.pk, "kind": item.kind, "kind_label": item.get_kind_display(), "number": item.number, "title": item.title,
            "unit": item.unit.code, "to_unit": item.to_unit.code if item.to_unit_id else None, "for_petitioner": item.for_petitioner,
            "source": item.source, "issued_at": item.issued_at, "may_open": item.may_open, "versions": item.version_list}


class CaseDocumentsQuery(In):
    case: str = Field(..., min_length=1, max_length=40, description="事项编号 / The case number")


@router.get("", response={200: list[CaseDocumentOut], **errors(403, 404)})
def list_documents(request, q: Query[CaseDocumentsQuery]):
    """一件事项的文书（受理告知书、交办单、意见书……），每件的全部版本 / The written
    documents of a case, oldest first, each with every version of its file. A case
    outside your scope answers 404."""
    user = staff(request)
    case = get_case_for(user, q.case)
    return [document_out(item) for item in paperwork.documents_for(user, case)]


class VersionQuery(In):
    version: int | None = Field(None, ge=1, le=10_000, description="版本号；不填为当前版本 / A version; the current one if absent")


@router.get("/{id}/file", response={200: None, **errors(403, 404)}, openapi_extra=FILE_ANSWER)
def download(request, id: int, q: Query[VersionQuery]):
    """下载文书（当前版本或指定版本）；每次下载记入审计记录 / Download a document, its
    current version or the one named. 403 when it names an accuser withheld from your
    unit; every download is on the audit record."""
    user = staff(request)
    document = paperwork.get_document_for(user, id)
    return serve_document(paperwork.version_for(user, document, q.version, ip=client_ip(request)))


@router.post("/{id}/versions", response={201: DocumentVersionOut, **errors(403, 404)})
def add_version(request, id: int, file: File[UploadedFile], source: Form[VersionSource] = VersionSource.EDITED,
                note: Form[str] = ""):
    """上传修改稿（.docx）或签章扫描件（PDF、图片），成为当前版本，原版本保留 / Replace
    the file with an edited .docx or a signed-and-scanned PDF or image: a new version;
    the older ones are kept. For the issuing unit's staff."""
    user = staff(request)
    document = paperwork.get_document_for(user, id)
    return Status(201, paperwork.add_version_for(user, document, file, source=source, note=note[:200]))


# --- templates -------------------------------------------------------------------------


class DocumentTemplateOut(Schema):
    id: int
    kind: str
    unit: str | None = Field(None, description="适用单位代码；空为全系统 / Unit code; empty for the whole deployment")
    version: int
    is_active: bool
    original_name: str
    placeholders: list[str]
    note: str
    uploaded_at: datetime.datetime


def _template_out(t):
    return {"id": t.pk, "kind": t.kind, "unit": t.unit.code if t.unit_id else None, "version": t.version, "is_active": t.is_active,
            "original_name": t.original_name, "placeholders": t.placeholders, "note": t.note, "uploaded_at": t.uploaded_at}


class TemplateFieldOut(Schema):
    name: str
    description: str


class DocumentKindOut(Schema):
    kind: str
    label: str
    fields: list[TemplateFieldOut] = Field(..., description="模板可用的字段 / The placeholders a template of this kind may use")


@router.get("/kinds", response={200: list[DocumentKindOut]})
def kinds(request):
    """文书种类及各自模板可用的字段 / The kinds of document and the placeholders each kind's
    template may use."""
    staff(request)
    return [{"kind": k.value, "label": k.label, "fields": [{"name": n, "description": d} for n, d in FIELDS[k].items()]}
            for k in DocKind]


class TemplateQuery(In):
    kind: DocKind | None = None


@router.get("/templates", response={200: list[DocumentTemplateOut], **errors(403)})
def list_templates(request, q: Query[TemplateQuery]):
    """已上传的模板版本：全系统的和您管理的单位的 / The uploaded template versions: the
    deployment's and those of the units you administer. For administrators."""
    return [_template_out(t) for t in services.templates_for(staff(request), kind=q.kind)]


@router.post("/templates/{kind}", response={201: DocumentTemplateOut, **errors(403)})
def upload_template(request, kind: DocKind, file: File[UploadedFile], unit: Form[str] = "", note: Form[str] = ""):
    """上传某种文书的模板（本单位红头），成为新版本并启用 / Upload a .docx template of a kind
    for a unit (its code; empty for the whole deployment, superusers only). It becomes a
    new version in use. Refused with 422: not a .docx, too large, broken syntax, or an
    unknown placeholder (the answer lists the allowed ones)."""
    user = staff(request)
    template = services.upload_template(kind, file, unit=unit.strip() or None, actor=user, note=note[:200])
    return Status(201, _template_out(template))


@router.post("/templates/{id}/activate", response={200: DocumentTemplateOut, **errors(403, 404)})
def activate_template(request, id: int):
    """启用模板的这一版本（回退到早先版本）/ Use this version of a template again (roll back)."""
    user = staff(request)
    return _template_out(services.activate_template(services.template_for(user, id), user))


class PreviewQuery(In):
    template: int | None = Field(None, ge=1, description="模板版本id；不填为默认模板 / A template version; the shipped default if absent")


@router.get("/templates/{kind}/preview", response={200: None, **errors(403, 404)}, openapi_extra=DOCX_ANSWER)
def preview(request, kind: DocKind, q: Query[PreviewQuery]):
    """用示例事项预览模板 / The template filled with a sample case, as a .docx."""
    user = staff(request)
    services.templates_for(user)  # 403 unless an administrator
    template = services.template_for(user, q.template, kind=kind) if q.template else None
    body = services.preview(kind, template)
    response = HttpResponse(body, content_type=services.DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{kind}-preview.docx"
    response["X-Content-Type-Options"] = "nosniff"
    return response
