"""Reminders and overdue sweeps (催办): the reminders the sweep made, their 催办单, a
unit's overdue list, and running the sweep now (administrators)."""

import datetime
from typing import Optional

from ninja import Field, Query, Router, Schema

from xinfang.cases import clock
from xinfang.lib.errors import NotAllowed, NotFound
from xinfang.lib.storage import serve_document
from xinfang.org.choices import Role
from xinfang.org.models import Unit
from xinfang.supervision import reminders, sweeps
from xinfang.supervision.models import ReminderKind

from ..auth import client_ip, staff
from ..schemas import In, errors

router = Router(tags=["reminders 催办"])

DOCX_ANSWER = {"responses": {200: {"description": "催办单（Word文件）/ The 催办单 .docx", "content": {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}}


def _unit_id(code):
    if not code:
        return None
    pk = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(f"找不到单位“{code}” / No unit with code {code}.")
    return pk


class RemindersQuery(In):
    unit: str = Field("", max_length=32, description="被催办单位代码（督查员、领导、信访机构负责人可查看辖区内任一单位）/ "
                                                     "The reminded unit's code (any unit in scope for supervisors)")
    kind: str = Field("", max_length=12, json_schema_extra={"enum": ["", *ReminderKind.values]},
                      description="near 临期提醒 | overdue 逾期催办 | escalated 逾期通报")
    since: Optional[datetime.date] = Field(None, description="催办日期不早于 / Made on or after this date")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class UnitRef(Schema):
    code: str
    name: str


class ReminderOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: UnitRef
    from_unit: Optional[UnitRef]
    case: Optional[str] = Field(None, description="事项编号 / Case number")
    obligation: Optional[int] = Field(None, description="督办（交办）事项编号 / Obligation id")
    title: str
    due_label: str
    due_date: datetime.date
    days_overdue: int
    created_at: datetime.datetime
    document: Optional[str] = Field(None, description="催办单文号（首次下载时生成）/ The 催办单's number, once first opened")


class ReminderPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReminderOut]


def _ref(unit):
    return {"code": unit.code, "name": unit.name} if unit else None


def reminder_out(r):
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "unit": _ref(r.unit), "from_unit": _ref(r.from_unit),
            "case": r.case.number if r.case_id else None, "obligation": r.obligation_id,
            "title": (r.obligation or r.case).title, "due_label": r.due_label, "due_date": r.due_date,
            "days_overdue": r.days_overdue, "created_at": r.created_at, "document": r.document.number if r.document_id else None}


@router.get("/reminders", response={200: ReminderPageOut, **errors(403, 404)})
def list_reminders(request, q: Query[RemindersQuery]):
    """催办记录，新的在前：本单位收到的；督查员、领导、信访机构负责人可看辖区内全部或按单位筛选 /
    Reminders, newest first: your unit's; those who oversee see every unit in scope, or one."""
    user = staff(request)
    qs = reminders.reminders_for(user, unit=_unit_id(q.unit), kind=q.kind or None, since=q.since)
    items = list(qs[q.offset:q.offset + q.limit])
    return {"count": qs.count(), "limit": q.limit, "offset": q.offset, "items": [reminder_out(r) for r in items]}


@router.get("/reminders/{id}/document", response={200: None, **errors(403, 404)}, openapi_extra=DOCX_ANSWER)
def reminder_document(request, id: int):
    """下载催办单（Word）：首次打开时由催办单位生成并编号，之后为同一文件；每次下载记入审计记录 /
    The 催办单 of a reminder: issued when first opened, then the same file; audited."""
    user = staff(request)
    reminder = reminders.get_for(user, id)
    return serve_document(reminders.document_of(user, reminder, ip=client_ip(request)))


class OverdueQuery(In):
    unit: str = Field("", max_length=32, description="单位代码；不填为本单位 / Unit code; your own unit if absent")


class LateOut(Schema):
    what: str = Field(..., description="case 法定期限 | obligation 督办（交办）事项")
    id: int
    title: str
    case: str = Field("", description="事项编号 / Case number, if any")
    due_label: str
    due_date: datetime.date
    days_overdue: int
    level: str = Field(..., description="督办级别 general | key | listed，或空 / Supervision level or empty")
    level_label: str
    creditor: str = Field("", description="督办（交办）单位 / The creditor unit of an obligation")


class OverdueOut(Schema):
    unit: UnitRef
    today: datetime.date
    items: list[LateOut]


@router.get("/overdue", response={200: OverdueOut, **errors(403, 404)})
def overdue(request, q: Query[OverdueQuery]):
    """逾期未办：单位已超过期限的信访事项（法定期限）和督办、交办事项，逾期最久的在前 /
    A unit's overdue legal deadlines and obligations, most overdue first."""
    user = staff(request)
    unit = reminders.unit_for(user, _unit_id(q.unit))
    today = clock.as_date()
    lines = reminders.overdue_of(unit, today)
    return {"unit": _ref(unit), "today": today, "items": [
        {"what": x.what, "id": x.pk, "title": x.title, "case": x.case_number, "due_label": x.due_label, "due_date": x.due_date,
         "days_overdue": x.days_overdue, "level": x.level, "level_label": x.level_label or "", "creditor": x.creditor}
        for x in lines]}


class SweepOut(Schema):
    today: datetime.date
    horizon: datetime.date = Field(..., description="临期提醒的最后一日 / The last day counted as near")
    created: dict[str, int] = Field(..., description="新建催办，按类型 / Reminders made, by kind")
    total: int
    told: int = Field(..., description="本次通知到的催办 / Reminders told in this run")
    notifications: int
    emails: int
    escalated: int = Field(..., description="提级的督办事项 / Obligations raised one level")
    opened: int = Field(..., description="新立的一般督办 / General supervisions opened for late cases")


@router.post("/sweeps", response={200: SweepOut, **errors(403)})
def run_sweep(request):
    """立即运行催办扫描（系统管理员）；重复运行不会重复催办或通知 / Run the reminders and overdue sweep
    now (administrators); running it again makes and sends nothing twice."""
    user = staff(request)
    if not (user.is_superuser or user.has_role(Role.ADMIN)):
        raise NotAllowed("只有系统管理员可以立即运行催办扫描 / Only administrators may run the sweep.", code="not_admin")
    return sweeps.run().as_dict()
