"""Supervision items (督办件): a supervisor, leader or unit head puts a case in their scope
under supervision of a unit, at a level (一般督办 / 重点督办 / 挂牌督办), with a requirement
and a due date. An item is an `Obligation(kind=supervision)` of the one follow-through
mechanism (cases/obligations.py): the supervised unit reports progress and then its
result, the supervising unit accepts it or sends it back (补办), raises the level or
cancels it.

This module adds what the mechanism leaves to its callers: who may open and decide on an
item, the checks of scope and of the accused unit (Art. 30), the formal 督办单, the
case's timeline (one CaseEvent `supervise` a step) and the notifications of the other
side. The steps here (`report_on`, `accept_item`, ...) also serve the unit side of the
other kinds of obligation; the report-back of an assigned case is decided through the
case's own FLOWS actions (approve / send_back) and is refused here."""

import datetime
import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from xinfang.cases import clock, obligations
from xinfang.cases.choices import LEVEL_RANK, OBLIGATION_OPEN, Action, EntryKind, ObligationKind, SupervisionLevel
from xinfang.cases.models import Case, CaseEvent, Obligation
from xinfang.cases.services import accused_refusal, get_case_for
from xinfang.documents import services as documents
from xinfang.documents.kinds import DocKind
from xinfang.documents.models import Document
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, WrongState
from xinfang.notify import services as notify
from xinfang.notify.kinds import Kind as NotifyKind
from xinfang.org.choices import Role
from xinfang.org.models import Unit

logger = logging.getLogger(__name__)

OK = ObligationKind
# Who may put a case under supervision (and so decide on the items their unit opened).
SUPERVISE_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HEAD)
# Who of the supervised unit hears of a new item, a sending back, a decision.
OWNER_ROLES = (Role.HANDLER, Role.HEAD)
# Who of the supervising unit hears of a report.
CREDITOR_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HEAD)


def link_of(obligation):
    """The obligation's own page (web/supervision/items.py)."""
    return f"/supervision/obligations/{obligation.pk}/"


def supervise_refusal(user):
    """Why `user` may not open supervision items at all, or None."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return NotAllowed("您的账号未分配所属单位，不能督办 / Your account has no unit: it cannot supervise.")
    if not user.has_role(*SUPERVISE_ROLES):
        return NotAllowed("需要督查员、领导或单位负责人角色才能督办 / Only supervisors, leaders and unit heads may supervise.",
                          code="not_supervisor")
    return None


def may_supervise(user):
    return supervise_refusal(user) is None


def _unit_in_scope(user, unit):
    """The unit (an object, id or code) if it is in `user`'s scope; Invalid otherwise."""
    missing = Invalid("被督办单位不存在或不在您的管辖范围内 / The supervised unit does not exist or is outside your scope.",
                      code="unit_out_of_scope", fields={"unit": "不在管辖范围内 / Outside your scope."})
    if isinstance(unit, Unit):
        found = unit
    elif unit in (None, ""):
        raise Invalid("请选择被督办单位 / Choose the unit to supervise.", code="required", fields={"unit": "必填 / Required."})
    else:
        value = str(unit).strip()
        found = Unit.objects.filter(code=value).first() or (Unit.objects.filter(pk=int(value)).first() if value.isdigit() else None)
    if found is None or not found.is_active or not found.is_within(user.unit.scope_root):
        raise missing
    return found


def _responsible(owner_unit, person):
    if person in (None, ""):
        return None
    User = get_user_model()
    if isinstance(person, User):
        return person
    value = str(person).strip()
    found = User.objects.filter(username=value, is_active=True).first()
    if found is None and value.isdigit():
        found = User.objects.filter(pk=int(value), is_active=True).first()
    if found is None or found.unit_id not in owner_unit.acts_for | {owner_unit.pk}:
        raise Invalid("责任人应为被督办单位的人员 / The responsible person must belong to the supervised unit.",
                      fields={"responsible": "不是被督办单位人员 / Not of the supervised unit."})
    return found


def open_items_on(case):
    return Obligation.objects.filter(case=case, kind=OK.SUPERVISION, status__in=OBLIGATION_OPEN)


def open_item(*, case, actor, level, unit, requirement, due_date, responsible=None, reason="", now=None):
    """督办立项: put `case` (a Case or its number, found in `actor`'s scope: 404 outside
    it) under supervision of `unit`. Returns (obligation, warnings); the 督办单 is issued
    in the same transaction and the supervised unit's staff are told after the commit."""
    now = now or timezone.now()
    if (why := supervise_refusal(actor)) is not None:
        raise why
    number = case.number if isinstance(case, Case) else str(case or "").strip()
    get_case_for(actor, number)  # 404 outside the scope, before anything is said about the rest
    if level not in SupervisionLevel.values:
        raise Invalid("督办级别应为一般督办、重点督办或挂牌督办 / Level must be general, key or listed.",
                      code="bad_level", fields={"level": "|".join(SupervisionLevel.values)})
    owner = _unit_in_scope(actor, unit)
    reason = obligations._text(reason, "reason", required=False, limit=500)
    requirement = obligations._text(requirement, "requirement")
    with transaction.atomic():
        # The case row is locked: two supervisors opening the same item at once make one.
        case = get_case_for(actor, number, lock=True)
        if (why := accused_refusal(case, owner)) is not None:
            raise why
        existing = open_items_on(case).filter(owner_unit=owner).first()
        if existing is not None:
            raise Conflict(f"该事项已有对{owner.name}的{existing.get_level_display()}（{existing.get_status_display()}，"
                           f"期限{existing.due_date:%Y-%m-%d}，督办事项#{existing.pk}），不能重复督办 / This case already has an open "
                           f"supervision item for {owner.code} (#{existing.pk}).", code="already_supervised",
                           fields={"unit": f"已有督办事项#{existing.pk} / Item #{existing.pk} is open."})
        person = _responsible(owner, responsible)
        row = obligations.open_obligation(kind=OK.SUPERVISION, owner_unit=owner, creditor_unit=actor.unit, due_date=due_date,
                                          title=f"督办：{case.title}"[:200], actor=actor, case=case, requirement=requirement,
                                          level=level, responsible=person, now=now)
        warnings = []
        legal = case.due_date
        if legal is not None and row.due_date > legal:
            warnings.append(f"督办期限{row.due_date:%Y-%m-%d}晚于该事项当前的法定期限{legal:%Y-%m-%d}（{case.get_due_kind_display()}），"
                            f"请注意法定期限 / The due date is after the case's legal deadline {legal}.")
        _event(row, actor, now, EntryKind.OPENED,
               f"{row.get_level_display()}：{owner.name}，期限{row.due_date:%Y-%m-%d}。{row.requirement}")
        document = documents.issue(DocKind.SUPERVISE_FORM, unit=actor.unit, subject=case, to_unit=owner, actor=actor,
                                   source=f"obligation:{row.pk}", title=f"督办单（{case.number}）", context={
                                       "case_number": case.number, "request_summary": case.title, "to_unit_name": owner.name,
                                       "level": row.get_level_display(), "reason": reason, "requirements": row.requirement,
                                       "reply_due_cn": documents.cn_date(row.due_date), "due_date": row.due_date.isoformat(),
                                       "responsible_name": (person.display_name or person.username) if person else "",
                                   })
        row.form_document = document
        transaction.on_commit(partial(_tell, row.pk, "opened"))
    return row, warnings


def form_of(obligation):
    """The 督办单 issued when `obligation` was opened, or None."""
    if obligation.case_id is None:
        return None
    return (Document.objects.filter(kind=DocKind.SUPERVISE_FORM, source=f"obligation:{obligation.pk}")
            .order_by("-id").first())


# --- the steps ----------------------------------------------------------------------

STEP_LABELS = dict(EntryKind.choices)


def _event(obligation, actor, now, step, text, data=None):
    """The step on the case's timeline: one `supervise` event for a supervision item's
    steps, a `progress` event for a report on another kind of obligation."""
    if obligation.case_id is None:
        return None
    action = Action.SUPERVISE if obligation.kind == OK.SUPERVISION else Action.PROGRESS
    case = Case.objects.only("pk", "status").get(pk=obligation.case_id)
    label = STEP_LABELS.get(step, step) if obligation.kind == OK.SUPERVISION else f"{obligation.get_kind_display()}{STEP_LABELS.get(step, step)}"
    prefix = "督办" if obligation.kind == OK.SUPERVISION and step == EntryKind.OPENED else ""
    return CaseEvent.objects.create(case_id=case.pk, action=action, at=now, actor=actor, actor_unit=actor.unit if actor else None,
                                    from_status=case.status, to_status=case.status, note=f"{prefix}{label}：{text}"[:5000],
                                    data={"obligation": obligation.pk, "step": step, "kind": obligation.kind, **(data or {})})


# Obligations whose result is reported and decided on their own screen, with its own
# rules (a clear-off needs its evidence; findings are answered on the findings page):
# source prefix → (where, English, error code).
OWN_FLOWS = {
    "supervision.campaign:": ("积案化解页面（申请销号 / 同意销号）", "the campaign's page (clear-off)", "use_campaign_flow"),
    "supervision.review:": ("评查反馈页面（整改情况）", "the review findings page", "use_review_flow"),
}


def decided_elsewhere(row):
    """Where the result of `row` is reported and decided instead of here, or None: the
    case's page for a report-back, the campaign's or the review's page for theirs."""
    if row.kind == OK.REPORT_BACK:
        return ("信访事项页面（报送办理结果 / 审核通过 / 退回补办）", "the case's page (actions report, approve, send_back)", "use_case_flow")
    return next((flow for prefix, flow in OWN_FLOWS.items() if row.source.startswith(prefix)), None)


def _not_report_back(row, what):
    if (flow := decided_elsewhere(row)) is not None:
        where, english, code = flow
        raise WrongState(f"该事项的办理结果在{where}{what} / Its result is handled on {english}.", code=code)


def report_on(obligation, *, actor, text, final=False, now=None):
    """进展报告 / 办理结果报告 by the owner unit. Returns the entry."""
    now = now or timezone.now()
    row = get_for(actor, obligation)
    if final:
        _not_report_back(row, "报送")
    with transaction.atomic():
        entry = obligations.report(row, actor=actor, text=text, final=final, now=now)
        _event(row, actor, now, entry.kind, entry.text, data={"late": entry.data.get("late", False)})
        transaction.on_commit(partial(_tell, row.pk, entry.kind))
    return entry


def accept_item(obligation, *, actor, note="", now=None):
    now = now or timezone.now()
    row = get_for(actor, obligation)
    _not_report_back(row, "审核")
    with transaction.atomic():
        row = obligations.accept(row, actor=actor, note=note, now=now)
        _event(row, actor, now, EntryKind.ACCEPTED, note or "办理结果审核通过，督办事项办结")
        transaction.on_commit(partial(_tell, row.pk, EntryKind.ACCEPTED))
    return row


def send_back_item(obligation, *, actor, reason, due_date, now=None):
    now = now or timezone.now()
    row = get_for(actor, obligation)
    _not_report_back(row, "退回")
    with transaction.atomic():
        row = obligations.send_back(row, actor=actor, reason=reason, due_date=due_date, now=now)
        _event(row, actor, now, EntryKind.SENT_BACK, f"{reason.strip()}（新的期限{row.due_date:%Y-%m-%d}）")
        transaction.on_commit(partial(_tell, row.pk, EntryKind.SENT_BACK))
    return row


def cancel_item(obligation, *, actor, reason, now=None):
    now = now or timezone.now()
    row = get_for(actor, obligation)
    _not_report_back(row, "撤销")
    with transaction.atomic():
        row = obligations.cancel(row, actor=actor, reason=reason, now=now)
        _event(row, actor, now, EntryKind.CANCELLED, reason.strip())
        transaction.on_commit(partial(_tell, row.pk, EntryKind.CANCELLED))
    return row


def escalate_item(obligation, *, actor, level, text="", now=None):
    """提级督办 by the supervising unit: only upwards, only while open."""
    now = now or timezone.now()
    row = get_for(actor, obligation)
    _not_report_back(row, "处理")
    if (why := obligations.decide_refusal(row, actor, status=OBLIGATION_OPEN)) is not None:
        raise why
    if level not in SupervisionLevel.values:
        raise Invalid("督办级别应为一般督办、重点督办或挂牌督办 / Level must be general, key or listed.",
                      code="bad_level", fields={"level": "|".join(SupervisionLevel.values)})
    if LEVEL_RANK[level] <= LEVEL_RANK[row.level]:
        raise Invalid(f"只能提高督办级别（当前为{row.get_level_display() or '无'}） / The level can only be raised.",
                      code="not_higher", fields={"level": "须高于当前级别 / Must be higher than now."})
    text = obligations._text(text, "text", required=False)
    with transaction.atomic():
        if not obligations.escalate(row, level=level, now=now, actor=actor, text=text):
            raise WrongState("该事项已办结或级别已变更，请刷新页面 / It changed meanwhile: reload the page.", code="stale")
        row.refresh_from_db()
        _event(row, actor, now, EntryKind.ESCALATED,
               f"{SupervisionLevel(level).label}{('。' + text) if text else ''}", data={"to": level})
        transaction.on_commit(partial(_tell, row.pk, EntryKind.ESCALATED))
    return row


def get_for(user, obligation):
    pk = obligation.pk if isinstance(obligation, Obligation) else obligation
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("找不到该督办事项或无权查看 / No such obligation, or not visible to you.")
    return obligations.get_for(user, pk)


# --- who hears of it ------------------------------------------------------------------

# step: (which side is told, notification kind, title)
TELLS = {
    "opened": ("owner", NotifyKind.ASSIGNED, "新的督办事项"),
    EntryKind.PROGRESS: ("creditor", NotifyKind.REPLIED, "督办事项进展报告"),
    EntryKind.RESULT: ("creditor", NotifyKind.REPLIED, "督办事项办理结果待审核"),
    EntryKind.ACCEPTED: ("owner", NotifyKind.REPLIED, "督办事项审核通过"),
    EntryKind.SENT_BACK: ("owner", NotifyKind.RETURNED, "督办事项退回补办"),
    EntryKind.CANCELLED: ("owner", NotifyKind.SYSTEM, "督办事项已撤销"),
    EntryKind.ESCALATED: ("owner", NotifyKind.DUE_SOON, "督办事项提级"),
}


def staff_of(unit_id, roles):
    return list(get_user_model().objects.filter(unit_id=unit_id, is_active=True, groups__name__in=roles).distinct())


def _tell(obligation_id, step):
    """After the commit: the other side's staff hear of the step, with a link to the
    obligation's page. A fault here is logged and never undoes the step."""
    try:
        row = Obligation.objects.select_related("case", "owner_unit", "creditor_unit", "opened_by", "responsible").get(pk=obligation_id)
        side, kind, title = TELLS[step]
        if side == "owner":
            people = staff_of(row.owner_unit_id, OWNER_ROLES) + ([row.responsible] if row.responsible_id else [])
            sender = row.creditor_unit.name
        else:
            people = staff_of(row.creditor_unit_id, CREDITOR_ROLES) + ([row.opened_by] if row.opened_by_id else [])
            sender = row.owner_unit.name
        about = row.case.number if row.case_id else row.title
        level = f"（{row.get_level_display()}）" if row.level else ""
        count = row.entries.count()
        notify.inform(people, kind=kind, link=link_of(row), key=f"obligation:{row.pk}:{count}:{step}",
                      title=f"{title}{level}：{about}",
                      body=f"{sender}：{row.title}。期限{row.due_date:%Y-%m-%d}。")
    except Exception:
        logger.exception("notifying step %s of obligation %s failed", step, obligation_id)


# --- reading ------------------------------------------------------------------------


def items_visible_to(user):
    """The supervision items (all states) of the user's scope."""
    return obligations.visible_to(user).filter(kind=OK.SUPERVISION)


def desk_queryset(user, *, level="", unit=None, overdue=False, today=None):
    """The supervisor's desk: open items in scope, highest level first, then by due date."""
    today = today or clock.as_date(timezone.now())
    qs = items_visible_to(user).filter(status__in=OBLIGATION_OPEN)
    if unit is not None:
        qs = qs.filter(owner_path__startswith=unit.path)
    if overdue:
        qs = obligations.overdue(qs, today)
    if level:
        qs = qs.filter(level=level)
    return qs


def level_counts(qs):
    """{level: count} for the open items of `qs` (before the level filter)."""
    from django.db.models import Count

    found = dict(qs.values_list("level").annotate(n=Count("id")).order_by())
    return {code: found.get(code, 0) for code in SupervisionLevel.values}


def parse_date(value, field="due_date"):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid("日期格式不正确 / Not a valid date.", fields={field: "YYYY-MM-DD"})
