"""The SMS that tells the petitioners of a case of each step (Regulations on Letters and
Visits: the petitioner is told of acceptance, forwarding, extension and the answers):
composed here in plain Chinese and queued in the one outbox (xinfang.notify).

Only the case's own number, the step, its date and the public site's address go in: no
other person's data, no internal note, no name of the handler. Petitioners are reached
through the case's reverse relations (`case.petitions`, `petition.petitioners`), so this
module imports nothing above cases; those who declined SMS or left no mobile number get
none. The key is the event and the number: a step never texts one phone twice.

The staff of the unit a case arrives at are told in the notification centre (tell_staff)."""

import datetime
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from xinfang.notify import services as notify
from xinfang.notify.kinds import Channel, Kind as NotifyKind
from xinfang.org.choices import Role, UnitKind

from . import clock
from .choices import Action, Status
from .models import CaseEvent, Obligation

logger = logging.getLogger(__name__)
MOBILE = re.compile(r"^1[3-9]\d{9}$")

TEMPLATES = {
    "accepted": "您的信访事项（编号{number}）已于{date}受理，我们将依法按期办理并书面答复。",
    "forwarded": "您的信访事项（编号{number}）已于{date}转送{unit}办理，请留意后续答复。",
    "extended": "您的信访事项（编号{number}）因情况复杂，办理期限已依法延长至{due}。",
    "replied": "您的信访事项（编号{number}）已于{date}作出答复意见，书面答复将送达您。如不服，可自收到之日起{review_days}日内请求复查。",
    "review_answered": "您对信访事项（编号{number}）提出的复查（复核）请求，已于{date}作出意见，书面意见将送达您。",
}
FOLLOW = "可凭查询码在网上信访查询进度：{url}"


def step_of(event):
    """Which of TEMPLATES an event is, or None when the petitioner is not texted about it."""
    if event.action == Action.ACCEPT:
        return "accepted"
    if event.action in (Action.FORWARD, Action.ASSIGN):
        return "forwarded"
    if event.action == Action.EXTEND:
        return "extended"
    if event.action in (Action.REPLY, Action.SIGN, Action.APPROVE):  # every step that gives a written answer
        return "review_answered" if event.from_status in (Status.REVIEW, Status.RE_REVIEW) else "replied"
    return None


def _chinese(day):
    return f"{day.year}年{day.month}月{day.day}日"


def compose(event, step):
    case = event.case
    day = timezone.localtime(event.at).date()
    # What the step was, from its own event: the case may have moved on by the time this runs.
    due = event.data.get("to") or ""
    unit = event.data.get("unit_name") or (case.current_unit.name if case.current_unit_id else "有权处理的机关")
    text = TEMPLATES[step].format(number=case.number, date=_chinese(day), unit=unit, review_days=clock.limit("review_window_days"),
                                  due=_chinese(datetime.date.fromisoformat(due)) if due else "规定期限")
    if settings.PORTAL_PUBLIC_URL:
        text += FOLLOW.format(url=f"{settings.PORTAL_PUBLIC_URL}{settings.PORTAL_URL_PREFIX}follow/")
    return "【信访】" + text


def mobiles(case):
    """The mobile numbers of the petitioners who did not decline SMS, with their lookup
    hash (the number's key in the message key), once each."""
    found = {}
    for petition in case.petitions.prefetch_related("petitioners"):  # one query for everyone, however many petitions
        for person in petition.petitioners.all():
            number = person.phone if isinstance(person.phone, str) else ""
            if person.sms_opt_out or not MOBILE.match(number.strip()):
                continue
            found.setdefault(person.phone_hash or number, number.strip())
    return found


def tell_petitioners(event_id):
    """Queue the step's SMS to each petitioner of the event's case; nothing for a step
    the petitioner is not told of. Returns the queued messages."""
    event = CaseEvent.objects.select_related("case", "case__current_unit").filter(pk=event_id).first()
    if event is None or (step := step_of(event)) is None:
        return []
    body = compose(event, step)
    queued = []
    for digest, number in mobiles(event.case).items():
        queued.append(notify.queue(Channel.SMS, number, kind=NotifyKind.CASE_STEP, body=body,
                                   key=f"case-event:{event.pk}:{digest[:24]}"))
    return queued


# Steps that put a case on a unit's desk, and the kind of notification its staff get.
ARRIVALS = {Action.FORWARD: NotifyKind.ASSIGNED, Action.ASSIGN: NotifyKind.ASSIGNED, Action.RETURN: NotifyKind.RETURNED,
            Action.REVIEW: NotifyKind.REVIEW, Action.RE_REVIEW: NotifyKind.REVIEW}
DESK_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.HEAD)


# The report-back of an assigned case (交办反馈): a result report goes to the assigning
# unit's heads and supervisors, who decide on it; their decision goes back to the lead
# unit's staff. {action: (kind, roles, body)}.
REPORT_BACK = {
    Action.REPORT: (NotifyKind.ASSIGNED, (Role.HEAD, Role.SUPERVISOR), "{sender}报送了办理结果，请审核。"),
    Action.SEND_BACK: (NotifyKind.RETURNED, DESK_ROLES, "{sender}退回补办：{note}，请于{due}前重新报送。"),
    Action.APPROVE: (NotifyKind.REPLIED, DESK_ROLES, "{sender}审核通过了办理结果，答复意见已作出，请及时送达。"),
}


def _staff_of(unit_id, roles, *, actor_id):
    """The active staff with one of `roles` who work for the unit `unit_id` (its own, and
    those of a petition office that serves it), except the actor."""
    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
    return (users.filter(Q(unit=unit_id) | Q(unit__parent=unit_id, unit__kind=UnitKind.PETITION_OFFICE))
            .exclude(pk=actor_id or 0).distinct())


def _report_back_receivers(event):
    """Who is told of a step of the report-back, and the unit they work for: REPORT goes
    to the assigning unit (the obligation's creditor), the decisions to the lead unit."""
    owed = Obligation.objects.filter(pk=event.data.get("obligation_id")).values("creditor_unit_id", "owner_unit_id").first()
    if owed is None:
        return []
    kind, roles, _ = REPORT_BACK[event.action]
    unit_id = owed["creditor_unit_id"] if event.action == Action.REPORT else owed["owner_unit_id"]
    return list(_staff_of(unit_id, roles, actor_id=event.actor_id))


def tell_staff(event_id):
    """In the notification centre: the registrars, handlers and heads of the unit a case
    has just arrived at (forwarded, assigned, returned, or asked to review), except who
    sent it; for the report-back of an assigned case, the assigning unit's heads and
    supervisors when a result is reported, the lead unit's staff when it is sent back or
    accepted. The title names the case number and the step only: the case's own page
    shows the rest to whoever may see it."""
    event = CaseEvent.objects.select_related("case", "case__current_unit", "actor_unit").filter(pk=event_id).first()
    if event is None or not event.case.current_unit_id or (event.action not in ARRIVALS and event.action not in REPORT_BACK):
        return []
    case = event.case
    sender = event.actor_unit.name if event.actor_unit_id else "信访人"
    title = f"{Action(event.action).label}：{case.number}"
    if event.action in REPORT_BACK:
        kind, _, body = REPORT_BACK[event.action]
        due = event.data.get("due_date") or ""
        return notify.inform(_report_back_receivers(event), kind=kind, link=f"/cases/{case.number}/", key=f"case-event:{event.pk}",
                             title=title, body=body.format(sender=sender, note=event.note[:100], due=due))
    staff = (get_user_model().objects.filter(unit=case.current_unit_id, is_active=True, groups__name__in=DESK_ROLES)
             .exclude(pk=event.actor_id or 0).distinct())
    return notify.inform(list(staff), kind=ARRIVALS[event.action], link=f"/cases/{case.number}/", key=f"case-event:{event.pk}",
                         title=title, body=f"{sender}{Action(event.action).label}，请及时办理。")


def after_step(event_id):
    """Run after the commit of a step (cases.services._apply): the petitioners' SMS and
    the staff's notifications. A fault here is logged and never undoes the step."""
    for tell in (tell_petitioners, tell_staff):
        try:
            tell(event_id)
        except Exception:
            logger.exception("%s of case event %s failed", tell.__name__, event_id)
