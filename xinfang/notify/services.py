"""The notification centre and the outbox: what other apps call (inform, queue) and
what the huey sweep runs (deliver_due). docs/notify.md tells the whole story.

An outbound message goes queued → (held until working hours) → sending → sent, or
failed → retried after 1, 2, 4 … × NOTIFY["backoff_seconds"] → given_up after
NOTIFY["max_attempts"] tries, when the administrators are told in the centre. Two
workers never send one message: a worker claims due rows in one short transaction
(`select_for_update(skip_locked=True)` on PostgreSQL; SQLite's IMMEDIATE transactions
take the write lock first) and marks them `sending` with a lease before sending outside
any transaction; every later write checks the row is still its own."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction

from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.calendar import periods
from xinfang.calendar.services import current_table
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.lib.masking import mask_phone
from xinfang.org.choices import Role

from . import sms
from .kinds import EMAIL_CHOICES, WAITING, Channel, Kind, Status
from .models import Notification, OutboundMessage, Preference

logger = logging.getLogger(__name__)
PER_PAGE = 20


def config():
    return settings.NOTIFY


# --- the notification centre -----------------------------------------------------------------

def _check_kind(kind):
    if kind not in Kind.values:
        raise Invalid(f"未知的通知类别：{kind} / Unknown notification kind: {kind}.", fields={"kind": "未知类别 / Unknown kind."})


def inform(users, *, kind, title, body="", link="", key=None):
    """Tell each of `users` in the notification centre, once per `key`; and queue an
    email to those who chose `kind` by email and have an address (one without an address
    gets the notification only, and the log says so). Returns the new notifications."""
    _check_kind(kind)
    if not title:
        raise Invalid("通知标题不能为空 / A notification needs a title.", fields={"title": "必填 / Required."})
    if link and not link.startswith("/"):
        raise Invalid("链接须为本站路径 / The link must be a path on this site.", fields={"link": "须以 / 开头 / Must start with /."})
    created = []
    for user in {u.pk: u for u in users if u is not None}.values():
        note = _notify_once(user, kind=kind, title=title[:200], body=body, link=link, key=key)
        if note is None:
            continue
        created.append(note)
        if kind in email_kinds(user):
            if user.email:
                text = f"{body}\n\n{_absolute(link)}" if link else body
                queue(Channel.EMAIL, user.email, kind=kind, subject=title[:200], body=text or title, user=user,
                      key=f"n{note.pk}:email")
            else:
                logger.info("user %s chose %s by email but has no email address: notification only", user.pk, kind)
    return created


def _notify_once(user, **values):
    key = values.get("key")
    if key and Notification.objects.filter(recipient=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=user, **values)
    except IntegrityError:  # the same event, told by another process a moment ago
        return None


def _absolute(link):
    base = getattr(settings, "SITE_URL", "")
    return f"{base}{link}" if base else link


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids="all"):
    """Mark the user's own notifications read: `ids` (a list) or "all". Others'
    notifications and unknown ids are refused, nothing marked. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids != "all":
        try:
            wanted = {int(i) for i in ids}
        except (TypeError, ValueError):
            raise Invalid("通知编号须为整数 / Notification ids must be integers.", fields={"ids": "须为整数 / Integers."}) from None
        if not wanted:
            raise Invalid("请选择要标为已读的通知 / Give the notifications to mark read.", fields={"ids": "必填 / Required."})
        found = set(Notification.objects.filter(recipient=user, pk__in=wanted).values_list("pk", flat=True))
        if missing := wanted - found:
            raise NotFound(f"找不到这些通知：{', '.join(map(str, sorted(missing)))} / No such notifications of yours.")
        qs = qs.filter(pk__in=wanted)
    return qs.update(read_at=timezone.now())


def notifications_for(user, page=1, *, unread_only=False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return Paginator(qs, PER_PAGE).get_page(page)


def email_kinds(user):
    pref = Preference.objects.filter(user=user).first()
    return list(pref.email_kinds) if pref else []


def set_email_kinds(user, kinds):
    """Which kinds also reach `user` by email. Unknown kinds are refused; choosing any
    with no email address on the account is refused with the way out."""
    kinds = sorted(set(kinds))
    if unknown := [k for k in kinds if k not in EMAIL_CHOICES]:
        raise Invalid(f"不能选择这些类别：{', '.join(unknown)} / Not kinds you may receive by email.",
                      fields={"kinds": "未知类别 / Unknown kind."})
    if kinds and not user.email:
        raise Invalid("您的账号没有电子邮箱地址，无法通过邮件接收通知，请联系管理员添加邮箱 / "
                      "Your account has no email address: ask the administrator to add one first.",
                      fields={"kinds": "账号无邮箱 / No email address."})
    Preference.objects.update_or_create(user=user, defaults={"email_kinds": kinds})
    return kinds


# --- the outbox ---------------------------------------------------------------------------------

def _masked(channel, to):
    if channel == Channel.SMS:
        return mask_phone(to)
    name, _, domain = to.partition("@")
    return f"{name[:1]}***@{domain}"


def queue(channel, to, *, kind, subject="", body, user=None, key=None, not_before=None):
    """Put one email or SMS in the outbox (sent by the next deliver_due). With a `key`,
    queuing the same message again returns the first row and queues nothing."""
    if channel not in Channel.values:
        raise Invalid(f"未知的发送渠道：{channel} / Unknown channel.", fields={"channel": "须为 email 或 sms / email or sms."})
    _check_kind(kind)
    to = (to or "").strip()
    if not to:
        raise Invalid("没有收件地址（邮箱或手机号），消息未排队 / No address to send to: nothing queued.",
                      fields={"to": "必填 / Required."})
    if channel == Channel.EMAIL and "@" not in to:
        raise Invalid("电子邮箱地址格式不正确 / Not an email address.", fields={"to": "格式不正确 / Not an email address."})
    if not body:
        raise Invalid("消息内容不能为空 / The message has no text.", fields={"body": "必填 / Required."})
    if key and (existing := OutboundMessage.objects.filter(key=key).first()):
        return existing
    now = timezone.now()
    values = dict(channel=channel, to=to, to_masked=_masked(channel, to), user=user, kind=kind, subject=subject[:200],
                  body=body, key=key or None, created_at=now, next_attempt_at=max(now, not_before or now))
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(**values)
    except IntegrityError:
        return OutboundMessage.objects.get(key=key)


# --- quiet hours ----------------------------------------------------------------------------------

def _clock(text):
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


def release_time(now):
    """`now` when it falls in working hours of a working day (the legal calendar's: rest
    days and holidays off, adjusted working weekends on), else the start of the next
    working day's hours."""
    local = timezone.localtime(now)
    start, end = _clock(config()["work_start"]), _clock(config()["work_end"])
    table = current_table()
    day = local.date()
    if periods.is_working_day(day, table):
        if start <= local.time() < end:
            return now
        if local.time() < start:
            return _at(day, start)
    day = periods.next_working_day(day + datetime.timedelta(days=1), table)
    return _at(day, start)


def _at(day, clock):
    return timezone.make_aware(datetime.datetime.combine(day, clock), timezone.get_current_timezone())


# --- the sweep -------------------------------------------------------------------------------------

@dataclass
class Sweep:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    held: int = 0
    requeued: int = 0


def deliver_due(now=None, *, limit=None):
    """Send every message that is due now; one that fails is recorded and the sweep goes
    on. Safe to run in several workers at once. Returns the counts."""
    now = now or timezone.now()
    sweep = Sweep()
    _recover_leases(now, sweep)
    for message in _claim(now, limit or config()["batch"], sweep):
        _send_one(message, sweep)
    return sweep


def _recover_leases(now, sweep):
    """A worker died holding messages. Those it had not handed over go back to the queue;
    one it had handed over may have gone out: given up, so that an administrator checks
    and retries it, rather than the petitioner getting it twice."""
    stale = OutboundMessage.objects.filter(status=Status.SENDING, lease_until__lt=now)
    sweep.requeued += stale.filter(handed_at__isnull=True).update(status=Status.QUEUED, lease_until=None, next_attempt_at=now)
    uncertain = list(stale.filter(handed_at__isnull=False).values_list("pk", flat=True))
    for pk in uncertain:
        if OutboundMessage.objects.filter(pk=pk, status=Status.SENDING, lease_until__lt=now).update(
                status=Status.GIVEN_UP, lease_until=None,
                last_error="发送过程中断，无法确定是否已送达；为免重复发送，不再自动重试，请核实后手动重发 / "
                           "Interrupted while sending: it may have gone out. Not retried automatically; check, then retry."):
            sweep.given_up += 1
            _tell_administrators(pk)


def _claim(now, limit, sweep):
    with transaction.atomic():
        rows = list(OutboundMessage.objects.select_for_update(skip_locked=True)
                    .filter(status__in=WAITING, next_attempt_at__lte=now).order_by("next_attempt_at", "id")[:limit])
        release = release_time(now)
        claimed = []
        for message in rows:
            if release > now:
                if message.status != Status.HELD or message.next_attempt_at != release:
                    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.HELD, next_attempt_at=release)
                    sweep.held += 1
                continue
            lease = now + datetime.timedelta(seconds=config()["lease_seconds"])
            if OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
                    status=Status.SENDING, lease_until=lease, handed_at=None):
                message.status, message.lease_until = Status.SENDING, lease
                claimed.append(message)
    return claimed


def _mine(message):
    """The row, still as this worker left it: sending, under its lease, same attempt."""
    return OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING, lease_until=message.lease_until,
                                          attempts=message.attempts)


def _send_one(message, sweep):
    attempts = message.attempts + 1
    if not _mine(message).update(handed_at=timezone.now(), attempts=attempts):
        return  # the lease ran out and another worker has it
    message.attempts = attempts
    try:
        provider_id = _hand_over(message)
    except Exception as error:  # every failure is recorded on the row; the sweep goes on
        _failed(message, error, sweep)
        return
    if _mine(message).update(status=Status.SENT, sent_at=timezone.now(), provider_id=(provider_id or "")[:120],
                             lease_until=None, last_error=""):
        sweep.sent += 1


def _hand_over(message):
    if message.channel == Channel.SMS:
        return sms.send(message.to, message.body, ref=message.key or f"outbox-{message.pk}")
    message_id = make_msgid(domain="xinfang")
    email = EmailMessage(subject=message.subject or message.body[:40], body=message.body,
                         from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to], headers={"Message-ID": message_id})
    email.send(fail_silently=False)
    return message_id


def _failed(message, error, sweep):
    text = str(error) if isinstance(error, sms.SMSError) else f"发送失败 / Sending failed: {type(error).__name__}: {error}"
    now = timezone.now()
    if message.attempts >= config()["max_attempts"]:
        if _mine(message).update(status=Status.GIVEN_UP, last_error=text[:2000], lease_until=None):
            sweep.given_up += 1
            _tell_administrators(message.pk)
        return
    delay = config()["backoff_seconds"] * 2 ** (message.attempts - 1)
    if _mine(message).update(status=Status.FAILED, last_error=text[:2000], lease_until=None,
                             next_attempt_at=now + datetime.timedelta(seconds=delay)):
        sweep.failed += 1
    logger.warning("outbound message %s failed (try %s): %s", message.pk, message.attempts, text)


def administrators():
    return [u for u in get_user_model().objects.filter(is_active=True, groups__name=Role.ADMIN).distinct()]


def _tell_administrators(pk):
    message = OutboundMessage.objects.get(pk=pk)
    inform(administrators(), kind=Kind.OUTBOX_FAILED, link="/notify/outbox/", key=f"outbox:{pk}:given_up:{message.attempts}",
           title=f"{message.get_channel_display()}发送失败已放弃：{message.to_masked}",
           body=f"{message.get_kind_display()}，已尝试{message.attempts}次。{message.last_error.split(' / ')[0]}")


# --- the administrator's view of the outbox ---------------------------------------------------

def _require_admin(user):
    if not (user.is_superuser or user.has_role(Role.ADMIN)):
        raise NotAllowed("仅系统管理员可查看和重发外发消息 / Only a system administrator may see and retry outbound messages.")


def troubled_messages(user, page=1):
    _require_admin(user)
    qs = OutboundMessage.objects.filter(status__in=(Status.FAILED, Status.GIVEN_UP)).select_related("user")
    return Paginator(qs.order_by("-next_attempt_at", "-id"), PER_PAGE).get_page(page)


def retry(*, message_id, actor, ip=None):
    """The administrator sends a failed or given-up message again: queued now, with a
    fresh count of tries. Anything else is refused and left as it is."""
    _require_admin(actor)
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound("找不到该外发消息 / No such outbound message.")
        if message.status not in (Status.FAILED, Status.GIVEN_UP):
            raise WrongState(f"该消息状态为“{message.get_status_display()}”，不能重发 / "
                             f"Only a failed or given-up message can be retried (this one is {message.status}).")
        OutboundMessage.objects.filter(pk=message.pk).update(status=Status.QUEUED, attempts=0, handed_at=None,
                                                             next_attempt_at=timezone.now())
        audit(actor=actor, action="outbox.retry", obj=message,
              detail={"channel": message.channel, "to": message.to_masked, "was": message.status}, ip=ip)
    message.refresh_from_db()
    return message
