"""The notification centre (what a staff user sees under the bell) and the outbox (every
email and SMS the system sends, one row each, with its tries and its fate)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xinfang.lib.fields import EncryptedTextField

from .kinds import Channel, Kind, Status


class Notification(models.Model):
    """One message to one staff user in the notification centre, about one event: read
    or not, with the page it is about. `key` names the event, so that telling a user
    about the same event twice leaves one notification."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("事件标识", max_length=200, null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class OutboundMessage(models.Model):
    """One email or SMS the system sends to a person: queued, held for working hours,
    being sent (under a lease), sent, failed and waiting for its retry, or given up and
    shown to the administrator. The address is personal data: encrypted, shown masked."""

    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    to = EncryptedTextField("收件地址")
    to_masked = models.CharField("收件地址（遮蔽）", max_length=80, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收用户", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    subject = models.CharField("主题", max_length=200, blank=True)
    body = models.TextField("内容")
    key = models.CharField("消息标识", max_length=200, null=True, blank=True, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    next_attempt_at = models.DateTimeField("下次发送时间", default=timezone.now)
    # While `sending`: until when the worker that took it holds it, and whether it had
    # already handed the message to the mail server or gateway (then a crash leaves the
    # outcome unknown, and the message is not sent again without an administrator).
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    handed_at = models.DateTimeField("交付网关时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    provider_id = models.CharField("网关消息号", max_length=120, blank=True)

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["status", "lease_until"], name="outbound_lease",
                         condition=Q(status=Status.SENDING)),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.to_masked}"


class Preference(models.Model):
    """Which kinds of notification also reach a staff user by email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="notify_preference")
    email_kinds = models.JSONField("邮件接收的类别", default=list, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
