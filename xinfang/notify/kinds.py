"""What a notification or an outbound message is about, and the states of a message."""

from django.db import models


class Kind(models.TextChoices):
    """Kinds of notification. Staff choose which of them also reach them by email
    (Preference); the petitioner's step SMS and the administrator's alerts have theirs."""

    ASSIGNED = "assigned", "新的待办事项"
    RETURNED = "returned", "退回与异议"
    DUE_SOON = "due_soon", "期限临近或超期"
    REPLIED = "replied", "答复与办结"
    REVIEW = "review", "复查复核请求"
    SYSTEM = "system", "系统消息"
    OUTBOX_FAILED = "outbox_failed", "外发消息发送失败"
    CASE_STEP = "case_step", "信访人办理进度短信"
    QUERY_CODE = "query_code", "查询码短信"


# The kinds a staff user may choose to receive by email as well (Preference.email_kinds).
EMAIL_CHOICES = [Kind.ASSIGNED, Kind.RETURNED, Kind.DUE_SOON, Kind.REPLIED, Kind.REVIEW, Kind.SYSTEM, Kind.OUTBOX_FAILED]


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class Status(models.TextChoices):
    QUEUED = "queued", "待发送"
    HELD = "held", "暂缓（非工作时间）"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败，待重试"
    GIVEN_UP = "given_up", "已放弃"


# A message in one of these states is waiting for deliver_due() (at its next_attempt_at).
WAITING = (Status.QUEUED, Status.HELD, Status.FAILED)
