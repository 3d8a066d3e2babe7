"""Follow-through (督办、催办、反馈、补办): one mechanism for everything a unit owes by a
date and must report on. The report-back of an assigned case (交办, opened by
services._assign), a supervision item (supervision.items), a leader's instruction and a
meeting's decision (leaders) are each an `Obligation`: an owner unit that reports
(progress any number of times, then its result), a creditor unit that accepts the
result or sends it back for more work with a new due date. Sweeps, reminders, overdue
lists and bulletins (supervision) read the one table, so they work the same for all.

The functions here are the mechanism: they lock the row, check its state and the dates,
write the change and its entry and the audit record in one transaction. Who may call
them is the caller's rule (`report_refusal`, `decide_refusal` are the usual ones; the
report-back of a case goes through the FLOWS table of services.py instead)."""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState, require
from xinfang.org.choices import Role

from . import clock
from .choices import LEVEL_RANK, OBLIGATION_OPEN, EntryKind, ObligationKind, ObligationStatus, SupervisionLevel
from .models import Case, Obligation, ObligationEntry

OS = ObligationStatus
# Who may decide on a result (accept it, send it back, cancel) for the creditor unit.
DECIDE_ROLES = (Role.HEAD, Role.SUPERVISOR, Role.LEADER)
# Who may report for the owner unit.
REPORT_ROLES = (Role.HANDLER, Role.HEAD)
TEXT_LIMIT = 5000


def parse_due(value, *, now, field="due_date", latest=None):
    """A due date from a form or the API: a date, not in the past, and not after
    `latest` (a legal deadline) when given."""
    value = clock.parse_date(value, field)
    if value < clock.as_date(now):
        raise Invalid("期限不能早于今天 / The due date cannot be in the past.", code="due_in_past", fields={field: "已过 / In the past."})
    if latest is not None and value > latest:
        raise Invalid(f"期限不得晚于法定期限 {latest:%Y-%m-%d} / The due date cannot be later than the legal deadline {latest}.",
                      code="due_after_legal", fields={field: f"最迟 {latest:%Y-%m-%d} / At the latest {latest}"})
    return value


def _text(value, field, *, required=True, limit=TEXT_LIMIT):
    value = str(value or "").strip()
    if required:
        require({field: value})
    if len(value) > limit:
        raise Invalid(f"内容不超过{limit}字 / At most {limit} characters.", fields={field: "过长 / Too long."})
    return value


def _level(value):
    value = value or ""
    if value not in LEVEL_RANK:
        raise Invalid("督办级别应为一般督办、重点督办或挂牌督办 / Level must be general, key or listed.",
                      fields={"level": "|".join(SupervisionLevel.values)})
    return value


def refresh_case_level(case_id):
    """Keep Case.supervision_level: the highest level among the case's open obligations."""
    if case_id is None:
        return
    levels = set(Obligation.objects.filter(case_id=case_id, status__in=OBLIGATION_OPEN).values_list("level", flat=True))
    top = max(levels or {""}, key=LEVEL_RANK.__getitem__)
    Case.objects.filter(pk=case_id).exclude(supervision_level=top).update(supervision_level=top)


def _entry(obligation, kind, *, actor=None, now, text="", due_date=None, data=None, unit=None):
    return ObligationEntry.objects.create(obligation=obligation, kind=kind, at=now, actor=actor,
                                          unit=unit or (actor.unit if actor is not None else None), text=text, due_date=due_date,
                                          data=data or {})


def _locked(obligation):
    pk = obligation.pk if isinstance(obligation, Obligation) else obligation
    row = Obligation.objects.select_for_update(of=("self",)).select_related("case", "owner_unit", "creditor_unit").filter(pk=pk).first()
    if row is None:
        raise NotFound("找不到该督办事项 / No such obligation.")
    return row


def _saved(row, fields):
    row.version = F("version") + 1
    row.save(update_fields=set(fields) | {"version"})
    row.refresh_from_db(fields=["version"])
    refresh_case_level(row.case_id)


def open_obligation(*, kind, owner_unit, creditor_unit, due_date, title, actor, case=None, requirement="", level="",
                    responsible=None, source="", now=None, latest=None):
    """Open what `owner_unit` owes `creditor_unit` by `due_date`. Checks the dates and
    texts; scope and roles are the caller's."""
    now = now or timezone.now()
    if kind not in ObligationKind.values:
        raise Invalid("类型不正确 / Unknown kind of obligation.", fields={"kind": "|".join(ObligationKind.values)})
    due = parse_due(due_date, now=now, latest=latest)
    title = _text(title, "title", limit=200)
    requirement = _text(requirement, "requirement", required=False)
    level = _level(level)
    if responsible is not None and responsible.unit_id not in owner_unit.acts_for | {owner_unit.pk}:
        raise Invalid("责任人应为责任单位的人员 / The responsible person must belong to the owner unit.",
                      fields={"responsible": "不是责任单位人员 / Not of the owner unit."})
    with transaction.atomic():
        row = Obligation.objects.create(kind=kind, case=case, title=title, requirement=requirement, owner_unit=owner_unit,
                                        owner_path=owner_unit.path, responsible=responsible, creditor_unit=creditor_unit,
                                        creditor_path=creditor_unit.path, opened_by=actor, opened_at=now, due_date=due, level=level,
                                        source=source)
        _entry(row, EntryKind.OPENED, actor=actor, now=now, text=requirement, due_date=due, data={"level": level},
               unit=creditor_unit)
        refresh_case_level(row.case_id)
        audit(actor=actor, action="obligation.open", obj=case or row,
              detail={"obligation": row.pk, "kind": kind, "owner": owner_unit.code, "due": due.isoformat(), "level": level})
    return row


def report_refusal(obligation, user):
    """Why `user` may not report on `obligation` now, or None."""
    if user.unit_id is None or obligation.owner_unit_id not in user.unit.acts_for:
        return NotAllowed("您的单位对此没有待办事项，不能报告 / Your unit owes nothing on this: it cannot report.", code="not_owner")
    if not user.has_role(*REPORT_ROLES):
        return NotAllowed("需要承办人或单位负责人角色才能报告 / Only handlers and unit heads may report.")
    if obligation.status != OS.OPEN:
        return WrongState(f"该事项为“{obligation.get_status_display()}”，不能再报告 / It is {obligation.status}: no report is owed now.",
                          code="not_open")
    return None


def decide_refusal(obligation, user, *, status=OS.REPORTED):
    """Why `user` may not accept, send back (status REPORTED) or cancel (status OPEN or
    REPORTED) `obligation`, or None."""
    if user.unit_id is None or obligation.creditor_unit_id not in user.unit.acts_for:
        return NotAllowed("只有交办（督办）单位可以审核 / Only the unit that opened it may decide on it.", code="not_creditor")
    if not user.has_role(*DECIDE_ROLES):
        return NotAllowed("需要单位负责人、督查员或领导角色 / Only heads, supervisors and leaders may decide on it.")
    allowed = status if isinstance(status, tuple) else (status,)
    if obligation.status not in allowed:
        if obligation.status == OS.OPEN:
            return WrongState("责任单位尚未报送办理结果 / The owner unit has not reported its result yet.", code="not_reported")
        return WrongState(f"该事项为“{obligation.get_status_display()}” / It is {obligation.status}.", code="wrong_state")
    return None


def report(obligation, *, actor, text, final=False, data=None, attachments=(), now=None, check=True):
    """A report from the owner unit: progress (any number), or its result (`final`), which
    waits for the creditor's decision. `attachments`: ids of files already stored on the
    case. Returns the entry."""
    now = now or timezone.now()
    text = _text(text, "text")
    with transaction.atomic():
        row = _locked(obligation)
        if check and (why := report_refusal(row, actor)) is not None:
            raise why
        if row.status != OS.OPEN:
            raise report_refusal(row, actor) or WrongState("不能报告 / No report is owed now.")
        kind = EntryKind.RESULT if final else EntryKind.PROGRESS
        payload = dict(data or {})
        if attachments:
            payload["attachments"] = list(attachments)
        late = clock.as_date(now) > row.due_date
        payload["late"] = late
        entry = _entry(row, kind, actor=actor, now=now, text=text, data=payload)
        if final:
            row.status = OS.REPORTED
            row.reported_at = now
            if row.reported_on_time is None:
                row.reported_on_time = not late
            _saved(row, {"status", "reported_at", "reported_on_time"})
        audit(actor=actor, action=f"obligation.{kind}", obj=row.case or row, detail={"obligation": row.pk, "late": late})
    return entry


def accept(obligation, *, actor, note="", now=None, check=True):
    """审核通过: the creditor accepts the result; the obligation is done."""
    now = now or timezone.now()
    note = _text(note, "note", required=False)
    with transaction.atomic():
        row = _locked(obligation)
        if check and (why := decide_refusal(row, actor)) is not None:
            raise why
        if row.status != OS.REPORTED:
            raise WrongState("责任单位尚未报送办理结果 / The owner unit has not reported its result yet.", code="not_reported")
        row.status, row.closed_at, row.closed_by = OS.ACCEPTED, now, actor
        _saved(row, {"status", "closed_at", "closed_by"})
        _entry(row, EntryKind.ACCEPTED, actor=actor, now=now, text=note)
        audit(actor=actor, action="obligation.accept", obj=row.case or row, detail={"obligation": row.pk})
    return row


def send_back(obligation, *, actor, reason, due_date, now=None, latest=None, check=True):
    """退回补办: the result is not enough; the owner works on, to a new due date."""
    now = now or timezone.now()
    reason = _text(reason, "reason")
    with transaction.atomic():
        row = _locked(obligation)
        if check and (why := decide_refusal(row, actor)) is not None:
            raise why
        if row.status != OS.REPORTED:
            raise WrongState("责任单位尚未报送办理结果 / The owner unit has not reported its result yet.", code="not_reported")
        due = parse_due(due_date, now=now, latest=latest)
        old = row.due_date
        row.status, row.due_date = OS.OPEN, due
        row.sent_back_count += 1
        _saved(row, {"status", "due_date", "sent_back_count"})
        _entry(row, EntryKind.SENT_BACK, actor=actor, now=now, text=reason, due_date=due, data={"from": old.isoformat()})
        audit(actor=actor, action="obligation.send_back", obj=row.case or row, detail={"obligation": row.pk, "due": due.isoformat()})
    return row


def cancel(obligation, *, actor, reason, now=None, check=True):
    """撤销: the creditor withdraws it (opened in error, or overtaken: a case returned)."""
    now = now or timezone.now()
    reason = _text(reason, "reason")
    with transaction.atomic():
        row = _locked(obligation)
        if check and (why := decide_refusal(row, actor, status=OBLIGATION_OPEN)) is not None:
            raise why
        if row.status not in OBLIGATION_OPEN:
            raise WrongState(f"该事项为“{row.get_status_display()}”，不能撤销 / It is {row.status}: it cannot be cancelled.")
        row.status, row.closed_at, row.closed_by = OS.CANCELLED, now, actor
        _saved(row, {"status", "closed_at", "closed_by"})
        _entry(row, EntryKind.CANCELLED, actor=actor, now=now, text=reason)
        audit(actor=actor, action="obligation.cancel", obj=row.case or row, detail={"obligation": row.pk})
    return row


def escalate(obligation, *, level, now=None, actor=None, text=""):
    """提级督办: raise the level (never lowers it). Returns True when it rose."""
    now = now or timezone.now()
    level = _level(level)
    with transaction.atomic():
        row = _locked(obligation)
        if row.status not in OBLIGATION_OPEN or LEVEL_RANK[level] <= LEVEL_RANK[row.level]:
            return False
        old = row.level
        row.level = level
        _saved(row, {"level"})
        _entry(row, EntryKind.ESCALATED, actor=actor, now=now, text=text, data={"from": old, "to": level}, unit=row.creditor_unit)
        audit(actor=actor, action="obligation.escalate", obj=row.case or row, detail={"obligation": row.pk, "from": old, "to": level})
    return True


# --- reading ---------------------------------------------------------------------------


def visible_to(user):
    """The obligations a user may see: owed by or to a unit in their scope."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Obligation.objects.none()
    root = user.unit.scope_root.path
    return Obligation.objects.filter(Q(owner_path__startswith=root) | Q(creditor_path__startswith=root))


def owed_by(unit):
    """What `unit` owes now (its own, and for a petition office its government's)."""
    return Obligation.objects.filter(owner_unit__in=unit.acts_for, status=OS.OPEN)


def awaiting_decision_of(unit):
    """Results reported to `unit` that wait for its decision."""
    return Obligation.objects.filter(creditor_unit__in=unit.acts_for, status=OS.REPORTED)


def overdue(queryset, today):
    """Open obligations past their due date (a reported result waits on the creditor, not
    on the owner, and is not the owner's delay)."""
    return queryset.filter(status=OS.OPEN, due_date__lt=today)


def get_for(user, pk):
    row = visible_to(user).select_related("case", "owner_unit", "creditor_unit", "responsible").filter(pk=pk).first()
    if row is None:
        raise NotFound("找不到该督办事项或无权查看 / No such obligation, or not visible to you.")
    return row


def report_back_of(case):
    """The open report-back obligation of an assigned case, or None."""
    return (Obligation.objects.filter(case=case, kind=ObligationKind.REPORT_BACK, status__in=OBLIGATION_OPEN)
            .order_by("-opened_at", "-id").first())


def last_result(obligation):
    """The latest result report of `obligation`, or None."""
    return obligation.entries.filter(kind=EntryKind.RESULT).order_by("-at", "-id").first()
