"""Case quality review (案件评查: rounds, samples, scores, findings, the unit's response) and
accountability records (责任追究). Thin: the rules are supervision/reviews.py's."""

import datetime
from typing import Optional

from ninja import Field, Query, Router, Schema, Status

from xinfang.lib.errors import NotAllowed
from xinfang.supervision import reviews as services

from ..auth import client_ip, staff
from ..schemas import In, errors

router = Router(tags=["reviews 案件评查与责任追究"])


class RoundIn(In):
    name: str = Field(..., max_length=100, description="评查名称 / Name of the round")
    period_start: datetime.date = Field(..., description="答复日期自 / Cases answered from")
    period_end: datetime.date = Field(..., description="答复日期至 / Cases answered until")
    unit: str = Field("", max_length=40, description="评查范围单位代码，空则为本人范围 / Unit code of the scope; empty: yours")


class SampleIn(In):
    size: Optional[int] = Field(None, ge=1, le=services.SAMPLE_LIMIT, description="随机抽取件数 / How many at random")
    seed: Optional[int] = Field(None, ge=0, le=2**31, description="随机种子；空则生成并记录 / Random seed; chosen and recorded when empty")
    filters: list[str] = Field([], max_length=3, description="unsatisfied 不满意 | sent_back 曾退回补办 | overdue 超期答复")
    unit: str = Field("", max_length=40, description="只抽该单位及下级 / Only this unit's subtree")
    numbers: list[str] = Field([], max_length=services.SAMPLE_LIMIT, description="人工指定的事项编号 / Case numbers picked by hand")


class ScoreLineOut(Schema):
    code: str
    name: str
    max_score: int
    weight: int
    score: str
    note: str


class ReviewOut(Schema):
    id: int
    round: int
    case: str = Field(..., description="事项编号 / Case number")
    case_title: str
    unit: str = Field(..., description="被评查单位代码 / Unit the findings go to")
    unit_name: str
    status: str = Field(..., description="pending 待评查 | draft 已评查未反馈 | sent 已反馈单位 | acknowledged 已整改反馈")
    status_label: str
    reviewer: Optional[str]
    reviewed_at: Optional[datetime.datetime]
    items: list[ScoreLineOut]
    total: Optional[float]
    grade: str = Field(..., description="excellent 优秀 | pass 合格 | fail 不合格 | 空 / empty")
    grade_label: str
    findings: str
    sent_at: Optional[datetime.datetime]
    response_due: Optional[datetime.date]
    obligation: Optional[int] = Field(None, description="整改督办事项编号 / The response's obligation")
    response: str
    responded_at: Optional[datetime.datetime]


def _review_out(row):
    return {"id": row.pk, "round": row.round_id, "case": row.case.number, "case_title": row.case.title, "unit": row.unit.code,
            "unit_name": row.unit.name, "status": row.status, "status_label": row.get_status_display(),
            "reviewer": str(row.reviewer) if row.reviewer_id else None, "reviewed_at": row.reviewed_at,
            "items": (row.scores or {}).get("items", []), "total": float(row.total) if row.total is not None else None,
            "grade": row.grade, "grade_label": row.get_grade_display() if row.grade else "", "findings": row.findings,
            "sent_at": row.sent_at, "response_due": row.response_due, "obligation": row.obligation_id, "response": row.response,
            "responded_at": row.responded_at}


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int


class UnitFigureOut(Schema):
    code: str
    name: str
    count: int
    reviewed: int
    average: Optional[float]


class FiguresOut(Schema):
    sampled: int
    reviewed: int
    sent: int
    responded: int
    average: Optional[float]
    per_grade: list[GradeCountOut]
    per_unit: list[UnitFigureOut]


class RoundOut(Schema):
    id: int
    name: str
    period_start: datetime.date
    period_end: datetime.date
    unit: str
    unit_name: str
    rule: dict
    rule_label: str
    created_by: str
    created_at: datetime.datetime
    figures: FiguresOut


class RoundDetailOut(RoundOut):
    reviews: list[ReviewOut]


def _figures(row):
    found = services.figures(row)
    return {**found, "average": float(found["average"]) if found["average"] is not None else None,
            "per_unit": [{**u, "average": float(u["average"]) if u["average"] is not None else None} for u in found["per_unit"]]}


def _round_out(row, *, with_reviews=False):
    out = {"id": row.pk, "name": row.name, "period_start": row.period_start, "period_end": row.period_end, "unit": row.unit.code,
           "unit_name": row.unit.name, "rule": row.rule, "rule_label": row.rule_label, "created_by": str(row.created_by),
           "created_at": row.created_at, "figures": _figures(row)}
    if with_reviews:
        out["reviews"] = [_review_out(r) for r in services.round_reviews(row)]
    return out


class ScoresIn(In):
    scores: dict[str, float] = Field(..., description="评查项目代码 → 得分 / Item code → score, every active item")
    notes: dict[str, str] = Field({}, description="评查项目代码 → 说明 / Item code → note")
    findings: str = Field("", max_length=services.TEXT_LIMIT, description="评查意见；不合格时必填 / Findings; required for a failing grade")


class SendIn(In):
    due_date: Optional[datetime.date] = Field(None, description="整改反馈期限；填写则纳入督办 / The response's due date: an obligation")


class ResponseIn(In):
    text: str = Field(..., max_length=services.TEXT_LIMIT, description="整改情况 / What the unit corrected")


class RecordIn(In):
    summary: str = Field(..., max_length=services.TEXT_LIMIT, description="问题情况 / What happened")
    subject_unit: str = Field("", max_length=40, description="被追责单位代码 / Unit code")
    subject_person: str = Field("", max_length=50, description="被追责人员姓名 / The official's name")
    subject_post: str = Field("", max_length=100, description="职务 / The official's post")
    decided_by: str = Field(..., max_length=100, description="决定机关 / The deciding organ")
    decided_on: datetime.date
    basis: str = Field(..., max_length=services.TEXT_LIMIT, description="依据 / Basis")
    kind: str = Field(..., description="criticism 批评教育 | notice 通报批评 | admonition 诫勉 | organisational 组织处理 | "
                                       "discipline 党纪政务处分 | other 其他")
    kind_other: str = Field("", max_length=100)
    cases: list[str] = Field(..., min_length=1, max_length=100, description="关联事项编号 / Linked case numbers")


class RecordFileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class RecordOut(Schema):
    id: int
    summary: str
    subject_unit: Optional[str]
    subject_unit_name: Optional[str]
    subject_person: str
    subject_post: str
    decided_by: str
    decided_on: datetime.date
    basis: str
    kind: str
    kind_label: str
    cases: list[str]
    files: list[RecordFileOut]
    recorded_by: str
    recorded_at: datetime.datetime


def _record_out(row):
    return {"id": row.pk, "summary": row.summary, "subject_unit": row.subject_unit.code if row.subject_unit_id else None,
            "subject_unit_name": row.subject_unit.name if row.subject_unit_id else None, "subject_person": row.subject_person,
            "subject_post": row.subject_post, "decided_by": row.decided_by, "decided_on": row.decided_on, "basis": row.basis,
            "kind": row.kind, "kind_label": row.kind_label, "cases": [c.number for c in row.cases.all()],
            "files": list(row.files.all()), "recorded_by": str(row.recorded_by), "recorded_at": row.recorded_at}


class RecordListItemOut(Schema):
    id: int
    subject: str
    kind: str
    kind_label: str
    decided_by: str
    decided_on: datetime.date
    cases: list[str]


class RoundListItemOut(Schema):
    id: int
    name: str
    period_start: datetime.date
    period_end: datetime.date
    unit: str
    unit_name: str
    rule_label: str
    sampled: int
    reviewed: int
    responded: int
    average: Optional[float]


@router.get("/rounds", response={200: list[RoundListItemOut], **errors(403)})
def list_rounds(request):
    """评查列表（本人范围，最近200次），含抽取、已评查、已整改反馈件数和平均分 / Review rounds in your scope
    (the latest 200) with their headline figures."""
    user = staff(request)
    if not services.may_read_reviews(user):
        raise NotAllowed("只有督查员、领导和审计员可以查看案件评查 / Only supervisors, leaders and auditors may read reviews.")
    return [{"id": r.pk, "name": r.name, "period_start": r.period_start, "period_end": r.period_end, "unit": r.unit.code,
             "unit_name": r.unit.name, "rule_label": r.rule_label, "sampled": r.n_sampled, "reviewed": r.n_reviewed,
             "responded": r.n_responded, "average": float(r.average) if r.average is not None else None}
            for r in services.rounds_listed(user)]


@router.post("/rounds", response={201: RoundOut, **errors(403)})
def create_round(request, payload: RoundIn):
    """新建评查（督查员） / Open a review round (supervisors)."""
    row = services.open_round(actor=staff(request), name=payload.name, period_start=payload.period_start,
                              period_end=payload.period_end, unit=payload.unit or None)
    return Status(201, _round_out(row))


@router.get("/rounds/{int:pk}", response={200: RoundDetailOut, **errors(404)})
def get_round(request, pk: int):
    """一次评查：规则、统计与抽取的事项 / One round: rule, figures and the sampled cases."""
    return _round_out(services.get_round(staff(request), pk), with_reviews=True)


@router.post("/rounds/{int:pk}/sample", response={200: RoundDetailOut, **errors(403, 404)})
def sample_round(request, pk: int, payload: SampleIn):
    """抽取案件：随机（记录种子，可重现）、按条件或人工指定 / Draw the sample: at random with a recorded seed,
    by filters, or by hand."""
    user = staff(request)
    row = services.get_round(user, pk)
    services.sample(row, actor=user, size=payload.size, seed=payload.seed, filters=payload.filters, unit=payload.unit or None,
                    numbers=payload.numbers or None)
    row.refresh_from_db()
    return _round_out(row, with_reviews=True)


@router.get("/findings", response={200: list[ReviewOut]})
def list_findings(request):
    """反馈本单位的评查意见 / The findings sent to your unit."""
    return [_review_out(r) for r in services.findings_for(staff(request))[:200]]


@router.get("/{int:pk}", response={200: ReviewOut, **errors(404)})
def get_review(request, pk: int):
    """一件事项的评查 / One case's review."""
    return _review_out(services.get_review(staff(request), pk))


@router.post("/{int:pk}/scores", response={200: ReviewOut, **errors(403, 404, 409)})
def submit_scores(request, pk: int, payload: ScoresIn):
    """提交评分（督查员）：每项0至满分；不合格须写评查意见 / Score a case (supervisors): each item 0 to its
    maximum; findings required for a failing grade."""
    user = staff(request)
    row = services.get_review(user, pk)
    return _review_out(services.review(row, actor=user, scores=payload.scores, notes=payload.notes, findings=payload.findings))


@router.post("/{int:pk}/send", response={200: ReviewOut, **errors(403, 404, 409)})
def send_findings(request, pk: int, payload: SendIn):
    """将评查意见反馈承办单位 / Send the findings to the answering unit."""
    user = staff(request)
    return _review_out(services.send(services.get_review(user, pk), actor=user, due_date=payload.due_date))


@router.post("/{int:pk}/response", response={200: ReviewOut, **errors(403, 404, 409)})
def respond(request, pk: int, payload: ResponseIn):
    """反馈整改情况（被评查单位负责人） / The unit's response (its head)."""
    user = staff(request)
    return _review_out(services.respond(services.get_review(user, pk), actor=user, text=payload.text))


@router.get("/accountability", response={200: list[RecordListItemOut], **errors(403)})
def list_records(request, kind: str = Query("", max_length=20), unit: str = Query("", max_length=40)):
    """责任追究记录（督查员、领导、审计员，本人范围） / Accountability records in your scope."""
    rows = services.register_rows(staff(request), kind=kind, unit=unit, ip=client_ip(request))
    return [{"id": r.pk, "subject": r.subject_label, "kind": r.kind, "kind_label": r.kind_label, "decided_by": r.decided_by,
             "decided_on": r.decided_on, "cases": [c.number for c in r.cases.all()]} for r in rows]


@router.post("/accountability", response={201: RecordOut, **errors(403, 404)})
def create_record(request, payload: RecordIn):
    """登记责任追究记录（督查员）；文书在网页上传 / Record an accountability decision (supervisors);
    documents are uploaded on the page."""
    user = staff(request)
    row = services.record_decision(actor=user, data=payload.dict())
    return Status(201, _record_out(services.read_record(user, row.pk, ip=client_ip(request))))


@router.get("/accountability/{int:pk}", response={200: RecordOut, **errors(403, 404)})
def get_record(request, pk: int):
    """一条责任追究记录；每次查看记入审计日志 / One record; every read is logged."""
    return _record_out(services.read_record(staff(request), pk, ip=client_ip(request)))
