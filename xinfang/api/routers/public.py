"""The public routes (API.md "Public (no login)"): submit an online petition, follow it
by its query code, evaluate a reply, ask for review. No token; the query code (and, for
a case with personal data, `verify`: the last four digits of the phone or ID number
given) is the credential. The same services as the public pages (xinfang.portal)."""

import datetime
import functools
from typing import Optional

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from xinfang.lib import ratelimit as limits
from xinfang.lib.errors import Invalid, NotFound, json_error
from xinfang.lib.storage import serve_document
from xinfang.portal import captcha, public, services

from ..schemas import In, Text, errors

router = Router(tags=["public 网上信访"])


def answers_throttle(view):
    """A rate limit answers 429 in the error shape with Retry-After."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except limits.Throttled as exc:
            response = json_error(429, exc.code, exc.message, exc.fields)
            response["Retry-After"] = str(exc.retry_after)
            return response

    return wrapped


# --- shapes ---------------------------------------------------------------------------


class SubmitIn(In):
    kind: str = Field(..., json_schema_extra={"enum": ["grievance", "accusation", "suggestion"]})
    anonymous: bool = Field(False, description="仅检举控告和建议意见可匿名 / Only accusations and suggestions may be anonymous.")
    sms_opt_out: bool = Field(False, description="不接收办理进度短信 / No SMS about each step of the case")
    name: Text = Field("", max_length=40)
    phone: Text = Field("", max_length=20, description="11位手机号；申诉求决必填 / Mobile number; required for a grievance.")
    id_number: Text = Field("", max_length=18)
    address: Text = Field("", max_length=200)
    unit: Text = Field("", max_length=32, description="受理单位代码，见 GET /public/units；不填时按地点和内容推断 / Unit code.")
    place: Text = Field("", max_length=100)
    title: Text = Field("", max_length=60)
    content: Text = Field(..., max_length=6000)
    consent: bool = Field(..., description="已阅读提交须知 / The notice was read and accepted.")
    captcha_key: Text = Field(..., max_length=43)
    captcha_answer: Text = Field(..., max_length=8)


class CaseBrief(Schema):
    number: str
    status: str
    status_label: str
    received_at: datetime.datetime
    unit: str
    decide_due: Optional[datetime.date]


class SubmittedOut(Schema):
    query_code: str = Field(..., description="只显示这一次，请妥善保管 / Shown once: keep it.")
    replayed: bool = Field(..., description="同一Idempotency-Key的重复请求 / A repeat of an earlier request with the same key")
    needs_verify: bool = Field(..., description="查询时还需手机号或身份证号后4位 / Following needs the last four digits too")
    case: CaseBrief


class DeadlineOut(Schema):
    name: str
    label: str
    due: Optional[datetime.date] = Field(..., description="空：待送达（复查、复核期限自收到书面答复之日起算）/ "
                                                          "Empty: the written answer is not yet delivered")
    done_at: Optional[datetime.datetime]
    state: str = Field(..., description="kept|late|open|overdue|window_open|window_used|window_closed|pending_delivery")
    state_text: str
    detail: str = Field("", description="例如延长办理期限的原期限和理由 / e.g. the date before an extension, and its reason")


class DocumentOut(Schema):
    id: int = Field(..., description="下载：GET /api/v1/public/cases/{query_code}/documents/{id} / Download path")
    name: str
    content_type: str
    size: int


class PublicReplyOut(Schema):
    stage: str
    stage_label: str
    unit: str
    outcome: str
    outcome_label: str
    request_summary: str
    facts: str
    opinion: str
    legal_basis: str
    remedy: str
    settlement: str
    replied_at: datetime.datetime
    documents: list[DocumentOut] = Field([], description="答复文书（意见书等）/ The documents of this written reply")


class PublicNoticeOut(Schema):
    id: int = Field(..., description="下载：GET /api/v1/public/cases/{query_code}/notices/{id}（即视为网上送达）/ "
                                     "Download path (opening it is delivery online)")
    kind: str
    kind_label: str
    number: str
    issued_on: datetime.date
    delivered_on: Optional[datetime.date] = Field(..., description="空：待送达 / Empty: not yet delivered")
    channel: str = Field(..., description="online|post|in_person|announced, or empty")
    channel_label: str
    delivery_text: str


class NoticeOut(Schema):
    reason: str
    proper_channel: str
    guided_procedure: str


class StepOut(Schema):
    action: str
    label: str
    at: datetime.datetime
    text: str


class PublicEvaluationOut(Schema):
    satisfaction: str
    label: str
    comment: str
    at: datetime.datetime


class NextStepOut(Schema):
    action: str
    allowed: bool
    reason: str


class ReviewStepOut(NextStepOut):
    label: str
    window_end: Optional[datetime.date]


class NextStepsOut(Schema):
    evaluate: NextStepOut
    review: ReviewStepOut


class PublicCaseOut(Schema):
    """A case as its petitioner sees it. Nothing else: no notes, no staff, no other people."""

    number: str
    title: str
    kind: str
    kind_label: str
    received_at: datetime.datetime
    unit: str
    handling_unit: str
    status: str
    status_label: str
    status_text: str
    deadlines: list[DeadlineOut]
    replies: list[PublicReplyOut]
    notice: Optional[NoticeOut]
    notices: list[PublicNoticeOut] = Field([], description="告知文书及其送达情况 / The notices sent, and their delivery")
    timeline: list[StepOut]
    evaluations: list[PublicEvaluationOut]
    next_steps: NextStepsOut


class VerifyQuery(Schema):
    model_config = ConfigDict(extra="forbid")  # unknown parameters are refused, as in a body

    verify: str = Field("", max_length=8, description="手机号或身份证号后4位（提交时留了的） / Last four digits of the phone or ID number given")


class EvaluationIn(In):
    verify: Text = Field("", max_length=8)
    satisfaction: str = Field(..., json_schema_extra={"enum": ["satisfied", "basically", "not_satisfied"]})
    comment: Text = Field("", max_length=1000)


class ReviewIn(In):
    verify: Text = Field("", max_length=8)
    reasons: Text = Field(..., max_length=5000)


class ChallengeOut(Schema):
    key: str
    image_url: str
    expires_at: datetime.datetime


class UnitChoiceOut(Schema):
    code: str
    name: str
    level: str
    parent: Optional[str]


# --- routes -----------------------------------------------------------------------------


def find(*, code, verify, ip):
    """The submission a query code opens. A code that cannot be one (wrong length, a
    failed check character) names nothing, like a code that does not exist: 404, with
    the same code and message as the pages show (bad_code)."""
    try:
        return services.find(code=code[:64], verify=verify, ip=ip)
    except Invalid as exc:
        if exc.code != "bad_code":
            raise
        raise NotFound(exc.message, code=exc.code, fields=exc.fields) from exc



@router.get("/captcha", auth=None, response={200: ChallengeOut, **errors(429)})
@answers_throttle
def new_captcha(request):
    """一个新的验证码：图片在 `image_url`，10分钟内有效，只能用于一次提交 / A new captcha: the
    image is at `image_url`; valid for 10 minutes and one submission."""
    limits.guard("captcha_ip", limits.client_ip(request), "访问过于频繁，请{minutes}分钟后再试 / Too many requests; try again in {minutes} minutes.")
    challenge = captcha.new_challenge()
    return {"key": challenge.key, "image_url": reverse("portal:captcha_image", args=[challenge.key]), "expires_at": challenge.expires_at}


@router.get("/units", auth=None, response=list[UnitChoiceOut])
def units(request):
    """可以受理网上信访的单位 / The units that receive online petitions, as a tree by `parent`."""
    rows = services.receiving_units().select_related("parent")
    return [{"code": u.code, "name": u.name, "level": u.level, "parent": u.parent.code if u.parent_id else None} for u in rows]


@router.post("/petitions", auth=None, response={201: SubmittedOut, **errors(403, 409, 429)})
@answers_throttle
def submit(request, payload: SubmitIn):
    """网上信访：提交一件信访事项，得到查询码（只显示这一次） / Submit an online petition and get
    its query code, shown once. Send an `Idempotency-Key` header (16–64 letters, digits, -
    or _): a retried request with the same key and body answers with the same petition and
    code; the same key with another body answers 409. Attachments: use the web form."""
    d = payload
    receipt = services.submit(
        data=services.SubmissionIn(kind=d.kind, anonymous=d.anonymous, name=d.name, phone=d.phone, id_number=d.id_number,
                                   address=d.address, sms_opt_out=d.sms_opt_out, unit=d.unit, place=d.place, title=d.title, content=d.content, consent=d.consent),
        idempotency_key=request.headers.get("Idempotency-Key", ""), captcha_key=d.captcha_key, captcha_answer=d.captcha_answer,
        ip=limits.client_ip(request))
    case = receipt.case
    return Status(201, {"query_code": receipt.code, "replayed": receipt.replayed, "needs_verify": receipt.submission.needs_verifier,
                        "case": {"number": case.number, "status": case.status, "status_label": str(public.STATUS[case.status]),
                                 "received_at": case.received_at, "unit": case.unit.name, "decide_due": case.decide_due}})


@router.get("/cases/{query_code}", auth=None, response={200: PublicCaseOut, **errors(404, 429)})
@answers_throttle
def follow(request, query_code: str, q: Query[VerifyQuery]):
    """凭查询码查看办理进度、期限、书面答复和可以采取的下一步 / Status, deadlines, replies and
    the next step, by query code (plus `verify` for a case with personal data)."""
    submission = find(code=query_code, verify=q.verify, ip=limits.client_ip(request))
    return public.view(submission)


@router.get("/cases/{query_code}/documents/{document_id}", auth=None, response={200: None, **errors(404, 429)},
            openapi_extra={"responses": {200: {"description": "文件 / The file", "content": {"application/octet-stream": {}}}}})
@answers_throttle
def document(request, query_code: str, document_id: int, q: Query[VerifyQuery]):
    """下载书面答复的文书（意见书等），凭查询码（及后4位） / Download a document of a written
    reply, by query code (plus `verify` for a case with personal data). Only the documents
    listed under `replies[].documents` of this case; anything else is 404."""
    ip = limits.client_ip(request)
    submission = find(code=query_code, verify=q.verify, ip=ip)
    item = services.document(submission=submission, attachment_id=document_id, ip=ip, counted=True)
    return serve_document(item)


@router.get("/cases/{query_code}/notices/{notice_id}", auth=None, response={200: None, **errors(404, 429)},
            openapi_extra={"responses": {200: {"description": "文件 / The file", "content": {"application/octet-stream": {}}}}})
@answers_throttle
def notice(request, query_code: str, notice_id: int, q: Query[VerifyQuery]):
    """下载告知文书（受理告知书、处理意见书等），凭查询码（及后4位）；尚未登记送达的，下载即为
    网上送达 / Download a notice, by query code (plus `verify`); when no delivery is on
    record, this is its delivery online, that day. Only those listed under `notices`."""
    ip = limits.client_ip(request)
    submission = find(code=query_code, verify=q.verify, ip=ip)
    version = services.notice(submission=submission, document_id=notice_id, ip=ip, counted=True)
    return serve_document(version)


@router.post("/cases/{query_code}/evaluation", auth=None, response={201: PublicCaseOut, **errors(403, 404, 409, 429)})
@answers_throttle
def evaluate(request, query_code: str, payload: EvaluationIn):
    """评价最近一次书面答复：满意、基本满意、不满意 / Evaluate the latest reply."""
    ip = limits.client_ip(request)
    submission = find(code=query_code, verify=payload.verify, ip=ip)
    services.evaluate(submission=submission, satisfaction=payload.satisfaction, comment=payload.comment, ip=ip)
    submission.case.refresh_from_db()
    return Status(201, public.view(submission))


@router.post("/cases/{query_code}/review", auth=None, response={201: PublicCaseOut, **errors(403, 404, 409, 429)})
@answers_throttle
def review(request, query_code: str, payload: ReviewIn):
    """在法定期限内请求复查（答复后）或复核（复查意见后）；期限已过的答复409及原因 / Ask for
    review (after a reply) or re-review (after a review answer) within the legal window;
    outside it, 409 with the reason."""
    ip = limits.client_ip(request)
    submission = find(code=query_code, verify=payload.verify, ip=ip)
    services.ask_review(submission=submission, reasons=payload.reasons, ip=ip)
    submission.case.refresh_from_db()
    return Status(201, public.view(submission))
