import datetime
from typing import Annotated, Any, Literal, Optional, Union

from django.db.models import Prefetch, prefetch_related_objects
from ninja import Body, Field, File, Form, Query, Router, Schema, Status, UploadedFile

from xinfang.audit.services import record as audit
from xinfang.cases.casefile import casefile_for
from xinfang.cases.choices import ObligationKind
from xinfang.cases.models import CaseEvent, ObligationEntry
from xinfang.cases import paperwork
from xinfang.cases.services import (allowed_actions, casefile_download, casefile_download_refusal, casefile_rebuild_refusal, get_case_for,
                                    perform, rebuild_casefile, shows_identity)
from xinfang.documents.delivery import history_for
from xinfang.documents.kinds import Retention
from xinfang.intake.models import Petition
from xinfang.intake.privacy import may_reveal, reveal, unreadable_fields
from xinfang.lib.errors import Invalid, NotFound
from xinfang.lib.storage import serve_stored
from xinfang.lib.unavailable import after_commit
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.portal import services as portal_services

from ..auth import client_ip, staff
from ..schemas import ACTION_OPENAPI, CaseDetailOut, CaseListQuery, CasePageOut, PetitionerFullOut, errors
from .documents import CaseDocumentOut, document_out

router = Router(tags=["cases 信访事项"])

# perform()'s own keywords: a body may not smuggle them in as action parameters.
RESERVED = {"case", "action", "actor", "ip", "version"}
# Action parameters that are not plain text. Everything else an action takes is text.
WHOLE_NUMBERS = {"days", "headcount", "document"}
YES_NO = {"confirm_late"}
LISTS_OF_TEXT = {"assisting"}
MAX_TEXT = 100_000


@router.get("", response={200: CasePageOut, **errors(403)})
def list_cases(request, filters: Query[CaseListQuery]):
    """本人可见的事项，按最近期限排序 / Cases you may see, nearest deadline first."""
    f = filters
    qs = filter_cases(staff(request), CaseFilter(
        status=f.status, unit=f.unit, category=f.category, kind=f.kind, overdue=f.overdue, due_before=f.due_before,
        q=f.q, received_from=f.received_from, received_to=f.received_to, waiting=f.waiting,
    ))
    return {"count": qs.count(), "limit": f.limit, "offset": f.offset, "items": list(qs[f.offset:f.offset + f.limit])}


def case_detail(user, number):
    """The case as `user` may see it, with everything the detail answer shows loaded in
    a fixed number of queries."""
    case = get_case_for(user, number)
    prefetch_related_objects(
        [case],
        "lead_unit", "category__parent",
        Prefetch("petitions", queryset=Petition.objects.select_related("receiving_unit", "category__parent", "registered_by", "accused_unit")),
        "petitions__petitioners__household_unit",
        "assignments__unit", "assignments__assigned_by",
        "replies__unit", "replies__signed_by",
        "evaluations__recorded_by",
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor", "actor_unit")),
    )
    case.report_backs = list(case.obligations.filter(kind=ObligationKind.REPORT_BACK).select_related("owner_unit", "creditor_unit")
                             .prefetch_related(Prefetch("entries", queryset=ObligationEntry.objects.select_related("actor", "unit")
                                                        .order_by("at", "id"))).order_by("opened_at", "id"))
    case.allowed_actions = allowed_actions(case, user)
    for petition in case.petitions.all():
        # The shield is the petition's own: it travels with it through merges.
        petition.identity_hidden = hidden = not petition.shows_identity_to(user)
        allowed = not hidden and may_reveal(user, case, petition)
        for person in petition.petitioners.all():
            person.can_reveal = allowed and person.has_personal_data
    return case


@router.get("/{number}", response={200: CaseDetailOut, **errors(403, 404)})
def get_case(request, number: str):
    """一件事项：信访件、办理单位、期限、答复、评价和办理记录 / One case with its
    petitions, units, deadlines, replies, evaluations and timeline. A case outside your
    scope answers 404, like one that does not exist."""
    user = staff(request)
    case = case_detail(user, number)
    # The answer holds petitioners' personal data: every read of it is on the record.
    audit(actor=user, action="case.view", obj=case, ip=client_ip(request))
    return case


@router.post("/{number}/petitioners/{id}/reveal", response={200: PetitionerFullOut, **errors(403, 404, 429)})
def reveal_petitioner(request, number: str, id: int):
    """显示一位信访人的完整身份证号、电话和住址；每次查看都记入审计记录 / One
    petitioner's full ID number, phone and address, for the registrar of the receiving
    office and the head and handlers of the unit holding the case (403 for other roles).
    Every reveal, and every refusal, is on the audit record. A case you cannot see, a
    petitioner not in it, or an accuser hidden from you: 404."""
    user = staff(request)
    person = reveal(actor=user, case=number, petitioner_id=id, ip=client_ip(request))
    person.unreadable = unreadable_fields(person)
    return person


def action_params(payload):
    """Split the body into `version` and the action's parameters, refusing values that
    are not what any action takes (objects, floats, lists of non-text)."""
    params, errors = dict(payload or {}), {}
    version = params.pop("version", None)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        errors["version"] = "应为整数 / Must be a whole number."
    for name, value in params.items():
        if name in RESERVED:
            errors[name] = "不支持此参数 / Not a parameter of this action."
        elif value is None:
            params[name] = ""  # JSON null: not given
        elif name in WHOLE_NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, str) and len(value) > 12):
                errors[name] = "应为整数 / Must be a whole number."
        elif name in YES_NO:
            if not isinstance(value, bool):
                errors[name] = "应为true或false / Must be true or false."
        elif name in LISTS_OF_TEXT:
            if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 100 for v in value) or len(value) > 50:
                errors[name] = "应为单位代码列表 / Must be a list of unit codes."
        elif not isinstance(value, str):
            errors[name] = "应为文本 / Must be a string."
        elif len(value) > MAX_TEXT:
            errors[name] = f"不超过{MAX_TEXT}个字符 / At most {MAX_TEXT} characters."
        if name not in errors and "\x00" in str(value):
            errors[name] = "不能包含空字符 / Must not contain NUL characters."
    if errors:
        raise Invalid("操作参数有误 / Some parameters of this action are not valid.", code="bad_parameters", fields=errors)
    return version, params


class ActionTakenOut(Schema):
    """The answer to an action that was saved when its case could not be read back."""

    number: str
    status: str
    version: int
    detail_unavailable: bool = Field(True, description="操作已保存，但事项详情暂时无法读取 / Saved; the case could not be read back")
    notice: str


DETAIL_UNAVAILABLE = ("操作已保存。事项详情暂时无法读取，请稍后刷新 / The action is saved. The case could not be read back just now; "
                      "reload it later.")


@router.post("/{number}/actions/{action}", response={200: Annotated[Union[CaseDetailOut, ActionTakenOut], Field(union_mode="left_to_right")],
                       **errors(403, 404, 409)},
             openapi_extra=ACTION_OPENAPI)
def take_action(request, number: str, action: str, payload: Body[dict[str, Any]] = None):
    """对事项进行一项操作（受理、交办、答复……）；请求体为该操作的参数，可带 `version`
    防止覆盖他人的修改 / Take one action on a case. The body holds the action's
    parameters, plus `version` from the case you read: if the case moved on since, the
    answer is 409 `conflict`. Not allowed in this state: 409 `wrong_state`; not for your
    role or unit: 403."""
    user = staff(request)
    version, params = action_params(payload)
    case = perform(case=number, action=action, actor=user, version=version, ip=client_ip(request), **params)
    # The action is committed: a failure reading the case back must not answer "nothing
    # was saved" (lib/unavailable.after_commit).
    done = {"number": case.number, "status": case.status, "version": case.version, "notice": DETAIL_UNAVAILABLE}
    return after_commit(lambda: case_detail(user, number), fallback=lambda: ActionTakenOut(**done),
                        what=f"reading case {case.number} after {action}")


class QueryCodeOut(Schema):
    query_code: str = Field(..., description="只显示这一次，请交给信访人 / Shown once: give it to the petitioner.")
    reissued: bool = Field(..., description="替换了原查询码（原码已失效）/ It replaced an earlier code, which no longer works")
    needs_verify: bool = Field(..., description="查询时还需手机号或身份证号后4位 / Following needs the last four digits too")
    number: str


@router.post("/{number}/query_code", response={201: QueryCodeOut, **errors(403, 404, 409)})
def issue_query_code(request, number: str):
    """为来信、来访、来电等事项生成网上查询码（再次生成则原码失效）/ Issue the query code
    of a case for its petitioner to follow it on the public site; issuing again replaces
    the old code. For the registrars, handlers and heads of the unit holding the case."""
    receipt = portal_services.issue_code(case=number, actor=staff(request), ip=client_ip(request))
    return Status(201, {"query_code": receipt.code, "reissued": receipt.reissued, "needs_verify": receipt.submission.needs_verifier,
                        "number": receipt.case.number})



# --- 电子案卷 -------------------------------------------------------------------------


class CaseFileFailureOut(Schema):
    name: str = Field(..., description="原件包中的文件名 / The file's name in the zip")
    title: str
    reason: str = Field(..., description="失败原因（中文 / English）/ Why it failed")


class CaseFileOut(Schema):
    number: str
    state: str = Field(..., description="pending 生成中 | built 已生成 | failed 生成失败（见 error）")
    retention: str = Field(..., description="保管期限：permanent 永久 | 30y | 10y")
    retention_label: str
    pages: int
    items: int = Field(..., description="案卷中的件数（含封面、目录）/ Items, cover and index included")
    built_at: datetime.datetime | None = None
    requested_at: datetime.datetime | None = None
    failures: list[CaseFileFailureOut] = Field(..., description="转换失败的文件，其余照常收录 / Parts that failed; the rest is kept")
    error: str = Field("", description="最近一次生成为何中止（如未安装 LibreOffice）/ Why the last build stopped")
    may_download: bool
    may_rebuild: bool


def casefile_out(case, user, row):
    return {"number": case.number, "state": row.state, "retention": row.retention, "retention_label": Retention(row.retention).label,
            "pages": row.pages, "items": len(row.manifest), "built_at": row.built_at, "requested_at": row.requested_at,
            "failures": row.failures, "error": row.error, "may_download": casefile_download_refusal(case, user) is None,
            "may_rebuild": casefile_rebuild_refusal(case, user) is None}


def _casefile_row(case):
    row = casefile_for(case)
    if row is None:
        raise NotFound("该事项尚未归档，没有电子案卷 / The case is not archived: it has no case file.", code="no_casefile")
    return row


@router.get("/{number}/casefile", response={200: CaseFileOut, **errors(404)})
def get_casefile(request, number: str):
    """电子案卷的状态：生成时间、页数、保管期限、转换失败的文件 / The case file's status: when
    built, pages, retention, and which parts failed (with reasons). 404 for a case you
    cannot see or one not archived (`no_casefile`)."""
    user = staff(request)
    case = get_case_for(user, number)
    return casefile_out(case, user, _casefile_row(case))


FILE_ANSWER = {"responses": {200: {"description": "文件 / The file", "content": {"application/octet-stream": {}}}}}


def _download(request, number, which):
    user = staff(request)
    case = get_case_for(user, number)
    field = casefile_download(case=case, actor=user, which=which, ip=client_ip(request))
    return serve_casefile(case, field, which)


@router.get("/{number}/casefile/pdf", response={200: None, **errors(403, 404, 409)}, openapi_extra=FILE_ANSWER)
def download_casefile_pdf(request, number: str):
    """下载电子案卷 PDF（封面、卷内目录及全部材料）/ Download the case file as one PDF.
    403 `shielded` when it holds an accuser's identity withheld from your unit; 409
    `not_built` until it is built; 404 for a case you cannot see or not archived."""
    return _download(request, number, "pdf")


@router.get("/{number}/casefile/zip", response={200: None, **errors(403, 404, 409)}, openapi_extra=FILE_ANSWER)
def download_casefile_zip(request, number: str):
    """下载原件包：全部原件及 manifest.json（SHA-256 校验清单、在 PDF 中的页码）/ Download
    the originals with manifest.json (SHA-256 of each, its pages in the PDF). Refusals as
    for the PDF."""
    return _download(request, number, "zip")


def serve_casefile(case, field, which):
    """The PDF or zip as a download named after the case."""
    kind = "application/pdf" if which == "pdf" else "application/zip"
    return serve_stored(field, f"{case.number}-电子案卷.{which}", kind)


@router.post("/{number}/casefile/rebuild", response={202: CaseFileOut, **errors(403, 404, 409)})
def rebuild(request, number: str):
    """重新生成电子案卷（后台进行，完成后 state 为 built 或 failed）/ Build the case file
    again, in the background: poll GET …/casefile until `state` is built or failed.
    For the registrars and heads of the registering or handling unit (403 otherwise, or
    `shielded`); 409 `not_archived` for a case not archived."""
    user = staff(request)
    case = get_case_for(user, number)
    rebuild_casefile(case=case, actor=user, ip=client_ip(request))
    return Status(202, casefile_out(case, user, _casefile_row(case)))

# --- documents and their delivery (送达) ----------------------------------------------------


class DeliveryOut(Schema):
    id: int
    channel: str = Field(..., description="online|post|in_person|announced")
    delivered_on: datetime.date = Field(..., description="信访人收到之日 / The day the petitioner received it")
    recipient: str
    note: str
    proof_name: str = Field(..., description="送达凭证文件名，空：无 / The scanned proof's file name; empty: none")
    proof_sha256: str
    recorded_by: Optional[str] = Field(..., description="空：信访人网上查阅时系统登记 / Empty: recorded when the petitioner opened it online")
    recorded_at: datetime.datetime
    superseded_at: Optional[datetime.datetime] = Field(..., description="已被更正的时间；空：现行记录 / When corrected; empty: current")
    correction_reason: str


class CaseDocumentDeliveriesOut(CaseDocumentOut):
    """A document of the case as GET /documents?case= gives it, with its delivery records."""

    delivered_on: Optional[datetime.date] = Field(..., description="现行送达记录的日期；空：待送达 / Empty: not yet delivered")
    deliveries: list[DeliveryOut] = Field(..., description="全部送达记录，先后为序 / Every record, oldest first")


def _documents_out(case, user):
    """Who signed for a notice and the receipt's file name name the petitioner: for an
    accuser (Art. 30) only those who may know the accuser see them."""
    docs = paperwork.documents_for(user, case)
    history = history_for(d.pk for d in docs)
    if not shows_identity(case, user):
        for records in history.values():
            for r in records:
                r.recipient = "（检举人信息不予显示）" if r.recipient else ""
                r.proof_name = "（检举人信息不予显示）" if r.proof_name else ""
    out = []
    for d in docs:
        records = history.get(d.pk, [])
        now = next((r for r in records if r.superseded_at is None), None)
        out.append({**document_out(d), "delivered_on": now.delivered_on if now else None,
                    "deliveries": [{"id": r.pk, "channel": r.channel, "delivered_on": r.delivered_on, "recipient": r.recipient,
                                    "note": r.note, "proof_name": r.proof_name, "proof_sha256": r.proof_sha256,
                                    "recorded_by": str(r.recorded_by) if r.recorded_by else None, "recorded_at": r.recorded_at,
                                    "superseded_at": r.superseded_at, "correction_reason": r.correction_reason} for r in records]})
    return out


@router.get("/{number}/documents", response={200: list[CaseDocumentDeliveriesOut], **errors(403, 404)})
def list_documents(request, number: str):
    """事项的文书及其送达记录 / The documents of a case, each with its delivery records."""
    user = staff(request)
    return _documents_out(get_case_for(user, number), user)


@router.post("/{number}/deliveries", response={201: list[CaseDocumentDeliveriesOut], **errors(403, 404, 409)})
def record_delivery(request, number: str, document: Form[int],
                    channel: Form[Literal["online", "post", "in_person", "announced"]], delivered_on: Form[datetime.date],
                    recipient: Form[str] = "", note: Form[str] = "", reason: Form[str] = "", version: Form[int] = None,
                    proof: File[UploadedFile] = None):
    """登记送达（multipart/form-data，可附送达回证扫描件 `proof`）；同一文书再次登记即为更正，
    须填写 `reason` / Record how and when a document reached the petitioner, with the
    scanned proof as `proof`; a second record of one document is a correction and needs
    `reason`. The same rules as the `deliver` action (which takes JSON without a file)."""
    user = staff(request)
    params = {"document": document, "channel": channel, "delivered_on": delivered_on, "recipient": recipient, "note": note,
              "reason": reason}
    if proof is not None:
        params["proof"] = proof
    case = perform(case=number, action="deliver", actor=user, version=version, ip=client_ip(request), **params)
    return Status(201, _documents_out(case, user))
