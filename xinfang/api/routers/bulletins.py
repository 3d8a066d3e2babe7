"""Bulletins (通报): list, generate, one bulletin with its lines and the matters behind
every figure, regenerate or delete a draft, publish, and the Word and Excel files.
What each figure counts is written in xinfang/supervision/bulletins.py."""

import datetime
from typing import Optional
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from xinfang.supervision import bulletins as service
from xinfang.supervision.models import PeriodKind

from ..auth import staff
from ..schemas import In, IsoDate, errors

router = Router(tags=["bulletins 通报"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_ANSWER = {"responses": {200: {"description": "Word文件 / The .docx file", "content": {DOCX: {}}}}}
XLSX_ANSWER = {"responses": {200: {"description": "Excel文件 / The .xlsx file", "content": {XLSX: {}}}}}


class BulletinIn(In):
    unit: str = Field(..., min_length=1, max_length=32, description="通报范围：单位代码（含其下级单位）/ The unit whose subtree it covers")
    period_kind: PeriodKind = Field(..., description="weekly 周通报（起始日期所在周一至周日）| monthly 月通报（所在月）| custom 自定义")
    start: IsoDate = Field(..., description="起始日期 YYYY-MM-DD / First day (any day of the week or month for weekly, monthly)")
    end: Optional[IsoDate] = Field(None, description="截止日期，自定义期间必填，不晚于今天 / Last day, for custom; not after today")
    title: str = Field("", max_length=200, description="标题，空则自动生成 / Title; generated when empty")
    note: str = Field("", max_length=5000, description="通报意见与工作要求 / The supervisor's note")


class DraftIn(In):
    title: Optional[str] = Field(None, max_length=200)
    note: Optional[str] = Field(None, max_length=5000)


class ItemOut(Schema):
    type: str = Field(..., description="obligation 督办等事项 | case 法定期限 | sent_back 退回记录 | reminder 催办单")
    id: int = Field(..., description="该事项、退回记录或催办单的编号 / Id of the obligation, case, entry or reminder")
    case: Optional[int] = None
    number: str = Field(..., description="信访事项编号，无则为空 / Case number, empty when none")
    title: str
    matter: str = Field("", description="事项类型 / What was owed")
    unit: str
    due_date: str
    days_overdue: int
    at: Optional[str] = Field(None, description="退回或催办时间 / When it was sent back or reminded")


class LineOut(Schema):
    unit: str = Field(..., description="单位代码 / Unit code")
    unit_name: str
    overdue: int = Field(..., description="逾期未结（件）= len(items.overdue)")
    sent_back: int = Field(..., description="退回补办（次）= len(items.sent_back)")
    reminded: int = Field(..., description="催办（次）= len(items.reminded)")
    items: dict[str, list[ItemOut]] = Field(..., description="每项数字背后的事项 / The matters behind each figure")


class ReceiptOut(Schema):
    unit: str
    unit_name: str
    notified_at: datetime.datetime
    read_at: Optional[datetime.datetime]
    read_by: Optional[str] = Field(None, description="首位阅读人 / The first reader")


class BulletinSummaryOut(Schema):
    id: int
    number: str = Field(..., description="文号，发布时编定；草稿为空 / Given on publishing; empty for a draft")
    title: str
    status: str = Field(..., description="draft 草稿 | published 已发布")
    period_kind: str
    start: datetime.date
    end: datetime.date
    as_of: datetime.date = Field(..., description="逾期判定日 / The day overdue is judged on")
    unit: str = Field(..., description="通报范围单位代码 / The unit whose subtree it covers")
    issuing_unit: str
    created_at: datetime.datetime
    published_at: Optional[datetime.datetime]
    overdue_total: int
    sent_back_total: int
    reminded_total: int
    units_in_scope: int
    receipts: int = Field(..., description="被通报单位数 / Units named")
    read: int = Field(..., description="已读单位数 / Units that have read it")


class BulletinOut(BulletinSummaryOut):
    note: str
    lines: list[LineOut]
    receipt_list: list[ReceiptOut]


def _summary(b, receipts=None):
    if receipts is None:
        total, read = getattr(b, "receipt_count", 0), getattr(b, "read_count", 0)
    else:
        total, read = len(receipts), sum(1 for r in receipts if r.read_at)
    return {"id": b.pk, "number": b.number, "title": b.title, "status": b.status, "period_kind": b.period_kind, "start": b.start,
            "end": b.end, "as_of": b.as_of, "unit": b.root_unit.code, "issuing_unit": b.issuing_unit.code, "created_at": b.created_at,
            "published_at": b.published_at, "overdue_total": b.overdue_total, "sent_back_total": b.sent_back_total,
            "reminded_total": b.reminded_total, "units_in_scope": b.units_in_scope, "receipts": total, "read": read}


def _detail(b):
    receipts = service.receipts_of(b)
    lines = [{"unit": line.unit.code, "unit_name": line.unit_name, "overdue": line.overdue, "sent_back": line.sent_back,
              "reminded": line.reminded, "items": {f: line.items.get(f, []) for f in service.FIGURES}} for line in service.lines_of(b)]
    return {**_summary(b, receipts), "note": b.note, "lines": lines,
            "receipt_list": [{"unit": r.unit.code, "unit_name": r.unit.name, "notified_at": r.notified_at, "read_at": r.read_at,
                              "read_by": str(r.read_by) if r.read_by_id else None} for r in receipts]}


def _link(b):
    return f"/supervision/bulletins/{b.pk}/"


@router.get("", response={200: list[BulletinSummaryOut], **errors(403)})
def list_bulletins(request):
    """通报列表：督查员等看本辖区的通报（含草稿），被通报单位看通报到本单位的（未读在前）/
    Bulletins: a supervisor's of their scope (drafts too); a named unit's staff those naming it, unread first."""
    user = staff(request)
    return [_summary(b) for b in service.list_for(user)]


@router.post("", response={201: BulletinOut, **errors(403)})
def create_bulletin(request, payload: BulletinIn):
    """生成通报草稿（督查员、领导、单位负责人；范围须在本人辖区内；期间不晚于今天）/
    Generate a draft bulletin on a unit's subtree for a period (supervisors, leaders and heads,
    within their scope; the period must be over)."""
    user = staff(request)
    bulletin = service.generate(actor=user, unit=payload.unit, period_kind=payload.period_kind, start=payload.start, end=payload.end,
                                title=payload.title, note=payload.note)
    return Status(201, _detail(service.get_for(user, bulletin.pk)))


@router.get("/{id}", response={200: BulletinOut, **errors(403, 404)})
def get_bulletin(request, id: int):
    """一份通报：各单位数字及每项数字背后的事项、阅读回执。被通报单位人员读取即记为本单位已读
    （仅首位阅读人）/ One bulletin with its lines, the matters behind each figure and the read
    receipts. Read by the staff of a named unit, it marks that unit's receipt read (the first reader only)."""
    user = staff(request)
    bulletin = service.get_for(user, id)
    service.mark_read(bulletin, user)
    return _detail(bulletin)


@router.post("/{id}/regenerate", response={200: BulletinOut, **errors(403, 404, 409)})
def regenerate_bulletin(request, id: int, payload: DraftIn):
    """按最新数据重新生成草稿，可同时修改标题、通报意见；已发布的不能 / Compute a draft again
    (and change its title or note); a published bulletin answers 409."""
    user = staff(request)
    bulletin = service.regenerate(service.get_for(user, id), actor=user, title=payload.title, note=payload.note)
    return _detail(service.get_for(user, bulletin.pk))


@router.post("/{id}/publish", response={200: BulletinOut, **errors(403, 404, 409)})
def publish_bulletin(request, id: int):
    """发布：编文号、为被通报单位生成阅读回执并通知其人员；已发布的答409 / Publish: number it,
    make the read receipts of the units named and tell their staff. Published already: 409."""
    user = staff(request)
    bulletin = service.get_for(user, id)
    service.publish(bulletin, actor=user, link=_link(bulletin))
    return _detail(service.get_for(user, id))


@router.delete("/{id}", response={204: None, **errors(403, 404, 409)})
def delete_bulletin(request, id: int):
    """删除草稿；已发布的通报不能删除（409）/ Delete a draft; a published bulletin stays (409)."""
    user = staff(request)
    service.delete(service.get_for(user, id), actor=user)
    return Status(204, None)


def _file(bulletin, body, ext, content_type):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(service.file_name(bulletin, ext))}"
    return response


@router.get("/{id}/docx", response={200: None, **errors(403, 404)}, openapi_extra=DOCX_ANSWER)
def bulletin_docx(request, id: int):
    """通报Word文件（可编辑）：正文、各单位情况表、所涉事项清单 / The bulletin as an editable Word file."""
    bulletin = service.get_for(staff(request), id)
    return _file(bulletin, service.docx(bulletin), "docx", DOCX)


@router.get("/{id}/xlsx", response={200: None, **errors(403, 404)}, openapi_extra=XLSX_ANSWER)
def bulletin_xlsx(request, id: int):
    """通报Excel文件：汇总表及每项数字的事项清单 / The bulletin as an Excel workbook."""
    bulletin = service.get_for(staff(request), id)
    return _file(bulletin, service.xlsx(bulletin), "xlsx", XLSX)
