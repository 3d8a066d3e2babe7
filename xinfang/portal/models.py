from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import SmsStatus


class Submission(models.Model):
    """The query code (查询码) a petitioner follows a case with: issued when a petition is
    sent through the public site, or by the staff of the unit holding a case that came by
    letter, visit, phone or a deputy (`issued_by` set). One row per case: a code issued
    again replaces the old one. Only a keyed hash of the code is kept, so a copy of the
    database does not reveal any code; likewise the last four digits of the phone or ID
    number that guard a case with personal data."""

    case = models.OneToOneField("cases.Case", verbose_name="信访事项", null=True, on_delete=models.PROTECT, related_name="submission")
    petition = models.ForeignKey("intake.Petition", verbose_name="信访件", null=True, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    # Keyed hashes of the last four digits of the phone and of the ID number given; empty
    # for an anonymous submission, whose code alone opens it.
    verifiers = models.JSONField("验证信息摘要", default=list, blank=True)
    # The client's key for this submission: a retried or double-clicked request with the
    # same key and the same content answers with the same petition and code.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    fingerprint = models.CharField("内容摘要", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    sms_status = models.CharField("短信", max_length=8, choices=SmsStatus.choices, default=SmsStatus.NONE)
    # When the code in force was made, and by which member of staff (None: the petitioner
    # got it by submitting online). Who did it is also in the audit record.
    issued_at = models.DateTimeField("查询码生成时间", default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "网上信访提交"
        verbose_name_plural = "网上信访提交"

    def __str__(self):
        return f"网上信访 {self.case.number if self.case_id else '—'}"

    @property
    def needs_verifier(self):
        return bool(self.verifiers)


class Challenge(models.Model):
    """One captcha (验证码) shown to a visitor: four digits drawn as an image by this
    server, valid for a few minutes and for one submission only."""

    key = models.CharField(max_length=43, unique=True)
    answer = models.CharField(max_length=8)
    expires_at = models.DateTimeField(db_index=True)
    # Empty until used; then the idempotency key of the submission that used it (a
    # retry of the same submission may pass again), or "!" when a wrong answer burnt it.
    used_by = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "验证码"
        verbose_name_plural = "验证码"
