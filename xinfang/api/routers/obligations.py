"""Follow-through (督办事项): what a unit owes by a date and reports on — the report-back
of an assigned case, a supervision item (督办件), and later a leader's instruction — with
their records, the unit's reports and the supervising unit's decisions; and opening a
supervision item on a case. Rules are in supervision/items.py and cases/obligations.py."""

import datetime
from typing import Optional

from django.db.models import Count
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from xinfang.cases import clock
from xinfang.cases.choices import ObligationKind, ObligationStatus, SupervisionLevel
from xinfang.cases.obligations import overdue, visible_to
from xinfang.lib.errors import Invalid
from xinfang.org.models import Unit
from xinfang.supervision import items

from ..auth import staff
from ..schemas import In, IsoDate, Text, UnitOut, errors

router = Router(tags=["obligations 督办事项"])
case_router = Router(tags=["obligations 督办事项"])

ID = Path(..., ge=1, le=2**63 - 1)


class EntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: datetime.datetime
    actor: Optional[str]
    unit: Optional[UnitOut]
    text: str
    due_date: Optional[datetime.date] = Field(None, description="退回补办或立项时的期限 / The due date set by this step")
    late: bool = Field(False, description="逾期报告 / Reported after the due date")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor_id else None

    @staticmethod
    def resolve_late(obj):
        return bool((obj.data or {}).get("late"))


class FormOut(Schema):
    id: int
    number: str


class ObligationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    requirement: str
    case: Optional[str] = Field(None, description="信访事项编号 / The case number")
    owner_unit: UnitOut = Field(..., description="责任（被督办）单位 / The unit that owes it")
    creditor_unit: UnitOut = Field(..., description="交办（督办）单位 / The unit it is owed to")
    responsible: Optional[str] = Field(None, description="责任人 / The responsible person")
    opened_by: Optional[str]
    opened_at: datetime.datetime
    due_date: datetime.date
    level: str = Field(..., description="督办级别：general|key|listed，空为无 / Supervision level, empty for none")
    level_label: str
    status: str
    status_label: str
    overdue: bool
    days_left: int
    sent_back_count: int
    reported_at: Optional[datetime.datetime]
    closed_at: Optional[datetime.datetime]

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_case(obj):
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_responsible(obj):
        return str(obj.responsible) if obj.responsible_id else None

    @staticmethod
    def resolve_opened_by(obj):
        return str(obj.opened_by) if obj.opened_by_id else None

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display() if obj.level else ""

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj):
        return obj.status == ObligationStatus.OPEN and obj.due_date < clock.as_date(timezone.now())

    @staticmethod
    def resolve_days_left(obj):
        return (obj.due_date - clock.as_date(timezone.now())).days


class ObligationDetailOut(ObligationOut):
    entries: list[EntryOut]
    form: Optional[FormOut] = Field(None, description="督办单 / The supervision form issued when it was opened")

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.select_related("actor", "unit"))

    @staticmethod
    def resolve_form(obj):
        return items.form_of(obj)


class ObligationPageOut(Schema):
    count: int
    limit: int
    offset: int
    counts_by_level: dict[str, int] = Field(..., description="按督办级别的件数（同样的筛选，不含级别）/ Counts per level "
                                                             "for the same filters without the level")
    items: list[ObligationOut]


class ObligationListQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field("", json_schema_extra={"enum": ["", *ObligationKind.values]})
    status: str = Field("", description="open_any（待办理或待审核）或单一状态 / 'open_any' (open or reported) or one status",
                        json_schema_extra={"enum": ["", "open_any", *ObligationStatus.values]})
    level: str = Field("", json_schema_extra={"enum": ["", *SupervisionLevel.values]})
    owner_unit: str = Field("", max_length=32, description="责任单位代码，含下级 / Owner unit code, with its subtree")
    overdue: Optional[bool] = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


def _detail(user, pk):
    return items.get_for(user, pk)


@router.get("", response={200: ObligationPageOut, **errors(403)})
def list_obligations(request, q: Query[ObligationListQuery]):
    """本人可见的督办事项（本单位所欠的和本单位交办、督办的），按期限排序 / Obligations in
    your scope (owed by or to a unit in it), nearest due date first. Filters: kind, status
    (`open_any` = open or reported), level, owner unit (with its subtree), overdue."""
    user = staff(request)
    qs = visible_to(user).select_related("case", "owner_unit", "creditor_unit", "responsible", "opened_by")
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.status == "open_any":
        qs = qs.filter(status__in=(ObligationStatus.OPEN, ObligationStatus.REPORTED))
    elif q.status:
        qs = qs.filter(status=q.status)
    if q.owner_unit:
        unit = Unit.objects.filter(code=q.owner_unit.strip()).first()
        if unit is None:
            raise Invalid("找不到该单位 / No such unit.", fields={"owner_unit": "单位代码不存在 / Unknown unit code."})
        qs = qs.filter(owner_path__startswith=unit.path)
    today = clock.as_date(timezone.now())
    if q.overdue is True:
        qs = overdue(qs, today)
    elif q.overdue is False:
        qs = qs.exclude(pk__in=overdue(qs, today).values("pk"))
    found = dict(qs.values_list("level").annotate(n=Count("id")).order_by())
    counts = {code: found.get(code, 0) for code in SupervisionLevel.values}
    if q.level:
        qs = qs.filter(level=q.level)
    qs = qs.order_by("due_date", "id")
    return {"count": qs.count(), "limit": q.limit, "offset": q.offset, "counts_by_level": counts,
            "items": list(qs[q.offset:q.offset + q.limit])}


@router.get("/{id}", response={200: ObligationDetailOut, **errors(403, 404)})
def get_obligation(request, id: int = ID):
    """一件督办事项及其全部记录（立项、报告、审核、退回、提级、撤销）/ One obligation with its
    record. Outside your scope: 404."""
    return _detail(staff(request), id)


class ReportIn(In):
    text: Text = Field(..., max_length=5000, description="报告内容 / What was done")
    final: bool = Field(False, description="true：办理结果报告，待督办单位审核；false：进展报告 / true: the result, for the "
                                           "supervising unit's decision; false: a progress report")


@router.post("/{id}/reports", response={201: ObligationDetailOut, **errors(403, 404, 409)})
def add_report(request, payload: ReportIn, id: int = ID):
    """责任单位报告进展（可多次）或办理结果 / The owner unit reports progress (any number of
    times) or its result. 403 for a unit that owes nothing on it; 409 when nothing is owed
    now (reported, closed), or for the result of an assigned case (reported through the
    case's `report` action)."""
    user = staff(request)
    items.report_on(id, actor=user, text=payload.text, final=payload.final)
    return Status(201, _detail(user, id))


class AcceptIn(In):
    note: Text = Field("", max_length=5000)


@router.post("/{id}/accept", response={200: ObligationDetailOut, **errors(403, 404, 409)})
def accept(request, payload: AcceptIn, id: int = ID):
    """审核通过：督办单位接受办理结果，事项办结 / The supervising unit accepts the result; the
    item is closed. 409 before a result is reported."""
    user = staff(request)
    items.accept_item(id, actor=user, note=payload.note)
    return _detail(user, id)


class SendBackIn(In):
    reason: Text = Field(..., max_length=5000)
    due_date: IsoDate = Field(..., description="新的期限，不早于今天 / The new due date, not in the past")


@router.post("/{id}/send-back", response={200: ObligationDetailOut, **errors(403, 404, 409)})
def send_back(request, payload: SendBackIn, id: int = ID):
    """退回补办：说明理由并给出新的期限 / Send the result back for more work, with the reason
    and a new due date."""
    user = staff(request)
    items.send_back_item(id, actor=user, reason=payload.reason, due_date=payload.due_date)
    return _detail(user, id)


class CancelIn(In):
    reason: Text = Field(..., max_length=5000)


@router.post("/{id}/cancel", response={200: ObligationDetailOut, **errors(403, 404, 409)})
def cancel(request, payload: CancelIn, id: int = ID):
    """撤销（说明理由）/ Cancel it, with the reason."""
    user = staff(request)
    items.cancel_item(id, actor=user, reason=payload.reason)
    return _detail(user, id)


class EscalateIn(In):
    level: str = Field(..., json_schema_extra={"enum": SupervisionLevel.values})
    text: Text = Field("", max_length=5000)


@router.post("/{id}/escalate", response={200: ObligationDetailOut, **errors(403, 404, 409)})
def escalate(request, payload: EscalateIn, id: int = ID):
    """提级督办（只能提高）/ Raise the supervision level (never lowers it: 422)."""
    user = staff(request)
    items.escalate_item(id, actor=user, level=payload.level, text=payload.text)
    return _detail(user, id)


class SuperviseIn(In):
    level: str = Field(..., json_schema_extra={"enum": SupervisionLevel.values}, description="一般督办 general、重点督办 key、挂牌督办 listed")
    unit: Text = Field(..., max_length=32, description="被督办单位代码（本人管辖范围内）/ The supervised unit's code, in your scope")
    requirement: Text = Field(..., max_length=5000, description="督办要求 / What the unit is to do")
    due_date: IsoDate = Field(..., description="报告期限，不早于今天 / Due date, not in the past")
    responsible: Text = Field("", max_length=150, description="责任人用户名（被督办单位人员，可空）/ Responsible person's username")
    reason: Text = Field("", max_length=500, description="督办原因（可空）/ Why")


class SupervisedOut(Schema):
    obligation: ObligationDetailOut
    warnings: list[str] = Field(..., description="如期限晚于法定期限 / For example a due date after the legal deadline")


@case_router.post("/{number}/supervision", response={201: SupervisedOut, **errors(403, 404, 409)})
def supervise(request, payload: SuperviseIn, number: str):
    """督办：对本人管辖范围内的事项立督办件，生成督办单并通知被督办单位 / Put a case under
    supervision of a unit: the item, its 督办单, and a notification to the unit. 403 for a role
    that may not supervise; 404 for a case outside your scope; 409 when the unit already
    has an open item on the case; 422 for a unit outside your scope, the accused unit of
    an accusation, a due date in the past or an unknown level."""
    user = staff(request)
    row, warnings = items.open_item(case=number, actor=user, level=payload.level, unit=payload.unit,
                                    requirement=payload.requirement, due_date=payload.due_date,
                                    responsible=payload.responsible or None, reason=payload.reason)
    return Status(201, {"obligation": _detail(user, row.pk), "warnings": warnings})
