"""The SMS that tells the petitioners of a case of each step (Regulations on Letters and
Visits: the petitioner is told of acceptance, forwarding, extension and the answers):
composed here in plain Chinese and queued in the one outbox (xinfang.notify).

Only the case's own number, the step, its date and the public site's address go in: no
other person's data, no internal note, no name of the handler. Petitioners are reached
through the case's reverse relations (`case.petitions`, `petition.petitioners`), so this
module imports nothing above cases; those who declined SMS or left no mobile number get
none. The key is the event and the number: a step never texts one phone twice."""

import datetime
import logging
import re

from django.conf import settings
from django.utils import timezone

from xinfang.notify import services as notify
from xinfang.notify.kinds import Channel, Kind as NotifyKind

from .choices import Action, Status
from .models import CaseEvent

logger = logging.getLogger(__name__)
MOBILE = re.compile(r"^1[3-9]\d{9}$")

TEMPLATES = {
    "accepted": "您的信访事项（编号{number}）已于{date}受理，我们将依法按期办理并书面答复。",
    "forwarded": "您的信访事项（编号{number}）已于{date}转送{unit}办理，请留意后续答复。",
    "extended": "您的信访事项（编号{number}）因情况复杂，办理期限已依法延长至{due}。",
    "replied": "您的信访事项（编号{number}）已于{date}作出答复意见，书面答复将送达您。如不服，可自收到之日起30日内请求复查。",
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
    if event.action == Action.REPLY:
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
    text = TEMPLATES[step].format(number=case.number, date=_chinese(day), unit=unit,
                                  due=_chinese(datetime.date.fromisoformat(due)) if due else "规定期限")
    if settings.PORTAL_PUBLIC_URL:
        text += FOLLOW.format(url=f"{settings.PORTAL_PUBLIC_URL}{settings.PORTAL_URL_PREFIX}follow/")
    return "【信访】" + text


def mobiles(case):
    """The mobile numbers of the petitioners who did not decline SMS, with their lookup
    hash (the number's key in the message key), once each."""
    found = {}
    for petition in case.petitions.all():
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


def tell_petitioners_safely(event_id):
    """After the commit of a step: a fault here is logged, never undoes the step."""
    try:
        tell_petitioners(event_id)
    except Exception:
        logger.exception("the SMS of case event %s could not be queued", event_id)
