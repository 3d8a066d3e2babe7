"""Backlog campaigns (积案化解、挂牌督办、销号): list, create, detail and progress; list
cases by numbers, search or rule (with a preview); the responsible unit's clear-off
application with its evidence; the campaign unit's approval or refusal. The rules are
supervision/campaigns.py's."""

import datetime
from typing import Literal, Optional

from ninja import Field, Query, Router, Schema, Status

from xinfang.supervision import campaigns

from ..auth import staff
from ..schemas import In, IsoDate, errors

router = Router(tags=["campaigns 积案化解"])


class CampaignIn(In):
    name: str = Field(..., max_length=120, description="专项行动名称 / Name")
    unit: str = Field("", max_length=40, description="牵头单位代码，默认本人辖区 / Unit code; default your scope")
    starts_on: IsoDate
    ends_on: IsoDate
    leader: str = Field("", max_length=150, description="责任领导的用户名（须有领导角色）/ Username of a leader")
    leader_name: str = Field("", max_length=60, description="无账号的责任领导姓名 / A leader without an account")
    rebound_days: Optional[int] = Field(None, ge=1, le=1095, description="反弹观察期（天），默认180 / Rebound window in days")
    note: str = Field("", max_length=2000)


class CampaignOut(Schema):
    id: int
    name: str
    unit: str
    unit_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    leader: Optional[str] = Field(None, description="责任领导的用户名 / The leader's username, if they have an account")
    leader_name: str
    rebound_days: int
    status: str
    rule: dict
    note: str


def campaign_out(c):
    return {"id": c.pk, "name": c.name, "unit": c.unit.code, "unit_name": c.unit.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "leader": c.leader.username if c.leader_id else None, "leader_name": c.leader_name, "rebound_days": c.rebound_days,
            "status": c.status, "rule": c.rule, "note": c.note}


class FigureOut(Schema):
    unit: str = Field(..., description="责任单位代码，合计为空 / Unit code, empty for the total")
    unit_name: str
    total: int = Field(..., description="挂牌积案数 / Cases listed")
    cleared: int = Field(..., description="已销号 / Cleared off")
    open: int
    rebound: int = Field(..., description="反弹 / Rebounds (listed again)")
    applying: int = Field(..., description="待审核的销号申请 / Clear-offs waiting for a decision")
    rate: float = Field(..., description="化解率% / Cleared ÷ listed, percent")
    time_share: float = Field(..., description="序时进度% / Share of the campaign's time gone, percent")
    ahead: bool
    gap: float = Field(..., description="领先(+)或落后(-)的百分点 / Points ahead (+) or behind (-)")


class ProgressOut(Schema):
    campaign: CampaignOut
    today: datetime.date
    overall: FigureOut
    units: list[FigureOut]


class CampaignEntryOut(Schema):
    number: str
    title: str
    case_status: str
    unit: str
    unit_name: str
    leader_name: str
    status: str = Field(..., description="listed 挂牌 | cleared 已销号 | rebound 反弹")
    status_label: str
    applying: bool = Field(..., description="销号申请待审核 / A clear-off waits for a decision")
    due_date: Optional[datetime.date]
    added_at: datetime.datetime
    added_how: str = Field(..., description="hand | search | rule")
    added_detail: str
    cleared_at: Optional[datetime.datetime]
    evidence_kind: str
    rebound_at: Optional[datetime.datetime]
    rebound_count: int


def entry_out(e):
    ob = e.obligation
    return {"number": e.case.number, "title": e.case.title, "case_status": e.case.status, "unit": e.unit.code, "unit_name": e.unit.name,
            "leader_name": e.leader_name, "status": e.status, "status_label": e.get_status_display(),
            "applying": bool(ob and ob.status == "reported" and e.status != "cleared"), "due_date": ob.due_date if ob else None,
            "added_at": e.added_at, "added_how": e.added_how, "added_detail": e.added_detail, "cleared_at": e.cleared_at,
            "evidence_kind": e.evidence_kind, "rebound_at": e.rebound_at, "rebound_count": e.rebound_count}


class CampaignDetailOut(CampaignOut):
    cases: list[CampaignEntryOut]


class CasePreviewOut(Schema):
    number: str
    title: str
    status: str
    unit: str = Field(..., description="责任单位代码 / Responsible unit")
    received_at: datetime.datetime
    petition_count: int


class RuleIn(In):
    open_days: Optional[int] = Field(None, ge=0, le=3650, description="未办结超过天数 / Open longer than N days")
    petitions: Optional[int] = Field(None, ge=0, le=1000, description="信访次数超过 / More than N petitions")
    over_level: bool = Field(False, description="越级信访 / Received above the case's level")


class AddCasesIn(In):
    how: Literal["hand", "search", "rule"] = Field(..., description="hand 按编号 | search 按查询 | rule 按规则")
    numbers: list[str] = Field([], max_length=500, description="事项编号（hand）/ Case numbers")
    q: str = Field("", max_length=100, description="查询词（search）/ Search text")
    rule: Optional[RuleIn] = None
    preview: bool = Field(False, description="只预览，不添加 / Only show which cases would be added")
    leader_name: str = Field("", max_length=60, description="责任领导，默认专项行动的 / Default: the campaign's leader")


class AddCasesOut(Schema):
    preview: bool
    count: int
    cases: list[CasePreviewOut]


class ClearOffIn(In):
    evidence_kind: str = Field("", max_length=12, description="reply 答复 | settlement 和解协议 | conclusion 终结 | evaluation 满意评价")
    evidence_ref: Optional[int] = Field(None, description="答复、评价的编号；上传的协议文件为负的附件编号 / "
                                                          "Id of the reply or evaluation; an uploaded file is minus its attachment id")
    text: str = Field("", max_length=5000, description="化解情况 / What was done")


class DecideIn(In):
    note: str = Field("", max_length=5000)


class RefuseIn(In):
    reason: str = Field(..., max_length=5000)
    due_date: IsoDate


class ListQuery(In):
    unit: str = Field("", max_length=40, description="责任单位代码（本单位）/ Responsible unit code (that unit's own)")
    within: str = Field("", max_length=40, description="责任单位代码（含下级）/ Responsible units in this unit's subtree")
    status: str = Field("", max_length=10, description="listed | cleared | rebound | open")


@router.get("", response={200: list[CampaignOut]})
def list_campaigns(request):
    """本人可见的专项行动 / The campaigns you may see."""
    return [campaign_out(c) for c in campaigns.visible_to(staff(request))[:200]]


@router.post("", response={201: CampaignOut, **errors(403)})
def create_campaign(request, payload: CampaignIn):
    """新建专项行动（领导、督查员、单位负责人）/ Start a campaign."""
    row = campaigns.create(actor=staff(request), **payload.dict())
    return Status(201, campaign_out(row))


@router.get("/{int:campaign_id}", response={200: CampaignDetailOut, **errors(404)})
def campaign_detail(request, campaign_id: int, filters: Query[ListQuery]):
    """专项行动及其挂牌积案（可按单位、状态筛选）/ A campaign and its cases."""
    user = staff(request)
    row = campaigns.get_for(user, campaign_id)
    items = campaigns.entries(row, user, unit=filters.unit, within=filters.within, status=filters.status)
    return {**campaign_out(row), "cases": [entry_out(e) for e in items[:2000]]}


@router.get("/{int:campaign_id}/progress", response={200: ProgressOut, **errors(404)})
def campaign_progress(request, campaign_id: int, within: str = Query("", max_length=40, description="只看该单位及下级 / That unit's subtree only")):
    """序时进度：各责任单位及合计的销号数、化解率与时间进度 / Progress per unit and overall against the time gone."""
    user = staff(request)
    row = campaigns.get_for(user, campaign_id)
    p = campaigns.progress(row, user, within=within)
    return {"campaign": campaign_out(row), "today": p.today, "overall": p.overall.as_dict(), "units": [u.as_dict() for u in p.units]}


def _preview(case):
    return {"number": case.number, "title": case.title, "status": case.status, "unit": campaigns.responsible_unit(case).code,
            "received_at": case.received_at, "petition_count": case.petition_count}


@router.post("/{int:campaign_id}/cases", response={200: AddCasesOut, 201: AddCasesOut, **errors(403, 404, 409)})
def add_cases(request, campaign_id: int, payload: AddCasesIn):
    """列入积案：按编号、按查询或按规则；`preview` 只列出将添加的事项 /
    List cases by numbers, search or rule; with `preview` nothing is added."""
    user = staff(request)
    row = campaigns.get_for(user, campaign_id)
    rule = payload.rule.dict(exclude_none=True) if payload.rule else None
    if payload.preview:
        if payload.how == "rule":
            found = list(campaigns.rule_cases(row, user, rule)[:campaigns.ADD_LIMIT])
        elif payload.how == "search":
            found = list(campaigns.search_cases(row, user, payload.q)[:campaigns.ADD_LIMIT])
        else:
            found = campaigns.numbered_cases(row, user, payload.numbers)
        return Status(200, {"preview": True, "count": len(found), "cases": [_preview(c) for c in found]})
    added = campaigns.add_cases(row, actor=user, how=payload.how, numbers=payload.numbers, q=payload.q, rule=rule,
                                leader_name=payload.leader_name)
    return Status(201, {"preview": False, "count": len(added), "cases": [_preview(e.case) for e in added]})


@router.post("/{int:campaign_id}/cases/{number}/clear-off", response={200: CampaignEntryOut, **errors(403, 404, 409)})
def apply_clear(request, campaign_id: int, number: str, payload: ClearOffIn):
    """申请销号（责任单位），须附本事项的化解依据 / The responsible unit applies for a clear-off with evidence of this case."""
    user = staff(request)
    entry = campaigns.entry_for(user, campaigns.get_for(user, campaign_id), number)
    campaigns.apply_clear(entry, actor=user, **payload.dict())
    entry.refresh_from_db()
    return entry_out(entry)


@router.post("/{int:campaign_id}/cases/{number}/approve", response={200: CampaignEntryOut, **errors(403, 404, 409)})
def approve_clear(request, campaign_id: int, number: str, payload: DecideIn):
    """同意销号（专项行动牵头单位；责任单位不能审核自己）/ Approve a clear-off (never by the responsible unit itself)."""
    user = staff(request)
    entry = campaigns.entry_for(user, campaigns.get_for(user, campaign_id), number)
    return entry_out(campaigns.approve_clear(entry, actor=user, note=payload.note))


@router.post("/{int:campaign_id}/cases/{number}/refuse", response={200: CampaignEntryOut, **errors(403, 404, 409)})
def refuse_clear(request, campaign_id: int, number: str, payload: RefuseIn):
    """不予销号：说明理由并给出新期限（不晚于专项行动截止日）/ Refuse with a reason and a new due date."""
    user = staff(request)
    entry = campaigns.entry_for(user, campaigns.get_for(user, campaign_id), number)
    return entry_out(campaigns.refuse_clear(entry, actor=user, reason=payload.reason, due_date=payload.due_date))
