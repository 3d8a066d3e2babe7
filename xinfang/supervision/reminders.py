"""Reading what the sweep made (supervision/sweeps.py): a unit's overdue list (逾期未办:
its late legal deadlines and obligations) and the reminders it received, for the unit
itself or for a supervisor looking at any unit in scope; and the 催办单 of a reminder,
issued (numbered, filled, stored) when someone first opens it, not by the sweep."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from xinfang.audit.services import record as audit
from xinfang.cases import clock
from xinfang.cases.choices import ObligationStatus
from xinfang.cases.models import Case, Obligation
from xinfang.cases.querysets import OWED
from xinfang.documents import services as documents
from xinfang.documents.kinds import DocKind
from xinfang.lib.errors import Invalid, NotAllowed, NotFound
from xinfang.org.choices import Role
from xinfang.org.models import Unit

from .models import Reminder, ReminderKind

# Who may look at any unit in their scope (the unit filter); everyone else sees their own.
OVERSEE_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HEAD)
LIST_LIMIT = 200


def _staff(user):
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        raise NotAllowed("需要登录单位工作人员账号 / Staff of a unit only.", code="not_staff")


def may_oversee(user):
    """A supervisor, leader, or head of a petition office looks at any unit in scope."""
    return user.has_role(Role.SUPERVISOR, Role.LEADER) or (user.has_role(Role.HEAD) and user.unit.scope_root != user.unit)


def units_in_scope(user):
    """The units `user` may choose in the unit filter (their own only, unless they oversee)."""
    _staff(user)
    if not may_oversee(user):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.filter(path__startswith=user.unit.scope_root.path, is_active=True).order_by("path")


def unit_for(user, unit_id=None):
    """The unit whose list `user` asks for: their own by default; another unit only for
    one who oversees, and only in their scope."""
    _staff(user)
    if unit_id in (None, ""):
        return user.unit
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise Invalid("单位编号须为整数 / The unit id must be an integer.", fields={"unit": "须为整数 / An integer."}) from None
    if unit_id in user.unit.acts_for:  # their own (a petition office's government is its own)
        return user.unit
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("找不到该单位 / No such unit.")
    if not may_oversee(user):
        raise NotAllowed("只能查看本单位的逾期事项 / You may only see your own unit's overdue list.", code="not_in_scope")
    if not unit.is_within(user.unit.scope_root):
        raise NotAllowed("该单位不在您的管辖范围内 / That unit is outside your scope.", code="not_in_scope")
    return unit


@dataclass
class Late:
    """One line of an overdue list: a case's legal deadline or an obligation."""

    what: str  # "case" | "obligation"
    pk: int
    title: str
    case_number: str
    due_label: str
    due_date: datetime.date
    days_overdue: int
    level: str
    level_label: str
    creditor: str = ""


def overdue_of(unit, today=None):
    """What `unit` owes past its date: its cases' legal deadlines and its open obligations
    (a reported result waits on the creditor and is not the unit's delay), most late first."""
    today = today or clock.as_date()
    acts_for = unit.acts_for
    lines = []
    cases = (Case.objects.filter(OWED, current_unit__in=acts_for, due_date__lt=today).order_by("due_date", "id")
             .only("pk", "number", "title", "due_date", "due_kind", "supervision_level")[:LIST_LIMIT])
    for c in cases:
        lines.append(Late("case", c.pk, c.title, c.number, c.get_due_kind_display() or "办理期限", c.due_date,
                          (today - c.due_date).days, c.supervision_level, c.get_supervision_level_display()))
    rows = (Obligation.objects.filter(owner_unit__in=acts_for, status=ObligationStatus.OPEN, due_date__lt=today)
            .select_related("case", "creditor_unit").order_by("due_date", "id")[:LIST_LIMIT])
    for o in rows:
        lines.append(Late("obligation", o.pk, o.title, o.case.number if o.case else "", f"{o.get_kind_display()}期限", o.due_date,
                          (today - o.due_date).days, o.level, o.get_level_display(), o.creditor_unit.name))
    return sorted(lines, key=lambda x: (-x.days_overdue, x.what, x.pk))


def reminders_visible_to(user):
    """Reminders addressed to a unit in `user`'s scope, or sent by one."""
    _staff(user)
    root = user.unit.scope_root
    return Reminder.objects.filter(Q(unit_path__startswith=root.path) | Q(from_unit__path__startswith=root.path))


def reminders_for(user, *, unit=None, kind=None, since=None):
    """The reminders `user` may see, narrowed by unit (as unit_for allows), kind and date."""
    qs = reminders_visible_to(user)
    if unit not in (None, ""):
        qs = qs.filter(unit__in=unit_for(user, unit).acts_for)
    elif not may_oversee(user):
        qs = qs.filter(unit__in=user.unit.acts_for)
    if kind not in (None, ""):
        if kind not in ReminderKind.values:
            raise Invalid("催办类型应为 near、overdue 或 escalated / Kind is near, overdue or escalated.",
                          fields={"kind": "|".join(ReminderKind.values)})
        qs = qs.filter(kind=kind)
    if since not in (None, ""):
        if isinstance(since, str):
            try:
                since = datetime.date.fromisoformat(since.strip())
            except ValueError:
                raise Invalid("日期格式不正确 / Not a date.", fields={"since": "YYYY-MM-DD"}) from None
        qs = qs.filter(created_at__date__gte=since)
    return qs.select_related("unit", "from_unit", "case", "obligation", "document").order_by("-created_at", "-id")


def get_for(user, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    reminder = reminders_visible_to(user).select_related("unit", "from_unit", "case", "obligation", "document").filter(pk=pk).first()
    if reminder is None:
        raise NotFound("找不到该催办或无权查看 / No such reminder, or not visible to you.")
    return reminder


# --- the 催办单 ------------------------------------------------------------------------------


REASONS = {
    ReminderKind.NEAR: "{label}将于{due}届满，请抓紧办理。",
    ReminderKind.OVERDUE: "{label}已于{due}届满，至催办时已逾期{days}天，请尽快办结。",
    ReminderKind.ESCALATED: "{label}已于{due}届满，至催办时已逾期{days}天，已提级督办并予通报，请立即办结。",
}


def _context(reminder):
    subject = reminder.obligation or reminder.case
    due = documents.cn_date(reminder.due_date)
    reply_due = clock.days_after(clock.as_date(reminder.created_at), 3).date
    if reminder.kind == ReminderKind.NEAR:
        reply_due = reminder.due_date
    return {
        "to_unit_name": reminder.unit.name,
        "case_number": reminder.case.number if reminder.case else "无",
        "request_summary": subject.title,
        "handle_due_cn": due,
        "reason": REASONS[reminder.kind].format(label=reminder.due_label, due=due, days=reminder.days_overdue),
        "reply_due_cn": documents.cn_date(reply_due),
    }


def document_of(user, reminder, *, ip=None):
    """The 催办单 of `reminder` (current version): issued by the reminding unit the first
    time anyone opens it, then kept. Every opening is on the audit record."""
    with transaction.atomic():
        locked = Reminder.objects.select_for_update(of=("self",)).select_related("unit", "from_unit", "case", "obligation").get(pk=reminder.pk)
        if locked.document_id is None:
            issuer = locked.from_unit or locked.unit
            locked.document = documents.issue(DocKind.REMINDER_FORM, unit=issuer, to_unit=locked.unit, subject=locked,
                                              context=_context(locked), actor=user, source=f"reminder:{locked.pk}",
                                              title=f"催办单（{locked.get_kind_display()}）")
            locked.save(update_fields=["document"])
        item = documents.current_version(locked.document)
        audit(actor=user, action="reminder.document", obj=locked, detail={"number": locked.document.number}, ip=ip)
    reminder.document = locked.document
    return item

